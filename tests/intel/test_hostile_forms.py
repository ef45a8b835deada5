"""Hostile bytes through the browser's doors: every field of every form, the query strings, the markup.

NUL characters in any field of a new page's form are refused on that field (PostgreSQL
could not even store them); bytes that are not UTF-8 in a form or a query string are read
as replacement characters, never a server error; every page with filters answers a
hostile query string with a 200 or a 400 that says what is wrong; markdown nested
thousands deep renders (markdown-it stops nesting; nothing recurses until it crashes).
Oversize texts and uploads and path traversal in upload names have their own tests
(test_page_forms.py, test_snapshots.py; the API's in tests/api/test_api_writing.py).
"""

from __future__ import annotations

import pytest
from reversion.models import Revision

from companies.models import Company
from companies.services import company_create
from intel.pages import PAGE_KINDS
from tests.intel.pagekit import KIND_KEYS, field_errors, form_data, parse, submit, typed_values

pytestmark = pytest.mark.django_db


def typed_fields(kind_key: str) -> list[str]:
    """The fields an analyst types free text into (choices, dates and links are checked elsewhere)."""
    typed = typed_values(kind_key, _FakeDeps())
    names = ["name", "title", "slug", "aliases", "publisher", "authors", "role", "statement", "body"]
    return [name for name in names if name in typed] + ["summary"]


class _FakeDeps:
    """typed_values only needs the source's id for a claim's citation; the real one is set per test."""

    class source:  # noqa: N801 - stands in for a model instance
        pk = 0


@pytest.mark.parametrize(
    ("kind_key", "field"), [(kind_key, field) for kind_key in KIND_KEYS for field in typed_fields(kind_key)]
)
def test_a_nul_character_in_any_typed_field_is_refused_on_that_field(analyst_client, deps, kind_key, field):
    url = PAGE_KINDS[kind_key].create_url()
    form = form_data(analyst_client.get(url))
    typed = typed_values(kind_key, deps)
    revisions = Revision.objects.count()

    response = submit(analyst_client, url, {**form, **typed, field: typed.get(field, "Why") + "\x00 hidden"})

    assert response.status_code == 400
    assert "Null characters are not allowed." in field_errors(response, field)
    assert Revision.objects.count() == revisions


def test_bytes_that_are_not_utf8_in_a_form_become_replacement_characters(analyst_client, deps):
    url = PAGE_KINDS["company"].create_url()
    form = form_data(analyst_client.get(url))
    fields = {**form, **typed_values("company", deps), "name": "Cerebras", "save": ""}
    encoded = "&".join(
        f"{name}={value}" for name, value in fields.items() if isinstance(value, str) and name != "name"
    ).encode()
    body = encoded + b"&name=Cere%FF%FEbras%C0%AF"
    response = analyst_client.post(url, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 302
    assert Company.objects.get(slug="cerebras").name == "Cere\ufffd\ufffdbras\ufffd\ufffd"


HOSTILE_QUERIES = ["%00", "%FF%FE", "%C0%AF", "x" * 5000, "%E2%80%AE", "[]", "{{x}}", "1%27%20OR%201%3D1--", "-1"]
FILTERED_PAGES = [
    "/search/?q={}",
    "/claims/?company={}",
    "/claims/?status={}&before={}",
    "/roadmap/?company={}&slipped={}",
    "/metrics/?company={}",
    "/disputes/?company={}",
    "/changes/?kind={}&before={}",
    "/companies/nvidia/history/?before={}",
    "/companies/nvidia/diff/?from={}&to={}",
    "/lookup/company/?q={}",
    "/sources/1/read/?snapshot={}",
]


@pytest.mark.parametrize("value", HOSTILE_QUERIES)
@pytest.mark.parametrize("page", FILTERED_PAGES)
def test_a_hostile_query_string_gets_a_page_or_a_clear_refusal(client, analyst, page, value):
    company_create(author=analyst, name="Nvidia", slug="nvidia", body="GPUs.")
    response = client.get(page.replace("{}", value))
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 400 and response["Content-Type"].startswith("text/html"):
        assert parse(response).find("main").text.strip()  # it says what was wrong


@pytest.mark.parametrize(
    "body",
    [
        "> " * 5000 + "deep quote",
        "- " * 3000 + "deep item",  # a list in a list in a list…
        "".join("  " * depth + "- item\n" for depth in range(500)),
        "[" * 20000 + "x" + "]" * 20000,
        "*" * 50000 + "x" + "*" * 50000,
        "<div>" * 10000,
        "[[" * 5000 + "Nvidia" + "]]" * 5000,
        "x[^1]" * 2000 + "\n\n" + "".join(f"[^1]: note {n}\n" for n in range(2000)),
    ],
    ids=["quotes", "lists", "indented-lists", "brackets", "emphasis", "divs", "wiki-links", "footnotes"],
)
def test_markup_nested_thousands_deep_is_saved_and_shown(analyst_client, analyst, body):
    company_create(author=analyst, name="Nvidia", slug="nvidia", body=body)
    response = analyst_client.get("/companies/nvidia/")
    assert response.status_code == 200
    assert 'class="body markdown' in response.text
