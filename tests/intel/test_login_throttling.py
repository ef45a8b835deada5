"""Guessing passwords: after five wrong ones for a user name from one address, that pair is paused.

The pause (django-axes) answers 429 with a page that says why and for how long, even to
the right password; other user names and other addresses are not affected, a right
password before the limit resets the count, and the admin's login counts the same way.
"""

import datetime
import time

import pytest
from django.test import Client

from intel.choices import Role
from tests.factories import UserFactory
from tests.intel.pagekit import log_in, parse

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery staple"  # the factories' password


@pytest.fixture
def ana():
    return UserFactory(username="ana", role=Role.ANALYST)


def test_five_wrong_passwords_pause_that_user_name_even_for_the_right_one(client, ana):
    for _ in range(4):
        assert log_in(client, "ana", "guess").status_code == 200  # the form again, saying it was wrong
    paused = log_in(client, "ana", "guess")
    assert paused.status_code == 429
    assert log_in(client, "ana", RIGHT).status_code == 429
    message = parse(paused).find("p", role="alert").text
    assert "After 5 wrong passwords in a row for “ana”" in message
    assert "paused for 15 minutes" in message
    assert client.get("/watchlist/").status_code == 302  # not logged in


def test_the_pause_touches_neither_other_users_nor_other_addresses(client, ana):
    UserFactory(username="bob", role=Role.ANALYST)
    for _ in range(5):
        log_in(client, "ana", "guess")
    assert log_in(Client(), "bob", RIGHT).status_code == 302
    elsewhere = Client(REMOTE_ADDR="10.0.0.7")
    assert log_in(elsewhere, "ana", RIGHT).status_code == 302


def test_a_right_password_before_the_limit_starts_the_count_again(client, ana):
    for _ in range(4):
        log_in(client, "ana", "guess")
    assert log_in(client, "ana", RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "ana", "guess").status_code == 200
    assert log_in(client, "ana", RIGHT).status_code == 302


def test_the_pause_ends_after_its_time(client, ana, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)
    for _ in range(5):
        log_in(client, "ana", "guess")
    assert log_in(client, "ana", RIGHT).status_code == 429
    time.sleep(1.2)
    assert log_in(client, "ana", RIGHT).status_code == 302


def test_the_admin_login_counts_the_same_wrong_passwords(client):
    UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": "guess", "next": "/admin/"})
    assert client.post("/admin/login/", {"username": "root", "password": RIGHT, "next": "/admin/"}).status_code == 429
