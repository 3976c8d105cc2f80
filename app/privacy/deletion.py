"""Deleting an account (GDPR art. 17): the request, its grace period, and the erasure itself.

A person asks on the page or through the API (`request_deletion`), after proving again who
they are; every session ends and an e-mail says when it will happen. Signing in before then
cancels it (`cancel_deletion`, run by flask_login's `user_logged_in`). Once the grace period
(ACCOUNT_DELETION_GRACE_DAYS) has passed, `complete_due_deletions` (from `flask privacy
enforce`) erases the account with `erase_user`; staff erase at once for a person who asked in
writing (`erase_on_behalf`).

What erasure does, and why:

- The user row is deleted, with everything that is only about the person: sign-ins, API
  tokens, identities (the keyed hash of the national identity number), notices, data exports
  and their files, memberships, invitations to their address, e-mails to their address.
- What they wrote follows their choice: removed, or kept under the one shared "Tidligere
  deltaker" account (never one placeholder per person: that would keep their writings grouped).
  Ideas the municipality has answered (a public explanation, or `first_answered_at`), linked
  to a project, or that others' ideas were merged into, keep their text in both cases: the
  municipality's answer and others' work rest on them.
- A removed comment with replies by others stays as "Kommentaren er slettet" (empty, under
  the placeholder) so the replies keep their place; one without replies is deleted.
- Votes and endorsements the person made are removed, the counters moved by atomic UPDATEs.
- Innbyggerforslag (app/initiatives/services.py, forget_signer and hand_over_proposals): a
  signature on an initiative that still collects (or never reached the council) is removed
  and the count drops, as a withdrawal would; once submitted, the count is the council's and
  must not drop, so the signature stays as an anonymous one (no person, no identity hash, no
  name). The person's own initiatives stay under "Tidligere deltaker", without the contact
  address, once public (others signed them; the council's case rests on them); one never
  published (waiting for moderation, refused) goes when they chose to remove their content.
- Reports: removed, except those a moderator has decided on (a decision rests on them): they
  stay with no reporter. Appeals are removed; a case waiting on one is closed (the item stays
  as the moderator left it).
- An organisation whose only admin leaves gets its longest-standing member as admin; with no
  member left it stays, without members, for staff to hand over (its ideas and endorsements
  are the organisation's, not the person's).
- Text the platform itself wrote about the person (notices and e-mails to others, the audit
  log's notes) has the name and address replaced by "Tidligere deltaker". What other people
  wrote in their own words is theirs and is not rewritten.
- The audit log keeps its rows (the person's id as a number, no name), and one more row
  saying the account was erased, by whom and why.

Every reference to `users.id` in the metadata is handled: a table added later is covered by
its foreign key's ON DELETE rule, emulated here so SQLite (no foreign key enforcement) ends
up like PostgreSQL. A non-nullable reference without ON DELETE that is not handled above
stops the erasure with an error rather than leave a person's rows behind.
"""

import contextlib
import os
import secrets
from datetime import datetime, timedelta

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, String, Table, and_, case, delete, event, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased
from werkzeug.security import check_password_hash

from app.accounts.models import (
    FORMER_PARTICIPANT_EMAIL,
    Invitation,
    Membership,
    MembershipRole,
    Role,
    SignIn,
    User,
)
from app.accounts.services import NO_PASSWORD, has_password, new_session_token
from app.comments.models import Comment, CommentVisibility
from app.comments.services import adjust_comment_count
from app.core.db import as_utc, is_postgres, utcnow
from app.core.errors import InvalidInput, NotAllowed, NotAuthenticated
from app.extensions import db
from app.ideas.images import path_of
from app.ideas.models import Endorsement, Idea, IdeaImage, StatusChange, Vote
from app.initiatives.services import forget_signer, hand_over_proposals
from app.moderation.models import (
    Appeal,
    AuditAction,
    AuditTarget,
    CaseState,
    ModerationAction,
    ModerationCase,
    Report,
    TargetType,
)
from app.moderation.services import audit
from app.notifications.mail import queue_email
from app.notifications.models import Notice, OutboxMessage
from app.portfolio.models import ProjectIdea
from app.privacy.models import DataExport

# The one account that keeps what erased people chose to leave behind (FORMER_PARTICIPANT_EMAIL,
# in accounts.models); its password hash matches no password. Pages show it as
# User.display_name, in the reader's language; the stored name is bokmål.
FORMER_PARTICIPANT_NAME = "Tidligere deltaker"
FORMER_PARTICIPANT_LABEL = _l("Tidligere deltaker")
# How recent an ID-porten (or other provider) sign-in proves it is the person, where there is
# no password to ask for.
REAUTH_MINUTES = 10

_FILES_KEY = "privacy_files_to_remove"


class SignInAgain(NotAuthenticated):
    """The account has no password and its last sign-in is too old: sign in again first."""


# --- reading --------------------------------------------------------------------------------


def grace_days() -> int:
    return max(0, int(current_app.config.get("ACCOUNT_DELETION_GRACE_DAYS", 7)))


def deletion_due_at(user: User) -> datetime | None:
    """When a requested deletion will be carried out, or None when none is pending."""
    requested = as_utc(user.deletion_requested_at)
    return requested + timedelta(days=grace_days()) if requested else None


def is_former_participant(user: User | None) -> bool:
    return user is not None and user.email == FORMER_PARTICIPANT_EMAIL


def _kept_ideas_condition(user_id: int):
    """Ideas of the person that keep their text whatever the choice (see the module doc)."""
    answered = select(StatusChange.id).where(
        StatusChange.idea_id == Idea.id, func.trim(StatusChange.explanation) != ""
    ).exists()
    linked = select(ProjectIdea.id).where(ProjectIdea.idea_id == Idea.id).exists()
    merged_in = aliased(Idea)
    merged = select(merged_in.id).where(merged_in.merged_into_id == Idea.id).exists()
    return and_(
        Idea.author_id == user_id,
        or_(Idea.first_answered_at.is_not(None), answered, linked, merged),
    )


def kept_idea_ids(user: User) -> list[int]:
    """The person's ideas that keep their text in both choices (answered, linked, merged into)."""
    return list(db.session.scalars(select(Idea.id).where(_kept_ideas_condition(user.id)).order_by(Idea.id)))


def deletion_summary(user: User) -> dict[str, int]:
    """What the page tells the person before they choose: their ideas, comments, kept ideas."""
    return {
        "ideas": db.session.scalar(select(func.count(Idea.id)).where(Idea.author_id == user.id)) or 0,
        "kept_ideas": db.session.scalar(
            select(func.count(Idea.id)).where(_kept_ideas_condition(user.id))
        ) or 0,
        "comments": db.session.scalar(
            select(func.count(Comment.id)).where(
                Comment.author_id == user.id, Comment.visibility != CommentVisibility.DELETED
            )
        ) or 0,
        "votes": db.session.scalar(select(func.count(Vote.id)).where(Vote.user_id == user.id)) or 0,
    }


def _admin_count() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN)) or 0


def check_can_delete_account(user: User) -> None:
    """Raise when this account may not be deleted: the placeholder, or the last admin."""
    if is_former_participant(user):
        raise NotAllowed(_("Denne kontoen kan ikke slettes."))
    if user.role == Role.ADMIN and _admin_count() <= 1:
        raise NotAllowed(
            _("Du er den siste administratoren. Gi en annen person rollen administrator før kontoen slettes.")
        )


# --- the request and its grace period ---------------------------------------------------


def check_reauthentication(user: User, password: str | None, *, now: datetime | None = None) -> None:
    """Prove again that it is the person: the password, or a sign-in in the last minutes.

    Raises InvalidInput on `password` for a wrong password, SignInAgain for an account
    without a password whose newest sign-in is older than REAUTH_MINUTES.
    """
    if has_password(user):
        if not check_password_hash(user.password_hash, password or ""):
            raise InvalidInput(
                _("Passordet er feil."), fields={"password": [_("Passordet er feil. Prøv igjen.")]}
            )
        return
    newest = db.session.scalar(select(func.max(SignIn.created_at)).where(SignIn.user_id == user.id))
    newest = as_utc(newest) if newest is not None else None
    if newest is None or newest < (now or utcnow()) - timedelta(minutes=REAUTH_MINUTES):
        raise SignInAgain(_("Logg inn på nytt for å bekrefte at det er deg, og prøv igjen."))


def _lock_user(user_id: int, *, for_erasure: bool = False) -> User | None:
    """The person's current row, locked (PostgreSQL).

    `for_erasure`: FOR NO KEY UPDATE, which still lets others take KEY SHARE on the row (a notice
    to the person, written by someone's comment that holds the idea it is on). An erasure locks
    the person first and changes their ideas after; with FOR UPDATE it and such a comment waited
    for each other. Two erasures, a sign-in and a block still queue on the row, and the erasure's
    last step, deleting the row, waits for the notices being written to it.
    """
    stmt = select(User).where(User.id == user_id).execution_options(populate_existing=True)
    if is_postgres():
        stmt = stmt.with_for_update(key_share=for_erasure)
    return db.session.scalar(stmt)


def request_deletion(
    user: User, *, keep_content: bool, password: str | None, now: datetime | None = None
) -> datetime:
    """The person asks to have their account deleted; returns when it will be carried out.

    Checks who they are (check_reauthentication), saves the choice, ends every session and
    e-mails the date. A second request while one is pending changes nothing and returns the
    same date (two clicks, or two requests at once: one e-mail). Commits.
    Raises InvalidInput (wrong password), SignInAgain, NotAllowed (check_can_delete_account).
    """
    check_can_delete_account(user)
    check_reauthentication(user, password, now=now)
    current = _lock_user(user.id)
    if current is None:
        raise NotAuthenticated(_("Kontoen finnes ikke lenger."))
    if current.deletion_requested_at is not None:
        due = deletion_due_at(current)
        db.session.rollback()
        return due
    current.deletion_requested_at = now or utcnow()
    current.deletion_keep_content = bool(keep_content)
    # Every session and remember cookie, on every device (accounts.services.end_all_sessions
    # does the same, but commits on its own: here it is one transaction with the request).
    current.session_token = new_session_token()
    due = deletion_due_at(current)
    _queue_confirmation(current, due)
    db.session.commit()
    return due


def _queue_confirmation(user: User, due: datetime) -> None:
    from app.core.urls import external_url

    locale = user.locale or current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):
        date = format_date(due, "long")
        body = render_template(
            "privacy/email/deletion_requested.txt", user=user, date=date,
            keep_content=bool(user.deletion_keep_content), login_url=external_url("accounts.login"),
        )
        subject = _("Kontoen din blir slettet %(date)s", date=date)
    queue_email(user.email, subject, body, locale=locale)


def cancel_deletion(user: User) -> bool:
    """Cancel a pending deletion (the person signed in); True when one was cancelled. Commits."""
    if user.deletion_requested_at is None:
        return False
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, User.deletion_requested_at.is_not(None))
        .values(deletion_requested_at=None, deletion_keep_content=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expire(user, ["deletion_requested_at", "deletion_keep_content"])
    return result.rowcount == 1


def _on_user_logged_in(_app, user=None, **_kw) -> None:
    """Signing in during the grace period cancels the deletion, and the next page says so."""
    if user is None or getattr(user, "deletion_requested_at", None) is None:
        return
    if cancel_deletion(user) and has_request_context():
        from flask import flash

        flash(_("Du logget inn, så kontoen din blir ikke slettet. Sletting er avbrutt."), "success")


def connect_signals() -> None:
    from flask_login import user_logged_in

    user_logged_in.connect(_on_user_logged_in)


# --- erasure ----------------------------------------------------------------------------


def former_participant() -> User:
    """The shared placeholder account, created the first time it is needed (race-safe)."""
    placeholder = db.session.scalar(select(User).where(User.email == FORMER_PARTICIPANT_EMAIL))
    if placeholder is not None:
        return placeholder
    try:
        with db.session.begin_nested():
            placeholder = User(
                email=FORMER_PARTICIPANT_EMAIL, full_name=FORMER_PARTICIPANT_NAME,
                password_hash=NO_PASSWORD, role=Role.RESIDENT, confirmed_at=utcnow(),
                session_token=secrets.token_hex(16),
            )
            db.session.add(placeholder)
    except IntegrityError:
        placeholder = db.session.scalar(select(User).where(User.email == FORMER_PARTICIPANT_EMAIL))
    return placeholder


def erase_user(user: User, *, keep_content: bool, actor: User | None, reason: str) -> None:
    """Erase the account now, in the caller's transaction (the caller commits).

    `actor` is the staff member acting on the person's behalf, or None (the person's own
    request carried out by the job); `reason` goes to the audit log. Raises NotAllowed for
    the placeholder account and the last admin; does nothing when the account is already gone.
    """
    _erase(user.id, keep_content=keep_content, actor=actor, reason=reason)


def erase_on_behalf(actor: User, person: User, *, keep_content: bool, reason: str) -> None:
    """Staff erase a person's account at once (they asked in writing; no grace period). Commits.

    Raises NotAllowed unless the actor may administer; InvalidInput without a reason.
    """
    from app.accounts.permissions import can

    if actor is None or not can(actor, "administer"):
        raise NotAllowed(_("Bare administratorer kan slette en konto på vegne av en person."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Skriv hvorfor."), fields={"reason": [_("Skriv hva personen ba om, og når.")]})
    if actor.id == person.id:
        raise NotAllowed(_("Slett din egen konto fra profilen din."))
    erase_user(person, keep_content=keep_content, actor=actor, reason=reason[:1000])
    db.session.commit()


def complete_due_deletions(now: datetime | None = None) -> int:
    """Erase every account whose grace period has passed; returns how many. Commits each.

    Each account is locked and checked again before it is erased, so a sign-in that cancelled
    it a moment earlier wins, and two runs at once erase each account once.
    """
    cutoff = (now or utcnow()) - timedelta(days=grace_days())
    ids = list(db.session.scalars(
        select(User.id).where(User.deletion_requested_at.is_not(None), User.deletion_requested_at <= cutoff)
        .order_by(User.id)
    ))
    db.session.rollback()
    erased = 0
    for user_id in ids:
        current = _lock_user(user_id, for_erasure=True)
        requested = as_utc(current.deletion_requested_at) if current is not None else None
        if requested is None or requested > cutoff:
            db.session.rollback()
            continue
        try:
            done = _erase(user_id, keep_content=bool(current.deletion_keep_content), actor=None,
                          reason="requested by the person", locked=current)
        except NotAllowed:
            # The last admin: kept until another admin exists. The job says so in its count.
            db.session.rollback()
            continue
        db.session.commit()
        erased += int(done)
    return erased


def _erase(user_id: int, *, keep_content: bool, actor: User | None, reason: str,
           locked: User | None = None) -> bool:
    db.session.flush()
    user = locked or _lock_user(user_id, for_erasure=True)
    if user is None:
        return False
    check_can_delete_account(user)
    # Take the row for this transaction on SQLite too (writes are serialised there): a second
    # erasure of the same account waits here, then finds nothing to do.
    if db.session.execute(
        update(User).where(User.id == user_id).values(session_token=new_session_token())
        .execution_options(synchronize_session=False)
    ).rowcount != 1:
        return False
    email, name = user.email, user.full_name
    placeholder = former_participant()
    uid, pid = user.id, placeholder.id

    _remove_votes_and_endorsements(uid)
    forget_signer(uid)
    hand_over_proposals(uid, pid, keep_content)
    removed_ideas = _handle_ideas(uid, pid, keep_content)
    _handle_comments(uid, pid, keep_content)
    _handle_reports_and_appeals(uid)
    _handle_memberships(uid)
    db.session.execute(delete(Invitation).where(func.lower(Invitation.email) == email.lower()))
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == email.lower()))
    _remember_export_files(uid)
    _scrub_platform_text(uid, name, email)
    audit(actor, AuditAction.ACCOUNT_DELETED, AuditTarget.USER, uid, None, reason=reason or "",
          note="keep_content" if keep_content else "remove_content")
    # Every other reference to the user, by its foreign key's rule (see the module doc).
    _delete_rows(User.__table__, User.__table__.c.id == uid)
    if user in db.session:
        db.session.expunge(user)
    _remove_image_files_after_commit(removed_ideas)
    return True


def _remove_votes_and_endorsements(uid: int) -> None:
    voted = select(Vote.idea_id).where(Vote.user_id == uid)
    db.session.execute(
        update(Idea).where(Idea.id.in_(voted)).values(vote_count=Idea.vote_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Vote).where(Vote.user_id == uid))
    endorsed = list(db.session.execute(
        select(Endorsement.idea_id, func.count(Endorsement.id)).where(Endorsement.endorsed_by_id == uid)
        .group_by(Endorsement.idea_id)
    ))
    for idea_id, n in endorsed:
        db.session.execute(
            update(Idea).where(Idea.id == idea_id).values(endorsement_count=Idea.endorsement_count - n)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(delete(Endorsement).where(Endorsement.endorsed_by_id == uid))


def _handle_ideas(uid: int, pid: int, keep_content: bool) -> list[str]:
    """Move or remove the person's ideas; returns the picture files of removed ideas."""
    removed: list[int] = []
    if not keep_content:
        removed = list(db.session.scalars(
            select(Idea.id).where(Idea.author_id == uid, ~_kept_ideas_condition(uid)).order_by(Idea.id)
        ))
    files: list[str] = []
    if removed:
        files = list(db.session.scalars(select(IdeaImage.filename).where(IdeaImage.idea_id.in_(removed))))
        comment_ids = list(db.session.scalars(select(Comment.id).where(Comment.idea_id.in_(removed))))
        _delete_cases(TargetType.COMMENT, comment_ids)
        _delete_cases(TargetType.IDEA, removed)
        _delete_rows(Idea.__table__, Idea.__table__.c.id.in_(removed))
    db.session.execute(
        update(Idea).where(Idea.author_id == uid).values(author_id=pid)
        .execution_options(synchronize_session=False)
    )
    return files


def _handle_comments(uid: int, pid: int, keep_content: bool) -> None:
    if not keep_content:
        rows = list(db.session.execute(
            select(Comment.id, Comment.idea_id, Comment.visibility).where(Comment.author_id == uid)
        ))
        replied = set(db.session.scalars(
            select(Comment.parent_id).where(
                Comment.parent_id.in_([r.id for r in rows]), Comment.author_id != uid
            )
        )) if rows else set()
        to_delete = [r.id for r in rows if r.id not in replied]
        lost: dict[int, int] = {}
        for r in rows:
            if r.visibility == CommentVisibility.VISIBLE:
                lost[r.idea_id] = lost.get(r.idea_id, 0) + 1
        for idea_id, n in sorted(lost.items()):
            adjust_comment_count(idea_id, -n)
        # Emptied, marked deleted: its replies keep their place under "Kommentaren er slettet".
        if replied:
            db.session.execute(
                update(Comment).where(Comment.id.in_(replied))
                .values(visibility=CommentVisibility.DELETED, body="", hidden_reason=None, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        if to_delete:
            _delete_cases(TargetType.COMMENT, to_delete)
            _delete_rows(Comment.__table__, Comment.__table__.c.id.in_(to_delete))
    # What the person took back earlier keeps no text either.
    db.session.execute(
        update(Comment).where(Comment.author_id == uid, Comment.visibility == CommentVisibility.DELETED)
        .values(body="").execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Comment).where(Comment.author_id == uid).values(author_id=pid)
        .execution_options(synchronize_session=False)
    )


def _delete_cases(kind: TargetType, target_ids: list[int]) -> None:
    if target_ids:
        _delete_rows(
            ModerationCase.__table__,
            and_(ModerationCase.__table__.c.target_type == kind.value,
                 ModerationCase.__table__.c.target_id.in_(target_ids)),
        )


def _handle_reports_and_appeals(uid: int) -> None:
    """Remove the person's open reports and their appeals; decided reports stay, anonymised."""
    open_reports = list(db.session.execute(
        select(Report.case_id, func.count(Report.id)).where(Report.reporter_id == uid, Report.resolution.is_(None))
        .group_by(Report.case_id)
    ))
    for case_id, n in sorted(open_reports):
        db.session.execute(
            update(ModerationCase).where(ModerationCase.id == case_id)
            .values(
                open_report_count=case(
                    (ModerationCase.open_report_count < n, 0), else_=ModerationCase.open_report_count - n
                ),
                report_count=ModerationCase.report_count - n,
            )
            .execution_options(synchronize_session=False)
        )
        # Nothing left to decide on an open case: it leaves the queue.
        db.session.execute(
            update(ModerationCase).where(
                ModerationCase.id == case_id, ModerationCase.state == CaseState.OPEN,
                ModerationCase.open_report_count == 0,
            ).values(state=CaseState.RESOLVED, first_open_report_at=None)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(delete(Report).where(Report.reporter_id == uid, Report.resolution.is_(None)))
    db.session.execute(
        update(Report).where(Report.reporter_id == uid).values(reporter_id=None)
        .execution_options(synchronize_session=False)
    )
    waiting = list(db.session.scalars(
        select(Appeal.case_id).where(Appeal.author_id == uid, Appeal.decision.is_(None))
    ))
    db.session.execute(delete(Appeal).where(Appeal.author_id == uid))
    if waiting:
        db.session.execute(
            update(ModerationCase).where(ModerationCase.id.in_(waiting), ModerationCase.state == CaseState.APPEALED)
            .values(state=CaseState.RESOLVED).execution_options(synchronize_session=False)
        )


def _handle_memberships(uid: int) -> None:
    """End memberships; an organisation left without an admin gets its oldest member as admin."""
    admin_of = list(db.session.scalars(
        select(Membership.organisation_id).where(Membership.user_id == uid, Membership.role == MembershipRole.ADMIN)
    ))
    db.session.execute(delete(Membership).where(Membership.user_id == uid))
    for org_id in sorted(admin_of):
        has_admin = db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.organisation_id == org_id, Membership.role == MembershipRole.ADMIN
            )
        )
        if has_admin:
            continue
        oldest = db.session.scalar(
            select(Membership.id).where(Membership.organisation_id == org_id)
            .order_by(Membership.created_at, Membership.id).limit(1)
        )
        if oldest is not None:
            db.session.execute(
                update(Membership).where(Membership.id == oldest).values(role=MembershipRole.ADMIN)
                .execution_options(synchronize_session=False)
            )


def _scrub_platform_text(uid: int, name: str, email: str) -> None:
    """Replace the name and address in what the platform wrote about the person to others."""
    placeholder = FORMER_PARTICIPANT_NAME
    # Every text column of these tables, so a column added later (an HTML part) is covered.
    targets = [
        Notice.__table__, OutboxMessage.__table__,
        # The audit log is append-only for the application; erasure is the one exception, and
        # it replaces only the name and address (a renamed person's note holds their names).
        ModerationAction.__table__, Report.__table__,
    ]
    for needle in {n for n in (name, email) if n and len(n.strip()) >= 3}:
        for table in targets:
            for col in table.columns:
                if not isinstance(col.type, String) or isinstance(col.type, Enum) or col.foreign_keys:
                    continue
                db.session.execute(
                    update(table).where(col.contains(needle, autoescape=True))
                    .values({col.name: func.replace(col, needle, placeholder)})
                )
    # Accessibility reports keep the problem, not who sent it.
    from app.accessibility.models import AccessibilityReport

    table = AccessibilityReport.__table__
    db.session.execute(
        update(table).where(or_(table.c.reporter_id == uid, func.lower(table.c.email) == email.lower()))
        .values(email=None)
    )


def _remember_export_files(uid: int) -> None:
    folder = current_app.config.get("EXPORT_FOLDER") or os.path.join(current_app.instance_path, "exports")
    names = [n for n in db.session.scalars(select(DataExport.filename).where(DataExport.user_id == uid)) if n]
    _remove_after_commit([os.path.join(folder, os.path.basename(n)) for n in names])


def _remove_image_files_after_commit(files: list[str]) -> None:
    if not files:
        return
    # Pictures are stored by content hash: another idea may use the same file.
    still_used = set(db.session.scalars(select(IdeaImage.filename).where(IdeaImage.filename.in_(files))))
    _remove_after_commit([path_of(f) for f in set(files) - still_used])


def _remove_after_commit(paths: list[str]) -> None:
    if paths:
        db.session.info.setdefault(_FILES_KEY, []).extend(paths)


@event.listens_for(Session, "after_commit")
def _remove_files(session):
    for path in session.info.pop(_FILES_KEY, ()):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            os.remove(path)


@event.listens_for(Session, "after_rollback")
def _keep_files(session):
    session.info.pop(_FILES_KEY, None)


# --- ON DELETE, emulated -------------------------------------------------------------------


def _delete_rows(table: Table, where, depth: int = 0) -> None:
    """Delete rows of `table`, applying every referencing foreign key's ON DELETE rule first.

    PostgreSQL would do the same by itself; SQLite here runs without foreign key enforcement,
    so doing it in code gives one result on both. A reference without ON DELETE is set to
    NULL where it may be, and stops the erasure where it may not.
    """
    if depth > 6:
        raise RuntimeError(f"ON DELETE chain too deep at {table.name}")
    pk = list(table.primary_key.columns)
    referencing = [
        (other, fk)
        for other in db.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table
    ]
    if referencing:
        if len(pk) != 1:
            raise RuntimeError(f"cannot follow references to {table.name}")
        ids = list(db.session.scalars(select(pk[0]).where(where)))
        if not ids:
            return
        for other, fk in referencing:
            column = fk.parent
            rule = (fk.ondelete or "").upper()
            condition = column.in_(ids)
            if rule == "CASCADE":
                _delete_rows(other, condition, depth + 1)
            elif column.nullable:
                db.session.execute(update(other).where(condition).values({column.name: None}))
            else:
                still = db.session.scalar(select(func.count()).select_from(other).where(condition))
                if still:
                    raise RuntimeError(f"{other.name}.{column.name} still refers to {table.name}")
        where = pk[0].in_(ids)
    db.session.execute(delete(table).where(where))
