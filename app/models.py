"""Every domain's models, imported in one place for Alembic and the shell."""

from app.accessibility.models import AccessibilityReport  # noqa: F401
from app.accounts.models import ApiToken, Membership, Organisation, SignIn, User  # noqa: F401
from app.comments.models import Comment  # noqa: F401
from app.core.models import MunicipalArea, Sdg, ServiceArea  # noqa: F401
from app.ideas.models import Endorsement, Idea, IdeaImage, StatusChange, Vote  # noqa: F401
from app.initiatives.models import (  # noqa: F401
    Initiative,
    InitiativeMeasure,
    PaperSignatureBatch,
    Signature,
)
from app.moderation.models import Appeal, ModerationAction, ModerationCase, Report  # noqa: F401
from app.notifications.models import Follow, Notice, NoticePreference, OutboxMessage  # noqa: F401
from app.portfolio.models import (  # noqa: F401
    AgendaItem,
    Assessment,
    CompetenceGroup,
    Criterion,
    Decision,
    LocalTarget,
    Meeting,
    PlanBudget,
    Project,
    ProjectChange,
    ProjectCost,
    ProjectIdea,
    ProjectPhaseChange,
    ProjectUpdate,
    System,
)
from app.privacy.models import DataExport  # noqa: F401

# moderation and portfolio models are added below as those domains land.
