"""People, organisations and their memberships."""

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, Enum, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, as_utc, utcnow
from app.core.models import MunicipalArea
from app.extensions import db


def enum_column(enum_cls: type[enum.Enum], length: int = 32, name: str | None = None) -> Enum:
    """A portable enum column: stored as its string value, checked by a named constraint.

    `name` names the constraint when one table has two columns of the same enum (PostgreSQL
    wants constraint names unique per table).
    """
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
        create_constraint=True,
        name=name or enum_cls.__name__.lower(),
    )


# The one account that keeps what erased people chose to leave behind (privacy.deletion): its
# address is in the reserved .invalid domain, so no mail reaches it.
FORMER_PARTICIPANT_EMAIL = "tidligere-deltaker@medvirk.invalid"


def new_session_token() -> str:
    return secrets.token_hex(16)


class Role(enum.StrEnum):
    RESIDENT = "resident"
    MODERATOR = "moderator"
    PORTFOLIO_MANAGER = "portfolio_manager"
    ADMIN = "admin"


# The municipal areas a moderator's or portfolio manager's work is limited to; none means the
# whole municipality (accounts.permissions.scope_of). No ON DELETE for the area: an area that
# limits someone is not deleted (portfolio.services.delete_area), or they would see everything.
user_municipal_areas = Table(
    "user_municipal_areas",
    db.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("municipal_area_id", Integer, ForeignKey("municipal_areas.id"), primary_key=True, index=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased by the services, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.RESIDENT, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_blocked: Mapped[bool] = mapped_column(default=False)
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by a moderator when the name is not a real full name; cleared by a correction.
    name_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    name_flag_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every session and remember cookie (get_id); a new value ends them all at once:
    # logout, "log out everywhere", a password change or reset (accounts.services).
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    # Account deletion (privacy): asked for at this time, carried out by `flask privacy enforce`
    # once the grace period has passed; signing in before then cancels it. `deletion_keep_content`
    # is the person's choice: keep what they wrote under "Tidligere deltaker", or remove it.
    deletion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    deletion_keep_content: Mapped[bool | None] = mapped_column()
    # When the retention job warned that an inactive account will be deleted.
    inactivity_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    identities: Mapped[list["Identity"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    # Loaded when a predicate first asks (one query per request, staff only); see scope_of.
    areas: Mapped[list[MunicipalArea]] = relationship(
        secondary=user_municipal_areas, order_by=(MunicipalArea.position, MunicipalArea.id),
        passive_deletes=True,
    )

    @property
    def verified_identity(self) -> "Identity | None":
        """The identity that proves who this person is (a resident provider's), if any."""
        return next((i for i in self.identities if i.kind == "resident"), None)

    @property
    def is_verified(self) -> bool:
        return self.verified_identity is not None

    def get_id(self) -> str:
        """Flask-Login's alternative id: the user loader accepts it only with the current token."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def block_active(self) -> bool:
        """Blocked now: a block with an end date lapses by itself when the date passes."""
        if not self.is_blocked:
            return False
        until = as_utc(self.blocked_until)
        return until is None or until > utcnow()

    @property
    def is_former_participant(self) -> bool:
        return self.email == FORMER_PARTICIPANT_EMAIL

    @property
    def display_name(self) -> str:
        """The name shown with what the person wrote: "Tidligere deltaker" in the reader's
        language for what erased people left behind, else the full name."""
        if self.is_former_participant:
            from flask_babel import gettext

            return gettext("Tidligere deltaker")
        return self.full_name

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name else ""

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class OrganisationKind(enum.StrEnum):
    VOLUNTARY = "voluntary"
    BUSINESS = "business"
    PUBLIC = "public"
    OTHER = "other"


class VerificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    # Nine digits, mod-11 checked; optional for informal volunteer groups.
    org_number: Mapped[str | None] = mapped_column(String(9), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus), default=VerificationStatus.PENDING, index=True
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class MembershipRole(enum.StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        enum_column(MembershipRole), default=MembershipRole.MEMBER
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    # Loaded with the membership list in one query: pages list "act for" choices per membership.
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="selectin")


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Invitation(db.Model):
    """An organisation's invitation to an e-mail address; a membership only once accepted.

    Kept by address, not by account, so the page that sends it cannot tell whether the address
    is registered, and a person who registers later finds it once the address is confirmed.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # Lower-cased, like User.email.
    email: Mapped[str] = mapped_column(String(254), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who accepted or declined (the account that owned the address then), or withdrew.
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_expired(self) -> bool:
        return as_utc(self.expires_at) <= utcnow()

    @property
    def is_open(self) -> bool:
        return self.status == InvitationStatus.PENDING and not self.is_expired


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class Identity(db.Model):
    """A sign-in verified by an OpenID Connect provider, linked to one account.

    `person_hash` is an HMAC-SHA256 (key IDENTITY_PEPPER) of the national identity number
    (`pid`), or of `sub` where a provider has no pid: it makes one person one account without
    storing the number. `kind` is the provider's ("resident": proves who a person is).
    """

    __tablename__ = "identities"
    __table_args__ = (
        UniqueConstraint("issuer", "person_hash"),
        UniqueConstraint("user_id", "issuer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    issuer: Mapped[str] = mapped_column(String(300))
    person_hash: Mapped[str] = mapped_column(String(64))
    # HMAC of the provider's `sub` for this client: how a back-channel logout names the person.
    subject_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    level: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="identities")


class SignIn(db.Model):
    """One sign-in to an account: shown to the person (recent sign-ins) and in their export.

    `address` is the client's IP address, kept for security review only as long as
    ADDRESS_RETENTION_DAYS; the retention job clears it after that.
    """

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # "password", "link" (a confirmation or reset link), or "oidc:<provider>".
    method: Mapped[str] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(String(45))
    # For an OpenID Connect sign-in: a keyed hash (IDENTITY_PEPPER) of the provider's session id
    # (`sid`), by which a front-channel logout from the provider names the session to end.
    session_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
