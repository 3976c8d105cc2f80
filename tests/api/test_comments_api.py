"""API v1 comments: list, post and reply, edit, delete; shapes and error shapes."""

import pytest

from app.accounts import services as accounts
from app.comments import services
from app.comments.models import Comment, CommentVisibility
from app.extensions import db
from app.ideas.models import IdeaStatus
from tests.comments.factories import comment_count, make_comment, make_idea
from tests.factories import login, make_organisation, make_user

COMMENT_KEYS = {"id", "idea_id", "parent_id", "author", "organisation", "body", "created_at", "edited"}


@pytest.fixture
def token_user(app):
    user = make_user("Amina Yusuf")
    _token, raw = accounts.create_api_token(user, "test")
    return user, {"Authorization": f"Bearer {raw}"}


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


# --- reading -------------------------------------------------------------------------------


def test_anyone_lists_comments_with_the_documented_shape(client):
    idea = make_idea()
    member = make_user("Per Olav Strand")
    organisation = make_organisation(members=(member,), name="Nordbygda Velforening")
    top = make_comment(idea, author=make_user("Ola Nordmann"), body="Godt forslag")
    make_comment(idea, author=member, body="Vi hjelper til", parent=top, organisation=organisation)
    response = client.get(f"/api/v1/ideas/{idea.id}/comments")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"items", "page", "per_page", "total"}
    assert (data["page"], data["per_page"], data["total"]) == (1, 20, 2)
    first, reply = data["items"]
    assert set(first) >= COMMENT_KEYS
    assert first["id"] == top.id and first["idea_id"] == idea.id and first["parent_id"] is None
    assert first["author"] == {"name": "Ola Nordmann"}
    assert first["organisation"] is None
    assert first["body"] == "Godt forslag"
    assert first["edited"] is False and first["hidden"] is False
    assert first["created_at"].startswith("20") and "T" in first["created_at"]
    assert reply["parent_id"] == top.id
    assert reply["author"] == {"name": "Per Olav Strand"}
    assert reply["organisation"] == {"id": organisation.id, "name": "Nordbygda Velforening"}


def test_list_is_paginated_and_can_be_newest_first(client):
    idea = make_idea()
    comments = [make_comment(idea, body=f"Kommentar {n}") for n in range(5)]
    data = client.get(f"/api/v1/ideas/{idea.id}/comments?per_page=2&page=3").get_json()
    assert data["total"] == 5 and data["per_page"] == 2 and data["page"] == 3
    assert [c["id"] for c in data["items"]] == [comments[4].id]
    newest = client.get(f"/api/v1/ideas/{idea.id}/comments?order=newest&per_page=2").get_json()
    assert [c["id"] for c in newest["items"]] == [comments[4].id, comments[3].id]
    capped = client.get(f"/api/v1/ideas/{idea.id}/comments?per_page=1000").get_json()
    assert capped["per_page"] == 100


def test_hidden_comment_is_a_placeholder_without_text_or_author(client):
    idea = make_idea()
    top = make_comment(idea, body="Stygg tekst")
    make_comment(idea, body="Saklig svar", parent=top)
    services.apply_comment_visibility(top, "hidden", hidden_reason="Sjikane")
    db.session.commit()
    items = client.get(f"/api/v1/ideas/{idea.id}/comments").get_json()["items"]
    placeholder = next(c for c in items if c["id"] == top.id)
    assert placeholder["hidden"] is True
    assert placeholder["body"] is None and placeholder["author"] is None
    assert placeholder["hidden_reason"] == "Sjikane"
    assert any(c["body"] == "Saklig svar" for c in items)


def test_author_reads_own_hidden_comment_through_the_api(client, token_user):
    user, headers = token_user
    idea = make_idea()
    top = make_comment(idea, author=user, body="Min tekst")
    services.apply_comment_visibility(top, "hidden", hidden_reason="Spam")
    db.session.commit()
    item = client.get(f"/api/v1/ideas/{idea.id}/comments", headers=headers).get_json()["items"][0]
    assert item["body"] == "Min tekst" and item["hidden"] is True


def test_deleted_comment_appears_only_as_head_of_remaining_replies(client):
    idea = make_idea()
    author = make_user()
    with_replies = make_comment(idea, author=author, body="Med svar")
    make_comment(idea, body="Svaret", parent=with_replies)
    alone = make_comment(idea, author=author, body="Uten svar")
    services.delete_comment(author, with_replies)
    services.delete_comment(author, alone)
    data = client.get(f"/api/v1/ideas/{idea.id}/comments").get_json()
    ids = [c["id"] for c in data["items"]]
    assert alone.id not in ids and data["total"] == 2
    head = data["items"][0]
    assert head["id"] == with_replies.id and head["deleted"] is True and head["body"] is None


def test_comments_of_a_missing_or_hidden_idea_are_not_found(client):
    _error(client.get("/api/v1/ideas/999999/comments"), 404, "not_found")
    hidden = make_idea(visible=False)
    _error(client.get(f"/api/v1/ideas/{hidden.id}/comments"), 404, "not_found")


def test_moderator_lists_comments_of_a_hidden_idea(client):
    hidden = make_idea(visible=False)
    login(client, make_user(role="moderator"))
    assert client.get(f"/api/v1/ideas/{hidden.id}/comments").status_code == 200


def test_one_comment_by_id(client):
    comment = make_comment(make_idea(), body="Enkelt")
    data = client.get(f"/api/v1/comments/{comment.id}").get_json()
    assert data["body"] == "Enkelt" and data["url"].endswith(f"#comment-{comment.id}")
    _error(client.get("/api/v1/comments/999999"), 404)


# --- posting -------------------------------------------------------------------------------


def test_post_with_token_returns_201_and_the_comment(client, token_user):
    _user, headers = token_user
    idea = make_idea()
    response = client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Fra API-et"}, headers=headers)
    assert response.status_code == 201
    data = response.get_json()
    assert set(data) >= COMMENT_KEYS
    assert data["body"] == "Fra API-et" and data["author"] == {"name": "Amina Yusuf"}
    assert data["idea_id"] == idea.id and data["parent_id"] is None
    assert comment_count(idea) == 1


def test_post_with_session_cookie_works(client):
    idea = make_idea()
    login(client, make_user())
    response = client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Fra nettsiden"})
    assert response.status_code == 201


def test_reply_with_parent_id_and_reply_to_a_reply_goes_to_the_top(client, token_user):
    _user, headers = token_user
    idea = make_idea()
    top = make_comment(idea)
    reply = make_comment(idea, parent=top)
    data = client.post(
        f"/api/v1/ideas/{idea.id}/comments", json={"body": "Svar", "parent_id": reply.id}, headers=headers
    ).get_json()
    assert data["parent_id"] == top.id


def test_post_on_behalf_of_organisation(client, token_user):
    user, headers = token_user
    organisation = make_organisation(members=(user,), name="Medvik Frivilligsentral")
    idea = make_idea()
    data = client.post(
        f"/api/v1/ideas/{idea.id}/comments",
        json={"body": "Vi hjelper", "organisation_id": organisation.id}, headers=headers,
    ).get_json()
    assert data["organisation"] == {"id": organisation.id, "name": "Medvik Frivilligsentral"}


def test_visitor_cannot_post(client):
    idea = make_idea()
    _error(client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Hei"}), 401, "unauthorized")
    assert comment_count(idea) == 0


def test_bad_token_is_unauthorised(client):
    idea = make_idea()
    response = client.post(
        f"/api/v1/ideas/{idea.id}/comments", json={"body": "Hei"}, headers={"Authorization": "Bearer nope"}
    )
    _error(response, 401)


def test_too_short_body_is_422_with_field(client, token_user):
    _user, headers = token_user
    error = _error(
        client.post(f"/api/v1/ideas/{make_idea().id}/comments", json={"body": "x"}, headers=headers),
        422, "invalid",
    )
    assert "minst 2 tegn" in error["fields"]["body"][0]


def test_missing_body_is_422_and_wrong_types_are_400(client, token_user):
    _user, headers = token_user
    idea = make_idea()
    url = f"/api/v1/ideas/{idea.id}/comments"
    assert "body" in _error(client.post(url, json={}, headers=headers), 422)["fields"]
    assert "body" in _error(client.post(url, json={"body": 12}, headers=headers), 400)["fields"]
    assert "parent_id" in _error(
        client.post(url, json={"body": "Hei der", "parent_id": "abc"}, headers=headers), 400
    )["fields"]
    _error(client.post(url, data="ikke json", content_type="application/json", headers=headers), 422)
    _error(client.post(url, json=["liste"], headers=headers), 422)
    assert comment_count(idea) == 0


def test_duplicate_is_422(client, token_user):
    _user, headers = token_user
    url = f"/api/v1/ideas/{make_idea().id}/comments"
    assert client.post(url, json={"body": "Samme tekst"}, headers=headers).status_code == 201
    error = _error(client.post(url, json={"body": "samme  TEKST"}, headers=headers), 422)
    assert "allerede skrevet" in error["fields"]["body"][0]


def test_unknown_parent_or_organisation_is_422(client, token_user):
    _user, headers = token_user
    url = f"/api/v1/ideas/{make_idea().id}/comments"
    assert "parent_id" in _error(client.post(url, json={"body": "Hei der", "parent_id": 999999}, headers=headers), 422)["fields"]
    assert "organisation_id" in _error(
        client.post(url, json={"body": "Hei der", "organisation_id": 999999}, headers=headers), 422
    )["fields"]


def test_parent_on_another_idea_is_422(client, token_user):
    _user, headers = token_user
    elsewhere = make_comment(make_idea())
    error = _error(client.post(
        f"/api/v1/ideas/{make_idea().id}/comments", json={"body": "Hei der", "parent_id": elsewhere.id},
        headers=headers,
    ), 422)
    assert "parent_id" in error["fields"]


def test_non_member_on_behalf_of_organisation_is_403(client, token_user):
    _user, headers = token_user
    organisation = make_organisation(admin=make_user())
    error = _error(client.post(
        f"/api/v1/ideas/{make_idea().id}/comments",
        json={"body": "Hei der", "organisation_id": organisation.id}, headers=headers,
    ), 403, "forbidden")
    assert "organisation_id" in error["fields"]


def test_unverified_organisation_is_403(client, token_user):
    user, headers = token_user
    organisation = make_organisation(admin=user, verified=False)
    _error(client.post(
        f"/api/v1/ideas/{make_idea().id}/comments",
        json={"body": "Hei der", "organisation_id": organisation.id}, headers=headers,
    ), 403)


def test_blocked_and_unconfirmed_are_403(client):
    idea = make_idea()
    for user in (make_user(is_blocked=True), make_user(confirmed=False)):
        _token, raw = accounts.create_api_token(user, "t")
        _error(client.post(
            f"/api/v1/ideas/{idea.id}/comments", json={"body": "Hei der"},
            headers={"Authorization": f"Bearer {raw}"},
        ), 403)
    assert comment_count(idea) == 0


def test_withdrawn_idea_is_409(client, token_user):
    _user, headers = token_user
    idea = make_idea(status=IdeaStatus.WITHDRAWN)
    _error(client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Hei der"}, headers=headers), 409, "conflict")


def test_posting_is_rate_limited_with_json_429(client, app, token_user):
    _user, headers = token_user
    app.config["RATELIMIT_COMMENTS"] = "1 per hour"
    url = f"/api/v1/ideas/{make_idea().id}/comments"
    assert client.post(url, json={"body": "Første"}, headers=headers).status_code == 201
    response = client.post(url, json={"body": "Andre"}, headers=headers)
    _error(response, 429, "rate_limited")
    assert response.headers.get("Retry-After")


# --- editing and deleting ------------------------------------------------------------------


def test_author_edits_with_patch(client, token_user):
    user, headers = token_user
    comment = make_comment(make_idea(), author=user, body="Før")
    response = client.patch(f"/api/v1/comments/{comment.id}", json={"body": "Etter"}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["body"] == "Etter" and response.get_json()["edited"] is True


def test_someone_else_cannot_patch_or_delete(client, token_user):
    _user, headers = token_user
    idea = make_idea()
    comment = make_comment(idea, body="Original")
    _error(client.patch(f"/api/v1/comments/{comment.id}", json={"body": "Kapret"}, headers=headers), 403)
    _error(client.delete(f"/api/v1/comments/{comment.id}", headers=headers), 403)
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Original"
    assert comment_count(idea) == 1


def test_author_deletes_with_delete_and_count_goes_down(client, token_user):
    user, headers = token_user
    idea = make_idea()
    comment = make_comment(idea, author=user)
    assert client.delete(f"/api/v1/comments/{comment.id}", headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).visibility == CommentVisibility.DELETED
    assert comment_count(idea) == 0
    _error(client.delete(f"/api/v1/comments/{comment.id}", headers=headers), 409)
