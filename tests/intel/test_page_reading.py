"""Reading pages: every kind's infobox, body, claims and references; missing, deleted and not-yet-existing pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from intel import editing
from intel.pages import PAGE_KINDS
from products.services import product_create
from tests.intel.pagekit import (
    EXPECTED_INFOBOX,
    INFOBOX_LINKS,
    KIND_KEYS,
    REFERENCES,
    footnote_links,
    form_data,
    infobox,
    lf,
    logged_in,
    make_page,
    parse,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 1. Reading a page


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_every_kind_of_page_shows_infobox_body_claims_by_kind_and_numbered_references(client, world, kind_key):
    page = world.page(kind_key)
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    doc = parse(response)

    box = infobox(doc)
    expected = EXPECTED_INFOBOX[kind_key]
    assert {label: box.get(label) for label in expected} == expected
    aside_links = [link.get("href") for link in doc.find("aside", cls="infobox").find_all("a")]
    for url in INFOBOX_LINKS.get(kind_key, []):
        assert url in aside_links

    body = doc.find("div", cls="body")
    assert body.find("strong").text == "bold words"
    assert [item.text for item in body.find_all("li")] == ["first point", "second point"]

    if kind_key == "claim":
        # The claim's own citations are footnotes of its statement.
        assert footnote_links(doc.find("h1")) == [("[1]", "#ref-1"), ("[2]", "#ref-2")]
        references = REFERENCES[1:]
    else:
        claims = doc.find("section", cls="claims-about")
        assert [heading.text for heading in claims.find_all("h3")] == ["Fact", "Metric"]
        shipping = claims.find("li", id=f"claim-{world.shipping.pk}")
        revenue = claims.find("li", id=f"claim-{world.revenue.pk}")
        assert world.shipping.statement in shipping.text
        assert footnote_links(shipping) == [("[1]", "#ref-1")]
        assert footnote_links(revenue) == [("[2]", "#ref-2"), ("[3]", "#ref-3")]
        assert "data-center revenue: 115.2 bn USD (2025)" in " ".join(revenue.text.split())
        references = REFERENCES

    items = [item for item in doc.find("ol", cls="footnotes").find_all("li") if item.get("id", "").startswith("ref-")]
    assert [item.get("id") for item in items] == [f"ref-{number}" for number in range(1, len(references) + 1)]
    for item, parts in zip(items, references, strict=True):
        for part in parts:
            assert part in item.text
    assert items[0].find("a").get("href") == world.keynote.get_absolute_url()


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_what_links_here_lists_a_page_whose_body_links_to_this_one(client, world, kind_key):
    response = client.get(world.page(kind_key).get_absolute_url())
    links_here = parse(response).find("section", cls="links-here")
    assert [(link.text, link.get("href")) for link in links_here.find_all("a")] == [("Ada Notes", "/people/ada-notes/")]


def test_a_page_nobody_links_to_says_so(client, world):
    response = client.get(world.notes.get_absolute_url())
    assert "No page links here yet." in parse(response).find("section", cls="links-here").text


# ---------------------------------------------------------------------------
# 2. Missing and deleted pages


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_unknown_slug_or_id_is_the_sites_404_page(client, analyst, kind_key):
    kind = PAGE_KINDS[kind_key]
    key = "no-such-page" if kind.lookup == "slug" else 987654
    analyst_client = logged_in(analyst)
    for who, url in [
        (client, kind.url("detail", key)),
        (client, kind.url("history", key)),
        (client, kind.url("diff", key)),
        (client, kind.url("feed", key)),
        (analyst_client, kind.url("edit", key)),
        (analyst_client, kind.url("delete", key)),
    ]:
        response = who.get(url)
        assert response.status_code == 404, url
        doc = parse(response)
        assert doc.find("h1").text == "Not found", url
        assert f"“{key}”" in doc.find("main").text, url


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_a_deleted_page_is_a_404_that_says_so_and_offers_an_analyst_undelete(client, analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps, name="Doomed page")
    key = kind.key_of(page)
    editing.page_delete(kind=kind, page=page, author=analyst, summary="Duplicate of another page")

    response = logged_in(analyst).get(kind.url("detail", key))
    assert response.status_code == 404
    notice = parse(response).find("div", cls="deleted")
    assert f"This {kind.label} was deleted" in notice.text
    assert "by ana" in notice.text and "Duplicate of another page" in notice.text
    undelete = notice.find("form")
    assert undelete.get("action") == kind.url("undelete", key) and undelete.get("method") == "post"

    anonymous = client.get(kind.url("detail", key))
    assert anonymous.status_code == 404
    assert f"This {kind.label} was deleted" in anonymous.text
    assert not parse(anonymous).find("div", cls="deleted").find_all("form")


# ---------------------------------------------------------------------------
# 9. Links to pages that do not exist yet


def test_a_link_to_a_missing_page_leads_to_a_prefilled_form_of_any_kind(analyst, deps):
    client = logged_in(analyst)
    page = make_page("company", author=analyst, deps=deps, body="Compare [[Missing Page]].")
    link = parse(client.get(page.get_absolute_url())).find("div", cls="body").find("a")
    assert link.has_class("wikilink") and link.has_class("new")
    assert link.get("href") == "/new/?title=Missing+Page"

    chooser = client.get(link.get("href"))
    assert chooser.status_code == 200
    choices = parse(chooser).find("ul", cls="kind-choices").find_all("a")
    assert len(choices) == len(PAGE_KINDS)
    for kind, choice in zip(PAGE_KINDS.values(), choices, strict=True):
        href = urlsplit(choice.get("href"))
        assert href.path == kind.create_url()
        assert parse_qs(href.query) == {"title": ["Missing Page"]}
        form = form_data(client.get(choice.get("href")))
        assert lf(form[kind.title_field]) == "Missing Page", kind.key


def test_the_new_page_chooser_tells_a_visitor_to_log_in(client):
    response = client.get("/new/?title=Missing+Page")
    assert response.status_code == 200
    assert "Creating pages needs the analyst role" in response.text
    assert "No page is called “Missing Page” yet." in response.text


def test_a_company_page_lists_its_products_with_kind_architecture_and_status_names_as_text(client, analyst, world):
    product_create(
        author=analyst, name="<b>Rubin</b> & co", slug="rubin", vendor=world.nvidia, kind="gpu", status="announced"
    )

    products = parse(client.get("/companies/nvidia/")).find("ul", cls="product-list").find_all("li")

    listed = [
        (item.find("a").text, item.find("a").get("href"), item.find("span", cls="kind").text) for item in products
    ]
    assert listed == [
        ("<b>Rubin</b> & co", "/products/rubin/", "GPU · Announced"),
        ("GB200 NVL72", "/products/gb200-nvl72/", "System / rack · Blackwell · Shipping"),
    ]
