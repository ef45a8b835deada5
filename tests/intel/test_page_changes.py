"""Recent changes, contributions, the watchlist and the Atom feeds."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from companies.services import company_create
from intel.models import Change, Watch
from intel.pages import PAGE_KINDS
from intel.services import claim_create
from tests.intel.pagekit import (
    atom_entries,
    change_rows,
    form_data,
    logged_in,
    make_page,
    parse,
    service_edit,
    submit,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 13. Recent changes, contributions and the watchlist


def test_recent_changes_lists_the_newest_first_and_filters_by_kind_and_user(client, three_changes):
    rows = change_rows(client.get("/changes/"))
    assert [(row["page"], row["who"], row["what"]) for row in rows] == [
        ("company Alpha", "ana", "Edited Grow Alpha"),
        ("product Beta", "bob", "Created Start Beta"),
        ("company Alpha", "ana", "Created Start Alpha"),
    ]
    assert rows[0]["size"] == f"+{len('Alpha makes things.')}"
    assert [row["page"] for row in change_rows(client.get("/changes/?kind=product"))] == ["product Beta"]
    assert [row["what"] for row in change_rows(client.get("/changes/?user=bob"))] == ["Created Start Beta"]
    both = change_rows(client.get("/changes/?kind=company&user=ana"))
    assert [row["what"] for row in both] == ["Edited Grow Alpha", "Created Start Alpha"]
    assert "No changes match yet." in client.get("/changes/?kind=claim").text


def test_paging_through_recent_changes_shows_every_change_once(client, analyst):
    # A claim saved with a source described in its form is one revision with two change lines;
    # 49 newer changes put the page break of 50 rows between those two lines.
    claim_create(
        author=analyst,
        statement="A claim from a new source.",
        citations=[{"new_source": {"title": "Brand-new source", "url": "", "publisher": ""}, "quote": "Quoted."}],
    )
    alpha = company_create(author=analyst, name="Alpha", slug="alpha")
    for number in range(48):
        service_edit(alpha, analyst, body=f"Version {number}.")
    assert Change.objects.count() == 51

    seen, url = [], "/changes/"
    while url:
        response = client.get(url)
        seen += change_rows(response)
        older = [link for link in parse(response).find_all("a") if link.text == "Older changes"]
        url = "/changes/" + older[0].get("href") if older else None

    assert len(seen) == 51
    assert "source Brand-new source" in [row["page"] for row in seen]


def test_contributions_list_only_that_users_changes(client, three_changes):
    response = client.get("/users/bob/")
    assert response.status_code == 200
    assert [(row["page"], row["who"]) for row in change_rows(response)] == [("product Beta", "bob")]
    assert [row["who"] for row in change_rows(client.get("/users/ana/"))] == ["ana", "ana"]
    assert client.get("/users/nobody/").status_code == 404


def test_watching_and_unwatching_a_page_changes_the_watchlist(analyst, other_analyst, three_changes):
    client = logged_in(analyst)
    beta = PAGE_KINDS["product"]
    watched = parse(client.get("/watchlist/")).find("ul", cls="watched")
    assert [link.text for link in watched.find_all("a")] == ["Alpha"], "ana's own page, not bob's"
    assert "Beta" not in " ".join(row["page"] for row in change_rows(client.get("/watchlist/")))

    watch_url = beta.url("watch", "beta")
    response = client.post(watch_url, form_data(client.get("/products/beta/"), cls=None, action=watch_url))
    assert response.status_code == 302
    listing = client.get("/watchlist/")
    assert [link.text for link in parse(listing).find("ul", cls="watched").find_all("a")] == ["Alpha", "Beta"]
    assert "product Beta" in [row["page"] for row in change_rows(listing)]

    client.post(beta.url("watch", "beta"), {"action": "unwatch"})
    listing = client.get("/watchlist/")
    assert [link.text for link in parse(listing).find("ul", cls="watched").find_all("a")] == ["Alpha"]
    assert "product Beta" not in [row["page"] for row in change_rows(listing)]


def test_editing_a_page_watches_it_and_its_later_changes_show_on_the_watchlist(analyst, other_analyst, deps):
    page = make_page("company", author=other_analyst, deps=deps, name="Watched Co")
    client = logged_in(analyst)
    assert not Watch.objects.filter(user=analyst, object_id=str(page.pk)).exists()
    url = PAGE_KINDS["company"].url("edit", page.slug)
    assert submit(client, url, {**form_data(client.get(url)), "body": "Ana's edit."}).status_code == 302

    service_edit(page, other_analyst, summary="Bob again", body="Bob's later edit.")

    listing = client.get("/watchlist/")
    assert "Watched Co" in [link.text for link in parse(listing).find("ul", cls="watched").find_all("a")]
    rows = change_rows(listing)
    assert (rows[0]["page"], rows[0]["who"], rows[0]["what"]) == ("company Watched Co", "bob", "Edited Bob again")


# ---------------------------------------------------------------------------
# 14. Atom feeds


def test_the_recent_changes_feed_is_atom_with_an_entry_per_change(client, three_changes):
    entries = atom_entries(client.get("/changes/feed/"))
    assert [entry["title"] for entry in entries] == [
        "Edited company: Alpha",
        "Created product: Beta",
        "Created company: Alpha",
    ]
    assert [entry["author"] for entry in entries] == ["ana", "bob", "ana"]
    assert urlsplit(entries[0]["link"]).path == "/companies/alpha/diff/"


def test_a_pages_feed_has_only_that_pages_changes(client, three_changes):
    entries = atom_entries(client.get("/companies/alpha/feed/"))
    assert [entry["title"] for entry in entries] == ["Edited company: Alpha", "Created company: Alpha"]
    assert [entry["title"] for entry in atom_entries(client.get("/products/beta/feed/"))] == ["Created product: Beta"]
