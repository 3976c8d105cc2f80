"""Journeys through Medvirk as people make them, by mouse, driven by what a person sees: roles
and accessible names, never CSS selectors. Every text is looked up in the message catalogue for
the journey's language, so the same journey runs in bokmål and in English.
"""

import csv
import io
import itertools
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    error_link_problems,
    format_violations,
    make_png,
    page_problems,
    run_axe,
)

_n = itertools.count(1)
CONFIRM_LINK = r"https?://\S+/confirm/\S+"


class Person:
    """A person at the browser: looks for things by their role and their name on the page."""

    def __init__(self, page: Page, site, lang: str = "nb"):
        self.page = page
        self.site = site
        self.lang = lang

    def t(self, msgid: str, **values) -> str:
        return self.site.t(self.lang, msgid, **values)

    def link(self, msgid: str, exact: bool = False, **values):
        return self.page.get_by_role("link", name=self.t(msgid, **values), exact=exact)

    def button(self, msgid: str, exact: bool = False, **values):
        return self.page.get_by_role("button", name=self.t(msgid, **values), exact=exact)

    def field(self, msgid: str, exact: bool = False, **values):
        text = self.t(msgid, **values)
        if exact:  # the whole label, give or take the mark of a required field
            return self.page.get_by_label(re.compile(r"^\s*" + re.escape(text) + r"\s*\*?\s*$"))
        return self.page.get_by_label(text)

    def select(self, msgid: str, **values):
        """A drop-down list by its label (a region may carry the same name)."""
        text = self.t(msgid, **values)
        return self.page.get_by_role("combobox", name=re.compile(r"^\s*" + re.escape(text) + r"\s*\*?\s*$"))

    def picture(self, n: int = 1):
        """The file field of picture slot n: "Velg bilde" inside the group "Bilde n"."""
        group = self.page.get_by_role("group", name=self.t("Bilde %(n)d", n=n), exact=True)
        return group.get_by_label(self.t("Velg bilde"))

    def heading(self, msgid: str, level: int | None = None, **values):
        return self.page.get_by_role("heading", name=self.t(msgid, **values), level=level)

    def says(self, msgid: str, **values):
        expect(self.page.get_by_text(self.t(msgid, **values)).first).to_be_visible()

    def main(self):
        return self.page.get_by_role("main")

    def axe_clean(self, where: str) -> None:
        violations = run_axe(self.page)
        assert not violations, f"{where}:\n" + format_violations(violations)


def _person(new_context, site, email=None, lang="nb", js=True) -> Person:
    page = new_context(user=email, lang=lang, js=js).new_page()
    page.goto(f"/?lang={lang}")
    return Person(page, site, lang)


def register(me: Person, name: str, email: str, password: str) -> None:
    me.page.get_by_role("navigation", name=me.t("Hovedmeny")).get_by_role(
        "link", name=me.t("Registrer deg")).click()
    expect(me.heading("Registrer deg", level=1)).to_be_visible()
    me.field("Fullt navn").fill(name)
    me.field("E-postadresse").fill(email)
    me.field("Passord", exact=True).fill(password)
    me.field("Jeg har lest personvernerklæringen og godtar at opplysningene mine lagres").check()
    me.main().get_by_role("button", name=me.t("Registrer deg")).click()
    expect(me.heading("Sjekk e-posten din", level=1)).to_be_visible()


# --- 1. A newcomer registers, confirms, proposes an idea with a picture, finds it -----------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_newcomer_registers_confirms_proposes_with_image_and_finds_the_idea(new_context, site, lang, tmp_path):
    me = _person(new_context, site, lang=lang)
    n = next(_n)
    email = f"ny-innbygger-{n}-{lang}@example.no"
    register(me, "Nora Nykommer", email, "et-langt-og-godt-passord-42")

    # The confirmation link, read from the real SMTP server.
    link = site.smtp.link_to(email, CONFIRM_LINK)
    me.page.goto(link)
    me.says("Takk! E-postadressen din er bekreftet, og du kan nå delta.")

    site.require("ideas.create", "ideas.detail", "ideas.index")
    me.page.get_by_role("link", name=me.t("Foreslå en idé")).first.click()
    expect(me.heading("Foreslå en idé", level=1)).to_be_visible()
    title = f"Tryggere skolevei i Nordbygda med lys og fortau {n}"
    me.field("Tittel", exact=True).fill(title)
    me.field("Beskrivelse", exact=True).fill(
        "Skoleveien langs fylkesveien i Nordbygda mangler fortau og lys. Barna går i veikanten "
        "om morgenen. Jeg foreslår fortau og gatelys fra skolen til butikken."
    )
    # Area names are shown in the page's language (bokmål, nynorsk or English).
    from app.demo_content import SERVICE_AREA_NAMES

    road = {"nb": "Vei og trafikk", "nn": SERVICE_AREA_NAMES["Vei og trafikk"][0],
            "en": SERVICE_AREA_NAMES["Vei og trafikk"][1]}[me.lang]
    me.select("Tema").select_option(label=road)
    me.page.get_by_role("checkbox", name=re.compile(r"\b11\b")).check()
    me.field("Sted (valgfritt)").fill("Nordbygda")
    picture = make_png(tmp_path / "veikant.png")
    me.picture(1).set_input_files(picture)
    alt = "Barn som går i veikanten uten fortau"
    me.field("Hva viser bilde %(n)d?", n=1).fill(alt)
    me.button("Gå videre").click()

    # Similar ideas are shown before publishing.
    expect(me.heading("Finnes idéen allerede?", level=1)).to_be_visible()
    expect(me.main().get_by_role("article").first).to_be_visible()
    me.axe_clean("the similar-ideas step")
    me.button("Publiser idéen min").click()

    expect(me.page.get_by_role("heading", level=1, name=title)).to_be_visible()
    me.says("Idéen din er publisert. Takk for at du deler den!")
    expect(me.page.get_by_role("img", name=alt)).to_be_visible()

    # Found by a word from it.
    me.page.get_by_role("navigation", name=me.t("Hovedmeny")).get_by_role("link", name=me.t("Idéer")).click()
    me.field("Søk i idéene").fill(f"fortau {n}")
    me.page.get_by_role("search").get_by_role("button", name=me.t("Søk"), exact=True).click()
    expect(me.main().get_by_role("link", name=title)).to_be_visible()
    assert not page_problems(me.page.context)


# --- 2. Another resident votes, takes it back, comments, replies, reports -------------------


def _vote_box(me: Person):
    return me.page.get_by_role("complementary", name=me.t("Stem og støtt"))


def _count_text(me: Person, n: int) -> str:
    return f"{n} " + (me.t("stemme") if n == 1 else me.t("stemmer"))


@pytest.mark.parametrize("js", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_resident_votes_and_takes_the_vote_back(new_context, site, js):
    site.require("ideas.detail", "ideas.vote")
    author = site.user_email("resident", 1)
    idea_id = site.make_idea(author, f"Benker langs turstien ved Fjordparken {next(_n)}")
    voter = site.new_resident("Vera Velger")
    me = _person(new_context, site, voter, js=js)
    me.page.goto(f"/ideas/{idea_id}")
    box = _vote_box(me)
    expect(box).to_contain_text(_count_text(me, 0))
    box.get_by_role("button", name=me.t("Stem på idéen")).click()
    expect(box).to_contain_text(_count_text(me, 1))
    withdraw = box.get_by_role("button", name=me.t("Trekk tilbake stemmen"))
    expect(withdraw).to_be_visible()
    if js:
        # Updated in place: the page stays, focus stays on the button, the change is announced.
        expect(withdraw).to_be_focused()
        expect(box.locator("[aria-live]").filter(has_text=me.t("Stemmen din er registrert."))).to_have_count(1)
    else:
        me.says("Takk for stemmen! Idéen har nå %(num)d stemme.", num=1)
    withdraw.click()
    expect(box).to_contain_text(_count_text(me, 0))
    expect(box.get_by_role("button", name=me.t("Stem på idéen"))).to_be_visible()
    if js:
        expect(box.locator("[aria-live]").filter(has_text=me.t("Stemmen din er trukket tilbake."))).to_have_count(1)
    else:
        me.says("Stemmen din er trukket tilbake.")
    assert not page_problems(me.page.context)


def test_a_vote_the_server_refuses_shows_why_where_everybody_sees_it(new_context, site):
    # The page was loaded before a moderator blocked the voter. Before, the API's 403 went into
    # a status only a screen reader hears, and nothing visible happened on the click.
    from app.accounts import services as accounts

    site.require("ideas.detail", "ideas.vote")
    idea_id = site.make_idea(site.user_email("resident", 1), f"Lys i undergangen ved stasjonen {next(_n)}")
    voter = site.new_resident("Bente Blokkert")
    me = _person(new_context, site, voter, js=True)
    me.page.goto(f"/ideas/{idea_id}")
    with site.acting() as session:
        accounts.block_user(site.user(session, site.user_email("admin")), site.user(session, voter),
                            "Gjentatte personangrep")
    _vote_box(me).get_by_role("button", name=me.t("Stem på idéen")).click()
    me.says("Kontoen din er blokkert fra å delta. Du kan fortsatt lese alt.")
    expect(_vote_box(me)).to_contain_text(_count_text(me, 0))


def test_resident_comments_replies_and_reports_a_comment(new_context, site):
    site.require("ideas.detail", "comments.create", "moderation.report")
    author = site.user_email("resident", 2)
    idea_id = site.make_idea(author, f"Flere søppelbøtter på Holmen badeplass {next(_n)}")
    other = site.user_email("resident", 3)
    rude = site.make_comment(other, idea_id, f"Dette er et dumt forslag fra en idiot {next(_n)}.")
    me = _person(new_context, site, site.new_resident("Kari Kommentar"))
    me.page.goto(f"/ideas/{idea_id}")

    text = f"Enig! Det flyter med søppel etter fine dager {next(_n)}."
    me.field("Skriv en kommentar").fill(text)
    me.button("Publiser kommentaren").click()
    me.says("Kommentaren din er publisert.")
    mine = me.page.get_by_role("article").filter(has_text=text)
    expect(mine).to_be_visible()

    # Reply to the other comment: the reply form opens under it.
    del rude
    theirs = me.page.get_by_role("listitem").filter(
        has=me.page.get_by_role("article").filter(has_text="dumt forslag")).first
    theirs.get_by_text(f"{me.t('Svar')} {me.t('på kommentaren')}", exact=True).first.click()
    reply = f"Vi kan være uenige uten å kalle hverandre navn {next(_n)}."
    theirs.get_by_label(me.t("Ditt svar")).fill(reply)
    theirs.get_by_role("button", name=me.t("Publiser svaret")).click()
    me.says("Svaret ditt er publisert.")
    expect(me.page.get_by_role("article").filter(has_text=reply)).to_be_visible()

    # Report the rude comment.
    rude_article = me.page.get_by_role("article").filter(has_text="dumt forslag")
    rude_article.get_by_role("link", name=re.compile("^" + re.escape(me.t("Rapporter")))).click()
    expect(me.heading("Rapporter kommentaren", level=1)).to_be_visible()
    me.page.get_by_role("radio", name=me.t("Hets, trusler eller krenkende innhold")).check()
    me.field("Kommentar til moderatorene (valgfritt)").fill("Kaller forslagsstilleren idiot.")
    me.button("Send rapporten").click()
    expect(me.page.get_by_role("heading", level=1)).to_be_visible()
    me.axe_clean("the report-sent page")
    me.page.goto("/my/reports")
    expect(me.main()).to_contain_text("dumt forslag")
    assert not page_problems(me.page.context)


# --- 3. Three reports hide a comment; the moderator decides; the author appeals -------------


def test_three_reports_hide_a_comment_the_moderator_decides_and_the_author_appeals(new_context, site):
    site.require("moderation.queue", "moderation.item", "moderation.appeal", "notifications.messages")
    idea_id = site.make_idea(site.user_email("resident", 4), f"Gatelys i Vestre Lia {next(_n)}")
    author = site.new_resident("Arne Aggressiv")
    words = f"Naboen i nummer {next(_n)} er en kjeltring som burde flytte"
    comment_id = site.make_comment(author, idea_id, words + ".")
    reporters = [site.new_resident(f"Rita Rapport{chr(65 + i)}") for i in range(3)]
    # Two reports through the page, as readers make them; the third through the service.
    for email in reporters[:2]:
        reader = _person(new_context, site, email)
        reader.page.goto(f"/ideas/{idea_id}")
        reader.page.get_by_role("article").filter(has_text=words).get_by_role(
            "link", name=re.compile("^" + re.escape(reader.t("Rapporter")))).click()
        reader.page.get_by_role("radio", name=reader.t("Hets, trusler eller krenkende innhold")).check()
        reader.button("Send rapporten").click()
        expect(reader.page).to_have_url(re.compile(r"/sent"))
    site.report(reporters[2], "comment", comment_id)

    # The public sees a placeholder, never the text.
    visitor = _person(new_context, site)
    visitor.page.goto(f"/ideas/{idea_id}")
    expect(visitor.main()).not_to_contain_text(words)
    expect(visitor.main()).to_contain_text(visitor.t("Rapportert av flere lesere, venter på vurdering"))

    # The moderator finds it hidden in the queue and decides.
    moderator = _person(new_context, site, site.user_email("moderator"))
    moderator.page.get_by_role("navigation", name=moderator.t("Hovedmeny")).get_by_role(
        "link", name=re.compile(re.escape(moderator.t("Moderering")))).click()
    moderator.select("Status").select_option(label=moderator.t("Skjult, venter på vurdering"))
    moderator.button("Vis", exact=True).click()
    entry = moderator.page.get_by_role("listitem").filter(has_text=words).first
    expect(entry).to_be_visible()
    entry.get_by_role("link").filter(has_text=re.compile(r"\w")).first.click()
    moderator.select("Avgjørelse").select_option(label=moderator.t("Skjul"))
    moderator.select("Begrunnelse").select_option(label=moderator.t("Hets, trusler eller krenkende innhold"))
    moderator.field("Melding til forfatteren (valgfritt)").fill("Skriv om saken, ikke om naboen.")
    moderator.button("Lagre avgjørelsen").click()
    expect(moderator.page.get_by_role("alert").or_(moderator.page.get_by_role("status")).first).to_be_visible()

    # The author reads the notice and appeals.
    me = _person(new_context, site, author)
    me.page.get_by_role("link", name=re.compile("^" + re.escape(me.t("Meldinger")))).click()
    notice = me.main().get_by_text("Skriv om saken, ikke om naboen.")
    expect(notice.first).to_be_visible()
    me.page.goto(f"/ideas/{idea_id}")
    me.page.get_by_role("link", name=me.t("Hvorfor er dette skjult? Klag")).click()
    me.page.get_by_role("textbox").first.fill("Jeg mente ikke å henge ut naboen, men saken er viktig.")
    me.button("Send klagen").click()
    me.says("Klagen er sendt. En moderator ser på den, og du får beskjed om avgjørelsen.")
    assert not page_problems(me.page.context)


# --- 4. A portfolio manager answers, links to a project, posts an update; the author sees it -


def test_portfolio_manager_answers_links_and_updates_and_the_author_sees_it(new_context, site):
    site.require("portfolio.answer_idea", "portfolio.project", "portfolio.link_project")
    author = site.new_resident("Ola Opphav")
    title = f"Gang- og sykkelvei til Sørvika {next(_n)}"
    idea_id = site.make_idea(author, title)
    pm = _person(new_context, site, site.user_email("portfolio_manager"))
    pm.page.goto(f"/ideas/{idea_id}")
    pm.link("Åpne svarsiden").click()
    pm.select("Ny status").select_option(label=pm.t("Til vurdering"))
    pm.field("Offentlig begrunnelse").first.fill("Vi ser på dette sammen med trafikksikkerhetsplanen.")
    pm.button("Lagre svaret").click()

    # The project is found by typing its title (suggestions while typing, chosen with the keyboard).
    from sqlalchemy import select as sql_select

    from app.portfolio.models import Project, ProjectPhase

    with site.context() as session:
        project_name = session.scalar(
            sql_select(Project.title).where(Project.public.is_(True), Project.phase != ProjectPhase.CANCELLED)
            .order_by(Project.id).limit(1))
    search = pm.select("Finn prosjektet")
    search.press_sequentially(" ".join(project_name.split()[:2]), delay=20)
    expect(pm.main().get_by_role("option").filter(has_text=project_name).first).to_be_visible()
    for _step in range(11):  # at most 10 suggestions
        search.press("ArrowDown")
        active = pm.main().get_by_role("option", selected=True)
        if active.count() and project_name in (active.first.text_content() or ""):
            break
    search.press("Enter")
    pm.says("Valgt: %(title)s", title=project_name)
    pm.field("Offentlig merknad").fill("Idéen inngår i prosjektet for tryggere skoleveier.")
    pm.button("Koble til prosjektet").click()

    pm.page.get_by_role("link", name=project_name.strip()).first.click()
    update = f"Anbudet er lyst ut, og arbeidet starter i mai {next(_n)}."
    pm.field("Hva har skjedd?").fill(update)
    pm.button("Publiser oppdateringen").click()
    expect(pm.main()).to_contain_text(update)

    me = _person(new_context, site, author)
    me.page.goto(f"/ideas/{idea_id}")
    expect(me.main()).to_contain_text("trafikksikkerhetsplanen")
    expect(me.main()).to_contain_text(update)
    expect(me.main().get_by_role("link", name=project_name.strip()).first).to_be_visible()
    assert not page_problems(me.page.context)


# --- 5. The board: an assessor scores, the board ranks, the CSV downloads --------------------


def test_assessor_scores_a_project_and_the_board_ranks_it_and_downloads_csv(new_context, site):
    site.require("portfolio.board", "portfolio.project_assess", "portfolio.board_csv")
    from sqlalchemy import select

    from app.portfolio.models import Project, ProjectPhase

    with site.context() as session:
        project_id, title = session.execute(
            select(Project.id, Project.title)
            .where(Project.phase.in_([ProjectPhase.PROPOSED, ProjectPhase.PLANNED]))
            .order_by(Project.id).limit(1)
        ).one()
    me = _person(new_context, site, site.user_email("portfolio_manager", 1))
    me.page.goto(f"/portfolio/projects/{project_id}")
    me.link("Gi din vurdering").click()
    groups = me.main().get_by_role("group")
    for index in range(groups.count()):
        groups.nth(index).get_by_label(me.t("Poengsum")).select_option("5")
    me.button("Lagre vurderingen").click()
    expect(me.page.get_by_role("alert").or_(me.page.get_by_role("status")).first).to_be_visible()

    me.page.get_by_role("navigation", name=me.t("Hovedmeny")).get_by_role(
        "link", name=me.t("Prioritering")).click()
    table = me.main().get_by_role("table")
    expect(table.get_by_role("row").filter(has_text=title)).to_be_visible()
    with me.page.expect_download() as download:
        me.link("Last ned tavlen (CSV)").click()
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 BOM for Excel"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) > 1 and any(title in ";".join(row) for row in rows)
    assert not page_problems(me.page.context)


# --- 6. Forms sent with mistakes: summary on top, messages by the fields, nothing lost ------


def _check_error_summary(me: Person, expected_fields: list[str]) -> None:
    """The summary is on top, names every mistake, and each link takes focus to its field."""
    expect(me.heading("Dette må rettes før du kan gå videre:")).to_be_visible()
    order = me.page.evaluate(
        """() => {
            const s = document.getElementById('error-summary');
            const f = document.querySelector('main form input:not([type=hidden]), main form textarea, main form select');
            return s && f ? !!(s.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) : null;
        }"""
    )
    assert order, "the error summary is not above the form"
    summary = me.page.locator("#error-summary")  # the id the page's own links point at
    targets = []
    for link in summary.get_by_role("link").all():
        href = link.get_attribute("href")
        targets.append(href.lstrip("#"))
        link.click()
        expect(me.page.locator(href)).to_be_focused()
    assert set(expected_fields) <= set(targets), f"summary links to {targets}, expected {expected_fields}"
    problems = error_link_problems(me.page)
    assert not problems, problems


def test_registration_with_mistakes_shows_summary_messages_and_keeps_input(new_context, site):
    me = _person(new_context, site)
    me.page.goto("/register?lang=nb")
    # First everything left out ...
    me.main().get_by_role("button", name=me.t("Registrer deg")).click()
    _check_error_summary(me, ["full_name", "email", "password", "accept_terms"])
    # ... then everything filled in, but wrong.
    me.field("Fullt navn").fill("Kari")
    me.field("E-postadresse").fill("kari-uten-krøllalfa")
    me.field("Passord", exact=True).fill("kort")
    me.field("Jeg har lest personvernerklæringen og godtar at opplysningene mine lagres").check()
    me.main().get_by_role("button", name=me.t("Registrer deg")).click()
    _check_error_summary(me, ["full_name", "email", "password"])
    for label in ("Fullt navn", "E-postadresse"):
        expect(me.field(label)).to_have_attribute("aria-invalid", "true")
    expect(me.field("Fullt navn")).to_have_value("Kari")
    expect(me.field("E-postadresse")).to_have_value("kari-uten-krøllalfa")
    expect(me.field("Jeg har lest personvernerklæringen og godtar at opplysningene mine lagres")).to_be_checked()
    # The password is the one thing a browser must not get back from the server.
    expect(me.field("Passord", exact=True)).to_have_value("")
    me.axe_clean("registration with errors")


def test_idea_form_with_mistakes_keeps_text_and_picture(new_context, site, tmp_path):
    site.require("ideas.create")
    me = _person(new_context, site, site.new_resident("Frida Feilskriver"))
    me.page.goto("/ideas/new")
    me.field("Tittel", exact=True).fill("Hei")
    me.field("Beskrivelse", exact=True).fill("For kort.")
    me.field("Sted (valgfritt)").fill("Havna")
    me.picture(1).set_input_files(make_png(tmp_path / "havna.png"))
    me.button("Gå videre").click()
    _check_error_summary(me, ["title", "body", "service_area_id"])
    expect(me.field("Tittel", exact=True)).to_have_value("Hei")
    expect(me.field("Beskrivelse", exact=True)).to_have_value("For kort.")
    expect(me.field("Sted (valgfritt)")).to_have_value("Havna")
    # The picture is kept on the server and shown again; no need to choose it twice.
    expect(me.field("Fjern bilde %(n)d", n=1)).to_be_visible()
    me.axe_clean("the idea form with errors")


def test_comment_with_mistakes_shows_the_error_and_keeps_the_text(new_context, site):
    site.require("comments.create")
    idea_id = site.make_idea(site.user_email("resident", 5), f"Lengre åpningstider på biblioteket {next(_n)}")
    me = _person(new_context, site, site.new_resident("Kåre Kortfattet"))
    me.page.goto(f"/ideas/{idea_id}")
    me.field("Skriv en kommentar").fill("x")
    me.button("Publiser kommentaren").click()
    _check_error_summary(me, ["body"])
    expect(me.page.get_by_role("textbox").first).to_have_value("x")
    me.axe_clean("the comment form with errors")


# --- The accessibility statement: a problem reported lands with the admins ------------------


def test_visitor_reports_an_accessibility_problem_and_an_admin_follows_it_up(new_context, site):
    visitor = _person(new_context, site)
    visitor.page.goto("/sdgs?lang=nb")
    visitor.page.get_by_role("contentinfo").get_by_role("link", name=visitor.t("Tilgjengelighetserklæring")).click()
    expect(visitor.heading("Tilgjengelighetserklæring", level=1)).to_be_visible()
    # The page the visitor came from is filled in already.
    expect(visitor.field("Hvor på nettstedet?")).to_have_value(re.compile(r"^/sdgs"))
    problem = f"Fargene på bærekraftsmålene er vanskelige å skille for meg {next(_n)}."
    visitor.field("Hva er problemet?").fill(problem)
    visitor.field("E-postadresse (valgfritt)").fill("svaksynt@example.no")
    visitor.button("Send meldingen").click()
    visitor.says("Takk! Meldingen er sendt til kommunen, som vil følge den opp.")

    admin_email = site.user_email("admin")
    assert any(problem in body for body in site.smtp.bodies_to(admin_email)), "no e-mail to the admin"
    admin = _person(new_context, site, admin_email)
    admin.page.get_by_role("navigation", name=admin.t("Hovedmeny")).get_by_role(
        "link", name=re.compile("^" + re.escape(admin.t("Tilgjengelighet")))).click()
    report = admin.main().get_by_role("article").filter(has_text=problem)
    expect(report).to_contain_text("svaksynt@example.no")
    report.get_by_role("button", name=re.compile("^" + re.escape(admin.t("Marker som behandlet")))).click()
    admin.says("Meldingen er markert som behandlet.")
    expect(admin.main().get_by_role("article").filter(has_text=problem)).to_have_count(0)
    assert not page_problems(admin.page.context)
