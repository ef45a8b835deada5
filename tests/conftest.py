"""Test configuration shared by the whole suite.

Tests run against a real database: SQLite by default, PostgreSQL when DATABASE_URL
points at one (the same suite passes on both). Migrations run, so the database
constraints are what the tests hit.
"""

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates resolve {% static %} without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Tests make many users; the production hasher would spend most of the run hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_api_throttling(settings):
    """Tests make many API requests a second; the throttling tests set their own rates."""
    settings.INTEL_API_THROTTLE = {"anon": None, "user": None}


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']} {settings.DATABASES['default'].get('NAME')}"
