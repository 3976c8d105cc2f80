"""The public API shows only what a visitor sees on the site: every field of every anonymous
GET answer must be on the allow-list of its resource, so an internal field (the board's score,
an e-mail address, a user id) cannot slip out. The endpoints come from the OpenAPI document, so
a new public endpoint without an allow-list fails here."""

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.ideas import services as idea_services
from app.ideas.models import Idea, IdeaImage
from app.portfolio import services as portfolio
from tests.comments.factories import make_comment
from tests.factories import make_organisation, make_service_area, make_user
from tests.ideas.factories import make_idea

NAMES = {"nb": None, "nn": None, "en": None}
AREA_REF = {"id": None, "name": None, "names": NAMES}
SERVICE_AREA = {**AREA_REF, "municipal_area": AREA_REF}
ORGANISATION = {"id": None, "name": None}
PERSON = {"name": None}  # a name only: never an id, an e-mail or a role
STATUS_CHANGE = {"from": None, "to": None, "explanation": None, "created_at": None}

IDEA = {
    "id": None, "title": None, "body": None, "status": None, "author": PERSON,
    "organisation": ORGANISATION, "service_area": AREA_REF, "sdgs": None, "place": None,
    "vote_count": None, "comment_count": None, "endorsement_count": None, "created_at": None,
    "updated_at": None, "url": None, "status_history": [STATUS_CHANGE],
    "images": [{"url": None, "alt_text": None, "decorative": None, "width": None, "height": None}],
    "projects": [{"id": None, "title": None, "phase": None, "progress": None, "url": None}],
}
COMMENT = {
    "id": None, "idea_id": None, "parent_id": None, "author": PERSON, "organisation": ORGANISATION,
    "body": None, "created_at": None, "edited": None, "hidden": None, "hidden_reason": None,
    "deleted": None, "url": None,
}
PROJECT = {
    "id": None, "title": None, "description": None, "kind": None, "phase": None, "public": None,
    "owner_service_area": SERVICE_AREA, "service_areas": [SERVICE_AREA], "sdgs": None,
    "local_targets": [{"id": None, "code": None, "sdg": None, "text": None}],
    "estimated_cost": None, "progress": None, "planned_start": None, "planned_end": None,
    "ideas": None, "citizen_support": None, "url": None,
}
PROJECT_DETAIL = {
    **PROJECT,
    "updates": [{"id": None, "text": None, "progress": None, "created_at": None}],
    "decisions": [{"id": None, "meeting_date": None, "decision": None, "rationale": None, "deferred_to": None,
                   "merged_into_id": None}],
    "phase_changes": [{"from": None, "to": None, "explanation": None, "created_at": None}],
}


INITIATIVE = {
    "id": None, "title": None, "proposal": None, "reasons": None, "proposer": PERSON, "status": None,
    "service_areas": [AREA_REF], "from_idea_id": None, "signature_count": None, "paper_signature_count": None,
    "total_signatures": None, "threshold": None, "collection_started_at": None, "collection_ends_at": None,
    "submitted_at": None, "deadline": None, "days_to_deadline": None,
    "decision": {"case_number": None, "meeting_date": None, "text": None, "url": None},
    "same_content": {"case_number": None, "title": None, "date": None, "explanation": None},
    "measures": [{"text": None, "carried_out_on": None}], "url": None, "created_at": None,
}
# Never the contact address or who signed, only the names of those who chose to be shown.
INITIATIVE_DETAIL = {**INITIATIVE, "public_signers": [{"name": None, "signed_at": None}],
                     "public_signer_count": None, "signed": None}


def _page(item) -> dict:
    return {"items": [item], "page": None, "per_page": None, "total": None}


# One allow-list per public GET endpoint of the document, keyed by its path.
ALLOW = {
    "/api/v1/ideas": _page(IDEA),
    "/api/v1/ideas/{idea_id}": IDEA,
    "/api/v1/ideas/similar": {"items": [IDEA]},
    "/api/v1/ideas/{idea_id}/endorsements": {"items": [{"organisation": ORGANISATION, "created_at": None}]},
    "/api/v1/ideas/{idea_id}/comments": _page(COMMENT),
    "/api/v1/comments/{comment_id}": COMMENT,
    "/api/v1/service-areas": {"items": [SERVICE_AREA]},
    "/api/v1/sdgs": {"items": [{"id": None, "number": None, "name": None, "colour": None}]},
    "/api/v1/projects": _page(PROJECT),
    "/api/v1/projects/{project_id}": PROJECT_DETAIL,
    "/api/v1/initiatives": _page(INITIATIVE),
    "/api/v1/initiatives/{initiative_id}": INITIATIVE_DETAIL,
    "/api/v1/sdgs/overview": {
        "goals": [{"number": None, "name": None, "ideas": None, "votes": None, "projects": None,
                   "estimated_cost": None, "url": None}],
        "municipal_areas": [AREA_REF],
        "matrix": [{"sdg": None, "municipal_area_id": None, "ideas": None, "projects": None}],
    },
}


def _leaks(value, allowed, where: str) -> list[str]:
    """Every field in `value` that `allowed` does not list, with where it was found."""
    if isinstance(allowed, list) and isinstance(value, list):
        return [leak for n, item in enumerate(value) for leak in _leaks(item, allowed[0], f"{where}[{n}]")]
    if isinstance(allowed, dict) and isinstance(value, dict):
        found = [f"{where}.{key}" for key in value if key not in allowed]
        for key, item in value.items():
            if key in allowed and allowed[key] is not None:
                found += _leaks(item, allowed[key], f"{where}.{key}")
        return found
    return []


@pytest.fixture
def world(app):
    """One of everything a visitor can read: an idea for an organisation, endorsed, with a
    picture, a comment and a status history, linked to a public project with an update."""
    member = make_user("Ingrid Haugen")
    organisation = make_organisation(members=(member,), name="Nordbygda vel")
    area = make_service_area("Vei og trafikk")
    idea = make_idea(member, title="Tryggere skolevei i Nordbygda", service_area=area, sdgs=(3, 11),
                     organisation_id=organisation.id)
    db.session.add(IdeaImage(idea_id=idea.id, filename="0" * 64 + ".jpg", content_type="image/jpeg",
                             width=64, height=48, alt_text="Veien ved skolen"))
    db.session.commit()
    idea_services.endorse_idea(member, idea.id, organisation.id)
    comment = make_comment(idea, author=make_user("Ola Nordmann"), body="Godt forslag, dette trengs.")
    manager = make_user("Kari Leder", role=Role.PORTFOLIO_MANAGER)
    project = portfolio.create_project(manager, {
        "title": "Fortau langs skoleveien", "description": "Fortau og lavere fart.", "public": True,
        "owner_service_area_id": area.id, "sdgs": [3, 11], "estimated_cost": 1_200_000})
    portfolio.link_idea(manager, project, db.session.get(Idea, idea.id), "Fortauet er dette prosjektet.")
    portfolio.post_project_update(manager, project, "Graving er i gang.", 30)
    initiative = _decided_initiative(member, idea)
    return {"idea_id": idea.id, "project_id": project.id, "comment_id": comment.id,
            "initiative_id": initiative.id, "similar": "Tryggere skolevei"}


def _decided_initiative(proposer, idea):
    """An initiative from the idea, signed (one name shown), submitted, decided, with a measure."""
    from datetime import date

    from flask import current_app

    from app.initiatives import services as initiatives
    from tests.initiatives.factories import make_collecting, make_staff

    current_app.config["POPULATION"] = 100  # two signatures are enough
    initiative = make_collecting(proposer, from_idea_id=idea.id)
    initiatives.sign(make_user("Siri Viser"), initiative.id, confirmed_resident=True, show_name=True)
    initiatives.sign(make_user("Per Skjult"), initiative.id, confirmed_resident=True)
    initiatives.submit_initiative(proposer, initiative.id)
    staff = make_staff()
    initiatives.record_decision(staff, initiative.id, initiatives.DecisionInput(
        case_number="2026/77", meeting_date=initiatives.local_today(), text="Vedtatt.",
        url="https://einnsyn.no/saksmappe?id=77"))
    initiatives.record_measure(staff, initiative.id, "Busskortet er innført.", date.today())
    return initiative


def _public_gets(client) -> list[str]:
    document = client.get("/api/v1/openapi.json").get_json()
    return sorted(path for path, ops in document["paths"].items()
                  if "get" in ops and {} in ops["get"]["security"])


def test_every_public_endpoint_of_the_document_has_an_allow_list(client):
    missing = [path for path in _public_gets(client) if path not in ALLOW]
    assert not missing, f"public endpoints without an allow-list: {missing}"
    assert len(_public_gets(client)) >= 11


def test_anonymous_answers_carry_only_allowed_fields(client, world):
    for path in _public_gets(client):
        url = path.format(**world)
        if path == "/api/v1/ideas/similar":
            url += f"?text={world['similar']}"
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        body = response.get_json()
        assert not _leaks(body, ALLOW[path], path), f"{path} shows fields not on its allow-list"
        if "items" in body:
            assert body["items"], f"{path}: an empty list proves nothing"


def test_the_board_score_is_not_in_public_projects(client, world):
    for project in client.get("/api/v1/projects?per_page=100").get_json()["items"]:
        assert "score" not in project
    assert "score" not in client.get(f"/api/v1/projects/{world['project_id']}").get_json()


def test_ideas_carry_their_images_with_alt_text(client, world):
    body = client.get(f"/api/v1/ideas/{world['idea_id']}").get_json()
    assert body["images"], "the idea's picture is missing"
    image = body["images"][0]
    assert image["url"].startswith("http") and "/ideas/images/" in image["url"]
    assert image["alt_text"]


def test_a_new_field_fails_the_allow_list(client, world, monkeypatch):
    from app.ideas.serialise import IDEA_JSON_EXTENSIONS

    monkeypatch.setattr("app.ideas.serialise.IDEA_JSON_EXTENSIONS",
                        [*IDEA_JSON_EXTENSIONS, lambda idea, data: data.update(author_email="x@example.no")])
    body = client.get(f"/api/v1/ideas/{world['idea_id']}").get_json()
    assert _leaks(body, IDEA, "idea") == ["idea.author_email"]
