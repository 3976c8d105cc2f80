"""The counts table (app/ideas/counts.py): after every kind of change it equals a fresh count."""

import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select, text, update

from app.accounts.models import Role
from app.comments.models import Comment
from app.core import cache
from app.extensions import db
from app.ideas import counts, queries
from app.ideas import services as idea_services
from app.ideas.models import Idea, IdeaStatus, Visibility, idea_sdgs
from app.ideas.queries import IdeaFilters, count_ideas, facets, totals
from app.portfolio.answers import merge_ideas
from app.privacy.deletion import erase_user
from tests.comments.factories import make_comment
from tests.factories import make_organisation, make_service_area, make_user
from tests.ideas.factories import make_idea


def _drift() -> dict:
    db.session.commit()
    return counts.drift(db.session.connection())


def _stored() -> dict:
    return counts.stored(db.session.connection())


@pytest.fixture
def some(app):
    """Four ideas: two areas, an organisation, goals, votes and a comment."""
    area, other = make_service_area(), make_service_area()
    org_admin = make_user()
    org = make_organisation(admin=org_admin)
    ideas = [
        make_idea(service_area=area, sdgs=(3, 11)),
        make_idea(service_area=area, sdgs=(11,), author=org_admin, organisation_id=org.id),
        make_idea(service_area=other, sdgs=(), status=IdeaStatus.ACCEPTED),
        make_idea(service_area=other, sdgs=(4,), hidden=True),
    ]
    for _ in range(3):
        idea_services.vote_for_idea(make_user(), ideas[0].id)
    make_comment(ideas[1])
    return SimpleNamespace(ideas=ideas, area=area, other=other, org=org)


def test_creating_voting_and_commenting_are_counted(some):
    area, org = some.area, some.org
    assert _drift() == {}
    stored = _stored()
    assert stored[("ideas", "")] == 3
    assert stored[("votes", "")] == 3
    assert stored[("comments", "")] == 1
    assert stored[("status", "submitted")] == 2
    assert stored[("status", "accepted")] == 1
    assert stored[("service_area", str(area.id))] == 2
    assert stored[("sdg", "11")] == 2
    assert ("sdg", "4") not in stored  # its idea is hidden
    assert stored[("organisation", str(org.id))] == 1
    assert stored[("goal_votes", "3")] == 3
    assert stored[("goal_area", f"11:{area.id}")] == 2


def test_hiding_showing_status_area_goals_and_organisation(some):
    area = some.area
    first, second, third, hidden = some.ideas
    first.visibility = Visibility.HIDDEN
    hidden.visibility = Visibility.VISIBLE
    assert _drift() == {}
    second.status = IdeaStatus.WITHDRAWN
    third.service_area_id = area.id
    second.organisation_id = None
    assert _drift() == {}
    from app.core.models import Sdg
    first.sdgs = [db.session.get(Sdg, 5)]
    second.sdgs = [*second.sdgs, db.session.get(Sdg, 3)]
    third.sdgs = [db.session.get(Sdg, 1), db.session.get(Sdg, 2)]
    assert _drift() == {}
    first.visibility = Visibility.VISIBLE
    assert _drift() == {}


def test_bulk_statements_and_raw_sql_are_counted(some):
    ideas = some.ideas
    db.session.execute(update(Idea).values(status=IdeaStatus.UNDER_REVIEW))
    assert _drift() == {}
    db.session.execute(update(Idea).where(Idea.id == ideas[0].id).values(vote_count=Idea.vote_count + 5))
    assert _drift() == {}
    db.session.execute(text("UPDATE ideas SET visibility = 'hidden' WHERE id = :id"), {"id": ideas[1].id})
    assert _drift() == {}
    db.session.execute(delete(idea_sdgs).where(idea_sdgs.c.idea_id == ideas[0].id))
    assert _drift() == {}
    db.session.execute(text("INSERT INTO idea_sdgs (idea_id, sdg_number) VALUES (:id, 7)"), {"id": ideas[2].id})
    assert _drift() == {}


def test_deleting_ideas_every_way(some):
    ideas = some.ideas
    # The ORM (its goals go first), a bulk DELETE, raw SQL (the goals go by cascade).
    db.session.delete(ideas[0])
    assert _drift() == {}
    db.session.execute(delete(Idea).where(Idea.id == ideas[1].id))
    assert _drift() == {}
    db.session.execute(text("DELETE FROM ideas WHERE id = :id"), {"id": ideas[3].id})
    assert _drift() == {}
    assert _stored()[("ideas", "")] == 1


def test_a_comment_hidden_and_a_vote_withdrawn(some):
    ideas = some.ideas
    voter = make_user()
    idea_services.vote_for_idea(voter, ideas[1].id)
    idea_services.withdraw_vote(voter, ideas[1].id)
    comment = db.session.scalar(select(Comment).where(Comment.idea_id == ideas[1].id))
    from app.moderation.services import moderate_item
    moderate_item(make_user(role=Role.MODERATOR), "comment", comment.id, "hide", "spam")
    assert _drift() == {}
    moderate_item(make_user(role=Role.MODERATOR), "idea", ideas[0].id, "hide", "spam")
    assert _drift() == {}
    assert _stored().get(("votes", ""), 0) == 0


def test_merging_and_erasing_a_person(some):
    ideas = some.ideas
    staff = make_user(role=Role.ADMIN)
    ideas[2].status = IdeaStatus.ACCEPTED
    db.session.commit()
    voter = make_user()
    idea_services.vote_for_idea(voter, ideas[2].id)
    merge_ideas(staff, ideas[2], ideas[0], "Samme sak som den andre.")
    assert _drift() == {}
    erase_user(voter, keep_content=False, actor=None, reason="test")
    assert _drift() == {}
    erase_user(ideas[0].author, keep_content=False, actor=None, reason="test")
    assert _drift() == {}


def test_rebuild_after_writes_that_skip_the_triggers(some):
    db.session.execute(text("DELETE FROM idea_counts"))
    assert _drift() != {}
    counts.rebuild(db.session.connection())
    assert _drift() == {}


def test_pages_read_the_table_with_the_same_numbers(some, monkeypatch, client):
    unfiltered = IdeaFilters(sort="votes")
    kept = facets(unfiltered, None), count_ideas(unfiltered, None), totals()
    # What counting every idea gives (the path a filtered list takes).
    cache.forget()
    monkeypatch.setattr(queries, "_unfiltered", lambda _filters: False)
    counted = facets(unfiltered, None), count_ideas(unfiltered, None)
    for name in ("statuses", "municipal_areas", "service_areas", "sdgs", "organisations"):
        assert getattr(kept[0], name) == getattr(counted[0], name), name
    assert kept[1] == counted[1] == 3
    ideas, votes, comments = db.session.execute(
        select(func.count(Idea.id), func.sum(Idea.vote_count), func.sum(Idea.comment_count))
        .where(Idea.visibility == Visibility.VISIBLE)
    ).one()
    assert (kept[2].ideas, kept[2].votes, kept[2].comments) == (ideas, votes, comments) == (3, 3, 1)
    monkeypatch.undo()
    assert client.get("/ideas").status_code == 200
    assert client.get("/").status_code == 200


def test_the_cli_checks_and_rebuilds(some, runner):
    result = runner.invoke(args=["counts", "check"])
    assert result.exit_code == 0, result.output
    db.session.execute(text("UPDATE idea_counts SET n = n + 1 WHERE kind = 'ideas'"))
    db.session.commit()
    result = runner.invoke(args=["counts", "check"])
    assert result.exit_code == 1
    assert "ideas" in result.output
    result = runner.invoke(args=["counts", "rebuild"])
    assert result.exit_code == 0, result.output
    assert _drift() == {}


def test_two_transactions_at_once_both_count(app, backend):
    """Two sessions change counts side by side (PostgreSQL: really at the same time)."""
    if backend != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    area = make_service_area()
    ideas = [make_idea(service_area=area, sdgs=(3,)) for _ in range(2)]
    ids = [idea.id for idea in ideas]
    db.session.commit()
    barrier = threading.Barrier(2)
    errors = []

    def work(index: int) -> None:
        with app.app_context():
            try:
                for step in range(10):
                    barrier.wait()
                    status = IdeaStatus.ACCEPTED if (step + index) % 2 else IdeaStatus.UNDER_REVIEW
                    db.session.execute(
                        update(Idea).where(Idea.id == ids[index])
                        .values(vote_count=Idea.vote_count + 1, status=status)
                    )
                    db.session.execute(text("SELECT pg_sleep(0.01)"))
                    db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert _drift() == {}
    assert _stored()[("votes", "")] == 20
    assert db.session.scalar(select(func.sum(Idea.vote_count))) == 20


def test_the_sdg_overview_reads_the_same_numbers_from_the_table(some):
    from app.core.models import ServiceArea
    from app.portfolio.queries import COUNTED_IDEA, sdg_overview

    some.ideas[1].status = IdeaStatus.WITHDRAWN  # not counted on the SDG page
    db.session.commit()
    cache.forget()
    overview = sdg_overview(None)
    counted = {
        number: (ideas, votes) for number, ideas, votes in db.session.execute(
            select(idea_sdgs.c.sdg_number, func.count(Idea.id), func.sum(Idea.vote_count))
            .join(Idea, Idea.id == idea_sdgs.c.idea_id).where(COUNTED_IDEA)
            .group_by(idea_sdgs.c.sdg_number)
        )
    }
    assert {g.goal.number: (g.ideas, g.votes) for g in overview.goals if g.ideas} == counted == {
        3: (1, 3), 11: (1, 3)}
    cells = dict(((number, area), n) for number, area, n in db.session.execute(
        select(idea_sdgs.c.sdg_number, ServiceArea.municipal_area_id, func.count(Idea.id))
        .join(Idea, Idea.id == idea_sdgs.c.idea_id).join(ServiceArea, ServiceArea.id == Idea.service_area_id)
        .where(COUNTED_IDEA).group_by(idea_sdgs.c.sdg_number, ServiceArea.municipal_area_id)
    ))
    assert {key: ideas for key, (ideas, _projects) in overview.matrix.items() if ideas} == cells


def test_the_organisation_filter_is_read_with_the_counts_in_one_statement(app, client):
    """The unfiltered list's organisation options (names by name, today's visible ideas) come
    from the counts query itself; an organisation whose ideas are all hidden drops out."""
    from bench.querycount import count_queries

    member = make_user()
    names = ("Velforeningen Øst", "Idrettslaget", "Bondelaget", "Helselaget")
    organisations = {name: make_organisation(name=name, members=(member,)) for name in names}
    for name, ideas in zip(names, (2, 1, 3, 1), strict=True):
        for _ in range(ideas):
            make_idea(author=member, organisation_id=organisations[name].id)
    hidden = db.session.scalars(select(Idea).where(Idea.organisation_id == organisations["Helselaget"].id)).one()
    hidden.visibility = Visibility.HIDDEN
    db.session.commit()
    # Each a request of its own, as served (the fixture's app context keeps g otherwise).
    with app.app_context(), app.test_request_context("/ideas"):
        facets(IdeaFilters(), None)  # the municipal structure and the goals, kept for every request
    with app.app_context(), app.test_request_context("/ideas"):
        with count_queries() as log:
            options = facets(IdeaFilters(), None).organisations
            total = count_ideas(IdeaFilters(), None)
        assert log.count == 1, str(log)
    assert total == 6
    assert [(option.label, option.count) for option in options] == [
        ("Bondelaget", 3), ("Idrettslaget", 1), ("Velforeningen Øst", 2)]
    page = client.get("/ideas").get_data(as_text=True)
    assert page.index("Bondelaget (3)") < page.index("Idrettslaget (1)") < page.index("Velforeningen Øst (2)")
    assert "Helselaget" not in page
