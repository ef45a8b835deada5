"""An analyst preparing for a customer meeting opens Nvidia's battlecard and roadmap in a real browser."""

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))


def svg_texts(markup: str) -> str:
    root = ET.fromstring(markup)
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def test_the_analyst_sees_the_cadence_the_gb200_slips_the_metrics_and_the_disputes_on_nvidias_battlecard(page, demo):
    page.goto("/companies/nvidia/")
    page.get_by_role("link", name="Battlecard").click()
    page.wait_for_url("**/companies/nvidia/battlecard/")

    # The roadmap: one generation a year, drawn as yearly bars, GB200 hatched as delayed.
    timeline = page.locator("svg.timeline").first
    assert timeline.is_visible()
    labels = svg_texts(timeline.evaluate("e => e.outerHTML"))
    for year in ("2025", "2026", "2027"):
        assert f"Yearly cadence: {year}" in labels
    assert "delayed, slipped 2× (+182 days)" in labels
    box = timeline.bounding_box()
    assert box["width"] > 600 and box["height"] > 100  # drawn, not an empty box

    # The slips table names GB200 with its two slips.
    slips = page.locator("table.slips").first
    row = slips.locator("tr", has_text="GB200 volume production")
    assert row.locator("td.number").all_inner_texts() == ["2", "+182"]

    # Key metrics as charts: revenue and GPU volumes, each value linked to its citations.
    metrics = page.locator(".battlecard").first
    assert metrics.locator("td", has_text="130.5").first.is_visible()
    chart_titles = page.locator(".battlecard svg > title").evaluate_all("els => els.map(e => e.textContent)")
    assert any("revenue" in title.lower() for title in chart_titles)
    assert any("gpu" in title.lower() for title in chart_titles)

    # The contradicting opinions, and a link to see them side by side.
    assert page.get_by_text("contradicts").first.is_visible()
    page.get_by_role("link", name="Side by side on the disputes page").first.click()
    page.wait_for_url("**/disputes/?company=nvidia")
    cards = page.locator(".dispute .side-by-side .claim-card")
    assert cards.count() == 2
    left, right = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert abs(left["y"] - right["y"]) < 5 and right["x"] > left["x"]  # really side by side
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_the_analyst_compares_nvidia_with_amd_and_exports_the_card_as_markdown(page, demo):
    page.goto("/companies/nvidia/battlecard/")
    page.select_option("select#compare", "amd")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/battlecard/?compare=amd")
    names = page.locator(".battlecard > h2 > a").all_inner_texts()
    assert names == ["Nvidia", "AMD"]
    nvidia, amd = page.locator(".battlecard").nth(0).bounding_box(), page.locator(".battlecard").nth(1).bounding_box()
    assert amd["x"] > nvidia["x"]  # two columns on a desktop screen
    assert "ZT Systems" in page.locator(".battlecard").nth(1).inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export as Markdown").click()
    download = download_info.value
    assert download.suggested_filename == "battlecard-nvidia-vs-amd.md"
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith("# Battlecard: Nvidia vs AMD")
    assert "GB200 volume production" in text

    # Printed, the navigation and the compare form go; both cards stay.
    page.emulate_media(media="print")
    assert page.locator("form.compare-form").is_hidden()
    assert page.locator("header.site-header").is_hidden()
    assert page.locator(".battlecard").nth(1).is_visible()


def test_the_roadmap_page_filters_to_slipped_milestones(page, demo):
    page.goto("/roadmap/")
    assert page.locator("svg.timeline").count() == 1
    page.fill("input[name=slipped]", "true")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/roadmap/?*slipped=true*")
    labels = svg_texts(page.locator("svg.timeline").evaluate("e => e.outerHTML"))
    assert "GB200 volume production" in labels
    assert "Yearly cadence" not in labels
