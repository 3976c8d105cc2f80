"""Use cases of moderation: report, decide (hide, restore, keep), appeal, flag names; the audit log.

Each public function is one transaction; a broken rule raises an error from core/errors.py.
Blocking itself is accounts.services.block_user/unblock_user; the listeners at the end of
this module write their audit rows, hide a blocked person's content when asked, and tell
the person.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from app.accounts import signals as account_signals
from app.accounts.models import Identity, Organisation, User
from app.accounts.permissions import can, participation_problem, verification_required
from app.comments.models import Comment, CommentVisibility
from app.core.db import utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated, NotFound
from app.core.input import to_int
from app.extensions import db
from app.ideas.models import Idea, Visibility
from app.moderation import labels
from app.moderation.models import (
    NOTE_MAX,
    Appeal,
    AppealDecision,
    AuditAction,
    AuditTarget,
    CaseState,
    Decision,
    ModerationAction,
    ModerationCase,
    Report,
    ReportReason,
    ReportResolution,
    TargetType,
)
from app.moderation.permissions import (
    can_block,
    can_moderate_item,
    can_view_item,
    item_is_hidden,
    item_is_visible,
)
from app.notifications.services import notify

Item = Idea | Comment


# --- the items people report ----------------------------------------------------------


def parse_target_type(value) -> TargetType:
    try:
        return TargetType(str(value))
    except ValueError as exc:
        raise NotFound(_("Ukjent type innhold: %(kind)s", kind=value)) from exc


def load_target(target_type, target_id, *, with_context: bool = False) -> Item:
    """The idea or comment, whatever its visibility. Raises NotFound (also for a deleted comment).

    with_context: its author (and a comment's idea) in the same statement, for the page.
    """
    kind = parse_target_type(target_type)
    try:
        target_id = int(target_id)
    except (TypeError, ValueError) as exc:
        raise NotFound(_("Fant ikke innholdet.")) from exc
    model = Idea if kind == TargetType.IDEA else Comment
    options = []
    if with_context:
        options = [joinedload(Idea.author)] if model is Idea else [joinedload(Comment.author), joinedload(Comment.idea)]
    item = db.session.get(model, target_id, options=options)
    if item is None or (kind == TargetType.COMMENT and item.visibility == CommentVisibility.DELETED):
        raise NotFound(_("Fant ikke innholdet. Det kan være slettet."))
    return item


def target_type_of(item: Item) -> TargetType:
    return TargetType.IDEA if isinstance(item, Idea) else TargetType.COMMENT


def _require_item_area(actor: User, item: Item) -> None:
    """After the capability: a moderator limited to some municipal areas moderates the ideas
    of those areas and their comments. Another area's item they cannot read is not found
    (as for anyone); one they can read is not theirs to decide."""
    if can_moderate_item(actor, item):
        return
    if not can_view_item(actor, item):
        raise NotFound(_("Fant ikke innholdet. Det kan være slettet."))
    raise NotAllowed(_("Innholdet hører til et annet kommunalområde enn ditt."))


def get_item_to_moderate(actor: User | None, target_type, target_id) -> Item:
    """The idea or comment, for the moderator's page of it. Raises NotAuthenticated or
    NotAllowed unless the actor moderates, NotFound (unknown, deleted, or another area's and
    hidden), NotAllowed (another area's)."""
    _require_moderator(actor)
    item = load_target(target_type, target_id, with_context=True)
    _require_item_area(actor, item)
    return item


def _url(endpoint: str, **values) -> str | None:
    try:
        return url_for(endpoint, **values)
    except (BuildError, RuntimeError):
        return None


def item_url(item: Item, exact: bool = True) -> str | None:
    """Where the item is read: the idea page, at the comment's anchor for a comment.

    exact: also the page of the discussion the comment is on (two queries; not for lists).
    """
    if isinstance(item, Idea):
        return _url("ideas.detail", idea_id=item.id) or _url("comments.thread", idea_id=item.id)
    params = {"_anchor": f"comment-{item.id}"}
    if exact:
        from app.comments.queries import thread_page_of

        page = thread_page_of(item)
        if page > 1:
            params["cpage"] = page
    return (_url("ideas.detail", idea_id=item.idea_id, **params)
            or _url("comments.thread", idea_id=item.idea_id, **params))


def appeal_url(item: Item) -> str | None:
    return _url("moderation.appeal", target_type=target_type_of(item).value, target_id=item.id)


def _public_text(lazy) -> str:
    # hidden_reason is shown as stored, so it is written in the platform's default language.
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        return str(lazy)


def _lock_item(item: Item) -> Item:
    """The item's current row, locked until the transaction ends (FOR UPDATE on PostgreSQL).

    Every moderation step decides on this row, never on what the request read before it
    waited for another moderator, reporter or the author. Raises NotFound when the row is
    gone or the comment was deleted.
    """
    if isinstance(item, Comment):
        from app.comments.services import lock_comment

        current = lock_comment(item.id)
    else:
        stmt = select(Idea).where(Idea.id == item.id).execution_options(populate_existing=True)
        if _is_postgres():
            stmt = stmt.with_for_update(of=Idea)
        current = db.session.scalar(stmt)
    if current is None or (isinstance(current, Comment) and current.is_deleted):
        raise NotFound(_("Fant ikke innholdet. Det kan være slettet."))
    return current


def _set_idea_visibility(idea: Idea, to: Visibility, public_reason: str | None) -> bool:
    """Move the idea from the other visibility to `to` once. False when it already was there.

    The conditional UPDATE is what makes the change happen once on SQLite too, where rows are
    not locked; the ORM assignment after it lets the count cache see the change.
    """
    other = Visibility.VISIBLE if to == Visibility.HIDDEN else Visibility.HIDDEN
    result = db.session.execute(
        update(Idea).where(Idea.id == idea.id, Idea.visibility == other)
        .values(visibility=to, hidden_reason=public_reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(idea, ["visibility", "hidden_reason"])
        if to == Visibility.HIDDEN and idea.visibility == Visibility.HIDDEN:
            idea.hidden_reason = public_reason
        return False
    idea.visibility = to
    idea.hidden_reason = public_reason
    return True


def _hide(item: Item, public_reason: str) -> bool:
    """Hide the item; False when it already was. Keeps comment_count exact. Does not commit.

    Raises InvalidState for a comment its author deleted (delete wins over hide).
    """
    if isinstance(item, Idea):
        return _set_idea_visibility(item, Visibility.HIDDEN, public_reason)
    from app.comments.services import change_comment_visibility

    return change_comment_visibility(item, CommentVisibility.HIDDEN, hidden_reason=public_reason) is not None


def _restore(item: Item) -> bool:
    """Make the item visible again; False when it already was. Does not commit.

    Raises InvalidState for a comment its author deleted: its text is never published again.
    """
    if isinstance(item, Idea):
        return _set_idea_visibility(item, Visibility.VISIBLE, None)
    from app.comments.services import change_comment_visibility

    return change_comment_visibility(item, CommentVisibility.VISIBLE) is not None


# --- cases and the audit log ----------------------------------------------------------


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _case_statement(kind: TargetType, target_id: int):
    stmt = select(ModerationCase).where(
        ModerationCase.target_type == kind, ModerationCase.target_id == target_id
    ).execution_options(populate_existing=True)
    if _is_postgres():
        # One moderation step at a time per item: the threshold and decisions stay exact.
        stmt = stmt.with_for_update()
    return stmt


def _case_for(item: Item, create: bool = True) -> ModerationCase | None:
    """The item's case, locked for this transaction; created (race-free) when missing."""
    kind = target_type_of(item)
    case = db.session.scalar(_case_statement(kind, item.id))
    if case is not None or not create:
        return case
    values = {
        "target_type": kind, "target_id": item.id, "author_id": item.author_id,
        "state": CaseState.RESOLVED, "auto_hidden": False, "open_report_count": 0,
        "report_count": 0, "last_activity_at": utcnow(), "created_at": utcnow(),
    }
    insert = pg_insert if _is_postgres() else sqlite_insert
    db.session.execute(insert(ModerationCase).values(**values).on_conflict_do_nothing())
    return db.session.scalar(_case_statement(kind, item.id))


def audit(
    actor: User | None, action: AuditAction, target_type: AuditTarget | str, target_id: int,
    subject_user_id: int | None = None, reason: str = "", note: str = "",
) -> ModerationAction:
    """Append one row to the audit log in the caller's transaction. Does not commit."""
    row = ModerationAction(
        actor_id=actor.id if actor is not None else None, action=AuditAction(action),
        target_type=AuditTarget(str(target_type)), target_id=target_id,
        subject_user_id=subject_user_id, reason=reason or "", note=note or "",
        created_at=utcnow(),
    )
    db.session.add(row)
    return row


def _resolve_reports(case: ModerationCase, resolution: ReportResolution, actor: User | None) -> int:
    result = db.session.execute(
        update(Report)
        .where(Report.case_id == case.id, Report.resolution.is_(None))
        .values(resolution=resolution, resolved_at=utcnow(),
                resolved_by_id=actor.id if actor is not None else None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _pending_appeal(case: ModerationCase) -> Appeal | None:
    return db.session.scalar(
        select(Appeal).where(Appeal.case_id == case.id, Appeal.decided_at.is_(None))
    )


# --- checks shared by the pages, the API and the command line --------------------------


def _participation_error(problem: str, doing: str):
    if problem == "anonymous":
        return NotAuthenticated(_("Logg inn for å %(doing)s.", doing=doing))
    messages = {
        "unconfirmed": _("Bekreft e-postadressen din før du kan %(doing)s. Vi har sendt deg en lenke.",
                         doing=doing),
        "blocked": _("Kontoen din er blokkert fra å delta, så du kan ikke %(doing)s.", doing=doing),
        "name_flagged": _("Skriv ditt fulle navn på profilen din før du kan %(doing)s.", doing=doing),
        "unverified": _("Bekreft hvem du er med ID-porten før du kan %(doing)s.", doing=doing),
    }
    return NotAllowed(messages.get(problem, _("Du kan ikke %(doing)s nå.", doing=doing)))


def _clean_note(note: str | None, field_name: str = "note", required: bool = False) -> str:
    text = (note or "").strip()
    if required and not text:
        message = _("Skriv en begrunnelse.")
        raise InvalidInput(message, fields={field_name: [message]})
    if len(text) > NOTE_MAX:
        message = _("Teksten kan være høyst %(max)d tegn. Nå er den %(n)d tegn.", max=NOTE_MAX, n=len(text))
        raise InvalidInput(message, fields={field_name: [message]})
    return text


def _require_moderator(actor: User | None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å moderere."))
    if not can(actor, "moderate"):
        raise NotAllowed(_("Bare moderatorer har tilgang til dette."))


def _check_reason(reason: str | None, allowed: tuple[str, ...] | None = None) -> str:
    key = (reason or "").strip()
    if key not in labels.DECISION_REASONS or (allowed is not None and key not in allowed):
        message = _("Velg en begrunnelse fra listen.")
        raise InvalidInput(message, fields={"reason": [message]})
    return key


# --- reports --------------------------------------------------------------------------


def hide_after_reports() -> int:
    return max(1, int(current_app.config.get("HIDE_AFTER_REPORTS", 3)))


def has_reported(user: User | None, target_type, target_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(Report.id).where(
            Report.reporter_id == user.id, Report.target_type == TargetType(str(target_type)),
            Report.target_id == target_id,
        )
    ) is not None


def report_content(reporter: User | None, target_type, target_id: int, reason, note: str = "") -> Report:
    """Report an idea or comment. The HIDE_AFTER_REPORTS-th different reporter hides it at once.

    Raises NotAuthenticated for a visitor, NotAllowed when the person cannot take part
    (unconfirmed, blocked, name flagged) or reports their own text, NotFound for an unknown
    or deleted item, InvalidInput for an unknown reason or a note over 1,000 characters,
    InvalidState when the person already reported it or it is already hidden.
    """
    problem = participation_problem(reporter, "report")
    if problem:
        raise _participation_error(problem, _("rapportere"))
    try:
        reason = ReportReason(str(reason or ""))
    except ValueError as exc:
        message = _("Velg hvorfor du rapporterer dette.")
        raise InvalidInput(message, fields={"reason": [message]}) from exc
    note = _clean_note(note)
    item = load_target(target_type, target_id)
    kind = target_type_of(item)
    if item.author_id == reporter.id:
        raise NotAllowed(_("Du kan ikke rapportere det du selv har skrevet."))
    if has_reported(reporter, kind, item.id):
        raise InvalidState(_("Du har allerede rapportert dette."))
    item = _lock_item(item)
    if not item_is_visible(item):
        raise InvalidState(_("Dette er allerede skjult av moderatorene."))

    case = _case_for(item)
    report = Report(
        reporter_id=reporter.id, case_id=case.id, target_type=kind, target_id=item.id,
        reason=reason, note=note, created_at=utcnow(),
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise InvalidState(_("Du har allerede rapportert dette.")) from exc
    now = utcnow()
    db.session.execute(
        update(ModerationCase)
        .where(ModerationCase.id == case.id)
        .values(
            open_report_count=ModerationCase.open_report_count + 1,
            report_count=ModerationCase.report_count + 1,
            first_open_report_at=func.coalesce(ModerationCase.first_open_report_at, now),
            last_activity_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(case)
    if case.state == CaseState.RESOLVED:
        case.state = CaseState.OPEN  # a new round of reports after an earlier decision
    if _counted_reports(case) >= hide_after_reports() and item_is_visible(item):
        _auto_hide(item, case)
    db.session.commit()
    return report


def _counted_reports(case: ModerationCase) -> int:
    """The open reports that count towards HIDE_AFTER_REPORTS.

    With `report` in VERIFIED_IDENTITY_REQUIRED_FOR only verified people's count, so one
    person with several e-mail accounts cannot hide anything. Read after this report's
    UPDATE of the case row, which holds that row locked until the commit: two reports at
    once are counted one after the other.
    """
    if not verification_required("report"):
        return case.open_report_count
    verified = select(Identity.user_id).where(Identity.kind == "resident")
    return db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).where(
            Report.case_id == case.id, Report.resolution.is_(None), Report.reporter_id.in_(verified)
        )
    ) or 0


def _auto_hide(item: Item, case: ModerationCase) -> None:
    """Hide the item the threshold was reached for; once: a hidden item is not hidden again."""
    if not _hide(item, _public_text(labels.AUTO_HIDDEN_REASON)):
        return
    case.state = CaseState.HIDDEN
    case.auto_hidden = True
    audit(
        None, AuditAction.HIDE, case.target_type.value, item.id, item.author_id,
        reason="reports",
        note=_public_text(labels.AUTO_HIDDEN_REASON) + f" ({case.open_report_count})",
    )
    _notify(item, "moderation.auto_hidden", "moderation_auto_hidden", url=appeal_url(item),
            count=case.open_report_count)


def _notify(item: Item, kind: str, template: str, url: str | None = None, **context) -> None:
    author = db.session.get(User, item.author_id)
    if author is None:
        return
    notify(author, kind, template, url=url, item=item, target_type=target_type_of(item).value,
           excerpt=_item_excerpt(item), **context)


def _item_excerpt(item: Item, length: int = 120) -> str:
    from app.core.text import excerpt

    return excerpt(item.title if isinstance(item, Idea) else item.body, length)


# --- decisions ------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a decision did, for the page's message and the API's answer."""

    case: ModerationCase
    hidden: bool = False
    restored: bool = False
    reports_resolved: int = 0
    appeal: Appeal | None = None


def _decide(actor: User, item: Item, decision: Decision, reason: str, note: str,
            appeal_id: int | None = None) -> Outcome:
    """The one decision step shared by single and bulk decisions. Checks state before writing.

    Locks the item, then its case (always in that order, so two steps cannot deadlock), and
    decides on their current rows. appeal_id: the decision is meant for that appeal; raises
    InvalidState when it is no longer the one waiting (another moderator decided it).
    """
    kind = target_type_of(item)
    item = _lock_item(item)
    _require_item_area(actor, item)
    case = _case_for(item)
    appeal = _pending_appeal(case)
    if appeal_id is not None and (appeal is None or appeal.id != appeal_id):
        raise InvalidState(_("Klagen er allerede avgjort. Avgjørelsen er endelig."))
    hidden_now = item_is_hidden(item)
    if decision == Decision.HIDE and hidden_now and not (case.auto_hidden or appeal or case.open_report_count):
        raise InvalidState(_("Innholdet er allerede skjult."))
    if decision == Decision.RESTORE and not hidden_now:
        raise InvalidState(_("Innholdet er ikke skjult."))
    if decision == Decision.DISMISS and not (case.open_report_count or hidden_now):
        raise InvalidState(_("Det er ingen rapporter å avvise."))

    outcome = Outcome(case=case, appeal=appeal)
    public_reason = _public_text(labels.DECISION_REASONS[reason])
    if decision == Decision.HIDE:
        outcome.hidden = _hide(item, public_reason)
        outcome.reports_resolved = _resolve_reports(case, ReportResolution.UPHELD, actor)
        audit(actor, AuditAction.HIDE, kind.value, item.id, item.author_id, reason, note)
    else:
        outcome.restored = _restore(item)
        outcome.reports_resolved = _resolve_reports(case, ReportResolution.DISMISSED, actor)
        if decision == Decision.DISMISS:
            audit(actor, AuditAction.DISMISS, kind.value, item.id, item.author_id, reason, note)
        if outcome.restored:
            audit(actor, AuditAction.RESTORE, kind.value, item.id, item.author_id, reason, note)

    now = utcnow()
    case.state = CaseState.RESOLVED
    case.auto_hidden = False
    case.open_report_count = 0
    case.first_open_report_at = None
    case.decision = decision
    case.decision_reason = reason
    case.decision_note = note or None
    case.decided_at = now
    case.decided_by_id = actor.id
    case.last_activity_at = now

    if appeal is not None:
        appeal.decision = AppealDecision.REJECTED if decision == Decision.HIDE else AppealDecision.GRANTED
        appeal.decision_reason = reason
        appeal.decision_note = note or None
        appeal.decided_at = now
        appeal.decided_by_id = actor.id
        audit(actor, AuditAction.APPEAL_DECIDED, kind.value, item.id, item.author_id, reason,
              note=f"{appeal.decision.value}" + (f": {note}" if note else ""))
        _notify(item, "moderation.appeal_decided", "moderation_appeal_decided",
                url=appeal_url(item) if decision == Decision.HIDE else item_url(item),
                granted=appeal.decision == AppealDecision.GRANTED,
                reason=labels.reason_label(reason), note=note)
    elif decision == Decision.HIDE:
        _notify(item, "moderation.hidden", "moderation_hidden", url=appeal_url(item),
                reason=labels.reason_label(reason), note=note, confirmed=not outcome.hidden)
    elif outcome.restored:
        _notify(item, "moderation.restored", "moderation_restored", url=item_url(item),
                reason=labels.reason_label(reason), note=note)
    return outcome


def _parse_decision(decision) -> Decision:
    try:
        return Decision(str(decision or ""))
    except ValueError as exc:
        message = _("Velg en avgjørelse.")
        raise InvalidInput(message, fields={"decision": [message]}) from exc


def moderate_item(
    actor: User | None, target_type, target_id: int, decision, reason: str, note: str = "",
    *, appeal_id: int | None = None,
) -> Outcome:
    """Decide on an item: hide it, restore it, or keep it visible (dismiss its reports).

    A decision on an item with a pending appeal decides the appeal, finally: hide rejects
    it, restore or keep grants it. The author is told (notice and e-mail) when the item is
    hidden or restored and when their appeal is decided. Every step writes the audit log.
    Raises NotAuthenticated/NotAllowed unless the actor may moderate, NotFound for an unknown
    item, InvalidInput for an unknown decision or reason or a note over 1,000 characters,
    InvalidState when the decision does not fit (restore a visible item, hide a hidden one).
    """
    _require_moderator(actor)
    decision = _parse_decision(decision)
    reason = _check_reason(reason)
    note = _clean_note(note)
    item = load_target(target_type, target_id)
    outcome = _decide(actor, item, decision, reason, note, appeal_id=appeal_id)
    db.session.commit()
    return outcome


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)  # case id -> why


def moderate_cases(
    actor: User | None, case_ids: list[int], decision, reason: str, note: str = ""
) -> BulkResult:
    """One decision for several queue entries at once, in one transaction.

    Entries where the decision does not fit are skipped and named in the result.
    Raises what moderate_item raises for the actor, decision, reason and note, and
    InvalidInput when no entry is chosen.
    """
    _require_moderator(actor)
    decision = _parse_decision(decision)
    reason = _check_reason(reason)
    note = _clean_note(note)
    # Ids past 2**31 - 1 (or "³", a digit to str.isdigit) are no case: dropped, not a 500.
    ids = sorted({n for n in (to_int(str(i)) for i in case_ids) if n is not None})
    if not ids:
        message = _("Velg minst én sak i køen.")
        raise InvalidInput(message, fields={"case_ids": [message]})
    result = BulkResult()
    cases = db.session.scalars(select(ModerationCase).where(ModerationCase.id.in_(ids))).all()
    for case in sorted(cases, key=lambda c: c.id):
        try:
            item = load_target(case.target_type, case.target_id)
            _decide(actor, item, decision, reason, note)
        except (InvalidState, NotFound, NotAllowed) as error:
            result.skipped[case.id] = error.message
        else:
            result.done.append(case.id)
    for missing in set(ids) - {c.id for c in cases}:
        result.skipped[missing] = _("Fant ikke saken.")
    db.session.commit()
    return result


# --- appeals --------------------------------------------------------------------------


def appeal_for(user: User | None, target_type, target_id: int) -> Appeal | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Appeal).where(
            Appeal.target_type == TargetType(str(target_type)), Appeal.target_id == target_id,
            Appeal.author_id == user.id,
        )
    )


def submit_appeal(author: User | None, target_type, target_id: int, text: str) -> Appeal:
    """The author appeals the hiding of their item, once. It lands in the moderators' queue.

    Raises NotAuthenticated for a visitor, NotFound for an unknown item, NotAllowed for anyone
    but the author, InvalidState when the item is not hidden or was already appealed,
    InvalidInput for an empty text or one over 1,000 characters.
    """
    if author is None or not getattr(author, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å klage."))
    item = load_target(target_type, target_id)
    kind = target_type_of(item)
    if item.author_id != author.id:
        raise NotAllowed(_("Bare den som skrev innlegget, kan klage på at det er skjult."))
    item = _lock_item(item)
    if not item_is_hidden(item):
        raise InvalidState(_("Innlegget er ikke skjult, så det er ingenting å klage på."))
    if appeal_for(author, kind, item.id) is not None:
        raise InvalidState(_("Du har allerede klaget på denne avgjørelsen. Du kan klage én gang."))
    text = _clean_note(text, "text", required=True)
    case = _case_for(item)
    appeal = Appeal(case_id=case.id, target_type=kind, target_id=item.id, author_id=author.id,
                    text=text, created_at=utcnow())
    db.session.add(appeal)
    case.state = CaseState.APPEALED
    case.last_activity_at = utcnow()
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise InvalidState(_("Du har allerede klaget på denne avgjørelsen. Du kan klage én gang.")) from exc
    return appeal


def decide_appeal(actor: User | None, appeal_id: int, granted: bool, reason: str, note: str = "") -> Outcome:
    """Decide an appeal, finally: granted restores the item, rejected keeps it hidden.

    Raises what moderate_item raises, NotFound for an unknown appeal, InvalidState when it is
    already decided.
    """
    _require_moderator(actor)
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(_("Fant ikke klagen."))
    if appeal.is_decided:
        raise InvalidState(_("Klagen er allerede avgjort. Avgjørelsen er endelig."))
    decision = Decision.RESTORE if granted else Decision.HIDE
    return moderate_item(actor, appeal.target_type, appeal.target_id, decision, reason, note,
                         appeal_id=appeal.id)


# --- people ---------------------------------------------------------------------------


def get_person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(_("Fant ikke personen."))
    return person


def block_end(day) -> datetime:
    """A block "until" a date ends at the start of that day, in the municipality's time zone."""
    from datetime import time
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Oslo")
    return datetime.combine(day, time(0), tzinfo=tz)


def block_person(
    actor: User | None, person: User, reason: str, until: datetime | None = None,
    hide_content: bool = False,
) -> User:
    """Block a person from taking part (accounts.block_user); the listeners below log it.

    Raises what accounts.services.block_user raises, and NotAuthenticated for a visitor.
    """
    from app.accounts.services import block_user

    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å moderere."))
    return block_user(actor, person, _clean_note(reason, "reason", required=True), until=until,
                      hide_content=hide_content)


def unblock_person(actor: User | None, person: User, reason: str = "") -> User:
    """Lift a block. Raises what accounts.services.unblock_user raises (NotAllowed unless the
    actor may block, InvalidState when not blocked), and NotAuthenticated for a visitor."""
    from app.accounts.services import unblock_user

    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å moderere."))
    # Whether the person is blocked is decided by unblock_user on the stored row.
    return unblock_user(actor, person, _clean_note(reason, "reason"))


def flag_name(actor: User | None, person: User, reason: str = "") -> User:
    """Mark a person's name as not a real full name: they cannot take part until they fix it.

    Raises NotAuthenticated/NotAllowed unless the actor may moderate (only admins flag staff),
    InvalidState when the name is already marked, InvalidInput for a note over 1,000 characters.
    """
    _require_moderator(actor)
    if not can_block(actor, person):
        raise NotAllowed(_("Du kan ikke markere navnet til denne personen."))
    reason = _clean_note(reason, "reason")
    # Decided on the stored row (not on what this request read): of many moderators marking
    # one name at once, one marks it (one audit row, one notice), the rest are told.
    marked = db.session.execute(
        update(User).where(User.id == person.id, User.name_flagged_at.is_(None))
        .values(name_flagged_at=utcnow(), name_flag_reason=reason or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(person, ["name_flagged_at", "name_flag_reason"])
    if marked != 1:
        raise InvalidState(_("Navnet er allerede markert."))
    audit(actor, AuditAction.NAME_FLAGGED, AuditTarget.USER, person.id, person.id,
          reason=reason, note=person.full_name)
    notify(person, "moderation.name_flagged", "moderation_name_flagged",
           url=_url("accounts.profile"), reason=reason)
    db.session.commit()
    return person


def hide_all_content(actor: User | None, person: User, reason: str = labels.BLOCK_REASON, note: str = "") -> int:
    """Hide every visible idea and comment of a person (when blocking). Does not commit.

    Waiting cases of those items are resolved as hidden. Returns how many items were hidden.
    """
    public_reason = _public_text(labels.DECISION_REASONS[reason])
    items: list[Item] = list(db.session.scalars(
        select(Idea).where(Idea.author_id == person.id, Idea.visibility == Visibility.VISIBLE)
    ))
    items += list(db.session.scalars(
        select(Comment).where(Comment.author_id == person.id,
                              Comment.visibility == CommentVisibility.VISIBLE)
    ))
    hidden = 0
    for item in items:
        kind = target_type_of(item)
        try:
            item = _lock_item(item)
            if not _hide(item, public_reason):
                continue  # a moderator hid it in the meantime, with their own audit row
        except (NotFound, InvalidState):
            continue  # the author deleted it in the meantime
        hidden += 1
        case = _case_for(item, create=False)
        if case is not None and case.is_waiting:
            _resolve_reports(case, ReportResolution.UPHELD, actor)
            case.state = CaseState.RESOLVED
            case.auto_hidden = False
            case.open_report_count = 0
            case.first_open_report_at = None
            case.decision = Decision.HIDE
            case.decision_reason = reason
            case.decided_at = utcnow()
            case.decided_by_id = actor.id if actor is not None else None
        audit(actor, AuditAction.HIDE, kind.value, item.id, person.id, reason, note)
    return hidden


# --- listeners: the accounts domain's moderation steps in the audit log ------------------


def _on_user_blocked(actor, user: User, reason: str = "", until=None, hide_content: bool = False, **_kw):
    notes = []
    if until is not None:
        notes.append(_public_text(labels.BLOCK_UNTIL_NOTE).format(until=until.isoformat(timespec="minutes")))
    hidden = 0
    if hide_content:
        hidden = hide_all_content(actor, user, note=_public_text(labels.BLOCK_HIDE_NOTE))
        notes.append(_public_text(labels.BLOCK_HIDDEN_COUNT_NOTE).format(n=hidden))
    audit(actor, AuditAction.BLOCK, AuditTarget.USER, user.id, user.id, reason=reason,
          note="; ".join(notes))
    notify(user, "moderation.blocked", "moderation_blocked", url=_url("accounts.profile"),
           reason=reason, until=until, hidden=hidden)


def _on_user_unblocked(actor, user: User, reason: str = "", **_kw):
    audit(actor, AuditAction.UNBLOCK, AuditTarget.USER, user.id, user.id, reason=reason or "")
    notify(user, "moderation.unblocked", "moderation_unblocked", url=_url("accounts.profile"))


def _on_organisation_verified(actor, organisation: Organisation, reason: str = "", **_kw):
    audit(actor, AuditAction.ORGANISATION_VERIFIED, AuditTarget.ORGANISATION, organisation.id,
          reason=reason or "", note=organisation.name)


def _on_organisation_rejected(actor, organisation: Organisation, reason: str = "", **_kw):
    audit(actor, AuditAction.ORGANISATION_REJECTED, AuditTarget.ORGANISATION, organisation.id,
          reason=reason or "", note=organisation.name)


def _on_name_corrected(user: User, old_name: str = "", new_name: str = "", was_flagged: bool = False, **_kw):
    if was_flagged:
        audit(user, AuditAction.NAME_CORRECTED, AuditTarget.USER, user.id, user.id,
              note=f"{old_name} → {new_name}")


def _on_role_changed(actor, user: User, old_role=None, new_role=None, **_kw):
    old = getattr(old_role, "value", old_role)
    new = getattr(new_role, "value", new_role)
    audit(actor if isinstance(actor, User) else None, AuditAction.ROLE_CHANGED, AuditTarget.USER,
          user.id, user.id, note=f"{old} → {new}")


def _on_areas_changed(actor, user: User, old_areas=(), new_areas=(), **_kw):
    # Stored as written, in the platform's language, like the role change above it.
    def names(areas) -> str:
        return ", ".join(area.name_nb for area in areas) or _public_text(labels.WHOLE_MUNICIPALITY)

    audit(actor if isinstance(actor, User) else None, AuditAction.ROLE_CHANGED, AuditTarget.USER,
          user.id, user.id, note=f"{user.role.value}: {names(old_areas)} → {names(new_areas)}")


def connect_signals() -> None:
    account_signals.areas_changed.connect(_on_areas_changed)
    account_signals.user_blocked.connect(_on_user_blocked)
    account_signals.user_unblocked.connect(_on_user_unblocked)
    account_signals.organisation_verified.connect(_on_organisation_verified)
    account_signals.organisation_rejected.connect(_on_organisation_rejected)
    account_signals.name_corrected.connect(_on_name_corrected)
    account_signals.role_changed.connect(_on_role_changed)
