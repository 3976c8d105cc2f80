"""Use cases of the discussion: post, reply, edit and delete comments; keep comment_count exact.

Each public use case is one transaction; a broken rule raises an error from core/errors.py.

comment_count on an idea counts its VISIBLE comments (top-level and replies). Every change of a
comment's visibility goes through apply_comment_visibility(), which moves the counter by the
right amount in the caller's transaction, so post, delete, and the moderators' hide and restore
all keep the count exact.
"""

import re
from datetime import timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.accounts.models import Membership, Organisation, User, VerificationStatus
from app.accounts.permissions import can_act_for_organisation, membership_of
from app.comments import signals
from app.comments.models import Comment, CommentVisibility
from app.comments.permissions import comment_problem, is_comment_author
from app.core.db import commit_keeping_loaded, is_postgres, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated, NotFound
from app.extensions import db
from app.ideas.models import Idea

MIN_LENGTH = 2
MAX_LENGTH = 2000
DUPLICATE_WINDOW = timedelta(hours=1)


# --- reading single rows ----------------------------------------------------------------


def get_comment(comment_id: int) -> Comment:
    """The comment with this id, whatever its visibility. Raises NotFound."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_("Fant ikke kommentaren."))
    return comment


def get_idea_for_discussion(idea_id: int) -> Idea:
    """The idea with this id. Raises NotFound."""
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        raise NotFound(_("Fant ikke idéen."))
    return idea


# --- the counter -------------------------------------------------------------------------


def adjust_comment_count(idea_id: int, delta: int) -> None:
    """Move an idea's comment_count by delta with one atomic UPDATE. Does not commit.

    Call it in the same transaction as the change it counts. Prefer apply_comment_visibility(),
    which works out the delta itself.
    """
    if delta:
        db.session.execute(
            update(Idea)
            .where(Idea.id == idea_id)
            .values(comment_count=Idea.comment_count + delta)
            .execution_options(synchronize_session=False)
        )


def _lock_idea(idea_id: int, *, with_author: bool = False) -> Idea | None:
    """The idea's current row; on PostgreSQL locked FOR NO KEY UPDATE (comments can still be
    inserted under it) until the transaction ends. `with_author`: its author read in the same
    statement (not locked), for the notice a new comment sends them."""
    stmt = select(Idea).where(Idea.id == idea_id).execution_options(populate_existing=True)
    if with_author:
        stmt = stmt.options(joinedload(Idea.author))
    if is_postgres():
        stmt = stmt.with_for_update(of=Idea, key_share=True)
    return db.session.scalar(stmt)


_COMMENT_LOCK = "comments.locked_for_comment"


@cache
def _lock_for_comment(postgres: bool):
    """idea_to_comment_on's statement, built once: the idea with its author, and on PostgreSQL
    the idea and the commenter's row locked."""
    stmt = select(Idea).where(Idea.id == bindparam("c_idea")).options(joinedload(Idea.author))
    if postgres:
        commenter = aliased(User)
        stmt = (
            stmt.add_columns(commenter.id).join(commenter, commenter.id == bindparam("c_commenter"))
            .with_for_update(of=[Idea, commenter], key_share=True)
        )
    return stmt


def idea_to_comment_on(idea_id: int, author: User) -> Idea | None:
    """The idea's current row, locked for a comment by `author` until the transaction ends;
    None when there is no such idea. The caller checks that the person may see it, then calls
    post_comment() in the same transaction, which decides on this row without reading it again.

    On PostgreSQL one statement locks the idea FOR NO KEY UPDATE (the lock the comment_count
    UPDATE takes anyway; comments and votes can still be inserted under it) and the commenter's
    own row, which serialises one person's posts for the duplicate check (see
    _check_not_duplicate); it reads the idea's author with them, unlocked, for their notice.
    """
    if idea_id is None:
        return None
    # An idea this session holds already is refreshed from the locked row. Otherwise nothing
    # held is overwritten: the commenter, when they wrote the idea, keeps what their object holds.
    held = identity_key(Idea, idea_id) in db.session.identity_map
    row = db.session.execute(
        _lock_for_comment(is_postgres()), {"c_idea": idea_id, "c_commenter": author.id},
        execution_options={"populate_existing": held},
    ).first()
    if row is None:
        return None
    idea = row[0]
    session = db.session()
    db.session.info[_COMMENT_LOCK] = (idea.id, author.id, session.get_transaction(),
                                      session.get_nested_transaction())
    return idea


def _locked_for_comment(idea: Idea, author: User) -> bool:
    """Whether idea_to_comment_on() locked this idea for this person in the current transaction."""
    held = db.session.info.get(_COMMENT_LOCK)
    if held is None:
        return False
    idea_id, author_id, transaction, savepoint = held
    # Taken inside a savepoint that has ended since (rolled back: the locks went with it), they
    # are taken again.
    return (
        idea_id == idea.id and author_id == author.id and transaction is not None
        and transaction is db.session().get_transaction()
        and (savepoint is None or savepoint.is_active)
    )


def lock_comment(comment_id: int) -> Comment | None:
    """The comment's current row, locked until the transaction ends (FOR UPDATE on PostgreSQL).

    populate_existing refreshes an instance the session already holds, so a decision is made
    on what is stored now, not on what was read before another request changed it.

    On PostgreSQL the idea's row is locked first, with the lock the comment_count UPDATE takes
    anyway (FOR NO KEY UPDATE; new comments can still be inserted). Every step then takes the
    idea before the comment, as moderation does when it hides a person's ideas and comments
    together; taking the comment first and the idea for its counter deadlocked with that.
    """
    if is_postgres():
        idea_id = db.session.scalar(select(Comment.idea_id).where(Comment.id == comment_id))
        if idea_id is None:
            return None
        _lock_idea(idea_id)
    stmt = select(Comment).where(Comment.id == comment_id).execution_options(populate_existing=True)
    if is_postgres():
        stmt = stmt.with_for_update(of=Comment)
    return db.session.scalar(stmt)


def change_comment_visibility(
    comment: Comment, visibility: CommentVisibility | str, *, hidden_reason: str | None = None
) -> CommentVisibility | None:
    """Move the comment to `visibility` once, and comment_count with it. Does not commit.

    Decides on the locked, current row and writes with a conditional UPDATE (… WHERE
    visibility = <what was read>), so two requests changing one comment at once make one
    transition between them, also on SQLite, where rows are not locked but writes are
    serialised. Returns the visibility the comment left, or None when it already had
    `visibility` (then only a hidden comment's reason is updated). A deleted comment stays
    deleted: raises InvalidState for any other target. Raises NotFound when the row is gone.
    """
    visibility = CommentVisibility(visibility)
    reason = (hidden_reason or "").strip() or None if visibility == CommentVisibility.HIDDEN else None
    for _attempt in range(5):
        current = lock_comment(comment.id)
        if current is None:
            raise NotFound(_("Fant ikke kommentaren."))
        before = current.visibility
        if before == CommentVisibility.DELETED and visibility != CommentVisibility.DELETED:
            raise InvalidState(_("Kommentaren er slettet av forfatteren og kan ikke gjenopprettes."))
        if before == visibility:
            if visibility == CommentVisibility.HIDDEN and reason and current.hidden_reason != reason:
                current.hidden_reason = reason
            return None
        result = db.session.execute(
            update(Comment)
            .where(Comment.id == comment.id, Comment.visibility == before)
            .values(visibility=visibility, hidden_reason=reason, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            set_committed_value(current, "visibility", visibility)
            set_committed_value(current, "hidden_reason", reason)
            adjust_comment_count(
                comment.idea_id,
                int(visibility == CommentVisibility.VISIBLE) - int(before == CommentVisibility.VISIBLE),
            )
            return before
        # Another transaction changed the row between our read and our write: read it again.
    raise InvalidState(_("Kommentaren ble endret samtidig. Prøv igjen."))


def apply_comment_visibility(
    comment: Comment, visibility: CommentVisibility | str, *, hidden_reason: str | None = None
) -> int:
    """Set a comment's visibility and move comment_count to match. Does not commit.

    For moderation: hide with `apply_comment_visibility(c, "hidden", hidden_reason=...)`,
    restore with `apply_comment_visibility(c, "visible")`, inside the moderator's transaction
    (the caller checks the `moderate` capability and writes its audit log). Returns the
    change to comment_count (-1, 0 or +1). A deleted comment stays deleted: the author took it
    back, so it cannot be restored (raises InvalidState). See change_comment_visibility().
    """
    visibility = CommentVisibility(visibility)
    before = change_comment_visibility(comment, visibility, hidden_reason=hidden_reason)
    if before is None:
        return 0
    return int(visibility == CommentVisibility.VISIBLE) - int(before == CommentVisibility.VISIBLE)


# --- input checks shared by the forms, the API and the CLI ------------------------------


def normalise_body(body: str | None) -> str:
    """Trim the text and its lines, keep paragraphs (at most one empty line in a row)."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def body_problem(body: str) -> str | None:
    if len(body) < MIN_LENGTH:
        return _("Skriv en kommentar på minst %(n)d tegn.", n=MIN_LENGTH)
    if len(body) > MAX_LENGTH:
        return _("Kommentaren kan være høyst %(max)d tegn. Nå er den %(n)d tegn.", max=MAX_LENGTH, n=len(body))
    return None


def _duplicate_key(body: str) -> str:
    return " ".join(body.split()).casefold()


def _check_body(body: str) -> str:
    text = normalise_body(body)
    problem = body_problem(text)
    if problem:
        raise InvalidInput(problem, fields={"body": [problem]})
    return text


def _check_not_duplicate(author: User, body: str, *, locked: bool = False) -> None:
    """Refuse the same text from the same person on any idea within the last hour.

    Comments the person deleted do not count: they may have taken one back to post it in the
    right place. Hidden ones do: posting a hidden text again is what the rule is there to stop.
    `locked`: the person's row is locked already (idea_to_comment_on). The texts are read in a
    statement of their own after the lock is held, so they include a post that held it first;
    a statement that locked and read at once would read from before its wait.
    """
    if is_postgres() and not locked:
        # Serialise one person's posts, so a double click cannot slip two copies past the check.
        # FOR NO KEY UPDATE, as idea_to_comment_on: the notices written in the same transaction
        # take KEY SHARE on the people they tell, and two people answering each other at once
        # must not wait for each other's row.
        db.session.execute(select(User.id).where(User.id == author.id).with_for_update(key_share=True))
    since = utcnow() - DUPLICATE_WINDOW
    recent = db.session.scalars(
        select(Comment.body).where(
            Comment.author_id == author.id,
            Comment.created_at >= since,
            Comment.visibility != CommentVisibility.DELETED,
        )
    )
    key = _duplicate_key(body)
    if any(_duplicate_key(earlier) == key for earlier in recent):
        message = _(
            "Du har allerede skrevet akkurat denne kommentaren den siste timen. "
            "Skriv noe nytt, eller endre kommentaren du allerede har skrevet."
        )
        raise InvalidInput(message, fields={"body": [message]})


def _participation_error(problem: str):
    messages = {
        "anonymous": lambda: NotAuthenticated(_("Logg inn for å kommentere.")),
        "unconfirmed": lambda: NotAllowed(
            _("Bekreft e-postadressen din før du kommenterer. Vi har sendt deg en lenke.")
        ),
        "blocked": lambda: NotAllowed(_("Kontoen din er blokkert fra å delta, så du kan ikke kommentere.")),
        "name_flagged": lambda: NotAllowed(
            _("Skriv ditt fulle navn på profilen din før du kommenterer. Debatten her føres under fullt navn.")
        ),
        "unverified": lambda: NotAllowed(
            _("Kommunen krever at du bekrefter hvem du er med ID-porten før du kommenterer.")
        ),
    }
    return messages.get(problem, lambda: NotAllowed(_("Du kan ikke kommentere nå.")))()


def _closed_error(idea: Idea) -> InvalidState:
    if not idea.is_visible:
        return InvalidState(_("Idéen er skjult av moderatorene, så diskusjonen er stengt."))
    return InvalidState(_("Idéen er trukket tilbake, så diskusjonen er stengt."))


def _check_can_comment(author: User | None, idea: Idea) -> None:
    problem = comment_problem(author, idea)
    if problem == "closed":
        raise _closed_error(idea)
    if problem:
        raise _participation_error(problem)


def _check_organisation(author: User, organisation: Organisation | None) -> None:
    if organisation is None or can_act_for_organisation(author, organisation):
        return
    if membership_of(author, organisation) is None:
        message = _("Du er ikke medlem av %(name)s og kan ikke skrive på vegne av organisasjonen.",
                    name=organisation.name)
    elif not organisation.is_verified:
        message = _("%(name)s er ikke verifisert ennå. Du kan skrive på vegne av organisasjonen "
                    "når en moderator har verifisert den.", name=organisation.name)
    else:
        message = _("Du kan ikke skrive på vegne av %(name)s.", name=organisation.name)
    raise NotAllowed(message, fields={"organisation_id": [message]})


def _thread_parent(idea: Idea, parent: Comment | None) -> Comment | None:
    """The top-level comment a reply hangs under.

    Replies are one level deep. Answering a reply is allowed (it is what people do) and the
    answer is attached to that reply's top-level comment, right after it in time.
    """
    if parent is None:
        return None
    if parent.idea_id != idea.id:
        message = _("Kommentaren du svarer på, hører til en annen idé.")
        raise InvalidInput(message, fields={"parent_id": [message]})
    if parent.visibility != CommentVisibility.VISIBLE:
        message = (
            _("Kommentaren du svarer på, er slettet.") if parent.is_deleted
            else _("Kommentaren du svarer på, er skjult av moderatorene.")
        )
        raise InvalidState(message, fields={"parent_id": [message]})
    if parent.parent_id is not None:
        return db.session.get(Comment, parent.parent_id)
    return parent


# --- use cases ---------------------------------------------------------------------------


def post_comment(
    author: User | None,
    idea: Idea,
    body: str,
    parent: Comment | None = None,
    organisation: Organisation | None = None,
) -> Comment:
    """Publish a comment, or a reply to `parent`, on the idea; +1 on comment_count.

    Raises NotAuthenticated for a visitor, NotAllowed when the person cannot take part (not
    confirmed, blocked, name flagged) or cannot act for `organisation` (not a member, not
    verified), InvalidState when the discussion is closed (idea hidden or withdrawn) or the
    parent is not visible, InvalidInput for a text outside 2–2000 characters, the same text
    posted by the same person within the hour, or a parent on another idea.
    """
    _check_can_comment(author, idea)
    _check_organisation(author, organisation)
    text = _check_body(body)
    # Judge the idea on its stored row, locked on PostgreSQL (the lock the comment_count
    # UPDATE below takes anyway): one a moderator hid or the author withdrew a moment ago
    # is closed, whatever this request read before.
    # The author is read with the idea for their notice; a comment on one's own idea tells no one
    # (and reading the commenter again would reset what their session object holds).
    locked = _locked_for_comment(idea, author)
    if not locked:
        _lock_idea(idea.id, with_author=idea.author_id != author.id)
    _check_can_comment(author, idea)
    top = _thread_parent(idea, parent)
    _check_not_duplicate(author, text, locked=locked)
    comment = Comment(
        idea_id=idea.id, author_id=author.id, body=text,
        organisation_id=organisation.id if organisation else None,
        parent_id=top.id if top else None, visibility=CommentVisibility.VISIBLE,
    )
    db.session.add(comment)
    db.session.flush()
    adjust_comment_count(idea.id, +1)
    # The count, changed past the ORM, is read afresh if anyone asks.
    db.session.expire(idea, ["comment_count", "updated_at"])
    # The auto-follow and the notices about the comment are written in its transaction: the
    # comment and who hears of it are saved together, or neither is.
    signals.comment_posted.send(author, comment=comment, idea=idea)
    # The answer that follows reads the comment, its idea and its author as written here.
    commit_keeping_loaded()
    return comment


def check_can_edit_comment(author: User | None, comment: Comment) -> None:
    """Raise the error edit_comment() would raise before looking at the text; for the edit page."""
    if author is None or not getattr(author, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å endre kommentaren."))
    if not is_comment_author(author, comment):
        raise NotAllowed(_("Du kan bare endre dine egne kommentarer."))
    if comment.is_deleted:
        raise InvalidState(_("Kommentaren er slettet og kan ikke endres."))
    if comment.is_hidden:
        raise InvalidState(_("Kommentaren er skjult av moderatorene og kan ikke endres."))
    _check_can_comment(author, comment.idea)


def edit_comment(author: User | None, comment: Comment, body: str) -> Comment:
    """The author changes the text; the comment shows as edited (only when the text changed).

    Raises NotAuthenticated for a visitor, NotAllowed for anyone but the author or an author
    who cannot take part, InvalidState for a hidden or deleted comment or a closed discussion,
    InvalidInput for a text outside 2–2000 characters.
    """
    check_can_edit_comment(author, comment)
    # Decide on the current row: a moderator may have hidden it, or the author deleted it, since.
    if lock_comment(comment.id) is None:
        raise NotFound(_("Fant ikke kommentaren."))
    check_can_edit_comment(author, comment)
    text = _check_body(body)
    if text != comment.body:
        comment.body = text
        comment.edited_at = utcnow()
        db.session.commit()
        signals.comment_edited.send(author, comment=comment)
    return comment


def check_can_delete_comment(author: User | None, comment: Comment) -> None:
    """Raise the error delete_comment() would raise; for the confirmation page."""
    if author is None or not getattr(author, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å slette kommentaren."))
    if not is_comment_author(author, comment):
        raise NotAllowed(_("Du kan bare slette dine egne kommentarer."))
    if comment.is_deleted:
        raise InvalidState(_("Kommentaren er allerede slettet."))


def delete_comment(author: User | None, comment: Comment) -> Comment:
    """The author takes a comment back; -1 on comment_count when it was visible.

    The row stays with visibility `deleted` so its replies keep their place; the thread shows
    "Kommentaren er slettet" where it has replies and leaves it out otherwise. The author may
    delete while blocked and while the comment is hidden: taking back one's own words is always
    allowed. Raises NotAuthenticated for a visitor, NotAllowed for anyone but the author,
    InvalidState when it is already deleted.
    """
    check_can_delete_comment(author, comment)
    if change_comment_visibility(comment, CommentVisibility.DELETED) is None:
        # Deleted by another request of the author's in the meantime.
        raise InvalidState(_("Kommentaren er allerede slettet."))
    db.session.commit()
    signals.comment_deleted.send(author, comment=comment)
    return comment


def organisations_for_commenting(user: User | None) -> list[Organisation]:
    """The verified organisations the user may comment for, in one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if "memberships" not in inspect(user).unloaded:
        # The idea page loaded them with its lists (app/ideas/page.py): no query of our own.
        verified = [m.organisation for m in user.memberships if m.organisation.status == VerificationStatus.VERIFIED]
        return sorted(verified, key=lambda organisation: organisation.name)
    return list(db.session.scalars(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Organisation.status == VerificationStatus.VERIFIED)
        .order_by(Organisation.name)
    ))
