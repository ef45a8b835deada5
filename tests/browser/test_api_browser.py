"""An API consumer finds the docs, gets a token from their account page, and uses it from a script."""

import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))


def _call(url: str, *, token: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Token {token}"})
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_the_docs_page_lists_every_operation_and_runs_one_in_the_browser(page, demo):
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 70
    companies = page.locator(".opblock-get", has_text="/api/companies/").first
    companies.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    response = page.locator(".live-responses-table .response").first
    response.wait_for()
    assert response.locator(".response-col_status").inner_text().strip().startswith("200")
    assert "Nvidia" in response.locator(".response-col_description").inner_text()
    # Swagger UI's files come from our own host, and nothing breaks the site's CSP.
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_an_analyst_makes_a_token_uses_it_from_a_script_and_revokes_it(page, demo, live_server):
    page.goto("/accounts/login/?next=/account/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "demo-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/")
    assert "You have no token yet." in page.locator(".api-token").inner_text()

    page.get_by_role("button", name="Make a token").click()
    key = page.locator("#token-key").inner_text().strip()
    assert len(key) == 40

    status, created = _call(
        f"{live_server.url}/api/companies/",
        token=key,
        method="POST",
        body={"name": "Cerebras", "slug": "cerebras", "kind": "chip_vendor", "summary": "From a notebook"},
    )
    assert status == 201, created
    status, history = _call(f"{live_server.url}/api/companies/{created['id']}/history/", token=key)
    assert [(entry["user"], entry["summary"]) for entry in history["results"]] == [("analyst", "From a notebook")]

    # Reloading the page no longer shows the key, only its start.
    page.goto("/account/")
    assert key not in page.content()
    assert f"{key[:4]}…" in page.locator(".api-token").inner_text()

    page.get_by_role("button", name="Revoke the token").click()
    page.wait_for_url("**/account/")
    status, body = _call(f"{live_server.url}/api/companies/", token=key)
    assert status == 401 and body["code"] == "authentication_failed"
