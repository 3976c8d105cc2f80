"""Forms of the portfolio domain: they check the shape of input; services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
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

from app.portfolio.models import KIND_LABELS, OUTCOME_LABELS, PHASE_LABELS


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
    meeting_date = DateField(_l("Møtedato"), validators=[InputRequired(_l("Skriv datoen for møtet."))],
                             render_kw={"type": "date"})
    outcome = RadioField(_l("Beslutning"), choices=[(o.value, label) for o, label in OUTCOME_LABELS.items()],
                         validators=[InputRequired(_l("Velg prioritert, utsatt eller avvist."))])
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
