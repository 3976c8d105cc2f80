"""Staff screens of the systems register: the list, one system, adding, editing, deleting,
the CSV import (with its template) and the CSV export. Thin: app/portfolio/systems.py holds
the rules."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.decorators import require
from app.accounts.models import User
from app.core.csv import csv_response
from app.core.errors import ServiceError
from app.core.forms import apply_errors
from app.core.navigation import register_staff_link
from app.core.pagination import page_args, paginate
from app.extensions import db
from app.portfolio import bp, systems
from app.portfolio.forms import SystemForm, SystemImportForm
from app.portfolio.permissions import can_manage_systems
from app.portfolio.plan import site_today


def _actor() -> User:
    return current_user._get_current_object()


@bp.route("/staff/systems")
@require("staff")
def systems_list():
    """The register: search, filter by area, sort; a page at a time."""
    filters = systems.SystemFilters.from_args(request.args)
    number, per_page = page_args(default_per_page=50)
    page = paginate(systems.systems_query(filters), number, per_page)
    return render_template(
        "portfolio/systems/list.html", page=page, filters=filters, areas=systems.area_choices(),
        sorts=systems.SORTS, window=systems.contract_window(), today=site_today(),
        can_manage=can_manage_systems(_actor()),
    )


@bp.route("/staff/systems/<int:system_id>")
@require("staff")
def system_detail(system_id: int):
    system = systems.get_system(_actor(), system_id)
    return render_template(
        "portfolio/systems/detail.html", system=system, window=systems.contract_window(),
        today=site_today(), can_manage=can_manage_systems(_actor()),
    )


def _form_areas(form: SystemForm, system=None) -> list:
    """Every area for the pickers: active ones, and retired ones the system (or the form) has."""
    keep = set(form.area_ids.data or []) | {form.owner_area_id.data}
    if system is not None:
        keep |= {a.id for a in system.areas} | {system.owner_area_id}
    return [a for a in systems.area_choices() if not a.retired or a.id in keep]


def _render_form(form: SystemForm, system=None, status: int = 200):
    return render_template("portfolio/systems/form.html", form=form, system=system,
                           areas=_form_areas(form, system)), status


@bp.route("/staff/systems/new", methods=["GET", "POST"])
@require("manage_portfolio")
def system_new():
    form = SystemForm()
    if form.validate_on_submit():
        try:
            system = systems.create_system(_actor(), form.values())
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("«%(name)s» er lagt til i systemregisteret.", name=system.name), "success")
            return redirect(url_for("portfolio.system_detail", system_id=system.id))
    return _render_form(form, status=422 if form.errors else 200)


@bp.route("/staff/systems/<int:system_id>/edit", methods=["GET", "POST"])
@require("manage_portfolio")
def system_edit(system_id: int):
    system = systems.get_system(_actor(), system_id)
    if request.method == "GET":
        form = SystemForm(data={
            "name": system.name, "supplier": system.supplier, "owner_area_id": system.owner_area_id,
            "area_ids": [a.id for a in system.areas],
            "contract_end": system.contract_end.isoformat() if system.contract_end else "",
            "description": system.description, "url": system.url,
        })
    else:
        form = SystemForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            systems.update_system(_actor(), system, form.values())
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Systemet er lagret."), "success")
            return redirect(url_for("portfolio.system_detail", system_id=system.id))
    return _render_form(form, system, status=422 if form.errors else 200)


@bp.route("/staff/systems/<int:system_id>/delete", methods=["POST"])
@require("manage_portfolio")
def system_delete(system_id: int):
    system = systems.get_system(_actor(), system_id)
    name = system.name
    systems.delete_system(_actor(), system)
    flash(_("«%(name)s» er fjernet fra systemregisteret.", name=name), "success")
    return redirect(url_for("portfolio.systems_list"))


@bp.route("/staff/systems/import", methods=["GET", "POST"])
@require("manage_portfolio")
def systems_import():
    """Upload or paste a CSV file; «Sjekk» reads it and stores nothing, «Importer» stores every
    row or, with a mistake anywhere, none."""
    form = SystemImportForm()
    result = rejected = None
    if request.method == "POST" and form.validate_on_submit():
        upload = form.file.data
        data: bytes | str | None = None
        if upload is not None and getattr(upload, "filename", ""):
            # One byte past the limit is enough to know the file is too big.
            data = upload.stream.read(systems.max_import_bytes() + 1)
        elif (form.text.data or "").strip():
            data = form.text.data
        if data is None:
            form.file.errors = [_("Velg en CSV-fil, eller lim inn innholdet i feltet under.")]
        else:
            check_only = request.form.get("action") == "check"
            try:
                result = systems.import_systems(_actor(), data, dry_run=check_only)
            except systems.ImportRejected as error:
                rejected = error
                if error.fields:
                    target = "text" if isinstance(data, str) else "file"
                    getattr(form, target).errors = list(error.fields.get("file", [error.message]))
            except ServiceError as error:
                apply_errors(form, error)
            else:
                if not check_only:
                    flash(_("Importen er ferdig: %(created)s, %(updated)s og %(unchanged)s.",
                            created=ngettext("%(num)d nytt system", "%(num)d nye systemer", len(result.created)),
                            updated=ngettext("%(num)d endret", "%(num)d endret", len(result.updated)),
                            unchanged=ngettext("%(num)d uendret", "%(num)d uendret", len(result.unchanged))),
                          "success")
                    return redirect(url_for("portfolio.systems_list"))
    status = 422 if (rejected is not None or form.errors) else 200
    return render_template(
        "portfolio/systems/import.html", form=form, result=result, rejected=rejected,
        columns=systems.COLUMNS, required=systems.REQUIRED_COLUMNS, areas=systems.area_choices(),
        max_mb=systems.max_import_bytes() // (1024 * 1024),
        max_rows=systems.max_import_rows(),
        max_errors=systems.MAX_REPORTED_ERRORS,
    ), status


@bp.route("/staff/systems.csv")
@require("staff")
def systems_csv():
    """The whole register, in the import's format (edit it and import it again)."""
    found = db.session.scalars(systems.export_query()).all()
    return csv_response(f"systemer-{date.today().isoformat()}.csv", list(systems.COLUMNS),
                        systems.export_rows(found))


@bp.route("/staff/systems/template.csv")
@require("staff")
def systems_template():
    """An empty file with the import's columns, to fill in."""
    return csv_response("systemer-mal.csv", list(systems.COLUMNS), [])


register_staff_link("staff", "portfolio.systems_list", _l("Systemer i bruk"))
