"""Shared fixtures: the reference data is loaded once per test session, as `make run` loads it;
every test runs in a transaction that is rolled back."""

import pytest

from dxday.campaigns.services import reference_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture
def api(client):
    """GET a path under /api/v1/ and return (status, JSON)."""

    def get(path: str, **params):
        response = client.get(f"/api/v1/{path}", params)
        return response.status_code, response.json()

    return get
