"""Issue 13's "Done when", walked in the browser: a resident's idea from proposal, through the
municipality's answer, a project and its phases and updates, to "implemented", with each notice
arriving the way its reader chose (in the app, by e-mail at once, in the daily digest), and an
unsubscribe link from one e-mail that works without logging in.

The e-mail is read from the site's real SMTP server; the digest runs through the app's own CLI
(`flask notifications digest daily`, then `flask outbox deliver`), as cron runs it. Phone and
desktop screenshots of the pages on the way land in artifacts/screenshots/loop/ (LOOP_SHOTS
overrides the folder).
"""

import itertools
import os
import re
from email.message import EmailMessage
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    format_violations,
    page_problems,
    run_axe,
)

_n = itertools.count(1)
SHOTS = Path(os.environ.get("LOOP_SHOTS") or ARTIFACTS / "screenshots" / "loop")


class Person:
    """Someone at the browser, finding things by role and by the words of the catalogue."""

    def __init__(self, page: Page, site):
        self.page = page
        self.site = site

    def t(self, msgid: str, **values) -> str:
        return self.site.t("nb", msgid, **values)

    def button(self, msgid: str, **values):
        return self.page.get_by_role("button", name=self.t(msgid, **values))

    def field(self, msgid: str, **values):
        text = self.t(msgid, **values)
        return self.page.get_by_label(re.compile(r"^\s*" + re.escape(text) + r"\s*\*?\s*$"))

    def main(self):
        return self.page.get_by_role("main")

    def says(self, msgid: str, **values):
        expect(self.main().get_by_text(self.t(msgid, **values)).first).to_be_visible()

    def choose(self, group_msgid: str, channel_msgid: str):
        """A radio button inside the fieldset named by its legend (the settings page)."""
        # Designsystemet names a fieldset by its legend and its description: match the start.
        group = self.page.get_by_role("group", name=re.compile("^" + re.escape(self.t(group_msgid)) + r"\b"))
        group.get_by_role("radio", name=self.t(channel_msgid), exact=True).check()

    def axe_clean(self, where: str):
        violations = run_axe(self.page)
        assert not violations, f"{where}:\n" + format_violations(violations)

    def shoot(self, name: str):
        """The page at phone and desktop width, whole."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            self.page.set_viewport_size(viewport)
            self.page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size(DESKTOP)


def _mail(site, address: str) -> list[EmailMessage]:
    with site.smtp.lock:
        return [m for m in site.smtp.messages if address.lower() in m["To"].lower()]


def _subjects(site, address: str) -> list[str]:
    return [str(m["Subject"]) for m in _mail(site, address)]


def _one_mail(site, address: str, subject: str) -> EmailMessage:
    found = [m for m in _mail(site, address) if m["Subject"] == subject]
    assert len(found) == 1, f"expected one e-mail «{subject}» to {address}, got {_subjects(site, address)}"
    return found[0]


def _parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None, "an e-mail has a plain-text and an HTML part"
    return text.get_content(), html.get_content()


def _api_status(page: Page, idea_id: int) -> str:
    response = page.request.get(f"/api/v1/ideas/{idea_id}")
    assert response.ok, response.status
    return response.json()["status"]


def _notice_kinds(site, email: str, since_id: int) -> list[str]:
    from app.notifications.models import Notice

    with site.context() as session:
        user = site.user(session, email)
        return list(session.scalars(
            select(Notice.kind).where(Notice.user_id == user.id, Notice.id > since_id).order_by(Notice.id)))


def test_an_idea_goes_from_proposal_to_implemented_and_its_people_hear_of_it_as_they_chose(
        new_context, site, tmp_path):
    from app.notifications.models import Notice
    from app.portfolio import services as portfolio

    site.require("notifications.preferences", "notifications.unsubscribe", "notifications.follow",
                 "portfolio.answer_idea", "portfolio.project_change_phase", "portfolio.find_projects")
    n = next(_n)
    rita = site.new_resident("Rita Rundgang")
    frode = site.new_resident("Frode Følger")
    manager_email = site.user_email("portfolio_manager")
    with site.context() as session:
        first_notice = session.scalar(select(Notice.id).order_by(Notice.id.desc()).limit(1)) or 0

    # The project the idea will join: public, proposed, with a title no other test uses.
    project_title = f"Lysløype rundt Storvatnet trinn {n}"
    with site.acting() as session:
        from app.core.models import ServiceArea

        area = session.scalar(select(ServiceArea.id).where(ServiceArea.retired_at.is_(None)).order_by(ServiceArea.id))
        project_id = portfolio.create_project(site.user(session, manager_email), {
            "title": project_title, "description": "Lys langs turstien rundt vatnet.",
            "owner_service_area_id": area, "public": True,
        }).id

    # --- 1. Rita proposes an idea; she follows it at once --------------------------------------
    me = Person(new_context(user=rita).new_page(), site)
    me.page.goto("/ideas/new")
    title = f"Lys på turstien rundt Storvatnet {n}"
    me.field("Tittel").fill(title)
    me.field("Beskrivelse").fill("Turstien rundt Storvatnet er stummende mørk fra oktober. Med lys "
                                 "kan flere gå tur etter jobb, også barn og eldre.")
    me.page.get_by_role("combobox", name=re.compile("^" + re.escape(me.t("Tema")))).select_option(index=1)
    me.button("Gå videre").click()
    # The next page is either the idea or, when it looks like others, the check for duplicates:
    # wait for one of them before asking which (the old form is still there right after the click).
    published = me.page.get_by_role("heading", level=1, name=title)
    similar = me.page.get_by_role("heading", level=1, name=me.t("Finnes idéen allerede?"))
    expect(published.or_(similar)).to_be_visible()
    if similar.count():
        me.button("Publiser idéen min").click()
    expect(published).to_be_visible()
    idea_id = int(re.search(r"/ideas/(\d+)", me.page.url).group(1))
    idea_path = f"/ideas/{idea_id}"
    header = me.page.locator("header.idea__header")
    expect(header.get_by_text(me.t("Følger"), exact=True)).to_be_visible()
    expect(header.get_by_role("button", name=re.compile("^" + re.escape(me.t("Slutt å følge"))))).to_be_visible()
    assert _api_status(me.page, idea_id) == "submitted"

    # Her settings: what concerns her idea by e-mail at once.
    me.page.goto("/messages")
    me.page.get_by_role("link", name=me.t("Velg hvordan du får beskjed, og se hva du følger")).click()
    expect(me.page.get_by_role("heading", level=1, name=me.t("Innstillinger for meldinger"))).to_be_visible()
    me.choose("Idéene mine", "E-post med en gang")
    me.button("Lagre innstillingene").click()
    me.says("Innstillingene for meldinger er lagret.")
    expect(me.page.get_by_role("region", name=me.t("Dette følger du")).get_by_role("link", name=title)).to_be_visible()
    me.axe_clean("the message settings page")
    me.shoot("settings")

    # --- 2. Frode follows the idea; status at once, project news in the daily digest ----------
    fan = Person(new_context(user=frode).new_page(), site)
    fan.page.goto(idea_path)
    fan.page.locator("header.idea__header").get_by_role(
        "button", name=re.compile("^" + re.escape(fan.t("Følg")) + r"\b")).click()
    fan.says("Du følger nå «%(title)s». Du bestemmer selv hvordan du får beskjed i innstillingene for "
             "meldinger.", title=title)
    fan.page.goto("/messages/settings")
    fan.choose("Idéer jeg følger", "E-post med en gang")
    fan.choose("Prosjekter jeg følger", "Daglig samlet e-post")
    fan.button("Lagre innstillingene").click()
    fan.says("Innstillingene for meldinger er lagret.")

    # --- 3. Staff answer the idea -----------------------------------------------------------
    staff = Person(new_context(user=manager_email).new_page(), site)
    staff.page.goto(idea_path)
    staff.page.get_by_role("link", name=staff.t("Åpne svarsiden")).click()
    staff.page.get_by_role("combobox", name=re.compile("^" + re.escape(staff.t("Ny status")))).select_option(
        label=staff.t("Til vurdering"))
    answer = f"Vi ser på lys rundt Storvatnet sammen med friluftsplanen {n}."
    staff.field("Offentlig begrunnelse").first.fill(answer)
    staff.button("Lagre svaret").click()
    staff.says("Statusen er endret til «%(status)s».", status=staff.t("Til vurdering"))
    assert _api_status(staff.page, idea_id) == "under_review"

    # Rita: the notice in the app ...
    me.page.goto("/messages")
    subject = me.t("Kommunen har svart på idéen din: %(status)s", status=me.t("Til vurdering"))
    notice = me.main().get_by_role("listitem").filter(has_text=subject)
    expect(notice).to_contain_text(answer)
    # ... and the e-mail at once: absolute link to the idea, two parts, one-click unsubscribe.
    answer_mail = _one_mail(site, rita, subject)
    text, html = _parts(answer_mail)
    idea_url = f"{site.url}{idea_path}"
    assert idea_url in text and f'href="{idea_url}"' in html
    assert answer in text and answer in html
    unsubscribe = answer_mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{site.url}/unsubscribe/")
    assert answer_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html
    # Frode hears of it too, at once, as a follower.
    _one_mail(site, frode, me.t("Ny status på «%(title)s»: %(status)s", title=title, status=me.t("Til vurdering")))

    # --- 4. Staff link it to the project, found by typing its title ---------------------------
    staff.page.goto(idea_path)
    staff.page.get_by_role("link", name=staff.t("Åpne svarsiden")).click()
    search = staff.page.get_by_role("combobox", name=re.compile("^" + re.escape(staff.t("Finn prosjektet"))))
    search.press_sequentially(f"Storvatnet trinn {n}", delay=20)
    expect(staff.main().get_by_role("option").filter(has_text=project_title).first).to_be_visible()
    search.press("ArrowDown")
    expect(staff.main().get_by_role("listbox").get_by_role("option", selected=True)).to_contain_text(project_title)
    search.press("Enter")
    staff.says("Valgt: %(title)s", title=project_title)
    staff.field("Offentlig merknad").fill("Idéen er en del av lysløypeprosjektet.")
    staff.button("Koble til prosjektet").click()
    staff.says("Idéen er koblet til «%(title)s».", title=project_title)
    assert _api_status(staff.page, idea_id) == "accepted"

    # --- 5. The project moves: planned, in progress; an update; completed --------------------
    def change_phase(phase_msgid: str, explanation: str = ""):
        staff.page.goto(f"/portfolio/projects/{project_id}")
        staff.page.get_by_role("combobox", name=re.compile("^" + re.escape(staff.t("Ny fase")))).select_option(
            label=staff.t(phase_msgid))
        if explanation:
            staff.field("Forklaring").fill(explanation)
        staff.button("Endre fasen").click()
        staff.says("Prosjektet er nå i fasen «%(phase)s». Idéene som hører til, følger med.",
                   phase=staff.t(phase_msgid))

    change_phase("Planlagt")
    assert _api_status(staff.page, idea_id) == "planned"
    change_phase("Pågår")
    assert _api_status(staff.page, idea_id) == "in_progress"

    update = f"Stolpene er satt opp langs hele løypa, og lysene kommer i neste uke {n}."
    staff.page.goto(f"/portfolio/projects/{project_id}")
    staff.field("Hva har skjedd?").fill(update)
    staff.field("Ny framdrift (prosent, valgfritt)").fill("60")
    staff.button("Publiser oppdateringen").click()
    staff.says("Oppdateringen er publisert.")
    update_subject = staff.t("Nytt fra prosjektet «%(project)s»", project=project_title)
    # Rita's own idea: at once. Frode chose the daily digest for project news: nothing yet.
    _one_mail(site, rita, update_subject)
    assert update_subject not in _subjects(site, frode)

    change_phase("Fullført", "Lysløypa ble åpnet med fakkeltog.")
    assert _api_status(staff.page, idea_id) == "implemented"
    # The project page: 100 %, every phase in its timeline; the staff form to move it on.
    timeline = staff.main().get_by_role("region", name=staff.t("Oppdateringer og historikk"))
    expect(staff.main().locator(".progress__label").first).to_contain_text("100 %")
    for phase in ("Planlagt", "Pågår", "Fullført"):
        expect(timeline.get_by_role("listitem").filter(has_text=staff.t("Ny fase:")).filter(
            has_text=staff.t(phase)).first).to_be_visible()
    expect(timeline).to_contain_text(update)
    staff.axe_clean("the project page, staff")
    staff.shoot("project-staff")

    # The idea page: implemented, voting closed, every step in its timeline, the project's news.
    me.page.goto(idea_path)
    history = me.main().get_by_role("region", name=me.t("Status og historikk"))
    for status in ("Til vurdering", "Godtatt", "Planlagt", "Under arbeid", "Gjennomført"):
        expect(history.get_by_role("listitem").filter(has_text=me.t(status)).first).to_be_visible()
    expect(me.page.get_by_role("complementary", name=me.t("Stem og støtt"))).to_contain_text(
        me.t("Idéen er gjennomført, så avstemningen er stengt."))
    expect(me.main()).to_contain_text(update)
    # The API refuses a vote now, whoever asks.
    token = fan.page.evaluate("() => document.querySelector('meta[name=csrf-token]').content")
    refused = fan.page.request.post(f"/api/v1/ideas/{idea_id}/vote", headers={"X-CSRFToken": token})
    assert refused.status in (403, 409), refused.status
    me.axe_clean("the implemented idea")
    me.shoot("idea-implemented")

    # Every status change reached Rita at once (her own idea) and Frode at once (he follows it).
    for status in ("Godtatt", "Planlagt", "Under arbeid", "Gjennomført"):
        _one_mail(site, rita, me.t("Kommunen har svart på idéen din: %(status)s", status=me.t(status)))
        _one_mail(site, frode, me.t("Ny status på «%(title)s»: %(status)s", title=title, status=me.t(status)))

    # --- 6. The daily digest, as cron runs it ---------------------------------------------------
    runner = site.app.test_cli_runner()
    result = runner.invoke(args=["notifications", "digest", "daily"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["outbox", "deliver"]).exit_code == 0
    digests = [m for m in _mail(site, frode) if str(m["Subject"]).startswith("Dagens nytt fra Medvirk")]
    assert len(digests) == 1, _subjects(site, frode)
    text, html = _parts(digests[0])
    project_url = f"{site.url}/portfolio/projects/{project_id}"
    assert f"== {me.t('Prosjekter jeg følger')} ==" in text
    assert update_subject in text and project_url in text
    assert update_subject in html and f'href="{project_url}"' in html
    assert digests[0]["List-Unsubscribe"].strip("<>").startswith(f"{site.url}/unsubscribe/")
    # Safe to run twice: nothing is sent again.
    again = runner.invoke(args=["notifications", "digest", "daily"])
    assert again.exit_code == 0 and "0 notices" in again.output, again.output
    digest_page = new_context().new_page()
    digest_page.set_content(html)
    Person(digest_page, site).shoot("digest-email")

    # --- 7. Rita unsubscribes from the answer e-mail, not logged in -----------------------------
    stranger = Person(new_context().new_page(), site)
    stranger.page.goto(re.search(r"https?://\S+/unsubscribe/\S+", text_of(answer_mail)).group(0))
    expect(stranger.page.get_by_role("heading", level=1, name=stranger.t("Meld deg av e-post"))).to_be_visible()
    stranger.says("Vil du slutte å få e-post om «%(name)s» fra Medvirk?", name=stranger.t("Idéene mine"))
    stranger.axe_clean("the unsubscribe page")
    stranger.shoot("unsubscribe")
    stranger.button("Meld meg av").click()
    expect(stranger.page.get_by_role("heading", level=1, name=stranger.t("Du er meldt av"))).to_be_visible()
    stranger.says("Du får ikke lenger e-post om «%(name)s».", name=stranger.t("Idéene mine"))
    stranger.shoot("unsubscribed")

    # The next notice of that kind: Frode comments on her idea. In the app, not by e-mail.
    before = len(_mail(site, rita))
    fan.page.goto(idea_path)
    comment = f"Flott at det ble lys, nå går vi der hver kveld {n}."
    fan.field("Skriv en kommentar").fill(comment)
    fan.button("Publiser kommentaren").click()
    fan.says("Kommentaren din er publisert.")
    me.page.goto("/messages")
    expect(me.main().get_by_role("listitem").filter(has_text=comment).first).to_be_visible()
    assert len(_mail(site, rita)) == before, _subjects(site, rita)[before:]

    # --- Never a notice to the one who did the thing ------------------------------------------
    assert _notice_kinds(site, manager_email, first_notice) == []
    assert "ideas.comment" not in _notice_kinds(site, frode, first_notice)
    assert "comments.reply" not in _notice_kinds(site, frode, first_notice)
    for person in (me, fan, staff, stranger):
        assert not page_problems(person.page.context)


def text_of(message: EmailMessage) -> str:
    return _parts(message)[0]
