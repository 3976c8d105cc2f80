"""VERIFIED_IDENTITY_REQUIRED_FOR over the pages and the API: propose, vote, comment, endorse.

The person's verification is an Identity row (as the ID-porten login leaves it); the login
itself against the real provider is covered in test_oidc_login.py.
"""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app.accounts.models import Identity
from app.accounts.services import create_api_token
from app.comments.models import Comment
from app.core.errors import NotAllowed
from app.extensions import db
from app.ideas import services
from app.ideas.models import Endorsement, Idea, Vote
from tests.accounts.test_oidc_verified import verified_user
from tests.factories import login, make_organisation, make_service_area, make_user
from tests.ideas.factories import make_idea

BODY = "Skoleveien mangler fortau på den siste strekningen ned mot skolen, og bilene kjører fort."
ALL = "propose, vote, comment, endorse"


def _require(app, actions: str = ALL) -> None:
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = actions


def _bearer(user) -> dict:
    _token, raw = create_api_token(user, "test")
    return {"Authorization": f"Bearer {raw}"}


def _verify_next(response) -> str:
    """The page an answer sends the person to verify on, and where they come back to."""
    assert response.status_code in (302, 303), response.status_code
    parts = urlsplit(response.headers["Location"])
    assert parts.path == "/verify", response.headers["Location"]
    return parse_qs(parts.query)["next"][0]


def _count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def _proposal(service_area) -> dict:
    return {"title": "Fortau langs Kirkeveien", "body": BODY, "service_area_id": service_area.id}


def _form(service_area) -> dict:
    return {"title": "Fortau langs Kirkeveien", "body": BODY, "service_area_id": str(service_area.id),
            "action": "publish"}


# --- services ------------------------------------------------------------------------------------


@pytest.mark.parametrize("action, attempt, words", [
    ("propose", lambda user, idea, org: services.submit_idea(user, services.IdeaInput(
        title="Fortau langs Kirkeveien", body=BODY, service_area_id=idea.service_area_id)), "foreslår"),
    ("vote", lambda user, idea, org: services.vote_for_idea(user, idea.id), "stemmer"),
    ("endorse", lambda user, idea, org: services.endorse_idea(user, idea.id, org.id), "støtter"),
])
def test_unverified_resident_is_refused_with_the_reason(app, action, attempt, words):
    idea = make_idea()
    user = make_user()
    organisation = make_organisation(admin=user)
    _require(app, action)
    with pytest.raises(NotAllowed) as refused:
        attempt(user, idea, organisation)
    assert "bekrefter hvem du er med ID-porten" in refused.value.message
    assert words in refused.value.message
    # A verified member of the same organisation may.
    verified = verified_user()
    organisation.memberships[0].user = verified
    db.session.commit()
    attempt(verified, idea, organisation)


def test_a_vote_cast_before_the_rule_can_be_taken_back(app):
    idea = make_idea()
    user = make_user()
    services.vote_for_idea(user, idea.id)
    _require(app, "vote")
    assert services.withdraw_vote(user, idea.id).vote_count == 0


def test_a_vote_cast_before_the_rule_can_be_taken_back_on_the_page(app, client):
    idea = make_idea()
    user = make_user()
    services.vote_for_idea(user, idea.id)
    _require(app, "vote")
    login(client, user)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Trekk tilbake stemmen" in html
    response = client.post(f"/ideas/{idea.id}/vote", data={"action": "remove"})
    assert response.status_code == 303
    assert _count(Vote) == 0
    assert "Bekreft identiteten din for å stemme" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_the_author_edits_an_idea_proposed_before_the_rule(app):
    user = make_user()
    idea = make_idea(author=user)
    _require(app, "propose")
    services.update_idea(user, idea, services.IdeaInput(
        title="Fortau langs hele Kirkeveien", body=BODY, service_area_id=idea.service_area_id))


# --- pages ---------------------------------------------------------------------------------------


def test_unverified_resident_is_sent_to_verify_before_the_idea_form(app, client):
    _require(app)
    login(client, make_user())
    response = client.get("/ideas/new")
    assert _verify_next(response) == "/ideas/new"


def test_verified_resident_proposes_through_the_page(app, client):
    _require(app)
    area = make_service_area()
    login(client, verified_user())
    assert client.get("/ideas/new").status_code == 200
    response = client.post("/ideas/new", data=_form(area))
    assert response.status_code == 302
    assert _count(Idea) == 1


def test_a_proposal_refused_for_verification_keeps_what_was_typed(app, client):
    area = make_service_area()
    login(client, make_user())
    assert client.get("/ideas/new").status_code == 200
    _require(app)  # the rule came while the form was open
    response = client.post("/ideas/new", data=_form(area))
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Fortau langs Kirkeveien" in html and "Skoleveien mangler fortau" in html
    assert "bekrefter hvem du er med ID-porten" in html
    assert "/verify?next=" in html
    assert _count(Idea) == 0


def test_unverified_resident_sees_a_verify_button_instead_of_voting(app, client):
    idea = make_idea()
    _require(app)
    login(client, make_user())
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "data-vote-form" not in html
    assert "Bekreft identiteten din for å stemme" in html
    assert f"/verify?next=/ideas/{idea.id}" in html.replace("%2F", "/")


def test_unverified_vote_goes_to_verify_and_back_to_the_idea(app, client):
    idea = make_idea()
    _require(app)
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/vote", data={"next": f"/ideas/{idea.id}"})
    assert _verify_next(response) == f"/ideas/{idea.id}"
    assert _count(Vote) == 0


def _verify(user) -> None:
    """What coming back from ID-porten leaves: an identity on the account."""
    db.session.add(Identity(user=user, provider="idporten", kind="resident", issuer="https://test.idporten.no",
                            person_hash=f"{user.id:064d}", level="idporten-loa-substantial"))
    db.session.commit()


def test_the_vote_is_cast_when_the_person_comes_back_verified(app, client):
    idea = make_idea()
    user = make_user()
    _require(app)
    login(client, user)
    back = _verify_next(client.post(f"/ideas/{idea.id}/vote", data={"next": f"/ideas/{idea.id}"}))
    _verify(user)
    html = client.get(back).get_data(as_text=True)
    assert "Takk for stemmen! Idéen har nå 1 stemme." in html
    assert _count(Vote, idea_id=idea.id, user_id=user.id) == 1
    # Once only: coming back again changes nothing.
    assert "Takk for stemmen" not in client.get(back).get_data(as_text=True)
    assert _count(Vote) == 1


def test_no_vote_when_the_person_comes_back_unverified_or_too_late(app, client):
    idea = make_idea()
    user = make_user()
    _require(app)
    login(client, user)
    client.post(f"/ideas/{idea.id}/vote")
    client.get(f"/ideas/{idea.id}")  # gave up at ID-porten: the intent is dropped
    _verify(user)
    client.get(f"/ideas/{idea.id}")
    assert _count(Vote) == 0
    with client.session_transaction() as session:
        session["vote_after_verify"] = {"idea": idea.id, "user": user.id, "at": time.time() - 3600}
    client.get(f"/ideas/{idea.id}")
    assert _count(Vote) == 0


def test_verified_resident_votes_through_the_page(app, client):
    idea = make_idea()
    _require(app)
    login(client, verified_user())
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "data-vote-form" in html
    response = client.post(f"/ideas/{idea.id}/vote", data={"next": f"/ideas/{idea.id}"})
    assert response.status_code == 303
    assert _count(Vote, idea_id=idea.id) == 1


def test_unverified_member_is_sent_to_verify_before_endorsing(app, client):
    idea = make_idea()
    user = make_user()
    organisation = make_organisation(admin=user)
    _require(app)
    login(client, user)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Støtt på vegne av" not in html
    assert "Bekreft identiteten din for å støtte idéen" in html
    response = client.post(f"/ideas/{idea.id}/endorse",
                           data={"organisation_id": organisation.id, "next": f"/ideas/{idea.id}"})
    assert _verify_next(response) == f"/ideas/{idea.id}"
    assert _count(Endorsement) == 0


def test_verified_member_endorses_through_the_page(app, client):
    idea = make_idea()
    user = verified_user()
    organisation = make_organisation(admin=user)
    _require(app)
    login(client, user)
    assert "Støtt på vegne av" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    client.post(f"/ideas/{idea.id}/endorse", data={"organisation_id": organisation.id})
    assert _count(Endorsement, idea_id=idea.id) == 1


def test_unverified_resident_sees_verify_in_place_of_the_comment_form(app, client):
    idea = make_idea()
    _require(app)
    login(client, make_user())
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'id="comment-body"' not in html
    assert "Bekreft identiteten din for å kommentere" in html
    response = client.get(f"/ideas/{idea.id}/comments/new")
    assert _verify_next(response) == f"/ideas/{idea.id}/comments/new"


def test_unverified_comment_is_refused_and_keeps_what_was_typed(app, client):
    idea = make_idea()
    _require(app)
    login(client, make_user())
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Dette trengs virkelig her."})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Dette trengs virkelig her." in html
    assert "bekrefter hvem du er med ID-porten før du kommenterer" in html
    assert "/verify?next=" in html
    assert _count(Comment) == 0


def test_verified_resident_comments_through_the_page(app, client):
    idea = make_idea()
    _require(app)
    login(client, verified_user())
    assert 'id="comment-body"' in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Dette trengs virkelig her."})
    assert response.status_code == 302
    assert _count(Comment, idea_id=idea.id) == 1


def test_without_the_setting_nothing_needs_verification(app, client):
    idea = make_idea()
    area = make_service_area()
    user = make_user()
    organisation = make_organisation(admin=user)
    login(client, user)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "data-vote-form" in html and 'id="comment-body"' in html and "/verify" not in html
    assert client.get("/ideas/new").status_code == 200
    assert client.post("/ideas/new", data=_form(area)).status_code == 302
    assert client.post(f"/ideas/{idea.id}/vote", data={}).status_code == 303
    client.post(f"/ideas/{idea.id}/endorse", data={"organisation_id": organisation.id})
    assert client.post(f"/ideas/{idea.id}/comments", data={"body": "Dette trengs virkelig her."}).status_code == 302
    assert (_count(Idea), _count(Vote), _count(Endorsement), _count(Comment)) == (2, 1, 1, 1)


# --- API: a token acts with its account's verification -------------------------------------------


def _api_attempts(client, idea, organisation, area, headers):
    return {
        "propose": client.post("/api/v1/ideas", json=_proposal(area), headers=headers),
        "vote": client.post(f"/api/v1/ideas/{idea.id}/vote", headers=headers),
        "endorse": client.post(f"/api/v1/ideas/{idea.id}/endorsements",
                               json={"organisation_id": organisation.id}, headers=headers),
        "comment": client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Dette trengs her."},
                               headers=headers),
    }


def test_unverified_token_holder_gets_403_saying_verification_is_required(app, client):
    idea, area = make_idea(), make_service_area()
    user = make_user()
    organisation = make_organisation(admin=user)
    _require(app)
    for action, response in _api_attempts(client, idea, organisation, area, _bearer(user)).items():
        assert response.status_code == 403, (action, response.get_data(as_text=True))
        error = response.get_json()["error"]
        assert error["code"] == "forbidden"
        assert "bekrefter hvem du er med ID-porten" in error["message"], action
    assert (_count(Idea), _count(Vote), _count(Endorsement), _count(Comment)) == (1, 0, 0, 0)


def test_verified_token_holder_takes_part_through_the_api(app, client):
    idea, area = make_idea(), make_service_area()
    user = verified_user()
    organisation = make_organisation(admin=user)
    _require(app)
    answers = _api_attempts(client, idea, organisation, area, _bearer(user))
    assert {action: r.status_code for action, r in answers.items()} == {
        "propose": 201, "vote": 200, "endorse": 200, "comment": 201}
