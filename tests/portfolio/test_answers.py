"""Portfolio managers answer ideas: the lifecycle table, explanations, merging, the inbox."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.comments.models import Comment
from app.core.db import as_utc, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed
from app.extensions import db
from app.ideas.models import (
    EXPLANATION_REQUIRED,
    STAFF_TRANSITIONS,
    Endorsement,
    Idea,
    IdeaStatus,
    StatusChange,
    Visibility,
    Vote,
)
from app.notifications.models import Notice
from app.portfolio import answers, queries
from tests.factories import make_organisation, make_service_area, make_user
from tests.portfolio.conftest import add_votes, make_idea

PAIRS = [(a, b) for a in IdeaStatus for b in IdeaStatus]


def _changes(idea: Idea) -> list[StatusChange]:
    return list(db.session.scalars(select(StatusChange).where(StatusChange.idea_id == idea.id)))


@pytest.mark.parametrize(("start", "target"), [p for p in PAIRS if p[1] in STAFF_TRANSITIONS[p[0]]],
                         ids=lambda s: s.value)
def test_portfolio_manager_makes_every_move_the_table_allows(manager, start, target):
    idea = make_idea(status=start)
    if target == IdeaStatus.MERGED:
        into = make_idea()
        change = answers.merge_ideas(manager, idea, into, "Samme forslag som et annet.")
    else:
        change = answers.change_idea_status(manager, idea, target, "Vår begrunnelse.")
    db.session.expire_all()
    idea = db.session.get(Idea, idea.id)
    assert idea.status == target
    assert (change.from_status, change.to_status, change.changed_by_id) == (start, target, manager.id)
    assert len(_changes(idea)) == 1
    assert idea.first_answered_at is not None


@pytest.mark.parametrize(("start", "target"), [p for p in PAIRS if p[1] not in STAFF_TRANSITIONS[p[0]]],
                         ids=lambda s: s.value)
def test_portfolio_manager_cannot_make_a_move_the_table_refuses(manager, start, target):
    idea = make_idea(status=start)
    with pytest.raises(InvalidState):
        if target == IdeaStatus.MERGED:
            answers.merge_ideas(manager, idea, make_idea(), "Samme forslag.")
        else:
            answers.change_idea_status(manager, idea, target, "Vår begrunnelse.")
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == start
    assert _changes(idea) == []


@pytest.mark.parametrize("target", sorted(EXPLANATION_REQUIRED - {IdeaStatus.MERGED}))
@pytest.mark.parametrize("explanation", ["", "   \n "])
def test_accepting_or_declining_needs_a_public_explanation(manager, target, explanation):
    idea = make_idea()
    with pytest.raises(InvalidInput) as caught:
        answers.change_idea_status(manager, idea, target, explanation)
    assert "explanation" in caught.value.fields
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == IdeaStatus.SUBMITTED
    assert _changes(idea) == []


def test_merging_needs_a_public_explanation(manager):
    idea, into = make_idea(), make_idea()
    with pytest.raises(InvalidInput) as caught:
        answers.merge_ideas(manager, idea, into, " ")
    assert "explanation" in caught.value.fields
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).merged_into_id is None


def test_under_review_needs_no_explanation(manager):
    idea = make_idea()
    change = answers.change_idea_status(manager, idea, "under_review", "")
    assert change.explanation == ""
    assert idea.status == IdeaStatus.UNDER_REVIEW


def test_merged_through_change_status_asks_for_the_target(manager):
    with pytest.raises(InvalidInput) as caught:
        answers.change_idea_status(manager, make_idea(), "merged", "Samme forslag.")
    assert "into_id" in caught.value.fields


def test_unknown_status_is_invalid_input(manager):
    with pytest.raises(InvalidInput):
        answers.change_idea_status(manager, make_idea(), "approved", "x")


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR])
def test_only_portfolio_managers_answer_ideas(app, role):
    person = make_user(role=role)
    idea = make_idea()
    with pytest.raises(NotAllowed):
        answers.change_idea_status(person, idea, "under_review", "")
    with pytest.raises(NotAllowed):
        answers.merge_ideas(person, idea, make_idea(), "Samme.")


def test_admin_answers_ideas_too(admin):
    idea = make_idea()
    answers.change_idea_status(admin, idea, "accepted", "Vi gjør det.")
    assert idea.status == IdeaStatus.ACCEPTED


def test_first_answer_time_is_set_once(manager):
    idea = make_idea()
    answers.change_idea_status(manager, idea, "under_review", "")
    first = as_utc(idea.first_answered_at)
    answers.change_idea_status(manager, idea, "accepted", "Vi gjør det.")
    db.session.expire_all()
    assert as_utc(db.session.get(Idea, idea.id).first_answered_at) == first


def test_the_author_gets_the_answer_as_a_notice(manager):
    author = make_user()
    idea = make_idea(author=author)
    answers.change_idea_status(manager, idea, "declined", "Ikke innenfor budsjettet i år.")
    notice = db.session.scalar(select(Notice).where(Notice.user_id == author.id))
    assert notice.kind == "portfolio.status"
    assert "Ikke innenfor budsjettet i år." in notice.body


# --- merging ------------------------------------------------------------------------------


def _voters(idea: Idea) -> set[int]:
    return set(db.session.scalars(select(Vote.user_id).where(Vote.idea_id == idea.id)))


def test_merging_unites_the_voters_and_counts_a_double_voter_once(manager):
    a_only = [make_user(), make_user()]
    both = make_user()
    b_only = make_user()
    idea = make_idea()
    into = make_idea()
    add_votes(idea, [*a_only, both])
    add_votes(into, [both, b_only])
    answers.merge_ideas(manager, idea, into, "Det samme forslaget.")
    db.session.expire_all()
    idea, into = db.session.get(Idea, idea.id), db.session.get(Idea, into.id)
    assert _voters(into) == {u.id for u in [*a_only, both, b_only]}
    assert into.vote_count == 4 == len(_voters(into))
    # The merged idea keeps its own rows, so its counter stays true to them.
    assert idea.vote_count == 3 == len(_voters(idea))
    assert idea.status == IdeaStatus.MERGED
    assert idea.merged_into_id == into.id
    change = _changes(idea)[0]
    assert (change.to_status, change.explanation) == (IdeaStatus.MERGED, "Det samme forslaget.")


def test_merging_keeps_the_comments_on_the_merged_idea(manager):
    idea, into = make_idea(), make_idea()
    comment = Comment(idea_id=idea.id, author_id=make_user().id, body="Enig!")
    db.session.add(comment)
    idea.comment_count = 1
    db.session.commit()
    answers.merge_ideas(manager, idea, into, "Samme forslag.")
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).idea_id == idea.id
    assert db.session.get(Idea, into.id).comment_count == 0


def test_merging_unites_endorsements_once_per_organisation(manager):
    idea, into = make_idea(), make_idea()
    shared, own = make_organisation(), make_organisation()
    db.session.add_all([
        Endorsement(idea_id=idea.id, organisation_id=shared.id),
        Endorsement(idea_id=idea.id, organisation_id=own.id),
        Endorsement(idea_id=into.id, organisation_id=shared.id),
    ])
    idea.endorsement_count, into.endorsement_count = 2, 1
    db.session.commit()
    answers.merge_ideas(manager, idea, into, "Samme forslag.")
    db.session.expire_all()
    rows = db.session.scalar(select(func.count()).where(Endorsement.idea_id == into.id))
    assert db.session.get(Idea, into.id).endorsement_count == rows == 2


def test_merging_into_itself_is_refused(manager):
    idea = make_idea()
    with pytest.raises(InvalidInput):
        answers.merge_ideas(manager, idea, idea, "Samme.")


@pytest.mark.parametrize("target_state", ["merged", "withdrawn", "hidden"])
def test_merging_into_a_gone_idea_is_refused(manager, target_state):
    if target_state == "hidden":
        into = make_idea(visibility=Visibility.HIDDEN)
    else:
        into = make_idea(status=IdeaStatus(target_state))
    idea = make_idea()
    add_votes(idea, 2)
    with pytest.raises(InvalidState):
        answers.merge_ideas(manager, idea, into, "Samme.")
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == IdeaStatus.SUBMITTED
    assert _voters(into) == set()


def test_merged_ideas_are_listed_on_the_idea_they_went_into(manager):
    into = make_idea()
    first, second = make_idea(), make_idea()
    answers.merge_ideas(manager, first, into, "Samme.")
    answers.merge_ideas(manager, second, into, "Samme.")
    assert [i.id for i in answers.merged_into_idea(into)] == [first.id, second.id]


# --- the inbox ----------------------------------------------------------------------------


def _item(idea: Idea) -> queries.InboxItem:
    rows = db.session.execute(queries.inbox_query()).all()
    found = {i.id: queries.inbox_item(i, reached) for i, reached in rows}
    return found[idea.id]


def test_an_idea_is_due_thirty_days_after_it_was_proposed(app):
    idea = make_idea(age_days=10)
    item = _item(idea)
    assert item.due_at == as_utc(idea.created_at) + timedelta(days=30)
    assert not item.priority and not item.overdue
    assert item.age_days == 10


def test_an_idea_older_than_thirty_days_is_overdue(app):
    assert _item(make_idea(age_days=31)).overdue


def test_a_popular_idea_is_due_seven_days_after_it_reached_the_vote_threshold(app):
    app.config["PRIORITY_VOTES"] = 5
    idea = make_idea(age_days=20)
    add_votes(idea, 5, ago_days=2)
    item = _item(idea)
    reached = db.session.scalars(
        select(Vote.created_at).where(Vote.idea_id == idea.id).order_by(Vote.created_at)
    ).all()[4]
    assert item.priority
    assert abs(item.due_at - (as_utc(reached) + timedelta(days=7))) < timedelta(seconds=1)
    assert not item.overdue


def test_a_popular_idea_goes_overdue_a_week_after_it_got_popular(app):
    app.config["PRIORITY_VOTES"] = 5
    idea = make_idea(age_days=20)
    add_votes(idea, 5, ago_days=8)
    item = _item(idea)
    assert item.priority and item.overdue


def test_an_idea_just_below_the_threshold_keeps_the_ordinary_due_date(app):
    app.config["PRIORITY_VOTES"] = 5
    idea = make_idea(age_days=20)
    add_votes(idea, 4, ago_days=15)
    item = _item(idea)
    assert not item.priority
    assert item.due_at == as_utc(idea.created_at) + timedelta(days=30)


def test_the_inbox_holds_unanswered_visible_ideas_oldest_first(manager):
    newest = make_idea(age_days=1)
    oldest = make_idea(age_days=9)
    middle = make_idea(age_days=5)
    answered = make_idea(age_days=20)
    answers.change_idea_status(manager, answered, "under_review", "")
    make_idea(age_days=30, visibility=Visibility.HIDDEN)
    make_idea(age_days=30, status=IdeaStatus.WITHDRAWN)
    ids = [idea.id for idea, _reached in db.session.execute(queries.inbox_query()).all()]
    assert ids == [oldest.id, middle.id, newest.id]
    assert queries.unanswered_count() == 3


def test_the_inbox_filters_by_municipal_and_service_area(app):
    school = make_service_area("Grunnskole", area_name="Oppvekst")
    kindergarten = make_service_area("Barnehage", area_name="Oppvekst")
    roads = make_service_area("Vei", area_name="Samfunnsutvikling")
    a, b, c = (make_idea(service_area=sa) for sa in (school, kindergarten, roads))

    def ids(**filters):
        return {i.id for i, _ in db.session.execute(queries.inbox_query(**filters)).all()}

    assert ids(municipal_area_id=school.municipal_area_id) == {a.id, b.id}
    assert ids(service_area_id=roads.id) == {c.id}


def test_overdue_moment_uses_the_configured_days(app):
    app.config["ANSWER_WITHIN_DAYS"] = 3
    idea = make_idea(age_days=4)
    assert _item(idea).overdue
    assert _item(idea).due_at < utcnow()


def test_the_inbox_has_a_partial_index_in_its_order(app):
    """The inbox's index (migration 0020) holds only unanswered ideas, by age: a page of the
    inbox is read in its order. With the plain index on first_answered_at that it replaces,
    SQLite took every unanswered idea and sorted them for each page (430 ms at 100,000 ideas;
    the bench measures it, since a planner on a test's few rows sorts either way)."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy import text

    indexes = {index["name"]: index for index in sa_inspect(db.engine).get_indexes("ideas")}
    assert "ix_ideas_first_answered_at" not in indexes
    assert indexes["ix_ideas_unanswered"]["column_names"] == ["created_at", "id"]
    if db.engine.dialect.name == "sqlite":
        definition = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'ix_ideas_unanswered'"))
    else:
        definition = db.session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_ideas_unanswered'"))
    assert "first_answered_at IS NULL" in definition, definition
