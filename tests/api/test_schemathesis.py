"""Schemathesis over the whole OpenAPI document, against the app itself (through WSGI, on
SQLite and PostgreSQL): every operation with generated requests, authenticated with a seeded
admin's token; no answer is a 5xx, and every answer conforms to the document (status code,
content type, body schema). API_CHECK_EXAMPLES sets the examples per operation (`make
api-check` runs many)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.accounts.models import Role
from app.accounts.services import create_api_token
from tests.api.test_allow_list import world  # noqa: F401  (fixture: one of every public thing)
from tests.factories import make_user

EXAMPLES = int(os.environ.get("API_CHECK_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def app_config(app_config):
    # Limits would answer 429 (documented) to most generated calls and test nothing else.
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def token(app):
    _token, raw = create_api_token(make_user("Siri Admin", role=Role.ADMIN), "schemathesis")
    return raw


def test_api_conforms_to_its_document(app, world, token):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}", "Host": "medvirk.test"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:  # one report for every operation that failed
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert operations >= 40
    assert not failures, "\n\n".join(failures)
