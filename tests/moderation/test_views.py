"""Moderation pages: who may open them, reporting, the queue, appeals, people, the log, notices."""

import pytest
from flask import render_template
from flask_login import login_user, logout_user
from sqlalchemy import select

from app.accounts.models import Role
from app.comments.models import CommentVisibility
from app.extensions import db
from app.ideas.models import Visibility
from app.moderation import queries, services
from app.moderation.models import AuditAction, ModerationAction, Report
from tests.factories import login, make_user
from tests.moderation.conftest import make_comment, make_idea

ROLES = ["anonymous", Role.RESIDENT, Role.PORTFOLIO_MANAGER, Role.MODERATOR, Role.ADMIN]
ALLOWED = {Role.MODERATOR, Role.ADMIN}


def _as(client, role):
    if role == "anonymous":
        return None
    user = make_user(role=role)
    login(client, user)
    return user


def _staff_pages():
    idea = make_idea()
    person = make_user()
    return [
        ("GET", "/moderation", None),
        ("GET", f"/moderation/idea/{idea.id}", None),
        ("POST", f"/moderation/idea/{idea.id}", {"decision": "hide", "reason": "spam"}),
        ("POST", "/moderation/decide", {"decision": "hide", "reason": "spam"}),
        ("GET", "/moderation/people", None),
        ("GET", f"/moderation/people/{person.id}", None),
        ("POST", f"/moderation/people/{person.id}", {"action": "block", "block-reason": "Hets."}),
        ("GET", "/moderation/log", None),
        ("GET", "/moderation/log.csv", None),
    ]


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_moderators_and_admins_open_the_moderation_pages(client, role):
    pages = _staff_pages()
    _as(client, role)
    for method, path, data in pages:
        response = client.open(path, method=method, data=data)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.location, path
        elif role in ALLOWED:
            assert response.status_code in (200, 302, 422), (path, response.status_code)
        else:
            assert response.status_code == 403, (path, response.status_code)


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_staff_menu_shows_the_queue_with_its_count_only_to_moderators(client, role):
    _report = make_comment()
    services.report_content(make_user(), "comment", _report.id, "spam")
    _as(client, role)
    html = client.get("/transparency").get_data(as_text=True)
    assert ('href="/moderation"' in html) == (role in ALLOWED)
    if role in ALLOWED:
        assert 'Moderering<span class="nav-count"><span class="ds-sr-only">, </span>1' in html


# --- reporting ------------------------------------------------------------------------


def test_resident_reports_a_comment_sees_a_confirmation_and_follows_it(client):
    comment = make_comment(body="Kjøp billige klokker her")
    reporter = make_user()
    login(client, reporter)
    page = client.get(f"/report/comment/{comment.id}").get_data(as_text=True)
    assert 'type="radio"' in page and "Kjøp billige klokker her" in page
    response = client.post(f"/report/comment/{comment.id}", data={"reason": "spam", "note": "Reklame."})
    assert response.status_code == 302 and response.location.endswith(f"/report/comment/{comment.id}/sent")
    assert "Takk for rapporten" in client.get(response.location).get_data(as_text=True)
    again = client.get(f"/report/comment/{comment.id}").get_data(as_text=True)
    assert "Du har allerede rapportert dette" in again and 'type="radio"' not in again
    assert client.post(f"/report/comment/{comment.id}", data={"reason": "spam"}).status_code == 409
    mine = client.get("/my/reports").get_data(as_text=True)
    assert "Reklame eller spam" in mine and "Under vurdering" in mine
    services.moderate_item(make_user(role=Role.MODERATOR), "comment", comment.id, "hide", "spam")
    mine = client.get("/my/reports").get_data(as_text=True)
    assert "Skjult av moderatorene" in mine and "Kjøp billige klokker" not in mine


def test_report_form_keeps_the_note_and_names_the_missing_reason(client):
    comment = make_comment()
    login(client, make_user())
    response = client.post(f"/report/comment/{comment.id}", data={"note": "Se på denne"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Velg hvorfor du rapporterer dette." in html and "Se på denne" in html
    assert 'href="#reason"' in html  # the error summary links to the field
    assert db.session.scalar(select(Report.id)) is None


def test_visitor_is_sent_to_log_in_before_reporting(client):
    comment = make_comment()
    response = client.get(f"/report/comment/{comment.id}")
    assert response.status_code == 302 and "/login" in response.location


def test_blocked_person_reads_the_report_page_but_cannot_report(client):
    comment = make_comment()
    login(client, make_user(is_blocked=True, blocked_reason="Hets."))
    assert client.get(f"/report/comment/{comment.id}").status_code == 200
    assert client.post(f"/report/comment/{comment.id}", data={"reason": "spam"}).status_code == 403
    assert db.session.scalar(select(Report.id)) is None


def test_three_reports_through_the_pages_hide_the_comment(client):
    comment = make_comment()
    for _ in range(3):
        with client:
            login(client, make_user())
            client.post(f"/report/comment/{comment.id}", data={"reason": "offensive"})
            client.post("/logout")
    db.session.refresh(comment)
    assert comment.visibility == CommentVisibility.HIDDEN


# --- the report link on ideas and comments ----------------------------------------------


def _render_link(app, user, target, kind):
    with app.test_request_context("/"):
        if user is not None:
            login_user(user)
        html = render_template("moderation/_report_link.html", target=target, target_type=kind)
        if user is not None:
            logout_user()
    return html


def test_report_link_shows_to_each_kind_of_visitor_what_they_may_do(app):
    author = make_user()
    comment = make_comment(author=author)
    assert "Rapporter" not in _render_link(app, None, comment, "comment")
    assert f"/report/comment/{comment.id}" in _render_link(app, make_user(), comment, "comment")
    assert "/report/" not in _render_link(app, author, comment, "comment")
    assert "/report/" not in _render_link(app, make_user(confirmed=False), comment, "comment")
    moderator_view = _render_link(app, make_user(role=Role.MODERATOR), comment, "comment")
    assert f"/moderation/comment/{comment.id}?decision=hide" in moderator_view
    comment.visibility = CommentVisibility.HIDDEN
    db.session.commit()
    assert f"/appeal/comment/{comment.id}" in _render_link(app, author, comment, "comment")
    assert "/report/" not in _render_link(app, make_user(), comment, "comment")
    assert "decision=restore" in _render_link(app, make_user(role=Role.ADMIN), comment, "comment")


def test_idea_section_tells_the_author_why_their_idea_is_hidden(app):
    from app.ideas.sections import IDEA_SECTIONS

    author = make_user()
    idea = make_idea(author)
    services.moderate_item(make_user(role=Role.MODERATOR), "idea", idea.id, "hide", "spam", "Fjern lenkene.")
    section = next(s for s in IDEA_SECTIONS if s.name == "report")
    with app.test_request_context("/"):
        login_user(author)
        html = render_template(section.template, **section.loader(idea, author))
        stranger = make_user()
        stranger_context = section.loader(idea, stranger)
    assert "Fjern lenkene." in html and "Avgjørelsen fra moderatorene" in html
    assert f"/appeal/idea/{idea.id}" in html
    assert stranger_context["hidden_case"] is None  # nobody else gets the moderator's note


# --- appeals --------------------------------------------------------------------------


def test_author_appeals_once_from_the_appeal_page(client):
    author = make_user()
    comment = make_comment(author=author, body="Min mening om veien")
    services.moderate_item(make_user(role=Role.MODERATOR), "comment", comment.id, "hide", "off_topic", "Hold deg til saken.")
    login(client, author)
    page = client.get(f"/appeal/comment/{comment.id}").get_data(as_text=True)
    assert "Min mening om veien" in page and "Utenfor temaet" in page and "Hold deg til saken." in page
    response = client.post(f"/appeal/comment/{comment.id}", data={"text": "Det handler om veien."})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Klagen er sendt" in page and "Til behandling" in page and "<textarea" not in page
    again = client.post(f"/appeal/comment/{comment.id}", data={"text": "En gang til."})
    assert again.status_code == 409
    assert queries.case_for("comment", comment.id).state.value == "appealed"


def test_nobody_but_the_author_opens_the_appeal_page(client):
    comment = make_comment()
    services.moderate_item(make_user(role=Role.MODERATOR), "comment", comment.id, "hide", "spam")
    login(client, make_user())
    assert client.get(f"/appeal/comment/{comment.id}").status_code == 403


# --- the queue and decisions ------------------------------------------------------------


def test_queue_shows_items_grouped_with_reasons_notes_and_state(client, moderator):
    comment = make_comment(body="Dette er hets mot naboen")
    for note in ("Stygt sagt.", "", ""):
        services.report_content(make_user(), "comment", comment.id, "offensive", note)
    idea = make_idea(title="Kjøp solcellepaneler")
    services.report_content(make_user(), "idea", idea.id, "spam")
    login(client, moderator)
    html = client.get("/moderation").get_data(as_text=True)
    assert "Dette er hets mot naboen" in html and "Kjøp solcellepaneler" in html
    assert "Skjult automatisk" in html and "Stygt sagt." in html
    assert "Hets, trusler eller krenkende innhold (3)" in html
    filtered = client.get("/moderation?kind=idea").get_data(as_text=True)
    assert "Kjøp solcellepaneler" in filtered and "Dette er hets mot naboen" not in filtered


def test_moderator_decides_several_items_at_once_from_the_queue(client, moderator, smtp):
    authors = [make_user(), make_user()]
    comments = [make_comment(author=a) for a in authors]
    for comment in comments:
        services.report_content(make_user(), "comment", comment.id, "spam")
    case_ids = [queries.case_for("comment", c.id).id for c in comments]
    login(client, moderator)
    response = client.post("/moderation/decide", data={
        "case_ids": [str(i) for i in case_ids], "decision": "hide", "reason": "spam",
        "note": "Ikke reklamer her.", "next": "/moderation",
    })
    assert response.status_code == 302
    for comment in comments:
        db.session.refresh(comment)
        assert comment.visibility == CommentVisibility.HIDDEN
    # The authors were told, by e-mail through the real SMTP server.
    for author in authors:
        bodies = smtp.bodies_to(author.email)
        assert len(bodies) == 1 and "Ikke reklamer her." in bodies[0]
    assert "2 saker er avgjort" in client.get("/moderation").get_data(as_text=True)


def test_bulk_decision_without_a_choice_says_what_is_missing(client, moderator):
    login(client, moderator)
    response = client.post("/moderation/decide", data={"decision": "hide", "reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Velg minst én sak i køen." in html and "Velg en begrunnelse fra listen." in html


def test_moderator_hides_an_idea_from_its_page_and_the_author_is_emailed(client, moderator, smtp):
    author = make_user()
    idea = make_idea(author, title="Gratis parkering")
    login(client, moderator)
    page = client.get(f"/moderation/idea/{idea.id}?decision=hide").get_data(as_text=True)
    assert "Gratis parkering" in page and '<option selected value="hide">' in page
    response = client.post(f"/moderation/idea/{idea.id}", data={
        "decision": "hide", "reason": "personal_data", "note": "Ta bort telefonnummeret."})
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.visibility == Visibility.HIDDEN
    [mail] = [m for m in smtp.messages if author.email in m["To"]]
    assert mail["Subject"] == "Idéen din er skjult av moderatorene"
    text = mail.get_body(("plain",)).get_content()  # the plain part of text + HTML
    assert "Personopplysninger om andre" in text
    assert "Ta bort telefonnummeret." in text
    history = client.get(f"/moderation/idea/{idea.id}").get_data(as_text=True)
    assert "Skjult" in history and moderator.full_name in history


def test_restore_and_appeal_decisions_are_emailed_to_the_author(client, moderator, smtp):
    author = make_user()
    comment = make_comment(author=author)
    services.moderate_item(moderator, "comment", comment.id, "hide", "spam")
    services.submit_appeal(author, "comment", comment.id, "Det var ikke reklame.")
    login(client, moderator)
    client.post(f"/moderation/comment/{comment.id}", data={
        "decision": "restore", "reason": "no_violation", "note": "Beklager."})
    subjects = [m["Subject"] for m in smtp.messages if author.email in m["To"]]
    assert subjects == ["Kommentaren din er skjult av moderatorene", "Klagen din er tatt til følge"]
    assert "Avgjørelsen på klagen er endelig." in smtp.bodies_to(author.email)[1]


# --- people ---------------------------------------------------------------------------


def test_moderator_blocks_with_an_end_date_and_hides_content_then_unblocks(client, moderator):
    person = make_user()
    comment = make_comment(author=person)
    login(client, moderator)
    response = client.post(f"/moderation/people/{person.id}", data={
        "action": "block", "block-reason": "Gjentatt hets.", "block-until": "2099-01-01",
        "block-hide_content": "y"})
    assert response.status_code == 302
    db.session.refresh(person)
    db.session.refresh(comment)
    assert person.block_active and person.blocked_until.year == 2098  # midnight in Oslo is 23:00 UTC
    assert comment.visibility == CommentVisibility.HIDDEN
    page = client.get(f"/moderation/people/{person.id}").get_data(as_text=True)
    assert "Gjentatt hets." in page and "Blokkert" in page
    client.post(f"/moderation/people/{person.id}", data={"action": "unblock", "unblock-reason": ""})
    db.session.refresh(person)
    assert not person.block_active


def test_block_form_keeps_what_was_typed_when_the_date_is_past(client, moderator):
    person = make_user()
    login(client, moderator)
    response = client.post(f"/moderation/people/{person.id}", data={
        "action": "block", "block-reason": "Hets i tre tråder.", "block-until": "2001-01-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sluttdatoen må være fram i tid." in html and "Hets i tre tråder." in html
    db.session.refresh(person)
    assert not person.is_blocked


def test_blocked_person_sees_why_and_until_when(client, moderator):
    person = make_user()
    services.block_person(moderator, person, "Hets mot andre.", services.block_end(__import__("datetime").date(2099, 5, 17)))
    login(client, person)
    html = client.get("/transparency").get_data(as_text=True)
    assert "Kontoen din er blokkert fra å delta" in html and "Hets mot andre." in html and "2099" in html


def test_moderator_marks_a_name_and_the_person_is_told(client, moderator):
    person = make_user("Kalle")
    login(client, moderator)
    response = client.post(f"/moderation/people/{person.id}", data={
        "action": "flag_name", "name-reason": "Skriv etternavnet også."})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.name_flagged_at is not None
    client.post("/logout")
    login(client, person)
    html = client.get("/transparency").get_data(as_text=True)
    assert "Skriv ditt fulle navn for å delta" in html


def test_people_search_finds_by_name(client, moderator):
    make_user("Petter Smart")
    login(client, moderator)
    html = client.get("/moderation/people?q=petter").get_data(as_text=True)
    assert "Petter Smart" in html


# --- the audit log --------------------------------------------------------------------


def test_log_page_filters_and_the_csv_neutralises_formulas(client, moderator):
    idea = make_idea()
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam", "=HYPERLINK(\"http://x\")")
    services.block_person(moderator, make_user(), "+47 hets")
    login(client, moderator)
    html = client.get("/moderation/log?action=hide").get_data(as_text=True)
    assert "Reklame eller spam" in html and "+47 hets" not in html
    response = client.get("/moderation/log.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeffTidspunkt (UTC);")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text
    assert ";'+47 hets;" in text
    filtered = client.get("/moderation/log.csv?action=block").get_data().decode("utf-8")
    assert "HYPERLINK" not in filtered and "'+47 hets" in filtered


# --- the public transparency page ---------------------------------------------------------


def test_transparency_page_is_public_and_names_nobody(client, moderator):
    author = make_user("Hemmelig Forfatter")
    idea = make_idea(author)
    services.moderate_item(moderator, "idea", idea.id, "hide", "spam")
    response = client.get("/transparency")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hemmelig Forfatter" not in html and moderator.full_name not in html
    assert "<td>1</td>" in html


# --- rate limits ------------------------------------------------------------------------


def test_reporting_too_often_answers_429_with_retry_after(client, app):
    app.config["RATELIMIT_REPORTS"] = "2 per hour"
    comments = [make_comment() for _ in range(3)]
    login(client, make_user())
    for comment in comments[:2]:
        assert client.post(f"/report/comment/{comment.id}", data={"reason": "spam"}).status_code == 302
    response = client.post(f"/report/comment/{comments[2].id}", data={"reason": "spam"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "For mange forsøk" in response.get_data(as_text=True)
    assert client.get(f"/report/comment/{comments[2].id}").status_code == 200  # reading is not limited


def test_the_address_limit_holds_across_people(client, app):
    app.config["RATELIMIT_REPORTS_PER_ADDRESS"] = "2 per hour"
    comments = [make_comment() for _ in range(3)]
    for comment in comments:
        with client:
            login(client, make_user())
            response = client.post(f"/report/comment/{comment.id}", data={"reason": "spam"})
            client.post("/logout")
    assert response.status_code == 429


def test_audit_rows_exist_for_page_actions(client, moderator):
    idea = make_idea()
    login(client, moderator)
    client.post(f"/moderation/idea/{idea.id}", data={"decision": "hide", "reason": "spam"})
    rows = db.session.scalars(select(ModerationAction)).all()
    assert [(r.action, r.actor_id) for r in rows] == [(AuditAction.HIDE, moderator.id)]
