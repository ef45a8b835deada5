"""Provenance in a real browser: a moderator works through the demo's moderation queue; an
analyst archives a source's text and sees every cited quote highlighted in the reader view.

Against a live server with the demo data; waits are Playwright's auto-waiting assertions.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intel import demo_data
from intel.models import Citation, ModerationDecision, Source
from tests.browser.test_wiki_browser import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Written for this test (not the seed article): a short Chinese text holding two demo quotes,
# without the pronunciation notes the demo's quotes carry (so they are found after normalising).
ARCHIVED = "引言。\n英偉達在擠牙膏,有人這樣說。\n另一種看法:英偉達不僅沒有擠牙膏,反而比較激進。\n"


@pytest.fixture
def demo(monkeypatch, tmp_path):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("INTEL_DEMO_SEED", str(tmp_path / "no-seed.txt"))  # the demo source starts without text
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_a_moderator_works_through_the_queue(page, demo):
    keynote, press_release = (row["title"] for row in demo_data.PENDING_SOURCES)
    log_in(page, "moderator", DEMO_PASSWORD)
    page.get_by_role("link", name="Moderation").click()
    expect(page.get_by_role("heading", name="Moderation queue")).to_be_visible()
    expect(page.locator(".queue-item")).to_have_count(len(demo_data.PENDING_SOURCES))
    expect(page.locator(".queue-item").first).to_contain_text("submitted by analyst")

    # Approve the keynote with a rating.
    item = page.locator(".queue-item", has_text=keynote)
    item.get_by_label("Reliability").select_option("B")
    item.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text(f"Approved: “{keynote}”")
    expect(page.locator(".queue-item")).to_have_count(len(demo_data.PENDING_SOURCES) - 1)

    # Rejecting without a reason is refused; with one it is done.
    item = page.locator(".queue-item", has_text=press_release)
    item.get_by_role("button", name="Reject").click()
    expect(page.locator(".messages")).to_contain_text("Say why the source is rejected")
    item = page.locator(".queue-item", has_text=press_release)
    item.get_by_label("Reason or request").fill("A press release: ask for the filing instead.")
    item.get_by_role("button", name="Reject").click()
    expect(page.locator(".messages")).to_contain_text("Rejected")
    expect(page.locator(".empty")).to_contain_text("No source is pending")

    # The decision log on the source's page says who decided what and why.
    page.get_by_role("link", name="Rejected").first.click()
    page.get_by_role("link", name=press_release).click()
    log = page.locator("table.decisions")
    expect(log).to_contain_text("moderator")
    expect(log).to_contain_text("A press release: ask for the filing instead.")
    assert Source.objects.get(title=keynote).reliability == "B"
    assert ModerationDecision.objects.count() >= 3  # the demo source's approval, and these two


def test_an_analyst_archives_the_text_and_reads_the_quotes_highlighted(page, demo, tmp_path):
    source = Source.objects.get(title=demo_data.SOURCE["title"])
    assert set(Citation.objects.values_list("verification", flat=True)) == {"no_snapshot"}
    log_in(page, "analyst", DEMO_PASSWORD)
    page.goto(source.get_absolute_url())
    page.get_by_role("link", name="Upload or paste the text").click()
    path = tmp_path / "article.txt"
    path.write_bytes(ARCHIVED.encode("cp950"))  # Big5: detected without being told
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Archive").click()

    expect(page.locator(".messages")).to_contain_text("verified after normalisation")
    marks = page.locator(".reader-text mark.quote")
    expect(marks.first).to_have_text("英偉達在擠牙膏")
    assert marks.count() >= 2
    expect(page.locator(".snapshot-meta")).to_contain_text("cp950")

    # From the highlight to the claim, and from the claim's badge back to the highlight.
    marks.first.locator("a").click()
    badge_link = page.locator("a.anchor-link").first
    expect(badge_link).to_contain_text("Quote verified")
    badge_link.click()
    expect(page.locator(".reader-text mark.quote:target")).to_have_count(1)
    assert page.foreign_requests == [] and page.console_errors == []
