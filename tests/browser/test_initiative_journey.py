"""Issue 15's journey in the browser: an innbyggerforslag from a resident's proposal, through
pre-moderation, signatures online (one taken back and given again) and on paper, submission by the
proposer, to the council's decision and a measure, with the signers told at each step and axe on
every page on the way. Screenshots at phone and desktop width in artifacts/screenshots/initiative/."""

import itertools
import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import ARTIFACTS, make_png
from tests.browser.test_loop_journey import Person

_n = itertools.count(1)
SHOTS = Path(os.environ.get("INITIATIVE_SHOTS") or ARTIFACTS / "screenshots" / "initiative")


class Citizen(Person):
    def shoot(self, name: str):
        from tests.browser import test_loop_journey

        previous, test_loop_journey.SHOTS = test_loop_journey.SHOTS, SHOTS
        try:
            super().shoot(name)
        finally:
            test_loop_journey.SHOTS = previous


def _notice_kinds(site, email: str, initiative_id: int) -> list[str]:
    from app.notifications.models import Notice

    with site.context() as session:
        user = site.user(session, email)
        return list(session.scalars(
            select(Notice.kind).where(Notice.user_id == user.id, Notice.url == f"/initiatives/{initiative_id}")
            .order_by(Notice.id)))


def _api(page, initiative_id: int) -> dict:
    response = page.request.get(f"/api/v1/initiatives/{initiative_id}")
    assert response.ok, response.status
    return response.json()


def test_an_initiative_goes_from_proposal_to_the_councils_decision(new_context, site, tmp_path):
    site.require("initiatives.create", "initiatives.sign", "initiatives.submit", "initiatives.moderation_queue")
    n = next(_n)
    proposer = site.new_resident("Frida Forslagsstiller")
    signers = [site.new_resident("Siri Signerer"), site.new_resident("Petter Pendler")]
    moderator_email = site.user_email("moderator")
    staff_email = site.user_email("admin")
    population = site.app.config.get("POPULATION")
    site.app.config["POPULATION"] = 150  # ceil(2 % of 150) = 3 signatures needed
    try:
        # --- 1. Frida writes the proposal -------------------------------------------------------
        me = Citizen(new_context(user=proposer).new_page(), site)
        me.page.goto("/initiatives")
        me.axe_clean("the initiative list")
        me.page.get_by_role("link", name=me.t("Fremme et forslag")).click()
        title = f"Gratis busskort for ungdom i kommunen {n}"
        me.field("Tittel").fill(title)
        me.field("Hva skal kommunestyret ta stilling til?").fill(
            "Kommunestyret ber kommunedirektøren innføre gratis busskort for alle under 20 år fra neste skoleår.")
        me.field("Begrunnelse").fill("Mange unge bor langt fra skole og fritid, og bussen koster for mye for "
                                     "mange familier. Gratis buss gir like muligheter.")
        # First without a topic: the error is next to the field and nothing typed is lost.
        me.button("Send til godkjenning").click()
        expect(me.page).to_have_title(re.compile(re.escape(me.t("Feil i skjemaet"))))
        expect(me.field("Tittel")).to_have_value(title)
        me.axe_clean("the proposal form with an error")
        me.main().locator("input[type=checkbox][name=service_area_ids]").first.check()
        me.shoot("proposal-form")
        me.button("Send til godkjenning").click()
        expect(me.page.get_by_role("heading", level=1, name=title)).to_be_visible()
        initiative_id = int(re.search(r"/initiatives/(\d+)", me.page.url).group(1))
        path = f"/initiatives/{initiative_id}"
        assert _api(me.page, initiative_id)["status"] == "awaiting_moderation"

        # --- 2. A moderator approves it against the debate rules --------------------------------
        moderator = Citizen(new_context(user=moderator_email).new_page(), site)
        moderator.page.goto("/staff/initiatives/moderation")
        moderator.axe_clean("the initiative moderation queue")
        card = moderator.main().get_by_role("listitem").filter(
            has=moderator.page.get_by_role("heading", name=title))
        card.get_by_role("button", name=moderator.t("Godkjenn og start innsamlingen")).click()
        moderator.says("«%(title)s» er godkjent. Innsamlingen av underskrifter har startet.", title=title)
        state = _api(moderator.page, initiative_id)
        assert state["status"] == "collecting" and state["threshold"] == 3

        # --- 3. Two residents sign; one takes it back and signs again, with the name shown ------
        pages = []
        for email in signers:
            person = Citizen(new_context(user=email).new_page(), site)
            person.page.goto(path)
            residence = person.main().locator("input[name=confirmed_resident]")
            person.button("Signer forslaget").click()  # without the residence box: the error, next to it
            expect(residence).to_have_attribute("aria-invalid", "true")
            person.axe_clean("the initiative with a signing error")
            person.main().locator("input[name=confirmed_resident]").check()
            person.button("Signer forslaget").click()
            expect(person.main().get_by_text(re.compile(r"Takk! Forslaget har nå \d underskrift"))).to_be_visible()
            pages.append(person)
        petter = pages[1]
        petter.button("Trekk tilbake underskriften").click()
        petter.says("Underskriften din er trukket tilbake.")
        assert _api(petter.page, initiative_id)["signature_count"] == 1
        petter.main().locator("input[name=confirmed_resident]").check()
        petter.main().locator("input[name=show_name]").check()
        petter.button("Signer forslaget").click()
        expect(petter.main().get_by_text("Petter Pendler")).to_be_visible()  # chose to be shown
        expect(petter.main().get_by_text("Siri Signerer")).to_have_count(0)  # did not
        petter.axe_clean("the initiative while collecting")
        petter.shoot("collecting")

        # --- 4. Staff register a paper list with its scan ---------------------------------------
        staff = Citizen(new_context(user=staff_email).new_page(), site)
        staff.page.goto(f"/staff/initiatives/{initiative_id}")
        staff.axe_clean("the initiative's case page")
        staff.field("Antall underskrifter på papir").fill("1")
        staff.page.locator("input[type=file][name=scan]").set_input_files(str(make_png(tmp_path / "liste.png")))
        staff.button("Registrer underskriftene").click()
        state = _api(staff.page, initiative_id)
        assert (state["signature_count"], state["paper_signature_count"], state["total_signatures"]) == (2, 1, 3)

        # --- 5. Frida submits; the six months start ---------------------------------------------
        me.page.goto(path)
        me.button("Send forslaget til kommunen").click()
        expect(me.main().get_by_text(re.compile(re.escape(me.t("Forslaget er sendt inn.")[:20])))).to_be_visible()
        state = _api(me.page, initiative_id)
        assert state["status"] == "submitted" and state["deadline"] and state["days_to_deadline"] >= 180
        me.axe_clean("the submitted initiative")
        staff.page.goto("/staff/initiatives")
        expect(staff.main().get_by_role("link", name=title)).to_be_visible()
        staff.axe_clean("the staff list of initiatives by deadline")

        # --- 6. Staff record the council's decision and a measure -------------------------------
        staff.page.goto(f"/staff/initiatives/{initiative_id}")
        staff.field("Saksnummer").fill(f"2026/{700 + n}")
        # The day it was sent in, in the municipality's time zone (what the rule compares with):
        # near midnight the UTC date in the API is the day before.
        submitted_day = (datetime.fromisoformat(state["submitted_at"].replace("Z", "+00:00"))
                         .astimezone(ZoneInfo(site.app.config["BABEL_DEFAULT_TIMEZONE"])).date().isoformat())
        staff.field("Møtedato").fill(submitted_day)
        staff.field("Vedtaket").fill("Kommunestyret vedtar gratis busskort for alle under 20 år fra august.")
        staff.field("Lenke til saken (valgfritt)").fill("https://einnsyn.no/saksmappe?id=700")
        staff.button("Registrer vedtaket").click()
        staff.says("Vedtaket er registrert. Forslagsstilleren og de som signerte, får beskjed.")
        staff.field("Hva er gjort?").fill("Busskortet er innført, og alle skoler har delt det ut.")
        staff.field("Dato").fill(submitted_day)
        staff.button("Registrer tiltaket").click()
        staff.says("Tiltaket er registrert og vises på forslaget.")
        staff.axe_clean("the case page after the decision")

        # The public page: the decision, the link to the case and the measure on the timeline.
        me.page.goto(path)
        expect(me.main()).to_contain_text("Kommunestyret vedtar gratis busskort")
        expect(me.main()).to_contain_text("Busskortet er innført")
        me.axe_clean("the decided initiative")
        me.shoot("decided")
        state = _api(me.page, initiative_id)
        assert state["status"] == "decided" and state["decision"]["case_number"] == f"2026/{700 + n}"
        assert len(state["measures"]) == 1

        # --- 7. Everyone was told: the proposer of each step, the signers of submission and after -
        assert _notice_kinds(site, proposer, initiative_id) == [
            "initiatives.approved", "initiatives.decided", "initiatives.measure"]
        for email in signers:
            assert _notice_kinds(site, email, initiative_id) == [
                "initiatives.signed_submitted", "initiatives.signed_decided", "initiatives.signed_measure"]
    finally:
        site.app.config["POPULATION"] = population
