"""Query counts of pages do not grow with their size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Company
from companies.services import company_create
from intel.choices import ClaimKind
from intel.demo import load_demo
from intel.models import Citation, Claim, Person, Source
from intel.services import source_create
from products.services import milestone_create
from tests.intel.pagekit import KIND_KEYS, parse, service_edit

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 17. Query counts do not grow with the size of a page


def add_claims(count: int, *, sources, speaker=None, companies=(), products=(), milestones=(), start: int = 0):
    """``count`` claims of mixed kinds about the given pages, each with two citations, in a few queries."""
    kinds = [ClaimKind.FACT, ClaimKind.OPINION, ClaimKind.PLAN, ClaimKind.FORECAST]
    claims = Claim.objects.bulk_create(
        Claim(statement=f"Bulk claim {start + index}.", kind=kinds[index % len(kinds)]) for index in range(count)
    )
    for field, pages in (("companies", companies), ("products", products), ("milestones", milestones)):
        through = getattr(Claim, field).through
        column = f"{getattr(Claim, field).field.related_model._meta.model_name}_id"
        through.objects.bulk_create(
            through(claim_id=claim.pk, **{column: page.pk}) for claim in claims for page in pages
        )
    Citation.objects.bulk_create(
        Citation(claim=claim, source=sources[number % len(sources)], speaker=speaker, quote=f"Quote {number}.")
        for claim in claims
        for number in range(2)
    )
    return claims


def test_the_nvidia_page_costs_as_many_queries_with_200_claims_as_with_20(
    client, analyst, django_assert_max_num_queries
):
    load_demo(password="demo-pass-123")
    nvidia = Company.objects.get(slug="nvidia")
    sources = [Source.objects.first(), source_create(author=analyst, title="Another source")]
    speaker = Person.objects.first()
    client.force_login(analyst)
    add_claims(20, sources=sources, speaker=speaker, companies=[nvidia])
    client.get("/companies/nvidia/")  # warm the content-type and session caches
    with CaptureQueriesContext(connection) as with_20:
        client.get("/companies/nvidia/")

    added = add_claims(180, sources=sources, speaker=speaker, companies=[nvidia], start=20)

    with django_assert_max_num_queries(len(with_20)):
        response = client.get("/companies/nvidia/")
    page = parse(response)
    # Each kind shows its 20 newest claims: the last ones added, 45 of each of the four kinds.
    shown = {int(item.get("id").removeprefix("claim-")) for item in page.find_all("li", cls="claim")}
    for kind in (ClaimKind.FACT, ClaimKind.OPINION, ClaimKind.PLAN, ClaimKind.FORECAST):
        newest = sorted((claim.pk for claim in added if claim.kind == kind), reverse=True)[:20]
        assert set(newest) <= shown
    assert len(page.find("ol", cls="footnotes").find_all("li")) >= 4 * 20 * 2
    more = {link.text: link.get("href") for p in page.find_all("p", cls="claims-more") for link in p.find_all("a")}
    assert more["Every fact claim about Nvidia, newest first"] == "/claims/?company=nvidia&kind=fact"


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_no_page_costs_more_queries_as_its_claims_and_citations_grow(client, analyst, world, kind_key):
    page = world.page(kind_key)
    sources = [world.keynote, source_create(author=analyst, title="Another source")]
    about = {"companies": [world.nvidia], "products": [world.gb200], "milestones": [world.ships]}

    def grow(count, start):
        if kind_key == "claim":  # a claim's own page grows with its citations
            Citation.objects.bulk_create(
                Citation(claim=world.revenue, source=sources[n % 2], speaker=world.jensen, quote=f"Quote {n}.")
                for n in range(start, start + 2 * count)
            )
        else:
            add_claims(count, sources=sources, speaker=world.jensen, start=start, **about)

    client.force_login(analyst)
    grow(20, 0)
    client.get(page.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        client.get(page.get_absolute_url())
    grow(180, 20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert len(large) == len(small), [query["sql"][:120] for query in large.captured_queries]


@pytest.mark.parametrize("path", ["/changes/", "/companies/alpha/history/", "/watchlist/", "/changes/feed/"])
def test_history_and_change_lists_cost_the_same_queries_however_long_the_history(client, analyst, path):
    alpha = company_create(author=analyst, name="Alpha", slug="alpha")
    client.force_login(analyst)
    for number in range(3):
        service_edit(alpha, analyst, body=f"Version {number}.")
    client.get(path)
    with CaptureQueriesContext(connection) as short:
        client.get(path)
    for number in range(3, 30):
        service_edit(alpha, analyst, body=f"Version {number}.")
        company_create(author=analyst, name=f"Other {number}", slug=f"other-{number}")
    with CaptureQueriesContext(connection) as long:
        client.get(path)
    assert len(long) == len(short), [query["sql"][:120] for query in long.captured_queries]


def test_a_company_page_costs_the_same_queries_with_no_milestones_and_more_than_it_draws(client, analyst, monkeypatch):
    monkeypatch.setattr("companies.selectors.ROADMAP_SHOWN", 3)
    alpha = company_create(author=analyst, name="Alpha", slug="alpha")
    client.force_login(analyst)
    client.get("/companies/alpha/")
    with CaptureQueriesContext(connection) as none:
        client.get("/companies/alpha/")
    for number in range(6):
        milestone_create(author=analyst, title=f"Step {number}", company=alpha, kind="ship", target=f"{2026 + number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/companies/alpha/")
    assert "of 6" in parse(response).find(id="roadmap-partial").text
    assert len(many) == len(none), [query["sql"][:120] for query in many.captured_queries]
