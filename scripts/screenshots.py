"""Screenshots of the demo wiki for the README and docs/screenshots/.

Run from the repository root: ``.venv/bin/python scripts/screenshots.py``

It builds a throwaway SQLite database (/tmp/intel-screens.sqlite3, removed first), migrates
it, loads the demo with a known password, serves it with ``manage.py runserver`` on a free
local port, and drives Debian's Chromium (/usr/bin/chromium, or $INTEL_CHROMIUM) with
Playwright to take PNGs at 1280×900 (and one at phone width). Edits it makes to show the
history, a diff and an edit conflict land in the throwaway database only.

Chinese text needs a CJK font (Debian: ``apt-get install fonts-noto-cjk``); without one it
shows as boxes, and the script says so.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DATABASE = Path("/tmp/intel-screens.sqlite3")
SERVER_LOG = Path("/tmp/intel-screens-server.log")
CHROMIUM = os.environ.get("INTEL_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "screens-demo-pass"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "DEBUG": "1",
        "INTEL_DEMO_PASSWORD": PASSWORD,
        "PYTHONUNBUFFERED": "1",
    }


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=server_env(), check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver exited with code {server.returncode}; see {SERVER_LOG}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"runserver did not answer at {url} within {timeout:.0f}s")


def cjk_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header .user")).to_have_text(username)


def shoot(page, name: str, *, max_height: int | None = None) -> None:
    """The whole page, or its top ``max_height`` pixels when the whole would be a scroll of thousands."""
    page.wait_for_load_state("networkidle")
    path = OUT / name
    width, height = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, max_height)} if max_height else None
    page.screenshot(path=str(path), full_page=True, clip=clip)
    print(f"  {path.relative_to(ROOT)}")


def take_screenshots(base_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        visitor = browser.new_context(base_url=base_url, viewport=DESKTOP)
        page = visitor.new_page()

        page.goto("/")
        shoot(page, "home.png")

        page.goto("/companies/nvidia/")
        shoot(page, "company-nvidia.png", max_height=2000)

        # The claim with the most references on the Nvidia page reads best.
        claims = page.locator("li.claim")
        best = max(range(claims.count()), key=lambda i: claims.nth(i).locator("sup.fn").count())
        claims.nth(best).locator("a").first.click()
        page.wait_for_url("**/claims/*/")
        shoot(page, "claim.png")

        # Issue 6: the answers analysts come for.
        page.goto("/companies/nvidia/battlecard/")
        shoot(page, "battlecard-nvidia.png", max_height=2600)
        page.goto("/companies/nvidia/battlecard/?compare=amd")
        shoot(page, "battlecard-compare.png", max_height=2000)
        page.goto("/roadmap/")
        shoot(page, "roadmap.png", max_height=1400)
        page.goto("/companies/nvidia/")
        page.get_by_role("link", name="GB200 volume production and deliveries slip").first.click()
        page.wait_for_url("**/milestones/*/")
        page.locator("#targets").scroll_into_view_if_needed()
        shoot(page, "milestone-slips.png", max_height=1600)
        page.goto("/metrics/?company=nvidia")
        shoot(page, "metrics.png", max_height=2200)
        page.goto("/disputes/")
        shoot(page, "disputes.png", max_height=1400)
        page.goto("/search/?q=" + quote("英伟达"))
        shoot(page, "search-nvidia.png", max_height=1400)
        page.goto("/search/?q=" + quote("推理"))
        shoot(page, "search-inference.png", max_height=1400)
        visitor.close()

        analyst_context = browser.new_context(base_url=base_url, viewport=DESKTOP)
        analyst = analyst_context.new_page()
        log_in(analyst, "analyst")

        # The new-claim form as an analyst sees it, a source picked by typing.
        analyst.goto("/companies/nvidia/")
        analyst.get_by_role("link", name="Add a claim about Nvidia").click()
        analyst.get_by_label("Statement").fill("Nvidia plans to ship Blackwell Ultra in the second half of 2025.")
        row = analyst.locator("fieldset.citation-row").first
        row.get_by_placeholder("Type to search sources…").fill("Leiphone")
        source = row.get_by_label("Source", exact=True)
        expect(source.locator("option")).not_to_have_count(1)
        source.select_option(index=1)
        row.get_by_label("Quote").fill("Blackwell Ultra將於今年下半年出貨")
        row.get_by_label("Translation").fill("Blackwell Ultra ships in the second half of this year.")
        analyst.get_by_role("button", name="Add another citation").click()
        analyst.locator("body").click(position={"x": 5, "y": 5})  # leave the focus ring out of the picture
        shoot(analyst, "claim-form.png")

        # An edit, so the Nvidia page has a history and a diff worth showing.
        analyst.goto("/companies/nvidia/edit/")
        body = analyst.get_by_label("Body")
        body.fill(
            body.input_value().replace("yearly product cadence", "yearly cadence of GPUs and systems")
            + "\n\nSee also [[AMD]], its closest GPU rival."
        )
        analyst.get_by_label("Edit summary").fill("Cadence wording; see also AMD")
        analyst.get_by_role("button", name="Save changes").click()
        expect(analyst.locator("main .messages")).to_contain_text("Saved company")

        # A real conflict: two analysts open the same form; the first saves, the second clashes.
        moderator_context = browser.new_context(base_url=base_url, viewport=DESKTOP)
        moderator = moderator_context.new_page()
        log_in(moderator, "moderator")
        analyst.goto("/companies/nvidia/edit/")
        moderator.goto("/companies/nvidia/edit/")
        body = moderator.get_by_label("Body")
        body.fill(body.input_value().replace("rather than a chip vendor", "rather than a mere chip vendor"))
        moderator.get_by_label("Edit summary").fill("Emphasis")
        moderator.get_by_role("button", name="Save changes").click()
        expect(moderator.locator("main .messages")).to_contain_text("Saved company")
        body = analyst.get_by_label("Body")
        body.fill(body.input_value().replace("rather than a chip vendor", "instead of a component supplier"))
        analyst.get_by_label("Edit summary").fill("Wording")
        analyst.get_by_role("button", name="Save changes").click()
        expect(analyst.get_by_role("alert").filter(has_text="Edit conflict")).to_be_visible()
        shoot(analyst, "edit-conflict.png")
        moderator_context.close()
        # The analyst settles it: the other edit's wording, plus their own.
        body.fill(
            body.input_value().replace("instead of a component supplier", "rather than a mere chip or component vendor")
        )
        analyst.get_by_label("Edit summary").fill("Merged with the moderator's edit")
        analyst.get_by_role("button", name="Save changes").click()
        expect(analyst.locator("main .messages")).to_contain_text("Saved company")

        analyst.goto("/companies/nvidia/history/")
        shoot(analyst, "history.png")
        # From the demo's first revision to the newest.
        analyst.locator("input[name=from]").last.check()
        analyst.locator("input[name=to]").first.check()
        analyst.get_by_role("button", name="Compare selected revisions").click()
        expect(analyst.locator(".diff ins").first).to_be_visible()
        shoot(analyst, "diff.png")

        analyst.goto("/changes/")
        shoot(analyst, "recent-changes.png", max_height=1300)
        analyst_context.close()

        phone_context = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True, has_touch=True)
        phone = phone_context.new_page()
        phone.goto("/companies/nvidia/")
        shoot(phone, "phone-company.png", max_height=2 * PHONE["height"])
        phone_context.close()
        browser.close()


def main() -> None:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Screenshots need Chromium at {CHROMIUM}: apt-get install chromium (or set INTEL_CHROMIUM).")
    if not cjk_font_installed():
        print("warning: no CJK font (fc-list :lang=zh is empty), Chinese shows as boxes: install fonts-noto-cjk")
    OUT.mkdir(parents=True, exist_ok=True)
    for leftover in (DATABASE, Path(f"{DATABASE}-wal"), Path(f"{DATABASE}-shm")):
        leftover.unlink(missing_ok=True)
    manage("migrate", "--no-input", "--verbosity", "0")
    manage("load_demo")

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = SERVER_LOG.open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=server_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(base_url, server)
        print(f"Serving the demo at {base_url}; screenshots:")
        take_screenshots(base_url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


if __name__ == "__main__":
    main()
