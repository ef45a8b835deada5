"""Fixtures of the API tests (tests/api/apikit.py), plus the page tests' world."""

from tests.api.apikit import api, api_as  # noqa: F401 - fixtures are found by name
from tests.intel.pagekit import analyst, deps, nvidia, other_analyst, world  # noqa: F401
