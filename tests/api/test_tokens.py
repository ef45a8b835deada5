"""Tokens: one per user, made on the account page or with manage.py, revoked at once."""

import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from intel.tokens import token_create, token_revoke
from tests.api.apikit import token_client, user_with_role

pytestmark = pytest.mark.django_db


def _status_with(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.post("/api/companies/", {"name": "Groq", "slug": "groq"}, format="json").status_code


def test_drf_create_token_gives_a_key_that_writes_as_that_user():
    user_with_role("analyst", "ana")
    out = io.StringIO()
    call_command("drf_create_token", "ana", stdout=out)
    key = Token.objects.get(user__username="ana").key
    assert key in out.getvalue()
    assert _status_with(key) == 201


def test_a_new_token_replaces_the_old_one_and_revoking_ends_it():
    ana = user_with_role("analyst", "ana")
    first = token_create(user=ana).key
    second = token_create(user=ana).key
    assert first != second
    assert _status_with(first) == 401
    assert token_revoke(user=ana) is True
    assert _status_with(second) == 401
    assert token_revoke(user=ana) is False


def test_the_account_page_makes_a_token_shown_once_and_revokes_it(client):
    rita = user_with_role("reader", "rita")
    client.force_login(rita)
    assert "You have no token yet." in client.get("/account/").content.decode()
    made = client.post("/account/token/", {"action": "create"})
    key = Token.objects.get(user=rita).key
    assert key in made.content.decode()
    assert "your role can read with it, not write" in made.content.decode()
    again = client.get("/account/").content.decode()
    assert key not in again and key[:4] in again
    # A reader's token reads but cannot write.
    reader_api = token_client(rita)
    assert reader_api.get("/api/companies/").status_code == 200
    assert _status_with(key) == 403
    client.post("/account/token/", {"action": "revoke"})
    assert not Token.objects.filter(user=rita).exists()


def test_the_account_page_needs_a_login_and_a_post_with_csrf(client):
    assert client.get("/account/").status_code == 302
    ana = user_with_role("analyst", "ana")
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(ana)
    assert csrf_client.post("/account/token/", {"action": "create"}).status_code == 403
    assert not Token.objects.filter(user=ana).exists()
    client.force_login(ana)
    assert client.get("/account/token/").status_code == 405
