"""Schemathesis against /api/v1/openapi.json: generated requests to every operation, valid and
not, anonymous and with an editor's token; none may cause a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dxday.wsgi import application

# The signed document is sent as raw bytes: PDF and DOCX bodies are generated like any binary.
schemathesis.serializer.alias("application/pdf", "application/octet-stream")
schemathesis.serializer.alias(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI app; like Django's test client, keep the request signals
    from closing the test's connection (it holds the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_key(campaign):
    from dxday.accounts.services import token_create
    from tests.conftest import ORG_A, make_user

    return token_create(user=make_user("fuzz@danang.example.vn", "editor", ORG_A))[1]


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_server_error(case, editor_key):
    case.call_and_validate(checks=[not_a_server_error])
    case.call_and_validate(checks=[not_a_server_error],
                           headers={"Authorization": f"Bearer {editor_key}"})
