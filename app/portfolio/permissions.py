"""Who may do what in the portfolio: predicates for services, views, the API and templates."""

from sqlalchemy import ColumnElement, true

from app.accounts.models import User
from app.accounts.permissions import can
from app.portfolio.models import Project


def can_view_internal_projects(user: User | None) -> bool:
    return can(user, "view_internal_projects")


def can_view_project(user: User | None, project: Project) -> bool:
    """Public projects are for everyone; internal ones only for staff."""
    return project.public or can_view_internal_projects(user)


def visible_projects(user: User | None) -> ColumnElement[bool]:
    """The WHERE clause for the projects the user may see (for lists and numbers)."""
    return true() if can_view_internal_projects(user) else Project.public.is_(True)


def can_answer_ideas(user: User | None) -> bool:
    return can(user, "answer_ideas")


def can_manage_projects(user: User | None) -> bool:
    return can(user, "manage_portfolio")


def can_assess_projects(user: User | None) -> bool:
    return can(user, "assess_projects")


def can_view_board(user: User | None) -> bool:
    return can(user, "assess_projects")


def can_record_decisions(user: User | None) -> bool:
    return can(user, "manage_portfolio")


def can_edit_criteria(user: User | None) -> bool:
    return can(user, "administer")


def can_edit_local_targets(user: User | None) -> bool:
    return can(user, "administer")
