"""Twelve kinds of hostile input that used to give a 500 (issue 10, defect 12): each is a 404, or a
400/422 naming the field, with the message the person reads."""

import json

import pytest
from sqlalchemy import event

from app.accounts.models import Role
from app.core.errors import ServiceError
from app.core.http import is_safe_target
from app.extensions import db
from tests.factories import login, make_service_area, make_user
from tests.moderation.conftest import make_comment, make_idea


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


@pytest.fixture
def admin(app):
    return make_user("Ada Administrator", role=Role.ADMIN)


@pytest.fixture
def resident(app):
    return make_user("Rita Resident")


@pytest.fixture
def statements(app):
    """Every SQL statement the test's requests send."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


# --- 1. ids past 2**31 - 1 -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ideas/2147483648", "/ideas/99999999999999999999/comments",
                                  "/portfolio/projects/9223372036854775808", "/organisations/2147483648"])
def test_a_path_id_no_row_can_have_is_a_404_without_asking_the_database(client, statements, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.get_data(as_text=True)
    assert not any("FROM ideas" in s or "FROM projects" in s or "FROM organisations" in s
                   for s in statements)


def test_a_path_id_past_the_limit_is_a_404_in_the_api_shape(client):
    assert _error(client.get("/api/v1/ideas/2147483648"), 404)["code"] == "not_found"
    assert client.get(f"/ideas/{2**31 - 1}").status_code == 404  # the largest real id: not found


@pytest.mark.parametrize("args", ["sdg=99999999999999999999", "service_area=2147483648",
                                  "organisation=-99999999999999999999", "municipal_area=1e99"])
def test_a_filter_id_no_row_can_have_is_no_filter(client, args):
    make_idea(title="Benker langs fjorden")
    assert client.get(f"/ideas?{args}").status_code == 200
    assert client.get(f"/api/v1/ideas?{args}").status_code == 200
    assert client.get(f"/portfolio?{args}").status_code == 200


def test_an_id_in_json_past_the_limit_names_the_field(client, resident):
    login(client, resident)
    idea = make_idea()
    response = client.post(f"/api/v1/ideas/{idea.id}/comments",
                           json={"body": "Godt forslag.", "parent_id": 2**31})
    assert "parent_id" in _error(response, 422)["fields"]
    response = client.post("/api/v1/reports", json={"target_type": "comment", "target_id": 2**63,
                                                     "reason": "spam"})
    assert "target_id" in _error(response, 422)["fields"]


def test_an_id_in_a_form_past_the_limit_is_a_field_error_not_a_500(client, resident):
    login(client, resident)
    response = client.post("/ideas/new", data={
        "title": "Benker i Fjordparken", "body": "Vi trenger flere benker langs turstien ved fjorden.",
        "service_area_id": "99999999999999999999", "sdgs": ["2147483648"],
        "organisation_id": "9223372036854775808"})
    assert response.status_code in {200, 422}
    page = response.get_data(as_text=True)
    assert "Velg hvilket tema idéen gjelder." in page
    assert "Bærekraftsmålene har numrene 1 til 17." in page
    assert 'value="Benker i Fjordparken"' in page
    assert client.post("/messages/read", data={"notice_id": "2147483648"}).status_code < 500


# --- 2. huge page numbers --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ideas", "/api/v1/ideas", "/api/v1/projects", "/portfolio"])
def test_a_huge_page_number_is_a_page_past_the_end(client, path):
    response = client.get(f"{path}?page=1000000000000000000&per_page=99999999999999999999")
    assert response.status_code == 200
    if path.startswith("/api/"):
        assert response.get_json()["page"] == 100_000  # MAX_PAGE
        assert response.get_json()["items"] == []


def test_page_numbers_are_read_leniently():
    from app.core.input import to_int

    assert to_int("12") == 12
    assert to_int("1_000") is None
    assert to_int("99999999999999999999") is None
    assert to_int(" 7 ") == 7


# --- 3. NUL and lone surrogates --------------------------------------------------------------------


def test_a_nul_in_a_query_argument_is_a_400_naming_it(client):
    response = client.get("/ideas?q=a%00b")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Feltet q inneholder et tegn som ikke kan lagres" in page
    error = _error(client.get("/api/v1/ideas?q=a%00b"), 400)
    assert error["fields"] == {"q": [error["message"]]}


def test_a_nul_in_the_login_form_is_a_400_naming_the_field(client, resident):
    response = client.post("/login", data={"email": "rita\x00@example.no", "password": "x"})
    assert response.status_code == 400
    assert "Feltet email inneholder et tegn som ikke kan lagres" in response.get_data(as_text=True)


def test_a_nul_in_a_form_is_refused_and_nothing_is_saved(client, resident):
    login(client, resident)
    area = make_service_area()
    response = client.post("/ideas/new", data={
        "title": "Benker\x00 i parken", "body": "Vi trenger flere benker langs turstien ved fjorden.",
        "service_area_id": str(area.id)})
    assert response.status_code == 400
    assert "Feltet title" in response.get_data(as_text=True)
    from app.ideas.models import Idea

    assert db.session.query(Idea).count() == 0


@pytest.mark.parametrize("body", [
    b'{"body": "a\\u0000b"}', b'{"body": "\\ud800"}', b'{"body": "ok \\udfff"}',
])
def test_nul_and_lone_surrogates_in_json_name_the_field(client, resident, body):
    login(client, resident)
    idea = make_idea()
    response = client.post(f"/api/v1/ideas/{idea.id}/comments", data=body, content_type="application/json")
    error = _error(response, 400)
    assert list(error["fields"]) == ["body"]
    assert "inneholder et tegn som ikke kan lagres" in error["message"]


# --- 4. malformed and deeply nested JSON -----------------------------------------------------------


@pytest.mark.parametrize("body, words", [
    (b"[" * 100_000 + b"]" * 100_000, "gyldig JSON"),   # RecursionError in the parser
    (b"[" * 40 + b"]" * 40, "nøstet for dypt"),
    (b'{"title": NaN}', "gyldig JSON"),
    (b"\xff\xfe{}", "UTF-8"),
])
def test_malformed_json_is_a_422_naming_the_body(client, resident, body, words):
    login(client, resident)
    error = _error(client.post("/api/v1/ideas", data=body, content_type="application/json"), 422)
    assert list(error["fields"]) == ["body"]
    assert words in error["message"]


def test_the_parser_bounds_size_and_depth(app):
    from app.core.input import parse_json

    with pytest.raises(ServiceError):
        parse_json(b'"' + b"x" * (2 * 1024 * 1024) + b'"')
    assert parse_json(json.dumps({"a": [[1, 2], {"b": "c"}]}).encode()) == {"a": [[1, 2], {"b": "c"}]}


# --- 5. non-string reason and note -----------------------------------------------------------------


@pytest.mark.parametrize("payload, name", [
    ({"reason": ["spam"]}, "reason"), ({"reason": "spam", "note": {"a": 1}}, "note"),
    ({"reason": 5}, "reason"),
])
def test_a_report_with_a_reason_or_note_that_is_not_text_names_the_field(client, resident, payload, name):
    login(client, resident)
    comment = make_comment()
    response = client.post("/api/v1/reports",
                           json={"target_type": "comment", "target_id": comment.id, **payload})
    error = _error(response, 400)
    assert error["fields"] == {name: [f"{name} må være tekst."]}


def test_a_moderation_decision_with_a_reason_that_is_not_text_names_the_field(client, admin):
    login(client, admin)
    comment = make_comment()
    response = client.post(f"/api/v1/moderation/comment/{comment.id}/hide", json={"reason": {"x": 1}})
    assert _error(response, 400)["fields"] == {"reason": ["reason må være tekst."]}
    response = client.post(f"/api/v1/moderation/users/{comment.author_id}/block",
                           json={"reason": "spam", "hide_content": "yes"})
    assert "hide_content" in _error(response, 400)["fields"]


# --- 6. estimated cost -----------------------------------------------------------------------------


@pytest.mark.parametrize("cost", [2**63, 1e137, 10**12 + 1])
def test_an_estimated_cost_past_the_limit_names_the_field(client, admin, cost):
    login(client, admin)
    area = make_service_area()
    response = client.post("/api/v1/projects", data=json.dumps(
        {"title": "Ny gangbru", "kind": "project", "owner_service_area_id": area.id,
         "estimated_cost": cost}), content_type="application/json")
    error = _error(response, 422)
    assert error["fields"]["estimated_cost"] == ["Kostnaden kan være høyst 1 000 000 000 000 kroner."]


def test_an_estimated_cost_past_the_limit_in_the_form_is_shown_by_the_field(client, admin):
    login(client, admin)
    area = make_service_area()
    response = client.post("/staff/projects/new", data={
        "title": "Ny gangbru over elva", "kind": "project", "phase": "proposed",
        "owner_service_area_id": str(area.id), "estimated_cost": "99999999999999999999"})
    assert response.status_code in {200, 422}
    page = response.get_data(as_text=True)
    assert "Kostnaden kan være høyst 1 000 000 000 000 kroner." in page
    assert 'value="Ny gangbru over elva"' in page


def test_a_board_budget_past_the_limit_names_the_field(client, admin):
    login(client, admin)
    budget = "9" * 30
    response = client.get(f"/staff/portfolio/board?budget={budget}")
    assert response.status_code == 422
    assert "Beløpet kan være høyst 1 000 000 000 000 kroner." in response.get_data(as_text=True)
    error = _error(client.get(f"/api/v1/portfolio/board?budget={budget}"), 422)
    assert list(error["fields"]) == ["budget"]
    assert client.get("/staff/portfolio/board?budget=12 000 000").status_code == 200
    # "³" is a digit to str.isdigit() but not to int(): a budget of nothing, not a 500.
    assert client.get("/staff/portfolio/board?budget=%C2%B3").status_code == 200
    assert client.get("/api/v1/portfolio/board?budget=%C2%B3&page=%C2%B3").status_code == 200


def test_moderating_many_cases_with_ids_no_case_can_have_names_the_field(client, admin):
    login(client, admin)
    response = client.post("/moderation/decide", data={
        "case_ids": ["99999999999999999999", "³"], "decision": "dismiss", "reason": "spam"})
    assert response.status_code == 422
    assert "Velg minst én sak i køen." in response.get_data(as_text=True)


# --- 7. an organisation's website ------------------------------------------------------------------


def test_an_organisation_website_over_300_characters_is_a_field_error(client, resident):
    login(client, resident)
    website = "https://eksempel.no/" + "a" * 300
    response = client.post("/organisations/new", data={
        "name": "Medvik idrettslag", "kind": "voluntary", "website": website})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Adressen kan være høyst 300 tegn." in page
    assert 'value="Medvik idrettslag"' in page


# --- 8. dates in the audit log ---------------------------------------------------------------------


@pytest.mark.parametrize("args, name", [("since=0001-01-01", "since"), ("until=9999-12-31", "until"),
                                        ("since=2026-02-30", "since")])
def test_a_log_date_out_of_range_is_a_422_naming_it(client, admin, args, name):
    login(client, admin)
    error = _error(client.get(f"/api/v1/moderation/log?{args}"), 422)
    assert error["fields"] == {name: ["Skriv datoen som ÅÅÅÅ-MM-DD, mellom 2000-01-01 og 2100-12-31."]}
    # The page is lenient, like its other filters: no filter rather than an error.
    assert client.get(f"/moderation/log?{args}").status_code == 200
    assert client.get("/api/v1/moderation/log?since=2026-01-01").status_code == 200


def test_a_block_until_year_9999_names_the_field(client, admin):
    login(client, admin)
    person = make_user()
    response = client.post(f"/api/v1/moderation/users/{person.id}/block",
                           json={"reason": "spam", "until": "9999-12-31"})
    assert list(_error(response, 422)["fields"]) == ["until"]


# --- 9. the next parameter -------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/\r\nX: 1", "/ideas\n", "/\tideas", "/\\evil.example",
                                    "/ideas\x00", "//evil.example", "https://evil.example/"])
def test_a_next_target_with_control_characters_or_backslashes_is_refused(target):
    assert not is_safe_target(target)


def test_safe_targets_stay_allowed():
    assert is_safe_target("/ideas?q=benk&page=2#c")


def test_login_with_a_header_splitting_next_goes_to_the_default(client, resident):
    response = client.post("/login?next=/%0d%0aX:%201",
                           data={"email": resident.email, "password": "korrekt-hest-batteri"})
    assert response.status_code == 302
    assert "\r" not in response.headers["Location"] and "X:" not in response.headers["Location"]
    assert "X" not in response.headers
