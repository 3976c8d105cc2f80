"""The idea page's read side: the idea and what hangs on it in a fixed, small number of statements.

One statement for the idea (author, organisation, area, merged-into idea, pictures and goals
joined) with the viewer's own state as columns of the same row (their vote, whether they are a
member of an organisation, and what other domains register: following); one statement for its
lists (status history, endorsements, the ideas merged into it, and the viewer's organisation
memberships), read only when the page is rendered or the viewer is a member of an
organisation (what they may endorse for depends on them). The discussion and the other
domains' sections add their own (app/ideas/sections.py).
"""

from dataclasses import dataclass, field

from flask import g
from sqlalchemy import and_, exists, false, literal, select, union_all
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Membership, User
from app.core.models import Sdg, ServiceArea
from app.extensions import db
from app.ideas.models import Endorsement, Idea, StatusChange, Visibility, Vote, idea_sdgs
from app.ideas.sections import VIEWER_STATES


@dataclass
class IdeaPage:
    idea: Idea
    # The viewer's own state: "voted", "member", and each registered one (e.g. "following");
    # False without a viewer.
    state: dict[str, bool] = field(default_factory=dict)
    endorsements: list[Endorsement] = field(default_factory=list)
    merged_ideas: list[Idea] = field(default_factory=list)
    lists_loaded: bool = False


# Made once, not per request: a new alias adapts each column it is asked for afresh.
_MERGED = aliased(Idea, name="merged_idea")


def _viewer_id(viewer: User | None) -> int | None:
    return viewer.id if viewer is not None and getattr(viewer, "is_authenticated", False) else None


def _idea_row(idea_id: int, viewer_id: int | None) -> tuple[Idea | None, dict[str, bool]]:
    """The idea, its goals (flat outer joins: SQLite builds a nested join of the whole
    idea-goal table first) and the viewer's state, in one statement."""
    names = ["voted", "member", *VIEWER_STATES]
    if viewer_id is None:
        columns = [literal(False).label(name) for name in names]
    else:
        columns = [exists().where(Vote.idea_id == Idea.id, Vote.user_id == viewer_id).label("voted"),
                   exists().where(Membership.user_id == viewer_id).label("member")]
        columns += [expression(Idea.id, viewer_id).label(name) for name, expression in VIEWER_STATES.items()]
    rows = db.session.execute(
        select(Idea, Sdg, *columns)
        .outerjoin(idea_sdgs, idea_sdgs.c.idea_id == Idea.id)
        .outerjoin(Sdg, Sdg.number == idea_sdgs.c.sdg_number)
        .where(Idea.id == idea_id)
        .options(
            joinedload(Idea.author),
            joinedload(Idea.organisation),
            joinedload(Idea.service_area).joinedload(ServiceArea.municipal_area),
            joinedload(Idea.merged_into),
            # At most three pictures, joined into the idea's rows.
            joinedload(Idea.images),
        )
    ).unique().all()
    if not rows:
        return None, {}
    idea = rows[0][0]
    goals = {row[1].number: row[1] for row in rows if row[1] is not None}
    set_committed_value(idea, "sdgs", [goals[number] for number in sorted(goals)])
    state = {name: bool(rows[0][2 + index]) for index, name in enumerate(names)}
    return idea, state


def load_lists(page: IdeaPage, viewer: User | None) -> None:
    """Status history, endorsements, merged ideas and the viewer's memberships in one statement
    (none when they are loaded already).

    Each row of a small "part" list outer-joins one of them, so the rows add up (never
    multiply): one row per status change, endorsement, merged idea and membership.
    """
    if page.lists_loaded:
        return
    page.lists_loaded = True
    idea = page.idea
    viewer_id = _viewer_id(viewer)
    part = union_all(*(select(literal(n).label("n")) for n in (1, 2, 3, 4))).subquery("part")
    merged = _MERGED
    rows = db.session.execute(
        select(part.c.n, StatusChange, Endorsement, merged, Membership)
        .select_from(part)
        .outerjoin(StatusChange, and_(part.c.n == 1, StatusChange.idea_id == idea.id))
        .outerjoin(Endorsement, and_(part.c.n == 2, Endorsement.idea_id == idea.id))
        .outerjoin(merged, and_(part.c.n == 3, merged.merged_into_id == idea.id,
                                merged.visibility == Visibility.VISIBLE))
        .outerjoin(Membership, and_(part.c.n == 4, Membership.user_id == viewer_id)
                   if viewer_id is not None else false())
        .options(
            joinedload(StatusChange.changed_by),
            joinedload(Endorsement.organisation),
            joinedload(Membership.organisation),
        )
    ).unique().all()
    changes = [row[1] for row in rows if row[1] is not None]
    set_committed_value(idea, "status_changes", sorted(changes, key=lambda c: (c.created_at, c.id)))
    endorsements = [row[2] for row in rows if row[2] is not None]
    page.endorsements = sorted(endorsements, key=lambda e: (e.created_at, e.id))
    page.merged_ideas = sorted((row[3] for row in rows if row[3] is not None),
                               key=lambda i: (i.created_at, i.id))
    g.idea_page_merged = (idea.id, page.merged_ideas)
    if viewer_id is not None:
        # organisations_for() and the comment form read the viewer's memberships: loaded here.
        set_committed_value(viewer, "memberships", [row[4] for row in rows if row[4] is not None])


def load_idea_page(idea_id: int, viewer: User | None, *, with_lists: bool = True) -> IdeaPage | None:
    """The idea (hidden or not) with everything its page shows, and the viewer's own state.

    `with_lists` False leaves out the lists until load_lists(); a viewer who is a member of no
    organisation is then known to have no memberships, without a query.
    """
    viewer_id = _viewer_id(viewer)
    idea, state = _idea_row(idea_id, viewer_id)
    if idea is None:
        return None
    page = IdeaPage(idea=idea, state=state)
    if with_lists:
        load_lists(page, viewer)
    elif viewer_id is not None and not state["member"]:
        set_committed_value(viewer, "memberships", [])
    return page


def merged_ideas(idea: Idea) -> list[Idea]:
    """The visible ideas merged into this one, oldest first (read with the page's lists when
    the idea page loaded them, else one query)."""
    loaded = g.get("idea_page_merged")
    if loaded is not None and loaded[0] == idea.id:
        return loaded[1]
    return list(db.session.scalars(
        select(Idea).where(Idea.merged_into_id == idea.id, Idea.visibility == Visibility.VISIBLE)
        .order_by(Idea.created_at, Idea.id)
    ))
