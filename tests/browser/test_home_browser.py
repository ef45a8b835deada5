"""A new user opens the demo wiki in a real browser and finds their way around."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_a_visitor_reads_the_home_page_and_follows_a_company_link(page, demo):
    page.goto("/")
    assert page.title() == "Home · intel"
    companies = page.locator("ul.companies")
    assert companies.get_by_role("link", name="Nvidia").is_visible()
    assert companies.get_by_role("link", name="ZT Systems").is_visible()
    assert page.locator("ol.claims li").count() == 10
    # The stylesheet is served from our own host and applies under the CSP.
    assert page.locator("header.site-header").evaluate("e => getComputedStyle(e).display") == "flex"

    companies.get_by_role("link", name="Nvidia").click()
    page.wait_for_url("**/companies/nvidia/")
    assert page.locator("h1").inner_text() == "Nvidia"
    assert "英偉達" in page.locator("aside.infobox").inner_text()
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_the_analyst_logs_in_and_out(page, demo):
    page.goto("/")
    page.get_by_role("link", name="Log in").click()
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "demo-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    assert page.locator("header .user").inner_text() == "analyst"
    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("link", name="Log in").is_visible()
