"""Public pages are tested with the published sample of the open-data tests."""

from tests.opendata.conftest import published  # noqa: F401 - the fixture, shared
