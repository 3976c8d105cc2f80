"""Use cases of the accounts domain: people, sessions, organisations, roles and tokens.

Each public function is one transaction; a broken rule raises an error from core/errors.py.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload
from stdnum.no import orgnr
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from app.accounts import signals
from app.accounts.models import (
    ApiToken,
    Identity,
    Invitation,
    InvitationStatus,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Role,
    SignIn,
    User,
    VerificationStatus,
    new_session_token,
)
from app.accounts.permissions import SCOPABLE_ROLES, can, can_manage_organisation
from app.core.db import is_postgres, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.i18n import LOCALES
from app.core.input import MAX_ID, to_int
from app.core.models import MunicipalArea
from app.core.urls import external_url
from app.extensions import db
from app.notifications.mail import queue_templated
from app.notifications.services import notify

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
# zxcvbn's estimate of the guesses needed, as a power of ten. Its score 3 spans 10^8-10^10;
# we ask for the middle of it, 10^9, on the password as typed and without its separators
# (zxcvbn takes "-demo-2026" for random letters, so "medvirk-demo-2026" scored 4 as typed).
MIN_PASSWORD_GUESSES_LOG10 = 9
# zxcvbn knows English; these are what Norwegians guess first. Fed to it as context words,
# so "Sommer2026" counts as a word and a year, not as random letters.
NORWEGIAN_COMMON_WORDS = (
    "passord", "passordet", "hemmelig", "hemmelighet", "velkommen", "velkommen1", "sommer",
    "vinter", "høst", "host", "vår", "var", "påske", "jul", "julaften", "medvirk", "demo",
    "kommune", "kommunen", "norge", "noreg", "norway", "norsk", "oslo", "bergen", "trondheim",
    "stavanger", "tromsø", "drammen", "kristiansand", "fredrikstad", "bodø", "fjord", "fjell",
    "hytte", "hytta", "elsker", "kjæreste", "mamma", "pappa", "bestemor", "bestefar", "hund",
    "katt", "fotball", "rosenborg", "vålerenga", "brann", "lillehammer", "nordmann", "hallo",
    "heisann", "hei", "qwertyuiopå", "asdfghjkløæ", "januar", "februar", "mars", "april", "mai",
    "juni", "juli", "august", "september", "oktober", "november", "desember", "mandag",
    "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
)
_PASSWORD_CHECK_CHARS = 72  # zxcvbn refuses longer input (its time grows with length)
# A password hashed once at import, so a login for an unknown e-mail costs as much as a real one.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


# --- input checks shared by the forms, the API and the CLI ----------------------------


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_problem(email: str) -> str | None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.")
    return None


def full_name_problem(name: str) -> str | None:
    parts = (name or "").split()
    if len(parts) < 2:
        return _(
            "Skriv både fornavn og etternavn. Debatten her føres under fullt navn, "
            "slik at alle vet hvem de snakker med."
        )
    if len(" ".join(parts)) > 120:
        return _("Navnet kan være høyst 120 tegn.")
    return None


def _words(*texts: str) -> list[str]:
    return [w for text in texts for w in re.split(r"[\s@._+\-]+", (text or "").lower()) if len(w) > 1]


def password_problem(password: str, email: str = "", full_name: str = "") -> str | None:
    """Why a password is too easy to guess, in words the person understands, or None.

    The one rule for registration, reset, change and `flask users create`. zxcvbn estimates
    the guesses needed, with the person's name and e-mail, the municipality's name and common
    Norwegian words as context; its English feedback is replaced by our own sentences.
    """
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return _("Passordet må ha minst %(n)d tegn.", n=MIN_PASSWORD_LENGTH)
    personal = set(_words(full_name, email))
    context = [*personal, *_words(current_app.config.get("MUNICIPALITY_NAME", "")), *NORWEGIAN_COMMON_WORDS]
    typed = password[:_PASSWORD_CHECK_CHARS]
    joined = re.sub(r"[\s\-_.,;:!/+]+", "", typed) or typed
    results = [zxcvbn(typed, user_inputs=context), zxcvbn(joined, user_inputs=context)]
    matches = [m for result in results for m in result["sequence"]]
    own = [m for m in results[1]["sequence"]
           if m["pattern"] == "dictionary" and m.get("matched_word") in personal]
    # Mostly one's own name or address is weak however zxcvbn scores the rest.
    own_share = sum(len(m["token"]) for m in own) / len(joined)
    guesses = min(float(result["guesses_log10"]) for result in results)
    if guesses >= MIN_PASSWORD_GUESSES_LOG10 and own_share < 0.5:
        return None
    reasons = []
    if own:
        reasons.append(_("Det inneholder navnet ditt eller e-postadressen din."))
    patterns = {m["pattern"] for m in matches
                if not (m["pattern"] == "dictionary" and m.get("matched_word") in personal)}
    if "dictionary" in patterns:
        reasons.append(_("Det ligner et vanlig ord eller et vanlig passord."))
    if {"date", "regex"} & patterns:
        reasons.append(_("Årstall og datoer er lette å gjette."))
    if "spatial" in patterns:
        reasons.append(_("Tastemønstre som qwerty er lette å gjette."))
    if {"repeat", "sequence"} & patterns:
        reasons.append(_("Gjentakelser og rekker som aaa og 123 er lette å gjette."))
    return " ".join([
        _("Passordet er for lett å gjette."),
        *reasons,
        _("Bruk gjerne tre eller fire ord som ikke hører sammen."),
    ])


def org_number_problem(number: str | None) -> str | None:
    if not number:
        return None
    if not orgnr.is_valid(number):
        return _("Organisasjonsnummeret er ikke gyldig. Det har ni sifre, for eksempel 974760673.")
    return None


def _raise_if(fields: dict[str, str | None]) -> None:
    problems = {name: [message] for name, message in fields.items() if message}
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], fields=problems)


# --- signed links ---------------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _password_fingerprint(user: User) -> str:
    # Part of every reset link: once the password changes, earlier links stop working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def confirmation_token(user: User) -> str:
    return _serializer("confirm-email").dumps({"id": user.id, "email": user.email})


def reset_token(user: User) -> str:
    return _serializer("reset-password").dumps({"id": user.id, "fp": _password_fingerprint(user)})


# --- registration and confirmation ----------------------------------------------------


@dataclass
class RegistrationInput:
    full_name: str
    email: str
    password: str
    accept_terms: bool = True
    locale: str | None = None


def new_person_problems(full_name: str, email: str, password: str) -> dict[str, str | None]:
    """What is wrong with a new account's name, e-mail and password, per field (None: fine)."""
    return {
        "full_name": full_name_problem(full_name),
        "email": email_problem(email),
        "password": password_problem(password, email, full_name),
    }


def _check_new_person(full_name: str, email: str, password: str) -> None:
    _raise_if(new_person_problems(full_name, email, password))


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(data: RegistrationInput) -> User | None:
    """Create an unconfirmed account and e-mail its confirmation link.

    Raises InvalidInput for a bad name, e-mail or password or missing consent. An e-mail
    that is already registered gets a message saying so (to its owner only, with links to
    log in or set a new password) and the function returns None. Both branches do the same
    work (one password hash, one e-mail) so neither the page nor its timing tells anyone
    whether the address exists.
    """
    email = normalise_email(data.email)
    _check_new_person(data.full_name, email, data.password)
    if not data.accept_terms:
        raise InvalidInput(
            _("Du må godta personvernvilkårene for å registrere deg."),
            fields={"accept_terms": [_("Du må godta personvernvilkårene for å registrere deg.")]},
        )
    # Hashed before the lookup, in both branches: scrypt is most of the request's time.
    password_hash = generate_password_hash(data.password)
    existing = get_user_by_email(email)
    if existing is None:
        user = User(
            email=email,
            full_name=" ".join(data.full_name.split()),
            password_hash=password_hash,
            locale=data.locale if data.locale in LOCALES else None,
            role=Role.RESIDENT,
        )
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:
            # Registered by a simultaneous request a moment ago: an existing address after all.
            db.session.rollback()
            existing = get_user_by_email(email)
        else:
            _queue_confirmation(user)
            db.session.commit()
            return user
    queue_templated(
        existing.email, existing.locale, "already_registered",
        _l("Du har allerede en konto"),
        user=existing, login_url=external_url("accounts.login"),
        reset_url=external_url("accounts.forgot_password"),
    )
    db.session.commit()
    return None


def create_user(
    email: str, full_name: str, password: str, role: Role = Role.RESIDENT, confirmed: bool = True
) -> User:
    """Create an account directly (CLI, demo data). Same rules as registration.

    Raises InvalidInput for a bad name, e-mail or password, InvalidState if it exists.
    """
    email = normalise_email(email)
    _check_new_person(full_name, email, password)
    if get_user_by_email(email) is not None:
        raise InvalidState(_("Det finnes allerede en konto med denne e-postadressen."))
    user = User(
        email=email,
        full_name=" ".join(full_name.split()),
        password_hash=generate_password_hash(password),
        role=Role(role),
        confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def _queue_confirmation(user: User) -> None:
    queue_templated(
        user.email, user.locale, "confirm_email", _l("Bekreft e-postadressen din"),
        user=user, url=external_url("accounts.confirm_email", token=confirmation_token(user)),
        days=current_app.config["CONFIRM_MAX_AGE_DAYS"],
    )


def resend_confirmation(user: User) -> None:
    """Send the confirmation link again. Raises InvalidState when already confirmed."""
    if user.is_confirmed:
        raise InvalidState(_("E-postadressen din er allerede bekreftet."))
    _queue_confirmation(user)
    db.session.commit()


def confirm_email(token: str) -> tuple[User, bool]:
    """Confirm the address in a signed link; returns the user and whether this confirmed it.

    Raises InvalidInput when the link is expired, tampered with or for an old address.
    Confirming twice is harmless (the second time returns False).
    """
    max_age = current_app.config["CONFIRM_MAX_AGE_DAYS"] * 24 * 3600
    try:
        payload = _serializer("confirm-email").loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidInput(
            _("Lenken er utløpt. Logg inn og be om en ny bekreftelseslenke.")
        ) from exc
    except BadSignature as exc:
        raise InvalidInput(_("Lenken er ikke gyldig. Sjekk at du kopierte hele lenken.")) from exc
    user = db.session.get(User, payload.get("id"))
    if user is None or user.email != payload.get("email"):
        raise InvalidInput(_("Lenken er ikke gyldig. Sjekk at du kopierte hele lenken."))
    if user.is_confirmed:
        return user, False
    user.confirmed_at = utcnow()
    db.session.commit()
    return user, True


# --- sessions and passwords -----------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; costs the same whether the e-mail exists."""
    user = get_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def touch_last_seen(user: User) -> None:
    user.last_seen_at = utcnow()
    db.session.commit()


def record_sign_in(user: User, method: str, address: str | None, session_hash: str | None = None) -> SignIn:
    """Keep a record of a sign-in (shown to the person on "Mine data" and in their export).

    `method` is "password", "link" or "oidc:<provider>"; `address` the client's address as
    the proxy settings read it. It is stored, never logged, and cleared by the retention job.
    `session_hash` is the keyed hash of an OpenID Connect provider's session id.
    """
    record = SignIn(user_id=user.id, method=method[:60], address=(address or None) and address[:45],
                    session_hash=session_hash or None)
    db.session.add(record)
    db.session.commit()
    return record


def user_for_session_id(session_id: str) -> User | None:
    """The user a session or remember cookie names ("<id>:<token>", User.get_id), or None.

    None when the token is no longer the user's: every cookie issued before the last logout,
    "log out everywhere", password change or reset.
    """
    user_id, sep, token = (session_id or "").partition(":")
    # A bare id (cookies from before tokens) or an id no column can hold finds no one.
    number = to_int(user_id) if sep and token else None
    if number is None:
        return None
    # The areas a scoped role is limited to come in the same statement: staff pages ask for
    # them (scope_of) on every request, and a join to no rows costs everyone else nothing.
    user = db.session.get(User, number, options=[joinedload(User.areas)])
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def end_all_sessions(user: User) -> None:
    """End every session and remember cookie of the user, on every device, this one included.

    The view logs the current browser in again (it then carries the new token) where the
    person should stay signed in: after "log out everywhere else" or a password change.
    """
    user.session_token = new_session_token()
    db.session.commit()


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the address is registered; silent either way.

    An unknown address costs the same work (a signed link, the e-mail rendered, a write,
    a commit and the delivery run after it) but nothing is sent, so timing does not tell
    whether it is registered.
    """
    user = get_user_by_email(email)
    minutes = current_app.config["RESET_MAX_AGE_MINUTES"]
    if user is None:
        stand_in = User(id=0, email=normalise_email(email), full_name="Kari Nordmann",
                        password_hash=_DUMMY_HASH)
        message = queue_templated(
            stand_in.email, None, "reset_password", _l("Nytt passord"),
            user=stand_in, url=external_url("accounts.reset_password", token=reset_token(stand_in)),
            minutes=minutes,
        )
        # The same INSERT, commit and delivery run a real request makes, the row deleted before
        # the commit: nothing goes to an unknown address. Undoing it with a rollback answered
        # measurably sooner (median 9 against 13 ms over 60 requests on PostgreSQL).
        db.session.flush()
        db.session.delete(message)
        db.session.commit()
        return
    queue_templated(
        user.email, user.locale, "reset_password", _l("Nytt passord"),
        user=user, url=external_url("accounts.reset_password", token=reset_token(user)),
        minutes=minutes,
    )
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """Raises InvalidInput when the link is expired, used or tampered with."""
    max_age = current_app.config["RESET_MAX_AGE_MINUTES"] * 60
    try:
        payload = _serializer("reset-password").loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidInput(_("Lenken er utløpt. Be om en ny lenke for å sette passord.")) from exc
    except BadSignature as exc:
        raise InvalidInput(_("Lenken er ikke gyldig. Be om en ny lenke for å sette passord.")) from exc
    user = db.session.get(User, payload.get("id"))
    if user is None or payload.get("fp") != _password_fingerprint(user):
        raise InvalidInput(
            _("Lenken er allerede brukt. Be om en ny lenke hvis du trenger å sette passord igjen.")
        )
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; the link cannot be used again.

    Raises InvalidInput for a bad link or a weak password. Resetting also confirms the
    e-mail address, since the person has just shown they read it.
    """
    user = user_for_reset_token(token)
    _raise_if({"password": password_problem(new_password, user.email, user.full_name)})
    user.password_hash = generate_password_hash(new_password)
    # Whoever knew the old password may hold a session: a reset ends them all.
    user.session_token = new_session_token()
    if not user.is_confirmed:
        user.confirmed_at = utcnow()
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str, revoke_api_tokens: bool = False) -> int:
    """Set a new password; every session and remember cookie of the user ends with the old one.

    With revoke_api_tokens, every personal API token is revoked too. Returns how many tokens
    were revoked. Raises InvalidInput when the current password is wrong or the new one is weak.
    """
    if not check_password_hash(user.password_hash, current or ""):
        raise InvalidInput(
            _("Nåværende passord er feil."),
            fields={"current_password": [_("Nåværende passord er feil.")]},
        )
    _raise_if({"password": password_problem(new, user.email, user.full_name)})
    user.password_hash = generate_password_hash(new)
    user.session_token = new_session_token()
    revoked = 0
    if revoke_api_tokens:
        revoked = db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
    db.session.commit()
    return revoked


def update_profile(user: User, full_name: str, locale: str | None) -> User:
    """Change name and language. A correction of a flagged name is logged and unflags it.

    Raises InvalidInput for a one-word name or an unknown language.
    """
    _raise_if({"full_name": full_name_problem(full_name)})
    if locale and locale not in LOCALES:
        raise InvalidInput(_("Ukjent språk."), fields={"locale": [_("Ukjent språk.")]})
    new_name = " ".join(full_name.split())
    old_name = user.full_name
    user.full_name = new_name
    user.locale = locale or None
    flagged = user.name_flagged_at is not None
    if flagged and new_name != old_name:
        user.name_flagged_at = None
        user.name_flag_reason = None
    if new_name != old_name:
        signals.name_corrected.send(user, old_name=old_name, new_name=new_name, was_flagged=flagged)
    db.session.commit()
    return user


# --- roles and blocking ---------------------------------------------------------------


def _last_admin() -> bool:
    """True when at most one admin is left; the admins' rows stay locked to the end of the
    transaction, so two demotions at once cannot both see a second admin."""
    admins = db.session.scalars(select(User.id).where(User.role == Role.ADMIN).with_for_update()).all()
    return len(admins) <= 1


def change_role(actor: User | None, user: User, role: Role | str) -> User:
    """Give a user a role. actor None means the command line (trusted).

    Raises NotAllowed unless the actor may manage users, InvalidInput for an unknown role,
    InvalidState when an admin would remove the last admin.
    """
    if actor is not None and not can(actor, "manage_users"):
        raise NotAllowed(_("Du har ikke tilgang til å endre roller."))
    try:
        new_role = Role(role)
    except ValueError as exc:
        raise InvalidInput(_("Ukjent rolle: %(role)s", role=role)) from exc
    if user.role == Role.ADMIN and new_role != Role.ADMIN and _last_admin():
        raise InvalidState(_("Kommunen må ha minst én administrator."))
    old_role = user.role
    user.role = new_role
    signals.role_changed.send(actor, user=user, old_role=old_role, new_role=new_role)
    _drop_areas_outside_scoped_roles(actor, user)
    db.session.commit()
    return user


def _drop_areas_outside_scoped_roles(actor: User | None, user: User) -> None:
    """A role that is not limited to areas (resident, admin) keeps none: given a scoped role
    again later, the person starts with the whole municipality, as the admin then sees."""
    if user.role not in SCOPABLE_ROLES and user.areas:
        old_areas = list(user.areas)
        user.areas = []
        signals.areas_changed.send(actor, user=user, old_areas=old_areas, new_areas=[])


def municipal_areas_to_choose(user: User | None) -> list[MunicipalArea]:
    """The areas an admin may give the user: those in use, and retired ones the user has
    (every area, retired too, without a user: the command line names what it finds)."""
    if user is None:
        return list(db.session.scalars(select(MunicipalArea).order_by(MunicipalArea.position, MunicipalArea.name)))
    held = {area.id for area in user.areas}
    return [area for area in db.session.scalars(
        select(MunicipalArea).order_by(MunicipalArea.position, MunicipalArea.name)
    ) if not area.retired or area.id in held]


def parse_area_ids(values) -> list[int]:
    """Municipal area ids from a form, the API or the command line. Raises InvalidInput
    (field "areas") for anything that is not an id a row can have."""
    if values is None or values == "":
        return []
    if isinstance(values, (str, int)):
        values = [values]
    ids: list[int] = []
    for value in values:
        number = to_int(value) if not isinstance(value, bool) else None
        if number is None or not 1 <= number <= MAX_ID:
            message = _("Velg kommunalområdene fra listen.")
            raise InvalidInput(message, fields={"areas": [message]})
        if number not in ids:
            ids.append(number)
    return ids


def set_user_areas(actor: User | None, user: User, area_ids) -> User:
    """Limit a moderator's or portfolio manager's work to these municipal areas; none gives
    the whole municipality. actor None means the command line (trusted).

    Decided on the user's locked row; a change is written to the moderation log with the
    role changes (the areas_changed signal). An area that is retired may be kept, not added.
    Raises NotAllowed unless the actor may manage users, InvalidInput (field "areas") for an
    unknown or retired area, InvalidState when the role is not one that areas limit (admins
    act everywhere; residents take part everywhere).
    """
    if actor is not None and not can(actor, "manage_users"):
        raise NotAllowed(_("Du har ikke tilgang til å endre roller."))
    ids = parse_area_ids(area_ids)
    stmt = select(User).where(User.id == user.id).execution_options(populate_existing=True)
    if is_postgres():
        stmt = stmt.with_for_update(of=User)
    if db.session.scalar(stmt) is None:
        raise NotFound(_("Fant ikke personen."))
    db.session.expire(user, ["areas"])
    if ids and user.role not in SCOPABLE_ROLES:
        raise InvalidState(_("Bare moderatorer og porteføljeforvaltere kan avgrenses til kommunalområder. "
                             "Administratorer har alltid hele kommunen."))
    found = list(db.session.scalars(
        select(MunicipalArea).where(MunicipalArea.id.in_(ids))
        .order_by(MunicipalArea.position, MunicipalArea.id)
    )) if ids else []
    if len(found) != len(ids):
        message = _("Ett eller flere av kommunalområdene finnes ikke.")
        raise InvalidInput(message, fields={"areas": [message]})
    old_areas = list(user.areas)
    held = {area.id for area in old_areas}
    newly_retired = [area for area in found if area.retired and area.id not in held]
    if newly_retired:
        message = _("%(name)s er pensjonert og kan ikke velges.", name=newly_retired[0].name)
        raise InvalidInput(message, fields={"areas": [message]})
    if {area.id for area in found} == held:
        db.session.commit()  # nothing to change: end the transaction (and the lock)
        return user
    user.areas = found
    signals.areas_changed.send(actor, user=user, old_areas=old_areas, new_areas=found)
    try:
        db.session.commit()
    except IntegrityError:
        # Two admins saving at once on SQLite (rows are not locked there): one wins.
        db.session.rollback()
        raise InvalidState(_("Noen andre endret kommunalområdene akkurat nå. Se hva som er lagret, "
                             "og prøv igjen.")) from None
    return user


def block_user(
    actor: User, user: User, reason: str, until: datetime | None = None, hide_content: bool = False
) -> User:
    """Block a person from taking part (they can still read).

    Raises NotAllowed unless the actor may block users or when blocking staff as non-admin,
    InvalidInput without a reason or with an end date in the past, InvalidState when the
    person is already blocked (also by another moderator a moment ago).
    """
    if not can(actor, "block_users"):
        raise NotAllowed(_("Du har ikke tilgang til å blokkere brukere."))
    if user.id == actor.id:
        raise InvalidState(_("Du kan ikke blokkere deg selv."))
    if can(user, "staff") and not can(actor, "administer"):
        raise NotAllowed(_("Bare administratorer kan blokkere ansatte."))
    if not (reason or "").strip():
        raise InvalidInput(_("Skriv en begrunnelse."), fields={"reason": [_("Skriv en begrunnelse.")]})
    if until is not None and until <= utcnow():
        raise InvalidInput(
            _("Sluttdatoen må være fram i tid."), fields={"until": [_("Sluttdatoen må være fram i tid.")]}
        )
    if not _set_blocked(user, True, reason=reason.strip(), until=until):
        raise InvalidState(_("%(name)s er allerede blokkert. Opphev blokkeringen for å endre den.",
                             name=user.full_name))
    signals.user_blocked.send(actor, user=user, reason=user.blocked_reason, until=until,
                              hide_content=hide_content)
    db.session.commit()
    return user


def _set_blocked(user: User, blocked: bool, reason: str | None = None, until: datetime | None = None) -> bool:
    """Move the person from not blocked to blocked (or back) once; False when already there.

    Decided by a conditional UPDATE on the stored row, not on what the request read: of many
    moderators blocking one person at once, one blocks (one audit row, one notice), the rest
    are told it is done; on SQLite too, where rows are not locked.
    """
    moved = db.session.execute(
        update(User)
        .where(User.id == user.id, User.is_blocked.is_(not blocked))
        .values(is_blocked=blocked, blocked_reason=reason if blocked else None,
                blocked_until=until if blocked else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(user, ["is_blocked", "blocked_reason", "blocked_until"])
    return moved == 1


def unblock_user(actor: User, user: User, reason: str = "") -> User:
    """Lift a block. Raises NotAllowed unless the actor may block users, InvalidState when
    the person is not blocked (also when another moderator lifted it a moment ago)."""
    if not can(actor, "block_users"):
        raise NotAllowed(_("Du har ikke tilgang til å oppheve blokkeringer."))
    if not _set_blocked(user, False):
        raise InvalidState(_("%(name)s er ikke blokkert.", name=user.full_name))
    signals.user_unblocked.send(actor, user=user, reason=reason)
    db.session.commit()
    return user


def search_users(query: str = ""):
    stmt = select(User).order_by(User.full_name)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    return stmt


# --- organisations --------------------------------------------------------------------


@dataclass
class OrganisationInput:
    name: str
    kind: str
    org_number: str | None = None
    description: str = ""
    website: str | None = None


def _clean_org_number(number: str | None) -> str | None:
    return orgnr.compact(number) if number and number.strip() else None


def register_organisation(user: User, data: OrganisationInput) -> Organisation:
    """Register an organisation, unverified, with the user as its admin.

    Raises NotAllowed when the user cannot take part, InvalidInput for a bad or taken
    organisation number, a missing name or an unknown kind.
    """
    from app.accounts.permissions import can_participate

    if not can_participate(user):
        raise NotAllowed(_("Du må ha en bekreftet konto for å registrere en organisasjon."))
    number = _clean_org_number(data.org_number)
    problems = {
        "name": None if (data.name or "").strip() else _("Skriv organisasjonens navn."),
        "org_number": org_number_problem(number),
    }
    if data.kind not in {k.value for k in OrganisationKind}:
        problems["kind"] = _("Velg hva slags organisasjon det er.")
    _raise_if(problems)
    if number and db.session.scalar(select(Organisation.id).where(Organisation.org_number == number)):
        message = _("En organisasjon med dette organisasjonsnummeret er allerede registrert.")
        raise InvalidInput(message, fields={"org_number": [message]})
    organisation = Organisation(
        name=data.name.strip(),
        kind=OrganisationKind(data.kind),
        org_number=number,
        description=(data.description or "").strip(),
        website=(data.website or "").strip() or None,
        created_by_id=user.id,
    )
    organisation.memberships.append(Membership(user=user, role=MembershipRole.ADMIN))
    db.session.add(organisation)
    db.session.commit()
    return organisation


def get_organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("Fant ikke organisasjonen."))
    return organisation


def _lock_organisation(organisation: Organisation) -> None:
    # Two admins leaving or stepping down at once must not both see "there is another admin":
    # the count is taken with the organisation's row locked (PostgreSQL; SQLite writes one at a time).
    db.session.execute(
        select(Organisation.id).where(Organisation.id == organisation.id).with_for_update()
    )


def _membership(organisation: Organisation, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user_id
        )
    )


def _admin_count(organisation: Organisation) -> int:
    return db.session.scalar(
        select(func.count()).where(
            Membership.organisation_id == organisation.id, Membership.role == MembershipRole.ADMIN
        )
    )


def invite_member(actor: User, organisation: Organisation, email: str) -> None:
    """Invite an e-mail address to join the organisation; the person accepts or declines.

    Answers alike (returns None, same work) whether or not the address has an account or
    already belongs to a member, so the form cannot be used to look people up. A registered
    person gets a notice and an e-mail; an unknown address gets an e-mail asking them to
    register, and finds the invitation once the address is confirmed. Inviting an address
    again renews its open invitation rather than adding another.

    Raises NotAllowed unless the actor administers the organisation, InvalidInput for a
    malformed address.
    """
    if not can_manage_organisation(actor, organisation):
        raise NotAllowed(_("Bare organisasjonens administratorer kan invitere medlemmer."))
    email = normalise_email(email)
    _raise_if({"email": email_problem(email)})
    person = get_user_by_email(email)
    if person is not None and _membership(organisation, person.id) is not None:
        return
    now = utcnow()
    expires_at = now + timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"])
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.organisation_id == organisation.id, Invitation.email == email,
            Invitation.status == InvitationStatus.PENDING, Invitation.expires_at > now,
        )
    )
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=email, invited_by_id=actor.id,
                                expires_at=expires_at)
        db.session.add(invitation)
        db.session.flush()
    else:
        invitation.expires_at = expires_at
        invitation.invited_by_id = actor.id
    context = {
        "organisation": organisation, "inviter": actor,
        "days": current_app.config["INVITATION_MAX_AGE_DAYS"],
        "answer_url": external_url("accounts.invitation", invitation_id=invitation.id),
    }
    if person is not None:
        notify(person, "accounts.invitation", "accounts_invitation",
               url=external_url("accounts.invitation", invitation_id=invitation.id), **context)
    else:
        queue_templated(
            email, None, "organisation_invitation",
            _l("Invitasjon til %(name)s i Medvirk", name=organisation.name),
            register_url=external_url("accounts.register"), **context,
        )
    db.session.commit()


def pending_invitations(actor: User, organisation: Organisation) -> list[Invitation]:
    """The organisation's invitations not yet answered, withdrawn or expired, newest first.

    Raises NotAllowed unless the actor administers the organisation.
    """
    if not can_manage_organisation(actor, organisation):
        raise NotAllowed(_("Bare organisasjonens administratorer kan se invitasjonene."))
    return list(db.session.scalars(
        select(Invitation).where(
            Invitation.organisation_id == organisation.id,
            Invitation.status == InvitationStatus.PENDING, Invitation.expires_at > utcnow(),
        ).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))


def invitations_for(user: User) -> list[Invitation]:
    """Open invitations to the user's address; none until the address is confirmed."""
    if not user.is_confirmed:
        return []
    return list(db.session.scalars(
        select(Invitation).where(
            Invitation.email == user.email, Invitation.status == InvitationStatus.PENDING,
            Invitation.expires_at > utcnow(),
        ).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))


def get_invitation_for(user: User, invitation_id: int) -> Invitation:
    """The invitation, if it was sent to this user's address (answered or not).

    Raises NotFound for anyone else's invitation (the same as for one that does not exist),
    InvalidState while the user's address is unconfirmed.
    """
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.email != normalise_email(user.email):
        raise NotFound(_("Fant ikke invitasjonen."))
    if not user.is_confirmed:
        raise InvalidState(_("Bekreft e-postadressen din før du svarer på invitasjonen."))
    return invitation


def closed_invitation_message(invitation: Invitation) -> str:
    """Why an invitation can no longer be answered, in words for the invitee."""
    return {
        InvitationStatus.ACCEPTED: _("Invitasjonen er allerede godtatt."),
        InvitationStatus.DECLINED: _("Invitasjonen er allerede avslått."),
        InvitationStatus.WITHDRAWN: _("Organisasjonen har trukket tilbake invitasjonen."),
    }.get(invitation.status) or _(
        "Invitasjonen er utløpt. Be organisasjonen om å sende en ny."
    )


def _close_invitation(invitation: Invitation, status: InvitationStatus, by: User) -> None:
    # One atomic UPDATE from pending decides between two answers given at once: only one
    # request moves the row, the other gets the "already answered" message.
    moved = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == InvitationStatus.PENDING,
               Invitation.expires_at > utcnow())
        .values(status=status, answered_at=utcnow(), answered_by_id=by.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        db.session.refresh(invitation)
        raise InvalidState(closed_invitation_message(invitation))
    db.session.refresh(invitation)


def accept_invitation(user: User, invitation_id: int) -> Membership:
    """Accept an invitation to the user's address: the user becomes a member, once.

    Raises NotFound for someone else's invitation, InvalidState when the address is not
    confirmed or the invitation is answered, withdrawn or expired.
    """
    invitation = get_invitation_for(user, invitation_id)
    _close_invitation(invitation, InvitationStatus.ACCEPTED, user)
    membership = _membership(invitation.organisation, user.id)
    if membership is None:
        try:
            # Two invitations to one person accepted at once: the unique constraint keeps one.
            with db.session.begin_nested():
                membership = Membership(user_id=user.id, organisation_id=invitation.organisation_id,
                                        role=MembershipRole.MEMBER)
                db.session.add(membership)
        except IntegrityError:
            membership = _membership(invitation.organisation, user.id)
    db.session.commit()
    return membership


def decline_invitation(user: User, invitation_id: int) -> Invitation:
    """Decline an invitation to the user's address; nothing else changes.

    Raises NotFound for someone else's invitation, InvalidState when the address is not
    confirmed or the invitation is answered, withdrawn or expired.
    """
    invitation = get_invitation_for(user, invitation_id)
    _close_invitation(invitation, InvitationStatus.DECLINED, user)
    db.session.commit()
    return invitation


def withdraw_invitation(actor: User, organisation: Organisation, invitation_id: int) -> Invitation:
    """Withdraw an unanswered invitation; its link then says so.

    Raises NotAllowed unless the actor administers the organisation, NotFound for an
    invitation of another organisation, InvalidState when it is already answered or expired.
    """
    if not can_manage_organisation(actor, organisation):
        raise NotAllowed(_("Bare organisasjonens administratorer kan trekke tilbake invitasjoner."))
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id:
        raise NotFound(_("Fant ikke invitasjonen."))
    _close_invitation(invitation, InvitationStatus.WITHDRAWN, actor)
    db.session.commit()
    return invitation


def remove_member(actor: User, organisation: Organisation, user_id: int) -> None:
    """Raises NotAllowed unless the actor administers it, InvalidState for the last admin."""
    if not can_manage_organisation(actor, organisation):
        raise NotAllowed(_("Bare organisasjonens administratorer kan fjerne medlemmer."))
    _lock_organisation(organisation)
    membership = _membership(organisation, user_id)
    if membership is None:
        raise NotFound(_("Personen er ikke medlem."))
    if membership.role == MembershipRole.ADMIN and _admin_count(organisation) <= 1:
        raise InvalidState(_("Organisasjonen må ha minst én administrator."))
    db.session.delete(membership)
    db.session.commit()


def set_member_role(
    actor: User, organisation: Organisation, user_id: int, role: MembershipRole | str
) -> Membership:
    """Make a member an administrator or back (how an admin hands over before leaving).

    Raises NotAllowed unless the actor administers the organisation, NotFound for a person
    who is not a member, InvalidInput for an unknown role, InvalidState when the last
    administrator would step down.
    """
    if not can_manage_organisation(actor, organisation):
        raise NotAllowed(_("Bare organisasjonens administratorer kan endre roller."))
    try:
        new_role = MembershipRole(role)
    except ValueError as exc:
        raise InvalidInput(_("Ukjent rolle: %(role)s", role=role)) from exc
    _lock_organisation(organisation)
    membership = _membership(organisation, user_id)
    if membership is None:
        raise NotFound(_("Personen er ikke medlem."))
    if (membership.role == MembershipRole.ADMIN and new_role != MembershipRole.ADMIN
            and _admin_count(organisation) <= 1):
        raise InvalidState(_("Organisasjonen må ha minst én administrator."))
    membership.role = new_role
    db.session.commit()
    return membership


def leave_organisation(user: User, organisation: Organisation) -> None:
    """The user leaves the organisation.

    Raises NotFound when the user is not a member, InvalidState for the last administrator,
    who must first make another member administrator.
    """
    _lock_organisation(organisation)
    membership = _membership(organisation, user.id)
    if membership is None:
        raise NotFound(_("Du er ikke medlem av denne organisasjonen."))
    if membership.role == MembershipRole.ADMIN and _admin_count(organisation) <= 1:
        raise InvalidState(_(
            "Du er den eneste administratoren av %(name)s. Gjør et annet medlem til "
            "administrator før du går ut, så organisasjonen ikke blir stående uten.",
            name=organisation.name,
        ))
    db.session.delete(membership)
    db.session.commit()


def _decide_organisation(actor: User, organisation: Organisation, status: VerificationStatus,
                         reason: str | None) -> None:
    """Move a pending organisation to `status` once, decided on the stored row.

    The conditional UPDATE (… WHERE status = pending) lets one of two moderators deciding at
    once win, on SQLite too; the other gets InvalidState and no audit row is written for it.
    """
    decided = db.session.execute(
        update(Organisation)
        .where(Organisation.id == organisation.id, Organisation.status == VerificationStatus.PENDING)
        .values(status=status, status_reason=reason, verified_by_id=actor.id, verified_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(organisation)
    if decided != 1:
        raise InvalidState(_("%(name)s er allerede verifisert eller avvist.", name=organisation.name))


def verify_organisation(actor: User, organisation: Organisation) -> Organisation:
    """Raises NotAllowed unless the actor may verify organisations, InvalidState when the
    organisation is no longer waiting (verified or rejected, also by a colleague just now)."""
    if not can(actor, "verify_organisations"):
        raise NotAllowed(_("Du har ikke tilgang til å verifisere organisasjoner."))
    _decide_organisation(actor, organisation, VerificationStatus.VERIFIED, None)
    signals.organisation_verified.send(actor, organisation=organisation, reason="")
    db.session.commit()
    return organisation


def reject_organisation(actor: User, organisation: Organisation, reason: str) -> Organisation:
    """Raises NotAllowed unless the actor may verify, InvalidInput without a reason,
    InvalidState when the organisation is no longer waiting."""
    if not can(actor, "verify_organisations"):
        raise NotAllowed(_("Du har ikke tilgang til å verifisere organisasjoner."))
    if not (reason or "").strip():
        raise InvalidInput(_("Skriv en begrunnelse."), fields={"reason": [_("Skriv en begrunnelse.")]})
    _decide_organisation(actor, organisation, VerificationStatus.REJECTED, reason.strip())
    signals.organisation_rejected.send(actor, organisation=organisation, reason=reason.strip())
    db.session.commit()
    return organisation


def organisations_awaiting_verification():
    return (
        select(Organisation)
        .where(Organisation.status == VerificationStatus.PENDING)
        .order_by(Organisation.created_at)
    )


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships with their organisations, by name, in one query."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.organisation)
            .options(contains_eager(Membership.organisation))
            .where(Membership.user_id == user.id)
            .order_by(func.lower(Organisation.name))
        )
    )


def verified_organisations_of(user: User) -> list[Organisation]:
    """The verified organisations the user can act for."""
    if user is None or not user.is_authenticated:
        return []
    return [m.organisation for m in user.memberships if m.organisation.is_verified]


# --- API tokens -----------------------------------------------------------------------


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the raw value is returned once and stored only as a hash.

    Raises InvalidInput without a name.
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Gi nøkkelen et navn."), fields={"name": [_("Gi nøkkelen et navn.")]})
    raw = "mv_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:80], token_hash=_hash_token(raw), prefix=raw[:10])
    db.session.add(token)
    db.session.commit()
    return token, raw


def revoke_api_token(user: User, token_id: int) -> None:
    """Raises NotFound when the token is not the user's."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("Fant ikke nøkkelen."))
    token.revoked_at = utcnow()
    db.session.commit()


def user_for_api_token(raw: str) -> User | None:
    # The token and its person in one statement: every call with a token reads both.
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _hash_token(raw), ApiToken.revoked_at.is_(None))
        .options(joinedload(ApiToken.user))
    )
    return token.user if token else None


# --- verified identities (OpenID Connect) -----------------------------------------------

# Accounts made from a sign-in without an e-mail get an address in the reserved .invalid
# domain (RFC 2606): users.email stays unique and required, and no mail can ever reach it.
NO_EMAIL_DOMAIN = "identity.invalid"
# Not a hash werkzeug can produce: no password ever matches it.
NO_PASSWORD = "!oidc"


def has_password(user: User) -> bool:
    return user.password_hash != NO_PASSWORD


def _identity_for(login) -> Identity | None:
    return db.session.scalar(
        select(Identity).where(Identity.issuer == login.issuer, Identity.person_hash == login.person_hash)
    )


def _apply_role_mapping(user: User, login) -> None:
    """Staff providers decide the role at every sign-in: out of the group, out of the role."""
    from app.accounts import oidc

    if login.kind != "staff":
        return
    role = Role(oidc.role_for_groups(login.provider, login.groups) or Role.RESIDENT)
    if user.role == Role.ADMIN and role != Role.ADMIN and _last_admin():
        # The directory removed the municipality's only administrator: nobody could then manage
        # users or settings. Keep the role until another admin exists, and say so in the log.
        log.warning("staff sign-in: user %s keeps the admin role as the last administrator", user.id)
        return
    if user.role != role:
        old_role = user.role
        user.role = role
        signals.role_changed.send(None, user=user, old_role=old_role, new_role=role)
        _drop_areas_outside_scoped_roles(None, user)


def sign_in_with_identity(login) -> User | None:
    """The account a verified sign-in belongs to (its level and time renewed), or None.

    None means a first sign-in: the person is asked for a name (create_user_with_identity).
    Staff providers' group mapping is applied to the role here, at every sign-in.
    """
    identity = _identity_for(login)
    if identity is None:
        return None
    identity.level = login.level
    identity.subject_hash = login.subject_hash or identity.subject_hash
    identity.verified_at = utcnow()
    _apply_role_mapping(identity.user, login)
    identity.user.last_seen_at = utcnow()
    db.session.commit()
    return identity.user


def _new_identity(user: User, login) -> Identity:
    return Identity(
        user=user, provider=login.provider, kind=login.kind, issuer=login.issuer,
        person_hash=login.person_hash, subject_hash=login.subject_hash or None,
        level=login.level, verified_at=utcnow(),
    )


def create_user_with_identity(login, full_name: str, email: str = "", locale: str | None = None) -> User:
    """Create the account of a person at their first verified sign-in.

    Raises InvalidInput for a bad name or e-mail, InvalidState when the e-mail belongs to
    another account (log in there and link) or the person already has an account.
    """
    email = normalise_email(email or "")
    _raise_if({"full_name": full_name_problem(full_name), "email": email_problem(email) if email else None})
    if email and get_user_by_email(email) is not None:
        message = _("Det finnes allerede en konto med denne e-postadressen. Logg inn med e-post og "
                    "passord, og knytt ID-porten til kontoen fra profilen din.")
        raise InvalidState(message, fields={"email": [message]})
    if _identity_for(login) is not None:
        raise InvalidState(_("Du har allerede en konto. Logg inn med ID-porten for å bruke den."))
    user = User(
        email=email or f"id-{secrets.token_hex(12)}@{NO_EMAIL_DOMAIN}",
        full_name=" ".join(full_name.split()),
        password_hash=NO_PASSWORD,
        locale=locale if locale in LOCALES else None,
        role=Role.RESIDENT,
        # A verified person takes part at once; a given address is confirmed as always, except
        # the one the municipality's own staff directory vouches for.
        confirmed_at=None if email and login.kind != "staff" else utcnow(),
    )
    db.session.add(user)
    db.session.add(_new_identity(user, login))
    try:
        db.session.flush()
    except IntegrityError as exc:
        # The same person, a moment ago, in another tab.
        db.session.rollback()
        raise InvalidState(_("Du har allerede en konto. Logg inn med ID-porten for å bruke den.")) from exc
    # After the flush: the role change is logged against the new account's id.
    _apply_role_mapping(user, login)
    if email and not user.is_confirmed:
        _queue_confirmation(user)
    db.session.commit()
    return user


def link_identity(user: User, login) -> Identity:
    """Link a verified sign-in to the signed-in account (one person, one account).

    Raises InvalidState when the person already has another account, or this account is
    already linked to another person at the same provider.
    """
    existing = _identity_for(login)
    if existing is not None and existing.user_id != user.id:
        raise InvalidState(_("Du har allerede en annen konto, som er knyttet til ID-porten. "
                             "Logg ut og logg inn med ID-porten for å bruke den."))
    if existing is None and any(i.issuer == login.issuer for i in user.identities):
        raise InvalidState(_("Kontoen er allerede knyttet til en annen person."))
    identity = existing or _new_identity(user, login)
    identity.level = login.level
    identity.subject_hash = login.subject_hash or identity.subject_hash
    identity.verified_at = utcnow()
    db.session.add(identity)
    _apply_role_mapping(user, login)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise InvalidState(_("Du har allerede en annen konto, som er knyttet til ID-porten. "
                             "Logg ut og logg inn med ID-porten for å bruke den.")) from exc
    return identity


def unlink_identity(user: User, identity_id: int) -> None:
    """Remove a linked identity from the account.

    Raises NotFound for someone else's identity, InvalidState when the account has no
    password (it could then not be reached any more).
    """
    identity = db.session.get(Identity, identity_id)
    if identity is None or identity.user_id != user.id:
        raise NotFound(_("Fant ikke koblingen."))
    if not has_password(user):
        raise InvalidState(_("Kontoen har ikke passord, så den kan ikke kobles fra ID-porten. "
                             "Uten koblingen kunne du ikke logget inn igjen."))
    db.session.delete(identity)
    db.session.commit()


def end_sessions_for_provider_session(provider: str, session_hash: str) -> int:
    """A front-channel logout: end the sessions of whoever signed in with that provider session.

    Every session of the person ends (sessions here are per person, not per device), as with a
    back-channel logout. Returns how many people were signed out.
    """
    user_ids = db.session.scalars(
        select(SignIn.user_id).where(SignIn.session_hash == session_hash,
                                     SignIn.method == f"oidc:{provider}"[:60]).distinct()
    ).all()
    users = db.session.scalars(select(User).where(User.id.in_(user_ids))).all() if user_ids else []
    for user in users:
        user.session_token = new_session_token()
    db.session.commit()
    return len(users)


def end_sessions_for_subject(issuer: str, subject_hash: str) -> int:
    """The provider ended a person's session (back-channel logout): end all of theirs here.

    Returns how many accounts were signed out (0 for a person we do not know: not an error,
    the provider tells every client).
    """
    users = db.session.scalars(
        select(User).join(Identity).where(Identity.issuer == issuer, Identity.subject_hash == subject_hash)
    ).all()
    for user in users:
        user.session_token = new_session_token()
    db.session.commit()
    return len(users)
