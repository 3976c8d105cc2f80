"""Public pages of innbyggerforslag: the list, one initiative, propose, sign, submit."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.accounts import services as account_services
from app.accounts.permissions import participation_problem
from app.core.errors import InvalidInput, NotAuthenticated, ServiceError
from app.core.forms import apply_errors
from app.core.input import to_int
from app.core.pagecache import public_page
from app.core.pagination import page_args
from app.core.ratelimit import limit, succeeded
from app.core.templating import format_day
from app.extensions import db
from app.ideas.models import Idea
from app.ideas.queries import service_areas_grouped
from app.initiatives import bp, queries, services
from app.initiatives.forms import InitiativeForm, SignForm
from app.initiatives.labels import status_colour, status_label
from app.initiatives.models import Initiative
from app.initiatives.permissions import (
    can_manage_initiatives,
    can_moderate_initiative,
    can_sign_initiative,
    can_submit_initiative,
    can_view_initiative,
    is_proposer,
)


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.app_template_filter("initiative_status")
def _status_filter(status) -> str:
    return status_label(status)


@bp.app_template_filter("initiative_last_day")
def _last_day_filter(initiative):
    return services.collection_last_day(initiative)


@bp.app_template_filter("initiative_status_colour")
def _status_colour_filter(status) -> str:
    return status_colour(status)


# --- the list -----------------------------------------------------------------------------


@bp.route("/initiatives")
@public_page
def index():
    filters = queries.InitiativeFilters.from_args(request.args)
    page_number, per_page = page_args(default_per_page=current_app.config["PER_PAGE"], max_per_page=100)
    page = queries.list_initiatives(filters, page_number, per_page)
    return render_template(
        "initiatives/index.html", page=page, filters=filters, counts=queries.status_counts(),
        threshold=services.current_threshold(), mine=queries.mine(_viewer()),
    )


# --- one initiative -----------------------------------------------------------------------


def _load_or_404(initiative_id: int) -> Initiative:
    initiative = queries.load_initiative(initiative_id)
    if initiative is None or not can_view_initiative(_viewer(), initiative):
        abort(404)
    return initiative


def _sign_form(formdata=None) -> SignForm:
    form = SignForm(formdata=formdata)
    form.confirmed_resident.label.text = _("Jeg er folkeregistrert som bosatt i %(municipality)s",
                                           municipality=current_app.config["MUNICIPALITY_NAME"])
    return form


def _detail_page(initiative: Initiative, sign_form: SignForm | None = None, status: int = 200):
    viewer = _viewer()
    names, names_total = queries.public_signer_names(initiative.id) if initiative.is_public else ([], 0)
    idea = db.session.get(Idea, initiative.from_idea_id) if initiative.from_idea_id else None
    threshold = initiative.signature_threshold or services.current_threshold()
    return render_template(
        "initiatives/detail.html",
        initiative=initiative,
        status=initiative.current_status,
        threshold=threshold,
        idea=idea if idea is not None and idea.is_visible else None,
        signature=queries.signature_of(viewer, initiative.id),
        sign_form=sign_form or _sign_form(),
        can_sign=can_sign_initiative(viewer, initiative),
        verify_to_sign=initiative.is_collecting and participation_problem(viewer, "sign") == "unverified",
        can_submit=can_submit_initiative(viewer, initiative),
        is_proposer=is_proposer(viewer, initiative),
        can_moderate=can_moderate_initiative(viewer, initiative),
        can_manage=can_manage_initiatives(viewer),
        names=names, names_total=names_total,
        events=queries.timeline(initiative, viewer),
        days_left=services.days_to_deadline(initiative),
        collection_days_left=_collection_days_left(initiative),
    ), status


def _collection_days_left(initiative: Initiative) -> int | None:
    last_day = services.collection_last_day(initiative)
    if not initiative.is_collecting or last_day is None:
        return None
    return max(0, (last_day - services.local_today()).days)


@bp.route("/initiatives/<int:initiative_id>")
@public_page
def detail(initiative_id: int):
    return _detail_page(_load_or_404(initiative_id))


# --- propose --------------------------------------------------------------------------------


def _setup_form(form: InitiativeForm) -> list:
    groups = service_areas_grouped()
    form.service_area_ids.choices = [(str(s.id), s.name) for _area, areas in groups for s in areas]
    return groups


def _prefill(form: InitiativeForm, user) -> Idea | None:
    """From "Gjør idéen til et innbyggerforslag": the idea's title, text and topic, and the link."""
    if user.email and not user.email.endswith("@" + account_services.NO_EMAIL_DOMAIN) and not user.email.endswith(".invalid"):
        form.contact_email.data = user.email
    idea_id = to_int(request.args.get("from_idea"))
    idea = db.session.get(Idea, idea_id) if idea_id else None
    if idea is None or idea.author_id != user.id or not idea.is_visible:
        return None
    form.title.data = idea.title[: services.TITLE_MAX]
    form.reasons.data = idea.body
    form.service_area_ids.data = [str(idea.service_area_id)]
    form.from_idea_id.data = str(idea.id)
    return idea


def _form_page(form: InitiativeForm, groups, idea: Idea | None, status: int = 200, **extra):
    return render_template(
        "initiatives/new.html", form=form, groups=groups, idea=idea,
        selected_areas={str(v) for v in (form.service_area_ids.data or [])},
        threshold=services.current_threshold(), days=services.collection_days(), **extra,
    ), status


@bp.route("/initiatives/new", methods=["GET", "POST"])
# Only a proposal that went through counts: a form sent back with a mistake costs nothing.
@limit("RATELIMIT_INITIATIVES", only_when=succeeded)
@login_required
def create():
    form = InitiativeForm()
    groups = _setup_form(form)
    problem = participation_problem(current_user, "propose")
    if problem == "unverified" and request.method == "GET":
        flash(_("Bekreft hvem du er med ID-porten, så kan du fremme et innbyggerforslag."), "info")
        return redirect(url_for("accounts.verify", next=request.full_path), 303)
    if problem and problem != "unverified":
        return render_template("initiatives/cannot_propose.html"), 403 if request.method == "POST" else 200
    if request.method == "GET":
        idea = _prefill(form, current_user)
        return _form_page(form, groups, idea)
    from_idea_id = to_int(form.from_idea_id.data)
    idea = db.session.get(Idea, from_idea_id) if from_idea_id else None
    if not form.validate_on_submit():
        return _form_page(form, groups, idea, status=422)
    data = services.InitiativeInput(
        title=form.title.data or "", proposal=form.proposal.data or "", reasons=form.reasons.data or "",
        service_area_ids=[v for v in (to_int(x) for x in form.service_area_ids.data or []) if v],
        contact_email=form.contact_email.data or "", from_idea_id=from_idea_id,
    )
    try:
        initiative = services.propose_initiative(current_user, data)
    except ServiceError as error:
        apply_errors(form, error)
        verify_url = url_for("accounts.verify", next=url_for("initiatives.create")) if problem else None
        return _form_page(form, groups, idea, status=error.status_code if problem else 422, verify_url=verify_url)
    flash(_("Forslaget er sendt til moderatorene. Når det er godkjent, kan du og andre begynne å samle "
            "underskrifter. Du får beskjed."), "success")
    return redirect(url_for("initiatives.detail", initiative_id=initiative.id), 303)


# --- sign, withdraw, submit -------------------------------------------------------------------


def _login_first(initiative_id: int):
    flash(_("Logg inn for å delta. Etterpå kommer du tilbake hit."), "info")
    return redirect(url_for("accounts.login", next=url_for("initiatives.detail", initiative_id=initiative_id)), 303)


def _back(initiative_id: int, anchor: str = ""):
    return redirect(url_for("initiatives.detail", initiative_id=initiative_id) + anchor, 303)


@bp.route("/initiatives/<int:initiative_id>/sign", methods=["POST"])
@limit("RATELIMIT_SIGNATURES")
def sign(initiative_id: int):
    if not current_user.is_authenticated:
        return _login_first(initiative_id)
    initiative = _load_or_404(initiative_id)
    if participation_problem(current_user, "sign") == "unverified":
        flash(_("Bekreft hvem du er med ID-porten, så kan du signere. Etterpå kommer du tilbake til forslaget."),
              "info")
        return redirect(url_for("accounts.verify", next=url_for("initiatives.detail", initiative_id=initiative_id)),
                        303)
    form = _sign_form(request.form)
    try:
        state = services.sign(current_user, initiative_id, show_name=bool(form.show_name.data),
                              confirmed_resident=bool(form.confirmed_resident.data))
    except NotAuthenticated:
        return _login_first(initiative_id)
    except InvalidInput as error:
        apply_errors(form, error)
        return _detail_page(initiative, sign_form=form, status=422)
    except ServiceError as error:
        if error.status_code == 404:
            abort(404)
        flash(error.message, "danger")
        return _back(initiative_id)
    flash(ngettext("Takk! Forslaget har nå %(num)d underskrift.", "Takk! Forslaget har nå %(num)d underskrifter.",
                   state.total), "success")
    return _back(initiative_id, "#signatures")


@bp.route("/initiatives/<int:initiative_id>/unsign", methods=["POST"])
@limit("RATELIMIT_SIGNATURES")
def unsign(initiative_id: int):
    if not current_user.is_authenticated:
        return _login_first(initiative_id)
    _load_or_404(initiative_id)
    try:
        services.withdraw_signature(current_user, initiative_id)
    except NotAuthenticated:
        return _login_first(initiative_id)
    except ServiceError as error:
        if error.status_code == 404:
            abort(404)
        flash(error.message, "danger")
        return _back(initiative_id)
    flash(_("Underskriften din er trukket tilbake."), "info")
    return _back(initiative_id, "#signatures")


@bp.route("/initiatives/<int:initiative_id>/submit", methods=["POST"])
@login_required
def submit(initiative_id: int):
    _load_or_404(initiative_id)
    try:
        initiative = services.submit_initiative(current_user, initiative_id)
    except ServiceError as error:
        if error.status_code == 404:
            abort(404)
        flash(error.message, "danger")
        return _back(initiative_id)
    flash(_("Forslaget er sendt inn. Kommunestyret skal ta stilling til det innen %(date)s.",
            date=format_day(initiative.deadline)), "success")
    return _back(initiative_id)


from app.initiatives import sections, staff_views  # noqa: E402, F401
