"""The API contract: /api/v1/openapi.json is a valid OpenAPI 3.1 document that lists every API
route with its security and error answers, and the checks generated from it answer in the
request's language with the API's error shape."""

import re

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from app.accounts.services import create_api_token
from tests.factories import make_service_area, make_user
from tests.ideas.factories import make_idea

NOT_IN_DOCUMENT = {"api.openapi_document", "api.docs"}


def _bearer(user) -> dict:
    _token, raw = create_api_token(user, "test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    OpenAPIV31SpecValidator(document).validate()


def test_every_api_route_is_in_the_document(app, document):
    documented = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in NOT_IN_DOCUMENT:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} ({rule.endpoint}) is not documented"


def test_every_operation_has_security_errors_and_an_english_summary(document):
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            assert op["summary"] and not op["summary"].endswith(">"), f"{where}: no description"
            assert "security" in op, where
            assert {"400", "429"} <= set(op["responses"]), where
            if "{" in path:
                assert "404" in op["responses"], where
            if {"bearer": []} in op["security"] and {} not in op["security"]:
                assert {"401", "403"} <= set(op["responses"]), where
                assert {"session": [], "csrf": []} in op["security"], where
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}, where
            if "requestBody" in op:
                assert "422" in op["responses"], where


def test_bodies_have_examples_and_the_error_shape_is_documented(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorDetail"]["properties"]) == {"code", "message", "fields"}
    assert schemas["IdeaCreate"]["properties"]["title"]["examples"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_public_project_schema_has_no_board_score(document):
    schemas = document["components"]["schemas"]
    assert "score" not in schemas["ProjectOut"]["properties"]
    assert "score" in schemas["BoardRow"]["properties"]


def test_wrong_types_are_400_in_the_requests_language(client):
    headers = {**_bearer(make_user()), "Accept-Language": "en"}
    response = client.post("/api/v1/ideas?lang=en", json={"title": 42, "service_area_id": make_service_area().id},
                           headers=headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert set(error["fields"]) == {"title"}
    norwegian = client.post("/api/v1/ideas?lang=nb", json={"title": 42}, headers=headers).get_json()["error"]
    assert norwegian["fields"]["title"] == ["title må være tekst."]
    assert error["fields"]["title"] != norwegian["fields"]["title"]


@pytest.mark.parametrize("value", [2**31, 10**40, -1, 0])
def test_ids_no_row_can_have_are_422_not_500(client, value):
    idea = make_idea()
    response = client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Hei der", "parent_id": value},
                           headers=_bearer(make_user()))
    assert response.status_code == 422
    assert "parent_id" in response.get_json()["error"]["fields"]


def test_nul_in_a_body_is_400_naming_the_field(client):
    response = client.post("/api/v1/ideas", json={"title": "Null\x00tegn"}, headers=_bearer(make_user()))
    assert response.status_code == 400
    assert "title" in response.get_json()["error"]["fields"]


def test_unknown_project_fields_are_422_with_each_field(client):
    from app.accounts.models import Role

    response = client.post("/api/v1/projects", json={"title": "Nytt tak", "colour": "red", "size": 3},
                           headers=_bearer(make_user(role=Role.PORTFOLIO_MANAGER)))
    assert response.status_code == 422
    assert {"colour", "size"} <= set(response.get_json()["error"]["fields"])


def test_an_anonymous_caller_with_a_bad_body_is_told_to_sign_in_first(client):
    response = client.post("/api/v1/ideas", json={"title": 42})
    assert response.status_code == 401


def test_docs_page_loads_the_self_hosted_reference(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "/static/js/api-docs.js" in page
    assert "openapi.json" in page
    assert "<script>" not in page  # the CSP allows no inline script
