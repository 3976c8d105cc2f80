"""The moderation queue kept for moderators of the same areas with the same rights
(app/moderation/staff_views.py: queue): a second moderator's look costs the sign-in, not the
queue's statements; a moderator of another area, or with other rights, is never shown a queue
kept for someone else; a decision leaves the queue on the next look; each moderator's bulk form
carries their own CSRF token, which the decision accepts."""

import re

import pytest

from app.accounts import services as accounts
from app.accounts.models import Role
from app.moderation import queries
from bench.querycount import count_queries
from tests.factories import make_user, signed_in
from tests.moderation.test_scoped_moderation import town  # noqa: F401  (a fixture)

FIELD = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
CSRF = re.compile(r'(name="csrf-token" content|name="csrf_token"\s+value)="[^"]*"')


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAGE_CACHE_SECONDS": 30}


def _main(response) -> str:
    page = response.get_data(as_text=True)
    return CSRF.sub("", page[page.index("<main"):page.index("</main>")])


def _read_the_queue(log) -> bool:
    """Whether the queue's cases were read (their columns; the menu only counts them)."""
    return any("SELECT moderation_cases.id" in sql for sql, _params in log.statements)


def test_moderators_of_the_same_areas_share_the_queue_and_nobody_gets_another_areas(app, town):  # noqa: F811
    health = town["health"].municipal_area_id
    second = make_user("Morten Moderator", role=Role.MODERATOR)
    accounts.set_user_areas(None, second, [health])
    school = make_user("Sara Skolemoderator", role=Role.MODERATOR)
    accounts.set_user_areas(None, school, [town["school"].municipal_area_id])
    people = {"first": town["moderator"], "second": second, "school": school,
              "everywhere": make_user("Mads Moderator", role=Role.MODERATOR), "admin": make_user(role=Role.ADMIN)}
    clients = dict(zip(people, signed_in(app, *people.values()), strict=True))
    with count_queries() as log:
        kept = {"first": _main(clients["first"].get("/moderation"))}
    assert _read_the_queue(log)  # the first look reads it
    kept |= {name: _main(client.get("/moderation")) for name, client in clients.items() if name != "first"}
    with count_queries() as log:
        again = _main(clients["second"].get("/moderation"))
    assert not _read_the_queue(log)
    assert again == kept["second"] == kept["first"]
    assert "Kjøp billige piller her" in kept["first"] and "Selger brukte sykler billig" not in kept["first"]
    assert "Selger brukte sykler billig" in kept["school"] and "Kjøp billige piller her" not in kept["school"]
    assert "Selger brukte sykler billig" in kept["everywhere"] and "Kjøp billige piller her" in kept["everywhere"]
    assert "Selger brukte sykler billig" in kept["admin"] and "Kjøp billige piller her" in kept["admin"]
    # Each is the page they get with nothing kept.
    app.config["PAGE_CACHE_SECONDS"] = 0
    for name, client in clients.items():
        assert _main(client.get("/moderation")) == kept[name], name


def test_a_decision_leaves_the_queue_at_once_and_the_kept_form_takes_each_ones_own_token(app, town):  # noqa: F811
    second = make_user("Morten Moderator", role=Role.MODERATOR)
    accounts.set_user_areas(None, second, [town["health"].municipal_area_id])
    first_client, second_client = signed_in(app, town["moderator"], second)
    app.config["WTF_CSRF_ENABLED"] = True
    page = first_client.get("/moderation").get_data(as_text=True)
    theirs = FIELD.search(page[page.index("<main"):]).group(1)
    with count_queries() as log:
        page = second_client.get("/moderation").get_data(as_text=True)
    assert not _read_the_queue(log)
    own = FIELD.search(page[page.index("<main"):]).group(1)
    assert own != theirs and theirs not in page
    case = queries.case_for("idea", town["health_idea"].id)
    decision = {"case_ids": [str(case.id)], "decision": "hide", "reason": "spam", "next": "/moderation"}
    assert second_client.post("/moderation/decide", data={**decision, "csrf_token": theirs}).status_code == 400
    assert second_client.post("/moderation/decide", data={**decision, "csrf_token": own}).status_code == 302
    # Decided: it leaves the queue for the other moderator of the area on their next look.
    assert f'id="case-{case.id}"' in page
    assert f'id="case-{case.id}"' not in _main(first_client.get("/moderation"))


def test_a_bulk_decision_sent_back_still_says_so_in_the_title(app, town):  # noqa: F811
    (client,) = signed_in(app, town["moderator"])
    client.get("/moderation")
    response = client.post("/moderation/decide", data={"decision": "hide", "reason": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Feil i skjemaet" in html and "Velg minst én sak i køen." in html
    assert "Kjøp billige piller her" in html
