"""/api/metrics/ (issue 6): the metric series as the wiki charts them, with their citations and conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from intel.choices import ClaimKind, ClaimStatus
from intel.models import Citation, Claim
from tests.api.apikit import error_fields, results
from tests.factories import (
    CitationFactory,
    ClaimFactory,
    CompanyFactory,
    ProductFactory,
    SourceFactory,
    metric_claims_bulk,
)

URL = "/api/metrics/"


def metric(*, companies=(), products=(), name="revenue", value="130.5", unit="bn USD", period="2024", **fields):
    claim = ClaimFactory(
        kind=ClaimKind.METRIC,
        statement=f"{name} was {value} {unit} in {period}.",
        metric=name,
        value=Decimal(value),
        unit=unit,
        period=period,
        **fields,
    )
    claim.companies.add(*companies)
    claim.products.add(*products)
    CitationFactory(claim=claim, source=SourceFactory(title=f"Report on {name}"), quote=f"{name}: {value}")
    return claim


def titles(response) -> list[str]:
    return [f"{row['subject']['slug']} · {row['metric']} · {row['unit']}" for row in results(response)]


@pytest.fixture
def amd(db):
    return CompanyFactory(name="AMD", slug="amd", tracked=True)


def test_a_series_lists_its_points_with_value_period_status_and_citations(api, world):
    response = api.get(URL)

    (series,) = results(response)
    assert series["subject"] == {"id": world.nvidia.pk, "slug": "nvidia", "name": "Nvidia"}
    assert (series["metric"], series["unit"], series["conflict"], series["conflict_periods"]) == (
        "data-center revenue",
        "bn USD",
        False,
        [],
    )
    (point,) = series["points"]
    claim = world.revenue
    assert point == {
        "claim": claim.pk,
        "api_url": f"http://testserver/api/claims/{claim.pk}/",
        "page_url": f"http://testserver/claims/{claim.pk}/",
        "statement": claim.statement,
        "value": "115.2",
        "period": "2025",
        "period_label": "2025",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "status": "unverified",
        "drawn": True,
        "conflict": False,
        "citations": point["citations"],
    }
    citations = Citation.objects.filter(claim=claim).order_by("pk")
    assert [(c["id"], c["source"]["title"], c["quote"], c["translation"]) for c in point["citations"]] == [
        (citation.pk, "GTC 2025 keynote", citation.quote, citation.translation) for citation in citations
    ]
    assert point["citations"][0]["page_url"] == f"http://testserver/claims/{claim.pk}/#citation-{citations[0].pk}"


def test_an_empty_wiki_has_no_series(api, db):
    response = api.get(URL)
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_conflicting_values_for_one_period_are_flagged_and_a_retracted_one_is_not_drawn(api, amd):
    first = metric(companies=[amd], value="25.8", period="2024")
    second = metric(companies=[amd], value="26", period="2024")
    quarter = metric(companies=[amd], value="7.7", period="2024-Q4")
    retracted = metric(companies=[amd], value="20", period="2024", status=ClaimStatus.RETRACTED)
    undated = metric(companies=[amd], value="30", period=None)

    (series,) = results(api.get(URL))
    assert series["conflict"] is True and series["conflict_periods"] == ["2024"]
    points = {point["claim"]: (point["period"], point["drawn"], point["conflict"]) for point in series["points"]}
    assert points == {
        quarter.pk: ("2024-Q4", True, False),  # another period than 2024, though within it
        first.pk: ("2024", True, True),
        second.pk: ("2024", True, True),
        retracted.pk: ("2024", False, False),
        undated.pk: (None, False, False),
    }
    assert [point["claim"] for point in series["points"]][-1] == undated.pk  # no period: last


def test_the_subject_is_the_vendor_of_the_named_product(api, world, amd):
    metric(companies=[amd], products=[world.gb200], name="units", value="1", unit="M racks")

    assert titles(api.get(URL)) == ["nvidia · data-center revenue · bn USD", "nvidia · units · M racks"]
    assert titles(api.get(URL, {"company": "amd"})) == []


def test_filters_by_company_slug_or_id_metric_unit_and_conflicts(api, world, amd):
    metric(companies=[amd], value="25.8", period="2024")
    metric(companies=[amd], value="26", period="2024")
    metric(companies=[amd], value="25800", unit="M USD", period="2024")
    metric(companies=[amd], name="gpu_units", value="0.5", unit="M GPUs")

    every = ["amd · gpu_units · M GPUs", "amd · revenue · M USD", "amd · revenue · bn USD"]
    assert titles(api.get(URL, {"company": "amd"})) == every
    assert titles(api.get(URL, {"company": str(amd.pk)})) == every
    assert titles(api.get(URL, {"company": f"amd,{world.nvidia.pk}"})) == [
        *every,
        "nvidia · data-center revenue · bn USD",
    ]
    assert titles(api.get(URL, {"metric": "REVENUE"})) == ["amd · revenue · M USD", "amd · revenue · bn USD"]
    assert titles(api.get(URL, {"unit": "bn usd"})) == [
        "amd · revenue · bn USD",
        "nvidia · data-center revenue · bn USD",
    ]
    assert titles(api.get(URL, {"conflicts": "true"})) == ["amd · revenue · bn USD"]
    assert titles(api.get(URL, {"conflicts": "false", "company": "amd"})) == every[:2]
    assert titles(api.get(URL, {"conflicts": ""})) == [*every, "nvidia · data-center revenue · bn USD"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"company": "nobody"}, "company"),
        ({"company": "999999"}, "company"),
        ({"company": "nvidia\x00"}, "company"),
        ({"metric": "x" * 201}, "metric"),
        ({"metric": "revenue\x00"}, "metric"),
        ({"unit": "u" * 51}, "unit"),
        ({"conflicts": "maybe"}, "conflicts"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, world, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400, response.content[:300]
    assert field in error_fields(response)


def test_a_page_past_the_end_is_a_json_404(api, world):
    response = api.get(URL, {"page": "9"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_series_are_paged(api, amd):
    for number in range(3):
        metric(companies=[amd], name=f"metric_{number}")

    first = api.get(URL, {"page_size": "2"}).json()
    assert (first["count"], len(first["results"])) == (3, 2)
    assert [row["metric"] for row in api.get(first["next"]).json()["results"]] == ["metric_2"]


def test_the_endpoint_is_read_only(api, world):
    assert api.post(URL, {}, format="json").status_code == 405


def test_the_query_count_does_not_grow_with_the_series(api, amd, django_assert_max_num_queries):
    metric_claims_bulk(10, companies=[amd], metrics=5, unit="x", years=20)
    api.get(URL, {"company": "amd"})  # warm the token and content-type caches
    with CaptureQueriesContext(connection) as with_10:
        assert len(results(api.get(URL, {"company": "amd"}))) == 5

    metric_claims_bulk(400, companies=[amd], start=10, metrics=5, unit="x", years=20)
    product = ProductFactory(vendor=amd)
    metric(products=[product], name="metric_0", unit="x", value="1")
    with django_assert_max_num_queries(len(with_10)):
        rows = results(api.get(URL, {"company": "amd"}))
    assert sum(len(row["points"]) for row in rows) == 411
    assert sum(len(point["citations"]) for row in rows for point in row["points"]) == 821


def test_the_conflicts_filter_follows_the_series_own_rule(api, world, amd):
    """The filter is decided in the database; the flag on each series in Python. They must agree."""
    supermicro = CompanyFactory(name="Supermicro", slug="supermicro", tracked=True)
    product = ProductFactory(vendor=supermicro)
    # Supermicro revenue 2024: one value through its product, another naming the company: a conflict.
    metric(products=[product], value="14.9", period="2024")
    metric(companies=[supermicro], value="15.1", period="2024")
    # AMD revenue 2024: the same value written two ways, and a retracted other value: no conflict.
    metric(companies=[amd], value="26", period="2024")
    metric(companies=[amd], value="26.000", period="2024")
    metric(companies=[amd], value="20", period="2024", status=ClaimStatus.SUPERSEDED)
    # AMD shipments: 2024 against 2024-Q4 are different periods: no conflict.
    metric(companies=[amd], name="shipments", value="5", unit="M GPUs", period="2024")
    metric(companies=[amd], name="shipments", value="2", unit="M GPUs", period="2024-Q4")

    every = results(api.get(URL))
    flagged = [f"{row['subject']['slug']} · {row['metric']} · {row['unit']}" for row in every if row["conflict"]]
    assert flagged == ["supermicro · revenue · bn USD"]
    assert titles(api.get(URL, {"conflicts": "true"})) == flagged
    assert len(results(api.get(URL, {"conflicts": "false"}))) == len(every) - 1


def test_paging_one_series_at_a_time_gives_the_same_series_as_one_page(api, world, amd):
    metric_claims_bulk(30, companies=[amd], metrics=6, unit="x", years=5)
    metric(companies=[amd], value="1", unit="x", name="metric_0", period="2000")  # a conflict in metric_0
    whole = results(api.get(URL, {"page_size": "50"}))

    walked, url = [], f"{URL}?page_size=1"
    while url:
        body = api.get(url).json()
        walked.extend(body["results"])
        url = body["next"]
    assert walked == whole
    assert len(whole) == 7  # six AMD series and Nvidia's
    assert [row["conflict"] for row in whole].count(True) == 1


def test_a_page_of_series_reads_only_its_own_claims(api, amd, django_assert_max_num_queries):
    """At scale a wiki holds a hundred thousand metric claims: a page costs what its series hold."""
    metric_claims_bulk(10, companies=[amd], metrics=2, unit="x", years=5)
    api.get(URL, {"page_size": "1"})  # warm the token and content-type caches
    with CaptureQueriesContext(connection) as with_2:
        assert len(results(api.get(URL, {"page_size": "1", "conflicts": "false"}))) == 1

    for number in range(40):
        other = CompanyFactory(name=f"Vendor {number:02}", slug=f"vendor-{number:02}")
        metric_claims_bulk(5, companies=[other], start=100 * number, metrics=5, unit="x", years=5)
    loaded = []

    def count_claim(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count_claim, sender=Claim)
    try:
        with django_assert_max_num_queries(len(with_2)):
            body = api.get(URL, {"page_size": "1", "conflicts": "false"}).json()
    finally:
        post_init.disconnect(count_claim, sender=Claim)
    assert body["count"] == 202
    (first,) = body["results"]
    assert (first["subject"]["slug"], first["metric"], len(first["points"])) == ("amd", "metric_0", 5)
    assert sorted(loaded) == sorted(point["claim"] for point in first["points"])


def test_a_long_series_gives_its_newest_points_and_flags_conflicts_with_those_left_out(api, amd, monkeypatch):
    """At scale one series had 8,000 claims (8 MB in one answer): a series gives its newest claims (500; 3
    here) and says how many it has, and a value contradicted by one left out is still flagged."""
    monkeypatch.setattr("intel.api.metrics.POINTS_PER_SERIES", 3)
    metric(companies=[amd], value="5", period="2020")  # the oldest four are left out
    metric(companies=[amd], value="6", period="2020")  # a conflict among those left out
    metric(companies=[amd], value="10", period="2022")
    shown_2022 = metric(companies=[amd], value="11", period="2022")  # contradicts one left out
    shown_2023 = metric(companies=[amd], value="1", period="2023")
    undated = metric(companies=[amd], value="2", period=None)

    (series,) = results(api.get(URL))
    assert [(point["claim"], point["conflict"]) for point in series["points"]] == [
        (shown_2022.pk, True),
        (shown_2023.pk, False),
        (undated.pk, False),
    ]
    assert series["points_total"] == 6
    assert (series["conflict"], series["conflict_periods"]) == (True, ["2020", "2022"])
    assert titles(api.get(URL, {"conflicts": "true"})) == ["amd · revenue · bn USD"]


def test_a_series_within_the_limit_gives_every_point(api, world):
    (series,) = results(api.get(URL))
    assert (len(series["points"]), series["points_total"]) == (1, 1)


def test_an_untracked_company_is_the_subject_only_when_no_tracked_one_is_named_beside_it(api, world, amd):
    """The subject rule is written in SQL for the filter and in Python for the series: they must agree."""
    smallco = CompanyFactory(name="Smallco", slug="smallco", tracked=False)
    partner = CompanyFactory(name="Partner", slug="partner", tracked=False)
    metric(companies=[smallco, amd], value="1", unit="x")  # AMD's: a tracked company is named beside it
    metric(companies=[smallco, partner], value="2", unit="x")  # both untracked: both are subjects
    smallco_product = ProductFactory(vendor=smallco)
    metric(companies=[amd], products=[smallco_product], value="3", unit="y")  # the vendor's, not AMD's

    every = ["amd · revenue · x", "nvidia · data-center revenue · bn USD", "partner · revenue · x"]
    every += ["smallco · revenue · x", "smallco · revenue · y"]
    assert titles(api.get(URL)) == every
    assert titles(api.get(URL, {"company": "smallco,amd"})) == ["amd · revenue · x", *every[-2:]]
    assert titles(api.get(URL, {"company": "partner"})) == ["partner · revenue · x"]
    (amd_series,) = results(api.get(URL, {"company": "amd"}))
    assert [point["value"] for point in amd_series["points"]] == ["1"]
    (smallco_x,) = results(api.get(URL, {"company": "smallco", "unit": "x"}))
    assert [point["value"] for point in smallco_x["points"]] == ["2"]


def test_a_page_holds_at_most_50_series_since_each_can_carry_500_points(api, world):
    assert api.get(URL, {"page_size": "50"}).status_code == 200
    response = api.get(URL, {"page_size": "51"})
    assert response.status_code == 400
    assert response.json()["errors"]["page_size"] == ["Give a whole number from 1 to 50."]
