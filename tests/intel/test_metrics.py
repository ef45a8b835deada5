"""Metrics (issue 6): metric claims as series per company, metric and unit, their conflicts, their SVG
chart, the /metrics/ page and the partial that company pages and battlecards include."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from intel.choices import ClaimKind, ClaimStatus
from intel.demo import load_demo
from intel.fuzzydates import FuzzyDate
from intel.metrics import metric_series
from intel.models import Citation, Claim
from tests.factories import (
    CitationFactory,
    ClaimFactory,
    CompanyFactory,
    ProductFactory,
    SourceFactory,
    metric_claims_bulk,
)
from tests.intel.pagekit import parse

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def metric(
    *,
    companies=(),
    products=(),
    name: str = "revenue",
    value: str = "130.5",
    unit: str = "bn USD",
    period: str | None = "2024",
    status: str = ClaimStatus.UNVERIFIED,
    sources=(),
) -> Claim:
    """A metric claim about these companies and products, cited once by each source (or one new source)."""
    claim = ClaimFactory(
        kind=ClaimKind.METRIC,
        statement=f"{name} was {value} {unit} in {period}.",
        metric=name,
        value=Decimal(value),
        unit=unit,
        period=period,
        status=status,
    )
    claim.companies.add(*companies)
    claim.products.add(*products)
    for source in sources or [SourceFactory(title=f"Report on {name} {period}")]:
        CitationFactory(claim=claim, source=source, quote=f"{name} reached {value}")
    return claim


def by_title(series) -> dict[str, list[tuple[str, str]]]:
    """Each series' title → its points as (period or "-", value)."""
    return {item.title: [(str(p.period) if p.period else "-", p.value_text) for p in item.points] for item in series}


def chart_xml(series) -> ET.Element:
    return ET.fromstring(str(series.chart))


def texts(svg: ET.Element) -> list[str]:
    return [element.text for element in svg.iter(f"{SVG}text")]


@pytest.fixture
def nvidia():
    return CompanyFactory(name="Nvidia", slug="nvidia", tracked=True)


@pytest.fixture
def amd():
    return CompanyFactory(name="AMD", slug="amd", tracked=True)


# ---------------------------------------------------------------------------
# Series: grouping and the subject rule


def test_claims_are_grouped_by_company_metric_and_unit_and_sorted_by_subject_metric_unit(nvidia, amd):
    metric(companies=[nvidia], value="130.5", period="2024")
    metric(companies=[nvidia], value="60.9", period="2023")
    metric(companies=[nvidia], value="130500", unit="M USD", period="2024")
    metric(companies=[nvidia], name="gpu_units", value="3.6", unit="M GPUs", period="2025")
    metric(companies=[amd], value="25.8", period="2024")
    ClaimFactory(kind=ClaimKind.FACT, statement="Not a metric.").companies.add(nvidia)

    assert by_title(metric_series()) == {
        "AMD · revenue · bn USD": [("2024", "25.8")],
        "Nvidia · gpu_units · M GPUs": [("2025", "3.6")],
        "Nvidia · revenue · M USD": [("2024", "130,500")],
        "Nvidia · revenue · bn USD": [("2023", "60.9"), ("2024", "130.5")],
    }


def test_a_claim_naming_products_belongs_to_their_vendor_not_to_the_companies_it_names(nvidia, amd):
    hopper = ProductFactory(name="Hopper", vendor=nvidia)
    metric(companies=[amd], products=[hopper], name="gpu_units", value="1.3", unit="M GPUs")

    assert list(by_title(metric_series())) == ["Nvidia · gpu_units · M GPUs"]
    assert metric_series(company=amd) == []


def test_of_several_named_companies_only_the_tracked_ones_are_the_subject(nvidia):
    deepseek = CompanyFactory(name="DeepSeek", slug="deepseek", tracked=False)
    metric(companies=[nvidia, deepseek], name="price_to_earnings", value="20", unit="x", period="2025")

    assert list(by_title(metric_series())) == ["Nvidia · price_to_earnings · x"]
    assert metric_series(company=deepseek) == []


def test_a_claim_about_two_untracked_companies_is_in_the_series_of_each():
    first, second = CompanyFactory(name="Alpha"), CompanyFactory(name="Beta")
    metric(companies=[first, second], name="market_share", value="50", unit="%")

    assert list(by_title(metric_series())) == ["Alpha · market_share · %", "Beta · market_share · %"]


def test_the_selector_keeps_one_companys_series_or_one_metric(nvidia, amd):
    metric(companies=[nvidia], value="130.5")
    metric(companies=[nvidia], name="gpu_units", value="3.6", unit="M GPUs")
    metric(companies=[amd], value="25.8")

    assert list(by_title(metric_series(company=nvidia))) == ["Nvidia · gpu_units · M GPUs", "Nvidia · revenue · bn USD"]
    assert list(by_title(metric_series(metric="Revenue"))) == ["AMD · revenue · bn USD", "Nvidia · revenue · bn USD"]
    assert metric_series(company=CompanyFactory(name="Cerebras")) == []


def test_points_are_sorted_by_period_the_narrower_first_and_those_without_a_period_last(nvidia):
    for period, value in [(None, "40"), ("2025", "20"), ("2025-Q1", "5"), ("2024-12-31", "1"), ("2025-H1", "9")]:
        metric(companies=[nvidia], name="pe", value=value, unit="x", period=period)

    (series,) = metric_series()
    assert by_title([series])["Nvidia · pe · x"] == [
        ("2024-12-31", "1"),
        ("2025-Q1", "5"),
        ("2025-H1", "9"),
        ("2025", "20"),
        ("-", "40"),
    ]


# ---------------------------------------------------------------------------
# Conflicts


def test_two_values_for_the_same_period_are_a_conflict_and_both_are_flagged(nvidia):
    first = metric(companies=[nvidia], name="gpu_units", value="3.6", unit="M GPUs", period="2025")
    second = metric(companies=[nvidia], name="gpu_units", value="3.8", unit="M GPUs", period="2025")
    other = metric(companies=[nvidia], name="gpu_units", value="1.3", unit="M GPUs", period="2024")

    (series,) = metric_series()
    flags = {point.claim.pk: (point.conflict, point.conflicting_text) for point in series.points}
    assert flags == {first.pk: (True, "3.8"), second.pk: (True, "3.6"), other.pk: (False, "")}
    assert [str(period) for period in series.conflict_periods] == ["2025"]


def test_the_same_value_twice_is_no_conflict(nvidia):
    metric(companies=[nvidia], value="130.5", period="2024")
    metric(companies=[nvidia], value="130.500", period="2024")

    (series,) = metric_series()
    assert not series.has_conflict


def test_a_year_and_a_quarter_of_it_are_different_periods_not_a_conflict(nvidia):
    metric(companies=[nvidia], value="130.5", period="2025")
    metric(companies=[nvidia], value="39.3", period="2025-Q1")
    metric(companies=[nvidia], value="60", period="2025-H1")

    (series,) = metric_series()
    assert not series.has_conflict
    assert len(series.drawn_points) == 3


def test_retracted_and_superseded_claims_are_listed_but_neither_drawn_nor_in_conflict(nvidia):
    metric(companies=[nvidia], value="130.5", period="2024")
    metric(companies=[nvidia], value="99", period="2024", status=ClaimStatus.RETRACTED)
    metric(companies=[nvidia], value="120", period="2024", status=ClaimStatus.SUPERSEDED)

    (series,) = metric_series()
    assert [(p.value_text, p.drawn) for p in series.points] == [("99", False), ("120", False), ("130.5", True)]
    assert not series.has_conflict


def test_a_disputed_claim_is_still_drawn_and_can_be_in_conflict(nvidia):
    metric(companies=[nvidia], value="130.5", period="2024")
    metric(companies=[nvidia], value="99", period="2024", status=ClaimStatus.DISPUTED)

    (series,) = metric_series()
    assert series.has_conflict and all(point.drawn for point in series.points)


def test_the_same_value_in_two_units_is_two_series_without_conflict(nvidia):
    metric(companies=[nvidia], value="130.5", unit="bn USD", period="2024")
    metric(companies=[nvidia], value="130500", unit="M USD", period="2024")

    series = metric_series()
    assert len(series) == 2 and not any(item.has_conflict for item in series)


# ---------------------------------------------------------------------------
# The chart


def test_the_chart_is_svg_with_a_title_a_description_axes_with_the_unit_and_the_values(nvidia):
    metric(companies=[nvidia], value="130.5", period="2024")

    (series,) = metric_series()
    svg = chart_xml(series)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.findtext(f"{SVG}title") == "Nvidia: revenue (bn USD)"
    assert svg.findtext(f"{SVG}desc").startswith("Nvidia revenue in bn USD: 130.5 in 2024.")
    assert svg.get("aria-labelledby") == f"{svg.get('id')}-title {svg.get('id')}-desc"
    labels = texts(svg)
    assert "revenue, bn USD" in labels and "Period" in labels  # the axes say what they measure
    assert "130.5" in labels  # the value is written, not only drawn
    assert {"2024", "2025"} <= set(labels)  # a single yearly value gets a year of context on each side
    assert "metric-chart" in svg.get("class")


def test_a_yearly_value_spans_its_year_and_a_day_value_is_a_marker(nvidia):
    metric(companies=[nvidia], value="130.5", period="2024")
    metric(companies=[nvidia], value="3", period="2024-03-18")

    svg = chart_xml(metric_series()[0])
    points = [group for group in svg.iter(f"{SVG}g") if "metric-point" in group.get("class", "")]
    shapes = [[child.tag.removeprefix(SVG) for child in group] for group in points]
    assert shapes == [["title", "line", "circle"], ["title", "circle"]]  # in period order: the year starts first
    bar = points[0].find(f"{SVG}line")
    circle = points[0].find(f"{SVG}circle")
    assert float(bar.get("x1")) < float(circle.get("cx")) < float(bar.get("x2"))


def test_a_conflict_has_its_own_marker_a_tooltip_and_a_legend_entry(nvidia):
    metric(companies=[nvidia], name="gpu_units", value="3.6", unit="M GPUs", period="2025")
    metric(companies=[nvidia], name="gpu_units", value="3.8", unit="M GPUs", period="2025")

    svg = chart_xml(metric_series()[0])
    conflicts = [group for group in svg.iter(f"{SVG}g") if "metric-conflict" in group.get("class", "")]
    assert len(conflicts) == 2
    assert all(group.find(f"{SVG}polygon") is not None for group in conflicts)  # a diamond, not a dot
    assert "Conflict: other claims give 3.8 for 2025" in conflicts[0].findtext(f"{SVG}title")
    assert "Conflict: different values for one period" in texts(svg)
    assert "Conflict in 2025: 3.6 and 3.8." in svg.findtext(f"{SVG}desc")


def test_a_chart_without_conflict_has_no_conflict_legend(nvidia):
    metric(companies=[nvidia], value="130.5", period="2024")

    assert "Conflict: different values for one period" not in texts(chart_xml(metric_series()[0]))


@pytest.mark.parametrize(
    "periods",
    [
        ["2025-03-18"],
        ["0001", "9999"],
        ["9999-12-31"],
        ["2025-Q1", "2025-Q1", "2025-03", "2025-H1"],
        [f"{1990 + n}" for n in range(36)],
    ],
)
def test_unusual_periods_still_draw_a_well_formed_chart(nvidia, periods):
    for number, period in enumerate(periods):
        metric(companies=[nvidia], value=str(number - 2), period=period)

    (series,) = metric_series()
    svg = chart_xml(series)
    assert len([g for g in svg.iter(f"{SVG}g") if "metric-point" in g.get("class", "")]) == len(periods)
    assert f"-2 in {FuzzyDate.parse(periods[0]).label}" in svg.findtext(f"{SVG}desc")


@pytest.mark.parametrize(
    ("values", "written"),
    [(["0.000001", "0.000003"], {"0.000001", "0.000003", "0.000002"}), (["-2.5", "3"], {"-2.5", "3", "-2", "0"})],
)
def test_tiny_and_negative_values_keep_readable_axis_labels(nvidia, values, written):
    for number, value in enumerate(values):
        metric(companies=[nvidia], value=value, period=f"2025-Q{number + 1}")

    assert written <= set(texts(chart_xml(metric_series()[0])))


def test_a_series_with_nothing_to_draw_has_no_chart_and_says_why(nvidia):
    metric(companies=[nvidia], name="price_to_earnings", value="40", unit="x", period=None)
    metric(companies=[nvidia], value="99", period="2024", status=ClaimStatus.RETRACTED)

    undated, retracted = metric_series()
    assert (undated.chart, retracted.chart) == ("", "")
    assert undated.no_chart_reason == "No chart: none of its values has a period."
    assert retracted.no_chart_reason == "No chart: its values are all retracted or superseded."


def test_labels_are_escaped_in_the_chart(nvidia):
    evil = CompanyFactory(name="<Evil & Co>", slug="evil")
    metric(companies=[evil], name="<script>alert(1)</script>", value="1", unit="a<b")

    svg = chart_xml(metric_series(company=evil)[0])  # parses: every label was escaped
    assert svg.findtext(f"{SVG}title") == "<Evil & Co>: <script>alert(1)</script> (a<b)"
    assert not list(svg.iter("script")) and not list(svg.iter(f"{SVG}script"))


# ---------------------------------------------------------------------------
# The partial and the /metrics/ page


def test_the_partial_shows_a_table_where_each_value_links_to_its_citations(nvidia):
    sources = [SourceFactory(title="Q4 earnings call"), SourceFactory(title="10-K filing")]
    claim = metric(companies=[nvidia], value="130.5", period="2024", sources=sources)
    metric(companies=[nvidia], value="40", name="pe", unit="x", period=None)

    page = parse(render_to_string("intel/_metric_series.html", {"metric_series": metric_series(company=nvidia)}))
    assert [heading.text for heading in page.find_all("h3")] == ["Nvidia · pe · x", "Nvidia · revenue · bn USD"]
    revenue = page.find_all("section", cls="metric-series")[1]
    (row,) = revenue.find("tbody").find_all("tr")
    cells = [" ".join(cell.text.split()) for cell in row.find_all("td")]
    assert cells[:4] == ["2024", "130.5", claim.statement, "Unverified"]
    citation_ids = Citation.objects.filter(claim=claim).order_by("pk").values_list("pk", flat=True)
    assert [(a.text, a.get("href")) for a in row.find_all("a", cls="metric-citation")] == [
        ("Q4 earnings call", f"/claims/{claim.pk}/#citation-{citation_ids[0]}"),
        ("10-K filing", f"/claims/{claim.pk}/#citation-{citation_ids[1]}"),
    ]
    assert row.find_all("a")[0].get("href") == f"/claims/{claim.pk}/#references-heading"  # the value itself
    assert revenue.find_all("svg")

    undated = page.find_all("section", cls="metric-series")[0]
    assert "no period" in undated.find("tbody").text
    assert not undated.find_all("svg")
    assert "No chart: none of its values has a period." in undated.text


def test_the_partial_says_no_metrics_yet_for_a_company_with_none(nvidia):
    html = render_to_string("intel/_metric_series.html", {"metric_series": metric_series(company=nvidia)})
    assert parse(html).find("p", cls="empty").text.strip() == "No metrics yet."


def test_the_metrics_page_of_an_empty_wiki_says_there_are_no_metrics_yet(client):
    response = client.get("/metrics/")
    assert response.status_code == 200
    page = parse(response)
    assert page.find("p", cls="metric-empty").text.startswith("No metrics yet.")
    assert not page.find_all("svg") and not page.find_all("table")


def test_the_metrics_page_of_a_company_with_nothing_yet_says_so(client, nvidia, amd):
    metric(companies=[nvidia], value="130.5")

    response = client.get("/metrics/?company=amd")
    assert response.status_code == 200
    page = parse(response)
    assert page.find("p", cls="metric-empty").text == "No metrics for AMD yet."
    assert "selected" in page.find("option", value="amd").attrs


def test_the_metrics_page_shows_every_series_with_its_chart_and_flags_conflicts_in_words(client, nvidia, amd):
    metric(companies=[nvidia], name="gpu_units", value="3.6", unit="M GPUs", period="2025")
    metric(companies=[nvidia], name="gpu_units", value="3.8", unit="M GPUs", period="2025")
    metric(companies=[amd], value="25.8", period="2024")

    page = parse(client.get("/metrics/"))
    assert [" ".join(h.text.split()) for h in page.find_all("h2")] == [
        "AMD · revenue · bn USD",
        "Nvidia · gpu_units · M GPUs",
    ]
    assert len(page.find_all("svg")) == 2
    gpu = page.find_all("section", cls="metric-series")[1]
    assert "Claims give different values for 2025" in gpu.find("p", cls="metric-conflict-note").text
    flags = [row.find_all("td")[4].text for row in gpu.find("tbody").find_all("tr")]
    assert flags == ["⚠ conflict also 3.8", "⚠ conflict also 3.6"]
    assert "1 with conflicting values" in page.find("p", cls="count").text


def test_the_metrics_page_filters_by_company_and_metric(client, nvidia, amd):
    metric(companies=[nvidia], value="130.5")
    metric(companies=[nvidia], name="gpu_units", value="3.6", unit="M GPUs")
    metric(companies=[amd], value="25.8")

    def headings(query: str) -> list[str]:
        return [" ".join(h.text.split()) for h in parse(client.get(f"/metrics/{query}")).find_all("h2")]

    assert headings("?company=nvidia") == ["Nvidia · gpu_units · M GPUs", "Nvidia · revenue · bn USD"]
    assert headings("?metric=revenue") == ["AMD · revenue · bn USD", "Nvidia · revenue · bn USD"]
    assert headings("?company=amd&metric=gpu_units") == []
    options = [option.get("value") for option in parse(client.get("/metrics/")).find_all("option")]
    assert options == ["", "amd", "nvidia", "", "gpu_units", "revenue"]


@pytest.mark.parametrize("query", ["?company=nobody", "?company=%00", "?metric=nothing", "?company=" + "x" * 300])
def test_a_bad_filter_is_a_400_with_its_error_next_to_the_field_and_the_page_still_renders(client, nvidia, query):
    metric(companies=[nvidia], value="130.5")

    response = client.get(f"/metrics/{query}")
    assert response.status_code == 400
    page = parse(response)
    assert page.find("span", cls="errorlist").text
    assert len(page.find_all("svg")) == 1  # the filter that failed is not applied


def test_the_demo_charts_nvidias_gpu_purchases_and_lists_the_undated_price_to_earnings(client):
    load_demo(password="demo-pass-123")

    page = parse(client.get("/metrics/?company=nvidia"))
    sections = {
        " ".join(section.find("h2").text.split()): section for section in page.find_all("section", cls="metric-series")
    }
    gpus = sections["Nvidia · gpu_units_purchased_top4_us_clouds · M GPUs"]
    assert "Nvidia gpu_units_purchased_top4_us_clouds in M GPUs: 1.3 in 2024, 3.6 in 2025." in gpus.find("desc").text
    pe = sections["Nvidia · price_to_earnings · x"]
    rows = [[" ".join(cell.text.split()) for cell in row.find_all("td")[:2]] for row in pe.find("tbody").find_all("tr")]
    assert rows == [["2025", "20"], ["no period (not drawn)", "40"]]
    assert "DeepSeek" not in [option.text for option in page.find_all("option")]  # never a metric's subject


# ---------------------------------------------------------------------------
# Query counts


def test_the_selector_reads_series_in_four_queries_however_many(nvidia, django_assert_max_num_queries):
    metric_claims_bulk(200, companies=[nvidia, CompanyFactory()])
    hopper = ProductFactory(vendor=nvidia)
    metric(products=[hopper], companies=[nvidia])

    with django_assert_max_num_queries(4):
        series = metric_series()
        rendered = [item.chart for item in series]
    assert len(series) == 8 and all(rendered)


def test_the_metrics_page_costs_as_many_queries_with_300_claims_as_with_10(
    client, nvidia, django_assert_max_num_queries
):
    metric_claims_bulk(10, companies=[nvidia])
    client.get("/metrics/")
    cache.clear()  # both requests work out the company choices afresh
    with CaptureQueriesContext(connection) as with_10:
        response = client.get("/metrics/")
    assert len(parse(response).find_all("svg")) == 7

    metric_claims_bulk(290, companies=[nvidia, CompanyFactory(name="Other")], start=10)
    with django_assert_max_num_queries(len(with_10)):
        response = client.get("/metrics/?company=nvidia")
    assert len(parse(response).find("article").find_all("tr")) == 300 + 7  # rows and header rows


def test_with_more_metric_claims_than_it_draws_from_the_page_uses_the_newest_and_says_how_many(
    client, nvidia, amd, monkeypatch, django_assert_max_num_queries
):
    """At scale a company has tens of thousands of metric claims: the page draws from the newest
    (500; 3 here), says of how many, and costs as many queries as with a few."""
    monkeypatch.setattr("intel.views.metrics.NEWEST_CLAIMS", 3)
    for year in range(2019, 2024):
        metric(companies=[nvidia], value=str(year - 1900), period=str(year))
    metric(companies=[amd], name="gpu_units", value="1.0", unit="M GPUs")  # a company and a metric still offered

    with django_assert_max_num_queries(20):
        page = parse(client.get("/metrics/"))
    periods = sorted(
        " ".join(row.find_all("td")[0].text.split()) for body in page.find_all("tbody") for row in body.find_all("tr")
    )
    assert periods == ["2022", "2023", "2024"]  # Nvidia's two newest, AMD's one: the three newest claims
    assert " ".join(page.find("p", id="metrics-partial").text.split()).startswith(
        "Drawn from the newest 3 of 6 metric claims: choose a company or a metric"
    )
    options = [option.get("value") for option in page.find_all("option")]
    assert options == ["", "amd", "nvidia", "", "gpu_units", "revenue"]


def test_past_ten_thousand_metric_claims_the_page_says_more_than_instead_of_counting_them_all(
    client, nvidia, monkeypatch
):
    monkeypatch.setattr("intel.views.metrics.NEWEST_CLAIMS", 3)
    monkeypatch.setattr("intel.views.metrics.METRIC_CLAIMS_COUNTED", 4)
    for year in range(2019, 2024):
        metric(companies=[nvidia], value=str(year - 1900), period=str(year))

    page = parse(client.get("/metrics/"))
    assert " ".join(page.find("p", id="metrics-partial").text.split()).startswith(
        "Drawn from the newest 3 of more than 4 metric claims:"
    )


def test_the_company_choices_are_remembered_until_a_metric_claim_company_or_product_changes(client, nvidia, amd):
    """Working out which companies have series reads every metric claim (a second at scale L), so the page
    remembers the answer; any change to what it depends on shows at once."""

    def choices() -> list[str]:
        page = parse(client.get("/metrics/"))
        return [option.text for option in page.find("select", id="id_company").find_all("option")][1:]

    metric(companies=[nvidia], value="130.5")
    cache.clear()
    with CaptureQueriesContext(connection) as worked_out:
        assert choices() == ["Nvidia"]
    with CaptureQueriesContext(connection) as remembered:
        assert choices() == ["Nvidia"]
    assert len(remembered) == len(worked_out) - 1  # the rule's query, not run again

    amd_revenue = metric(companies=[amd], value="25.8")
    assert choices() == ["AMD", "Nvidia"]
    nvidia.name = "NVIDIA"
    nvidia.save()
    assert choices() == ["AMD", "NVIDIA"]
    amd_revenue.delete()
    assert choices() == ["NVIDIA"]
    product = ProductFactory(vendor=amd)
    metric(products=[product], value="1", name="units", unit="M")
    assert choices() == ["AMD", "NVIDIA"]
