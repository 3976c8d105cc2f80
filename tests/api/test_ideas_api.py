"""API v1 for ideas: the shapes, the rules (same services as the pages) and the error answers."""

import re

import pytest

from app.accounts.services import create_api_token, revoke_api_token
from app.core.db import utcnow
from app.extensions import db
from app.ideas import services
from app.ideas.models import IdeaStatus, StatusChange
from app.ideas.serialise import IDEA_JSON_EXTENSIONS
from tests.factories import login, make_organisation, make_service_area, make_user
from tests.ideas.factories import counts, make_idea

IDEA_KEYS = {
    "id", "title", "body", "status", "author", "organisation", "service_area", "sdgs", "place",
    "vote_count", "comment_count", "endorsement_count", "created_at", "updated_at", "url", "status_history",
}


def _bearer(user) -> dict:
    _token, raw = create_api_token(user, "test")
    return {"Authorization": f"Bearer {raw}"}


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def _proposal(service_area, **changes) -> dict:
    data = {
        "title": "Tryggere skoleveier i Nordbygda",
        "body": "Skoleveien mangler fortau på den siste strekningen ned mot skolen.",
        "service_area_id": service_area.id,
        "sdgs": [3, 11],
        "place": "Nordbygda",
    }
    data.update(changes)
    return data


# --- reading ------------------------------------------------------------------------------------------


def test_list_has_items_and_paging(app, client):
    for n in range(3):
        make_idea(title=f"Idé nummer {n} om byen")
    body = client.get("/api/v1/ideas?per_page=2").get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 2, 3)
    assert len(body["items"]) == 2
    assert set(body["items"][0]) >= IDEA_KEYS


def test_per_page_is_capped_at_100(app, client):
    make_idea()
    assert client.get("/api/v1/ideas?per_page=500").get_json()["per_page"] == 100


def test_idea_json_is_as_documented(app, client):
    member = make_user("Ingrid Haugen-Berg")
    organisation = make_organisation(members=(member,), name="Nordbygda vel")
    service_area = make_service_area("Vei og trafikk")
    idea = make_idea(member, title="Tryggere skoleveier", service_area=service_area, sdgs=(11, 3),
                     place="Nordbygda", organisation_id=organisation.id)
    body = client.get(f"/api/v1/ideas/{idea.id}").get_json()
    assert set(body) >= IDEA_KEYS
    assert body["author"] == {"name": "Ingrid Haugen-Berg"}
    assert body["organisation"] == {"id": organisation.id, "name": "Nordbygda vel"}
    assert body["service_area"] == {"id": service_area.id, "name": "Vei og trafikk",
                                    "names": {"nb": "Vei og trafikk", "nn": None, "en": None}}
    assert body["sdgs"] == [3, 11]
    assert body["status"] == "submitted"
    assert body["url"].endswith(f"/ideas/{idea.id}")
    assert body["status_history"] == []
    assert re.match(r"\d{4}-\d\d-\d\dT", body["created_at"])


def test_status_history_is_in_the_json(app, client):
    idea = make_idea(status=IdeaStatus.UNDER_REVIEW)
    db.session.add(StatusChange(idea_id=idea.id, from_status=IdeaStatus.SUBMITTED,
                                to_status=IdeaStatus.UNDER_REVIEW, explanation="Vi ser på den."))
    db.session.commit()
    history = client.get(f"/api/v1/ideas/{idea.id}").get_json()["status_history"]
    assert history[0]["from"] == "submitted" and history[0]["to"] == "under_review"
    assert history[0]["explanation"] == "Vi ser på den." and history[0]["created_at"]


def test_other_domains_extend_the_idea_json_through_the_registry(app, client, monkeypatch):
    monkeypatch.setattr("app.ideas.serialise.IDEA_JSON_EXTENSIONS", [*IDEA_JSON_EXTENSIONS,
                        lambda idea, data: data.setdefault("extra", idea.id)])
    idea = make_idea()
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["extra"] == idea.id


def test_list_filters_and_search(app, client):
    roads = make_service_area("Vei og trafikk")
    make_idea(title="Tryggere skoleveier i Nordbygda", service_area=roads, sdgs=(11,))
    make_idea(title="Benker i parken", sdgs=(3,), service_area=make_service_area("Park", area_name="Kultur"))
    make_idea(title="Avslått skolevei", service_area=roads, status=IdeaStatus.DECLINED)
    titles = lambda url: [i["title"] for i in client.get(url).get_json()["items"]]  # noqa: E731
    assert titles("/api/v1/ideas?q=skolevei&status=submitted") == ["Tryggere skoleveier i Nordbygda"]
    assert titles(f"/api/v1/ideas?service_area={roads.id}&sdg=11") == ["Tryggere skoleveier i Nordbygda"]
    assert titles(f"/api/v1/ideas?municipal_area={roads.municipal_area_id}&sort=newest") == [
        "Avslått skolevei", "Tryggere skoleveier i Nordbygda"]


def test_unknown_filter_values_are_422_with_the_field(app, client):
    error = _error(client.get("/api/v1/ideas?status=maybe"), 422, "invalid")
    assert "status" in error["fields"]
    error = _error(client.get("/api/v1/ideas?sort=random"), 422, "invalid")
    assert "sort" in error["fields"]


def test_hidden_ideas_are_left_out_of_lists_and_404_for_others(app, client):
    author = make_user()
    hidden = make_idea(author, hidden=True)
    make_idea()
    assert client.get("/api/v1/ideas").get_json()["total"] == 1
    _error(client.get(f"/api/v1/ideas/{hidden.id}"), 404, "not_found")
    assert client.get(f"/api/v1/ideas/{hidden.id}", headers=_bearer(make_user())).status_code == 404
    assert client.get(f"/api/v1/ideas/{hidden.id}", headers=_bearer(author)).status_code == 200
    assert client.get(f"/api/v1/ideas/{hidden.id}", headers=_bearer(make_user(role="moderator"))).status_code == 200


def test_unknown_idea_is_404(app, client):
    _error(client.get("/api/v1/ideas/424242"), 404, "not_found")


def test_similar_ideas(app, client):
    make_idea(title="Tryggere skoleveier i Nordbygda")
    make_idea(title="Benker i parken", body="Eldre trenger steder å hvile på turen langs fjorden.")
    body = client.get("/api/v1/ideas/similar?text=Fortau+på+skoleveien").get_json()
    assert [i["title"] for i in body["items"]] == ["Tryggere skoleveier i Nordbygda"]
    assert client.get("/api/v1/ideas/similar?text=").get_json() == {"items": []}


def test_reference_data(app, client):
    roads = make_service_area("Vei og trafikk", area_name="Samfunnsutvikling")
    retired = make_service_area("Gammel etat")
    retired.retired_at = utcnow()
    db.session.commit()
    areas = client.get("/api/v1/service-areas").get_json()["items"]
    assert {"id": roads.id, "name": "Vei og trafikk", "names": {"nb": "Vei og trafikk", "nn": None, "en": None},
            "municipal_area": {"id": roads.municipal_area_id, "name": "Samfunnsutvikling",
                               "names": {"nb": "Samfunnsutvikling", "nn": None, "en": None}}} in areas
    assert all(a["name"] != "Gammel etat" for a in areas)
    goals = client.get("/api/v1/sdgs").get_json()["items"]
    assert len(goals) == 17 and goals[12]["number"] == 13 and goals[12]["colour"].startswith("#")


# --- proposing and editing ---------------------------------------------------------------------------


def test_resident_proposes_with_a_token_and_gets_201(app, client):
    service_area = make_service_area()
    response = client.post("/api/v1/ideas", json=_proposal(service_area), headers=_bearer(make_user()))
    assert response.status_code == 201
    body = response.get_json()
    assert body["title"] == "Tryggere skoleveier i Nordbygda"
    assert body["sdgs"] == [3, 11]
    assert response.headers["Location"].endswith(f"/api/v1/ideas/{body['id']}")


def test_proposing_without_logging_in_is_401(app, client):
    _error(client.post("/api/v1/ideas", json=_proposal(make_service_area())), 401, "unauthorized")


def test_revoked_token_is_401(app, client):
    user = make_user()
    token, raw = create_api_token(user, "gammel")
    revoke_api_token(user, token.id)
    response = client.post("/api/v1/ideas", json=_proposal(make_service_area()),
                           headers={"Authorization": f"Bearer {raw}"})
    _error(response, 401, "unauthorized")


def test_unconfirmed_account_is_403(app, client):
    response = client.post("/api/v1/ideas", json=_proposal(make_service_area()),
                           headers=_bearer(make_user(confirmed=False)))
    _error(response, 403, "forbidden")


def test_broken_rules_are_422_with_fields(app, client):
    response = client.post("/api/v1/ideas", json=_proposal(make_service_area(), title="Hm", sdgs=[1, 2, 3, 4]),
                           headers=_bearer(make_user()))
    error = _error(response, 422, "invalid")
    assert set(error["fields"]) == {"title", "sdgs"}
    assert "høyst tre" in error["fields"]["sdgs"][0]


@pytest.mark.parametrize("changes", [{"sdgs": "3"}, {"title": 42}, {"service_area_id": "en"}, {"sdgs": [True]}])
def test_wrong_json_types_are_400(app, client, changes):
    response = client.post("/api/v1/ideas", json=_proposal(make_service_area(), **changes),
                           headers=_bearer(make_user()))
    error = _error(response, 400, "bad_request")
    assert set(error["fields"]) == set(changes)


def test_posting_for_an_organisation_one_is_not_member_of_is_403(app, client):
    organisation = make_organisation(admin=make_user())
    response = client.post("/api/v1/ideas", json=_proposal(make_service_area(), organisation_id=organisation.id),
                           headers=_bearer(make_user()))
    error = _error(response, 403, "forbidden")
    assert "organisation_id" in error["fields"]


def test_author_patches_only_what_is_sent(app, client):
    author = make_user()
    idea = make_idea(author, sdgs=(3,), place="Sentrum")
    response = client.patch(f"/api/v1/ideas/{idea.id}", json={"title": "Ny og bedre tittel"}, headers=_bearer(author))
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Ny og bedre tittel"
    assert body["sdgs"] == [3] and body["place"] == "Sentrum"
    db.session.expire_all()
    assert idea.edited_at is not None


def test_patching_someone_elses_idea_is_403(app, client):
    idea = make_idea()
    _error(client.patch(f"/api/v1/ideas/{idea.id}", json={"title": "Kapret tittel"},
                        headers=_bearer(make_user())), 403, "forbidden")


def test_patching_after_the_first_answer_is_409(app, client):
    author = make_user()
    idea = make_idea(author)
    idea.first_answered_at = utcnow()
    db.session.commit()
    _error(client.patch(f"/api/v1/ideas/{idea.id}", json={"title": "For sent nå"},
                        headers=_bearer(author)), 409, "conflict")


# --- votes and endorsements --------------------------------------------------------------------------


def test_vote_and_take_back_are_idempotent(app, client):
    idea = make_idea()
    headers = _bearer(make_user())
    url = f"/api/v1/ideas/{idea.id}/vote"
    assert client.post(url, headers=headers).get_json() == {"voted": True, "vote_count": 1}
    assert client.post(url, headers=headers).get_json() == {"voted": True, "vote_count": 1}
    assert client.delete(url, headers=headers).get_json() == {"voted": False, "vote_count": 0}
    assert client.delete(url, headers=headers).get_json() == {"voted": False, "vote_count": 0}


def test_voting_without_logging_in_is_401(app, client):
    _error(client.post(f"/api/v1/ideas/{make_idea().id}/vote"), 401, "unauthorized")


def test_voting_on_a_closed_idea_is_409(app, client):
    idea = make_idea(status=IdeaStatus.IMPLEMENTED)
    _error(client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(make_user())), 409, "conflict")


def test_blocked_person_voting_is_403(app, client):
    idea = make_idea()
    _error(client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(make_user(is_blocked=True))),
           403, "forbidden")


def test_voting_on_a_hidden_idea_looks_like_404_to_others(app, client):
    idea = make_idea(hidden=True)
    _error(client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(make_user())), 404, "not_found")


def test_voting_on_an_unknown_idea_is_404(app, client):
    _error(client.post("/api/v1/ideas/999999/vote", headers=_bearer(make_user())), 404, "not_found")


def test_endorse_and_withdraw(app, client):
    member = make_user()
    organisation = make_organisation(members=(member,))
    idea = make_idea()
    url = f"/api/v1/ideas/{idea.id}/endorsements"
    headers = _bearer(member)
    body = client.post(url, json={"organisation_id": organisation.id}, headers=headers).get_json()
    assert body == {"endorsed": True, "endorsement_count": 1}
    assert client.post(url, json={"organisation_id": organisation.id}, headers=headers).get_json()["endorsement_count"] == 1
    listed = client.get(url).get_json()["items"]
    assert listed[0]["organisation"] == {"id": organisation.id, "name": organisation.name}
    body = client.delete(url, json={"organisation_id": organisation.id}, headers=headers).get_json()
    assert body == {"endorsed": False, "endorsement_count": 0}
    assert counts(idea)[1] == 0


def test_endorsing_for_someone_elses_organisation_is_403(app, client):
    organisation = make_organisation(admin=make_user())
    idea = make_idea()
    _error(client.post(f"/api/v1/ideas/{idea.id}/endorsements", json={"organisation_id": organisation.id},
                       headers=_bearer(make_user())), 403, "forbidden")


def test_endorsing_without_an_organisation_is_422(app, client):
    idea = make_idea()
    error = _error(client.post(f"/api/v1/ideas/{idea.id}/endorsements", json={}, headers=_bearer(make_user())),
                   422, "invalid")
    assert "organisation_id" in error["fields"]


# --- the site's own JavaScript: session cookie and CSRF header ---------------------------------------


def test_session_cookie_needs_the_csrf_header(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    idea = make_idea()
    user = make_user()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/login", data={"email": user.email, "password": "korrekt-hest-batteri", "csrf_token": token})
    _error(client.post(f"/api/v1/ideas/{idea.id}/vote"), 400, "bad_request")
    assert counts(idea)[0] == 0
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post(f"/api/v1/ideas/{idea.id}/vote", headers={"X-CSRFToken": token})
    assert response.get_json() == {"voted": True, "vote_count": 1}


def test_session_login_works_for_reading_and_writing(app, client):
    idea = make_idea()
    login(client, make_user())
    assert client.post(f"/api/v1/ideas/{idea.id}/vote").get_json()["voted"] is True


def test_services_and_api_agree(app, client):
    idea = make_idea()
    voter = make_user()
    services.vote_for_idea(voter, idea.id)
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["vote_count"] == 1
    assert client.post(f"/api/v1/ideas/{idea.id}/vote", headers=_bearer(voter)).get_json()["vote_count"] == 1
