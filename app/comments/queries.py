"""The read side of the discussion: the thread under an idea, and the flat list for the API.

A thread page costs a fixed number of queries whatever its length: one statement for a page of
top-level comments, their replies and the count of top-level comments (authors and organisations
joined), and the viewer's organisations when they can write (loaded once per request).
"""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import request
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Organisation, User
from app.accounts.permissions import can_participate
from app.comments.models import Comment, CommentVisibility
from app.comments.permissions import comment_problem, discussion_open
from app.core.pagination import Page, page_number
from app.extensions import db
from app.ideas.models import Idea
from app.ideas.permissions import can_moderate_idea, can_view_idea_content

# Top-level comments (threads) per page of the discussion: the most discussed idea shows its
# first page, not every comment.
THREAD_PAGE_SIZE = 25
ORDERS = ("oldest", "newest")


# Made once: an alias made per request adapts each of its columns afresh the first time a
# statement uses them (some 3 ms of the idea page).
_REPLY = aliased(Comment, name="reply")


def _shown_in_thread(idea_id: int):
    """Deleted comments stay in the thread only as the head of replies that are still there.

    The heads with live replies are read from the idea's own comments (its index), not per row.
    """
    reply = _REPLY
    heads_with_live_replies = select(reply.parent_id).where(
        reply.idea_id == idea_id,
        reply.parent_id.is_not(None),
        reply.visibility != CommentVisibility.DELETED,
    )
    return or_(Comment.visibility != CommentVisibility.DELETED, Comment.id.in_(heads_with_live_replies))


def _top_level(idea_id: int):
    return and_(Comment.idea_id == idea_id, Comment.parent_id.is_(None), _shown_in_thread(idea_id))


def _with_people(stmt):
    return stmt.options(joinedload(Comment.author), joinedload(Comment.organisation))


def _ordering(order: str):
    if order == "newest":
        return (Comment.created_at.desc(), Comment.id.desc())
    return (Comment.created_at.asc(), Comment.id.asc())


@dataclass
class ThreadEntry:
    comment: Comment
    replies: list[Comment]


@dataclass
class Thread:
    """One page of an idea's discussion, with what the viewer may do in it."""

    idea: Idea
    viewer: User | None
    entries: list[ThreadEntry]
    order: str
    page: int
    per_page: int
    total: int  # top-level comments shown in the thread (the pages count these)
    problem: str | None  # why the viewer cannot write here, or None
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self) -> list[int | None]:
        return Page(items=[], page=self.page, per_page=self.per_page, total=self.total).window()

    @property
    def can_write(self) -> bool:
        return self.problem is None

    @property
    def is_open(self) -> bool:
        return discussion_open(self.idea)

    def _viewer_id(self) -> int | None:
        if self.viewer is not None and getattr(self.viewer, "is_authenticated", False):
            return self.viewer.id
        return None

    def is_own(self, comment: Comment) -> bool:
        viewer_id = self._viewer_id()
        return viewer_id is not None and comment.author_id == viewer_id

    def shows_text(self, comment: Comment) -> bool:
        """The text is shown for visible comments; the author (and moderators) read a hidden one."""
        if comment.is_visible:
            return True
        if comment.is_hidden:
            return self.is_own(comment) or can_moderate_idea(self.viewer, self.idea)
        return False

    def can_edit(self, comment: Comment) -> bool:
        return (self.is_own(comment) and comment.is_visible and self.is_open
                and can_participate(self.viewer))

    def can_delete(self, comment: Comment) -> bool:
        return self.is_own(comment) and not comment.is_deleted

    def can_reply(self, comment: Comment) -> bool:
        return self.can_write and comment.is_visible

    def url(self, **changes) -> str:
        """This page with a different order or page of the thread, anchored at the discussion."""
        args = request.args.to_dict()
        args.update({key: str(value) for key, value in changes.items()})
        if args.get("comments") == "oldest":
            args.pop("comments")
        if args.get("cpage") == "1":
            args.pop("cpage")
        query = urlencode(args)
        return request.path + (f"?{query}" if query else "") + "#comments"

    def url_for_page(self, number: int) -> str:
        """The shared pagination macro's way of asking for a page (templates/macros/ui.html)."""
        return self.url(cpage=number)


def _page_number(value, default: int = 1) -> int:
    return page_number(value, default)


def _thread_rows(idea: Idea, order: str, page: int, per_page: int) -> tuple[list[Comment], list[Comment], int | None]:
    """One statement: a page of top-level comments, their replies, and the number of top-level
    comments (a window COUNT over the page's query, counted before its LIMIT).

    Returns (tops, replies, total); total is None when the page is past the end (no rows).
    """
    page_rows = (
        select(Comment.id.label("id"), func.count().over().label("total"))
        .where(_top_level(idea.id))
        .order_by(*_ordering(order)).limit(per_page).offset((page - 1) * per_page)
        .cte("thread_page")
    )
    in_page = select(page_rows.c.id)
    rows = db.session.execute(
        _with_people(
            select(Comment, select(page_rows.c.total).limit(1).scalar_subquery())
            # The idea's own comments first (its index), then the page's threads among them:
            # the OR alone reads every comment.
            .where(Comment.idea_id == idea.id)
            .where(or_(
                Comment.id.in_(in_page),
                and_(Comment.parent_id.in_(in_page), Comment.visibility != CommentVisibility.DELETED),
            ))
        )
    ).unique().all()
    total = rows[0][1] if rows else None
    key = _sort_key(order)
    tops = sorted((c for c, _ in rows if c.parent_id is None), key=key)
    # Replies read as a conversation: oldest first under their comment, whatever the order above.
    replies = sorted((c for c, _ in rows if c.parent_id is not None), key=_sort_key("oldest"))
    return tops, replies, total


def _sort_key(order: str):
    if order == "newest":
        return lambda c: (-c.created_at.timestamp(), -c.id)
    return lambda c: (c.created_at.timestamp(), c.id)


def load_thread(
    idea: Idea, viewer: User | None, *, order: str = "oldest", page: int = 1,
    per_page: int = THREAD_PAGE_SIZE,
) -> Thread:
    """One page of top-level comments with their replies, people eager-loaded: one statement
    (two more only for a page number past the end, which shows the last page)."""
    order = order if order in ORDERS else "oldest"
    page = max(1, page)
    tops: list[Comment] = []
    replies: list[Comment] = []
    total = 0
    if can_view_idea_content(viewer, idea):
        tops, replies, counted = _thread_rows(idea, order, page, per_page)
        if counted is not None:
            total = counted
        elif page > 1:
            total = db.session.scalar(select(func.count(Comment.id)).where(_top_level(idea.id))) or 0
            page = max(1, math.ceil(total / per_page))
            if total:
                tops, replies, _ = _thread_rows(idea, order, page, per_page)
    replies_by_parent: dict[int, list[Comment]] = {top.id: [] for top in tops}
    for reply in replies:
        replies_by_parent[reply.parent_id].append(reply)
    entries = []
    for top in tops:
        top_replies = replies_by_parent[top.id]
        # Fill the relationships the templates might touch, so none of them lazy-loads per row.
        set_committed_value(top, "idea", idea)
        set_committed_value(top, "replies", top_replies)
        for reply in top_replies:
            set_committed_value(reply, "idea", idea)
            set_committed_value(reply, "parent", top)
        entries.append(ThreadEntry(top, top_replies))
    problem = comment_problem(viewer, idea)
    organisations = []
    if problem is None:
        from app.comments.services import organisations_for_commenting

        organisations = organisations_for_commenting(viewer)
    return Thread(
        idea=idea, viewer=viewer, entries=entries, order=order, page=page, per_page=per_page,
        total=total, problem=problem, organisations=organisations,
    )


def thread_section(idea: Idea, viewer: User | None) -> dict:
    """The loader of the idea page's "comments" section: reads ?comments= and ?cpage=."""
    thread = load_thread(
        idea, viewer,
        order=request.args.get("comments", "oldest"),
        page=_page_number(request.args.get("cpage")),
    )
    return {"thread": thread}


def thread_page_of(comment: Comment, order: str = "oldest", per_page: int = THREAD_PAGE_SIZE) -> int:
    """The page (?cpage=) of the thread on which a comment (or its top-level comment) shows."""
    top_id = comment.parent_id or comment.id
    top = db.session.get(Comment, top_id)
    if order == "newest":
        before = or_(Comment.created_at > top.created_at,
                     and_(Comment.created_at == top.created_at, Comment.id > top.id))
    else:
        before = or_(Comment.created_at < top.created_at,
                     and_(Comment.created_at == top.created_at, Comment.id < top.id))
    ahead = db.session.scalar(
        select(func.count(Comment.id)).where(_top_level(top.idea_id), before)
    ) or 0
    return ahead // per_page + 1


def _in_api_list(idea_id: int):
    # Replies never head anything, so a deleted reply is simply gone; a deleted top-level comment
    # stays as a placeholder while replies hang under it.
    return and_(
        Comment.idea_id == idea_id,
        or_(Comment.visibility != CommentVisibility.DELETED,
            and_(Comment.parent_id.is_(None), _shown_in_thread(idea_id))),
    )


def api_page(idea: Idea, page: int, per_page: int, order: str = "oldest") -> Page:
    """Every comment of an idea in time order, replies included (parent_id threads them).

    One COUNT and one page of rows with people joined.
    """
    order = order if order in ORDERS else "oldest"
    total = db.session.scalar(select(func.count(Comment.id)).where(_in_api_list(idea.id))) or 0
    items = list(db.session.scalars(
        _with_people(select(Comment).where(_in_api_list(idea.id)))
        .order_by(*_ordering(order)).limit(per_page).offset((page - 1) * per_page)
    ).unique())
    return Page(items=items, page=page, per_page=per_page, total=total)
