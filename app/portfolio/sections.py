"""What the portfolio adds to the idea page and the idea JSON, through the ideas domain's registries."""

from flask import g, url_for
from flask_login import current_user
from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload

from app.accounts.permissions import scope_of
from app.core.db import as_utc
from app.core.urls import external_url
from app.extensions import db
from app.ideas.models import Idea, IdeaStatus, Visibility
from app.ideas.page import merged_ideas
from app.ideas.sections import register_idea_section
from app.ideas.serialise import IDEA_JSON_EXTENSIONS, IDEA_JSON_PRELOADS
from app.portfolio import queries
from app.portfolio.answers import staff_moves
from app.portfolio.models import Project, ProjectIdea, ProjectPhaseChange, ProjectUpdate
from app.portfolio.permissions import (
    can_answer_idea,
    can_manage_projects,
    can_view_internal_projects,
    visible_projects,
)


def _projects_section(idea: Idea, viewer) -> dict:
    """The idea's projects with phase and progress, their updates and phase changes (newest
    first), and the ideas merged into this one: two queries, one for an idea in no project (the
    merged ideas come with the idea page's lists)."""
    links = queries.projects_of_idea(idea.id, viewer)
    updates = _project_news([link.project_id for link in links])
    return {"project_links": links, "project_updates": updates, "merged_ideas": merged_ideas(idea)}


def _project_news(project_ids: list[int], limit: int = 20) -> list[tuple]:
    """queries.project_news in one statement: each row of a two-row "part" list outer-joins
    either an update or a phase change, newest first across both."""
    if not project_ids:
        return []
    part = union_all(select(literal(1).label("n")), select(literal(2).label("n"))).subquery("part")
    rows = db.session.execute(
        select(ProjectUpdate, ProjectPhaseChange)
        .select_from(part)
        .outerjoin(ProjectUpdate, and_(part.c.n == 1, ProjectUpdate.project_id.in_(project_ids)))
        .outerjoin(ProjectPhaseChange, and_(part.c.n == 2, ProjectPhaseChange.project_id.in_(project_ids)))
        .where(or_(ProjectUpdate.id.is_not(None), ProjectPhaseChange.id.is_not(None)))
        .options(joinedload(ProjectUpdate.project), joinedload(ProjectPhaseChange.project))
        .order_by(func.coalesce(ProjectUpdate.created_at, ProjectPhaseChange.created_at).desc(),
                  func.coalesce(ProjectUpdate.id, ProjectPhaseChange.id).desc())
        .limit(limit)
    ).unique().all()
    items = [(as_utc(u.created_at), "update", u) for u, _ in rows if u is not None]
    items += [(as_utc(c.created_at), "phase", c) for _, c in rows if c is not None]
    items.sort(key=lambda item: item[0], reverse=True)
    return items


def _staff_section(idea: Idea, viewer) -> dict:
    """The answer, merge and link controls, for portfolio managers only. The link and merge
    targets are found by title (templates/portfolio/_target_search.html): the search without
    JavaScript goes to the answer page, which lists the matches; no query here. Only for the
    portfolio managers of the idea's area (every one not limited to areas)."""
    if not can_answer_idea(viewer, idea):
        return {"show_staff": False}
    from app.portfolio.forms import LinkProjectForm, MergeForm
    from app.portfolio.views import idea_picker, project_picker

    answer_url = url_for("portfolio.answer_idea", idea_id=idea.id)
    link_picker = None
    if can_manage_projects(viewer):
        link_picker = project_picker(idea, page_url=answer_url, anchor="link", param="project_q",
                                     pick="project_pick", search=False)
    moves = [status for status in staff_moves(idea) if status != IdeaStatus.MERGED]
    can_merge = IdeaStatus.MERGED in staff_moves(idea)
    return {
        "show_staff": True,
        "moves": moves,
        "can_merge": can_merge,
        "merge_picker": idea_picker(idea, page_url=answer_url, anchor="merge", param="merge_q",
                                    pick="merge_into", search=False) if can_merge else None,
        "merge_fields": MergeForm(prefix="merge", formdata=None, meta={"csrf": False}),
        "link_picker": link_picker,
        "link_fields": LinkProjectForm(prefix="link", formdata=None, meta={"csrf": False}),
        "link_allowed": idea.status not in (IdeaStatus.WITHDRAWN, IdeaStatus.MERGED)
        and idea.visibility == Visibility.VISIBLE,
    }


def _projects_seen_as(idea: Idea, viewer, state: dict) -> tuple:
    """The projects section shows the internal projects of the viewer's areas (visible_projects)."""
    if not can_view_internal_projects(viewer):
        return (False,)
    scope = scope_of(viewer)
    return (True, None if scope is None else tuple(sorted(scope)))


def _staff_seen_as(idea: Idea, viewer, state: dict) -> tuple:
    """The controls for the idea's portfolio managers; a project picked in the address is shown
    only when it is theirs to link (their areas)."""
    if not can_answer_idea(viewer, idea):
        return (False,)
    scope = scope_of(viewer)
    return (True, can_manage_projects(viewer), None if scope is None else tuple(sorted(scope)))


register_idea_section("portfolio_projects", "portfolio/_idea_projects.html", _projects_section, order=30,
                      vary=_projects_seen_as)
register_idea_section("portfolio_staff", "portfolio/_idea_staff.html", _staff_section, order=90,
                      vary=_staff_seen_as)


# --- the idea JSON gains "projects" -----------------------------------------------------


def _viewer():
    return current_user._get_current_object() if current_user and current_user.is_authenticated else None


def _project_json_rows(idea_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {idea_id: [] for idea_id in idea_ids}
    if not idea_ids:
        return out
    rows = db.session.execute(
        select(ProjectIdea.idea_id, Project.id, Project.title, Project.phase, Project.progress)
        .join(Project, Project.id == ProjectIdea.project_id)
        .where(ProjectIdea.idea_id.in_(idea_ids), visible_projects(_viewer()))
        .order_by(ProjectIdea.idea_id, Project.id)
    ).all()
    for idea_id, project_id, title, phase, progress in rows:
        out[idea_id].append({
            "id": project_id, "title": title, "phase": phase.value, "progress": progress,
            "url": external_url("portfolio.project", project_id=project_id),
        })
    return out


def _preload_projects(ideas: list[Idea]) -> None:
    g.portfolio_idea_projects = _project_json_rows([idea.id for idea in ideas])


def _add_projects(idea: Idea, data: dict) -> None:
    preloaded = g.get("portfolio_idea_projects")
    if preloaded is None or idea.id not in preloaded:
        preloaded = _project_json_rows([idea.id])
    data["projects"] = preloaded.get(idea.id, [])


if _preload_projects not in IDEA_JSON_PRELOADS:
    IDEA_JSON_PRELOADS.append(_preload_projects)
if _add_projects not in IDEA_JSON_EXTENSIONS:
    IDEA_JSON_EXTENSIONS.append(_add_projects)
