"""Markdown safety on the real pages, permissions checked on the server, CSRF."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from reversion.models import Revision

from companies.models import Company
from companies.services import company_create
from intel import editing
from intel.choices import ChangeAction, Role
from intel.models import Change, Watch
from intel.pages import PAGE_KINDS, content_type_of, page_state
from intel.services import claim_create
from tests.factories import UserFactory
from tests.intel.pagekit import (
    KIND_KEYS,
    PREFILLED_BY_LINK,
    Deps,
    assert_no_active_content,
    exists,
    form_data,
    is_login_redirect,
    logged_in,
    make_page,
    parse,
    reload,
    service_edit,
    submit,
    typed_values,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 8. Markdown safety on the real pages


XSS_BODY = (
    "<script>window.__pwned=1</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2)) [z](jav&#x61;script:alert(3))\n\n"
    '<a href="javascript:alert(4)">raw link</a> ![pic](javascript:alert(5))\n\n'
    "[[Nvidia|<b onmouseover=alert(6)>]] [[<svg onload=alert(7)>]]"
)


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_hostile_markdown_is_inert_on_every_kind_of_page(client, analyst, deps, kind_key):
    company_create(author=analyst, name="Nvidia", slug="nvidia")
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps, body=XSS_BODY)
    response = client.get(page.get_absolute_url())

    assert response.status_code == 200
    assert_no_active_content(response)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in response.text, "shown as text, not dropped silently"
    revision = client.get(kind.url("revision", kind.key_of(page), revision_id=editing.latest_revision_id(page)))
    assert_no_active_content(revision)


def test_hostile_markdown_is_inert_in_preview_diff_and_edit_summaries(analyst, deps):
    client = logged_in(analyst)
    page = make_page("company", author=analyst, deps=deps)
    url = PAGE_KINDS["company"].url("edit", page.slug)
    form = form_data(client.get(url))

    preview = submit(client, url, {**form, "body": XSS_BODY}, press="preview")
    assert_no_active_content(preview)
    hostile_summary = '<script>window.__pwned=1</script>"><img src=x onerror=alert(1)>'
    assert submit(client, url, {**form, "body": XSS_BODY, "summary": hostile_summary}).status_code == 302
    history = parse(client.get(PAGE_KINDS["company"].url("history", page.slug)))
    assert hostile_summary in history.find("table", cls="history").text, "the summary is shown, as text"
    for path in (
        PAGE_KINDS["company"].url("diff", page.slug),
        PAGE_KINDS["company"].url("history", page.slug),
        "/changes/",
        "/users/ana/",
        "/watchlist/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_active_content(response)


def test_a_hostile_claim_statement_and_quote_are_shown_as_text(client, analyst, deps):
    statement = "<script>window.__pwned=1</script> and <img src=x onerror=alert(1)>"
    claim = claim_create(
        author=analyst,
        statement=statement,
        citations=[{"source": deps.source, "quote": '"><img src=x onerror=alert(2)>', "locator": "<b>here</b>"}],
        companies=[deps.company],
    )
    for url in (claim.get_absolute_url(), deps.company.get_absolute_url(), deps.source.get_absolute_url(), "/"):
        response = client.get(url)
        assert_no_active_content(response)
        assert statement in parse(response).text


@pytest.mark.parametrize(
    "url",
    [
        '/new/?title="><script>window.__pwned=1</script>',
        '/companies/new/?title="><script>window.__pwned=1</script>',
        "/claims/new/?title=</textarea><script>window.__pwned=1</script>",
        "/companies/groq/diff/?from=<script>window.__pwned=1</script>",
        '/search/?q="><img src=x onerror=alert(1)>',
    ],
)
def test_hostile_query_strings_are_echoed_as_text(analyst_client, edited_company, url):
    response = analyst_client.get(url)
    assert response.status_code in (200, 404)
    assert_no_active_content(response)


# ---------------------------------------------------------------------------
# 10. Permissions, checked on the server


@dataclass
class WriteTarget:
    """A page of one kind with two revisions, a deleted page of the same kind, and forms filled in for both."""

    kind: object
    page: object
    deleted_key: str
    first_revision: int
    create_data: dict
    edit_data: dict

    def requests(self) -> list[tuple[str, str, dict]]:
        kind, key = self.kind, self.kind.key_of(self.page)
        revert = kind.url("revert", key, revision_id=self.first_revision)
        return [
            ("get", kind.create_url(), {}),
            ("post", kind.create_url(), self.create_data),
            ("get", kind.url("edit", key), {}),
            ("post", kind.url("edit", key), self.edit_data),
            ("get", revert, {}),
            ("post", revert, {"summary": "Back"}),
            ("post", kind.url("watch", key), {"action": "watch"}),
            ("get", kind.url("delete", key), {}),
            ("post", kind.url("delete", key), {"summary": "Gone"}),
            ("post", kind.url("undelete", self.deleted_key), {}),
        ]

    def snapshot(self) -> dict:
        kind = self.kind
        live = kind.model.objects.filter(pk=self.page.pk).first()
        return {
            "revisions": Revision.objects.count(),
            "changes": Change.objects.count(),
            "watches": Watch.objects.count(),
            "pages": kind.model.objects.count(),
            "page": page_state(kind, live) if live else None,
            "deleted page back": exists(kind, self.deleted_key),
        }


def write_target(kind_key: str, deps: Deps) -> WriteTarget:
    editor = UserFactory(username="editor", role=Role.ANALYST)
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=editor, deps=deps, name="Target page")
    first_revision = editing.latest_revision_id(page)
    service_edit(page, editor, body="Second version.")
    gone = make_page(kind_key, author=editor, deps=deps, name="Gone page")
    deleted_key = kind.key_of(gone)
    editing.page_delete(kind=kind, page=gone, author=editor)
    client = logged_in(editor)
    create_data = form_data(client.get(kind.create_url()))
    typed = typed_values(kind_key, deps)
    if field := PREFILLED_BY_LINK.get(kind_key):
        typed[field] = str(deps.company.pk)
    edit_data = form_data(client.get(kind.url("edit", kind.key_of(page))))
    Watch.objects.filter(user=editor).delete()
    return WriteTarget(
        kind=kind,
        page=page,
        deleted_key=deleted_key,
        first_revision=first_revision,
        create_data={**create_data, **typed, "save": ""},
        edit_data={**edit_data, "body": "Vandalised.", "save": ""},
    )


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_a_visitor_is_sent_to_log_in_by_every_write_url_and_nothing_changes(client, deps, kind_key):
    target = write_target(kind_key, deps)
    before = target.snapshot()
    for method, url, data in target.requests():
        response = getattr(client, method)(url, data)
        assert is_login_redirect(response, url), (method, url, response.status_code)
    assert target.snapshot() == before


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_a_reader_is_refused_every_edit_url_and_nothing_changes(reader, deps, kind_key):
    target = write_target(kind_key, deps)
    client = logged_in(reader)
    before = target.snapshot()
    for method, url, data in target.requests():
        if url.endswith("/watch/"):
            continue  # watching is not editing: see the next test
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert parse(response).find("h1").text == "Not allowed"
    assert target.snapshot() == before


def test_a_reader_may_watch_pages_because_watching_is_not_editing(reader, world):
    client = logged_in(reader)
    response = client.post(PAGE_KINDS["company"].url("watch", "nvidia"), {"action": "watch"})
    assert response.status_code == 302
    assert "Nvidia" in parse(client.get("/watchlist/")).find("ul", cls="watched").text
    tabs = parse(client.get("/companies/nvidia/")).find("nav", cls="page-tabs")
    assert "Edit" not in [link.text for link in tabs.find_all("a")]
    assert tabs.find("button").text == "Unwatch"


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_analyst_may_use_every_write_url(analyst, deps, kind_key):
    target = write_target(kind_key, deps)
    client = logged_in(analyst)
    for method, url, data in target.requests():
        response = getattr(client, method)(url, data)
        assert response.status_code == (200 if method == "get" else 302), (method, url)
    kind, key = target.kind, target.kind.key_of(target.page)
    typed = typed_values(kind_key, deps)
    assert kind.model.objects.filter(**{kind.title_field: typed[kind.title_field]}).exists()
    assert not exists(kind, key), "deleted last"
    assert exists(kind, target.deleted_key), "undeleted"
    actions = Change.objects.filter(content_type=content_type_of(kind), object_id=str(target.page.pk))
    assert [change.action for change in actions][:3] == [ChangeAction.DELETE, ChangeAction.REVERT, ChangeAction.EDIT]


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_visitors_read_pages_histories_diffs_and_feeds_when_reading_is_public(client, analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps)
    first = editing.latest_revision_id(page)
    service_edit(page, analyst, body="Second version.")
    key = kind.key_of(page)
    for url in (
        kind.url("detail", key),
        kind.url("history", key),
        kind.url("diff", key),
        kind.url("diff", key) + f"?from={first}",
        kind.url("revision", key, revision_id=first),
        kind.url("feed", key),
        "/changes/",
        f"/changes/?kind={kind_key}",
        "/changes/feed/",
        "/users/ana/",
        "/search/?q=Lone",
        f"/lookup/{kind_key}/?q=Lone",
    ):
        assert client.get(url).status_code == 200, url
    # What a visitor sees offers no edit links.
    tabs = parse(client.get(kind.url("detail", key))).find("nav", cls="page-tabs")
    reading = ["Read", "Archived text"] if kind_key == "source" else ["Read"]
    assert [link.text for link in tabs.find_all("a")] == [*reading, "History", "Feed"]


def test_the_watchlist_needs_a_login(client):
    assert is_login_redirect(client.get("/watchlist/"), "/watchlist/")


# ---------------------------------------------------------------------------
# 11. CSRF


def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(analyst, deps):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    page = make_page("company", author=analyst, deps=deps)
    kind = PAGE_KINDS["company"]
    create_form = form_data(client.get(kind.create_url()))
    edit_form = form_data(client.get(kind.url("edit", page.slug)))
    revisions, watches = Revision.objects.count(), Watch.objects.count()

    for url, data in [
        (kind.create_url(), {**create_form, **typed_values("company", deps)}),
        (kind.url("edit", page.slug), {**edit_form, "body": "Changed."}),
        (kind.url("delete", page.slug), {"summary": "Gone"}),
        (kind.url("watch", page.slug), {"action": "unwatch"}),
    ]:
        without_token = {name: value for name, value in data.items() if name != "csrfmiddlewaretoken"}
        assert submit(client, url, without_token).status_code == 403, url

    assert (Revision.objects.count(), Watch.objects.count()) == (revisions, watches)
    assert not Company.objects.filter(slug="cerebras").exists()
    assert reload(page).body == "Standalone page."
    # The same form with the token the page gave is accepted.
    assert "csrfmiddlewaretoken" in edit_form
    assert submit(client, kind.url("edit", page.slug), {**edit_form, "body": "Changed."}).status_code == 302
