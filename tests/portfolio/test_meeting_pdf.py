"""The meeting document: a tagged PDF made on the server, read back with pypdf: the agenda, the
board's ranking, the budget line and the decisions are in it, with its title and language;
it loads the vendored font and nothing from anywhere else."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.portfolio import meeting_document, meetings
from app.portfolio.models import AgendaItem, ProjectPhase
from tests.factories import login, make_user
from tests.portfolio.conftest import make_criteria, make_project
from tests.portfolio.test_meetings import score


@pytest.fixture
def held(app, manager):
    make_criteria()
    school = make_project("Trygg skolevei", cost=4_000_000)
    archive = make_project("Nytt sak- og arkivsystem", cost=3_000_000, public=False)
    lights = make_project("Lys i lysløypa", cost=2_000_000, phase=ProjectPhase.PLANNED)
    score(school, 5)
    score(archive, 3)
    score(lights, 1)
    guest = make_user(role=Role.MODERATOR, name="Mona Moderator")
    meeting = meetings.create_meeting(manager, {
        "title": "Porteføljeforum mars", "meeting_date": "2026-03-10", "participant_ids": [manager.id, guest.id],
        "guests": "Kari Konsulent", "budget": "6 000 000"})
    meetings.add_to_agenda(manager, meeting, [lights.id, archive.id, school.id])
    item = {i.project_id: i.id for i in db.session.scalars(select(AgendaItem))}
    meetings.record_meeting_decision(manager, meeting, item[school.id], {
        "outcome": "prioritised", "rationale": "Barna går langs en trafikkert vei."})
    meetings.record_meeting_decision(manager, meeting, item[archive.id], {
        "outcome": "deferred", "deferred_to": "2026-09-01", "rationale": "Venter på anbudet."})
    meetings.record_meeting_decision(manager, meeting, item[lights.id], {
        "outcome": "merged", "merged_into_id": school.id, "rationale": "Løses sammen med skoleveien."})
    meetings.update_meeting(manager, meeting, {"status": "held"})
    return meeting


def _pdf(client, meeting, lang=None) -> tuple[PdfReader, str, bytes]:
    url = f"/staff/meetings/{meeting.id}/document.pdf" + (f"?lang={lang}" if lang else "")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split()), data


def test_the_document_holds_agenda_ranking_budget_and_decisions(client, manager, held):
    login(client, manager)
    _reader, text, _data = _pdf(client, held)
    for words in ("Porteføljeforum mars", "Per Porteføljesen", "Mona Moderator", "Kari Konsulent",
                  "Saksliste", "Rangering på prioriteringstavla", "Beslutninger",
                  "Trygg skolevei", "Nytt sak- og arkivsystem", "Lys i lysløypa",
                  "Prioritert", "Barna går langs en trafikkert vei.",
                  "Utsatt", "utsatt til 1. sep. 2026", "Venter på anbudet.",
                  "Slått sammen", "slått sammen med «Trygg skolevei»",
                  "Budsjettramme", "over budsjettlinjen", "innenfor"):
        assert words in text, words
    # The budget line: 6 million, 4 prioritised, 2 left.
    assert "6 000 000 kr" in text.replace("\u00a0", " ") and "igjen av rammen: 2 000 000 kr" in text.replace("\u00a0", " ")
    # The ranking lists the agenda in the board's order.
    ranking = text[text.index("Rangering på prioriteringstavla"):text.index("Beslutninger", text.index("Rangering"))]
    assert ranking.index("Trygg skolevei") < ranking.index("Nytt sak- og arkivsystem") < ranking.index("Lys i lysløypa")


def test_the_document_is_tagged_with_its_title_and_language(client, manager, held):
    login(client, manager)
    reader, _text, _data = _pdf(client, held)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "not a tagged PDF"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "nb"
    assert reader.metadata.title == "Møte i porteføljeforumet: Porteføljeforum mars"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("Inter" in name for name in fonts), fonts  # the vendored font is embedded
    assert any("Inter-Bold" in name for name in fonts), fonts  # headings in bold


def test_the_document_is_in_the_readers_language(client, manager, held):
    login(client, manager)
    reader, text, _data = _pdf(client, held, lang="en")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Porteføljeforum mars" in text  # what staff wrote stays as written


def test_the_document_is_for_staff(app, held):
    url = f"/staff/meetings/{held.id}/document.pdf"
    assert app.test_client().get(url).status_code == 302
    resident, moderator = app.test_client(), app.test_client()
    login(resident, make_user())
    assert resident.get(url).status_code == 403
    login(moderator, make_user(role=Role.MODERATOR))
    assert moderator.get(url).status_code == 200


@pytest.mark.parametrize("url", [
    "https://fonts.example.com/inter.woff2",
    "http://127.0.0.1:6379/",
    "file:///etc/passwd",
    "data:text/plain,hei",
    f"{meeting_document.SCHEME}../../../../etc/passwd",
    f"{meeting_document.SCHEME}%2e%2e/%2e%2e/app/config.py",
    f"{meeting_document.SCHEME}vendor/inter/files/finnes-ikke.woff2",
])
def test_the_fetcher_refuses_anything_but_a_static_file(app, url):
    fetcher = meeting_document.static_files_only(app.static_folder)
    with pytest.raises(ValueError):
        fetcher(url)


def test_the_fetcher_serves_the_vendored_font(app):
    fetcher = meeting_document.static_files_only(app.static_folder)
    fonts = sorted((Path(app.static_folder) / "vendor/inter/files").glob("*.woff2"))
    if not fonts:
        pytest.skip("static/vendor is not installed (make vendor)")
    name = fonts[0].relative_to(app.static_folder).as_posix()
    response = fetcher(meeting_document.SCHEME + name)
    assert response.read()[:4] == b"wOF2"
    with app.test_request_context("/"):
        assert f"url({meeting_document.SCHEME}vendor/inter/files/" in meeting_document.font_css()


def test_a_document_that_asks_for_a_web_font_is_made_without_it(app):
    """A stylesheet pointing elsewhere costs a warning, never a request."""
    HTML = meeting_document._weasyprint().HTML

    asked = []

    class Counting(type(meeting_document.static_files_only(app.static_folder))):
        def fetch(self, url, headers=None):
            asked.append(url)
            return super().fetch(url, headers)

    html = ('<html lang="nb"><head><title>T</title><style>@font-face { font-family: X; '
            'src: url("https://fonts.example.com/x.woff2"); } body { font-family: X; }</style></head>'
            '<body><p>Hei</p></body></html>')
    pdf = HTML(string=html, base_url=meeting_document.SCHEME, url_fetcher=Counting(app.static_folder)).write_pdf()
    assert pdf.startswith(b"%PDF") and asked == ["https://fonts.example.com/x.woff2"]
