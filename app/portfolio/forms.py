"""Forms of the portfolio domain: they check the shape of input; services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.portfolio.models import KIND_LABELS, OUTCOME_LABELS, PHASE_LABELS, DecisionOutcome


class AreaNameForm(FlaskForm):
    """An area's names: bokmål required; nynorsk and English shown instead where given.
    Their lengths and characters are the service's rule (one message for the pages and API)."""

    name = StringField(_l("Navn (bokmål)"), validators=[DataRequired(_l("Skriv et navn."))])
    name_nn = StringField(_l("Navn (nynorsk)"), description=_l("Valgfritt. Tomt: navnet på bokmål vises."))
    name_en = StringField(_l("Navn (engelsk)"), description=_l("Valgfritt. Tomt: navnet på bokmål vises."))


def _optional_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class StatusForm(FlaskForm):
    status = SelectField(_l("Ny status"), validators=[DataRequired(_l("Velg en status."))])
    explanation = TextAreaField(
        _l("Offentlig begrunnelse"),
        description=_l("Vises på idéen som kommunens svar. Må fylles ut for «godtatt» og «avslått»."),
        validators=[Length(max=5000)],
    )


class MergeForm(FlaskForm):
    """The target is chosen by its title (the search beside the form); its id travels hidden."""

    into_id = IntegerField(
        _l("Idéen den skal slås sammen med"), widget=HiddenInput(),
        validators=[InputRequired(_l("Søk opp og velg idéen den skal slås sammen med."))],
    )
    explanation = TextAreaField(
        _l("Offentlig begrunnelse"),
        validators=[DataRequired(_l("Skriv en offentlig begrunnelse.")), Length(max=5000)],
    )


class LinkProjectForm(FlaskForm):
    """From the idea's side: the project, chosen by its title."""

    project_id = IntegerField(_l("Prosjekt"), widget=HiddenInput(),
                              validators=[InputRequired(_l("Søk opp og velg et prosjekt."))])
    note = TextAreaField(
        _l("Offentlig merknad"),
        description=_l("Hvorfor idéen hører til prosjektet. En idé som ikke er besvart ennå, blir godtatt, og merknaden blir svaret."),
        validators=[Length(max=2000)],
    )


class LinkIdeaForm(FlaskForm):
    """From the project's side: the idea, chosen by its title."""

    idea_id = IntegerField(
        _l("Idé"), widget=HiddenInput(),
        validators=[InputRequired(_l("Søk opp og velg en idé."))],
    )
    note = TextAreaField(
        _l("Offentlig merknad"),
        description=_l("Hvorfor idéen hører til prosjektet. En idé som ikke er besvart ennå, blir godtatt, og merknaden blir svaret."),
        validators=[Length(max=2000)],
    )


class ProjectForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(_l("Skriv en tittel.")), Length(min=3, max=200)])
    description = TextAreaField(
        _l("Beskrivelse"),
        description=_l("Markdown: **fet**, *kursiv*, lister med - og lenker. HTML vises ikke."),
        validators=[Length(max=20000)],
    )
    kind = SelectField(_l("Type arbeid"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    phase = SelectField(_l("Fase"), choices=[(p.value, label) for p, label in PHASE_LABELS.items()])
    owner_service_area_id = SelectField(
        _l("Eier (virksomhetsområde)"), coerce=_optional_int,
        validators=[DataRequired(_l("Velg virksomhetsområdet som eier arbeidet."))],
    )
    service_area_ids = SelectMultipleField(
        _l("Andre virksomhetsområder som deltar"), coerce=int, validate_choice=False
    )
    responsible_id = SelectField(_l("Ansvarlig"), coerce=_optional_int, validate_choice=False)
    sdgs = SelectMultipleField(_l("Bærekraftsmål"), coerce=int, validate_choice=False)
    local_target_ids = SelectMultipleField(_l("Lokale delmål"), coerce=int, validate_choice=False)
    estimated_cost = StringField(
        _l("Anslått kostnad (kroner)"), description=_l("Hele kroner, for eksempel 2 400 000."),
        validators=[Length(max=20)],
    )
    planned_start = DateField(_l("Planlagt start"), validators=[Optional()],
                              render_kw={"type": "date"})
    planned_end = DateField(_l("Planlagt slutt"), validators=[Optional()], render_kw={"type": "date"})
    progress = IntegerField(
        _l("Framdrift (prosent)"), default=0,
        validators=[Optional(), NumberRange(0, 100, _l("Framdrift er et tall fra 0 til 100."))],
        render_kw={"inputmode": "numeric"},
    )
    public = BooleanField(_l("Offentlig (vises for alle)"), default=True)
    phase_explanation = TextAreaField(
        _l("Forklaring av faseendringen"),
        description=_l("Vises på idéene som hører til prosjektet når fasen endres. Må fylles ut når prosjektet avlyses."),
        validators=[Length(max=2000)],
    )

    def values(self) -> dict:
        return {
            "title": self.title.data, "description": self.description.data,
            "kind": self.kind.data, "phase": self.phase.data,
            "owner_service_area_id": self.owner_service_area_id.data,
            "service_area_ids": self.service_area_ids.data or [],
            "responsible_id": self.responsible_id.data,
            "sdgs": self.sdgs.data or [], "local_target_ids": self.local_target_ids.data or [],
            "estimated_cost": self.estimated_cost.data, "planned_start": self.planned_start.data,
            "planned_end": self.planned_end.data, "progress": self.progress.data or 0,
            "public": bool(self.public.data), "phase_explanation": self.phase_explanation.data or "",
        }


class PhaseForm(FlaskForm):
    """Move the project to another phase; the linked ideas follow (services.change_project_phase)."""

    phase = SelectField(_l("Ny fase"), choices=[(p.value, label) for p, label in PHASE_LABELS.items()],
                        validators=[DataRequired(_l("Velg en fase."))])
    explanation = TextAreaField(
        _l("Forklaring"),
        description=_l("Vises på idéene som hører til prosjektet. Må fylles ut når prosjektet avlyses."),
        validators=[Length(max=2000)],
    )


class UpdateForm(FlaskForm):
    text = TextAreaField(_l("Hva har skjedd?"), validators=[DataRequired(_l("Skriv hva som har skjedd.")),
                                                            Length(max=5000)])
    progress = IntegerField(
        _l("Ny framdrift (prosent, valgfritt)"),
        validators=[Optional(), NumberRange(0, 100, _l("Framdrift er et tall fra 0 til 100."))],
        render_kw={"inputmode": "numeric"},
    )


class DecisionForm(FlaskForm):
    """A decision outside a meeting's minutes; merging with another project is done in the
    minutes (MeetingDecisionForm), where the other project is found by its title."""

    meeting_date = DateField(_l("Møtedato"), validators=[InputRequired(_l("Skriv datoen for møtet."))],
                             render_kw={"type": "date"})
    outcome = RadioField(_l("Beslutning"), choices=[(o.value, label) for o, label in OUTCOME_LABELS.items()
                                                    if o != DecisionOutcome.MERGED],
                         validators=[InputRequired(_l("Velg hva forumet besluttet."))])
    # Text, not a DateField: the service reads it and says what is wrong in the person's language.
    deferred_to = StringField(_l("Utsatt til"), description=_l("Må fylles ut når saken er utsatt."),
                              render_kw={"type": "date"})
    rationale = TextAreaField(_l("Begrunnelse"), validators=[
        DataRequired(_l("Skriv begrunnelsen for beslutningen.")), Length(max=5000)])


class CriterionForm(FlaskForm):
    key = StringField(_l("Nøkkel"), description=_l("Små bokstaver og understrek, for eksempel klimaeffekt. Kan ikke endres senere."),
                      validators=[Length(max=40)])
    name_nb = StringField(_l("Navn (bokmål)"), validators=[DataRequired(_l("Skriv navnet på bokmål.")), Length(max=120)])
    name_nn = StringField(_l("Navn (nynorsk)"), validators=[Length(max=120)])
    name_en = StringField(_l("Navn (engelsk)"), validators=[Length(max=120)])
    description_nb = TextAreaField(_l("Forklaring (bokmål)"), validators=[Length(max=2000)])
    description_nn = TextAreaField(_l("Forklaring (nynorsk)"), validators=[Length(max=2000)])
    description_en = TextAreaField(_l("Forklaring (engelsk)"), validators=[Length(max=2000)])
    weight = IntegerField(_l("Vekt (0–100)"), validators=[
        InputRequired(_l("Skriv en vekt fra 0 til 100.")),
        NumberRange(0, 100, _l("Vekten er et helt tall fra 0 til 100."))])


class LocalTargetForm(FlaskForm):
    sdg = SelectField(_l("Bærekraftsmål"), coerce=_optional_int, validators=[DataRequired(_l("Velg et bærekraftsmål."))])
    code = StringField(_l("Kode"), description=_l("For eksempel 11.2-L1."),
                       validators=[DataRequired(_l("Skriv en kode.")), Length(max=20)])
    text_nb = TextAreaField(_l("Delmål (bokmål)"), validators=[DataRequired(_l("Skriv delmålet på bokmål.")), Length(max=2000)])
    text_nn = TextAreaField(_l("Delmål (nynorsk)"), validators=[Length(max=2000)])
    text_en = TextAreaField(_l("Delmål (engelsk)"), validators=[Length(max=2000)])


# --- the forum's meetings ----------------------------------------------------------------
# The meeting forms carry no rules of their own: app/portfolio/meetings.py checks every field at
# once and says what is wrong next to each (a form that stopped at the first would hide the rest).


class MeetingForm(FlaskForm):
    title = StringField(_l("Tittel"), render_kw={"maxlength": 200})
    meeting_date = StringField(_l("Møtedato"), render_kw={"type": "date"})
    participant_ids = SelectMultipleField(_l("Deltakere fra kommunen"), coerce=_optional_int,
                                          validate_choice=False)
    guests = TextAreaField(
        _l("Gjester"), description=_l("Andre som deltar, for eksempel fra et selskap eller en annen "
                                      "kommune. Én per linje, med navn og hvor de kommer fra."),
    )
    budget = StringField(
        _l("Budsjettramme (kroner)"),
        description=_l("Pengene forumet prioriterer innenfor. Tavla trekker budsjettlinjen her. Hele kroner, "
                       "for eksempel 12 000 000. Tomt: ingen linje."),
        render_kw={"inputmode": "numeric"},
    )
    status = RadioField(_l("Status"), choices=[("planned", _l("Planlagt")), ("held", _l("Holdt"))],
                        default="planned", validate_choice=False)

    def values(self, with_status: bool = True) -> dict:
        values = {
            "title": self.title.data or "", "meeting_date": self.meeting_date.data or "",
            "participant_ids": [i for i in (self.participant_ids.data or []) if i is not None],
            "guests": self.guests.data or "", "budget": self.budget.data or "",
        }
        if with_status:
            values["status"] = self.status.data
        return values


class MeetingDecisionForm(FlaskForm):
    """One agenda item's decision in the minutes. `based_on` is the decision the person saw
    (empty for a new one), so nobody overwrites a decision they have not read."""

    outcome = RadioField(_l("Beslutning"), choices=[(o.value, label) for o, label in OUTCOME_LABELS.items()],
                         validate_choice=False)
    deferred_to = StringField(_l("Utsatt til"), description=_l("Må fylles ut når saken er utsatt."),
                              render_kw={"type": "date"})
    merged_into_id = StringField(_l("Prosjektet det slås sammen med"), widget=HiddenInput())
    rationale = TextAreaField(_l("Begrunnelse"), description=_l("Vises på prosjektets side sammen med beslutningen."))
    based_on = StringField(widget=HiddenInput())

    def values(self) -> dict:
        return {"outcome": self.outcome.data, "rationale": self.rationale.data or "",
                "deferred_to": self.deferred_to.data or "", "merged_into_id": self.merged_into_id.data or ""}


class SystemForm(FlaskForm):
    """A system in use. Lengths, the date, the address and the areas are the service's rule
    (app/portfolio/systems.py), so the pages, the import and the CLI give the same messages."""

    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv navnet på systemet."))])
    supplier = StringField(_l("Leverandør"))
    owner_area_id = SelectField(_l("Eier (kommunalområde)"), coerce=_optional_int, validate_choice=False,
                                validators=[DataRequired(_l("Velg kommunalområdet som eier systemet."))])
    area_ids = SelectMultipleField(_l("Kommunalområder som bruker systemet"), coerce=_optional_int,
                                   validate_choice=False)
    contract_end = StringField(_l("Kontraktslutt"), description=_l("Valgfritt. For eksempel 31.12.2027."),
                               render_kw={"type": "date"})
    description = TextAreaField(_l("Hva systemet gjør"))
    url = StringField(_l("Nettadresse"), description=_l("Valgfritt. Leverandørens eller kommunens side om systemet."),
                      render_kw={"type": "url", "inputmode": "url"})

    def values(self) -> dict:
        return {
            "name": self.name.data or "", "supplier": self.supplier.data or "",
            "owner_area_id": self.owner_area_id.data, "area_ids": self.area_ids.data or [],
            "contract_end": self.contract_end.data or "", "description": self.description.data or "",
            "url": self.url.data or "",
        }


class SystemImportForm(FlaskForm):
    """A CSV file of systems, uploaded or pasted; the service reads and checks it."""

    file = FileField(_l("CSV-fil"))
    text = TextAreaField(_l("… eller lim inn innholdet"),
                         description=_l("Med overskriftene på første linje, som i filen."))


class GroupForm(FlaskForm):
    """A competence group: its names, what it assesses, and the areas it covers (or all of them).
    Lengths, names taken and the areas are the service's rules (app/portfolio/groups.py)."""

    name = StringField(_l("Navn (bokmål)"), validators=[DataRequired(_l("Skriv et navn."))])
    name_nn = StringField(_l("Navn (nynorsk)"), description=_l("Valgfritt. Tomt: navnet på bokmål vises."))
    name_en = StringField(_l("Navn (engelsk)"), description=_l("Valgfritt. Tomt: navnet på bokmål vises."))
    description = TextAreaField(_l("Hva gruppen vurderer (valgfritt)"))
    cross_cutting = BooleanField(
        _l("Tverrgående: gruppen vurderer prosjekter i alle kommunalområder"),
        description=_l("For eksempel IT og informasjonssikkerhet. Kommunalområdene under gjelder ikke da."),
    )
    area_ids = SelectMultipleField(_l("Kommunalområder gruppen vurderer prosjekter for"),
                                   coerce=str, validate_choice=False)

    def values(self) -> dict:
        return {
            "name": self.name.data or "", "name_nn": self.name_nn.data or "",
            "name_en": self.name_en.data or "", "description": self.description.data or "",
            "cross_cutting": bool(self.cross_cutting.data), "area_ids": list(self.area_ids.data or []),
        }


class GroupMemberForm(FlaskForm):
    member = SelectField(_l("Ansatt"), validate_choice=False,
                         validators=[DataRequired(_l("Velg en ansatt fra listen."))])


class PriorityForm(FlaskForm):
    """A project's political and administrative priority (app/portfolio/priorities.py); the
    choices are set by the view, the rules are the service's (a decision needs its case number
    and date; the date not in the future)."""

    political_priority = RadioField(_l("Vedtak i kommunestyret"), validate_choice=False)
    council_case_number = StringField(_l("Saksnummer"), description=_l("For eksempel 2026/123. Høyst 40 tegn."))
    council_decision_date = StringField(_l("Dato for vedtaket"), description=_l("ÅÅÅÅ-MM-DD."),
                                        render_kw={"type": "date"})
    council_decision_text = TextAreaField(_l("Kort om vedtaket (valgfritt)"), description=_l("Høyst 500 tegn."))
    administrative_priority = RadioField(_l("Administrativ prioritet"), validate_choice=False,
                                         description=_l("Rådmannens ledergruppes prioritet."))

    def values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in (
            "political_priority", "council_case_number", "council_decision_date",
            "council_decision_text", "administrative_priority")}
