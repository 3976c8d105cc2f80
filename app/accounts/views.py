"""Public account pages: register, confirm, log in and out, passwords, profile, organisations."""

import dataclasses
import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, oidc, services
from app.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    FirstLoginForm,
    ForgotPasswordForm,
    InviteMemberForm,
    LoginForm,
    OrganisationForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from app.accounts.models import ApiToken, MembershipRole
from app.accounts.permissions import can_manage_organisation, membership_of
from app.core.errors import ServiceError
from app.core.forms import apply_errors
from app.core.http import is_safe_target, next_target
from app.core.i18n import LOCALES
from app.core.ratelimit import limit, succeeded
from app.core.urls import external_url
from app.extensions import db, limiter


def _limit(name: str):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("ideas.home"))
    form = RegisterForm()
    valid = form.validate_on_submit()
    if form.is_submitted() and not valid:
        # Every problem at once: the account rules for fields the form itself let through.
        problems = services.new_person_problems(
            form.full_name.data or "", services.normalise_email(form.email.data or ""),
            form.password.data or "",
        )
        for name, problem in problems.items():
            field = getattr(form, name)
            if problem and field.data and not field.errors:
                field.errors = [*field.errors, problem]
    if valid:
        data = services.RegistrationInput(
            full_name=form.full_name.data,
            email=form.email.data,
            password=form.password.data,
            accept_terms=form.accept_terms.data,
            locale=str(get_locale()),
        )
        try:
            services.register_user(data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            # The same page, and no login, whether the address was new or already registered:
            # the account starts when its owner follows the link in the e-mail.
            return render_template(
                "accounts/check_email.html", email=services.normalise_email(form.email.data)
            )
    return render_template("accounts/register.html", form=form)


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    try:
        user, newly_confirmed = services.confirm_email(token)
    except ServiceError as error:
        return render_template("accounts/link_problem.html", message=error.message), 400
    flash(_("Takk! E-postadressen din er bekreftet, og du kan nå delta."), "success")
    if not current_user.is_authenticated:
        if not newly_confirmed:
            # A link used before is no way in: it stays valid for days, in a mailbox.
            return redirect(url_for("accounts.login", email=user.email))
        # Registration logs no one in; the first use of the link, which proves the
        # mailbox as a reset link does, does.
        login_user(user)
        services.record_sign_in(user, "link", request.remote_addr)
    return redirect(url_for("ideas.home"))


@bp.route("/confirm/resend", methods=["POST"])
@login_required
@_limit("RATELIMIT_RESET")
def resend_confirmation():
    try:
        services.resend_confirmation(current_user)
    except ServiceError as error:
        flash(error.message, "info")
    else:
        flash(_("Vi har sendt en ny lenke til %(email)s.", email=current_user.email), "success")
    return redirect(next_target("accounts.profile"))


@bp.route("/login", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def login():
    if current_user.is_authenticated:
        return redirect(next_target())
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"]
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(
                _("E-postadressen eller passordet er feil. Sjekk begge og prøv igjen.")
            )
        else:
            login_user(user, remember=form.remember.data)
            services.touch_last_seen(user)
            services.record_sign_in(user, "password", request.remote_addr)
            return redirect(next_target())
    return render_template(
        "accounts/login.html", form=form, next=request.args.get("next", ""),
        providers=oidc.providers(),
    )


def _sign_in_again() -> None:
    """Log this browser in again after its user's session token changed, keeping "remember me".

    The session (and remember cookie) still carry the old token, which no longer works.
    """
    had_remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(current_user._get_current_object(), remember=had_remember)


@bp.route("/logout", methods=["POST"])
def logout():
    # Logging out ends every session of the person, on every device: with a cookie session
    # the only way to make a copied cookie (or remember cookie) stop working.
    provider = session.pop("oidc_provider", None)
    if current_user.is_authenticated:
        services.end_all_sessions(current_user)
    logout_user()
    flash(_("Du er logget ut."), "info")
    # Signed in through a provider: end that session too (RP-initiated logout), so the next
    # person at this computer is not signed in again without a password.
    end_session = provider and provider in oidc.providers() and oidc.logout_url(
        provider, external_url("ideas.home")
    )
    return redirect(end_session or url_for("ideas.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        # The same answer whether or not the address is registered.
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except ServiceError as error:
        return render_template("accounts/link_problem.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            login_user(user)
            services.record_sign_in(user, "link", request.remote_addr)
            flash(_("Passordet er endret, og du er logget inn."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(prefix="profile", obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
    password_form = ChangePasswordForm(prefix="password")
    token_form = ApiTokenForm(prefix="token")
    new_token = None
    action = request.form.get("action")
    if request.method == "POST":
        if action == "profile" and form.validate_on_submit():
            try:
                services.update_profile(current_user, form.full_name.data, form.locale.data or None)
            except ServiceError as error:
                apply_errors(form, error)
            else:
                flash(_("Profilen er lagret."), "success")
                lang = current_user.locale
                return redirect(url_for("accounts.profile", **({"lang": lang} if lang in LOCALES else {})))
        elif action == "password" and password_form.validate_on_submit():
            try:
                revoked = services.change_password(
                    current_user, password_form.current_password.data, password_form.password.data,
                    revoke_api_tokens=password_form.revoke_api_tokens.data,
                )
            except ServiceError as error:
                apply_errors(password_form, error)
            else:
                _sign_in_again()
                flash(_("Passordet er endret. Du er logget ut på alle andre enheter."), "success")
                if revoked:
                    flash(ngettext("%(num)d API-nøkkel er trukket tilbake.",
                                   "%(num)d API-nøkler er trukket tilbake.", revoked), "success")
                return redirect(url_for("accounts.profile"))
        elif action == "end_sessions":
            services.end_all_sessions(current_user)
            _sign_in_again()
            flash(_("Du er logget ut på alle andre enheter. Her er du fortsatt logget inn."), "success")
            return redirect(url_for("accounts.profile"))
        elif action == "token" and token_form.validate_on_submit():
            try:
                _token, new_token = services.create_api_token(current_user, token_form.name.data)
            except ServiceError as error:
                apply_errors(token_form, error)
            else:
                token_form = ApiTokenForm(prefix="token", formdata=None)
        elif action == "unlink_identity":
            try:
                services.unlink_identity(current_user, int(request.form.get("identity_id", 0)))
            except ValueError:
                abort(404)
            except ServiceError as error:
                flash(error.message, "danger")
            else:
                flash(_("Kontoen er koblet fra ID-porten."), "success")
            return redirect(url_for("accounts.profile"))
        elif action == "revoke_token":
            try:
                services.revoke_api_token(current_user, int(request.form.get("token_id", 0)))
            except (ServiceError, ValueError):
                abort(404)
            flash(_("Nøkkelen er trukket tilbake."), "success")
            return redirect(url_for("accounts.profile"))
    tokens = db.session.scalars(
        db.select(ApiToken)
        .where(ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    ).all()
    return render_template(
        "accounts/profile.html", form=form, password_form=password_form,
        token_form=token_form, tokens=tokens, new_token=new_token,
        memberships=services.memberships_of(current_user),
        identity=current_user.verified_identity, resident_provider=oidc.resident_provider(),
        has_email=not current_user.email.endswith("@" + services.NO_EMAIL_DOMAIN),
    )


# --- organisations --------------------------------------------------------------------


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def organisation_new():
    form = OrganisationForm()
    if form.validate_on_submit():
        data = services.OrganisationInput(
            name=form.name.data, kind=form.kind.data, org_number=form.org_number.data,
            description=form.description.data, website=form.website.data,
        )
        try:
            organisation = services.register_organisation(current_user, data)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            flash(
                _("Organisasjonen er registrert. Den kan opptre i debatten når en moderator har verifisert den."),
                "success",
            )
            return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
    return render_template("accounts/organisation_new.html", form=form)


def _organisation_page(organisation, invite_form=None, status: int = 200):
    manage = can_manage_organisation(current_user, organisation)
    return render_template(
        "accounts/organisation.html", organisation=organisation, manage=manage,
        invite_form=invite_form or InviteMemberForm(),
        invitations=services.pending_invitations(current_user, organisation) if manage else [],
        membership=membership_of(current_user, organisation),
        is_member=membership_of(current_user, organisation) is not None,
    ), status


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id: int):
    organisation = services.get_organisation(organisation_id)
    if request.method == "POST":
        if not can_manage_organisation(current_user, organisation):
            abort(403)
        action = request.form.get("action")
        try:
            user_id = int(request.form.get("user_id", 0))
        except ValueError:
            abort(404)
        try:
            if action == "remove":
                services.remove_member(current_user, organisation, user_id)
                flash(_("Medlemmet er fjernet."), "success")
            elif action in {"make_admin", "make_member"}:
                role = MembershipRole.ADMIN if action == "make_admin" else MembershipRole.MEMBER
                membership = services.set_member_role(current_user, organisation, user_id, role)
                flash(_("%(name)s er nå administrator.", name=membership.user.full_name)
                      if role == MembershipRole.ADMIN
                      else _("%(name)s er nå vanlig medlem.", name=membership.user.full_name), "success")
            else:
                abort(400)
        except ServiceError as error:
            flash(error.message, "danger")
        return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
    return _organisation_page(organisation)


@bp.route("/organisations/<int:organisation_id>/invitations", methods=["POST"])
@limit("RATELIMIT_INVITATIONS", only_when=succeeded)
@login_required
def organisation_invite(organisation_id: int):
    organisation = services.get_organisation(organisation_id)
    if not can_manage_organisation(current_user, organisation):
        abort(403)
    form = InviteMemberForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        try:
            services.invite_member(current_user, organisation, email)
        except ServiceError as error:
            apply_errors(form, error)
        else:
            # The same words whether or not the address has an account or is a member already.
            flash(_("Vi har sendt en invitasjon til %(email)s, med mindre adressen allerede hører "
                    "til et medlem. Personen blir medlem når hen godtar invitasjonen.", email=email),
                  "success")
            return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
    return _organisation_page(organisation, invite_form=form, status=422)


@bp.route("/organisations/<int:organisation_id>/invitations/<int:invitation_id>/withdraw",
          methods=["POST"])
@login_required
def organisation_withdraw_invitation(organisation_id: int, invitation_id: int):
    organisation = services.get_organisation(organisation_id)
    try:
        invitation = services.withdraw_invitation(current_user, organisation, invitation_id)
    except ServiceError as error:
        if error.status_code in {403, 404}:
            raise
        flash(error.message, "danger")
    else:
        flash(_("Invitasjonen til %(email)s er trukket tilbake.", email=invitation.email), "success")
    return redirect(url_for("accounts.organisation", organisation_id=organisation.id))


@bp.route("/organisations/<int:organisation_id>/leave", methods=["POST"])
@login_required
def organisation_leave(organisation_id: int):
    organisation = services.get_organisation(organisation_id)
    try:
        services.leave_organisation(current_user, organisation)
    except ServiceError as error:
        if error.status_code == 404:
            raise
        flash(error.message, "danger")
        return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
    flash(_("Du er ikke lenger medlem av %(name)s.", name=organisation.name), "success")
    return redirect(url_for("accounts.my_organisations"))


@bp.route("/invitations")
@login_required
def invitations():
    return render_template(
        "accounts/invitations.html", invitations=services.invitations_for(current_user)
    )


@bp.route("/invitations/<int:invitation_id>", methods=["GET", "POST"])
@login_required
def invitation(invitation_id: int):
    try:
        invitation = services.get_invitation_for(current_user, invitation_id)
    except ServiceError as error:
        if error.status_code == 404:
            raise
        # The address is not confirmed yet: say so, with the way to confirm it.
        return render_template("accounts/invitation.html", invitation=None, problem=error.message), 409
    problem = None
    if request.method == "POST":
        answer = request.form.get("answer")
        try:
            if answer == "accept":
                services.accept_invitation(current_user, invitation.id)
                flash(_("Velkommen! Du er nå medlem av %(name)s.", name=invitation.organisation.name),
                      "success")
                return redirect(url_for("accounts.organisation",
                                        organisation_id=invitation.organisation_id))
            if answer == "decline":
                services.decline_invitation(current_user, invitation.id)
                flash(_("Du har avslått invitasjonen fra %(name)s.", name=invitation.organisation.name),
                      "info")
                return redirect(url_for("accounts.invitations"))
            abort(400)
        except ServiceError as error:
            problem = error.message
    if problem is None and not invitation.is_open:
        problem = services.closed_invitation_message(invitation)
    return render_template(
        "accounts/invitation.html", invitation=invitation, problem=problem
    ), (409 if problem and request.method == "POST" else 200)


@bp.route("/my/organisations")
@login_required
def my_organisations():
    return render_template(
        "accounts/my_organisations.html", memberships=services.memberships_of(current_user)
    )


# --- OpenID Connect sign-in -------------------------------------------------------------

# A first sign-in waits this long for the person's name before they must sign in again.
PENDING_SECONDS = 30 * 60


def _oidc_problem(message: str, status: int):
    return render_template("accounts/oidc_problem.html", message=message), status


def _start_oidc(name: str):
    try:
        return oidc.authorize_redirect(
            name, external_url("accounts.oidc_callback", name=name), str(get_locale() or "nb")
        )
    except ServiceError as error:
        return _oidc_problem(error.message, error.status_code)


@bp.route("/login/oidc/<name>")
@_limit("RATELIMIT_LOGIN")
def oidc_login(name: str):
    oidc.provider(name)  # 404 for a provider that is not configured
    next_url = request.args.get("next")
    session["oidc_next"] = next_url if is_safe_target(next_url) else None
    session.pop("oidc_link", None)
    return _start_oidc(name)


@bp.route("/profile/identity", methods=["POST"])
@login_required
def oidc_link():
    name = oidc.resident_provider()
    if name is None:
        abort(404)
    session["oidc_link"] = current_user.id
    # Back to where the person was asked to verify (a vote, a comment), else the profile.
    next_url = request.form.get("next")
    session["oidc_next"] = next_url if is_safe_target(next_url) else url_for("accounts.profile")
    return _start_oidc(name)


@bp.route("/login/oidc/<name>/callback")
@_limit("RATELIMIT_LOGIN")
def oidc_callback(name: str):
    try:
        login = oidc.finish_login(name)
    except ServiceError as error:
        return _oidc_problem(error.message, error.status_code)
    next_url = session.pop("oidc_next", None)
    linking = session.pop("oidc_link", None)
    if linking and current_user.is_authenticated and linking == current_user.id:
        try:
            services.link_identity(current_user, login)
        except ServiceError as error:
            return _oidc_problem(error.message, error.status_code)
        # The provider's session is now this person's too: a front-channel logout must find it.
        services.record_sign_in(current_user, f"oidc:{name}", request.remote_addr, login.session_hash)
        flash(_("Kontoen din er nå knyttet til ID-porten."), "success")
        return redirect(next_url if is_safe_target(next_url) else url_for("accounts.profile"))
    user = services.sign_in_with_identity(login)
    if user is None and login.kind == "staff" and login.name:
        # The municipality's directory knows its staff by name: no questions unless it fails.
        try:
            user = services.create_user_with_identity(login, login.name, login.email)
        except ServiceError:
            user = None
    if user is None:
        session["oidc_pending"] = {**dataclasses.asdict(login), "at": time.time(), "next": next_url}
        return redirect(url_for("accounts.oidc_welcome"))
    return _finish_oidc_login(user, name, next_url, login.session_hash)


def _finish_oidc_login(user, name: str, next_url: str | None, session_hash: str = ""):
    if current_user.is_authenticated and current_user.id != user.id:
        logout_user()
    login_user(user)
    services.record_sign_in(user, f"oidc:{name}", request.remote_addr, session_hash)
    # Which provider to end the session at on logout (its name only: the ID token holds the
    # national identity number and is not kept).
    session["oidc_provider"] = name
    return redirect(next_url if is_safe_target(next_url) else url_for("ideas.home"))


def _pending_login():
    pending = session.get("oidc_pending")
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    fields = {f.name for f in dataclasses.fields(oidc.VerifiedLogin)}
    values = {k: (tuple(v) if k == "groups" else v) for k, v in pending.items() if k in fields}
    return oidc.VerifiedLogin(**values), pending.get("next")


@bp.route("/login/oidc/welcome", methods=["GET", "POST"])
def oidc_welcome():
    login, next_url = _pending_login()
    if login is None:
        return _oidc_problem(
            _("Innloggingen er utløpt eller ikke startet. Logg inn på nytt."), 400
        )
    form = FirstLoginForm()
    if request.method == "GET" and login.name:
        form.full_name.data = login.name
    if form.validate_on_submit():
        try:
            user = services.create_user_with_identity(
                login, form.full_name.data, form.email.data or "", str(get_locale() or "")
            )
        except ServiceError as error:
            apply_errors(form, error)
        else:
            session.pop("oidc_pending", None)
            if form.email.data:
                flash(_("Velkommen! Vi har sendt en lenke til %(email)s for å bekrefte adressen.",
                        email=user.email), "success")
            else:
                flash(_("Velkommen! Kontoen din er klar."), "success")
            return _finish_oidc_login(user, login.provider, next_url, login.session_hash)
    return render_template("accounts/oidc_welcome.html", form=form, login=login)


@bp.route("/login/oidc/<name>/backchannel-logout", methods=["POST"])
def oidc_backchannel_logout(name: str):
    """Called by the provider's server (no cookie, no CSRF token) with a signed logout token."""
    try:
        issuer, subject = oidc.verify_logout_token(name, request.form.get("logout_token", ""))
    except ServiceError as error:
        return {"error": "invalid_request", "error_description": error.message}, error.status_code
    services.end_sessions_for_subject(issuer, subject)
    return "", 200, {"Cache-Control": "no-store"}


@bp.route("/login/oidc/<name>/frontchannel-logout")
def oidc_frontchannel_logout(name: str):
    """OpenID Connect Front-Channel Logout: the provider's logout page loads this in a hidden
    frame, with its issuer and the session id (`sid`) it gave at sign-in.

    The frame is cross-site, so the browser sends no session cookie (SameSite=Lax): the person
    is found by the keyed hash of `sid` kept with the sign-in record, and every session of
    theirs ends, as with a back-channel logout. Unknown sessions are not an error: the provider
    tells every client it has.
    """
    if name not in oidc.providers():
        abort(404)
    try:
        issuer = oidc.issuer(name)
    except ServiceError as error:
        return _frontchannel_answer(name, error.status_code)
    given_issuer, sid = request.args.get("iss"), request.args.get("sid")
    if given_issuer is not None and given_issuer != issuer:
        return _frontchannel_answer(name, 400)
    if sid:
        services.end_sessions_for_provider_session(name, oidc.session_hash(issuer, sid[:255]))
    if session.get("oidc_provider") == name and current_user.is_authenticated:
        # Where the deployment shares a site with the provider and the cookie did come along.
        logout_user()
        session.clear()
    return _frontchannel_answer(name, 200)


def _frontchannel_answer(name: str, status: int):
    # An empty page the provider's logout page may frame; nothing cached, nothing to read.
    response = current_app.response_class("<!doctype html><title>Logout</title>", status=status,
                                          mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; frame-ancestors {oidc.provider_origin(name)}"
    )
    return response


@bp.route("/verify")
def verify():
    """Where an action that needs a verified identity sends the person (with ?next=)."""
    name = oidc.resident_provider()
    if name is None:
        abort(404)
    next_url = request.args.get("next")
    next_url = next_url if is_safe_target(next_url) else None
    if current_user.is_authenticated and current_user.is_verified:
        return redirect(next_url or url_for("ideas.home"))
    return render_template("accounts/verify.html", provider=name, next=next_url,
                           label=oidc.provider(name).get("label") or "ID-porten")
