"""The portfolio: projects, their links to ideas, updates, local SDG targets and prioritisation."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, enum_column
from app.core.db import UTCDateTime, utcnow
from app.core.i18n import localised
from app.core.models import NAME_LENGTH, LocalisedName, MunicipalArea, Sdg, ServiceArea
from app.extensions import db
from app.ideas.models import Idea


class ProjectKind(enum.StrEnum):
    PROJECT = "project"
    SERVICE_CHANGE = "service_change"
    STUDY = "study"
    ACQUISITION = "acquisition"


class ProjectPhase(enum.StrEnum):
    PROPOSED = "proposed"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class DecisionOutcome(enum.StrEnum):
    PRIORITISED = "prioritised"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    # Merged with another project (Decision.merged_into), sent back for more information.
    MERGED = "merged"
    SENT_BACK = "sent_back"


KIND_LABELS = {
    ProjectKind.PROJECT: _l("Prosjekt"),
    ProjectKind.SERVICE_CHANGE: _l("Tjenesteendring"),
    ProjectKind.STUDY: _l("Utredning"),
    ProjectKind.ACQUISITION: _l("Anskaffelse"),
}
PHASE_LABELS = {
    ProjectPhase.PROPOSED: _l("Foreslått"),
    ProjectPhase.PLANNED: _l("Planlagt"),
    ProjectPhase.IN_PROGRESS: _l("Pågår"),
    ProjectPhase.COMPLETED: _l("Fullført"),
    ProjectPhase.CANCELLED: _l("Avlyst"),
}
# Designsystemet colours for the phase tag; the text always says the phase too.
PHASE_COLOURS = {
    ProjectPhase.PROPOSED: "neutral",
    ProjectPhase.PLANNED: "info",
    ProjectPhase.IN_PROGRESS: "warning",
    ProjectPhase.COMPLETED: "success",
    ProjectPhase.CANCELLED: "danger",
}
OUTCOME_LABELS = {
    DecisionOutcome.PRIORITISED: _l("Prioritert"),
    DecisionOutcome.DEFERRED: _l("Utsatt"),
    DecisionOutcome.REJECTED: _l("Avvist"),
    DecisionOutcome.MERGED: _l("Slått sammen"),
    DecisionOutcome.SENT_BACK: _l("Sendt tilbake"),
}
OUTCOME_COLOURS = {
    DecisionOutcome.PRIORITISED: "success",
    DecisionOutcome.DEFERRED: "warning",
    DecisionOutcome.REJECTED: "danger",
    DecisionOutcome.MERGED: "info",
    DecisionOutcome.SENT_BACK: "neutral",
}
# The phases the prioritisation board ranks.
BOARD_PHASES = (ProjectPhase.PROPOSED, ProjectPhase.PLANNED)


class PoliticalPriority(enum.StrEnum):
    """What the municipal council decided about the project (app/portfolio/priorities.py)."""

    PRIORITISED = "prioritised"
    NOT_PRIORITISED = "not_prioritised"


class AdministrativePriority(enum.StrEnum):
    """The chief executive's (rådmannens) leadership's priority of the project."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


POLITICAL_LABELS = {
    PoliticalPriority.PRIORITISED: _l("Politisk vedtatt"),
    PoliticalPriority.NOT_PRIORITISED: _l("Politisk ikke prioritert"),
}
ADMINISTRATIVE_LABELS = {
    AdministrativePriority.HIGH: _l("Høy"),
    AdministrativePriority.MEDIUM: _l("Middels"),
    AdministrativePriority.LOW: _l("Lav"),
}


def _localised(obj, prefix: str) -> str:
    return localised(obj, prefix)


project_service_areas = Table(
    "project_service_areas",
    db.metadata,
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("service_area_id", Integer, ForeignKey("service_areas.id"), primary_key=True, index=True),
)

project_sdgs = Table(
    "project_sdgs",
    db.metadata,
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("sdg_number", Integer, ForeignKey("sdgs.number"), primary_key=True, index=True),
)

project_local_targets = Table(
    "project_local_targets",
    db.metadata,
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "local_target_id", Integer, ForeignKey("local_targets.id", ondelete="CASCADE"),
        primary_key=True, index=True,
    ),
)


class LocalTarget(db.Model):
    """The municipality's own target under an SDG, e.g. 11.2-L1; edited by admins."""

    __tablename__ = "local_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sdg_number: Mapped[int] = mapped_column(ForeignKey("sdgs.number"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    text_nb: Mapped[str] = mapped_column(Text)
    text_nn: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sdg: Mapped[Sdg] = relationship()

    @property
    def text(self) -> str:
        return _localised(self, "text")

    def __repr__(self) -> str:
        return f"<LocalTarget {self.code}>"


class Project(db.Model):
    """A portfolio item: a project, service change, study or acquisition in a service area.

    Full-text search lives beside the table (app/portfolio/search.py): a `search_vector`
    column with a GIN index on PostgreSQL, the FTS5 table `projects_fts` on SQLite.
    """

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        CheckConstraint("estimated_cost IS NULL OR estimated_cost >= 0", name="cost_not_negative"),
        Index("ix_projects_public_phase", "public", "phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ProjectKind] = mapped_column(enum_column(ProjectKind), default=ProjectKind.PROJECT)
    phase: Mapped[ProjectPhase] = mapped_column(
        enum_column(ProjectPhase), default=ProjectPhase.PROPOSED, index=True
    )
    owner_service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Whole kroner (NOK).
    estimated_cost: Mapped[int | None] = mapped_column(BigInteger)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(default=0)
    public: Mapped[bool] = mapped_column(default=True)
    # Priorities (app/portfolio/priorities.py): the council's decision with its case number,
    # date and a short text, and the administration's own; both optional.
    political_priority: Mapped[PoliticalPriority | None] = mapped_column(enum_column(PoliticalPriority))
    council_case_number: Mapped[str] = mapped_column(String(40), default="")
    council_decision_date: Mapped[date | None] = mapped_column(Date)
    council_decision_text: Mapped[str] = mapped_column(String(500), default="")
    administrative_priority: Mapped[AdministrativePriority | None] = mapped_column(
        enum_column(AdministrativePriority)
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner_service_area: Mapped[ServiceArea] = relationship(foreign_keys=[owner_service_area_id])
    service_areas: Mapped[list[ServiceArea]] = relationship(
        secondary=project_service_areas, order_by=ServiceArea.name
    )
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])
    sdgs: Mapped[list[Sdg]] = relationship(secondary=project_sdgs, order_by=Sdg.number)
    local_targets: Mapped[list[LocalTarget]] = relationship(
        secondary=project_local_targets, order_by=LocalTarget.code
    )
    idea_links: Mapped[list["ProjectIdea"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectIdea.created_at"
    )
    updates: Mapped[list["ProjectUpdate"]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())",
    )
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", foreign_keys="Decision.project_id",
        order_by="(Decision.meeting_date.desc(), Decision.id.desc())",
    )

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def phase_label(self):
        return PHASE_LABELS[self.phase]

    @property
    def phase_colour(self) -> str:
        return PHASE_COLOURS[self.phase]

    @property
    def political_label(self):
        return POLITICAL_LABELS[self.political_priority] if self.political_priority else None

    @property
    def administrative_label(self):
        return ADMINISTRATIVE_LABELS[self.administrative_priority] if self.administrative_priority else None

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.title!r}>"


class ProjectIdea(db.Model):
    """An idea that is part of a project, with the municipality's public note on why."""

    __tablename__ = "project_ideas"
    __table_args__ = (UniqueConstraint("project_id", "idea_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="idea_links")
    idea: Mapped[Idea] = relationship()


class ProjectPhaseChange(db.Model):
    """A project's phase history: who moved it, when, from and to, and the public explanation
    (required for a cancellation). It drives the linked ideas' status and their timelines."""

    __tablename__ = "project_phase_changes"
    __table_args__ = (Index("ix_project_phase_changes_project_created", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    from_phase: Mapped[ProjectPhase] = mapped_column(enum_column(ProjectPhase, name="from_projectphase"))
    to_phase: Mapped[ProjectPhase] = mapped_column(enum_column(ProjectPhase))
    explanation: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship()
    changed_by: Mapped[User | None] = relationship()

    @property
    def to_label(self):
        return PHASE_LABELS[self.to_phase]

    @property
    def from_label(self):
        return PHASE_LABELS[self.from_phase]

    @property
    def to_colour(self) -> str:
        return PHASE_COLOURS[self.to_phase]


class ProjectUpdate(db.Model):
    """A dated progress note; shown on the project and on every linked idea's page."""

    __tablename__ = "project_updates"
    __table_args__ = (Index("ix_project_updates_project_created", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    # The project's progress after this update; None when the update did not change it.
    progress: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()


class Criterion(db.Model):
    """A prioritisation criterion with its weight; `citizen_support` is computed, not assessed."""

    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_nn: Mapped[str] = mapped_column(String(120), default="")
    name_en: Mapped[str] = mapped_column(String(120), default="")
    description_nb: Mapped[str] = mapped_column(Text, default="")
    description_nn: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(default=10)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def name(self) -> str:
        return _localised(self, "name")

    @property
    def description(self) -> str:
        return _localised(self, "description")

    @property
    def computed(self) -> bool:
        return self.key == CITIZEN_SUPPORT

    def __repr__(self) -> str:
        return f"<Criterion {self.key} {self.weight}>"


CITIZEN_SUPPORT = "citizen_support"


class Assessment(db.Model):
    """One assessor's score (1–5) of a project on one criterion; assessors are averaged."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("project_id", "assessor_id", "criterion_id"),
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    project: Mapped[Project] = relationship()
    assessor: Mapped[User] = relationship()
    criterion: Mapped[Criterion] = relationship()


class Decision(db.Model):
    """What the cross-sector forum decided about a project at a meeting, and why.

    Deferred carries the date it is deferred to, merged the project it joins; one decision per
    project and meeting (decisions from before meetings were kept have no meeting).
    """

    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_project_meeting", "project_id", "meeting_date"),
        UniqueConstraint("meeting_id", "project_id"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> project_id", name="not_into_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    meeting_date: Mapped[date] = mapped_column(Date, index=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(enum_column(DecisionOutcome))
    rationale: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    deferred_to: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    project: Mapped[Project] = relationship(back_populates="decisions", foreign_keys=[project_id])
    merged_into: Mapped[Project | None] = relationship(foreign_keys=[merged_into_id])
    meeting: Mapped["Meeting | None"] = relationship(back_populates="decisions")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def outcome_label(self):
        return OUTCOME_LABELS[self.outcome]

    @property
    def outcome_colour(self) -> str:
        return OUTCOME_COLOURS[self.outcome]


# --- competence groups ------------------------------------------------------------------

competence_group_areas = Table(
    "competence_group_areas",
    db.metadata,
    Column("group_id", Integer, ForeignKey("competence_groups.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "municipal_area_id", Integer, ForeignKey("municipal_areas.id", ondelete="CASCADE"),
        primary_key=True, index=True,
    ),
)

competence_group_members = Table(
    "competence_group_members",
    db.metadata,
    Column("group_id", Integer, ForeignKey("competence_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CompetenceGroup(LocalisedName, db.Model):
    """Staff who assess projects for one or more municipal areas, or for every area when
    `cross_cutting` (IT and information security, say). Rules and scores: app/portfolio/groups.py.

    A cross-cutting group keeps the areas it was given (they count again if it stops being
    cross-cutting); while it is cross-cutting they do not matter.
    """

    __tablename__ = "competence_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_nb: Mapped[str] = mapped_column("name", String(NAME_LENGTH), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    cross_cutting: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    areas: Mapped[list[MunicipalArea]] = relationship(
        secondary=competence_group_areas, order_by=(MunicipalArea.position, MunicipalArea.name_nb)
    )
    members: Mapped[list[User]] = relationship(
        secondary=competence_group_members, order_by=(User.full_name, User.id)
    )

    def covers(self, municipal_area_ids) -> bool:
        """Whether the group assesses work that touches any of these municipal areas."""
        return self.cross_cutting or any(area.id in municipal_area_ids for area in self.areas)

    def __repr__(self) -> str:
        return f"<CompetenceGroup {self.id} {self.name_nb!r}>"


# --- systems in use ---------------------------------------------------------------------

system_areas = Table(
    "system_areas",
    db.metadata,
    Column("system_id", Integer, ForeignKey("systems.id", ondelete="CASCADE"), primary_key=True),
    Column("municipal_area_id", Integer, ForeignKey("municipal_areas.id"), primary_key=True, index=True),
)


class System(db.Model):
    """A system or service the municipality already runs: the register the duplicate-purchase
    check searches, and whose contract ends the board shows (app/portfolio/systems.py).

    `name_key` is the name folded for comparison (case, spacing), unique: an import updates
    the system of the same name instead of adding it twice. Full-text search lives beside
    the table: a `search_vector` column with a GIN index on PostgreSQL, the FTS5 table
    `systems_fts` on SQLite.
    """

    __tablename__ = "systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(400), unique=True)
    supplier: Mapped[str] = mapped_column(String(200), default="")
    owner_area_id: Mapped[int] = mapped_column(ForeignKey("municipal_areas.id"), index=True)
    contract_end: Mapped[date | None] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner_area: Mapped[MunicipalArea] = relationship(foreign_keys=[owner_area_id])
    areas: Mapped[list[MunicipalArea]] = relationship(
        secondary=system_areas, order_by=(MunicipalArea.position, MunicipalArea.name_nb)
    )

    def __repr__(self) -> str:
        return f"<System {self.id} {self.name!r}>"


class ProjectCost(db.Model):
    """A project's estimated cost in one year of the economic plan, in whole kroner:
    investment and running (drift) costs apart (app/portfolio/plan.py)."""

    __tablename__ = "project_costs"
    __table_args__ = (
        UniqueConstraint("project_id", "year"),
        CheckConstraint("investment >= 0 AND investment <= 1000000000000", name="investment_range"),
        CheckConstraint("running >= 0 AND running <= 1000000000000", name="running_range"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    investment: Mapped[int] = mapped_column(BigInteger, default=0)
    running: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PlanBudget(db.Model):
    """The money the forum has to prioritise in one plan year: investment and running costs,
    each None when not set (then that line is not drawn)."""

    __tablename__ = "plan_budgets"
    __table_args__ = (
        CheckConstraint("investment IS NULL OR (investment >= 0 AND investment <= 1000000000000)",
                        name="investment_range"),
        CheckConstraint("running IS NULL OR (running >= 0 AND running <= 1000000000000)",
                        name="running_range"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    investment: Mapped[int | None] = mapped_column(BigInteger)
    running: Mapped[int | None] = mapped_column(BigInteger)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


# --- the forum's meetings and the projects' audit log -----------------------------------


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"


MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: _l("Planlagt"),
    MeetingStatus.HELD: _l("Holdt"),
}

meeting_participants = Table(
    "meeting_participants",
    db.metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Meeting(db.Model):
    """A meeting of the cross-sector forum: who took part, its agenda from the board, and the
    decisions in its minutes (app/portfolio/meetings.py)."""

    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus), default=MeetingStatus.PLANNED)
    # Guests from outside Medvirk's staff, by name, one a line.
    guests: Mapped[str] = mapped_column(Text, default="")
    # The budget line the forum prioritises against, in whole kroner (None: no line).
    budget: Mapped[int | None] = mapped_column(BigInteger)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    participants: Mapped[list[User]] = relationship(secondary=meeting_participants, order_by=User.full_name)
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        order_by="(AgendaItem.position, AgendaItem.id)",
    )
    decisions: Mapped[list[Decision]] = relationship(back_populates="meeting")

    @property
    def status_label(self):
        return MEETING_STATUS_LABELS[self.status]

    @property
    def guest_list(self) -> list[str]:
        return [line for line in self.guests.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.meeting_date}>"


class AgendaItem(db.Model):
    """A project up for decision at a meeting, in the agenda's order, with the board's ranking
    as the forum saw it (taken when the item was added, again when the meeting was held)."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    board_rank: Mapped[int | None] = mapped_column()
    board_score: Mapped[float | None] = mapped_column(Float)
    # The running sum of estimated costs down the board to this project, and whether it is
    # within the meeting's budget line (None: no budget).
    board_cumulative_cost: Mapped[int | None] = mapped_column(BigInteger)
    board_fits: Mapped[bool | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    project: Mapped[Project] = relationship()


class ProjectChange(db.Model):
    """The project's audit log: who changed which field, when, from what to what (as text).
    Written by app/portfolio/audit.py in the transaction of the change itself."""

    __tablename__ = "project_changes"
    __table_args__ = (Index("ix_project_changes_project_created", "project_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    field: Mapped[str] = mapped_column(String(60))
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    project: Mapped[Project] = relationship()
    actor: Mapped[User | None] = relationship()
