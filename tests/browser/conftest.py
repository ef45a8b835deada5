"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

No browser is downloaded: Playwright launches /usr/bin/chromium (Debian's package
``chromium``; .ci/run installs it). A missing browser fails loudly, never skips.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("INTEL_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; it stops before the next module's tests run."""
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium (or set INTEL_CHROMIUM).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser
    # is up; the tests' own ORM calls (fixtures creating data, flushing the database)
    # are still plain synchronous calls, so Django's async guard is lifted meanwhile.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page; records requests to other hosts and console errors for the test to check."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.foreign_requests = []
    page.console_errors = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else page.foreign_requests.append(request.url),
    )
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
