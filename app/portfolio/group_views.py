"""Staff screens for the competence groups: the list with a new group, and one group's page
(its names, areas and members). The rules are in app/portfolio/groups.py."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.decorators import require
from app.accounts.models import User
from app.core.errors import NotAllowed, ServiceError
from app.core.forms import apply_errors
from app.core.navigation import register_staff_link
from app.portfolio import bp, groups, services
from app.portfolio.forms import GroupForm, GroupMemberForm
from app.portfolio.models import CompetenceGroup
from app.portfolio.permissions import can_manage_groups


def _actor() -> User:
    return current_user._get_current_object()


def _require_manage() -> None:
    if not can_manage_groups(_actor()):
        raise NotAllowed(_("Bare porteføljeforvaltere og administratorer kan endre kompetansegruppene."))


def _area_options(chosen: list[str]) -> list[tuple[str, str]]:
    """Active municipal areas, and retired ones the group already covers."""
    return [(str(area.id), area.name) for area in services.list_structure()
            if not area.retired or str(area.id) in chosen]


@bp.route("/staff/portfolio/groups", methods=["GET", "POST"])
@require("assess_projects")
def groups_list():
    form = GroupForm(prefix="new")
    if request.method == "POST":
        _require_manage()
        if form.validate_on_submit():
            try:
                group = groups.create_group(_actor(), form.values())
            except ServiceError as error:
                apply_errors(form, error)
            else:
                flash(_("Kompetansegruppen «%(name)s» er opprettet. Legg til medlemmene.", name=group.name),
                      "success")
                return redirect(url_for("portfolio.group_edit", group_id=group.id))
    return render_template(
        "portfolio/groups/list.html", groups=groups.list_groups(), form=form,
        area_options=_area_options(form.area_ids.data or []),
        can_manage=can_manage_groups(_actor()),
    )


def _render_group(group: CompetenceGroup, *, form: GroupForm | None = None,
                  member_form: GroupMemberForm | None = None):
    if form is None:
        form = GroupForm(formdata=None, data={
            "name": group.name_nb, "name_nn": group.name_nn, "name_en": group.name_en,
            "description": group.description, "cross_cutting": group.cross_cutting,
            "area_ids": [str(area.id) for area in group.areas],
        })
    member_form = member_form or GroupMemberForm(prefix="member", formdata=None)
    candidates = groups.staff_candidates(group)
    member_form.member.choices = [("", _("Velg …"))] + [
        (str(person.id), f"{person.full_name} ({person.email})") for person in candidates]
    return render_template(
        "portfolio/groups/edit.html", group=group, form=form, member_form=member_form,
        area_options=_area_options(form.area_ids.data or []), candidates=candidates,
    )


@bp.route("/staff/portfolio/groups/<int:group_id>", methods=["GET", "POST"])
@require("manage_portfolio")
def group_edit(group_id: int):
    _require_manage()
    group = groups.get_group(group_id)
    if request.method == "GET":
        return _render_group(group)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            groups.update_group(_actor(), group, form.values())
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(_("Kompetansegruppen er lagret."), "success")
            return redirect(url_for("portfolio.group_edit", group_id=group.id))
    return _render_group(group, form=form)


@bp.route("/staff/portfolio/groups/<int:group_id>/members", methods=["POST"])
@require("manage_portfolio")
def group_add_member(group_id: int):
    _require_manage()
    group = groups.get_group(group_id)
    member_form = GroupMemberForm(prefix="member")
    if member_form.validate_on_submit():
        try:
            person = groups.add_group_member(_actor(), group, member_form.member.data)
        except ServiceError as error:
            apply_errors(member_form, error)
        else:
            flash(_("%(name)s er med i gruppen.", name=person.full_name), "success")
            return redirect(url_for("portfolio.group_edit", group_id=group.id) + "#members")
    return _render_group(group, member_form=member_form)


@bp.route("/staff/portfolio/groups/<int:group_id>/members/<int:user_id>/remove", methods=["POST"])
@require("manage_portfolio")
def group_remove_member(group_id: int, user_id: int):
    _require_manage()
    group = groups.get_group(group_id)
    person = next((member for member in group.members if member.id == user_id), None)
    try:
        groups.remove_group_member(_actor(), group, user_id)
    except ServiceError as error:
        flash(error.message, "danger")
    else:
        flash(_("%(name)s er tatt ut av gruppen.", name=person.full_name if person else ""), "success")
    return redirect(url_for("portfolio.group_edit", group_id=group.id) + "#members")


@bp.route("/staff/portfolio/groups/<int:group_id>/delete", methods=["POST"])
@require("manage_portfolio")
def group_delete(group_id: int):
    _require_manage()
    group = groups.get_group(group_id)
    name = group.name
    groups.delete_group(_actor(), group)
    flash(_("Kompetansegruppen «%(name)s» er slettet.", name=name), "success")
    return redirect(url_for("portfolio.groups_list"))


register_staff_link("manage_portfolio", "portfolio.groups_list", _l("Kompetansegrupper"))
