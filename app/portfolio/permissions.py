"""Who may do what in the portfolio: predicates for services, views, the API and templates."""

from sqlalchemy import ColumnElement, false, or_, select, true

from app.accounts.models import User
from app.accounts.permissions import (
    can,
    can_in_areas,
    municipal_area_of,
    scope_of,
    service_areas_in,
)
from app.core.models import ServiceArea
from app.ideas.models import Idea
from app.ideas.permissions import can_in_idea_area, ideas_in_scope
from app.portfolio.models import Project, project_service_areas

# Staff limited to some municipal areas (accounts.permissions.scope_of) see and act on the
# projects of those areas only: a project belongs to its owner's municipal area and to those
# of its other service areas, and one of them being theirs is enough. Others' public projects
# they read as anyone does; others' internal projects do not exist for them (404).


def project_area_ids(project: Project) -> set[int]:
    """The municipal areas the project belongs to: its owner's and its other service areas'."""
    return {municipal_area_of(project.owner_service_area_id),
            *(service_area.municipal_area_id for service_area in project.service_areas)}


def projects_in_areas(areas) -> ColumnElement[bool]:
    """WHERE: the projects of these municipal areas (owner or participating service area)."""
    in_areas = service_areas_in(areas)
    return or_(
        Project.owner_service_area_id.in_(in_areas),
        Project.id.in_(select(project_service_areas.c.project_id)
                       .where(project_service_areas.c.service_area_id.in_(in_areas))),
    )


def projects_in_scope(user: User | None) -> ColumnElement[bool]:
    """WHERE: the projects of the user's areas; every project for those not limited to areas."""
    scope = scope_of(user)
    return true() if scope is None else projects_in_areas(scope)


def can_view_internal_projects(user: User | None) -> bool:
    """May see internal projects at all (of some areas, or of all): staff."""
    return can(user, "view_internal_projects")


def can_view_project_internals(user: User | None, project: Project) -> bool:
    """Sees the project as staff do: internal or not, with its hidden ideas (its areas' staff)."""
    return can_in_areas(user, "view_internal_projects", lambda: project_area_ids(project))


def can_view_project(user: User | None, project: Project) -> bool:
    """Public projects are for everyone; internal ones only for the staff of their areas."""
    return project.public or can_view_project_internals(user, project)


def visible_projects(user: User | None) -> ColumnElement[bool]:
    """The WHERE clause for the projects the user may see (for lists and numbers)."""
    if not can_view_internal_projects(user):
        return Project.public.is_(True)
    scope = scope_of(user)
    return true() if scope is None else or_(Project.public.is_(True), projects_in_scope(user))


def can_answer_ideas(user: User | None) -> bool:
    """May answer ideas at all (the inbox, the staff menu)."""
    return can(user, "answer_ideas")


def can_answer_idea(user: User | None, idea: Idea) -> bool:
    """May answer, move or merge this idea: a portfolio manager of its area."""
    return can_in_idea_area(user, "answer_ideas", idea)


def answerable_ideas(user: User | None) -> ColumnElement[bool]:
    """WHERE: the ideas the user answers (the inbox and its count)."""
    return ideas_in_scope(user)


def can_manage_projects(user: User | None) -> bool:
    """May manage the portfolio at all (create projects, the staff menu)."""
    return can(user, "manage_portfolio")


def can_manage_project(user: User | None, project: Project) -> bool:
    """May change, link, update this project: a portfolio manager of one of its areas."""
    return can_in_areas(user, "manage_portfolio", lambda: project_area_ids(project))


def can_manage_in_service_area(user: User | None, service_area: ServiceArea) -> bool:
    """May make a project owned by this service area (a new owner must be one of one's areas)."""
    return can_in_areas(user, "manage_portfolio", lambda: {service_area.municipal_area_id})


def can_assess_projects(user: User | None) -> bool:
    return can(user, "assess_projects")


def can_assess_project(user: User | None, project: Project) -> bool:
    return can_in_areas(user, "assess_projects", lambda: project_area_ids(project))


def can_view_board(user: User | None) -> bool:
    return can(user, "assess_projects")


def can_view_groups(user: User | None) -> bool:
    """The competence groups, their areas and members: for the staff who assess."""
    return can(user, "assess_projects")


def can_manage_groups(user: User | None) -> bool:
    """Create, change and delete competence groups: the groups span the municipality's areas
    (a cross-cutting one all of them), so a portfolio manager limited to some areas does not."""
    return can(user, "manage_portfolio") and scope_of(user) is None


def can_join_groups(user: User | None) -> bool:
    """Only the municipality's staff may be members of a competence group."""
    return can(user, "staff")


def can_record_decisions(user: User | None) -> bool:
    return can(user, "manage_portfolio")


def can_prioritise_project(user: User | None, project: Project) -> bool:
    """Set the project's political (the council's decision) and administrative priority."""
    return can_manage_project(user, project)


def can_estimate_project_costs(user: User | None, project: Project) -> bool:
    """Enter the project's costs per year of the economic plan."""
    return can_manage_project(user, project)


def can_edit_plan_budgets(user: User | None) -> bool:
    """Set the board's budget per plan year: the whole municipality's money, so not for
    portfolio managers limited to some areas."""
    return can(user, "manage_portfolio") and scope_of(user) is None


def can_record_decision(user: User | None, project: Project) -> bool:
    """May record the forum's decision on this project: a portfolio manager of its areas."""
    return can_in_areas(user, "manage_portfolio", lambda: project_area_ids(project))


def can_view_meetings(user: User | None) -> bool:
    """The forum's meetings, agendas and minutes are for staff."""
    return can(user, "staff")


def can_manage_meetings(user: User | None) -> bool:
    return can(user, "manage_portfolio")


def can_view_project_changes(user: User | None, project: Project) -> bool:
    """A project's audit log: for the staff who see the project as staff (its areas' staff)."""
    return can_view_project_internals(user, project)


def project_changes_visible(user: User | None) -> ColumnElement[bool]:
    """WHERE: the projects whose audit log the user reads in the log of all projects."""
    return projects_in_scope(user) if can_view_internal_projects(user) else false()


def can_edit_criteria(user: User | None) -> bool:
    return can(user, "administer")


def can_edit_local_targets(user: User | None) -> bool:
    return can(user, "administer")


def can_view_systems(user: User | None) -> bool:
    """The register of systems in use is for staff (it names suppliers and contracts)."""
    return can(user, "staff")


def can_manage_systems(user: User | None) -> bool:
    return can(user, "manage_portfolio")
