"""An analyst searches the demo wiki from the box at the top of every page, in English and in Chinese."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))


def search_from_the_header(page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Search the wiki")
    box.fill(text)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")


def first_result(page):
    return page.locator("section.search-group").first.locator("a.search-title").first


def test_the_analyst_finds_nvidia_inference_and_sockets_from_any_page(page, demo):
    page.goto("/roadmap/")
    search_from_the_header(page, "英伟达")
    assert first_result(page).inner_text() == "Nvidia"
    # The alias that matched is marked, in the spelling the page has.
    assert page.locator("section.search-group").first.locator("mark").first.inner_text() == "英偉達"

    search_from_the_header(page, "nvdia")
    assert first_result(page).inner_text() == "Nvidia"
    first_result(page).click()
    page.wait_for_url("**/companies/nvidia/")

    search_from_the_header(page, "推理")
    claims = page.locator("section.search-group").first
    assert claims.get_attribute("data-kind") == "claim"
    assert claims.locator("p.snippet mark").first.inner_text() == "推理"

    search_from_the_header(page, "socket")
    assert first_result(page).inner_text() == "First socketed Blackwell Ultra boards expected"
    assert page.locator("section.search-group").first.get_attribute("data-kind") == "milestone"
    assert page.foreign_requests == [] and page.console_errors == []


def test_the_kind_filters_narrow_the_results_and_keep_the_words(page, demo):
    page.goto("/")
    search_from_the_header(page, "nvidia")
    kinds = page.get_by_role("navigation", name="Filter by kind")
    kinds.get_by_role("link", name="Claims").click()
    page.wait_for_url("**kind=claim*")
    assert page.locator("section.search-group").count() == 1
    assert page.locator("section.search-group").get_attribute("data-kind") == "claim"
    assert page.locator("#search-q").input_value() == "nvidia"
    assert page.locator("#search-kind").input_value() == "claim"
    assert page.locator("a.search-title").count() == 20  # a page of claims; more behind "Next"
    page.get_by_role("link", name="Next 20").click()
    page.wait_for_url("**page=2*")
    assert page.locator("a.search-title").count() >= 1
    kinds = page.get_by_role("navigation", name="Filter by kind")
    kinds.get_by_role("link", name="All kinds").click()
    assert page.locator("section.search-group").count() > 1


def test_an_unsearchable_query_says_why_in_the_page(page, demo):
    page.goto("/")
    search_from_the_header(page, "!!!")
    assert page.get_by_role("alert").inner_text().startswith("Search for letters, digits or Chinese characters")
