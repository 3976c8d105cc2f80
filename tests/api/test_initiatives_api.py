"""API v1 for innbyggerforslag: the public list and detail (counts, never signers or the contact
address), signing and withdrawing with the same rules as the pages, and one signature per person
under fifty requests at once on PostgreSQL."""

import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.accounts.services import create_api_token
from app.extensions import db
from app.initiatives import services
from app.initiatives.models import Initiative, Signature
from tests.factories import make_user
from tests.initiatives.factories import make_collecting, make_proposal, verify


def _bearer(user) -> dict:
    _token, raw = create_api_token(user, "test")
    return {"Authorization": f"Bearer {raw}"}


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    if code:
        assert error["code"] == code
    return error


def _counts(initiative_id: int) -> tuple[int, int]:
    db.session.expire_all()
    rows = db.session.scalar(select(func.count(Signature.id)).where(Signature.initiative_id == initiative_id))
    return rows, db.session.get(Initiative, initiative_id).signature_count


def test_the_list_shows_public_initiatives_with_counts_and_threshold(app, client):
    app.config["POPULATION"] = 5000
    collecting = make_collecting(title="Lys i lysløypa hele vinteren")
    make_proposal(title="Venter på moderator")  # not public yet
    body = client.get("/api/v1/initiatives").get_json()
    assert [item["title"] for item in body["items"]] == ["Lys i lysløypa hele vinteren"]
    item = body["items"][0]
    assert item["threshold"] == 100 and item["total_signatures"] == 0 and item["status"] == "collecting"
    assert item["url"].endswith(f"/initiatives/{collecting.id}")
    assert "contact_email" not in item and "forslag@example.no" not in str(body)
    assert client.get("/api/v1/initiatives?status=submitted").get_json()["items"] == []
    assert client.get("/api/v1/initiatives?status=collecting").get_json()["total"] == 1


def test_an_unknown_filter_is_a_422_naming_it(client):
    error = _error(client.get("/api/v1/initiatives?status=everything"), 422)
    assert "status" in error["fields"]


def test_detail_shows_only_the_names_that_chose_to_be_shown(app, client):
    initiative = make_collecting()
    services.sign(make_user("Synnøve Synlig"), initiative.id, confirmed_resident=True, show_name=True)
    services.sign(make_user("Hemming Hemmelig"), initiative.id, confirmed_resident=True)
    body = client.get(f"/api/v1/initiatives/{initiative.id}").get_json()
    assert [s["name"] for s in body["public_signers"]] == ["Synnøve Synlig"]
    assert body["signature_count"] == 2 and body["public_signer_count"] == 1
    assert "Hemming" not in str(body)
    assert body["signed"] is False


def test_a_proposal_waiting_for_moderation_is_404_for_others_and_visible_to_its_proposer(client):
    proposer = make_user()
    initiative = make_proposal(proposer)
    _error(client.get(f"/api/v1/initiatives/{initiative.id}"), 404, "not_found")
    _error(client.get(f"/api/v1/initiatives/{initiative.id}", headers=_bearer(make_user())), 404)
    mine = client.get(f"/api/v1/initiatives/{initiative.id}", headers=_bearer(proposer))
    assert mine.status_code == 200 and mine.get_json()["status"] == "awaiting_moderation"


def test_sign_and_withdraw(client):
    initiative = make_collecting()
    person = make_user()
    headers = _bearer(person)
    url = f"/api/v1/initiatives/{initiative.id}/signature"
    response = client.post(url, json={"confirmed_resident": True, "show_name": True}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"signed": True, "signature_count": 1, "total_signatures": 1,
                                   "threshold": initiative.signature_threshold}
    again = client.post(url, json={"confirmed_resident": True}, headers=headers)
    assert again.get_json()["signature_count"] == 1  # twice changes nothing
    assert client.get(f"/api/v1/initiatives/{initiative.id}", headers=headers).get_json()["signed"] is True
    gone = client.delete(url, headers=headers)
    assert gone.status_code == 200 and gone.get_json()["signed"] is False
    assert _counts(initiative.id) == (0, 0)
    assert client.delete(url, headers=headers).get_json()["signature_count"] == 0


def test_signing_needs_the_residence_confirmation_next_to_its_field(client):
    initiative = make_collecting()
    url = f"/api/v1/initiatives/{initiative.id}/signature"
    error = _error(client.post(url, json={}, headers=_bearer(make_user())), 422)
    assert "folkeregistrert" in error["fields"]["confirmed_resident"][0]
    error = _error(client.post(url, json={"confirmed_resident": False}, headers=_bearer(make_user())), 422)
    assert "confirmed_resident" in error["fields"]
    assert _counts(initiative.id) == (0, 0)


def test_signing_answers_in_the_callers_language(client):
    initiative = make_collecting()
    error = _error(client.post(f"/api/v1/initiatives/{initiative.id}/signature", json={},
                               headers={**_bearer(make_user()), "Accept-Language": "en"}), 422)
    assert "registered" in error["fields"]["confirmed_resident"][0]


@pytest.mark.parametrize("payload", [
    {"confirmed_resident": "yes"}, {"confirmed_resident": 1}, {"confirmed_resident": True, "show_name": "\x00"},
])
def test_wrong_types_are_a_400_and_change_nothing(client, payload):
    initiative = make_collecting()
    response = client.post(f"/api/v1/initiatives/{initiative.id}/signature", json=payload,
                           headers=_bearer(make_user()))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert _counts(initiative.id) == (0, 0)


def test_anonymous_callers_and_unknown_ids(client):
    initiative = make_collecting()
    _error(client.post(f"/api/v1/initiatives/{initiative.id}/signature", json={"confirmed_resident": True}), 401)
    headers = _bearer(make_user())
    _error(client.post("/api/v1/initiatives/2147483647/signature", json={"confirmed_resident": True},
                       headers=headers), 404)
    assert client.get("/api/v1/initiatives/99999999999999").status_code == 404


def test_no_signing_before_approval_or_after_submission(app, client):
    app.config["POPULATION"] = 100  # 2 needed
    waiting = make_proposal()
    person = make_user()
    _error(client.post(f"/api/v1/initiatives/{waiting.id}/signature", json={"confirmed_resident": True},
                       headers=_bearer(person)), 404)
    proposer = make_user()
    initiative = make_collecting(proposer)
    for signer in (make_user(), make_user()):
        services.sign(signer, initiative.id, confirmed_resident=True)
    services.submit_initiative(proposer, initiative.id)
    _error(client.post(f"/api/v1/initiatives/{initiative.id}/signature", json={"confirmed_resident": True},
                       headers=_bearer(person)), 409)
    assert _counts(initiative.id) == (2, 2)


def test_a_municipality_that_requires_id_porten_refuses_unverified_signers(app, client):
    app.config["VERIFIED_IDENTITY_REQUIRED_FOR"] = "sign"
    initiative = make_collecting()
    person = make_user()
    url = f"/api/v1/initiatives/{initiative.id}/signature"
    _error(client.post(url, json={"confirmed_resident": True}, headers=_bearer(person)), 403)
    verify(person)
    assert client.post(url, json={"confirmed_resident": True}, headers=_bearer(person)).status_code == 200


# --- fifty at once ------------------------------------------------------------------------------


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 35, "pool_timeout": 30}}


def _send(url: str, method: str, headers: dict) -> int:
    request = urllib.request.Request(url, data=b'{"confirmed_resident": true}' if method == "POST" else None,
                                     method=method, headers={"Host": "medvirk.test",
                                                             "Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _at_once(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_fifty_api_signatures_of_one_person_at_once_are_one(app, live_server):
    initiative = make_collecting()
    headers = _bearer(make_user())
    url = f"{live_server}/api/v1/initiatives/{initiative.id}/signature"
    statuses = _at_once([lambda: _send(url, "POST", headers)] * 50)
    assert statuses == [200] * 50, statuses
    assert _counts(initiative.id) == (1, 1)
    statuses = _at_once([lambda: _send(url, "DELETE", headers)] * 50)
    assert statuses == [200] * 50, statuses
    assert _counts(initiative.id) == (0, 0)
