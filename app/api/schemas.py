"""The API's request and response definitions (pydantic): they check requests, and the OpenAPI
document at /api/v1/openapi.json is generated from them, so the two cannot drift apart.

Request models check the *shape* (types, lengths, known fields); the services keep the rules.
Where a service already reads loose input (the project form's "12 000 000"), the model documents
the type and leaves the value to the service. Response models describe what the serialisers in
each API module return; the test suite validates every response against them.
"""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    WithJsonSchema,
)

from app.core.input import MAX_ID, MAX_PAGE, to_int
from app.ideas.models import IdeaStatus
from app.ideas.queries import SORTS
from app.portfolio.models import ProjectKind, ProjectPhase

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID, examples=[42])]
Sdg = Annotated[StrictInt, Field(ge=1, le=17)]


def _lenient_int(value: Any) -> int | None:
    return to_int(value, minimum=None, maximum=None) if value not in (None, "") else None


_blank = BeforeValidator(lambda value: value or None)

# Query numbers the site reads leniently (nonsense means "no filter" or the first page).
LenientInt = Annotated[int | None, BeforeValidator(_lenient_int)]


def _loose(schema: dict) -> Any:
    """A body field documented as `schema` and handed to the service unchecked: the service
    reads it leniently and answers 422 on the field itself."""
    return Annotated[Any, WithJsonSchema(schema)]


def _choice(values) -> Any:
    """A string documented as one of `values`, read leniently by the code behind it."""
    return Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(values)})]


# --- requests ---------------------------------------------------------------------------


class Body(BaseModel):
    """A JSON request body. A field of the wrong JSON type is a 400 (`type_error_status`);
    the portfolio endpoints have always answered 422 for that."""

    model_config = ConfigDict(extra="ignore", str_strict=True)
    type_error_status: ClassVar[int] = 400


class Query(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PageQuery(Query):
    page: LenientInt = Field(None, description="Page number, from 1.",
                             json_schema_extra={"minimum": 1, "maximum": MAX_PAGE})
    per_page: LenientInt = Field(None, description="Items per page: 20 unless given, at most 100.",
                                 json_schema_extra={"minimum": 1, "maximum": 100})


class IdeaListQuery(PageQuery):
    q: str | None = Field(None, max_length=2000, description="Full-text search in title and text.")
    status: Annotated[IdeaStatus | None, _blank] = Field(None, description="Only ideas with this status.")
    sort: Annotated[Literal[*SORTS, "relevance"] | None, _blank] = Field(
        None, description="Order (`relevance` only with `q`).")
    municipal_area: LenientInt = Field(None, description="Municipal area id.")
    service_area: LenientInt = Field(None, description="Service area id.")
    sdg: LenientInt = Field(None, description="SDG number, 1 to 17.")
    organisation: LenientInt = Field(None, description="Organisation id (ideas posted for it).")
    mine: str | None = Field(None, description="`1`: only the caller's own ideas.")
    voted: str | None = Field(None, description="`1`: only ideas the caller supports.")


class SimilarQuery(Query):
    text: str | None = Field(None, description="The text to compare (first 2,000 characters).")
    exclude: LenientInt = Field(None, description="An idea id to leave out.")


class CommentsQuery(PageQuery):
    order: _choice(["oldest", "newest"]) = Field(None, description="`oldest` (default) or `newest`.")


class ProjectListQuery(PageQuery):
    municipal_area: LenientInt = Field(None, description="Municipal area id.")
    service_area: LenientInt = Field(None, description="Service area id.")
    kind: _choice([k.value for k in ProjectKind]) = Field(None, description="Project kind.")
    sdg: LenientInt = Field(None, description="SDG number, 1 to 17.")
    phase: _choice([p.value for p in ProjectPhase]) = Field(None, description="Project phase.")


class BoardQuery(ProjectListQuery):
    budget: str | None = Field(None, description="Budget in whole kroner (spaces allowed).",
                               examples=["12 000 000"])
    political: _choice(["prioritised", "not_prioritised", "none"]) = Field(
        None, description="Only projects with this council decision (`none`: without one).")
    administrative: _choice(["high", "medium", "low", "none"]) = Field(
        None, description="Only projects with this administrative priority (`none`: without one).")


class QueueQuery(PageQuery):
    kind: str | None = Field(None, description="`idea` or `comment`.")
    reason: str | None = Field(None, description="Report reason.")
    state: str | None = Field(None, description="Case state (default: waiting).")
    sort: str | None = Field(None, description="`newest` (default) or `oldest`.")


class LogQuery(PageQuery):
    moderator: LenientInt = Field(None, description="Moderator's user id.")
    action: str | None = Field(None, description="Action.")
    kind: str | None = Field(None, description="Target type.")
    date_from: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD.")
    to: str | None = Field(None, description="Last day, YYYY-MM-DD.")


class IdeaCreate(Body):
    title: str | None = Field(None, max_length=1000, examples=["Tryggere skolevei i Nordbygda"])
    body: str | None = Field(None, max_length=20000, examples=["Skoleveien mangler fortau."])
    service_area_id: Id | None = None
    sdgs: list[Sdg] | None = Field(None, max_length=100, examples=[[3, 11]])
    place: str | None = Field(None, max_length=1000)
    organisation_id: Id | None = Field(None, description="Post on behalf of this organisation.")


class IdeaPatch(Body):
    """What is not sent stays as it is, pictures included."""

    title: str | None = Field(None, max_length=1000)
    body: str | None = Field(None, max_length=20000)
    service_area_id: Id | None = None
    sdgs: list[Sdg] | None = Field(None, max_length=100)
    place: str | None = Field(None, max_length=1000)


class OrganisationChoice(Body):
    organisation_id: Id | None = Field(None, description="The organisation that endorses.")


class OrganisationQuery(Query):
    organisation_id: LenientInt = Field(None, description="The organisation (or in the body).")


class CommentCreate(Body):
    body: str = Field(max_length=20000, examples=["Godt forslag!"])
    parent_id: Id | None = Field(None, description="Reply to this comment.")
    organisation_id: Id | None = Field(None, description="Post on behalf of this organisation.")


class CommentEdit(Body):
    body: str = Field(max_length=20000)


class StaffBody(Body):
    type_error_status: ClassVar[int] = 422


class StatusChangeIn(StaffBody):
    status: _choice([s.value for s in IdeaStatus]) = Field(None, examples=["accepted"])
    explanation: str | None = Field(None, max_length=20000,
                                    description="The public answer; required for accepted, declined and merged.")


class MergeIn(StaffBody):
    into_id: Id = Field(description="The idea this one is merged into.")
    explanation: str | None = Field(None, max_length=20000)


class ProjectIn(StaffBody):
    """The project's fields; a PATCH changes only those sent. Unknown fields are a 422."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=1000)
    description: str | None = Field(None, max_length=100000, description="Markdown without raw HTML.")
    kind: _loose({"type": "string", "enum": [k.value for k in ProjectKind]}) = None
    phase: _loose({"type": "string", "enum": [p.value for p in ProjectPhase]}) = None
    owner_service_area_id: _loose({"type": "integer", "minimum": 1, "maximum": MAX_ID}) = None
    service_area_ids: _loose({"type": "array", "items": {"type": "integer", "minimum": 1,
                                                         "maximum": MAX_ID}}) = None
    responsible_id: _loose({"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID}) = None
    sdgs: _loose({"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}}) = None
    local_target_ids: _loose({"type": "array", "items": {"type": "integer", "minimum": 1,
                                                         "maximum": MAX_ID}}) = None
    estimated_cost: _loose({"type": ["integer", "null"], "minimum": 0, "examples": [1200000]}) = None
    planned_start: _loose({"type": ["string", "null"], "format": "date"}) = None
    planned_end: _loose({"type": ["string", "null"], "format": "date"}) = None
    progress: _loose({"type": "integer", "minimum": 0, "maximum": 100}) = None
    public: _loose({"type": "boolean"}) = None
    phase_explanation: str | None = Field(None, max_length=20000)


class LinkIn(StaffBody):
    idea_id: Id
    note: str | None = Field(None, max_length=20000, description="Why the idea belongs to the project.")


class UpdateIn(StaffBody):
    text: str | None = Field(None, max_length=20000)
    progress: StrictInt | None = Field(None, ge=-(2**31), le=2**31 - 1,
                                       description="New progress in per cent, 0 to 100.")


Score = Annotated[StrictInt | None, Field(description="1 to 5; null takes the score back.")]


class AssessmentIn(StaffBody):
    """{"scores": {criterion: 1..5}, "comment": "..."}, or the scores at the top level."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Score] = Field(init=False)

    scores: dict[str, Score] | None = Field(None, examples=[{"risk": 4, "urgency": 2}])
    comment: str | None = Field(None, max_length=20000)
    comments: dict[str, str] | None = Field(None, description="A comment per criterion.")


class DecisionIn(StaffBody):
    meeting_date: str | None = Field(None, examples=["2026-03-01"], json_schema_extra={"format": "date"})
    decision: _choice(["prioritised", "deferred", "rejected", "merged", "sent_back"]) = Field(
        None, examples=["deferred"])
    rationale: str | None = Field(None, max_length=20000)
    deferred_to: str | None = Field(None, examples=["2026-09-01"], json_schema_extra={"format": "date"},
                                    description="Required when the decision is deferred: the date it is deferred to.")
    merged_into_id: Id | None = Field(None, description="Required when merged: the project it is merged with.")


class ReportIn(Body):
    target_type: _choice(["idea", "comment"]) = None
    target_id: Id | None = None
    reason: _choice(["spam", "offensive", "personal_data", "off_topic", "other"]) = Field(
        None, examples=["spam"])
    note: str | None = Field(None, max_length=20000)


class ModerationDecisionIn(Body):
    reason: str | None = Field(None, max_length=1000)
    note: str | None = Field(None, max_length=20000)


class BlockIn(Body):
    reason: str | None = Field(None, max_length=1000)
    until: str | None = Field(None, description="YYYY-MM-DD or an ISO date-time; empty: for good.")
    hide_content: StrictBool | None = None


class UnblockIn(Body):
    reason: str | None = Field(None, max_length=1000)


class DeletionIn(Body):
    keep_content: StrictBool | None = Field(None, description="Leave what you wrote (true) or remove it (false).")
    password: str | None = Field(None, max_length=1000)


# --- responses --------------------------------------------------------------------------


class Out(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Names(Out):
    nb: str | None
    nn: str | None
    en: str | None


class MunicipalAreaOut(Out):
    id: int
    name: str
    names: Names


class ServiceAreaRef(Out):
    id: int
    name: str
    names: Names


class ServiceAreaOut(ServiceAreaRef):
    municipal_area: MunicipalAreaOut


class OrganisationRef(Out):
    id: int
    name: str


class PersonName(Out):
    name: str


class StatusChangeOut(Out):
    from_: str | None = Field(alias="from")
    to: str
    explanation: str | None
    created_at: datetime | None


class ImageOut(Out):
    url: str
    alt_text: str
    decorative: bool
    width: int
    height: int


class IdeaProjectRef(Out):
    id: int
    title: str
    phase: str
    progress: int | None
    url: str


class IdeaOut(Out):
    id: int
    title: str
    body: str
    status: str
    author: PersonName
    organisation: OrganisationRef | None
    service_area: ServiceAreaRef
    sdgs: list[int]
    place: str | None
    vote_count: int
    comment_count: int
    endorsement_count: int
    created_at: datetime | None
    updated_at: datetime | None
    url: str
    status_history: list[StatusChangeOut]
    images: list[ImageOut]
    projects: list[IdeaProjectRef]


class Paged(Out):
    page: int
    per_page: int
    total: int


class IdeaPage(Paged):
    items: list[IdeaOut]


class IdeaList(Out):
    items: list[IdeaOut]


class ServiceAreaList(Out):
    items: list[ServiceAreaOut]


class SdgOut(Out):
    id: int
    number: int
    name: str
    colour: str


class SdgList(Out):
    items: list[SdgOut]


class VoteState(Out):
    voted: bool
    vote_count: int


class EndorsementState(Out):
    endorsed: bool
    endorsement_count: int


class EndorsementOut(Out):
    organisation: OrganisationRef
    created_at: datetime


class EndorsementList(Out):
    items: list[EndorsementOut]


class CommentOut(Out):
    id: int
    idea_id: int
    parent_id: int | None
    author: PersonName | None
    organisation: OrganisationRef | None
    body: str | None
    created_at: datetime
    edited: bool
    hidden: bool
    hidden_reason: str | None
    deleted: bool
    url: str


class CommentPage(Paged):
    items: list[CommentOut]


class LocalTargetOut(Out):
    id: int
    code: str
    sdg: int
    text: str


class ProjectOut(Out):
    id: int
    title: str
    description: str
    kind: str
    phase: str
    public: bool
    owner_service_area: ServiceAreaOut
    service_areas: list[ServiceAreaOut]
    sdgs: list[int]
    local_targets: list[LocalTargetOut]
    estimated_cost: int | None
    progress: int | None
    planned_start: date | None
    planned_end: date | None
    ideas: list[int]
    citizen_support: int
    url: str


class ProjectUpdateOut(Out):
    id: int
    text: str
    progress: int | None
    created_at: datetime | None


class DecisionOut(Out):
    id: int
    meeting_date: date | None
    decision: str
    rationale: str | None
    deferred_to: date | None = None
    merged_into_id: int | None = None


class PhaseChangeOut(Out):
    from_: str = Field(alias="from")
    to: str
    explanation: str | None
    created_at: datetime | None


class ProjectDetail(ProjectOut):
    updates: list[ProjectUpdateOut]
    decisions: list[DecisionOut]
    phase_changes: list[PhaseChangeOut]


class ProjectPage(Paged):
    items: list[ProjectOut]


class StatusAnswerOut(Out):
    id: int
    status: str
    first_answered_at: datetime | None
    status_change: StatusChangeOut


class MergeOut(Out):
    id: int
    status: str
    merged_into: int
    merged_into_vote_count: int
    status_change: StatusChangeOut


class LinkOut(Out):
    project_id: int
    idea_id: int
    note: str | None
    idea_status: str
    created_at: datetime | None


class ProjectUpdateCreated(Out):
    id: int
    project_id: int
    text: str
    progress: int | None
    project_progress: int | None
    created_at: datetime | None


class MyScore(Out):
    score: int | None
    comment: str | None


class AssessmentOut(Out):
    project_id: int
    mine: dict[str, MyScore]
    averages: dict[str, float]
    score: float | None


class DecisionCreated(Out):
    id: int
    project_id: int
    meeting_date: date | None
    decision: str
    rationale: str | None
    deferred_to: date | None = None
    merged_into_id: int | None = None


class CriterionOut(Out):
    key: str
    name: str
    names: Names
    weight: float


class LatestDecision(Out):
    meeting_date: date | None
    decision: str
    rationale: str | None


class GroupScoreOut(Out):
    id: int
    name: str
    cross_cutting: bool
    score: float | None = Field(description="The group's weighted score from its members' assessments "
                                            "(the board's formula); null until a member has assessed.")
    assessed: bool = Field(description="The group's members together have scored every criterion that weighs.")


class BoardRow(Out):
    rank: int | None
    project: ProjectOut
    score: float | None
    averages: dict[str, float]
    complete: bool
    cumulative_cost: int | None
    fits_budget: bool | None
    latest_decision: LatestDecision | None
    groups: list[GroupScoreOut] = Field(
        default_factory=list,
        description="The competence groups that assess the project: those of the municipal areas it touches "
                    "and the cross-cutting ones.")
    ready_for_decision: bool | None = Field(
        None, description="Some group assesses the project and every one has; null when the municipality "
                          "has no competence groups.")
    pinned: bool = Field(False, description="The council prioritised it: it stands above every score.")
    political_priority: str | None = Field(None, description="`prioritised` or `not_prioritised` by the council.")
    council_case_number: str | None = None
    council_decision_date: date | None = None
    administrative_priority: str | None = Field(None, description="`high`, `medium` or `low`.")
    plan: list["BoardPlanYear"] = Field(default_factory=list,
                                        description="Its cost in each plan year it costs something.")


class BoardOut(Out):
    criteria: list[CriterionOut]
    budget: int | None
    total_cost: int | None
    cost_within_budget: int | None
    items: list[BoardRow]
    plan: list["PlanLineOut"] = Field(
        default_factory=list, description="Each year of the economic plan: its budget and what fits within it, "
                                          "walking down the ranking.")


class SdgGoalRow(Out):
    number: int
    name: str
    ideas: int
    votes: int
    projects: int
    estimated_cost: int | None
    url: str


class SdgMatrixCell(Out):
    sdg: int
    municipal_area_id: int
    ideas: int
    projects: int


class SdgOverviewOut(Out):
    goals: list[SdgGoalRow]
    municipal_areas: list[MunicipalAreaOut]
    matrix: list[SdgMatrixCell]


class ReportOut(Out):
    id: int
    target_type: str
    target_id: int
    reason: str
    note: str | None
    created_at: datetime | None
    resolution: str | None


class AuthorRef(Out):
    id: int
    name: str


class QueueItem(Out):
    id: int
    author: AuthorRef
    visibility: str
    hidden_reason: str | None
    excerpt: str
    url: str
    created_at: datetime | None
    title: str | None = None
    idea_id: int | None = None


class ReportNote(Out):
    reason: str
    note: str | None
    created_at: datetime | None


class AppealOut(Out):
    id: int
    text: str
    created_at: datetime | None
    decision: str | None


class QueueEntryOut(Out):
    id: int
    target_type: str
    target_id: int
    state: str
    auto_hidden: bool
    open_reports: int
    reports_total: int
    reasons: dict[str, int]
    notes: list[ReportNote]
    waiting_since: datetime | None
    last_activity_at: datetime | None
    decision: str | None
    decision_reason: str | None
    decided_at: datetime | None
    appeal: AppealOut | None
    item: QueueItem | None


class QueuePage(Paged):
    items: list[QueueEntryOut]
    filters: dict[str, Any]


class PersonOut(Out):
    id: int
    name: str
    blocked: bool
    blocked_reason: str | None
    blocked_until: datetime | None
    name_flagged: bool


class LogEntryOut(Out):
    id: int
    created_at: datetime | None
    actor: AuthorRef | None
    action: str
    target_type: str
    target_id: int | None
    subject_user_id: int | None
    reason: str | None
    reason_label: str | None
    note: str | None


class LogPage(Paged):
    items: list[LogEntryOut]
    filters: dict[str, Any]


class ExportOut(Out):
    id: int
    status: str
    requested_by_staff: bool
    size: int | None
    created_at: datetime | None
    ready_at: datetime | None
    expires_at: datetime | None
    downloaded_at: datetime | None
    status_url: str
    download_url: str


class ExportStarted(Out):
    export: ExportOut
    created: bool


class ExportStatus(Out):
    export: ExportOut


class DeletionPlanned(Out):
    due_at: datetime | None
    keep_content: bool
    cancel: str


class DeletionOut(Out):
    deletion: DeletionPlanned


class FollowTargetOut(Out):
    type: str
    id: int
    title: str
    url: str


class FollowList(Out):
    items: list[FollowTargetOut]


class FollowOut(Out):
    following: bool
    target: FollowTargetOut


class ErrorDetail(Out):
    code: str = Field(description="Machine-readable: bad_request, unauthorized, forbidden, not_found, "
                                  "conflict, invalid, rate_limited, ...", examples=["invalid"])
    message: str = Field(description="For people, in the request's language.",
                         examples=["Tittelen må være minst 5 tegn."])
    fields: dict[str, list[str]] = Field(description="The fields at fault and their messages.",
                                         examples=[{"title": ["Tittelen må være minst 5 tegn."]}])


class Error(Out):
    """Every error answer has this shape."""

    error: ErrorDetail


# --- priorities and the economic plan (app/api/plan.py) ---------------------------------

_YEARS_SCHEMA = {
    "type": "object", "description": "Amounts in whole kroner per plan year, keyed by the year.",
    "additionalProperties": {"type": "object", "properties": {
        "investment": {"type": ["integer", "string", "null"]}, "running": {"type": ["integer", "string", "null"]}}},
    "examples": [{"2027": {"investment": 2400000, "running": 0}, "2028": {"investment": 0, "running": 360000}}],
}


class PriorityIn(StaffBody):
    political_priority: _choice(["prioritised", "not_prioritised", ""]) = Field(
        None, examples=["prioritised"], description="The council's decision; empty or null: none.")
    council_case_number: str | None = Field(None, max_length=1000, examples=["2026/123"],
                                            description="Required with a decision; at most 40 characters.")
    council_decision_date: str | None = Field(None, examples=["2026-06-18"], json_schema_extra={"format": "date"},
                                              description="Required with a decision; not in the future.")
    council_decision_text: str | None = Field(None, max_length=20000, description="At most 500 characters.")
    administrative_priority: _choice(["high", "medium", "low", ""]) = Field(None, examples=["high"])


class PrioritiesOut(Out):
    project_id: int
    political_priority: str | None
    council_case_number: str
    council_decision_date: date | None
    council_decision_text: str
    administrative_priority: str | None


class YearAmountsIn(StaffBody):
    years: _loose(_YEARS_SCHEMA) = None


class YearCostOut(Out):
    year: int
    investment: int
    running: int


class CostsOut(Out):
    project_id: int
    plan_years: list[int]
    costs: list[YearCostOut] = Field(description="The plan years with a cost; a year left out costs nothing.")


class YearBudgetOut(Out):
    year: int
    investment: int | None = Field(description="null: no budget set, no line drawn.")
    running: int | None


class PlanOut(Out):
    plan_years: list[int]
    budgets: list[YearBudgetOut]


class PlanLineOut(Out):
    year: int
    investment_budget: int | None
    running_budget: int | None
    investment_total: int
    running_total: int
    investment_within: int
    running_within: int
    count_within: int
    first_over_rank: int | None = Field(description="The rank of the first project that does not fit that year.")


class BoardPlanYear(Out):
    year: int
    investment: int
    running: int
    cumulative_investment: int
    cumulative_running: int
    fits: bool | None = Field(description="Within that year's line; null: no cost that year, or no budget.")


BoardRow.model_rebuild()
BoardOut.model_rebuild()


# --- innbyggerforslag ---------------------------------------------------------------------


class InitiativeListQuery(PageQuery):
    status: Annotated[Literal["collecting", "submitted", "decided", "closed"] | None, _blank] = Field(
        None, description="`collecting`, `submitted`, `decided` (or refused as the same content), "
                          "`closed` (collection ran out); none: every public initiative.")


class SignatureIn(Body):
    confirmed_resident: StrictBool | None = Field(
        None, description="Required and true: the signer is registered as living in the municipality.")
    show_name: StrictBool | None = Field(None, description="Show the signer's name publicly (default false).")


class InitiativeDecisionOut(Out):
    case_number: str | None
    meeting_date: date | None
    text: str | None
    url: str | None


class InitiativeSameContentOut(Out):
    case_number: str | None
    title: str | None
    date: date | None
    explanation: str | None


class InitiativeMeasureOut(Out):
    text: str
    carried_out_on: date | None


class InitiativeOut(Out):
    id: int
    title: str
    proposal: str
    reasons: str
    proposer: PersonName
    status: Literal["awaiting_moderation", "refused", "collecting", "expired", "submitted",
                    "rejected_same_content", "decided"]
    service_areas: list[ServiceAreaRef]
    from_idea_id: int | None
    signature_count: int = Field(description="Signatures made here (online).")
    paper_signature_count: int = Field(description="Signatures on paper lists registered by staff.")
    total_signatures: int
    threshold: int | None = Field(description="min(ceil(2 % of the population), 300), fixed when collection started.")
    collection_started_at: datetime | None
    collection_ends_at: datetime | None
    submitted_at: datetime | None
    deadline: date | None = Field(description="The council decides by this date: six months after submission.")
    days_to_deadline: int | None = Field(description="Negative when the deadline has passed.")
    decision: InitiativeDecisionOut | None
    same_content: InitiativeSameContentOut | None
    measures: list[InitiativeMeasureOut]
    url: str
    created_at: datetime


class InitiativePage(Paged):
    items: list[InitiativeOut]


class PublicSignerOut(Out):
    name: str
    signed_at: datetime


class InitiativeDetail(InitiativeOut):
    public_signers: list[PublicSignerOut] = Field(description="Signers who chose to be shown, oldest first (at most 500).")
    public_signer_count: int
    signed: bool = Field(description="Whether the caller has signed.")


class SignatureState(Out):
    signed: bool
    signature_count: int
    total_signatures: int
    threshold: int | None
