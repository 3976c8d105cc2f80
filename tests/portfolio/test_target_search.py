"""Staff find the idea to merge into, or the project to link, by its title: a GET search that
lists the matches with a button each (no JavaScript), and a small JSON endpoint for the
suggestions while typing (staff only, at most 10, internal projects only for those who may
see them). Nobody types an id."""

import re

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, Visibility
from app.portfolio.models import Project, ProjectIdea, ProjectPhase
from tests.factories import login, make_user
from tests.portfolio.conftest import add_votes, make_idea, make_project


@pytest.fixture
def manager_client(client):
    manager = make_user(role=Role.PORTFOLIO_MANAGER)
    login(client, manager)
    return client


def test_the_answer_page_lists_matching_ideas_with_a_button_each_and_merges_the_chosen_one(manager_client):
    client = manager_client
    idea = make_idea(title="Fortau langs skoleveien i Eidet")
    target = make_idea(title="Tryggere skolevei for barna", status=IdeaStatus.PLANNED)
    add_votes(target, 2)
    make_idea(title="Skolevei uten lys", status=IdeaStatus.MERGED)  # cannot take votes
    make_idea(title="Benker i parken")
    html = client.get(f"/staff/ideas/{idea.id}/answer?merge_q=skolevei").get_data(as_text=True)
    assert "Treff for «skolevei»" in html
    assert "Tryggere skolevei for barna" in html
    assert "Skolevei uten lys" not in html and "Benker i parken" not in html
    # The idea itself ("skoleveien" matches too) is never offered as its own target.
    plain = client.get(f"/staff/ideas/{idea.id}/answer").get_data(as_text=True)
    assert html.count("Fortau langs skoleveien i Eidet") == plain.count("Fortau langs skoleveien i Eidet")
    choose = re.search(rf'href="([^"]*merge_into={target.id}[^"]*)"', html).group(1).replace("&amp;", "&")
    html = client.get(choose).get_data(as_text=True)
    assert "Valgt: Tryggere skolevei for barna" in html
    assert f'name="merge-into_id" id="merge-into_id-value" value="{target.id}"' in html
    response = client.post(f"/staff/ideas/{idea.id}/merge", data={
        "merge-into_id": str(target.id), "merge-explanation": "Samme forslag."})
    assert response.status_code == 302
    assert db.session.get(Idea, idea.id).merged_into_id == target.id


def test_merging_without_choosing_says_so_next_to_the_search_and_keeps_the_text(manager_client):
    idea = make_idea()
    response = manager_client.post(f"/staff/ideas/{idea.id}/merge", data={
        "merge-into_id": "", "merge-explanation": "Min begrunnelse her."})
    html = response.get_data(as_text=True)
    assert "Søk opp og velg idéen den skal slås sammen med." in html
    assert 'id="merge-into_id-error"' in html
    assert "Min begrunnelse her." in html
    # An id no row can have is "not found" next to the field, never a 500.
    for hostile in ("99999999999999999999", "-3", "1e9", "\u00a0"):
        response = manager_client.post(f"/staff/ideas/{idea.id}/merge", data={
            "merge-into_id": hostile, "merge-explanation": "x"})
        assert response.status_code < 500


def test_linking_a_project_by_title_from_the_answer_page_without_javascript(manager_client):
    client = manager_client
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    project = make_project("Trygg skolevei i Nordbygda", phase=ProjectPhase.IN_PROGRESS)
    make_project("Skolevei som ble avlyst", phase=ProjectPhase.CANCELLED)
    html = client.get(f"/staff/ideas/{idea.id}/answer?project_q=skolevei").get_data(as_text=True)
    assert "Trygg skolevei i Nordbygda" in html
    assert "Skolevei som ble avlyst" not in html
    response = client.post(f"/staff/ideas/{idea.id}/projects", data={
        "link-project_id": str(project.id), "link-note": "Passer godt inn."})
    assert response.status_code == 302
    # The project is under way: the idea follows it at once.
    assert db.session.get(Idea, idea.id).status == IdeaStatus.IN_PROGRESS


def test_linking_an_idea_by_title_from_the_project_page(manager_client):
    client = manager_client
    project = make_project("Lekeplasser", phase=ProjectPhase.PLANNED)
    idea = make_idea(title="Ny lekeplass på Solsiden", status=IdeaStatus.ACCEPTED)
    html = client.get(f"/portfolio/projects/{project.id}?idea_q=lekeplass").get_data(as_text=True)
    assert "Ny lekeplass på Solsiden" in html
    assert 'role="combobox"' in html and 'aria-controls="link-idea_id-listbox"' in html
    response = client.post(f"/staff/projects/{project.id}/ideas", data={"link-idea_id": str(idea.id), "link-note": ""})
    assert response.status_code == 302
    assert db.session.get(Idea, idea.id).status == IdeaStatus.PLANNED
    assert db.session.query(ProjectIdea).filter_by(project_id=project.id, idea_id=idea.id).count() == 1


def test_the_json_endpoints_are_bounded_staff_only_and_respect_visibility(app, client):
    for n in range(15):
        make_idea(title=f"Skolevei nummer {n}")
    make_idea(title="Skolevei skjult", visibility=Visibility.HIDDEN)
    make_project("Skolevei internt", public=False)
    make_project("Skolevei offentlig")
    login(client, make_user(role=Role.RESIDENT))
    assert client.get("/staff/find/ideas?q=skolevei").status_code == 403
    assert client.get("/staff/find/projects?q=skolevei").status_code == 403

    client = app.test_client()
    login(client, make_user(role=Role.PORTFOLIO_MANAGER))
    items = client.get("/staff/find/ideas?q=skolevei").get_json()["items"]
    assert len(items) == 10
    assert all("skjult" not in item["title"] for item in items)
    assert set(items[0]) >= {"id", "title", "status", "meta"}
    titles = [p["title"] for p in client.get("/staff/find/projects?q=skolevei").get_json()["items"]]
    assert titles == ["Skolevei internt", "Skolevei offentlig"]  # a manager may see internal work
    # Hostile queries: wildcards are literal, nothing typed is an error.
    assert client.get("/staff/find/ideas?q=%25").get_json()["items"] == []
    assert client.get("/staff/find/ideas?q=" + "x" * 5000).status_code == 200
    assert client.get("/staff/find/ideas?q=a&exclude=99999999999999999999").status_code == 200


def test_internal_projects_only_for_staff_who_may_see_them(app, client):
    from app.accounts.permissions import can

    make_project("Skolevei internt", public=False)
    make_project("Skolevei offentlig")
    # Every role that may search projects may also see internal ones; the query asks the same
    # predicate the project page does, so a role without it would get only the public one.
    for role in (Role.PORTFOLIO_MANAGER, Role.ADMIN):
        person = make_user(role=role)
        assert can(person, "manage_portfolio") and can(person, "view_internal_projects")
    from app.portfolio import queries

    assert [p.title for p in queries.find_projects_by_title("skolevei", None)] == ["Skolevei offentlig"]


def test_phase_form_on_the_project_page_moves_the_ideas_and_shows_the_timeline(manager_client, client):
    project = make_project("Trygg skolevei", phase=ProjectPhase.IN_PROGRESS)
    idea = make_idea(title="Fortau nå", status=IdeaStatus.ACCEPTED)
    db.session.add(ProjectIdea(project_id=project.id, idea_id=idea.id, note=""))
    db.session.commit()
    response = client.post(f"/staff/projects/{project.id}/phase", data={"phase-phase": "cancelled", "phase-explanation": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv hvorfor prosjektet er avlyst." in html and 'id="phase-explanation-error"' in html
    response = client.post(f"/staff/projects/{project.id}/phase", data={"phase-phase": "completed", "phase-explanation": ""})
    assert response.status_code == 302
    project = db.session.get(Project, project.id)
    assert (project.phase, project.progress) == (ProjectPhase.COMPLETED, 100)
    assert db.session.get(Idea, idea.id).status == IdeaStatus.IMPLEMENTED
    html = client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Ny fase:" in html and "Fullført" in html
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Nytt fra prosjektene" in html
    assert "Prosjektet «Trygg skolevei» er fullført." in html  # the idea's own history
    assert "Gjennomført" in html


def test_progress_100_without_completing_offers_the_completed_phase(manager_client):
    project = make_project(phase=ProjectPhase.IN_PROGRESS)
    response = manager_client.post(f"/staff/projects/{project.id}/updates",
                                   data={"update-text": "Alt er bygget.", "update-progress": "100"})
    assert response.status_code in (302, 303)
    html = manager_client.get(f"/portfolio/projects/{project.id}").get_data(as_text=True)
    assert "Framdriften er 100 %, men prosjektet er ikke fullført." in html
    assert re.search(r'<option[^>]*value="completed"[^>]*selected|<option[^>]*selected[^>]*value="completed"', html)
    assert db.session.get(Project, project.id).phase == ProjectPhase.IN_PROGRESS
