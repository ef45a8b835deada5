"""/claims/: every claim, newest first, with the API's filters; the "more" links of the pages lead there."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intel.choices import ClaimKind
from intel.selectors import PAGE_CLAIMS_PER_KIND
from intel.views import CLAIMS_PER_PAGE
from tests.intel.pagekit import parse, world  # noqa: F401  (the fixture)
from tests.intel.test_page_queries import add_claims

pytestmark = pytest.mark.django_db


def more_links(doc) -> list:
    """The links from a page's claim sections to the claims list ("every fact claim about …")."""
    return [link for paragraph in doc.find_all("p", cls="claims-more") for link in paragraph.find_all("a")]


def shown_ids(response) -> list[int]:
    return [int(item.get("id").removeprefix("claim-")) for item in parse(response).find_all("li", cls="claim")]


def test_an_analyst_walks_every_fact_about_nvidia_from_the_company_page(client, analyst, world):  # noqa: F811
    added = add_claims(120, sources=[world.keynote], companies=[world.nvidia])  # 30 of each of four kinds
    facts = sorted([claim.pk for claim in added if claim.kind == ClaimKind.FACT] + [world.shipping.pk], reverse=True)
    client.force_login(analyst)

    page = client.get("/companies/nvidia/")
    links = {link.text: link.get("href") for link in more_links(parse(page))}
    assert set(facts[:PAGE_CLAIMS_PER_KIND]) <= set(shown_ids(page))
    assert facts[PAGE_CLAIMS_PER_KIND] not in shown_ids(page)
    url = links["Every fact claim about Nvidia, newest first"]
    # The metric section holds one claim: nothing more to show, no link.
    assert not any("kind=metric" in href for href in links.values())

    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += shown_ids(response)
        older = [a for nav in parse(response).find_all("nav", cls="pager") for a in nav.find_all("a", rel="next")]
        url = "/claims/" + older[0].get("href") if older else None
    assert seen == facts  # all of them, newest first, each once


def test_the_list_says_what_it_is_filtered_by(client, world):  # noqa: F811
    response = client.get("/claims/?company=nvidia&kind=metric&speaker=jensen-huang")
    doc = parse(response)
    listed = doc.find("dl", cls="claim-filters")
    filters = dict(
        zip([dt.text for dt in listed.find_all("dt")], [dd.text for dd in listed.find_all("dd")], strict=True)
    )
    assert filters == {"Company": "Nvidia", "Kind": "Metric", "Speaker": "Jensen Huang"}
    assert shown_ids(response) == [world.revenue.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?company=nobody", "Company: No company “nobody”."),
        ("?before=soon", "“soon” is not a claim number."),
        ("?kind=rumour", "Kind: Select a valid choice. rumour is not one of the available choices."),
        ("?architecture=%00", "Architecture: Names and ids cannot contain NUL characters."),
    ],
)
def test_a_list_that_cannot_be_shown_says_why(client, world, query, message):  # noqa: F811
    response = client.get(f"/claims/{query}")
    assert response.status_code == 400
    assert message in [item.text for item in parse(response).find(id="claim-list-errors").find_all("li")]


def test_a_page_of_the_list_costs_the_same_queries_however_many_claims_match(client, world):  # noqa: F811
    add_claims(10, sources=[world.keynote], companies=[world.nvidia])
    client.get("/claims/?company=nvidia")
    with CaptureQueriesContext(connection) as few:
        client.get("/claims/?company=nvidia")
    add_claims(150, sources=[world.keynote], companies=[world.nvidia], start=10)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/claims/?company=nvidia")
    assert len(shown_ids(response)) == CLAIMS_PER_PAGE
    assert len(many) == len(few), [query["sql"][:120] for query in many.captured_queries]


def test_the_api_filters_claims_by_speaker_and_architecture(client, world):  # noqa: F811
    other = add_claims(3, sources=[world.keynote])  # cited, but nobody speaks and no product
    by_speaker = client.get("/api/claims/?speaker=jensen-huang").json()["results"]
    by_architecture = client.get("/api/claims/?architecture=blackwell").json()["results"]
    assert {row["id"] for row in by_speaker} == {world.shipping.pk, world.revenue.pk}  # both quote Jensen Huang
    assert {row["id"] for row in by_architecture} == {world.shipping.pk, world.revenue.pk}
    assert not {claim.pk for claim in other} & {row["id"] for row in by_architecture}
