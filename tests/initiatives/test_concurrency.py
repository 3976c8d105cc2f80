"""One signature per person under real concurrent requests (PostgreSQL): a live server, fifty
threads, one barrier, the signing form posted with the person's session cookie."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.initiatives.models import Initiative, Signature
from tests.factories import PASSWORD, make_user
from tests.initiatives.factories import make_collecting, verify

REQUESTS = 50


@pytest.fixture
def app_config(app_config):
    # Room for many requests at once, so they really meet in the database; every login from
    # one address would otherwise trip the login limit.
    return {**app_config, "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 35, "pool_timeout": 30}}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, data: dict, cookie: str | None = None) -> tuple[int, str | None]:
    headers = {"Host": "medvirk.test", "Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST",
                                     headers=headers)
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, response.headers.get("Set-Cookie")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Set-Cookie")


def _session_cookie(live_server: str, email: str) -> str:
    status, set_cookie = _post(f"{live_server}/login", {"email": email, "password": PASSWORD})
    assert status == 302, status
    return set_cookie.split(";", 1)[0]


def _fire_at_once(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))

    def send(call):
        barrier.wait()
        return call()[0]

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def _counts(initiative_id: int) -> tuple[int, int]:
    db.session.expire_all()
    rows = db.session.scalar(select(func.count(Signature.id)).where(Signature.initiative_id == initiative_id))
    return rows, db.session.get(Initiative, initiative_id).signature_count


def test_one_person_pressing_sign_fifty_times_at_once_signs_once(app, live_server):
    initiative = make_collecting()
    person = make_user()
    cookie = _session_cookie(live_server, person.email)
    url = f"{live_server}/initiatives/{initiative.id}/sign"
    statuses = _fire_at_once([lambda: _post(url, {"confirmed_resident": "y"}, cookie)] * REQUESTS)
    assert statuses == [303] * REQUESTS, statuses
    assert _counts(initiative.id) == (1, 1)


def test_two_accounts_of_one_verified_person_at_once_give_one_signature(app, live_server):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "sign"
    initiative = make_collecting()
    first, second = make_user(), make_user()
    verify(first, "one-and-the-same")
    from app.accounts.models import Identity

    db.session.add(Identity(user_id=second.id, provider="other", kind="resident", issuer="https://other.test",
                            person_hash="one-and-the-same".ljust(64, "0"), level="high"))
    db.session.commit()
    cookies = [_session_cookie(live_server, first.email), _session_cookie(live_server, second.email)]
    url = f"{live_server}/initiatives/{initiative.id}/sign"
    calls = [lambda c=cookies[n % 2]: _post(url, {"confirmed_resident": "y"}, c) for n in range(REQUESTS)]
    statuses = _fire_at_once(calls)
    assert set(statuses) == {303}, statuses  # refused ones come back with a message, never a 500
    assert _counts(initiative.id) == (1, 1)


def test_fifty_people_signing_at_once_give_exactly_fifty_and_withdrawing_gives_zero(app, live_server):
    initiative = make_collecting()
    people = [make_user() for _ in range(REQUESTS)]
    cookies = [_session_cookie(live_server, person.email) for person in people]
    sign_url = f"{live_server}/initiatives/{initiative.id}/sign"
    statuses = _fire_at_once([lambda c=c: _post(sign_url, {"confirmed_resident": "y"}, c) for c in cookies])
    assert statuses == [303] * REQUESTS, statuses
    assert _counts(initiative.id) == (REQUESTS, REQUESTS)
    unsign_url = f"{live_server}/initiatives/{initiative.id}/unsign"
    # Everyone takes it back twice, all at the same moment.
    statuses = _fire_at_once([lambda c=c: _post(unsign_url, {}, c) for c in cookies * 2])
    assert set(statuses) == {303}, statuses
    assert _counts(initiative.id) == (0, 0)
