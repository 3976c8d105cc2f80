"""Use cases of the ideas domain: propose, edit, withdraw, vote, endorse.

Each public function is one transaction; it checks permission, then state, then writes and
commits. A broken rule raises an error from core/errors.py. The pages, the JSON API and the
demo data all come through here.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Organisation, User
from app.accounts.permissions import can_act_for_organisation, participation_problem
from app.core.db import dialect_insert, utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotAuthenticated, NotFound
from app.core.input import to_int
from app.core.models import Sdg, ServiceArea
from app.extensions import db
from app.ideas import signals
from app.ideas.images import MAX_IMAGES, StoredImage
from app.ideas.models import (
    AUTHOR_TRANSITIONS,
    Endorsement,
    Idea,
    IdeaImage,
    IdeaStatus,
    StatusChange,
    Vote,
)
from app.ideas.permissions import ENDORSING_CLOSED, is_author

TITLE_MIN, TITLE_MAX = 5, 120
BODY_MIN, BODY_MAX = 20, 5000
PLACE_MAX = 200
ALT_MAX = 300
REASON_MAX = 1000
MAX_SDGS = 3


@dataclass
class ImageInput:
    """One picture of an idea: a new upload (already stored) or one the idea has (editing)."""

    image: StoredImage | None = None
    existing_id: int | None = None
    alt_text: str = ""
    decorative: bool = False
    slot: int = 1  # the form's slot, so an error lands next to the right field


@dataclass
class IdeaInput:
    title: str
    body: str
    service_area_id: int | None
    sdgs: list[int] = field(default_factory=list)
    place: str | None = None
    organisation_id: int | None = None
    images: list[ImageInput] = field(default_factory=list)


@dataclass(frozen=True)
class VoteState:
    voted: bool
    vote_count: int


@dataclass(frozen=True)
class EndorsementState:
    endorsed: bool
    endorsement_count: int


# --- checks shared by proposing and editing -----------------------------------------------


def _unverified_message(action: str | None) -> str:
    messages = {
        "propose": lambda: _("Kommunen krever at du bekrefter hvem du er med ID-porten før du foreslår en idé."),
        "vote": lambda: _("Kommunen krever at du bekrefter hvem du er med ID-porten før du stemmer."),
        "endorse": lambda: _("Kommunen krever at du bekrefter hvem du er med ID-porten før du støtter en idé "
                             "på vegne av en organisasjon."),
    }
    return messages.get(action, lambda: _("Kommunen krever at du bekrefter hvem du er med ID-porten før du deltar."))()


def require_participation(user: User | None, action: str | None = None) -> None:
    """Raises NotAuthenticated for a visitor, NotAllowed for an account that cannot take part.

    With `action` (propose, vote, endorse) the municipality may also require a verified
    identity (VERIFIED_IDENTITY_REQUIRED_FOR): NotAllowed for a person without one.
    """
    problem = participation_problem(user, action)
    if problem == "anonymous":
        raise NotAuthenticated(_("Logg inn for å delta."))
    if problem == "unconfirmed":
        raise NotAllowed(_("Bekreft e-postadressen din før du deltar. Vi har sendt deg en lenke."))
    if problem == "blocked":
        raise NotAllowed(_("Kontoen din er blokkert fra å delta. Du kan fortsatt lese alt."))
    if problem == "name_flagged":
        raise NotAllowed(_("Skriv ditt fulle navn på profilen din før du deltar."))
    if problem == "unverified":
        raise NotAllowed(_unverified_message(action))


def _clean(text: str | None) -> str:
    return (text or "").strip().replace("\r\n", "\n")


@dataclass
class _Checked:
    title: str
    body: str
    service_area: ServiceArea | None
    sdgs: list[Sdg]
    place: str | None
    organisation: Organisation | None
    images: list[ImageInput]


def _check(author: User, data: IdeaInput, current: Idea | None = None) -> _Checked:
    """Every rule on the content at once, so the person sees all problems in one go."""
    problems: dict[str, list[str]] = {}

    def problem(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    title = " ".join((data.title or "").split())
    if len(title) < TITLE_MIN:
        problem("title", _("Skriv en tittel på minst %(n)d tegn.", n=TITLE_MIN))
    elif len(title) > TITLE_MAX:
        problem("title", _("Tittelen kan være høyst %(n)d tegn. Nå er den %(len)d.", n=TITLE_MAX, len=len(title)))

    body = _clean(data.body)
    if len(body) < BODY_MIN:
        problem("body", _("Beskriv idéen med minst %(n)d tegn.", n=BODY_MIN))
    elif len(body) > BODY_MAX:
        problem("body", _("Beskrivelsen kan være høyst %(n)d tegn. Nå er den %(len)d.", n=BODY_MAX, len=len(body)))

    service_area = db.session.get(ServiceArea, data.service_area_id) if data.service_area_id else None
    keeps_current = current is not None and service_area is not None and service_area.id == current.service_area_id
    if service_area is None:
        problem("service_area_id", _("Velg hvilket tema idéen gjelder."))
    elif (service_area.retired or service_area.municipal_area.retired) and not keeps_current:
        problem("service_area_id", _("Dette temaet er ikke i bruk lenger. Velg et annet."))

    numbers = []
    for raw in data.sdgs or []:
        # Goal numbers are 1 to 17; anything else (a word, 10**20) is 0, which no goal has.
        number = to_int(raw) or 0
        if number not in numbers:
            numbers.append(number)
    sdgs: list[Sdg] = []
    if len(numbers) > MAX_SDGS:
        problem("sdgs", _("Velg høyst tre bærekraftsmål. Du har valgt %(n)d.", n=len(numbers)))
    elif numbers:
        sdgs = list(db.session.scalars(select(Sdg).where(Sdg.number.in_(numbers)).order_by(Sdg.number)))
        if len(sdgs) != len(numbers):
            problem("sdgs", _("Bærekraftsmålene har numrene 1 til 17."))

    place = " ".join((data.place or "").split()) or None
    if place and len(place) > PLACE_MAX:
        problem("place", _("Stedet kan være høyst %(n)d tegn.", n=PLACE_MAX))

    organisation = None
    if data.organisation_id:
        organisation = db.session.get(Organisation, data.organisation_id)
        if organisation is None:
            problem("organisation_id", _("Fant ikke organisasjonen."))

    images = [img for img in data.images or [] if img.image is not None or img.existing_id is not None]
    if len(images) > MAX_IMAGES:
        problem("images", _("Du kan legge ved høyst tre bilder."))
    for img in images:
        img.alt_text = " ".join((img.alt_text or "").split())
        if img.decorative:
            img.alt_text = ""
        elif not img.alt_text:
            problem(f"alt_{img.slot}", _("Beskriv hva bilde %(n)d viser, eller kryss av for at det bare er pynt.", n=img.slot))
        elif len(img.alt_text) > ALT_MAX:
            problem(f"alt_{img.slot}", _("Bildeteksten kan være høyst %(n)d tegn.", n=ALT_MAX))
        if img.existing_id is not None and (
            current is None or all(existing.id != img.existing_id for existing in current.images)
        ):
            problem(f"image_{img.slot}", _("Bildet hører ikke til denne idéen."))

    if problems:
        first = next(iter(problems.values()))[0]
        raise InvalidInput(first, fields=problems)

    # Acting for an organisation is a permission, checked once the input itself is sound.
    if organisation is not None and not can_act_for_organisation(author, organisation):
        message = (
            _("%(name)s er ikke verifisert ennå, så du kan ikke skrive på vegne av den.", name=organisation.name)
            if not organisation.is_verified
            else _("Du er ikke medlem av %(name)s og kan ikke skrive på vegne av den.", name=organisation.name)
        )
        raise NotAllowed(message, fields={"organisation_id": [message]})
    return _Checked(title, body, service_area, sdgs, place, organisation, images)


def check_idea(author: User, data: IdeaInput, current: Idea | None = None) -> None:
    """Check a proposal (or, with `current`, an edit) without saving it.

    Used by the step that shows similar ideas first. Raises the same errors as submit_idea.
    """
    # An edit is not a new proposal: the author proposed it under the rules of the day.
    require_participation(author, "propose" if current is None else None)
    if current is not None:
        data.organisation_id = None
    _check(author, data, current=current)


# --- propose, edit, withdraw ---------------------------------------------------------------------


def _image_rows(images: list[ImageInput]) -> list[IdeaImage]:
    return [
        IdeaImage(
            filename=img.image.filename, content_type=img.image.content_type,
            width=img.image.width, height=img.image.height,
            alt_text=img.alt_text, decorative=img.decorative, position=position,
        )
        for position, img in enumerate(images)
        if img.image is not None
    ]


def submit_idea(author: User, data: IdeaInput, *, created_at=None) -> Idea:
    """Publish a new idea at once (moderation comes afterwards).

    Raises NotAuthenticated/NotAllowed when the author cannot take part (or has no verified
    identity where proposing needs one) or cannot act for the chosen organisation, InvalidInput (with fields) for content that breaks a rule.
    `created_at` is for the demo data only.
    """
    require_participation(author, "propose")
    checked = _check(author, data)
    idea = Idea(
        title=checked.title,
        body=checked.body,
        author_id=author.id,
        organisation_id=checked.organisation.id if checked.organisation else None,
        service_area_id=checked.service_area.id,
        place=checked.place,
        status=IdeaStatus.SUBMITTED,
    )
    if created_at is not None:
        idea.created_at = idea.updated_at = created_at
    idea.sdgs = checked.sdgs
    idea.images = _image_rows(checked.images)
    db.session.add(idea)
    db.session.flush()
    signals.idea_submitted.send(author, idea=idea)
    db.session.commit()
    return idea


def get_idea(idea_id: int) -> Idea:
    """Raises NotFound."""
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        raise NotFound(_("Fant ikke idéen."))
    return idea


def _require_editable(actor: User, idea: Idea) -> None:
    require_participation(actor)
    if not is_author(actor, idea):
        raise NotAllowed(_("Bare den som foreslo idéen, kan endre den."))
    if not idea.is_visible:
        raise InvalidState(_("Idéen er skjult av moderatorene og kan ikke endres nå."))
    if idea.first_answered_at is not None or idea.status != IdeaStatus.SUBMITTED:
        raise InvalidState(_("Kommunen har begynt å behandle idéen, så den kan ikke endres lenger."))


def update_idea(actor: User, idea: Idea, data: IdeaInput) -> Idea:
    """The author changes title, description, topic, SDGs, place and pictures.

    Only until staff first answer the idea; the page then shows it was edited.
    Raises NotAllowed for anyone but the author, InvalidState once answered, hidden or
    withdrawn, InvalidInput for content that breaks a rule. The organisation cannot change.
    """
    _require_editable(actor, idea)
    data.organisation_id = None  # who it is posted for stays as it was
    checked = _check(actor, data, current=idea)
    changed = (
        checked.title != idea.title
        or checked.body != idea.body
        or checked.service_area.id != idea.service_area_id
        or [s.number for s in checked.sdgs] != [s.number for s in idea.sdgs]
        or checked.place != idea.place
    )
    idea.title, idea.body, idea.place = checked.title, checked.body, checked.place
    idea.service_area_id = checked.service_area.id
    idea.sdgs = checked.sdgs

    existing = {image.id: image for image in idea.images}
    kept: list[IdeaImage] = []
    for position, img in enumerate(checked.images):
        if img.existing_id is not None:
            row = existing[img.existing_id]
            if (row.alt_text, row.decorative, row.position) != (img.alt_text, img.decorative, position):
                changed = True
            row.alt_text, row.decorative, row.position = img.alt_text, img.decorative, position
            kept.append(row)
        else:
            row = _image_rows([img])[0]
            row.position = position
            kept.append(row)
            changed = True
    if {row.id for row in kept if row.id} != set(existing):
        changed = True
    idea.images = kept
    if changed:
        idea.edited_at = utcnow()
        signals.idea_edited.send(actor, idea=idea)
    db.session.commit()
    return idea


def withdraw_idea(actor: User, idea: Idea, reason: str = "") -> Idea:
    """The author takes back an idea that is still `submitted`; the reason is shown publicly.

    Raises NotAllowed for anyone but the author, InvalidState when it is no longer submitted,
    InvalidInput for a reason over 1000 characters.
    """
    require_participation(actor)
    if not is_author(actor, idea):
        raise NotAllowed(_("Bare den som foreslo idéen, kan trekke den tilbake."))
    too_late = _("Idéen kan bare trekkes tilbake før kommunen har begynt å behandle den.")
    if IdeaStatus.WITHDRAWN not in AUTHOR_TRANSITIONS.get(idea.status, frozenset()):
        raise InvalidState(too_late)
    reason = _clean(reason)
    if len(reason) > REASON_MAX:
        message = _("Begrunnelsen kan være høyst %(n)d tegn.", n=REASON_MAX)
        raise InvalidInput(message, fields={"reason": [message]})
    from_status = idea.status
    # Only while the idea still has the status read above: a portfolio manager's answer (or
    # merge) committed a moment ago wins, as it does between two managers (apply_status).
    moved = db.session.execute(
        update(Idea).where(Idea.id == idea.id, Idea.status == from_status)
        .values(status=IdeaStatus.WITHDRAWN, withdrawn_reason=reason or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise InvalidState(too_late)
    db.session.add(
        StatusChange(
            idea_id=idea.id, from_status=from_status, to_status=IdeaStatus.WITHDRAWN,
            explanation=reason, changed_by_id=actor.id,
        )
    )
    set_committed_value(idea, "status", IdeaStatus.WITHDRAWN)
    set_committed_value(idea, "withdrawn_reason", reason or None)
    signals.idea_withdrawn.send(actor, idea=idea, reason=reason)
    db.session.commit()
    return idea


# --- votes ------------------------------------------------------------------------------------------


def _vote_count(idea_id: int) -> int:
    return db.session.scalar(select(Idea.vote_count).where(Idea.id == idea_id)) or 0


def _require_voting_open(idea: Idea) -> None:
    if not idea.is_visible:
        raise InvalidState(_("Idéen er skjult av moderatorene, så du kan ikke stemme på den nå."))
    if not idea.voting_open:
        raise InvalidState(_closed_message(idea))


def _closed_message(idea: Idea) -> str:
    """Why support is closed: only while an idea can still be delivered is it open (VOTING_OPEN)."""
    if idea.status == IdeaStatus.IMPLEMENTED:
        return _("Avstemningen er stengt: idéen er gjennomført.")
    if idea.status == IdeaStatus.DECLINED:
        return _("Avstemningen er stengt: kommunen har avslått idéen.")
    if idea.status == IdeaStatus.MERGED:
        return _("Avstemningen er stengt: idéen er slått sammen med en annen. Stem på den i stedet.")
    return _("Avstemningen er stengt: idéen er trukket tilbake.")


def vote_for_idea(actor: User, idea_id: int) -> VoteState:
    """One vote per person while voting is open; voting again changes nothing.

    The vote row and the counter change in one transaction; the unique constraint settles
    a race between two requests of the same person (the loser sees "already voted").
    Raises NotAuthenticated/NotAllowed (also without a verified identity where voting needs
    one), NotFound, InvalidState when voting is closed.
    """
    require_participation(actor, "vote")
    idea = get_idea(idea_id)
    _require_voting_open(idea)
    # One statement adds the vote or finds it there (also when a parallel request of the same
    # person just added it: the unique constraint decides, nothing is raised).
    added = db.session.execute(
        dialect_insert()(Vote).values(idea_id=idea_id, user_id=actor.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=[Vote.idea_id, Vote.user_id]).returning(Vote.id)
    ).first()
    if added is None:  # voted before: nothing was written
        return VoteState(True, _vote_count(idea_id))
    count = db.session.execute(
        update(Idea).where(Idea.id == idea_id).values(vote_count=Idea.vote_count + 1)
        .returning(Idea.vote_count).execution_options(synchronize_session=False)
    ).scalar_one()
    signals.vote_cast.send(actor, idea_id=idea_id)
    db.session.commit()
    return VoteState(True, count)


def withdraw_vote(actor: User, idea_id: int) -> VoteState:
    """Take a vote back while voting is open; without a vote this changes nothing.

    Needs no verified identity: a vote cast before the municipality required one can be taken back.

    Raises NotAuthenticated/NotAllowed, NotFound, InvalidState when voting is closed.
    """
    require_participation(actor)
    idea = get_idea(idea_id)
    _require_voting_open(idea)
    deleted = db.session.execute(
        delete(Vote).where(Vote.idea_id == idea_id, Vote.user_id == actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if deleted:
        db.session.execute(
            update(Idea).where(Idea.id == idea_id).values(vote_count=Idea.vote_count - deleted)
            .execution_options(synchronize_session=False)
        )
        signals.vote_withdrawn.send(actor, idea_id=idea_id)
    db.session.commit()
    return VoteState(False, _vote_count(idea_id))


# --- endorsements -------------------------------------------------------------------------------


def _endorsement_count(idea_id: int) -> int:
    return db.session.scalar(select(Idea.endorsement_count).where(Idea.id == idea_id)) or 0


def _organisation_for(actor: User, organisation_id: int | None) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        message = _("Velg en organisasjon.") if not organisation_id else _("Fant ikke organisasjonen.")
        raise InvalidInput(message, fields={"organisation_id": [message]})
    if not can_act_for_organisation(actor, organisation):
        if not organisation.is_verified:
            raise NotAllowed(_("%(name)s er ikke verifisert ennå og kan ikke støtte idéer.", name=organisation.name))
        raise NotAllowed(_("Bare medlemmer av %(name)s kan støtte idéer på vegne av den.", name=organisation.name))
    return organisation


def endorse_idea(actor: User, idea_id: int, organisation_id: int | None) -> EndorsementState:
    """A verified organisation stands behind the idea; once per organisation, so again is a no-op.

    Raises NotAuthenticated/NotAllowed (not a member, organisation not verified, no verified
    identity where endorsing needs one), NotFound, InvalidInput
    without an organisation, InvalidState for a hidden, withdrawn or merged idea.
    """
    require_participation(actor, "endorse")
    idea = get_idea(idea_id)
    organisation = _organisation_for(actor, organisation_id)
    if not idea.is_visible:
        raise InvalidState(_("Idéen er skjult av moderatorene og kan ikke støttes nå."))
    if idea.status in ENDORSING_CLOSED:
        raise InvalidState(_("Idéen er ikke lenger åpen for støtte."))
    exists_ = db.session.scalar(
        select(Endorsement.id).where(Endorsement.idea_id == idea_id, Endorsement.organisation_id == organisation.id)
    )
    if exists_ is None:
        try:
            db.session.add(Endorsement(idea_id=idea_id, organisation_id=organisation.id, endorsed_by_id=actor.id))
            db.session.flush()
            db.session.execute(
                update(Idea).where(Idea.id == idea_id).values(endorsement_count=Idea.endorsement_count + 1)
                .execution_options(synchronize_session=False)
            )
            signals.idea_endorsed.send(actor, idea=idea, organisation=organisation)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another member of the same organisation was first
    return EndorsementState(True, _endorsement_count(idea_id))


def withdraw_endorsement(actor: User, idea_id: int, organisation_id: int | None) -> EndorsementState:
    """Any member of the organisation may take its endorsement back; without one, a no-op.

    Raises NotAuthenticated/NotAllowed, NotFound, InvalidInput without an organisation.
    """
    require_participation(actor)
    idea = get_idea(idea_id)
    organisation = _organisation_for(actor, organisation_id)
    deleted = db.session.execute(
        delete(Endorsement).where(Endorsement.idea_id == idea.id, Endorsement.organisation_id == organisation.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if deleted:
        db.session.execute(
            update(Idea).where(Idea.id == idea.id).values(endorsement_count=Idea.endorsement_count - deleted)
            .execution_options(synchronize_session=False)
        )
        signals.endorsement_withdrawn.send(actor, idea=idea, organisation=organisation)
    db.session.commit()
    return EndorsementState(False, _endorsement_count(idea_id))
