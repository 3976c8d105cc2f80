"""Staff screens of the forum's meetings (list, new and edit, the agenda from the board, the
minutes one project at a time, the meeting page, its PDF and CSV) and of the projects' audit
log. Thin: they parse the request, call app/portfolio/meetings.py or audit.py, and render."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.decorators import require
from app.accounts.models import User
from app.core.csv import csv_response
from app.core.errors import NotAllowed, NotFound, ServiceError
from app.core.forms import apply_errors
from app.core.input import to_int
from app.core.navigation import register_staff_link
from app.core.pagination import page_args, paginate
from app.core.urls import external_url
from app.extensions import db
from app.portfolio import audit, bp, meeting_document, meetings, queries, services
from app.portfolio.forms import MeetingDecisionForm, MeetingForm
from app.portfolio.models import Decision, Meeting, Project, ProjectPhase
from app.portfolio.permissions import (
    can_manage_meetings,
    can_record_decision,
    can_view_project,
    can_view_project_changes,
)
from app.portfolio.views import _picker, bounded_id


def _actor() -> User:
    return current_user._get_current_object()


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return url_for("portfolio.meeting", meeting_id=meeting.id) + (f"#{anchor}" if anchor else "")


# --- the list, new and edit -------------------------------------------------------------


@bp.route("/staff/meetings")
@require("staff")
def meetings_list():
    number, per_page = page_args(default_per_page=25)
    page = paginate(meetings.meetings_query(), number, per_page)
    return render_template(
        "portfolio/meetings/index.html", page=page,
        counts=meetings.agenda_counts([m.id for m in page.items]),
        can_manage=can_manage_meetings(_actor()),
    )


def _meeting_form(meeting: Meeting | None = None, **kwargs) -> MeetingForm:
    form = MeetingForm(**kwargs)
    form.participant_ids.choices = [(p.id, p.full_name) for p in meetings.staff_people()]
    return form


def _render_meeting_form(form: MeetingForm, meeting: Meeting | None, status: int = 200):
    return render_template("portfolio/meetings/form.html", form=form, meeting=meeting,
                           people=meetings.staff_people()), status


@bp.route("/staff/meetings/new", methods=["GET", "POST"])
@require("manage_portfolio")
def meeting_new():
    form = _meeting_form()
    if request.method == "GET" and not form.participant_ids.data:
        form.participant_ids.data = [_actor().id]
    if form.validate_on_submit():
        try:
            meeting = meetings.create_meeting(_actor(), form.values(with_status=False))
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Møtet er satt opp. Hent sakene fra prioriteringstavla."), "success")
            return redirect(url_for("portfolio.meeting_agenda", meeting_id=meeting.id))
    return _render_meeting_form(form, None, 422 if form.errors else 200)


@bp.route("/staff/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@require("manage_portfolio")
def meeting_edit(meeting_id: int):
    meeting = meetings.get_meeting(_actor(), meeting_id)
    if request.method == "GET":
        form = _meeting_form(meeting, data={
            "title": meeting.title, "meeting_date": meeting.meeting_date,
            "participant_ids": [p.id for p in meeting.participants], "guests": meeting.guests,
            "budget": "" if meeting.budget is None else str(meeting.budget),
            "status": meeting.status.value,
        })
    else:
        form = _meeting_form(meeting)
    if request.method == "POST" and request.form.get("action") == "delete":
        try:
            meetings.delete_meeting(_actor(), meeting)
        except ServiceError as error:
            flash(error.message, "danger")
            return redirect(url_for("portfolio.meeting_edit", meeting_id=meeting.id))
        flash(_("Møtet er slettet."), "success")
        return redirect(url_for("portfolio.meetings_list"))
    if request.method == "POST" and form.validate_on_submit():
        try:
            meetings.update_meeting(_actor(), meeting, form.values())
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Møtet er lagret."), "success")
            return redirect(_meeting_url(meeting))
    return _render_meeting_form(form, meeting, 422 if form.errors else 200)


# --- the meeting and its agenda ---------------------------------------------------------


@bp.route("/staff/meetings/<int:meeting_id>")
@require("staff")
def meeting(meeting_id: int):
    item = meetings.get_meeting(_actor(), meeting_id)
    return render_template("portfolio/meetings/meeting.html", meeting=item,
                           page=meetings.meeting_page(item, _actor()),
                           can_manage=can_manage_meetings(_actor()))


@bp.route("/staff/meetings/<int:meeting_id>/agenda", methods=["GET", "POST"])
@require("manage_portfolio")
def meeting_agenda(meeting_id: int):
    """The board with a box per project: the ones ticked go on the agenda, in the board's order."""
    meeting = meetings.get_meeting(_actor(), meeting_id)
    errors: list[str] = []
    chosen = [value for value in request.form.getlist("project_ids")] if request.method == "POST" else []
    if request.method == "POST":
        try:
            added = meetings.add_to_agenda(_actor(), meeting, chosen)
        except ServiceError as error:
            errors = (error.fields or {}).get("project_ids") or [error.message]
        else:
            flash(_("%(num)d prosjekter er lagt på sakslisten.", num=len(added)) if len(added) != 1
                  else _("Ett prosjekt er lagt på sakslisten."), "success")
            return redirect(_meeting_url(meeting, "agenda"))
    number, per_page = page_args(default_per_page=queries.BOARD_PAGE_SIZE, max_per_page=500)
    board, taken = meetings.board_choices(meeting, page=number, per_page=per_page)
    return render_template("portfolio/meetings/agenda.html", meeting=meeting, board=board, taken=taken,
                           errors=errors, chosen={str(c) for c in chosen}), 422 if errors else 200


@bp.route("/staff/meetings/<int:meeting_id>/agenda/<int:item_id>", methods=["POST"])
@require("manage_portfolio")
def meeting_agenda_item(meeting_id: int, item_id: int):
    """Move an item up or down, or take it off the agenda."""
    meeting = meetings.get_meeting(_actor(), meeting_id)
    action = request.form.get("action", "")
    try:
        if action in ("up", "down"):
            meetings.move_agenda_item(_actor(), meeting, item_id, -1 if action == "up" else 1)
        elif action == "remove":
            meetings.remove_from_agenda(_actor(), meeting, item_id)
            flash(_("Saken er tatt av sakslisten."), "success")
        else:
            flash(_("Ugyldig forespørsel."), "danger")
    except ServiceError as error:
        flash(error.message, "danger")
    return redirect(_meeting_url(meeting, "agenda"))


@bp.route("/staff/meetings/<int:meeting_id>/ranking", methods=["POST"])
@require("manage_portfolio")
def meeting_refresh_ranking(meeting_id: int):
    meeting = meetings.get_meeting(_actor(), meeting_id)
    meetings.refresh_ranking(_actor(), meeting)
    flash(_("Rangeringen er hentet på nytt fra tavla."), "success")
    return redirect(_meeting_url(meeting, "agenda"))


# --- the minutes: one project's decision ------------------------------------------------


def _merge_picker(meeting: Meeting, item, form: MeetingDecisionForm) -> dict:
    """Find the project it is merged with by its title (the meeting's other projects first)."""
    page_url = url_for("portfolio.meeting_decision", meeting_id=meeting.id, item_id=item.id)
    person = _actor()
    query = request.args.get("merge_q", "")
    found = [p for p in queries.find_projects_by_title(query, person) if p.id != item.project_id]
    chosen_id = bounded_id(request.args.get("merge_into")) or bounded_id(form.merged_into_id.data)
    chosen = db.session.get(Project, chosen_id) if chosen_id else None
    if chosen is not None and (chosen.id == item.project_id or not can_view_project(person, chosen)
                               or chosen.phase == ProjectPhase.CANCELLED):
        chosen = None
    picker = _picker(page_url=page_url, anchor="merge", param="merge_q", pick="merge_into",
                     json_url=url_for("portfolio.find_projects"), chosen=chosen, query=query,
                     results=[(p, f"{p.phase_label}{'' if p.public else ' · ' + _('internt')}") for p in found])
    return picker


@bp.route("/staff/meetings/<int:meeting_id>/items/<int:item_id>/decision", methods=["GET", "POST"])
@require("manage_portfolio")
def meeting_decision(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(_actor(), meeting_id)
    page = row = None
    if request.method == "GET":
        # The page shows the whole agenda with its decisions: the item and its decision are in it.
        page = meetings.meeting_page(meeting, _actor())
        row = next((r for r in page.rows if r.item.id == bounded_id(item_id)), None)
    item = row.item if row is not None else meetings.agenda_item(meeting, item_id)
    if not can_view_project(_actor(), item.project):
        raise NotFound(_("Saken står ikke på sakslisten til dette møtet."))
    if not can_record_decision(_actor(), item.project):
        raise NotAllowed(_("Du kan føre beslutninger om prosjekter i dine egne områder."))
    existing = row.decision if row is not None else meetings.decision_for(meeting, item.project_id)
    if request.method == "GET":
        data = {"based_on": meetings.decision_token(existing) if existing else ""}
        if existing is not None:
            data.update(outcome=existing.outcome.value, rationale=existing.rationale,
                        deferred_to=existing.deferred_to.isoformat() if existing.deferred_to else "",
                        merged_into_id=str(existing.merged_into_id or ""))
        form = MeetingDecisionForm(data=data)
        status = 200
    else:
        form = MeetingDecisionForm()
        status = 422
        if form.validate_on_submit():
            try:
                meetings.record_meeting_decision(_actor(), meeting, item.id, form.values(),
                                                 based_on=form.based_on.data or None)
            except ServiceError as error:
                if not error.fields:
                    form.form_errors.append(error.message)
                    status = error.status_code
                else:
                    apply_errors(form, error)
            else:
                flash(_("Beslutningen om «%(title)s» er ført i referatet.", title=item.project.title), "success")
                return redirect(_meeting_url(meeting, f"item-{item.id}"))
        existing = meetings.decision_for(meeting, item.project_id)
        page = meetings.meeting_page(meeting, _actor())
        row = next((r for r in page.rows if r.item.id == item.id), None)
    return render_template(
        "portfolio/meetings/decision.html", meeting=meeting, item=item, row=row, form=form,
        agenda_size=len(page.rows),
        existing=existing, picker=_merge_picker(meeting, item, form),
        card=queries.score_projects([item.project_id])[item.project_id],
    ), status


# --- the documents ----------------------------------------------------------------------


def _file_stem(meeting: Meeting) -> str:
    return f"forummote-{meeting.meeting_date.isoformat()}-{meeting.id}"


@bp.route("/staff/meetings/<int:meeting_id>/document.pdf")
@require("staff")
def meeting_pdf(meeting_id: int):
    meeting = meetings.get_meeting(_actor(), meeting_id)
    pdf = meeting_document.render_pdf(meeting, _actor())
    return pdf, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="{_file_stem(meeting)}.pdf"',
        "Cache-Control": "no-store",
    }


@bp.route("/staff/meetings/<int:meeting_id>/decisions.csv")
@require("staff")
def meeting_csv(meeting_id: int):
    meeting = meetings.get_meeting(_actor(), meeting_id)
    header = [_("Sak nr."), _("Prosjekt"), _("Eier"), _("Rangering på tavla"), _("Anslått kostnad (kr)"),
              _("Beslutning"), _("Utsatt til"), _("Slått sammen med"), _("Begrunnelse"), _("Ført av"),
              _("Møtedato"), _("Adresse")]
    person = _actor()
    rows_ = db.session.execute(meetings.meeting_decisions_query(meeting)).all()

    def rows():
        for decision, item in rows_:
            decision: Decision
            if not can_view_project(person, decision.project):
                continue
            merged = decision.merged_into
            yield [
                item.position if item else "", decision.project.title, decision.project.owner_service_area.name,
                item.board_rank if item else "", decision.project.estimated_cost,
                str(decision.outcome_label), decision.deferred_to or "",
                merged.title if merged is not None and can_view_project(person, merged) else "",
                decision.rationale,
                decision.recorded_by.full_name if decision.recorded_by else "",
                decision.meeting_date, external_url("portfolio.project", project_id=decision.project_id),
            ]

    return csv_response(f"{_file_stem(meeting)}-beslutninger.csv", header, rows())


# --- the projects' audit log ------------------------------------------------------------


def _log_project() -> Project | None:
    project_id = to_int(request.args.get("project"))
    if project_id is None:
        return None
    return services.get_project(_actor(), project_id)


@bp.route("/staff/portfolio/changes")
@require("staff")
def project_changes():
    project = _log_project()
    if project is not None and not can_view_project_changes(_actor(), project):
        raise NotFound(_("Fant ikke prosjektet."))
    number, per_page = page_args(default_per_page=50)
    page = paginate(audit.changes_query(project.id if project else None, _actor()), number, per_page)
    return render_template("portfolio/changes.html", page=page, project=project, audit=audit)


@bp.route("/staff/portfolio/changes.csv")
@require("staff")
def project_changes_csv():
    project = _log_project()
    person = _actor()
    if project is not None and not can_view_project_changes(person, project):
        raise NotFound(_("Fant ikke prosjektet."))
    name = f"endringslogg-{project.id}" if project else "endringslogg-prosjekter"

    return csv_response(f"{name}-{date.today().isoformat()}.csv", audit.csv_header(),
                        audit.csv_rows(project.id if project else None, viewer=person))


register_staff_link("staff", "portfolio.meetings_list", _l("Møter i forumet"))
register_staff_link("staff", "portfolio.project_changes", _l("Endringslogg for prosjekter"))
