"""Use cases of accessibility reports: anyone reports a problem, every admin hears of it, an admin follows it up."""

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from app.accessibility.models import AccessibilityReport
from app.accounts.models import Role, User
from app.accounts.permissions import can
from app.core.db import utcnow
from app.core.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from app.core.urls import external_url
from app.extensions import db
from app.notifications.mail import queue_email


@dataclass
class AccessibilityReportInput:
    description: str
    page: str = ""
    email: str = ""


def report_accessibility_problem(reporter: User | None, data: AccessibilityReportInput) -> AccessibilityReport:
    """Store a report from anyone (reporter may be None) and e-mail every admin about it.

    Raises InvalidInput for an empty description.
    """
    description = (data.description or "").strip()
    if not description:
        raise InvalidInput(
            _("Beskriv problemet du møtte."), fields={"description": [_("Beskriv problemet du møtte.")]}
        )
    signed_in = reporter is not None and getattr(reporter, "is_authenticated", False)
    email = reporter.email if signed_in else ((data.email or "").strip().lower() or None)
    report = AccessibilityReport(
        page=(data.page or "").strip()[:500],
        description=description,
        email=email,
        reporter_id=reporter.id if signed_in else None,
    )
    db.session.add(report)
    db.session.flush()
    admins = db.session.scalars(
        select(User).where(User.role == Role.ADMIN, User.is_blocked.is_(False)).order_by(User.id)
    ).all()
    link = external_url("accessibility.reports")
    for admin in admins:
        with force_locale(admin.locale or current_app.config["DEFAULT_LOCALE"]):
            body = render_template(
                "accessibility/email/report.txt", report=report, url=link,
                reporter_name=reporter.full_name if signed_in else None,
            )
            queue_email(admin.email, _("Nytt tilgjengelighetsproblem meldt"), body)
    db.session.commit()
    return report


def accessibility_reports(show_handled: bool = False) -> Select:
    """The admins' list: open reports oldest first, or handled ones newest first."""
    # Who reported and who handled it, in the same query (not one each: issue 17).
    stmt = select(AccessibilityReport).options(
        joinedload(AccessibilityReport.reporter), joinedload(AccessibilityReport.handled_by)
    )
    if show_handled:
        return stmt.where(AccessibilityReport.handled_at.is_not(None)).order_by(
            AccessibilityReport.handled_at.desc(), AccessibilityReport.id.desc()
        )
    return stmt.where(AccessibilityReport.handled_at.is_(None)).order_by(
        AccessibilityReport.created_at, AccessibilityReport.id
    )


def open_accessibility_reports_query(user: User | None = None) -> Select:
    return select(func.count()).select_from(AccessibilityReport).where(AccessibilityReport.handled_at.is_(None))


def open_accessibility_report_count(user: User | None = None) -> int:
    return db.session.scalar(open_accessibility_reports_query(user)) or 0


def mark_accessibility_report_handled(actor: User, report_id: int) -> AccessibilityReport:
    """An admin marks a report as followed up.

    Raises NotAllowed for anyone but admins, NotFound, InvalidState if already handled.
    """
    if not can(actor, "administer"):
        raise NotAllowed(_("Bare administratorer kan behandle tilgjengelighetsmeldinger."))
    report = db.session.get(AccessibilityReport, report_id, with_for_update=True)
    if report is None:
        raise NotFound(_("Fant ikke meldingen."))
    if report.handled_at is not None:
        raise InvalidState(_("Meldingen er allerede behandlet."))
    report.handled_at = utcnow()
    report.handled_by_id = actor.id
    db.session.commit()
    return report
