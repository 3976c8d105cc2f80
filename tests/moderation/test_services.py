"""Moderation rules without HTTP: the threshold, decisions, appeals, blocking, names, the audit log."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import Role
from app.accounts.permissions import can_participate
from app.comments.models import CommentVisibility
from app.core.db import utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated, NotFound
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.moderation import queries, services
from app.moderation.models import (
    Appeal,
    AppealDecision,
    AuditAction,
    AuditLogIsAppendOnly,
    CaseState,
    ModerationAction,
    ModerationCase,
    Report,
    ReportResolution,
)
from app.notifications.models import Notice
from tests.factories import make_organisation, make_user
from tests.moderation.conftest import make_comment, make_idea


def _actions(action: AuditAction | None = None) -> list[ModerationAction]:
    stmt = select(ModerationAction).order_by(ModerationAction.id)
    if action is not None:
        stmt = stmt.where(ModerationAction.action == action)
    return list(db.session.scalars(stmt))


def _notices(user, kind: str) -> list[Notice]:
    return list(db.session.scalars(select(Notice).where(Notice.user_id == user.id, Notice.kind == kind)))


def _report_n(item, n: int, kind: str = "comment", reason: str = "spam"):
    reporters = [make_user() for _ in range(n)]
    for person in reporters:
        services.report_content(person, kind, item.id, reason, "")
    return reporters


# --- the threshold --------------------------------------------------------------------


def test_two_reports_do_not_hide_a_comment_and_the_third_does(app):
    comment = make_comment()
    idea = db.session.get(Idea, comment.idea_id)
    assert idea.comment_count == 1
    _report_n(comment, 2)
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.VISIBLE
    _report_n(comment, 1)
    db.session.refresh(comment)
    db.session.refresh(idea)
    assert comment.visibility == CommentVisibility.HIDDEN
    assert comment.hidden_reason  # the public placeholder's reason
    assert idea.comment_count == 0  # a hidden comment no longer counts
    case = queries.case_for("comment", comment.id)
    assert case.state == CaseState.HIDDEN and case.auto_hidden and case.open_report_count == 3


def test_the_same_person_reporting_twice_counts_once(app):
    comment = make_comment()
    first, second = make_user(), make_user()
    services.report_content(first, "comment", comment.id, "spam")
    with pytest.raises(InvalidState, match="allerede rapportert"):
        services.report_content(first, "comment", comment.id, "offensive")
    services.report_content(second, "comment", comment.id, "spam")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.VISIBLE
    assert queries.case_for("comment", comment.id).open_report_count == 2
    assert db.session.scalar(select(func.count()).select_from(Report)) == 2


def test_threshold_follows_the_setting(app):
    app.config["HIDE_AFTER_REPORTS"] = 1
    idea = make_idea()
    services.report_content(make_user(), "idea", idea.id, "off_topic")
    db.session.refresh(idea)
    assert idea.visibility == Visibility.HIDDEN


def test_auto_hiding_writes_an_audit_row_by_the_platform_and_tells_the_author(app):
    author = make_user()
    idea = make_idea(author)
    _report_n(idea, 3, kind="idea")
    rows = _actions(AuditAction.HIDE)
    assert len(rows) == 1 and rows[0].actor_id is None and rows[0].target_id == idea.id
    assert rows[0].subject_user_id == author.id
    assert len(_notices(author, "moderation.auto_hidden")) == 1


def test_reports_after_a_dismissal_start_a_new_round(app, moderator):
    comment = make_comment()
    _report_n(comment, 3)
    services.moderate_item(moderator, "comment", comment.id, "dismiss", "no_violation")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.VISIBLE
    _report_n(comment, 2)
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.VISIBLE  # two new reports, not five
    case = queries.case_for("comment", comment.id)
    assert case.state == CaseState.OPEN and case.open_report_count == 2 and case.report_count == 5


# --- who may report what --------------------------------------------------------------


@pytest.mark.parametrize("problem", ["anonymous", "unconfirmed", "blocked", "name_flagged"])
def test_people_who_cannot_take_part_cannot_report(app, problem):
    comment = make_comment()
    person = {
        "anonymous": lambda: None,
        "unconfirmed": lambda: make_user(confirmed=False),
        "blocked": lambda: make_user(is_blocked=True, blocked_reason="Hets"),
        "name_flagged": lambda: make_user(name_flagged_at=utcnow()),
    }[problem]()
    expected = NotAuthenticated if problem == "anonymous" else NotAllowed
    with pytest.raises(expected):
        services.report_content(person, "comment", comment.id, "spam")
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_resident_cannot_report_own_comment(app):
    author = make_user()
    comment = make_comment(author=author)
    with pytest.raises(NotAllowed):
        services.report_content(author, "comment", comment.id, "spam")


def test_resident_cannot_report_hidden_or_deleted_content(app):
    hidden = make_idea(visibility=Visibility.HIDDEN)
    deleted = make_comment(visibility=CommentVisibility.DELETED)
    with pytest.raises(InvalidState):
        services.report_content(make_user(), "idea", hidden.id, "spam")
    with pytest.raises(NotFound):
        services.report_content(make_user(), "comment", deleted.id, "spam")
    with pytest.raises(NotFound):
        services.report_content(make_user(), "project", 1, "spam")


def test_report_needs_a_known_reason_and_a_short_note(app):
    comment = make_comment()
    with pytest.raises(InvalidInput) as error:
        services.report_content(make_user(), "comment", comment.id, "boring")
    assert "reason" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        services.report_content(make_user(), "comment", comment.id, "other", "x" * 1001)
    assert "note" in error.value.fields
    report = services.report_content(make_user(), "comment", comment.id, "other", "y" * 1000)
    assert len(report.note) == 1000


# --- decisions ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.PORTFOLIO_MANAGER])
def test_only_moderators_and_admins_decide(app, role):
    comment = make_comment()
    with pytest.raises(NotAllowed):
        services.moderate_item(make_user(role=role), "comment", comment.id, "hide", "spam")
    with pytest.raises(NotAuthenticated):
        services.moderate_item(None, "comment", comment.id, "hide", "spam")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.VISIBLE


def test_admin_can_hide_directly_without_reports(app, admin):
    idea = make_idea()
    services.moderate_item(admin, "idea", idea.id, "hide", "personal_data", "Navn på naboen.")
    db.session.refresh(idea)
    assert idea.visibility == Visibility.HIDDEN
    assert idea.hidden_reason == "Personopplysninger om andre"
    row = _actions(AuditAction.HIDE)[0]
    assert (row.actor_id, row.reason, row.note) == (admin.id, "personal_data", "Navn på naboen.")


def test_hiding_upholds_open_reports_and_tells_the_author(app, moderator):
    author = make_user()
    comment = make_comment(author=author)
    _report_n(comment, 2)
    services.moderate_item(moderator, "comment", comment.id, "hide", "offensive", "Hold en saklig tone.")
    reports = db.session.scalars(select(Report)).all()
    assert {r.resolution for r in reports} == {ReportResolution.UPHELD}
    assert all(r.resolved_by_id == moderator.id for r in reports)
    notices = _notices(author, "moderation.hidden")
    assert len(notices) == 1 and "Hold en saklig tone." in notices[0].body
    case = queries.case_for("comment", comment.id)
    assert case.state == CaseState.RESOLVED and case.decision_note == "Hold en saklig tone."


def test_keep_visible_restores_an_auto_hidden_comment_and_counts_it_again(app, moderator):
    author = make_user()
    comment = make_comment(author=author)
    idea = db.session.get(Idea, comment.idea_id)
    _report_n(comment, 3)
    outcome = services.moderate_item(moderator, "comment", comment.id, "dismiss", "no_violation")
    db.session.refresh(comment)
    db.session.refresh(idea)
    assert outcome.restored and comment.visibility == CommentVisibility.VISIBLE
    assert comment.hidden_reason is None and idea.comment_count == 1
    assert [r.action for r in _actions()] == [AuditAction.HIDE, AuditAction.DISMISS, AuditAction.RESTORE]
    assert {r.resolution for r in db.session.scalars(select(Report))} == {ReportResolution.DISMISSED}
    assert len(_notices(author, "moderation.restored")) == 1


def test_restore_makes_a_hidden_idea_visible_and_logs_it(app, moderator):
    idea = make_idea()
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    services.moderate_item(moderator, "idea", idea.id, "restore", "corrected")
    db.session.refresh(idea)
    assert idea.visibility == Visibility.VISIBLE and idea.hidden_reason is None
    assert [r.action for r in _actions()] == [AuditAction.HIDE, AuditAction.RESTORE]


def test_decisions_that_do_not_fit_are_refused(app, moderator):
    idea = make_idea()
    with pytest.raises(InvalidState):
        services.moderate_item(moderator, "idea", idea.id, "restore", "no_violation")
    with pytest.raises(InvalidState):
        services.moderate_item(moderator, "idea", idea.id, "dismiss", "no_violation")
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    with pytest.raises(InvalidState):
        services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    with pytest.raises(InvalidInput):
        services.moderate_item(moderator, "idea", idea.id, "restore", "because I say so")
    with pytest.raises(InvalidInput):
        services.moderate_item(moderator, "idea", idea.id, "delete", "spam")


def test_bulk_decision_hides_several_and_skips_what_does_not_fit(app, moderator):
    first, second = make_comment(), make_comment()
    visible_idea = make_idea()
    _report_n(first, 1)
    _report_n(second, 1)
    services.report_content(make_user(), "idea", visible_idea.id, "spam")
    case_ids = [queries.case_for("comment", first.id).id, queries.case_for("comment", second.id).id]
    result = services.moderate_cases(moderator, case_ids, "hide", "spam")
    assert sorted(result.done) == sorted(case_ids) and not result.skipped
    for comment in (first, second):
        db.session.refresh(comment)
        assert comment.visibility == CommentVisibility.HIDDEN
    idea_case = queries.case_for("idea", visible_idea.id)
    result = services.moderate_cases(moderator, [*case_ids, idea_case.id], "restore", "no_violation")
    assert sorted(result.done) == sorted(case_ids)
    assert list(result.skipped) == [idea_case.id]  # the idea was never hidden
    with pytest.raises(InvalidInput):
        services.moderate_cases(moderator, [], "hide", "spam")


# --- appeals --------------------------------------------------------------------------


def test_author_appeals_once_and_the_decision_is_final(app, moderator):
    author = make_user()
    comment = make_comment(author=author)
    services.moderate_item(moderator, "comment", comment.id, "hide", "off_topic")
    appeal = services.submit_appeal(author, "comment", comment.id, "Det handlet om idéen.")
    assert queries.case_for("comment", comment.id).state == CaseState.APPEALED
    with pytest.raises(InvalidState, match="én gang"):
        services.submit_appeal(author, "comment", comment.id, "Igjen!")
    services.decide_appeal(moderator, appeal.id, granted=True, reason="no_violation", note="Du har rett.")
    db.session.refresh(comment)
    db.session.refresh(appeal)
    assert comment.visibility == CommentVisibility.VISIBLE
    assert appeal.decision == AppealDecision.GRANTED and appeal.decided_by_id == moderator.id
    with pytest.raises(InvalidState, match="endelig"):
        services.decide_appeal(moderator, appeal.id, granted=False, reason="spam")
    notices = _notices(author, "moderation.appeal_decided")
    assert len(notices) == 1 and "Du har rett." in notices[0].body
    assert AuditAction.APPEAL_DECIDED in [r.action for r in _actions()]
    # Hidden again later: the one appeal is spent.
    services.moderate_item(moderator, "comment", comment.id, "hide", "spam")
    with pytest.raises(InvalidState):
        services.submit_appeal(author, "comment", comment.id, "En gang til.")


def test_rejecting_an_appeal_keeps_the_item_hidden(app, moderator):
    author = make_user()
    idea = make_idea(author)
    _report_n(idea, 3, kind="idea")
    appeal = services.submit_appeal(author, "idea", idea.id, "Dette er saklig.")
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    db.session.refresh(idea)
    db.session.refresh(appeal)
    assert idea.visibility == Visibility.HIDDEN and appeal.decision == AppealDecision.REJECTED


def test_only_the_author_appeals_and_only_hidden_items(app, moderator):
    author = make_user()
    idea = make_idea(author)
    with pytest.raises(InvalidState):
        services.submit_appeal(author, "idea", idea.id, "Ikke skjult ennå.")
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    with pytest.raises(NotAllowed):
        services.submit_appeal(make_user(), "idea", idea.id, "Jeg er ikke forfatteren.")
    with pytest.raises(NotAuthenticated):
        services.submit_appeal(None, "idea", idea.id, "Anonym.")
    with pytest.raises(InvalidInput):
        services.submit_appeal(author, "idea", idea.id, "")
    with pytest.raises(InvalidInput):
        services.submit_appeal(author, "idea", idea.id, "x" * 1001)
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 0


# --- blocking -------------------------------------------------------------------------


def test_blocking_writes_the_audit_log_and_tells_the_person(app, moderator):
    person = make_user()
    until = utcnow() + timedelta(days=7)
    services.block_person(moderator, person, "Gjentatt hets.", until)
    assert not can_participate(person)
    row = _actions(AuditAction.BLOCK)[0]
    assert (row.actor_id, row.target_id, row.reason) == (moderator.id, person.id, "Gjentatt hets.")
    assert len(_notices(person, "moderation.blocked")) == 1
    services.unblock_person(moderator, person, "Avtalt i telefon.")
    assert can_participate(person)
    assert _actions(AuditAction.UNBLOCK)[0].reason == "Avtalt i telefon."


def test_blocking_with_hide_content_hides_every_idea_and_comment_and_keeps_counts_exact(app, moderator):
    person = make_user()
    own_idea = make_idea(person)
    other_idea = make_idea()
    comments = [make_comment(other_idea, person), make_comment(other_idea, person), make_comment(own_idea, person)]
    bystander = make_comment(other_idea)
    services.block_person(moderator, person, "Spam.", hide_content=True)
    db.session.refresh(own_idea)
    db.session.refresh(other_idea)
    assert own_idea.visibility == Visibility.HIDDEN
    for comment in comments:
        db.session.refresh(comment)
        assert comment.visibility == CommentVisibility.HIDDEN
    db.session.refresh(bystander)
    assert bystander.visibility == CommentVisibility.VISIBLE
    assert other_idea.comment_count == 1 and own_idea.comment_count == 0
    assert len(_actions(AuditAction.HIDE)) == 4
    assert len(_actions(AuditAction.BLOCK)) == 1


def test_blocked_person_cannot_take_part_but_a_lapsed_block_can(app, moderator):
    person = make_user()
    comment = make_comment()
    services.block_person(moderator, person, "Hets.", utcnow() + timedelta(days=1))
    with pytest.raises(NotAllowed):
        services.report_content(person, "comment", comment.id, "spam")
    from app.comments.services import post_comment

    idea = db.session.get(Idea, comment.idea_id)
    with pytest.raises(NotAllowed):
        post_comment(person, idea, "Jeg vil si noe her.")
    # Expiry: once the end date passes, the block lapses by itself.
    person.blocked_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert can_participate(person)
    services.report_content(person, "comment", comment.id, "spam")


def test_moderator_cannot_block_staff_or_themselves_and_residents_cannot_block(app, moderator, admin):
    with pytest.raises(NotAllowed):
        services.block_person(moderator, make_user(role=Role.PORTFOLIO_MANAGER), "Nei.")
    with pytest.raises(InvalidState):
        services.block_person(moderator, moderator, "Nei.")
    with pytest.raises(NotAllowed):
        services.block_person(make_user(), make_user(), "Nei.")
    with pytest.raises(InvalidInput):
        services.block_person(moderator, make_user(), "   ")
    assert not _actions(AuditAction.BLOCK)
    services.block_person(admin, make_user(role=Role.MODERATOR), "Admin kan.")
    assert len(_actions(AuditAction.BLOCK)) == 1


# --- full names -----------------------------------------------------------------------


def test_flagged_name_stops_participation_until_corrected_and_both_are_logged(app, moderator):
    person = make_user("Kalle")
    services.flag_name(moderator, person, "Skriv fornavn og etternavn.")
    assert not can_participate(person)
    with pytest.raises(NotAllowed):
        services.report_content(person, "comment", make_comment().id, "spam")
    assert len(_notices(person, "moderation.name_flagged")) == 1
    with pytest.raises(InvalidState):
        services.flag_name(moderator, person)
    accounts.update_profile(person, "Karl Olsen", None)
    assert can_participate(person)
    flagged, corrected = _actions(AuditAction.NAME_FLAGGED), _actions(AuditAction.NAME_CORRECTED)
    assert flagged[0].actor_id == moderator.id and flagged[0].reason == "Skriv fornavn og etternavn."
    assert corrected[0].actor_id == person.id and "Karl Olsen" in corrected[0].note


def test_an_ordinary_name_change_is_not_a_moderation_action(app):
    person = make_user("Kari Nordmann")
    accounts.update_profile(person, "Kari Nordmann Berg", None)
    assert not _actions()


def test_residents_cannot_flag_names(app):
    with pytest.raises(NotAllowed):
        services.flag_name(make_user(), make_user())


# --- the audit log --------------------------------------------------------------------


def test_organisation_verification_role_changes_are_in_the_audit_log(app, moderator, admin):
    accepted, refused = make_organisation(verified=False), make_organisation(verified=False)
    accounts.verify_organisation(moderator, accepted)
    accounts.reject_organisation(moderator, refused, "Finnes ikke i Brønnøysund.")
    accounts.change_role(admin, make_user(), Role.MODERATOR)
    verified = _actions(AuditAction.ORGANISATION_VERIFIED)
    rejected = _actions(AuditAction.ORGANISATION_REJECTED)
    assert verified[0].target_id == accepted.id and verified[0].actor_id == moderator.id
    assert rejected[0].reason == "Finnes ikke i Brønnøysund."
    assert "resident → moderator" in _actions(AuditAction.ROLE_CHANGED)[0].note


def test_audit_rows_cannot_be_changed_or_deleted(app, moderator):
    services.moderate_item(moderator, "idea", make_idea().id, "hide", "spam")
    row = _actions()[0]
    row.note = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(ModerationAction, row.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_log_filters_by_moderator_action_kind_and_dates(app, moderator, admin):
    idea, comment = make_idea(), make_comment()
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    services.moderate_item(admin, "comment", comment.id, "hide", "offensive")
    by = lambda **kw: [r.target_id for r in db.session.scalars(queries.log_statement(queries.LogFilters(**kw)))]  # noqa: E731
    assert by(moderator=moderator.id) == [idea.id]
    assert by(kind="comment") == [comment.id]
    assert by(action="restore") == []
    today = utcnow().date()
    assert len(by(since=today - timedelta(days=1), until=today + timedelta(days=1))) == 2
    assert by(until=today - timedelta(days=2)) == []


# --- the queue and the figures --------------------------------------------------------


def test_queue_groups_reports_by_item_with_filters_and_sorting(app, moderator):
    many, few = make_comment(), make_idea()
    _report_n(many, 2, reason="offensive")
    services.report_content(make_user(), "idea", few.id, "spam", "Reklame for et firma.")
    entries = queries.queue_page(queries.QueueFilters(sort="most_reported"), 1, 20).items
    assert [(e.case.target_type.value, e.case.target_id) for e in entries] == [("comment", many.id), ("idea", few.id)]
    assert entries[0].reasons == [("offensive", 2)]
    assert [r.note for r in entries[1].notes] == ["Reklame for et firma."]
    by = lambda **kw: [e.case.target_id for e in queries.queue_page(queries.QueueFilters(**kw), 1, 20).items]  # noqa: E731
    assert by(kind="idea") == [few.id]
    assert by(reason="offensive") == [many.id]
    assert by(state="hidden") == []
    _report_n(many, 1)
    assert by(state="hidden") == [many.id]
    services.moderate_item(moderator, "idea", few.id, "dismiss", "no_violation")
    assert by(state="resolved") == [few.id]
    assert queries.waiting_count() == 1


def test_transparency_counts_items_per_month_without_names(app, moderator):
    author = make_user()
    first, second = make_comment(author=author), make_idea(author)
    _report_n(first, 3)  # reported and auto-hidden
    services.report_content(make_user(), "idea", second.id, "spam")
    appeal = services.submit_appeal(author, "comment", first.id, "Urettferdig.")
    services.decide_appeal(moderator, appeal.id, granted=True, reason="no_violation")
    month = queries.transparency(12)[0]
    assert (month.reported, month.hidden, month.restored) == (2, 1, 1)
    assert (month.appealed, month.appeals_granted, month.appeals_rejected) == (1, 1, 0)
    assert len(queries.transparency(12)) == 12


def test_case_is_created_once_for_concurrent_first_reports(app):
    comment = make_comment()
    services.report_content(make_user(), "comment", comment.id, "spam")
    services.report_content(make_user(), "comment", comment.id, "spam")
    assert db.session.scalar(select(func.count()).select_from(ModerationCase)) == 1


def test_demo_step_fills_the_queue_with_an_auto_hidden_appealed_comment(app):
    from app.moderation.demo import seed_moderation

    people = [make_user() for _ in range(9)] + [make_user(role=Role.MODERATOR)]
    for _ in range(3):
        make_idea(people[0])
    made = seed_moderation(None, people)
    assert made == {"reports": 7, "auto_hidden": 1, "appeals": 1, "decisions": 2}
    states = queries.waiting_by_state()
    assert states == {"open": 1, "hidden": 0, "appealed": 1}
    assert len(_actions(AuditAction.HIDE)) == 2  # the threshold's and the moderator's
