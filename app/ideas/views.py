"""Public pages of the ideas domain: front page, list, idea, propose, edit, vote, endorse."""

import os
import time

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from app.accounts.permissions import participation_problem
from app.core.errors import InvalidInput, NotAuthenticated, ServiceError
from app.core.forms import apply_errors
from app.core.http import is_safe_target
from app.core.input import to_int
from app.core.pagecache import generation_now, kept_fragment, public_page
from app.core.pagination import Page, page_args
from app.core.ratelimit import limit
from app.extensions import db
from app.ideas import bp, images, queries, services
from app.ideas.forms import IdeaForm, WithdrawForm
from app.ideas.images import MAX_IMAGES
from app.ideas.labels import status_colour, status_label
from app.ideas.limits import publish_limit, take_staging_slot
from app.ideas.models import Idea, IdeaImage
from app.ideas.page import load_idea_page, load_lists
from app.ideas.permissions import (
    ENDORSING_CLOSED,
    can_edit_idea,
    can_endorse_idea,
    can_view_idea,
    can_view_idea_content,
    can_vote_on_idea,
    can_withdraw_idea,
    is_author,
    organisations_for,
)
from app.ideas.sections import render_section, sections_for


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.app_template_filter("idea_status")
def _idea_status_filter(status) -> str:
    return status_label(status)


@bp.app_template_filter("idea_status_colour")
def _idea_status_colour_filter(status) -> str:
    return status_colour(status)


# --- front page and list -------------------------------------------------------------------------


@bp.route("/")
@public_page
def home():
    newest, popular = queries.front_page_ideas()
    return render_template(
        "ideas/home.html", newest=newest, popular=popular, totals=queries.totals(),
    )


@bp.route("/ideas")
@public_page
def index():
    filters = queries.IdeaFilters.from_args(request.args)
    viewer = _viewer()
    page_number, per_page = page_args(default_per_page=current_app.config["PER_PAGE"], max_per_page=100)
    mine_count, voted_count = queries.personal_counts(filters, viewer)
    return render_template(
        "ideas/index.html",
        filters=filters,
        sorts=_sort_labels(filters),
        facets_html=_facets(filters, viewer),
        mine_count=mine_count,
        voted_count=voted_count,
        results_html=_results(filters, viewer, page_number, per_page),
    )


def _facets(filters: queries.IdeaFilters, viewer):
    """The filter options with their counts: the same for everyone (kept between writes, as
    _results is), but under a person's own lists, whose counts are theirs."""
    def render() -> str:
        return render_template("ideas/_facets.html", facets=queries.facets(filters, viewer))

    if queries.personal(filters):
        return Markup(render())
    # The page and the order change no count: one kept copy for every page of these filters.
    return kept_fragment("idea_facets", (), render, address=repr(sorted(filters.to_args(sort="").items())))


def _results(filters: queries.IdeaFilters, viewer, page_number: int, per_page: int):
    """The list under the filters. Everyone who voted for the same ideas of a page sees the
    same list: it is kept for them between writes (app/core/pagecache.py), so a signed-in
    person's page reads the page's ids and their votes among them, not the cards. A person's
    own lists ("mine", "voted") and the trending order (ranked as it loads) are read each time."""
    if queries.personal(filters) or filters.effective_sort == "trending":
        page = queries.list_ideas(filters, viewer, page_number, per_page)
        return Markup(render_template("ideas/_results.html", page=page, filters=filters,
                                      voted_ids=page.extra["voted_ids"]))
    read: dict = {}

    def seen_by() -> tuple[int, ...]:
        read["ids"] = queries.page_ids(filters, viewer, page_number, per_page)
        read["voted"] = queries.voted_among(viewer, read["ids"])
        return tuple(sorted(read["voted"]))

    def render() -> str:
        if "ids" not in read:  # not kept at all (the page cache is off)
            seen_by()
        page = Page(items=queries.cards(read["ids"]), page=page_number, per_page=per_page,
                    total=queries.count_ideas(filters, viewer))
        return render_template("ideas/_results.html", page=page, filters=filters, voted_ids=read["voted"])

    return kept_fragment("idea_list", seen_by, render)


def _sort_labels(filters: queries.IdeaFilters) -> list[tuple[str, str]]:
    labels = [
        ("newest", _("Nyeste først")),
        ("votes", _("Flest stemmer")),
        ("comments", _("Mest diskutert")),
        ("trending", _("Populært nå (stemmer siste 14 dager)")),
    ]
    if filters.q:
        labels.insert(0, ("relevance", _("Best treff")))
    return labels


# --- one idea ---------------------------------------------------------------------------------------


def _load_or_404(idea_id: int) -> Idea:
    idea = queries.load_idea(idea_id)
    if idea is None:
        abort(404)
    return idea


# How long a vote asked for before verifying waits for the person to come back verified.
VOTE_INTENT_SECONDS = 15 * 60


def _cast_vote_asked_before_verifying(idea: Idea, viewer) -> bool:
    """The vote the person pressed before being sent to verify, cast now they are back verified.

    The intent was set by their own POST (CSRF-checked) in their own session, is for this idea
    and this account only, is used once, and expires, so an abandoned verification never votes
    later by surprise.
    """
    intent = session.get("vote_after_verify")
    if not intent or intent.get("idea") != idea.id:
        return False
    session.pop("vote_after_verify")
    fresh = time.time() - intent.get("at", 0) < VOTE_INTENT_SECONDS
    if viewer is None or intent.get("user") != viewer.id or not fresh or not can_vote_on_idea(viewer, idea):
        return False
    try:
        state = services.vote_for_idea(viewer, idea.id)
    except ServiceError as error:
        flash(error.message, "danger")
        return False
    db.session.refresh(idea, ["vote_count"])
    flash(ngettext("Takk for stemmen! Idéen har nå %(num)d stemme.",
                   "Takk for stemmen! Idéen har nå %(num)d stemmer.", state.vote_count), "success")
    return True


@bp.route("/ideas/<int:idea_id>")
@public_page
def detail(idea_id: int):
    viewer = _viewer()
    since = generation_now()  # before anything the page shows is read
    page = load_idea_page(idea_id, viewer, with_lists=False)
    if page is None:
        abort(404)
    idea = page.idea
    if not can_view_idea_content(viewer, idea):
        return render_template("ideas/hidden.html", idea=idea)
    if _cast_vote_asked_before_verifying(idea, viewer):
        # Read again after the vote (its count, the follow it brought): what is kept is
        # never older than what the page is keyed by.
        since = generation_now()
        page = load_idea_page(idea_id, viewer, with_lists=False)
        idea = page.idea
    if page.state.get("member"):
        load_lists(page, viewer)  # what their organisations endorsed decides what they may do
    endorsed_ids = {e.organisation_id for e in page.endorsements}
    organisations = organisations_for(viewer)
    endorse_choices = [org for org in organisations if can_endorse_idea(viewer, idea, org)]
    voted = page.state.get("voted", False)
    # A vote cast before the municipality required a verified identity can still be taken back.
    can_take_back = voted and idea.voting_open and participation_problem(viewer) is None
    mine = {
        "voted": voted,
        "viewer_state": page.state,
        "can_vote": can_vote_on_idea(viewer, idea) or can_take_back,
        "can_edit": can_edit_idea(viewer, idea),
        "can_withdraw": can_withdraw_idea(viewer, idea),
        "is_author": is_author(viewer, idea),
        "endorse_choices": [org for org in endorse_choices if org.id not in endorsed_ids],
        # Members can take back an endorsement even when the idea no longer takes new ones.
        "withdraw_choices": [org for org in organisations if org.id in endorsed_ids],
        # A member who could endorse but for a verified identity gets the way to verify instead.
        "verify_to_endorse": (
            participation_problem(viewer, "endorse") == "unverified"
            and idea.is_visible and idea.status not in ENDORSING_CLOSED
            and any(org.id not in endorsed_ids for org in organisations)
        ),
    }
    sections = sections_for(idea, viewer, page.state, since)

    def render() -> str:
        load_lists(page, viewer)
        return render_template("ideas/_detail.html", idea=idea, endorsements=page.endorsements, sections=sections,
                               render_section=render_section, **mine)

    def seen_as() -> tuple:
        """Everything of the viewer the page's content shows, its sections' too."""
        return (
            viewer is not None, participation_problem(viewer, "vote"), tuple(sorted(page.state.items())),
            *(mine[name] for name in ("can_vote", "can_edit", "can_withdraw", "is_author", "verify_to_endorse")),
            *(tuple(org.id for org in mine[name]) for name in ("endorse_choices", "withdraw_choices")),
            *(section.seen_as() for section in sections),
        )

    # Viewers who may do the same things see the same content: kept for them between writes.
    content = (kept_fragment("idea_page", seen_as, render, since=since)
               if all(section.keepable for section in sections) else Markup(render()))
    return render_template("ideas/detail.html", idea=idea, content=content)


# A visible idea's picture may be kept by browsers and shared caches for five minutes, and
# after that only with a revalidation (ETag, Last-Modified) that asks this view again: so a
# moderator's hiding reaches every cache within five minutes, while the pictures of a busy
# list still cost a 304 at most. (A year with `immutable` kept a hidden picture public.)
PUBLIC_IMAGE_CACHE = "public, max-age=300, must-revalidate"


@bp.route("/ideas/images/<filename>")
def image(filename: str):
    """A stored picture, for whoever may read the idea it belongs to (can_view_idea).

    A hidden idea's pictures go only to its author and moderators, and are never stored by
    a cache (private, no-store); an upload not yet attached to an idea only to the signed-in
    person who has its (unguessable) name.
    """
    if not images.FILENAME.match(filename):
        abort(404)
    path = images.path_of(filename)
    if not os.path.exists(path):
        abort(404)
    owners = list(db.session.scalars(
        select(Idea).join(IdeaImage, IdeaImage.idea_id == Idea.id).where(IdeaImage.filename == filename)
    ))
    viewer = _viewer()
    public = any(idea.is_visible for idea in owners)
    if not public:
        allowed = viewer is not None and (not owners or any(can_view_idea(viewer, idea) for idea in owners))
        if not allowed:
            abort(404)
    ext = filename.rsplit(".", 1)[1]
    response = send_file(path, mimetype=images.CONTENT_TYPES[ext], conditional=True, max_age=0, etag=True,
                         last_modified=os.path.getmtime(path))
    response.headers["Cache-Control"] = PUBLIC_IMAGE_CACHE if public else "private, no-store"
    return response


# --- propose and edit -------------------------------------------------------------------------------


def _setup_form(form: IdeaForm, user, idea: Idea | None = None) -> None:
    orgs = organisations_for(user)
    form.organisation_id.choices = [("", _("Meg selv (%(name)s)", name=user.full_name))] + [
        (str(org.id), org.name) for org in orgs
    ]


def _slot_state(form: IdeaForm, idea: Idea | None) -> list[dict]:
    """What each image slot holds now: a kept upload, an image the idea has, or nothing."""
    existing = {str(img.id): img for img in (idea.images if idea else [])}
    slots = []
    for n in range(1, MAX_IMAGES + 1):
        token = getattr(form, f"token_{n}").data
        existing_id = getattr(form, f"existing_{n}").data
        stored = images.image_from_token(token, current_user.id) if token else None
        current = existing.get(existing_id or "")
        url = None
        if stored is not None:
            url = url_for("ideas.image", filename=stored.filename)
        elif current is not None:
            url = url_for("ideas.image", filename=current.filename)
        slots.append({"n": n, "url": url, "has_image": url is not None})
    return slots


def _idea_input(form: IdeaForm, user) -> tuple[services.IdeaInput, dict[str, list[str]]]:
    """The form's input for the service; uploads are stored now and carried on as tokens."""
    image_errors: dict[str, list[str]] = {}
    image_inputs = []
    for n in range(1, MAX_IMAGES + 1):
        upload = request.files.get(f"image_{n}")
        token_field = getattr(form, f"token_{n}")
        existing_field = getattr(form, f"existing_{n}")
        removed = getattr(form, f"remove_{n}").data
        stored = None
        existing_id = None
        if upload is not None and upload.filename:
            if not take_staging_slot():
                # Stored pictures cost disk before anything is published: same budget as ideas.
                image_errors.setdefault(f"image_{n}", []).append(_(
                    "Du har lastet opp mange bilder på kort tid, så vi tar ikke imot flere nå. "
                    "Prøv igjen senere, eller send inn idéen uten dette bildet."))
                token_field.data = ""
                continue
            try:
                stored = images.store_image(upload, field=f"image_{n}")
            except InvalidInput as error:
                for name, messages in error.fields.items():
                    image_errors.setdefault(name, []).extend(messages)
                    image_errors[name].append(_("Velg filen på nytt: av sikkerhetsgrunner husker ikke "
                                                "nettleseren filer etter en feil. Bilder uten feil er tatt vare på."))
                token_field.data = ""
                continue
            token_field.data = images.image_token(stored, user.id)
            existing_field.data = ""
        elif removed:
            token_field.data = existing_field.data = ""
        elif token_field.data:
            stored = images.image_from_token(token_field.data, user.id)
            if stored is None:
                token_field.data = ""
        elif to_int(existing_field.data):
            existing_id = to_int(existing_field.data)
        if removed:
            getattr(form, f"remove_{n}").data = False
        if stored is not None or existing_id is not None:
            image_inputs.append(services.ImageInput(
                image=stored, existing_id=existing_id,
                alt_text=getattr(form, f"alt_{n}").data or "",
                decorative=bool(getattr(form, f"decorative_{n}").data), slot=n,
            ))
    service_area = form.service_area_id.data
    data = services.IdeaInput(
        title=form.title.data or "",
        body=form.body.data or "",
        service_area_id=to_int(service_area),
        sdgs=[value for value in (form.sdgs.data or []) if value],
        place=form.place.data,
        organisation_id=to_int(form.organisation_id.data),
        images=image_inputs,
    )
    return data, image_errors


def _show_errors(form: IdeaForm, error: ServiceError | None, image_errors: dict) -> None:
    """The service's and the uploads' problems next to their fields, in one go."""
    fields: dict[str, list[str]] = {name: list(msgs) for name, msgs in (error.fields if error else {}).items()}
    for name, messages in image_errors.items():
        fields.setdefault(name, []).extend(messages)
    if error is not None and not error.fields and error.message:
        form.form_errors.append(error.message)
    apply_errors(form, InvalidInput("", fields=fields))


def _form_page(template: str, form: IdeaForm, idea: Idea | None = None, status: int = 200, **extra):
    return render_template(
        template, form=form, idea=idea,
        groups=queries.service_areas_grouped(include=idea.service_area_id if idea else None),
        goals=queries.all_sdgs(), slots=_slot_state(form, idea),
        selected_sdgs={str(v) for v in (form.sdgs.data or [])}, **extra,
    ), status


@bp.route("/ideas/new", methods=["GET", "POST"])
@publish_limit
@login_required
def create():
    form = IdeaForm()
    _setup_form(form, current_user)
    problem = participation_problem(current_user, "propose")
    if problem == "unverified" and request.method == "GET":
        # Verify before the form is shown, so nothing the person types is lost on the way.
        return _verify_first(url_for("ideas.create"), _("Bekreft hvem du er med ID-porten, så kan du foreslå en idé."))
    if problem and problem != "unverified":
        return render_template("ideas/cannot_propose.html"), 403 if request.method == "POST" else 200
    if request.method == "GET" or not form.validate_on_submit():
        return _form_page("ideas/new.html", form)
    data, image_errors = _idea_input(form, current_user)
    action = request.form.get("action", "check")
    error = None
    try:
        services.check_idea(current_user, data)
    except ServiceError as exc:
        error = exc
    if error is not None or image_errors:
        _show_errors(form, error, image_errors)
        # Verification lapsed while the form was open: the form comes back as typed, with
        # the way to verify next to the message.
        if problem == "unverified":
            return _form_page("ideas/new.html", form, status=403,
                              verify_url=url_for("accounts.verify", next=url_for("ideas.create")))
        return _form_page("ideas/new.html", form, status=422)
    if action == "check":
        similar = queries.similar_ideas(f"{data.title}\n{data.body}")
        if similar:
            return _form_page(
                "ideas/similar.html", form, similar=similar,
                voted_ids=queries.voted_idea_ids(current_user, [i.id for i in similar]),
            )
    elif action == "edit":
        return _form_page("ideas/new.html", form)
    try:
        idea = services.submit_idea(current_user, data)
    except ServiceError as exc:
        _show_errors(form, exc, {})
        return _form_page("ideas/new.html", form, status=422)
    flash(_("Idéen din er publisert. Takk for at du deler den!"), "success")
    return redirect(url_for("ideas.detail", idea_id=idea.id))


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(idea_id: int):
    idea = _load_or_404(idea_id)
    if not can_edit_idea(current_user, idea):
        message = (
            _("Bare den som foreslo idéen, kan endre den.") if not is_author(current_user, idea)
            else _("Idéen kan ikke endres lenger.")
        )
        flash(message, "warning")
        return redirect(url_for("ideas.detail", idea_id=idea.id), 303)
    form = IdeaForm(obj=idea if request.method == "GET" else None)
    _setup_form(form, current_user, idea)
    if request.method == "GET":
        form.service_area_id.data = str(idea.service_area_id)
        form.sdgs.data = [str(goal.number) for goal in idea.sdgs]
        for n, img in enumerate(idea.images, start=1):
            getattr(form, f"existing_{n}").data = str(img.id)
            getattr(form, f"alt_{n}").data = img.alt_text
            getattr(form, f"decorative_{n}").data = img.decorative
        return _form_page("ideas/edit.html", form, idea)
    if not form.validate_on_submit():
        return _form_page("ideas/edit.html", form, idea)
    data, image_errors = _idea_input(form, current_user)
    error = None
    try:
        if image_errors:
            services.check_idea(current_user, data, current=idea)
        else:
            services.update_idea(current_user, idea, data)
    except ServiceError as exc:
        error = exc
    if error is not None or image_errors:
        _show_errors(form, error, image_errors)
        return _form_page("ideas/edit.html", form, idea, status=422)
    flash(_("Endringene er lagret."), "success")
    return redirect(url_for("ideas.detail", idea_id=idea.id))


@bp.route("/ideas/<int:idea_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(idea_id: int):
    idea = _load_or_404(idea_id)
    form = WithdrawForm()
    if not can_withdraw_idea(current_user, idea) and request.method == "GET":
        flash(_("Du kan ikke trekke tilbake denne idéen."), "warning")
        return redirect(url_for("ideas.detail", idea_id=idea.id))
    if form.validate_on_submit():
        try:
            services.withdraw_idea(current_user, idea, form.reason.data or "")
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Idéen er trukket tilbake."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template("ideas/withdraw.html", idea=idea, form=form), 422 if form.errors or form.form_errors else 200


# --- votes and endorsements ---------------------------------------------------------------------------


def _back_to(idea_id: int) -> str:
    target = request.form.get("next")
    return target if is_safe_target(target) else url_for("ideas.detail", idea_id=idea_id)


def _login_first(idea_id: int):
    flash(_("Logg inn for å delta. Etterpå kommer du tilbake hit."), "info")
    return redirect(url_for("accounts.login", next=_back_to(idea_id)))


def _verify_first(next_url: str, message: str):
    """To ID-porten (VERIFIED_IDENTITY_REQUIRED_FOR) and back to where the person was."""
    flash(message, "info")
    return redirect(url_for("accounts.verify", next=next_url), 303)


@bp.route("/ideas/<int:idea_id>/vote", methods=["POST"])
@limit("RATELIMIT_VOTES")
def vote(idea_id: int):
    if not current_user.is_authenticated:
        return _login_first(idea_id)
    remove = request.form.get("action") == "remove"
    if not remove and participation_problem(current_user, "vote") == "unverified":
        # Remembered so the vote is cast when they come back verified (see detail).
        session["vote_after_verify"] = {"idea": idea_id, "user": current_user.id, "at": time.time()}
        return _verify_first(_back_to(idea_id), _("Bekreft hvem du er med ID-porten, så kan du stemme. "
                                                  "Etterpå kommer du tilbake til idéen."))
    try:
        if remove:
            state = services.withdraw_vote(current_user, idea_id)
            flash(_("Stemmen din er trukket tilbake."), "info")
        else:
            state = services.vote_for_idea(current_user, idea_id)
            flash(ngettext("Takk for stemmen! Idéen har nå %(num)d stemme.",
                           "Takk for stemmen! Idéen har nå %(num)d stemmer.", state.vote_count), "success")
    except NotAuthenticated:
        return _login_first(idea_id)
    except ServiceError as error:
        if error.status_code == 404:
            abort(404)
        flash(error.message, "danger")
    return redirect(_back_to(idea_id), 303)


@bp.route("/ideas/<int:idea_id>/endorse", methods=["POST"])
@limit("RATELIMIT_ENDORSEMENTS")
def endorse(idea_id: int):
    if not current_user.is_authenticated:
        return _login_first(idea_id)
    organisation_id = to_int(request.form.get("organisation_id"))
    if request.form.get("action") != "remove" and participation_problem(current_user, "endorse") == "unverified":
        return _verify_first(_back_to(idea_id), _("Bekreft hvem du er med ID-porten, så kan du støtte idéen. "
                                                  "Etterpå kommer du tilbake til idéen."))
    try:
        if request.form.get("action") == "remove":
            services.withdraw_endorsement(current_user, idea_id, organisation_id)
            flash(_("Støtten er trukket tilbake."), "info")
        else:
            services.endorse_idea(current_user, idea_id, organisation_id)
            flash(_("Organisasjonen støtter nå idéen."), "success")
    except ServiceError as error:
        if error.status_code == 404 and not error.fields:
            abort(404)
        flash(error.message, "danger")
    return redirect(_back_to(idea_id), 303)
