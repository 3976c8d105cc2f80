"""One-click unsubscribe (RFC 8058): a signed link per person and group, no login, no CSRF token.

The end-to-end test takes the List-Unsubscribe header from a mail the real SMTP server
received and POSTs to it as a mail provider does, with CSRF protection switched on.
"""

import re

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from app.extensions import db
from app.notifications import kinds
from app.notifications.mail import deliver_due
from app.notifications.models import Notice, NoticePreference
from app.notifications.services import notify
from app.notifications.unsubscribe import (
    read_token,
    unsubscribe_token,
    unsubscribe_tokens,
    unsubscribe_url,
)
from tests.factories import make_user

SITE = "https://medvik.example"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture(autouse=True)
def _site(app):
    app.config["SITE_URL"] = SITE


@pytest.fixture
def csrf_client(app):
    """The production setting: every POST needs a CSRF token, except where the signature is the proof."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def preference(user, group) -> str | None:
    return db.session.scalar(select(NoticePreference.channel).where(
        NoticePreference.user_id == user.id, NoticePreference.kind == group))


def label(group: str) -> str:
    return str(kinds.PREFERENCE_KINDS[group][1])


def path_of(url: str) -> str:
    assert url.startswith(SITE + "/unsubscribe/")
    return url[len(SITE):]


def restore(person) -> None:
    notify(person, "moderation.restored", "moderation_restored", url="/ideas/7",
           target_type="idea", excerpt="Benk ved fjorden", reason="Feil", note=None)
    db.session.commit()


def test_the_one_click_post_to_the_header_url_stops_that_kinds_email_but_not_the_notice(app, csrf_client, smtp):
    person = make_user(email="kari@example.no")
    restore(person)
    deliver_due()
    header = smtp.messages[0]["List-Unsubscribe"]
    url = re.fullmatch(r"<(.+)>", header).group(1)

    response = csrf_client.post(path_of(url), data=ONE_CLICK)  # no session, no CSRF token
    assert response.status_code == 200
    assert f"Du får ikke lenger e-post om «{label('moderation')}»" in response.get_data(as_text=True)
    assert preference(person, "moderation") == kinds.APP

    # The next such notice is still shown in the app, and no e-mail goes out.
    restore(person)
    assert deliver_due() == (0, 0)
    assert len(smtp.messages) == 1
    notices = db.session.scalars(select(Notice).where(Notice.user_id == person.id)).all()
    assert [n.channel for n in notices] == [kinds.IMMEDIATE, kinds.APP]


def test_get_shows_a_button_and_changes_nothing(app, client):
    person = make_user()
    response = client.get(path_of(unsubscribe_url(person.id, "followed_ideas")))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Vil du slutte å få e-post om «{label('followed_ideas')}»" in page
    assert '<button type="submit"' in page and 'method="post"' in page
    assert "Meldingene vises fortsatt under Meldinger" in page
    assert preference(person, "followed_ideas") is None  # a link scanner unsubscribes no one


def test_the_button_works_without_login_and_with_csrf_on(app, csrf_client):
    person = make_user()
    response = csrf_client.post(path_of(unsubscribe_url(person.id, "followed_projects")))
    assert response.status_code == 200
    assert "Du er meldt av" in response.get_data(as_text=True)
    assert preference(person, "followed_projects") == kinds.APP


def test_other_posts_still_need_the_csrf_token(app, csrf_client):
    response = csrf_client.post("/login", data={"email": "x@example.no", "password": "y"})
    assert response.status_code == 400


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature changed
    lambda token: "WzEsIm1vZGVyYXRpb24iXQ." + token.split(".")[1],            # payload swapped
    lambda token: token + "x" * 400,                                           # absurdly long
    lambda token: "not-a-token",
])
def test_a_tampered_link_is_a_clear_400_and_changes_nothing(app, csrf_client, mangle):
    person = make_user()
    token = unsubscribe_token(person.id, "followed_ideas")
    for method in (csrf_client.get, csrf_client.post):
        response = method(f"/unsubscribe/{mangle(token)}")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Lenken er ikke gyldig" in page and "Ingenting er endret" in page
    assert db.session.scalars(select(NoticePreference)).all() == []


def test_a_link_signed_with_another_secret_or_salt_is_refused(app, csrf_client):
    person = make_user()
    foreign = URLSafeSerializer("another-site-secret", salt="unsubscribe").dumps([person.id, "moderation"])
    other_salt = URLSafeSerializer(app.secret_key, salt="confirm-email").dumps([person.id, "moderation"])
    for token in (foreign, other_salt):
        assert csrf_client.post(f"/unsubscribe/{token}", data=ONE_CLICK).status_code == 400
    assert preference(person, "moderation") is None


def test_a_link_acts_for_its_own_person_only(app, csrf_client):
    kari, ola = make_user(), make_user()
    csrf_client.post(path_of(unsubscribe_url(kari.id, "replies")), data=ONE_CLICK)
    assert preference(kari, "replies") == kinds.APP
    assert preference(ola, "replies") is None


@pytest.mark.parametrize("payload", [[1, "no_such_group"], ["1", "moderation"], [True, "moderation"],
                                     [1], {"u": 1, "g": "moderation"}, [2**40, "moderation"]])
def test_a_validly_signed_but_malformed_payload_is_refused(app, payload):
    make_user()
    token = URLSafeSerializer(app.secret_key, salt="unsubscribe").dumps(payload)
    with pytest.raises(Exception, match="ikke gyldig"):
        read_token(token)


def test_a_group_already_off_stays_off_and_the_page_says_so(app, csrf_client):
    person = make_user()
    db.session.add(NoticePreference(user_id=person.id, kind="followed_areas", channel=kinds.OFF))
    db.session.commit()
    path = path_of(unsubscribe_url(person.id, "followed_areas"))
    assert "Du får allerede ikke e-post om dette" in csrf_client.get(path).get_data(as_text=True)
    response = csrf_client.post(path, data=ONE_CLICK)
    assert "Du får allerede ikke e-post om dette" in response.get_data(as_text=True)
    db.session.expire_all()
    assert preference(person, "followed_areas") == kinds.OFF  # not switched back on in the app


def test_unsubscribing_twice_is_harmless(app, csrf_client):
    person = make_user()
    path = path_of(unsubscribe_url(person.id, "own_idea"))
    assert csrf_client.post(path, data=ONE_CLICK).status_code == 200
    assert csrf_client.post(path, data=ONE_CLICK).status_code == 200
    assert db.session.scalars(select(NoticePreference.channel).where(
        NoticePreference.user_id == person.id)).all() == [kinds.APP]


def test_a_digest_link_stops_that_digest_and_nothing_else(app, csrf_client):
    person = make_user()
    db.session.add_all([
        NoticePreference(user_id=person.id, kind="own_idea", channel=kinds.DAILY),
        NoticePreference(user_id=person.id, kind="replies", channel=kinds.WEEKLY),
    ])
    db.session.commit()
    response = csrf_client.post(path_of(unsubscribe_url(person.id, "digest.weekly")), data=ONE_CLICK)
    assert "Du får ikke lenger «Ukentlig samlet e-post»" in response.get_data(as_text=True)
    db.session.expire_all()
    # Every group that went to the weekly digest (stored or by default) now stays in the app.
    for group, (default, _label, _help) in kinds.PREFERENCE_KINDS.items():
        if group == "own_idea":
            assert preference(person, group) == kinds.DAILY
        elif group == "replies" or default == kinds.WEEKLY:
            assert preference(person, group) == kinds.APP, group
        else:
            assert preference(person, group) is None, group  # its default (at once) stands


def test_a_link_for_a_deleted_person_is_refused(app, csrf_client):
    person = make_user()
    path = path_of(unsubscribe_url(person.id, "moderation"))
    db.session.delete(person)
    db.session.commit()
    assert csrf_client.post(path, data=ONE_CLICK).status_code == 400


def test_the_bulk_tokens_are_the_same_tokens(app):
    people = [make_user() for _ in range(3)]
    ids = [p.id for p in people]
    assert unsubscribe_tokens(ids, "followed_projects") == [unsubscribe_token(i, "followed_projects") for i in ids]
    assert read_token(unsubscribe_tokens(ids, "followed_projects")[1]).user.id == ids[1]


def test_the_link_is_rate_limited(app, csrf_client):
    app.config["RATELIMIT_UNSUBSCRIBE_PER_ADDRESS"] = "3 per hour"
    token = unsubscribe_token(make_user().id, "moderation")
    statuses = [csrf_client.get(f"/unsubscribe/{token}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
