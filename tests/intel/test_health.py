"""What a load balancer asks: is the process up (/healthz), can it reach its database (/readyz)?

Both answer without a login, even on a private wiki, and /healthz without touching the
database at all. (Their answers while the database is away: test_database_outage.py.)
Errors that are not the database's stay plain 500s: a page, or JSON under /api/.
"""

import pytest
from django.test import Client
from django.urls import include, path


def test_healthz_answers_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_once_the_database_does(client, db):
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_probes_need_no_login_on_a_private_wiki(client, db, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.contrib.auth.middleware.LoginRequiredMiddleware"]
    assert client.get("/").status_code == 302  # the wiki itself wants a login
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def broken_view(request):
    raise RuntimeError("a bug, not the database")


urlpatterns = [
    path("broken/", broken_view),
    path("api/broken/", broken_view),
    path("", include("intel.urls")),
]
handler500 = "intel.views.health.server_error"


@pytest.mark.urls(__name__)
def test_a_bug_is_a_500_page_and_a_json_500_under_the_api(db):
    client = Client(raise_request_exception=False)
    page = client.get("/broken/")
    assert page.status_code == 500
    assert "Retry-After" not in page
    assert b"Something went wrong" in page.content
    answer = client.get("/api/broken/")
    assert answer.status_code == 500
    assert answer.json() == {"detail": "A server error occurred. It was logged.", "code": "error"}
