"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

No browser is downloaded: Playwright launches /usr/bin/chromium (Debian's package
``chromium``; .ci/run installs it). A missing browser fails loudly, never skips.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("INTEL_CHROMIUM", "/usr/bin/chromium"))

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls
# (fixtures creating data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium (or set INTEL_CHROMIUM).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
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
