"""The database goes away and comes back: readers and writers hear so, nothing is half saved, no restart.

Requests go through Django's real WSGI handler (werkzeug's test client), with the signals
that open and close database connections at each request's ends connected as in
production, so what recovers here recovers in gunicorn. The database is made unreachable
for real: the connection is pointed at a port nobody listens on, or PostgreSQL is told to
end the connection in the middle of a save. (The soak run, ``make soak``, stops the
PostgreSQL server itself under load: see docs/performance.md.)
"""

from __future__ import annotations

import socket
import time
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.db.models.signals import post_save
from django.test import Client as DjangoClient
from rest_framework.authtoken.models import Token
from werkzeug.test import Client

from companies.models import Company
from companies.services import company_create
from intel.choices import Role
from tests.concurrency import needs_postgres
from tests.factories import UserFactory
from tests.intel.pagekit import form_data, parse

pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


@contextmanager
def database_unreachable():
    """Point the connection at a port with nothing listening, as when the server is down; then back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = connection.settings_dict
    host, port = settings["HOST"], settings["PORT"]
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", closed_port
    try:
        yield
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = host, port


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table the wiki writes (sessions aside): to compare before and after."""
    rows = {}
    for model in apps.get_models():
        if model._meta.db_table == "django_session":
            continue
        rows[model._meta.db_table] = sorted(model.objects.order_by().values_list(), key=repr)
    return rows


class Browser:
    """A logged-in analyst's browser: session and CSRF cookies, forms posted with their token."""

    def __init__(self, user):
        login = DjangoClient()
        login.force_login(user)
        self.client = Client(WSGIHandler())
        self.client.set_cookie("sessionid", login.cookies["sessionid"].value, domain="localhost")

    def get(self, path):
        return self.client.get(path, headers={"Host": "localhost"})

    def post(self, path, data):
        token = self.client.get_cookie("csrftoken", domain="localhost").value
        return self.client.post(path, data={**data, "csrfmiddlewaretoken": token}, headers={"Host": "localhost"})


class Script:
    """An API script with a token, through the same WSGI handler."""

    def __init__(self, user):
        self.client = Client(WSGIHandler())
        self.authorization = f"Token {Token.objects.get_or_create(user=user)[0].key}"

    def request(self, method, path, json=None):
        headers = {"Host": "localhost", "Authorization": self.authorization}
        return self.client.open(path, method=method, json=json, headers=headers)


def edit_form(browser: Browser, path: str, body: str) -> dict:
    page = browser.get(path)
    assert page.status_code == 200
    data = form_data(page.get_data(as_text=True))
    data["body"] = body
    data["save"] = ""
    return data


@pytest.fixture
def nvidia():
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    return analyst, company_create(author=analyst, name="Nvidia", slug="nvidia", kind="chip_vendor", body="Before.")


def test_while_the_database_is_away_every_request_hears_so_and_afterwards_all_works_again(nvidia):
    analyst, company = nvidia
    browser, script = Browser(analyst), Script(analyst)
    form = edit_form(browser, "/companies/nvidia/edit/", "Typed while the database was away.")
    assert browser.get("/readyz").status_code == 200

    with database_unreachable():
        page = browser.get("/companies/nvidia/")
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        assert "cannot reach its database" in parse(page.get_data().decode()).find("h1").text
        # The edit form's save: refused the same way, and the page says nothing was saved.
        saved = browser.post("/companies/nvidia/edit/", form)
        assert saved.status_code == 503
        assert "Nothing you sent in this request was saved" in saved.get_data(as_text=True)
        # The API answers in JSON, reads and writes alike.
        for method, body in (("GET", None), ("PATCH", {"body": "From a script."})):
            answer = script.request(method, f"/api/companies/{company.pk}/", json=body)
            assert answer.status_code == 503
            assert answer.json["code"] == "service_unavailable"
            assert "nothing was saved" in answer.json["detail"]
            assert answer.headers["Retry-After"] == "5"
        # The load balancer learns it: the process is up, but not ready.
        assert browser.get("/healthz").status_code == 200
        not_ready = browser.get("/readyz")
        assert (not_ready.status_code, not_ready.get_data(as_text=True)) == (503, "database unreachable\n")

    # Back without restarting anything: the same clients, the same process.
    assert browser.get("/readyz").status_code == 200
    assert browser.get("/companies/nvidia/").status_code == 200
    assert Company.objects.get(pk=company.pk).body == "Before."  # nothing sent meanwhile was saved
    resent = browser.post("/companies/nvidia/edit/", form)
    assert resent.status_code == 302
    assert Company.objects.get(pk=company.pk).body == "Typed while the database was away."


@contextmanager
def connection_cut_after_saving(model):
    """End the request's database connection (PostgreSQL's pg_terminate_backend, from another connection)
    right after a row of ``model`` is written, before the rest of the save: a crash mid-write."""
    cut = []

    def cut_connection(sender, instance, **kwargs):
        if cut:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                for _ in range(100):
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                    if cursor.fetchone()[0] == 0:
                        break
                    time.sleep(0.05)
        finally:
            other.close()
        cut.append(pid)

    post_save.connect(cut_connection, sender=model, weak=False)
    try:
        yield cut
    finally:
        post_save.disconnect(cut_connection, sender=model)


@pytest.mark.parametrize("door", ["edit form", "API"])
def test_a_save_cut_off_in_the_middle_leaves_nothing_half_saved(nvidia, door):
    analyst, company = nvidia
    browser, script = Browser(analyst), Script(analyst)
    form = edit_form(browser, "/companies/nvidia/edit/", "A save that never finishes.")
    before = every_row()

    with connection_cut_after_saving(Company) as cut:
        if door == "edit form":
            answer = browser.post("/companies/nvidia/edit/", form)
            assert "Nothing you sent in this request was saved" in answer.get_data(as_text=True)
        else:
            answer = script.request("PATCH", f"/api/companies/{company.pk}/", json={"body": "A save that never ends."})
            assert answer.json["code"] == "service_unavailable"
    assert cut, "the save never wrote the company row"
    assert answer.status_code == 503

    # The company row was written, then the connection died before the revision: nothing of it is kept.
    assert every_row() == before
    # The next request gets a fresh connection; the same save now goes through whole.
    assert browser.get("/readyz").status_code == 200
    assert browser.post("/companies/nvidia/edit/", form).status_code == 302
    assert Company.objects.get(pk=company.pk).body == "A save that never finishes."
