"""API v1 moderation: reports, the queue, decisions, blocking and the log, role by role."""

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.accounts.services import create_api_token
from app.comments.models import CommentVisibility
from app.extensions import db
from app.ideas.models import Visibility
from app.moderation import services
from app.moderation.models import AuditAction, ModerationAction
from tests.factories import make_user
from tests.moderation.conftest import make_comment, make_idea

ROLES = ["anonymous", Role.RESIDENT, Role.PORTFOLIO_MANAGER, Role.MODERATOR, Role.ADMIN]
ALLOWED = {Role.MODERATOR, Role.ADMIN}


def _headers(user) -> dict:
    if user is None:
        return {}
    _token, raw = create_api_token(user, "test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def moderator():
    return make_user("Mona Moderator", role=Role.MODERATOR)


def _as(role):
    return None if role == "anonymous" else make_user(role=role)


# --- the permission matrix ------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_moderators_and_admins_use_the_moderation_endpoints(client, role):
    idea = make_idea()
    person = make_user()
    headers = _headers(_as(role))
    calls = [
        ("GET", "/api/v1/moderation/queue", None),
        ("GET", "/api/v1/moderation/log", None),
        ("POST", f"/api/v1/moderation/idea/{idea.id}/hide", {"reason": "spam"}),
        ("POST", f"/api/v1/moderation/idea/{idea.id}/restore", {"reason": "no_violation"}),
        ("POST", f"/api/v1/moderation/idea/{idea.id}/dismiss", {"reason": "no_violation"}),
        ("POST", f"/api/v1/moderation/users/{person.id}/block", {"reason": "Hets."}),
        ("POST", f"/api/v1/moderation/users/{person.id}/unblock", {"reason": ""}),
    ]
    expected = {"anonymous": 401}.get(role, 403)
    for method, path, body in calls:
        response = client.open(path, method=method, json=body, headers=headers)
        if role in ALLOWED:
            assert response.status_code in (200, 409), (path, response.status_code)
        else:
            assert response.status_code == expected, (path, response.status_code)
            assert response.get_json()["error"]["code"] in ("unauthorized", "forbidden")
    db.session.refresh(idea)
    db.session.refresh(person)
    if role not in ALLOWED:
        assert idea.visibility == Visibility.VISIBLE and not person.is_blocked


# --- reports --------------------------------------------------------------------------


def test_confirmed_person_reports_once_and_gets_409_the_second_time(client):
    comment = make_comment()
    headers = _headers(make_user())
    body = {"target_type": "comment", "target_id": comment.id, "reason": "spam", "note": "Reklame."}
    response = client.post("/api/v1/reports", json=body, headers=headers)
    assert response.status_code == 201
    assert response.get_json() | {"id": 0, "created_at": ""} == {
        "id": 0, "created_at": "", "target_type": "comment", "target_id": comment.id,
        "reason": "spam", "note": "Reklame.", "resolution": None,
    }
    again = client.post("/api/v1/reports", json=body, headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["message"] == "Du har allerede rapportert dette."


@pytest.mark.parametrize("who, status", [
    ("anonymous", 401), ("unconfirmed", 403), ("blocked", 403),
])
def test_people_who_cannot_take_part_cannot_report_through_the_api(client, who, status):
    comment = make_comment()
    user = {"anonymous": lambda: None, "unconfirmed": lambda: make_user(confirmed=False),
            "blocked": lambda: make_user(is_blocked=True)}[who]()
    response = client.post("/api/v1/reports", headers=_headers(user),
                           json={"target_type": "comment", "target_id": comment.id, "reason": "spam"})
    assert response.status_code == status


def test_bad_report_input_names_the_field(client):
    comment = make_comment()
    headers = _headers(make_user())
    response = client.post("/api/v1/reports", headers=headers,
                           json={"target_type": "comment", "target_id": comment.id, "reason": "meh"})
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/reports", headers=headers,
                           json={"target_type": "comment", "target_id": 999999, "reason": "spam"})
    assert response.status_code == 404


def test_third_report_through_the_api_hides_the_comment(client):
    comment = make_comment()
    for _ in range(3):
        client.post("/api/v1/reports", headers=_headers(make_user()),
                    json={"target_type": "comment", "target_id": comment.id, "reason": "offensive"})
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.HIDDEN


# --- the queue and decisions ------------------------------------------------------------


def test_queue_groups_reports_by_item_and_filters(client, moderator):
    comment, idea = make_comment(), make_idea()
    for _ in range(2):
        services.report_content(make_user(), "comment", comment.id, "offensive", "Stygt.")
    services.report_content(make_user(), "idea", idea.id, "spam")
    headers = _headers(moderator)
    data = client.get("/api/v1/moderation/queue?sort=most_reported", headers=headers).get_json()
    assert data["total"] == 2
    first = data["items"][0]
    assert (first["target_type"], first["target_id"], first["open_reports"]) == ("comment", comment.id, 2)
    assert first["reasons"] == {"offensive": 2} and first["state"] == "open"
    assert [n["note"] for n in first["notes"]] == ["Stygt.", "Stygt."]
    assert first["item"]["author"]["id"] == comment.author_id
    only_ideas = client.get("/api/v1/moderation/queue?kind=idea", headers=headers).get_json()
    assert [i["target_id"] for i in only_ideas["items"]] == [idea.id]


def test_moderator_hides_restores_and_dismisses_through_the_api(client, moderator):
    idea = make_idea()
    headers = _headers(moderator)
    hidden = client.post(f"/api/v1/moderation/idea/{idea.id}/hide", headers=headers,
                         json={"reason": "spam", "note": "Reklame."})
    assert hidden.status_code == 200
    assert hidden.get_json()["item"]["visibility"] == "hidden"
    assert hidden.get_json()["decision"] == "hide"
    twice = client.post(f"/api/v1/moderation/idea/{idea.id}/hide", headers=headers, json={"reason": "spam"})
    assert twice.status_code == 409
    restored = client.post(f"/api/v1/moderation/idea/{idea.id}/restore", headers=headers,
                           json={"reason": "no_violation"})
    assert restored.get_json()["item"]["visibility"] == "visible"
    services.report_content(make_user(), "idea", idea.id, "spam")
    dismissed = client.post(f"/api/v1/moderation/idea/{idea.id}/dismiss", headers=headers,
                            json={"reason": "no_violation"})
    assert dismissed.status_code == 200 and dismissed.get_json()["state"] == "resolved"
    missing_reason = client.post(f"/api/v1/moderation/idea/{idea.id}/hide", headers=headers, json={})
    assert missing_reason.status_code == 422
    unknown = client.post("/api/v1/moderation/project/1/hide", headers=headers, json={"reason": "spam"})
    assert unknown.status_code == 404
    actions = [r.action for r in db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))]
    assert actions == [AuditAction.HIDE, AuditAction.RESTORE, AuditAction.DISMISS]


def test_moderator_blocks_until_a_date_with_hidden_content_and_unblocks(client, moderator):
    person = make_user()
    comment = make_comment(author=person)
    headers = _headers(moderator)
    response = client.post(f"/api/v1/moderation/users/{person.id}/block", headers=headers,
                           json={"reason": "Spam.", "until": "2099-06-01", "hide_content": True})
    assert response.status_code == 200
    data = response.get_json()
    assert data["blocked"] and data["blocked_until"].startswith("2099-05-31T22:00")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.HIDDEN
    bad = client.post(f"/api/v1/moderation/users/{person.id}/block", headers=headers,
                      json={"reason": "Spam.", "until": "neste uke"})
    assert bad.status_code == 422 and "until" in bad.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/moderation/users/{person.id}/unblock", headers=headers, json={})
    assert response.status_code == 200 and not response.get_json()["blocked"]
    again = client.post(f"/api/v1/moderation/users/{person.id}/unblock", headers=headers, json={})
    assert again.status_code == 409


def test_log_lists_actions_newest_first_with_filters(client, moderator):
    idea = make_idea()
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    services.block_person(moderator, make_user(), "Hets.")
    headers = _headers(moderator)
    data = client.get("/api/v1/moderation/log", headers=headers).get_json()
    assert [row["action"] for row in data["items"]] == ["block", "hide"]
    assert data["items"][1]["reason_label"] == "Reklame eller spam"
    assert data["items"][1]["actor"]["id"] == moderator.id
    only = client.get("/api/v1/moderation/log?action=hide", headers=headers).get_json()
    assert [row["target_id"] for row in only["items"]] == [idea.id]


# --- rate limits ------------------------------------------------------------------------


def test_too_many_reports_answer_json_429_with_retry_after(client, app):
    app.config["RATELIMIT_REPORTS"] = "1 per hour"
    first, second = make_comment(), make_comment()
    headers = _headers(make_user())
    ok = client.post("/api/v1/reports", headers=headers,
                     json={"target_type": "comment", "target_id": first.id, "reason": "spam"})
    assert ok.status_code == 201
    response = client.post("/api/v1/reports", headers=headers,
                           json={"target_type": "comment", "target_id": second.id, "reason": "spam"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "rate_limited"


def test_every_api_call_counts_against_the_api_limit(client, app, moderator):
    app.config["RATELIMIT_API"] = "2 per minute"
    headers = _headers(moderator)
    assert client.get("/api/v1/moderation/log", headers=headers).status_code == 200
    assert client.get("/api/v1/moderation/queue", headers=headers).status_code == 200
    response = client.get("/api/v1/moderation/log", headers=headers)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    # Another person has a budget of their own.
    assert client.get("/api/v1/moderation/log", headers=_headers(make_user(role=Role.ADMIN))).status_code == 200


def test_a_refused_report_costs_nothing(client, app):
    app.config["RATELIMIT_REPORTS"] = "1 per hour"
    comment = make_comment()
    headers = _headers(make_user())
    refused = client.post("/api/v1/reports", headers=headers,
                          json={"target_type": "comment", "target_id": comment.id, "reason": "?"})
    assert refused.status_code == 422
    ok = client.post("/api/v1/reports", headers=headers,
                     json={"target_type": "comment", "target_id": comment.id, "reason": "spam"})
    assert ok.status_code == 201
    limited = client.post("/api/v1/reports", headers=headers,
                          json={"target_type": "comment", "target_id": make_comment().id, "reason": "spam"})
    assert limited.status_code == 429
