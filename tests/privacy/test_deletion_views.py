"""Deleting an account through the page, the API and the staff screen; cancelling by signing in."""

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import Role, SignIn, User
from app.accounts.services import NO_PASSWORD, create_api_token
from app.core.db import utcnow
from app.extensions import db
from app.moderation.models import AuditAction, ModerationAction
from app.notifications.models import OutboxMessage
from app.privacy.deletion import complete_due_deletions
from tests.factories import PASSWORD, login, make_user


def _reload(user_id: int) -> User | None:
    db.session.expire_all()
    return db.session.get(User, user_id)


def test_page_explains_the_choice_and_the_profile_links_to_it(client):
    person = make_user()
    login(client, person)
    assert "Slett kontoen min" in client.get("/profile").get_data(as_text=True)
    page = client.get("/profile/delete").get_data(as_text=True)
    assert "Tidligere deltaker" in page and "Fjern ideene og kommentarene mine" in page
    assert 'autocomplete="current-password"' in page


def test_wrong_password_keeps_the_page_with_the_error_next_to_the_field(client):
    person = make_user()
    login(client, person)
    response = client.post("/profile/delete", data={"content": "keep", "password": "feil passord"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<div class="ds-validation-message" data-field="validation" id="password-error">Passordet er feil. Prøv igjen.</div>' in page
    assert 'aria-invalid="true"' in page
    # The choice stays as it was made.
    assert '<input checked class="ds-input" id="content-1" name="content" required type="radio" value="keep">' in page
    assert _reload(person.id).deletion_requested_at is None


def test_missing_choice_is_an_error_next_to_the_field(client):
    person = make_user()
    login(client, person)
    response = client.post("/profile/delete", data={"password": PASSWORD})
    assert response.status_code == 422
    assert "Velg hva som skal skje med det du har skrevet." in response.get_data(as_text=True)


def test_request_logs_out_mails_the_date_and_signing_in_cancels(client):
    person = make_user()
    login(client, person)
    response = client.post("/profile/delete", data={"content": "remove", "password": PASSWORD})
    assert response.status_code == 302
    stored = _reload(person.id)
    assert stored.deletion_requested_at is not None and stored.deletion_keep_content is False
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address == person.email)) == 1
    # Logged out everywhere: the profile asks for a login.
    assert client.get("/profile").status_code == 302
    # Signing in cancels, and the next page says so.
    login(client, stored)
    assert _reload(person.id).deletion_requested_at is None
    page = client.get("/").get_data(as_text=True)
    assert "Sletting er avbrutt" in page
    assert complete_due_deletions(utcnow() + timedelta(days=30)) == 0


def test_account_without_password_needs_a_recent_sign_in(client, app):
    person = make_user()
    person.password_hash = NO_PASSWORD
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = person.get_id()
        session["_fresh"] = True
    db.session.add(SignIn(user_id=person.id, method="oidc:idporten", created_at=utcnow() - timedelta(minutes=11)))
    db.session.commit()
    response = client.post("/profile/delete", data={"content": "keep"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _reload(person.id).deletion_requested_at is None
    # A fresh sign-in is proof enough.
    with client.session_transaction() as session:
        session["_user_id"] = person.get_id()
    db.session.add(SignIn(user_id=person.id, method="oidc:idporten", created_at=utcnow()))
    db.session.commit()
    response = client.post("/profile/delete", data={"content": "keep"})
    assert response.status_code == 302
    assert _reload(person.id).deletion_keep_content is True


def test_api_delete_me_with_token(client):
    person = make_user()
    _token, raw = create_api_token(person, "skript")
    headers = {"Authorization": f"Bearer {raw}"}
    wrong = client.delete("/api/v1/me", json={"keep_content": True, "password": "nei"}, headers=headers)
    assert wrong.status_code == 422
    assert "password" in wrong.get_json()["error"]["fields"]
    missing = client.delete("/api/v1/me", json={"password": PASSWORD}, headers=headers)
    assert missing.status_code == 422 and "keep_content" in missing.get_json()["error"]["fields"]
    bad_type = client.delete("/api/v1/me", json={"keep_content": "ja", "password": PASSWORD}, headers=headers)
    assert bad_type.status_code == 400
    ok = client.delete("/api/v1/me", json={"keep_content": False, "password": PASSWORD}, headers=headers)
    assert ok.status_code == 202
    body = ok.get_json()["deletion"]
    assert body["keep_content"] is False and body["due_at"]
    assert _reload(person.id).deletion_requested_at is not None
    assert client.delete("/api/v1/me", json={"keep_content": False}).status_code == 401


def test_staff_delete_on_behalf_erases_at_once_with_the_audit_log(client):
    admin = make_user(role=Role.ADMIN)
    make_user(role=Role.ADMIN)
    person = make_user("Hedda Gravdal", "hedda@example.no")
    login(client, admin)
    page = client.get(f"/admin/privacy/people/{person.id}").get_data(as_text=True)
    assert "Slett kontoen på personens vegne" in page
    missing = client.post(f"/admin/privacy/people/{person.id}/delete", data={"content": "keep"})
    assert missing.status_code == 422
    assert "Skriv hva personen ba om, og når." in missing.get_data(as_text=True)
    assert _reload(person.id) is not None
    response = client.post(f"/admin/privacy/people/{person.id}/delete",
                           data={"content": "keep", "reason": "Brev 3. mars"})
    assert response.status_code == 302
    assert _reload(person.id) is None
    row = db.session.scalar(select(ModerationAction).where(ModerationAction.action == AuditAction.ACCOUNT_DELETED))
    assert row.actor_id == admin.id and row.reason == "Brev 3. mars" and row.target_id == person.id


def test_staff_cannot_erase_the_last_admin_and_residents_cannot_use_the_staff_form(client):
    admin = make_user(role=Role.ADMIN)
    moderator = make_user(role=Role.MODERATOR)
    resident = make_user()
    login(client, resident)
    assert client.post(f"/admin/privacy/people/{moderator.id}/delete",
                       data={"content": "keep", "reason": "x"}).status_code in (403, 404)
    client.post("/logout")
    login(client, admin)
    refused = client.post(f"/admin/privacy/people/{admin.id}/delete", data={"content": "keep", "reason": "Brev"})
    assert refused.status_code == 422
    assert _reload(admin.id) is not None
    # The last admin's own page says why instead of offering the form.
    page = client.get("/profile/delete").get_data(as_text=True)
    assert "siste administratoren" in page


def test_what_an_erased_person_left_reads_former_participant_in_the_readers_language(client):
    from app.privacy.deletion import erase_user
    from tests.ideas.factories import make_idea

    person = make_user(name="Vigdis Forsvunnet")
    idea = make_idea(author=person, title="Benker langs elvepromenaden ved brua")
    erase_user(person, keep_content=True, actor=None, reason="test")
    db.session.commit()
    for lang, words in (("nb", "Tidligere deltaker"), ("nn", "Tidlegare deltakar"),
                        ("en", "Former participant")):
        page = client.get(f"/ideas/{idea.id}?lang={lang}").get_data(as_text=True)
        assert words in page and "Vigdis" not in page, lang
    assert client.get(f"/api/v1/ideas/{idea.id}?lang=en").get_json()["author"]["name"] == "Former participant"
