"""Hostile input for every innbyggerforslag route, with initiatives in every state to hit: never a
5xx, nothing written on an error. The generic fuzz (tests/fuzz) covers these routes too, but its
world has no initiative, so most of them only ever answer 404 there."""

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from app.accounts.models import Role
from app.initiatives import services
from tests.factories import login, make_user
from tests.fuzz.test_fuzz import (
    EXAMPLES,
    query_arg_names,
    requests_for,
    routes,
    snapshot,
    snapshot_sql,
)
from tests.initiatives.factories import make_collecting, make_proposal, sign_many


def _world(app):
    app.config["POPULATION"] = 50
    waiting = make_proposal()
    collecting = make_collecting()
    submitted = make_collecting()
    sign_many(submitted.id, 1)
    services.submit_initiative(submitted.proposer, submitted.id)
    return [waiting.id, collecting.id, submitted.id]


@pytest.mark.parametrize("role", ["anonymous", Role.RESIDENT, Role.MODERATOR, Role.PORTFOLIO_MANAGER])
def test_no_hostile_input_to_the_initiative_routes_gives_a_5xx_or_a_write_on_error(app, role):
    _world(app)
    client = app.test_client()
    if role != "anonymous":
        login(client, make_user(role=role))
    mine = [r for r in routes(app) if r.endpoint.startswith("initiatives.")]
    assert len(mine) >= 14
    query_names = query_arg_names()
    sql = snapshot_sql()
    failures: dict[str, str] = {}

    def fuzzer(route):
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
        @given(request=requests_for(route, query_names))
        def fuzz(request):
            url, body, content_type = request
            before = snapshot(sql)
            response = client.open(url, method=route.method, data=body, content_type=content_type)
            if response.status_code >= 500:
                failures.setdefault(str(route), f"{response.status_code} for {url[:160]!r} body={(body or b'')[:120]!r}")
            elif response.status_code >= 400 and snapshot(sql) != before:
                failures.setdefault(str(route), f"wrote on {response.status_code}: {url[:160]!r}")

        return fuzz

    for route in mine:
        fuzzer(route)()
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
