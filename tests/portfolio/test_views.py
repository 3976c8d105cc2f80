"""The portfolio pages: who may open what, what the pages show, the CSV downloads, and the
number of queries the heavy pages cost."""

import re

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, StatusChange
from app.notifications.models import Notice
from app.portfolio import services
from app.portfolio.models import Criterion, LocalTarget, Project, ProjectPhase
from tests.factories import login, make_service_area, make_user
from tests.portfolio.conftest import (
    add_votes,
    count_queries,
    make_criteria,
    make_idea,
    make_project,
)

ROLES = [None, Role.RESIDENT, Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN]
STAFF = {Role.MODERATOR, Role.PORTFOLIO_MANAGER, Role.ADMIN}
MANAGERS = {Role.PORTFOLIO_MANAGER, Role.ADMIN}
ADMINS = {Role.ADMIN}
EVERYONE = set(ROLES)


PAGES = [
    ("/portfolio", EVERYONE),
    ("/portfolio/projects/{project}", EVERYONE),
    ("/portfolio/projects/{internal}", STAFF),
    ("/sdgs", EVERYONE),
    ("/sdgs/11", EVERYONE),
    ("/staff/answers", MANAGERS),
    ("/staff/ideas/{idea}/answer", MANAGERS),
    ("/staff/projects/new", MANAGERS),
    ("/staff/projects/{project}/edit", MANAGERS),
    ("/staff/projects/{project}/assessment", STAFF),
    ("/staff/portfolio/board", STAFF),
    ("/staff/portfolio/board.csv", STAFF),
    ("/staff/portfolio/decisions", STAFF),
    ("/staff/portfolio/decisions.csv", STAFF),
    ("/admin/criteria", ADMINS),
    ("/admin/criteria/{criterion}", ADMINS),
    ("/admin/local-targets", ADMINS),
    ("/admin/local-targets/{target}", ADMINS),
    ("/admin/structure", ADMINS),
]


def _url(template: str, world: dict) -> str:
    return template.format(**{key: getattr(value, "id", value) for key, value in world.items()})


def _as(client, role):
    if role is not None:
        login(client, make_user(role=role))


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(("path", "allowed"), PAGES, ids=[p for p, _ in PAGES])
def test_page_permission_matrix(client, world, path, allowed, role):
    _as(client, role)
    response = client.get(_url(path, world))
    if role in allowed:
        assert response.status_code == 200
    elif "{internal}" in path:
        assert response.status_code == 404  # internal projects do not exist for the public
    elif role is None:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


POSTS = [
    ("/staff/ideas/{idea}/answer", {"status-status": "under_review", "status-explanation": ""}, MANAGERS),
    ("/staff/ideas/{other}/projects", {"link-project_id": "{project}", "link-note": "Med i prosjektet"}, MANAGERS),
    ("/staff/ideas/{idea}/merge", {"merge-into_id": "{other}", "merge-explanation": "Samme"}, MANAGERS),
    ("/staff/projects/{project}/ideas", {"link-idea_id": "{other}", "link-note": "Med"}, MANAGERS),
    ("/staff/projects/{project}/updates", {"update-text": "Nytt", "update-progress": "20"}, MANAGERS),
    ("/staff/projects/{project}/decisions", {"decision-meeting_date": "2026-03-01",
                                             "decision-outcome": "deferred", "decision-deferred_to": "2026-06-01",
                                             "decision-rationale": "Vent"}, MANAGERS),
    ("/staff/projects/{project}/assessment", {"score-risk": "4"}, STAFF),
    ("/admin/criteria", {"action": "weights", "weight-{criterion}": "7"}, ADMINS),
    ("/admin/local-targets", {"new-sdg": "7", "new-code": "7.1-L1", "new-text_nb": "Mål"}, ADMINS),
]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize(("path", "data", "allowed"), POSTS, ids=[p for p, _, _ in POSTS])
def test_form_post_permission_matrix(client, world, path, data, allowed, role):
    world["other"] = make_idea()
    _as(client, role)
    response = client.post(_url(path, world), data={_url(k, world): _url(v, world) for k, v in data.items()})
    if role in allowed:
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    elif role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


# --- internal projects are invisible to the public everywhere -------------------------------


def test_internal_projects_are_invisible_to_the_public_everywhere(client, world):
    idea = world["idea"]
    internal = world["internal"]
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    services.link_idea(manager, internal, idea, "Intern kobling")
    services.update_project(manager, internal, {"sdgs": [11, 16], "estimated_cost": 9_999_000})
    for role in (None, Role.RESIDENT):
        _as(client, role)
        listing = client.get("/portfolio").get_data(as_text=True)
        assert "Trygg skolevei" in listing and "Internt fagsystem" not in listing
        assert client.get(f"/portfolio/projects/{internal.id}").status_code == 404
        assert "Internt fagsystem" not in client.get("/sdgs/16").get_data(as_text=True)
        overview = client.get("/sdgs").get_data(as_text=True)
        assert "9 999 000" not in overview and "9\xa0999\xa0000" not in overview
        idea_page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert "Internt fagsystem" not in idea_page and "Trygg skolevei" in idea_page
    client.post("/logout")
    login(client, manager)
    assert "Internt fagsystem" in client.get("/portfolio").get_data(as_text=True)
    assert "Internt fagsystem" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


# --- what the pages show ----------------------------------------------------------------


def test_project_page_shows_ideas_votes_support_updates_and_safe_markdown(client, world):
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    project = world["project"]
    services.update_project(manager, project, {"description": "**Fortau** og <script>alert(1)</script>"})
    services.post_project_update(manager, project, "Gravingen er i gang.", 35)
    services.record_decision(manager, project, "2026-02-02", "prioritised", "Trygg skolevei først.")
    html = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "<strong>Fortau</strong>" in html
    assert "<script>alert" not in html
    assert "Fortau langs Skoleveien" in html and "2 stemmer" in html
    assert "2 personer har stemt på idéene" in html
    assert "Gravingen er i gang." in html and 'value="35"' in html
    assert "Trygg skolevei først." in html and "Prioritert" in html
    assert not re.search(r"\sstyle=", html)


def test_resident_sees_answer_project_and_update_on_the_idea_page_and_in_a_notice(client, world):
    author = make_user()
    idea = make_idea(author=author, title="Lys i lysløypa")
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    login(client, manager)
    client.post(f"/staff/ideas/{idea.id}/projects",
                data={"link-project_id": world["project"].id, "link-note": "Vi tar det med i prosjektet."})
    client.post(f"/staff/projects/{world['project'].id}/updates",
                data={"update-text": "Lysene er montert.", "update-progress": "80"})
    client.post("/logout")
    login(client, author)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Vi tar det med i prosjektet." in page
    assert "Trygg skolevei" in page and "Lysene er montert." in page
    kinds = db.session.scalars(select(Notice.kind).where(Notice.user_id == author.id).order_by(Notice.id)).all()
    assert kinds == ["portfolio.status", "portfolio.update"]


def test_a_missing_explanation_is_shown_next_to_the_field_and_the_choice_is_kept(client, world):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    response = client.post(f"/staff/ideas/{world['idea'].id}/answer",
                           data={"status-status": "declined", "status-explanation": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="status-explanation-error"' in html
    assert 'href="#status-explanation"' in html  # the error summary links to the field
    assert re.search(r'<option selected value="declined">|<option value="declined" selected', html)
    assert db.session.get(Idea, world["idea"].id).status == IdeaStatus.SUBMITTED


def test_answering_from_the_answer_page_moves_the_idea_and_goes_back_to_it(client, world):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    response = client.post(f"/staff/ideas/{world['idea'].id}/answer",
                           data={"status-status": "declined", "status-explanation": "For dyrt i år."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ideas/{world['idea'].id}")
    change = db.session.scalars(select(StatusChange)).one()
    assert (change.to_status, change.explanation) == (IdeaStatus.DECLINED, "For dyrt i år.")


def test_merging_from_the_page_lists_the_merged_idea_on_the_target(client, world):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    duplicate = make_idea(title="Fortau ved skolen, takk")
    add_votes(duplicate, 3)
    response = client.post(f"/staff/ideas/{duplicate.id}/merge",
                           data={"merge-into_id": world["idea"].id, "merge-explanation": "Samme ønske."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, world["idea"].id).vote_count == 5
    page = client.get(f"/ideas/{world['idea'].id}").get_data(as_text=True)
    assert "Idéer som er slått sammen med denne" in page and "Fortau ved skolen, takk" in page


def test_merging_into_an_unknown_idea_is_shown_next_to_the_field(client, world):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    html = client.post(f"/staff/ideas/{world['idea'].id}/merge",
                       data={"merge-into_id": "99999", "merge-explanation": "Samme."}).get_data(as_text=True)
    assert 'id="merge-into_id-error"' in html
    assert "Samme.</textarea>" in html


def test_new_project_shows_similar_projects_and_ideas_before_it_is_created(client, world):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    data = {"title": "Tryggere skolevei til Nordbygda skole", "description": "Fortau og lys.",
            "kind": "project", "phase": "proposed", "owner_service_area_id": world["project"].owner_service_area_id,
            "progress": "0", "public": "y", "action": "create"}
    first = client.post("/staff/projects/new", data=data)
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Finnes dette allerede?" in html
    assert "Trygg skolevei" in html and "Fortau langs Skoleveien" in html
    assert db.session.scalar(select(db.func.count()).select_from(Project)) == 2
    fingerprint = re.search(r'name="checked" value="([0-9a-f]+)"', html).group(1)
    second = client.post("/staff/projects/new", data={**data, "checked": fingerprint})
    assert second.status_code == 302
    assert db.session.scalar(select(Project).where(Project.title == data["title"])) is not None


def test_a_project_with_nothing_like_it_is_created_at_once(client, world):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    response = client.post("/staff/projects/new", data={
        "title": "Kvantedatamaskin for rådhuset", "kind": "study", "phase": "proposed",
        "owner_service_area_id": world["project"].owner_service_area_id, "progress": "0", "action": "create"})
    assert response.status_code == 302
    project = db.session.scalar(select(Project).where(Project.title == "Kvantedatamaskin for rådhuset"))
    assert project.public is False  # the box was not ticked


def test_project_form_errors_keep_what_was_typed(client, world):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    html = client.post("/staff/projects/new", data={
        "title": "Ny ballbinge", "description": "Med kunstgress", "kind": "project", "phase": "proposed",
        "owner_service_area_id": "", "estimated_cost": "mange penger", "sdgs": ["3", "11"],
        "action": "create"}).get_data(as_text=True)
    assert 'value="Ny ballbinge"' in html and "Med kunstgress" in html
    assert 'id="owner_service_area_id-error"' in html
    assert re.search(r'id="sdgs-3"[^>]*checked', html)


def test_inbox_shows_due_dates_and_overdue_ideas_stand_out(client, app):
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    make_idea(title="Gammel idé", age_days=45)
    make_idea(title="Ny idé", age_days=2)
    html = client.get("/staff/answers").get_data(as_text=True)
    assert html.index("Gammel idé") < html.index("Ny idé")
    assert html.count('class="overdue"') == 1 and "Forfalt" in html
    assert re.search(r'Svarinnboks<span class="nav-count"><span class="ds-sr-only">, </span>2', html)


def test_inbox_total_follows_answers_and_filters(client, app):
    """The unfiltered total is the staff menu's kept count: it must move when an idea is
    answered, and a filtered inbox counts only its own ideas."""
    from app.portfolio import answers

    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    login(client, manager)
    first = make_idea(title="Første idé", age_days=5)
    make_idea(title="Andre idé", age_days=4)
    other_area = make_service_area()
    make_idea(title="Tredje idé", age_days=3, service_area=other_area)
    html = client.get("/staff/answers").get_data(as_text=True)
    assert "3 idéer venter på svar" in html
    html = client.get(f"/staff/answers?service_area={other_area.id}").get_data(as_text=True)
    assert "1 idé venter på svar" in html and "Tredje idé" in html and "Første idé" not in html
    answers.change_idea_status(manager, db.session.get(Idea, first.id), IdeaStatus.UNDER_REVIEW,
                               "Vi ser på saken.")
    html = client.get("/staff/answers").get_data(as_text=True)
    assert "2 idéer venter på svar" in html and "Første idé" not in html


def test_board_page_draws_the_budget_line(client, app):
    make_criteria()
    make_project("Billig", cost=100, phase=ProjectPhase.PLANNED)
    make_project("Dyr", cost=10_000)
    login(client, make_user(role=Role.MODERATOR))
    html = client.get("/staff/portfolio/board?budget=5%20000").get_data(as_text=True)
    assert "Budsjettstreken" in html
    assert "1 prosjekt får plass over streken" in html


def test_board_is_read_a_page_at_a_time_and_the_line_sits_on_its_page(client, app):
    make_criteria()
    area = make_service_area()
    # Same score for all: ranked by title. 1,000 kr each, so a 4,500 kr budget holds four.
    for n in range(7):
        make_project(f"Prosjekt {n:02d}", owner=area, cost=1_000)
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    first = client.get("/staff/portfolio/board?budget=4500&per_page=3").get_data(as_text=True)
    second = client.get("/staff/portfolio/board?budget=4500&per_page=3&page=2").get_data(as_text=True)
    third = client.get("/staff/portfolio/board?budget=4500&per_page=3&page=3").get_data(as_text=True)
    assert [t for t in (f"Prosjekt {n:02d}" for n in range(7)) if t in first] == ["Prosjekt 00", "Prosjekt 01", "Prosjekt 02"]
    assert "Prosjekt 03" in second and "Prosjekt 05" in second and "Prosjekt 06" in third
    # The totals count the whole board; the line is drawn once, above the fifth project.
    for html in (first, second, third):
        assert "4 prosjekter får plass over streken" in html
    assert "Budsjettstreken" not in first and "Budsjettstreken" not in third
    assert second.index("Prosjekt 03") < second.index("Budsjettstreken") < second.index("Prosjekt 04")
    assert 'aria-label="Sider i tavlen"' in first


def test_board_csv_is_excel_friendly_and_neutralises_formulas(client, app):
    make_criteria()
    make_project("=HYPERLINK(\"http://evil\")", cost=500)
    make_project("+Vanlig; med semikolon", cost=300)
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    response = client.get("/staff/portfolio/board.csv?budget=600")
    raw = response.get_data()
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header, *rows = text.strip().split("\r\n")
    assert header.split(";")[:3] == ["Rangering", "Prosjekt", "Type"]
    assert any(line.split(";")[1] == "'=HYPERLINK(\"\"http://evil\"\")\"" or "'=HYPERLINK" in line for line in rows)
    assert not any(re.search(r"(^|;)=", line) for line in rows)
    assert '"\'+Vanlig; med semikolon"' in text


def test_decisions_csv_lists_every_decision(client, app):
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    project = make_project("Sykkelvei")
    services.record_decision(manager, project, "2026-04-01", "rejected", "-for dyrt")
    login(client, manager)
    text = client.get("/staff/portfolio/decisions.csv").get_data().decode("utf-8-sig")
    line = text.strip().split("\r\n")[1]
    assert line.startswith("2026-04-01;Sykkelvei;")
    assert ";Avvist;'-for dyrt;" in line


def test_sdg_overview_shows_numbers_in_svg_charts_and_a_table(client, world):
    html = client.get("/sdgs").get_data(as_text=True)
    assert html.count('<svg class="chart__svg"') == 4
    assert 'role="img"' in html and 'class="chart__row sdg-11"' in html
    row = re.search(r'<tr id="sdg-11">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="numeric">([^<]*)</td>', row)
    assert cells[:3] == ["1", "2", "1"]  # one idea, two votes, one public project
    assert not re.search(r"\sstyle=", html)


def test_goal_page_lists_targets_ideas_and_projects(client, world):
    html = client.get("/sdgs/11").get_data(as_text=True)
    assert "11.2-L1" in html and "Fortau langs Skoleveien" in html and "Trygg skolevei" in html
    assert client.get("/sdgs/18").status_code == 404


def test_admin_adds_a_local_target_and_errors_stay_by_their_fields(client, app):
    login(client, make_user(role=Role.ADMIN))
    bad = client.post("/admin/local-targets", data={"new-sdg": "7", "new-code": "11.1-L1", "new-text_nb": "Sol"})
    assert 'id="new-code-error"' in bad.get_data(as_text=True)
    good = client.post("/admin/local-targets", data={"new-sdg": "7", "new-code": "7.2-L1", "new-text_nb": "Sol"})
    assert good.status_code == 302
    assert db.session.scalar(select(LocalTarget.code)) == "7.2-L1"


def test_admin_changes_weights(client, app):
    criteria = make_criteria()
    login(client, make_user(role=Role.ADMIN))
    client.post("/admin/criteria", data={"action": "weights", f"weight-{criteria['risk'].id}": "33"})
    db.session.expire_all()
    assert db.session.get(Criterion, criteria["risk"].id).weight == 33
    html = client.post("/admin/criteria", data={"action": "weights",
                                                f"weight-{criteria['risk'].id}": "300"}).get_data(as_text=True)
    assert f'id="weight-{criteria["risk"].id}-error"' in html and 'value="300"' in html


def test_staff_section_on_the_idea_page_is_for_portfolio_managers_only(client, world):
    path = f"/ideas/{world['idea'].id}"
    assert "For kommunen: svar på idéen" not in client.get(path).get_data(as_text=True)
    login(client, make_user(role=Role.MODERATOR))
    assert "For kommunen: svar på idéen" not in client.get(path).get_data(as_text=True)
    client.post("/logout")
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    assert "For kommunen: svar på idéen" in client.get(path).get_data(as_text=True)


# --- a fixed number of queries, whatever the length --------------------------------------


def _grow(n: int, owner, criteria):
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    for i in range(n):
        idea = make_idea(sdgs=(3, 11), service_area=owner)
        add_votes(idea, 1)
        project = make_project(f"Prosjekt {i}", owner=owner, participants=(make_service_area(),),
                               sdgs=(3, 11), ideas=(idea,), phase=ProjectPhase.PLANNED)
        services.assess_project(manager, project, {"risk": 3})
        services.record_decision(manager, project, "2026-01-01", "deferred", "Senere", deferred_to="2026-06-01")


@pytest.mark.parametrize("path", ["/staff/portfolio/board?budget=1000", "/sdgs", "/portfolio", "/sdgs/11",
                                  "/staff/portfolio/board.csv", "/staff/answers"])
def test_heavy_pages_cost_the_same_number_of_queries_for_more_rows(client, app, path):
    criteria = make_criteria()
    owner = make_service_area()
    login(client, make_user(role=Role.ADMIN))
    _grow(2, owner, criteria)
    with count_queries() as small:
        assert client.get(path).status_code == 200
    _grow(6, owner, criteria)
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert large.count == small.count, large.statements[small.count:]
