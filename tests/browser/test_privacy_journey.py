"""A person's own data, in the browser (issue 12's proof): "Mine data" from the profile, the
download opened as a ZIP with the documented files and a readable index.html, then "Delete my
account": refused without the password, requested, cancelled by signing in within the grace
period, requested again, and carried out by `flask privacy enforce` once the grace period is
over. Every text is looked up in the catalogue, so the journey runs in bokmål and in English.

The privacy pages carry no JavaScript of their own (forms post and redirect), so the journey
runs once per language, with the site's shared scripts on. Screenshots of the privacy pages
on a phone and a desktop land in artifacts/screenshots/privacy/.
"""

import itertools
import json
import re
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    ARTIFACTS,
    DESKTOP,
    LANGS,
    PHONE,
    ROOT,
    axe_source_path,
    error_link_problems,
    format_violations,
    make_png,
    overflow_problems,
    page_problems,
    run_axe,
    with_lang,
)

_n = itertools.count(1)
EXPORT_FORMAT = ROOT / "docs" / "export-format.md"


def documented_files() -> set[str]:
    """The JSON files docs/export-format.md promises, from its headings ("### `votes.json`")."""
    names = set(re.findall(r"^### `([a-z_]+\.json)`", EXPORT_FORMAT.read_text(encoding="utf-8"), re.M))
    assert len(names) > 10, "docs/export-format.md no longer lists the files as ### `<kind>.json`"
    return names


class Person:
    """A person at the browser, finding things by role and by the words of their language."""

    def __init__(self, page, site, lang):
        self.page, self.site, self.lang = page, site, lang

    def t(self, msgid: str, **values) -> str:
        return self.site.t(self.lang, msgid, **values)

    def tn(self, singular: str, plural: str, num: int) -> str:
        from flask_babel import force_locale, ngettext

        with self.site.app.test_request_context(), force_locale(self.lang):
            return ngettext(singular, plural, num)

    def main(self):
        return self.page.get_by_role("main")

    def says(self, msgid: str, **values) -> None:
        expect(self.page.get_by_text(self.t(msgid, **values)).first).to_be_visible()

    def axe_clean(self, where: str) -> None:
        violations = run_axe(self.page)
        assert not violations, f"{where}:\n" + format_violations(violations)
        problems = error_link_problems(self.page)
        assert not problems, f"{where}:\n" + "\n".join(problems)

    def log_in(self, email: str, password: str | None = None) -> None:
        from app.demo import DEMO_PASSWORD

        self.page.goto(with_lang("/login", self.lang))
        self.page.get_by_label(re.compile("^" + re.escape(self.t("E-postadresse")))).fill(email)
        self.page.get_by_label(re.compile("^" + re.escape(self.t("Passord")))).fill(password or DEMO_PASSWORD)
        self.main().get_by_role("button", name=self.t("Logg inn")).click()


# --- the resident's history, made through the services ------------------------------------


def _resident_with_history(site, lang: str, picture: Path) -> dict:
    """A fresh resident in `lang` with two ideas (one with a picture, one the municipality has
    answered), votes on two others' ideas and a comment; returns what the test looks for."""
    from sqlalchemy import select, update

    from app.accounts.models import User
    from app.core.models import ServiceArea
    from app.ideas import images
    from app.ideas import services as ideas
    from app.portfolio import answers

    n = next(_n)
    email = site.new_resident(f"Petra Personvern {lang} {n}")
    other = site.user_email("resident", 2)
    manager = site.user_email("portfolio_manager")
    voted = [site.make_idea(other, f"Lekeplass ved Sjøgata skole {lang} {n}"),
             site.make_idea(other, f"Flere søppelkasser langs elva {lang} {n}")]
    commented = voted[0]
    comment = f"Dette trengs, barna leker i gata nå ({lang} {n})."
    site.make_comment(email, commented, comment)
    with site.acting() as session:
        session.execute(update(User).where(User.email == email).values(locale=lang))
        session.commit()
        person = site.user(session, email)
        area = session.scalar(select(ServiceArea.id).where(ServiceArea.retired_at.is_(None)).order_by(ServiceArea.id))
        stored = images.store_image(picture.read_bytes(), field="image_1")
        pictured = ideas.submit_idea(person, ideas.IdeaInput(
            title=f"Benk med utsikt på Varden {lang} {n}",
            body="Det er langt opp til Varden, og ingen steder å sette seg. En benk ved utsikten ville hjelpe.",
            service_area_id=area, sdgs=[3, 11],
            images=[ideas.ImageInput(image=stored, alt_text="Utsikten fra Varden en klar dag")],
        ))
        answered = ideas.submit_idea(person, ideas.IdeaInput(
            title=f"Gatelys på snarveien til stasjonen {lang} {n}",
            body="Snarveien fra boligfeltet til stasjonen er helt mørk om vinteren. Folk går den likevel.",
            service_area_id=area, sdgs=[11],
        ))
        answers.change_idea_status(site.user(session, manager), answered, "under_review",
                                   "Vi ser på lysforholdene på snarveien i høst.")
        for idea_id in voted:
            ideas.vote_for_idea(site.user(session, email), idea_id)
        return {"email": email, "pictured": pictured.id, "pictured_title": pictured.title,
                "answered": answered.id, "answered_title": answered.title, "voted": voted,
                "commented": commented, "comment": comment}


def _shots_folder() -> Path:
    folder = ARTIFACTS / "screenshots" / "privacy"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _mail_to(site, email: str, contains: str, timeout: float = 10.0) -> str:
    """The newest mail to `email` whose text holds `contains` (mail leaves after the response)."""
    deadline = time.monotonic() + timeout
    while True:
        bodies = [b for b in site.smtp.bodies_to(email) if contains in b]
        if bodies:
            return bodies[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {email} saying {contains!r}; got {site.smtp.bodies_to(email)!r}")
        time.sleep(0.1)


def _due_date(site, email: str, lang: str) -> str:
    """The deletion date as the person is told it: the request time plus the grace period."""
    from flask_babel import force_locale, format_date

    from app.privacy.deletion import deletion_due_at

    with site.acting() as session, force_locale(lang):
        due = deletion_due_at(site.user(session, email))
        assert due is not None, "no deletion pending"
        return format_date(due, "long")


def _request_deletion(me: Person, password: str, keep: bool) -> None:
    """From the profile to "Slett kontoen min", choose, re-enter the password, send."""
    me.page.goto(with_lang("/profile", me.lang))
    me.main().get_by_role("link", name=me.t("Slett kontoen min"), exact=True).click()
    expect(me.page.get_by_role("heading", level=1, name=me.t("Slett kontoen min"))).to_be_visible()
    choice = (me.t("La dem stå under «Tidligere deltaker», uten navnet mitt") if keep
              else me.t("Fjern ideene og kommentarene mine"))
    me.page.get_by_role("radio", name=choice).check()
    me.page.get_by_label(me.t("Passordet ditt")).fill(password)
    me.main().get_by_role("button", name=me.t("Slett kontoen min")).click()


# --- 1. export, open the ZIP, delete, cancel within the grace period, delete for real -------


@pytest.mark.parametrize("lang", LANGS)
def test_resident_exports_their_data_deletes_cancels_and_is_deleted(new_context, site, lang, tmp_path):
    from app.demo import DEMO_PASSWORD

    site.require("privacy.mine", "privacy.export_mine", "privacy.delete_account")
    history = _resident_with_history(site, lang, make_png(tmp_path / "varden.png", colour=(40, 90, 160)))
    email = history["email"]
    # Keep what they wrote in bokmål, remove it in English: both choices are walked.
    keep = lang == "nb"
    context = new_context(user=email, lang=lang)
    me = Person(context.new_page(), site, lang)

    # "Mine data" from the profile: what Medvirk holds, grouped, with counts.
    me.page.goto(with_lang("/profile", lang))
    me.main().get_by_role("link", name=me.t("Mine data: se og last ned det vi har om deg")).click()
    expect(me.page.get_by_role("heading", level=1, name=me.t("Mine data"))).to_be_visible()
    held = me.main().get_by_role("table", name=me.t("Det vi har om deg"))
    expect(held).to_be_visible()
    expect(me.main().get_by_role("link", name=history["pictured_title"])).to_be_visible()
    me.axe_clean("Mine data")

    # The download: a ZIP, saved and opened here.
    with me.page.expect_download() as download_info:
        me.main().get_by_role("button", name=me.t("Last ned dataene mine")).click()
    download = download_info.value
    assert re.fullmatch(r"medvirk-data-\d+-\d{8}\.zip", download.suggested_filename), download.suggested_filename
    archive_path = tmp_path / download.suggested_filename
    download.save_as(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        names = set(archive.namelist())
        json_files = {name for name in names if name.endswith(".json")}
        assert json_files == documented_files(), (
            f"ZIP and docs/export-format.md disagree: only in the ZIP {sorted(json_files - documented_files())}, "
            f"only documented {sorted(documented_files() - json_files)}"
        )
        files = {name: json.loads(archive.read(name)) for name in json_files}
        archive.extractall(tmp_path / "export")
    for name, content in files.items():
        kind = name.removesuffix(".json")
        assert (content["format"], content["version"], content["kind"]) == ("medvirk-export", 1, kind), name
    assert files["account.json"]["account"]["email"] == email
    ideas = {idea["id"]: idea for idea in files["ideas.json"]["ideas"]}
    assert set(ideas) == {history["pictured"], history["answered"]}
    [picture] = ideas[history["pictured"]]["images"]
    assert picture["alt_text"] == "Utsikten fra Varden en klar dag"
    assert picture["file"] in names and picture["file"].startswith("images/"), picture
    assert (tmp_path / "export" / picture["file"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [a["explanation"] for a in files["ideas.json"]["answers"]] == ["Vi ser på lysforholdene på snarveien i høst."]
    assert sorted(v["idea_id"] for v in files["votes.json"]["votes"]) == sorted(history["voted"])
    assert [c["body"] for c in files["comments.json"]["comments"]] == [history["comment"]]
    assert files["sign_ins.json"]["sign_ins"], "the sign-in that started this session is not in the export"

    # index.html renders from disk, in the person's language, with their picture.
    overview = context.new_page()
    overview.goto((tmp_path / "export" / "index.html").as_uri())
    assert overview.evaluate("() => document.documentElement.lang") == lang
    expect(overview.get_by_role("heading", level=1, name=me.t("Dataene dine i Medvirk"))).to_be_visible()
    expect(overview.get_by_role("heading", level=3, name=history["pictured_title"])).to_be_visible()
    # When it was made, as the person reads a time (not the ISO stamp of the JSON files).
    intro = overview.get_by_role("main").locator("p").first
    expect(intro).not_to_contain_text(re.compile(r"\d{4}-\d\d-\d\dT"))
    expect(intro).to_contain_text(re.compile(r"\d\d:\d\d"))
    overview.screenshot(path=str(_shots_folder() / f"export-index-{lang}.png"), full_page=True)
    image = overview.get_by_role("img", name="Utsikten fra Varden en klar dag")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the picture in index.html does not load"
    # From disk there is no site to serve axe: the script goes in from the file.
    overview.add_script_tag(path=str(axe_source_path()))
    violations = run_axe(overview)
    assert not violations, "index.html of the export:\n" + format_violations(violations)
    overview.close()

    # "Delete my account": without the password it is refused next to the field, choice kept.
    _request_deletion(me, "ikke-passordet-mitt", keep)
    password_field = me.page.get_by_label(me.t("Passordet ditt"))
    expect(password_field).to_have_attribute("aria-invalid", "true")
    me.says("Passordet er feil. Prøv igjen.")
    choice = (me.t("La dem stå under «Tidligere deltaker», uten navnet mitt") if keep
              else me.t("Fjern ideene og kommentarene mine"))
    expect(me.page.get_by_role("radio", name=choice)).to_be_checked()
    me.axe_clean("the delete page with a wrong password")

    # With the password: logged out, told the date, and the same date by e-mail.
    me.page.get_by_label(me.t("Passordet ditt")).fill(DEMO_PASSWORD)
    me.main().get_by_role("button", name=me.t("Slett kontoen min")).click()
    date = _due_date(site, email, lang)
    me.says("Kontoen din blir slettet %(date)s. Vi har sendt deg en e-post om det. Logger du inn før "
            "det, blir den ikke slettet.", date=date)
    expect(me.page.get_by_role("navigation", name=me.t("Hovedmeny")).get_by_role(
        "link", name=me.t("Logg inn"))).to_be_visible()
    body = _mail_to(site, email, date)
    assert me.t("Du har bedt om å få slettet kontoen din i Medvirk. Den blir slettet %(date)s.", date=date) in body
    assert me.t("Ombestemte du deg? Logg inn før %(date)s, så blir kontoen ikke slettet:", date=date) in body
    assert f"{site.url}/login" in body
    # Every session ended: the profile asks for a login.
    me.page.goto(with_lang("/profile", lang))
    expect(me.page).to_have_url(re.compile(r"/login"))

    # Signing in within the grace period cancels it, and says so.
    me.log_in(email)
    me.says("Du logget inn, så kontoen din blir ikke slettet. Sletting er avbrutt.")
    with site.context() as session:
        assert site.user(session, email).deletion_requested_at is None

    # Asked again; the grace period passes (the request moved back in time); the job runs.
    mails_before = len(site.smtp.bodies_to(email))
    _request_deletion(me, DEMO_PASSWORD, keep)
    date = _due_date(site, email, lang)
    me.says("Kontoen din blir slettet %(date)s. Vi har sendt deg en e-post om det. Logger du inn før "
            "det, blir den ikke slettet.", date=date)
    _mail_to(site, email, date)
    assert len(site.smtp.bodies_to(email)) == mails_before + 1
    _backdate_request(site, email)
    result = site.app.test_cli_runner().invoke(args=["privacy", "enforce"])
    assert result.exit_code == 0, result.output
    completed = re.search(r"account deletions completed \(grace period over\): (\d+)", result.output)
    assert completed and int(completed.group(1)) >= 1, result.output

    # Gone: no account, no login, and what stays reads "Tidligere deltaker" in the reader's language.
    with site.context() as session:
        assert site.user(session, email) is None
    me.log_in(email)
    expect(me.main().get_by_text(me.t("E-postadressen eller passordet er feil. Sjekk begge og prøv igjen."))
           .first).to_be_visible()
    former = me.t("Tidligere deltaker")
    me.page.goto(with_lang(f"/ideas/{history['answered']}", lang))
    expect(me.page.get_by_role("heading", level=1, name=history["answered_title"])).to_be_visible()
    expect(me.main().get_by_text(me.t("Skrevet av %(name)s", name=former))
           .or_(me.main().get_by_text(me.t("Foreslått av %(name)s", name=former))).first).to_be_visible()
    expect(me.main()).not_to_contain_text("Petra Personvern")
    response = me.page.goto(with_lang(f"/ideas/{history['pictured']}", lang))
    if keep:
        expect(me.page.get_by_role("heading", level=1, name=history["pictured_title"])).to_be_visible()
        expect(me.main()).to_contain_text(former)
    else:
        assert response is not None and response.status == 404, "a removed idea is still there"
    me.page.goto(with_lang(f"/ideas/{history['commented']}", lang))
    if keep:
        expect(me.main().get_by_text(history["comment"])).to_be_visible()
    else:
        expect(me.main().get_by_text(history["comment"])).to_have_count(0)
    expect(me.main()).not_to_contain_text("Petra Personvern")
    # The refused password (422) and the removed idea (404) answered as they should.
    expected = re.compile(r"^Failed to load resource: .* (422|404) .*\[[^\]]*/(profile/delete|ideas/\d+)(\?[^\]]*)?\]$")
    assert not [p for p in page_problems(context) if not expected.search(p)]


def _backdate_request(site, email: str) -> None:
    """Move the pending request back past the grace period, as if the days had passed."""
    from sqlalchemy import update

    from app.accounts.models import User
    from app.core.db import utcnow
    from app.privacy.deletion import grace_days

    with site.context() as session:
        session.execute(update(User).where(User.email == email).values(
            deletion_requested_at=utcnow() - timedelta(days=grace_days(), minutes=5)))
        session.commit()


# --- 2. the privacy pages on a phone and a desktop ------------------------------------------


def _staff_person_path(site) -> str:
    from sqlalchemy import select

    from app.accounts.models import User

    email = site.user_email("resident", 3)
    with site.context() as session:
        user_id = session.scalar(select(User.id).where(User.email == email))
    return f"/admin/privacy/people/{user_id}"


SHOTS = [
    ("mine-data", "resident", lambda site: "/profile/data", None),
    ("delete-with-error", "resident", lambda site: "/profile/delete", "wrong-password"),
    ("policy", None, lambda site: "/privacy", None),
    ("staff-search", "admin", lambda site: "/admin/privacy?q=a", None),
    ("staff-person", "admin", _staff_person_path, None),
]


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("shot", SHOTS, ids=[s[0] for s in SHOTS])
def test_privacy_pages_fit_a_phone_and_a_desktop(new_context, site, shot, size):
    """Screenshots in artifacts/screenshots/privacy/ (look at them), and no sideways scroll."""
    name, who, path_of, prepare = shot
    site.require("privacy.mine", "privacy.delete_account", "privacy.policy", "privacy.staff_person")
    email = site.user_email(who) if who else None
    phone = size == "phone"
    page = new_context(user=email, viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone).new_page()
    me = Person(page, site, "nb")
    page.goto(with_lang(path_of(site), "nb"))
    if prepare == "wrong-password":
        page.get_by_role("radio", name=me.t("Fjern ideene og kommentarene mine")).check()
        page.get_by_label(me.t("Passordet ditt")).fill("ikke-passordet-mitt")
        me.main().get_by_role("button", name=me.t("Slett kontoen min")).click()
        me.says("Passordet er feil. Prøv igjen.")
    page.screenshot(path=str(_shots_folder() / f"{name}-{size}.png"), full_page=True)
    problems = overflow_problems(page)
    assert not problems, f"{name} on a {size}:\n" + "\n".join(problems)
