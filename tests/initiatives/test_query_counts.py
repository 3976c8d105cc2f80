"""A fixed number of queries per page, whatever the number of initiatives and signatures."""

from app.initiatives import services
from bench.querycount import count_queries
from tests.factories import login, make_user
from tests.initiatives.factories import make_collecting, make_staff


def _queries(client, path: str) -> int:
    client.get(path)  # the first request also delivers the e-mails the set-up queued
    with count_queries() as log:
        assert client.get(path).status_code == 200
    return log.count


def _world(n: int) -> list:
    made = [make_collecting(title=f"Forslag nummer {i} om lys i løypa") for i in range(n)]
    for initiative in made[:3]:
        for _ in range(n):
            services.sign(make_user(), initiative.id, confirmed_resident=True, show_name=True)
    return made


def test_list_detail_and_case_pages_cost_the_same_at_5_and_at_25(app, client):
    login(client, make_staff())
    small = _world(5)
    counts_small = (_queries(client, "/initiatives"), _queries(client, f"/initiatives/{small[0].id}"),
                    _queries(client, f"/staff/initiatives/{small[0].id}"), _queries(client, "/staff/initiatives"))
    big = _world(20)
    counts_big = (_queries(client, "/initiatives"), _queries(client, f"/initiatives/{big[0].id}"),
                  _queries(client, f"/staff/initiatives/{big[0].id}"), _queries(client, "/staff/initiatives"))
    print("query counts (list, initiative, case page, deadlines):", counts_small, counts_big)
    assert counts_small == counts_big
