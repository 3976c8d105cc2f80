"""Staff screens of the accounts domain: users and roles, organisation verification."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.accounts import bp, services
from app.accounts.decorators import require
from app.accounts.forms import AreasForm, BlockForm, ReasonForm, RoleForm
from app.accounts.models import Organisation, User
from app.accounts.permissions import SCOPABLE_ROLES
from app.core.errors import InvalidState, ServiceError
from app.core.forms import apply_errors
from app.core.navigation import register_staff_link
from app.core.pagination import page_args, paginate
from app.extensions import db


@bp.route("/admin/users")
@require("manage_users")
def admin_users():
    query = request.args.get("q", "").strip()
    page, per_page = page_args(50)
    # The areas each staff member's role is limited to, in one more query for the page.
    users = paginate(services.search_users(query).options(selectinload(User.areas)), page, per_page)
    return render_template("accounts/admin_users.html", users=users, q=query)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@require("manage_users")
def admin_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    role_form = RoleForm(prefix="role", data={"role": user.role.value})
    block_form = BlockForm(prefix="block")
    areas_form = AreasForm(prefix="areas", data={"areas": [str(area.id) for area in user.areas]})
    action = request.form.get("action")
    if request.method == "POST":
        try:
            if action == "role" and role_form.validate_on_submit():
                services.change_role(current_user, user, role_form.role.data)
                flash(_("Rollen er endret."), "success")
                return redirect(url_for("accounts.admin_user", user_id=user.id))
            if action == "areas" and areas_form.validate_on_submit():
                services.set_user_areas(current_user, user, areas_form.areas.data)
                flash(_("Kommunalområdene er lagret."), "success")
                return redirect(url_for("accounts.admin_user", user_id=user.id))
            if action == "block" and block_form.validate_on_submit():
                services.block_user(current_user, user, block_form.reason.data)
                flash(_("%(name)s er blokkert.", name=user.full_name), "success")
                return redirect(url_for("accounts.admin_user", user_id=user.id))
            if action == "unblock":
                services.unblock_user(current_user, user)
                flash(_("Blokkeringen er opphevet."), "success")
                return redirect(url_for("accounts.admin_user", user_id=user.id))
        except ServiceError as error:
            forms = {"block": block_form, "areas": areas_form}
            apply_errors(forms.get(action, role_form), error)
    return render_template(
        "accounts/admin_user.html", user=user, role_form=role_form, block_form=block_form,
        areas_form=areas_form, scopable=user.role in SCOPABLE_ROLES,
        municipal_areas=services.municipal_areas_to_choose(user),
    )


@bp.route("/staff/organisations")
@require("verify_organisations")
def staff_organisations():
    page, per_page = page_args(50)
    pending = paginate(services.organisations_awaiting_verification(), page, per_page)
    return render_template("accounts/staff_organisations.html", pending=pending, form=ReasonForm())


@bp.route("/staff/organisations/<int:organisation_id>", methods=["POST"])
@require("verify_organisations")
def staff_organisation_decide(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id) or abort(404)
    form = ReasonForm()
    if request.form.get("action") == "verify":
        try:
            services.verify_organisation(current_user, organisation)
        except InvalidState as error:
            flash(error.message, "warning")  # a colleague decided it a moment ago
        else:
            flash(_("%(name)s er verifisert.", name=organisation.name), "success")
        return redirect(url_for("accounts.staff_organisations"))
    if form.validate_on_submit():
        try:
            services.reject_organisation(current_user, organisation, form.reason.data)
        except InvalidState as error:
            flash(error.message, "warning")
            return redirect(url_for("accounts.staff_organisations"))
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("%(name)s er avvist.", name=organisation.name), "success")
            return redirect(url_for("accounts.staff_organisations"))
    page, per_page = page_args(50)
    pending = paginate(services.organisations_awaiting_verification(), page, per_page)
    return render_template(
        "accounts/staff_organisations.html", pending=pending, form=form, failed_id=organisation.id
    ), 422


def _pending_organisations(user):
    """The count for the staff menu, run with its other counts."""
    return db.select(db.func.count()).select_from(
        services.organisations_awaiting_verification().order_by(None).subquery())


register_staff_link("verify_organisations", "accounts.staff_organisations", _l("Verifisering"),
                    _pending_organisations)
register_staff_link("manage_users", "accounts.admin_users", _l("Brukere"))
