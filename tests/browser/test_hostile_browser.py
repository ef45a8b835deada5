"""Every XSS payload of the corpus (tests/hostile.py), in every field the wiki shows, runs nothing in Chromium.

(All but the one with a NUL character, which no field keeps: every door refuses it.)

For each payload an analyst makes a company named after it (the payload is also its alias
and its body, and the edit summary), a source titled with it, a claim about the company
whose statement and quote are the payload, and a milestone titled with it that the
company's timeline draws in SVG. Payloads a user name can hold (no "/", which no URL of a
user page can carry) become user names that make those edits, so they show in histories
and recent changes.

Then Chromium opens every page that shows them: each company page, its history and its
edit form, each user's contributions, recent changes, the claim list, the roadmap, search
results. On each: ``window.__pwned`` (which every payload that ran would set) is unset, no
dialog opened, no element carries an event handler or a javascript:/data: URL, no script
is anything but the site's own files, and the console is empty (so not even the
Content-Security-Policy had to block anything).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from companies.services import company_create
from intel.choices import Role
from intel.services import claim_create, source_create
from products.services import milestone_create
from tests.factories import UserFactory
from tests.hostile import XSS_PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"

# What the browser's DOM would have to contain for anything to run (or run on a click).
ACTIVE_CONTENT = """() => {
  const found = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'poster', 'background'];
  for (const el of document.querySelectorAll('*')) {
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\x00-\\x20\\x7f-\\x9f]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(`${el.tagName} ${name}`);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text|data:image\\/svg)/.test(value)) {
        found.push(`${el.tagName} ${name}=${value.slice(0, 40)}`);
      }
    }
  }
  for (const script of document.querySelectorAll('script')) {
    const own = script.src && new URL(script.src).origin === location.origin
      && new URL(script.src).pathname.startsWith('/static/') && !script.textContent.trim();
    if (!own) found.push(`script ${script.src || script.textContent.slice(0, 40)}`);
  }
  for (const el of document.querySelectorAll('iframe, object, embed, base, meta[http-equiv], foreignObject')) {
    found.push(el.tagName);
  }
  return found;
}"""


@pytest.fixture
def hostile_wiki():
    """The corpus in every field; returns the URLs that show it."""
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    urls = ["/", "/changes/", "/roadmap/", "/claims/", "/search/?q=pwned", "/search/?q=script"]
    for number, payload in enumerate(XSS_PAYLOADS):
        if "\x00" in payload:
            continue  # no field keeps a NUL: every door refuses it (test_hostile_forms.py, the API's tests)
        author = analyst
        if "/" not in payload and len(payload) <= 150:
            author = UserFactory(username=payload, role=Role.ANALYST)
            urls.append(f"/users/{_path_segment(payload)}/")
        slug = f"hostile-{number}"
        company = company_create(
            author=author, name=payload, slug=slug, aliases=[payload], body=payload, summary=payload
        )
        source = source_create(author=author, title=payload, publisher=payload, summary=payload)
        claim_create(
            author=author,
            statement=payload,
            companies=[company],
            citations=[{"source": source, "quote": payload}],
            summary=payload,
        )
        milestone_create(author=author, title=payload, company=company, kind="ship", target="2026-Q3", summary=payload)
        urls += [f"/companies/{slug}/", f"/companies/{slug}/history/", f"/companies/{slug}/edit/"]
    return urls


def _path_segment(text: str) -> str:
    return quote(text, safe="")


def test_no_payload_runs_in_any_field_on_any_page(page, hostile_wiki, live_server):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")

    failures = []
    for url in hostile_wiki:
        response = page.goto(url)
        if response.status != 200:
            failures.append(f"{url}: HTTP {response.status}")
            continue
        found = page.evaluate(ACTIVE_CONTENT)
        pwned = page.evaluate("window.__pwned")
        if found or pwned is not None or page.console_errors:
            failures.append(f"{url}: {found} pwned={pwned} console={page.console_errors}")
        page.console_errors.clear()
    assert not failures, "\n".join(failures)
    assert dialogs == []
    assert page.foreign_requests == []
