"""Analysts use the wiki in a real browser: log in, add and edit claims, read the history,
settle edit conflicts, and get pages that stay safe, self-contained, keyboard-usable and phone-sized.

Each test is one user's story against a live server with the demo data. Waiting is left to
Playwright's auto-waiting ``expect`` assertions, never to sleeps.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from companies.models import Company
from companies.services import company_create
from intel import demo_data
from intel.choices import Role
from intel.models import Claim, Person, Source
from intel.moderation import source_approve
from intel.services import claim_create, source_create
from products.models import Architecture, Milestone, Product
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-pass-123"
FACTORY_PASSWORD = "correct horse battery staple"

SECOND_SOURCE_TITLE = "Nvidia GTC 2025 keynote transcript"
STATEMENT = "Nvidia plans to ship Blackwell Ultra systems in the second half of 2025."
EDITED_STATEMENT = "Nvidia plans to ship Blackwell Ultra systems in the third quarter of 2025."
QUOTE_ZH = "Blackwell Ultra將於今年下半年出貨"
QUOTE_EN = "Blackwell Ultra is coming in the second half of this year."


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def second_source(demo):
    """An approved English source beside the demo's one Chinese article, so a claim can cite two."""
    User = get_user_model()
    source = source_create(
        author=User.objects.get(username="analyst"), title=SECOND_SOURCE_TITLE, publisher="Example Wire", language="en"
    )
    return source_approve(source=source, moderator=User.objects.get(username="moderator"))


@pytest.fixture
def claim(second_source):
    """A claim about Nvidia citing both sources, created through the service (one revision)."""
    return claim_create(
        author=get_user_model().objects.get(username="analyst"),
        statement=STATEMENT,
        companies=[Company.objects.get(slug="nvidia")],
        citations=[
            {"source": Source.objects.get(title=demo_data.SOURCE["title"]), "quote": QUOTE_ZH},
            {"source": second_source, "quote": QUOTE_EN},
        ],
        summary="Added the Blackwell Ultra shipping claim",
    )


@pytest.fixture
def second_page(browser, live_server):
    """A second analyst's browser: a context of its own, so its cookies and session are separate."""
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def company_with_three_paragraphs():
    author = UserFactory(username="founder", role=Role.ANALYST)
    return company_create(
        author=author,
        name="Example Chips",
        slug="example-chips",
        body=(
            "Example Chips designs inference accelerators.\n\n"
            "Its first chip taped out in 2024.\n\n"
            "It sells mostly to cloud providers."
        ),
    )


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header .user")).to_have_text(username)


def pick_source(row, query: str, title: str) -> None:
    """Search-as-you-type in a citation row, then choose the offered source in the native select."""
    row.get_by_placeholder("Type to search sources…").fill(query)
    select = row.get_by_label("Source", exact=True)
    expect(select.locator("option", has_text=title)).to_have_count(1)  # the lookup answered
    select.select_option(label=title)
    expect(select.locator("option:checked")).to_have_text(title)


def edit_statement(page, claim_pk: int, statement: str, summary: str) -> None:
    page.goto(f"/claims/{claim_pk}/")
    page.locator("nav.page-tabs").get_by_role("link", name="Edit").click()
    expect(page.locator("h1")).to_contain_text("Editing")
    page.get_by_label("Statement").fill(statement)
    page.get_by_label("Edit summary").fill(summary)
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("h1")).to_contain_text(statement)


def history_row(page, summary: str):
    return page.locator("table.history tbody tr").filter(has_text=summary)


def test_an_analyst_logs_in_through_the_form_and_comes_back_to_the_page(page, demo):
    page.goto("/companies/nvidia/")
    expect(page.get_by_role("link", name="Add a claim about Nvidia")).to_have_count(0)
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url("**/companies/nvidia/")
    expect(page.locator("header .user")).to_have_text("analyst")
    expect(page.get_by_role("link", name="Add a claim about Nvidia")).to_be_visible()


def test_a_wrong_password_is_refused_and_nobody_is_logged_in(page, demo):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form.login")).to_contain_text("correct username and password")
    expect(page.locator("header .user")).to_have_count(0)


def test_an_analyst_adds_a_claim_about_nvidia_citing_two_sources(page, second_source):
    log_in(page, "analyst", DEMO_PASSWORD)
    page.goto("/companies/nvidia/")
    page.get_by_role("link", name="Add a claim about Nvidia").click()
    expect(page.locator("h1")).to_have_text("New claim")
    expect(page.get_by_label("Companies", exact=True).locator("option:checked")).to_have_text(["Nvidia"])

    page.get_by_label("Statement").fill(STATEMENT)
    rows = page.locator("fieldset.citation-row")
    pick_source(rows.nth(0), "Leiphone", demo_data.SOURCE["title"])
    rows.nth(0).get_by_label("Quote").fill(QUOTE_ZH)
    page.get_by_role("button", name="Add another citation").click()
    expect(rows).to_have_count(2)
    # The new row's search box has the focus, ready to type into.
    expect(rows.nth(1).get_by_placeholder("Type to search sources…")).to_be_focused()
    pick_source(rows.nth(1), "keynote transcript", SECOND_SOURCE_TITLE)
    rows.nth(1).get_by_label("Quote").fill(QUOTE_EN)
    page.get_by_role("button", name="Create claim").click()

    page.wait_for_url("**/claims/*/")
    heading = page.locator("h1")
    expect(heading).to_contain_text(STATEMENT)
    expect(heading.locator("sup.fn")).to_have_text(["[1]", "[2]"])
    references = page.locator("section.references ol.footnotes > li")
    expect(references.locator("q")).to_have_text([QUOTE_ZH, QUOTE_EN])
    expect(references.nth(0)).to_contain_text(demo_data.SOURCE["title"])
    expect(references.nth(1)).to_contain_text(SECOND_SOURCE_TITLE)

    page.goto("/companies/nvidia/")
    entry = page.locator("li.claim").filter(has=page.get_by_role("link", name=STATEMENT, exact=True))
    footnotes = entry.locator("sup.fn a")
    expect(footnotes).to_have_count(2)
    for footnote, quote in zip(footnotes.all(), [QUOTE_ZH, QUOTE_EN], strict=True):
        # Each footnote points at the reference that carries its quote.
        expect(page.locator(footnote.get_attribute("href")).locator("q")).to_have_text(quote)


def test_an_analyst_edits_a_claim_with_a_summary_and_sees_the_new_text(page, claim):
    log_in(page, "analyst", DEMO_PASSWORD)
    page.goto(f"/claims/{claim.pk}/")
    page.locator("nav.page-tabs").get_by_role("link", name="Edit").click()
    statement = page.get_by_label("Statement")
    expect(statement).to_have_value(STATEMENT)
    statement.fill(EDITED_STATEMENT)
    page.get_by_label("Edit summary").fill("Narrowed to Q3 per the keynote")
    page.get_by_role("button", name="Save changes").click()

    page.wait_for_url(f"**/claims/{claim.pk}/")
    expect(page.locator("main .messages")).to_contain_text("Saved claim")
    expect(page.locator("h1")).to_contain_text(EDITED_STATEMENT)
    expect(page.locator("h1")).not_to_contain_text("second half")
    # The citations were kept through the edit.
    expect(page.locator("section.references q")).to_have_text([QUOTE_ZH, QUOTE_EN])

    page.locator("nav.page-tabs").get_by_role("link", name="History").click()
    expect(history_row(page, "Narrowed to Q3 per the keynote")).to_have_count(1)


def test_an_analyst_compares_two_revisions_picked_in_the_history(page, claim):
    log_in(page, "analyst", DEMO_PASSWORD)
    edit_statement(page, claim.pk, EDITED_STATEMENT, "Narrowed to Q3")
    edit_statement(page, claim.pk, EDITED_STATEMENT + " Volumes are unknown.", "Added a caveat")

    page.goto(f"/claims/{claim.pk}/history/")
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(3)
    # Pick the first and the second revision, not the default pair (the latest two).
    rows.filter(has_text="Added the Blackwell Ultra shipping claim").get_by_role("radio", name="Compare from").check()
    rows.filter(has_text="Narrowed to Q3").get_by_role("radio", name="Compare to").check()
    page.get_by_role("button", name="Compare selected revisions").click()

    page.wait_for_url(lambda url: "/diff/?" in url)
    diff = page.locator("table.diff-table tr").filter(has_text="Statement").locator(".diff")
    expect(diff.locator("del").first).to_be_visible()
    # The diff marks word by word; what it marks, read together, is exactly the changed words.
    assert " ".join(diff.locator("del").all_inner_texts()).split() == ["second", "half"]
    assert " ".join(diff.locator("ins").all_inner_texts()).split() == ["third", "quarter"]
    expect(diff).not_to_contain_text("Volumes are unknown")


def test_an_analyst_reverts_a_claim_to_its_first_revision(page, claim):
    log_in(page, "analyst", DEMO_PASSWORD)
    edit_statement(page, claim.pk, EDITED_STATEMENT, "Narrowed to Q3")

    page.goto(f"/claims/{claim.pk}/history/")
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(2)
    rows.filter(has_text="Added the Blackwell Ultra shipping claim").get_by_role("link", name="revert to this").click()
    expect(page.locator("h1")).to_contain_text("Revert")
    page.get_by_role("button", name="Revert").click()

    page.wait_for_url(f"**/claims/{claim.pk}/")
    expect(page.locator("main .messages")).to_contain_text("Reverted to revision")
    expect(page.locator("h1")).to_contain_text(STATEMENT)
    expect(page.locator("section.references q")).to_have_text([QUOTE_ZH, QUOTE_EN])

    page.locator("nav.page-tabs").get_by_role("link", name="History").click()
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Reverted to revision")


def two_analysts_open_the_edit_form(page, second_page):
    """Ana and ben log in, each in a browser of their own, and open the company's edit form:
    both forms start from the same revision."""
    for username, browser_page in (("ana", page), ("ben", second_page)):
        UserFactory(username=username, role=Role.ANALYST)
        log_in(browser_page, username, FACTORY_PASSWORD)
        browser_page.goto("/companies/example-chips/edit/")
    return page, second_page


def test_two_analysts_change_the_same_paragraph_and_the_second_settles_the_conflict(
    page, second_page, company_with_three_paragraphs
):
    ana, ben = two_analysts_open_the_edit_form(page, second_page)

    ana_body = ana.get_by_label("Body")
    ana_body.fill(ana_body.input_value().replace("taped out in 2024", "taped out in March 2024"))
    ana.get_by_label("Edit summary").fill("Tape-out month")
    ana.get_by_role("button", name="Save changes").click()
    expect(ana.locator("main .messages")).to_contain_text("Saved company")

    ben_body = ben.get_by_label("Body")
    ben_text = ben_body.input_value().replace("taped out in 2024", "taped out at TSMC in 2024")
    ben_body.fill(ben_text)
    ben.get_by_label("Edit summary").fill("Foundry")
    ben.get_by_role("button", name="Save changes").click()

    conflict = ben.get_by_role("alert").filter(has_text="Edit conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("ana saved this page")
    expect(conflict.locator(".conflict-current")).to_contain_text("taped out in March 2024")
    expect(conflict.locator(".conflict-mine")).to_contain_text("taped out at TSMC in 2024")
    # Nothing typed is lost: the textarea still holds ben's text.
    expect(ben_body).to_have_value(ben_text)

    # Ben merges by hand and saves again; this time the save is accepted.
    ben_body.fill(ben_text.replace("taped out at TSMC in 2024", "taped out at TSMC in March 2024"))
    ben.get_by_role("button", name="Save changes").click()
    ben.wait_for_url("**/companies/example-chips/")
    expect(ben.locator("main .messages")).to_contain_text("Saved company")
    expect(ben.locator(".body.markdown")).to_contain_text("taped out at TSMC in March 2024")


def test_two_analysts_change_different_paragraphs_and_both_changes_are_kept(
    page, second_page, company_with_three_paragraphs
):
    ana, ben = two_analysts_open_the_edit_form(page, second_page)

    ana_body = ana.get_by_label("Body")
    ana_body.fill(ana_body.input_value().replace("inference accelerators", "low-power inference accelerators"))
    ana.get_by_role("button", name="Save changes").click()
    expect(ana.locator("main .messages")).to_contain_text("Saved company")

    ben_body = ben.get_by_label("Body")
    ben_body.fill(ben_body.input_value().replace("cloud providers", "cloud providers in Asia"))
    ben.get_by_role("button", name="Save changes").click()

    ben.wait_for_url("**/companies/example-chips/")
    expect(ben.locator("main .messages")).to_contain_text("both were merged and saved")
    body = ben.locator(".body.markdown")
    expect(body).to_contain_text("low-power inference accelerators")
    expect(body).to_contain_text("cloud providers in Asia")
    expect(body).to_contain_text("taped out in 2024")
    ben.locator("nav.page-tabs").get_by_role("link", name="History").click()
    expect(ben.locator("table.history tbody tr").first.locator(".badge.merged")).to_be_visible()


PAYLOADS = (
    "Hostile body.\n\n"
    "<script>window.__pwned=1</script>\n\n"
    '<img src=x onerror="window.__pwned=1">\n\n'
    '<svg onload="window.__pwned=1"></svg>\n\n'
    "[click](javascript:window.__pwned=1)\n\n"
    '<a href="javascript:window.__pwned=1">x</a>\n\n'
    "The end."
)


def assert_inert(page, container) -> None:
    """Nothing ran, and nothing that could run later made it into the rendered HTML."""
    assert page.evaluate("window.__pwned") is None
    assert container.locator("script, svg, iframe, object, embed").count() == 0
    handlers = container.evaluate(
        "root => [root, ...root.querySelectorAll('*')].flatMap("
        "  el => Array.from(el.attributes).filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))"
    )
    assert handlers == []
    hrefs = container.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    assert [href for href in hrefs if href.strip().lower().startswith("javascript")] == []


def test_script_and_event_handler_payloads_in_a_body_render_inert(page, demo):
    log_in(page, "analyst", DEMO_PASSWORD)
    page.goto("/companies/nvidia/edit/")
    page.get_by_label("Body").fill(PAYLOADS)

    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.preview")
    expect(preview).to_contain_text("The end.")
    assert_inert(page, preview)

    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/companies/nvidia/")
    body = page.locator(".body.markdown")
    expect(body).to_contain_text("The end.")
    assert_inert(page, body)
    # Whatever the payloads became, following it runs nothing (today they render as plain text, no links).
    for link in body.locator("a").all():
        link.click()
    assert page.url.endswith("/companies/nvidia/")
    assert page.evaluate("window.__pwned") is None
    # Not even blocked by the Content-Security-Policy: a blocked script would log a violation here.
    assert page.console_errors == []


def site_pages() -> list[str]:
    """One page of every kind in the demo, with its edit, history and diff pages, and the site's own pages."""
    details = [
        Company.objects.get(slug="nvidia").get_absolute_url(),
        Claim.objects.order_by("pk").first().get_absolute_url(),
        Source.objects.order_by("pk").first().get_absolute_url(),
        Person.objects.order_by("pk").first().get_absolute_url(),
        Product.objects.get(slug="blackwell-ultra").get_absolute_url(),
        Architecture.objects.get(slug="blackwell").get_absolute_url(),
        Milestone.objects.order_by("pk").first().get_absolute_url(),
    ]
    urls = ["/", "/changes/", "/search/?q=Blackwell", "/new/", "/watchlist/", "/users/analyst/", "/claims/new/"]
    for detail in details:
        urls += [detail, detail + "edit/", detail + "history/", detail + "diff/"]
    return urls


def test_no_page_loads_anything_from_another_host_or_logs_a_console_error(page, demo):
    page.goto("/accounts/login/")
    log_in(page, "analyst", DEMO_PASSWORD)
    for url in site_pages():
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        assert page.foreign_requests == [], url
        assert page.console_errors == [], url


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, demo):
    page.goto("/companies/nvidia/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # it shows itself when focused
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()


def test_the_search_box_on_every_page_submits_with_enter_and_shows_results(page, demo):
    log_in(page, "analyst", DEMO_PASSWORD)
    for url in site_pages():
        page.goto(url)
        box = page.get_by_role("searchbox", name="Search the wiki")
        box.fill("Blackwell Ultra")
        box.press("Enter")
        page.wait_for_url(lambda url: "/search/?q=Blackwell+Ultra" in url)
        expect(
            page.locator("ol.search-results").get_by_role("link", name="Blackwell Ultra", exact=True)
        ).to_be_visible()


def test_the_nvidia_page_fits_a_phone_screen_without_sideways_scrolling(page, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/companies/nvidia/")
    expect(page.locator("h1")).to_have_text("Nvidia")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"the page is {scroll_width}px wide on a 390px screen"
