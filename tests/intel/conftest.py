"""Fixtures of the page tests (defined in tests/intel/pagekit.py), shared by tests/intel."""

from tests.intel.pagekit import (  # noqa: F401 - fixtures are found by name
    analyst,
    analyst_client,
    deps,
    edited_company,
    nvidia,
    other_analyst,
    reader,
    three_changes,
    world,
)
