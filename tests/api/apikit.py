"""What the API tests share: a client per role (token auth), JSON helpers, the demo-like world.

Fixtures are registered in tests/api/conftest.py; the page tests' ``world`` (Nvidia,
Blackwell, GB200, a milestone, sources, people and claims, all made through the
services) is reused so the API reads the same data the wiki shows.
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from companies.models import Company, CompanyRelation
from intel.choices import Role
from intel.models import Citation, Claim, ClaimRelation, Person, Source
from products.models import Architecture, Milestone, Product
from tests.factories import UserFactory

# Every API resource (its URL prefix) and the model it serves.
MODELS = {
    "companies": Company,
    "company-relations": CompanyRelation,
    "architectures": Architecture,
    "products": Product,
    "milestones": Milestone,
    "sources": Source,
    "people": Person,
    "claims": Claim,
    "citations": Citation,
    "claim-relations": ClaimRelation,
}
RESOURCES = list(MODELS)
ROLES = ("anonymous", "reader", "analyst", "moderator", "admin")
WRITERS = ("analyst", "moderator", "admin")


def user_with_role(role: str, username: str | None = None):
    """A user in one of the wiki's role groups (admins are also superusers, as in production)."""
    user = UserFactory(username=username or f"{role}-user", role=Role(role))
    if role == "admin":
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user


def token_client(user=None) -> APIClient:
    """An API client that authenticates like a script would: ``Authorization: Token <key>``."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_as(db):
    """``api_as("analyst")`` → a token client of a user with that role (``"anonymous"``: no token)."""
    made = {}

    def make(role: str) -> APIClient:
        if role not in made:
            made[role] = token_client(None if role == "anonymous" else user_with_role(role))
        return made[role]

    return make


@pytest.fixture
def api(api_as):
    """An analyst's token client: the usual writer."""
    return api_as("analyst")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def ids(response) -> list[int]:
    return [row["id"] for row in results(response)]


def error_fields(response) -> dict:
    body = response.json()
    assert set(body) >= {"detail", "code"}, body
    return body.get("errors", {})
