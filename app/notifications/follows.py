"""Following an idea, a project, a service area or an organisation: one button, one row.

The target must exist and be visible to the person (a hidden idea or an internal project is
NotFound for a resident, exactly as its page is). Following twice, or twice at once, leaves
one row: the unique constraint settles the race and the second insert does nothing.
"""

from dataclasses import dataclass
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, exists, literal, select

from app.accounts.models import Organisation, User
from app.core.db import dialect_insert, utcnow
from app.core.errors import InvalidInput, NotAuthenticated, NotFound
from app.core.models import ServiceArea
from app.core.urls import site_path
from app.extensions import db
from app.ideas.sections import register_viewer_state
from app.notifications import kinds
from app.notifications.models import Follow, FollowTarget, NoticePreference
from app.portfolio.signals import register_project_viewer_state

TARGET_TYPES = tuple(t.value for t in FollowTarget)


@dataclass(frozen=True)
class Target:
    """A followable thing as a person sees it: type, id, its name and its page."""

    type: str
    id: int
    title: str
    url: str


def parse_target_type(value) -> str:
    """The target type from a URL or form; anything else is NotFound (no such page)."""
    if value not in TARGET_TYPES:
        raise NotFound(_("Fant ikke det du ville følge."))
    return value


def _require_person(user: User | None) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(_("Logg inn for å følge."))


def resolve_target(viewer: User | None, target_type: str, target_id) -> Target:
    """The target, if it exists and the viewer may see its page. Raises NotFound otherwise."""
    from app.ideas.models import Idea
    from app.ideas.permissions import can_view_idea
    from app.portfolio.models import Project
    from app.portfolio.permissions import can_view_project

    target_type = parse_target_type(target_type)
    missing = NotFound(_("Fant ikke det du ville følge."))
    if not isinstance(target_id, int) or isinstance(target_id, bool) or not 0 < target_id < 2**31:
        raise missing
    if target_type == FollowTarget.IDEA:
        idea = db.session.get(Idea, target_id)
        if idea is None or not idea.is_visible or not can_view_idea(viewer, idea):
            raise missing
        return Target(target_type, idea.id, idea.title, site_path("ideas.detail", idea_id=idea.id))
    if target_type == FollowTarget.PROJECT:
        project = db.session.get(Project, target_id)
        if project is None or not can_view_project(viewer, project):
            raise missing
        return Target(target_type, project.id, project.title,
                      site_path("portfolio.project", project_id=project.id))
    if target_type == FollowTarget.SERVICE_AREA:
        area = db.session.get(ServiceArea, target_id)
        if area is None or area.retired_at is not None:
            raise missing
        return Target(target_type, area.id, area.name,
                      site_path("ideas.index", service_area=area.id))
    organisation = db.session.get(Organisation, target_id)
    if organisation is None:
        raise missing
    return Target(target_type, organisation.id, organisation.name,
                  site_path("accounts.organisation", organisation_id=organisation.id))


def _insert_follow(user_id: int, target_type: str, target_id: int) -> None:
    """One row, or nothing when it is there already (also when another request just added it)."""
    db.session.execute(
        dialect_insert()(Follow).values(
            user_id=user_id, target_type=target_type, target_id=target_id, created_at=utcnow()
        ).on_conflict_do_nothing()
    )


def copy_follows(target_type: str, from_id: int, to_id: int) -> None:
    """Everyone who follows one target follows another too (a merged idea's followers follow
    the idea it went into), in one statement; those who already do are left as they are.
    Adds to the caller's transaction."""
    from app.core.db import utcnow

    followers = select(Follow.user_id, literal(target_type), literal(to_id), literal(utcnow())).where(
        Follow.target_type == target_type, Follow.target_id == from_id
    )
    db.session.execute(dialect_insert()(Follow).from_select(
        ["user_id", "target_type", "target_id", "created_at"], followers
    ).on_conflict_do_nothing())


def follow(user: User | None, target_type: str, target_id) -> Target:
    """Follow a target; following it again changes nothing.

    Raises NotAuthenticated for a visitor, NotFound for a target that does not exist or that
    the person may not see.
    """
    _require_person(user)
    target = resolve_target(user, target_type, target_id)
    _insert_follow(user.id, target.type, target.id)
    db.session.commit()
    return target


def unfollow(user: User | None, target_type: str, target_id) -> None:
    """Stop following; allowed for a target that is gone or hidden since (nothing to see, but
    the row is the person's own). Raises NotAuthenticated, NotFound for an unknown type."""
    _require_person(user)
    target_type = parse_target_type(target_type)
    if not isinstance(target_id, int) or isinstance(target_id, bool):
        raise NotFound(_("Fant ikke det du ville følge."))
    db.session.execute(delete(Follow).where(
        Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id
    ))
    db.session.commit()


def is_following(user: User | None, target_type: str, target_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id
    )) is not None


def follows_of(user: User) -> list[Target]:
    """What the person follows, as they may see it now (gone or hidden targets left out),
    newest first. One query per target type."""
    from app.ideas.models import Idea, Visibility
    from app.portfolio.models import Project
    from app.portfolio.permissions import visible_projects

    rows = db.session.execute(
        select(Follow.target_type, Follow.target_id).where(Follow.user_id == user.id)
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    ).all()
    ids: dict[str, list[int]] = {}
    for target_type, target_id in rows:
        ids.setdefault(target_type, []).append(target_id)
    names: dict[tuple[str, int], Target] = {}

    def collect(target_type, stmt, endpoint, key):
        for row_id, title in db.session.execute(stmt).all():
            names[(target_type, row_id)] = Target(
                target_type, row_id, title, site_path(endpoint, **{key: row_id}))

    if ids.get("idea"):
        collect("idea", select(Idea.id, Idea.title).where(
            Idea.id.in_(ids["idea"]), Idea.visibility == Visibility.VISIBLE), "ideas.detail", "idea_id")
    if ids.get("project"):
        collect("project", select(Project.id, Project.title).where(
            Project.id.in_(ids["project"]), visible_projects(user)), "portfolio.project", "project_id")
    if ids.get("organisation"):
        collect("organisation", select(Organisation.id, Organisation.name).where(
            Organisation.id.in_(ids["organisation"])), "accounts.organisation", "organisation_id")
    if ids.get("service_area"):
        for area in db.session.scalars(select(ServiceArea).where(ServiceArea.id.in_(ids["service_area"]))):
            names[("service_area", area.id)] = Target(
                "service_area", area.id, area.name, site_path("ideas.index", service_area=area.id))
    return [names[key] for key in ((t, i) for t, i in rows) if key in names]


# --- auto-follow ------------------------------------------------------------------------


@cache
def _auto_follow_insert(insert):
    """auto_follow's one statement, built once per database: the row is added unless the person
    switched this off (or follows already)."""
    follows = Follow.__table__
    switched_off = exists().where(
        NoticePreference.user_id == bindparam("f_user"), NoticePreference.kind == bindparam("f_switch"),
        NoticePreference.channel == kinds.OFF,
    )
    row = select(
        bindparam("f_user"), literal(FollowTarget.IDEA.value), bindparam("f_idea"),
        bindparam("f_now", type_=Follow.created_at.type),
    ).where(~switched_off)
    return insert(follows).from_select(["user_id", "target_type", "target_id", "created_at"], row).on_conflict_do_nothing()


def auto_follow(user: User, switch: str, idea_id: int) -> None:
    """Follow the idea the person just took part in, unless they switched that off. Adds to
    the caller's transaction; does not commit."""
    if switch not in kinds.AUTO_FOLLOW:
        raise InvalidInput(_("Ukjent innstilling."))
    db.session.execute(_auto_follow_insert(dialect_insert()),
                       {"f_user": user.id, "f_switch": switch, "f_idea": idea_id, "f_now": utcnow()})


def _follows_idea(idea_id, user_id: int):
    return exists().where(Follow.user_id == user_id, Follow.target_type == "idea", Follow.target_id == idea_id)


# The idea page reads whether the viewer follows the idea with the idea's own row.
register_viewer_state("following", _follows_idea)


def _follows_project(project_id, user_id: int):
    return exists().where(Follow.user_id == user_id, Follow.target_type == "project", Follow.target_id == project_id)


# The project page reads it with the project's history (app/portfolio/queries.py, project_page).
register_project_viewer_state("following", _follows_project)
