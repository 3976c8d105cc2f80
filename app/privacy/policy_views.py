"""The privacy page (personvernerklæring), built from the settings the platform runs on.

The retention periods are the ones `flask privacy enforce` applies and the cookies the ones
the app sets, read from the same settings, so the page cannot promise one thing while the
code does another.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.i18n import LANG_COOKIE, LANG_COOKIE_MAX_AGE
from app.core.pagecache import public_page
from app.privacy import bp, retention

DATATILSYNET_URL = "https://www.datatilsynet.no/om-datatilsynet/kontakt-oss/klage-til-datatilsynet/"


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def _seconds(value, default: int) -> int:
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def lifetime(seconds: int) -> str:
    """A cookie's or a counter's lifetime in words: whole years, days or hours."""
    day = 24 * 3600
    if seconds >= 365 * day and seconds % (365 * day) == 0:
        return ngettext("%(num)d år", "%(num)d år", seconds // (365 * day))
    if seconds >= day:
        return ngettext("%(num)d dag", "%(num)d dager", seconds // day)
    return ngettext("%(num)d time", "%(num)d timer", max(1, seconds // 3600))


def cookies() -> list[Cookie]:
    """Every cookie Medvirk sets, named and timed from the settings that set them."""
    config = current_app.config
    remember = _seconds(config.get("REMEMBER_COOKIE_DURATION"), 365 * 24 * 3600)
    return [
        Cookie(
            config.get("SESSION_COOKIE_NAME") or "session",
            _("Holder deg innlogget og beskytter skjemaene mot forfalskede innsendinger."),
            _("Slettes når du lukker nettleseren."),
        ),
        Cookie(
            config.get("REMEMBER_COOKIE_NAME") or "remember_token",
            _("Settes bare hvis du krysser av for «Husk meg på denne enheten» når du logger inn, "
              "og holder deg innlogget. Slettes når du logger ut."),
            _("Varer i %(lifetime)s.", lifetime=lifetime(remember)),
        ),
        Cookie(
            LANG_COOKIE,
            _("Husker språket du valgte (bokmål, nynorsk eller engelsk)."),
            _("Varer i %(lifetime)s.", lifetime=lifetime(LANG_COOKIE_MAX_AGE)),
        ),
    ]


def _period(name: str) -> int | None:
    try:
        return retention.period(name)
    except ValueError:
        return None


def _link(*endpoints: str) -> str | None:
    # The pages of "Mine data" and deletion live in this domain's other modules; a page that
    # is not there links nowhere rather than failing.
    for endpoint in endpoints:
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None


def _setting(name: str) -> int | None:
    """A whole-number setting of another part of the domain (grace days, link hours), or None."""
    try:
        value = int(current_app.config.get(name))
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


@bp.route("/privacy")
@public_page
def policy():
    config = current_app.config
    return render_template(
        "privacy/policy.html",
        privacy_text=config.get("PRIVACY_TEXT") or "",
        controller=config.get("PRIVACY_CONTROLLER") or config["MUNICIPALITY_NAME"],
        controller_address=config.get("PRIVACY_CONTROLLER_ADDRESS") or "",
        contact_email=config.get("PRIVACY_CONTACT_EMAIL") or "",
        dpo_name=config.get("DPO_NAME") or "",
        dpo_email=config.get("DPO_EMAIL") or "",
        processors=config.get("PRIVACY_PROCESSORS") or [],
        periods={name: _period(name) for name in retention.SETTINGS},
        rate_limit_window=lifetime(retention.longest_rate_limit_window() or 3600),
        cookies=cookies(),
        deletion_grace_days=_setting("ACCOUNT_DELETION_GRACE_DAYS"),
        export_link_hours=_setting("EXPORT_LINK_HOURS"),
        mine_data_url=_link("privacy.mine", "privacy.mine_data"),
        delete_account_url=_link("privacy.delete_account"),
        profile_url=_link("accounts.profile"),
        datatilsynet_url=DATATILSYNET_URL,
    )
