"""The accessibility statement, its problem reports (which land with the admins), and privacy.

Accessibility reports live in app/accessibility; the privacy page stays in core.
"""

import pytest
from sqlalchemy import select

from app.accessibility import services
from app.accessibility.models import AccessibilityReport
from app.accounts.models import Role
from app.core.errors import InvalidInput, InvalidState, NotAllowed
from app.extensions import db
from tests.factories import login, make_user


def test_statement_shows_default_text_and_the_uustatus_link_when_set(app, client):
    app.config["ACCESSIBILITY_STATEMENT_URL"] = "https://uustatus.no/nb/erklaringer/publisert/abc"
    page = client.get("/accessibility").get_data(as_text=True)
    assert "WCAG 2.0 og 2.1" in page
    assert 'href="https://uustatus.no/nb/erklaringer/publisert/abc"' in page


def test_statement_and_privacy_text_are_settings_rendered_as_markdown_without_html(app, client):
    app.config["ACCESSIBILITY_STATEMENT_TEXT"] = "## Vår erklæring\n\nMedvik svarer innen **to uker**.<script>x</script>"
    app.config["PRIVACY_TEXT"] = "Kommunens egen tekst om personvern."
    statement = client.get("/accessibility").get_data(as_text=True)
    assert "<strong>to uker</strong>" in statement
    assert "<script>x" not in statement
    assert "WCAG 2.0 og 2.1" not in statement
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "Kommunens egen tekst om personvern." in privacy
    # The rest of the page is built from the settings the retention job uses (tests/privacy).
    assert "Hva vi lagrer" in privacy


def test_privacy_default_says_what_why_how_long_and_how_to_ask(client):
    page = client.get("/privacy").get_data(as_text=True)
    for heading in ("Hva vi lagrer", "Hvorfor", "Hvor lenge", "Dine rettigheter"):
        assert heading in page
    assert "sletting" in page


def test_visitor_reports_a_problem_and_every_admin_gets_an_email(app, client, smtp):
    admin = make_user("Trond Aasheim", role=Role.ADMIN)
    other_admin = make_user("Åse Admin", role=Role.ADMIN)
    make_user("Mona Moderator", role=Role.MODERATOR)
    response = client.post(
        "/accessibility",
        data={"page": "/ideas", "description": "Filteret kan ikke brukes med tastatur.", "email": "besok@example.no"},
    )
    assert response.status_code == 302
    report = db.session.scalar(select(AccessibilityReport))
    assert report.page == "/ideas"
    assert report.email == "besok@example.no"
    assert report.reporter_id is None
    recipients = sorted(m["To"] for m in smtp.messages)
    assert recipients == sorted([admin.email, other_admin.email])
    assert "Filteret kan ikke brukes med tastatur." in smtp.bodies_to(admin.email)[0]
    assert "/admin/accessibility-reports" in smtp.bodies_to(admin.email)[0]


def test_signed_in_resident_report_uses_the_account_email(client):
    resident = make_user("Kari Nordmann", email="kari@example.no")
    login(client, resident)
    client.post("/accessibility", data={"description": "Kontrasten er for svak.", "email": "annen@example.no"})
    report = db.session.scalar(select(AccessibilityReport))
    assert report.reporter_id == resident.id
    assert report.email == "kari@example.no"


def test_empty_report_is_refused_with_the_message_next_to_the_field_and_input_kept(client):
    page = client.post("/accessibility", data={"page": "/sdgs", "description": "  "}).get_data(as_text=True)
    assert 'id="description-error"' in page
    assert 'href="#description"' in page  # the error summary links to the field
    assert 'value="/sdgs"' in page
    assert db.session.scalar(select(AccessibilityReport)) is None


def test_form_prefills_the_page_the_person_came_from_on_this_site_only(client):
    page = client.get("/accessibility", headers={"Referer": "http://medvirk.test/sdgs?lang=en"}).get_data(as_text=True)
    assert 'value="/sdgs?lang=en"' in page
    page = client.get("/accessibility", headers={"Referer": "https://elsewhere.example/x"}).get_data(as_text=True)
    assert "elsewhere" not in page


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.MODERATOR, Role.PORTFOLIO_MANAGER])
def test_only_admins_see_the_reports_list(client, role):
    if role is not None:
        login(client, make_user(role=role))
    response = client.get("/admin/accessibility-reports")
    assert response.status_code == (302 if role is None else 403)


def test_admin_sees_open_reports_in_the_staff_menu_and_marks_one_handled(client):
    admin = make_user(role=Role.ADMIN)
    report = services.report_accessibility_problem(
        None, services.AccessibilityReportInput(description="Bildet mangler tekst.")
    )
    login(client, admin)
    page = client.get("/admin/accessibility-reports").get_data(as_text=True)
    assert "Bildet mangler tekst." in page
    assert 'href="/admin/accessibility-reports"' in client.get("/").get_data(as_text=True)
    response = client.post("/admin/accessibility-reports", data={"report_id": report.id})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.handled_by_id == admin.id
    assert "Bildet mangler tekst." not in client.get("/admin/accessibility-reports").get_data(as_text=True)
    handled = client.get("/admin/accessibility-reports?show=handled").get_data(as_text=True)
    assert "Bildet mangler tekst." in handled


def test_report_rules_in_the_service(app):
    admin = make_user(role=Role.ADMIN)
    moderator = make_user(role=Role.MODERATOR)
    with pytest.raises(InvalidInput):
        services.report_accessibility_problem(None, services.AccessibilityReportInput(description=" "))
    report = services.report_accessibility_problem(
        None, services.AccessibilityReportInput(description="Lenken er uklar.")
    )
    assert services.open_accessibility_report_count() == 1
    with pytest.raises(NotAllowed):
        services.mark_accessibility_report_handled(moderator, report.id)
    services.mark_accessibility_report_handled(admin, report.id)
    assert services.open_accessibility_report_count() == 0
    with pytest.raises(InvalidState):
        services.mark_accessibility_report_handled(admin, report.id)


def test_the_reports_link_in_the_admins_email_is_on_site_url_whatever_the_host(app, client, smtp):
    admin = make_user(role=Role.ADMIN)
    app.config["SITE_URL"] = "https://medvirk.medvik.kommune.no"
    client.post("/accessibility", data={"description": "Knappen mangler navn."})
    assert "https://medvirk.medvik.kommune.no/admin/accessibility-reports" in smtp.bodies_to(admin.email)[0]


def test_endpoints_keep_their_addresses(app):
    from flask import url_for

    with app.test_request_context():
        assert url_for("accessibility.statement") == "/accessibility"
        assert url_for("accessibility.reports") == "/admin/accessibility-reports"
