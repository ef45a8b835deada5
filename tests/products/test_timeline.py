"""Roadmap timelines: the SVG drawn on /roadmap/ and on company, product and architecture pages.

Every chart is read the way an XML parser reads it (``xml.etree.ElementTree``), so a label
that is not escaped, or markup that is not well formed, fails the test. What is checked is
what a reader (or a screen reader) gets: the title and description, the labels, the status
in words, the "today" line, the legend, and bars as wide as the periods they stand for.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from companies.models import Company
from companies.services import company_create
from intel.fuzzydates import FuzzyDate
from products.models import Milestone
from products.services import milestone_create, product_create
from tests.intel import pagekit
from tests.intel.pagekit import parse, service_edit

pytestmark = pytest.mark.django_db

# The page tests' people and pages (tests/intel/pagekit.py), as fixtures of this module.
analyst, deps, world = pagekit.analyst, pagekit.deps, pagekit.world

SVG = "{http://www.w3.org/2000/svg}"
DESCRIPTION = re.compile(
    r"^(?P<drawn>\d+) milestones? in (?P<lanes>\d+) lanes?, from \d{4} to \d{4}; "
    r"(?P<slipped>\d+) of them slipped at least once\. Today is \d{1,2} [A-Z][a-z]+ \d{4}\."
    r"(?: (?P<undated>\d+) more (?:has|have) no date yet and (?:is|are) listed below\.)?$"
)


# ---------------------------------------------------------------------------
# Reading the charts


def timelines(response) -> list[ET.Element]:
    """Every roadmap chart on the page, parsed as XML (a chart that is not well formed fails here)."""
    assert response.status_code in (200, 400), response.status_code
    charts = [ET.fromstring(markup) for markup in re.findall(r"<svg\b.*?</svg>", response.content.decode(), re.S)]
    return [chart for chart in charts if "timeline" in (chart.get("class") or "").split()]


def timeline(response) -> ET.Element:
    [chart] = timelines(response)
    return chart


def texts(chart: ET.Element, cls: str) -> list[str]:
    return [element.text or "" for element in chart.iter(f"{SVG}text") if element.get("class") == cls]


@dataclass
class Drawn:
    """One milestone as the chart draws it: its link, tooltip, label and shapes."""

    tooltip: str
    label: str
    target: ET.Element | None
    planned: ET.Element | None
    actual: ET.Element | None


def drawn(chart: ET.Element) -> dict[str, Drawn]:
    """The drawn milestones by URL (/milestones/<pk>/)."""
    found = {}
    for link in chart.iter(f"{SVG}a"):
        if "milestone" not in (link.get("class") or "").split():
            continue
        group = link.find(f"{SVG}g")
        shapes = {element.get("class"): element for element in group if element.tag in (f"{SVG}rect", f"{SVG}path")}
        [label] = [element.text for element in group.iter(f"{SVG}text") if element.get("class") == "milestone-label"]
        found[link.get("href")] = Drawn(
            tooltip=group.findtext(f"{SVG}title"),
            label=label,
            target=shapes.get("target"),
            planned=shapes.get("planned"),
            actual=shapes.get("actual"),
        )
    return found


def description(chart: ET.Element) -> re.Match:
    text = chart.findtext(f"{SVG}desc")
    match = DESCRIPTION.match(text)
    assert match, text
    return match


def undated_titles(response) -> list[str]:
    lists = parse(response).find_all("ul", cls="undated-list")
    return [item.find("a").text for item in lists[0].find_all("li")] if lists else []


# ---------------------------------------------------------------------------
# The roadmaps the stories look at


@dataclass
class Roadmaps:
    """Nvidia's roadmap (from the page tests' world, plus more) and AMD's, for /roadmap/ across companies."""

    ships: Milestone  # GB200 NVL72 first shipments: Q3 2025, slipped to Q4 2025
    volume: Milestone  # GB200 NVL72 volume production: 2025, a year
    investor_day: Milestone  # Nvidia, company-wide: 2026-Q2
    announced: Milestone  # Nvidia, company-wide, done: target 2024-Q1, happened 2024-03-18
    undated: Milestone  # Nvidia, company-wide, no date
    mi400: Milestone  # AMD MI400 ships: 2026-H2, on AMD's product
    amd: Company


@pytest.fixture
def roadmaps(analyst, world):
    service_edit(world.ships, analyst, target="2025-Q4", summary="Slipped a quarter")
    volume = milestone_create(
        author=analyst,
        title="GB200 NVL72 volume production",
        product=world.gb200,
        kind="volume_production",
        target="2025",
        status="planned",
    )
    investor_day = milestone_create(
        author=analyst, title="Nvidia investor day", company=world.nvidia, kind="announce", target="2026-Q2"
    )
    announced = milestone_create(
        author=analyst,
        title="Blackwell announced",
        company=world.nvidia,
        kind="announce",
        target="2024-Q1",
        actual="2024-03-18",
        status="done",
    )
    undated = milestone_create(author=analyst, title="Vera CPU launch", company=world.nvidia, kind="announce")
    amd = company_create(author=analyst, name="AMD", slug="amd", kind="chip_vendor")
    mi400_product = product_create(author=analyst, name="MI400", slug="mi400", vendor=amd, kind="gpu")
    mi400 = milestone_create(author=analyst, title="MI400 ships", product=mi400_product, kind="ship", target="2026-H2")
    return Roadmaps(world.ships, volume, investor_day, announced, undated, mi400, amd)


# Each page with a roadmap: its chart's title, the milestones it draws (by title), how many slipped.
PAGES = {
    "/roadmap/": (
        "Roadmap across companies",
        {
            "GB200 NVL72 first shipments",
            "GB200 NVL72 volume production",
            "Nvidia investor day",
            "Blackwell announced",
            "MI400 ships",
        },
        1,
    ),
    "/companies/nvidia/": (
        "Nvidia roadmap",
        {"GB200 NVL72 first shipments", "GB200 NVL72 volume production", "Nvidia investor day", "Blackwell announced"},
        1,
    ),
    "/products/gb200-nvl72/": (
        "GB200 NVL72 roadmap",
        {"GB200 NVL72 first shipments", "GB200 NVL72 volume production"},
        1,
    ),
    "/architectures/blackwell/": (
        "Blackwell roadmap",
        {"GB200 NVL72 first shipments", "GB200 NVL72 volume production"},
        1,
    ),
}


# ---------------------------------------------------------------------------
# What every chart has


@pytest.mark.parametrize("path", list(PAGES))
def test_every_roadmap_chart_is_well_formed_svg_with_a_title_and_a_description_that_counts(client, roadmaps, path):
    title, titles, slipped = PAGES[path]

    chart = timeline(client.get(path))

    assert chart.findtext(f"{SVG}title") == title
    labelled_by = chart.get("aria-labelledby").split()
    assert [element.get("id") for element in (chart.find(f"{SVG}title"), chart.find(f"{SVG}desc"))] == labelled_by
    counts = description(chart)
    assert int(counts["drawn"]) == len(titles) == len(drawn(chart))
    assert int(counts["slipped"]) == slipped
    assert {milestone.tooltip.split(" · ")[0] for milestone in drawn(chart).values()} == titles


@pytest.mark.parametrize("path", list(PAGES))
def test_every_milestone_is_labelled_with_its_title_and_its_status_in_words(client, roadmaps, path):
    _, titles, _ = PAGES[path]
    chart = timeline(client.get(path))

    labels = {}
    for milestone in drawn(chart).values():
        title = milestone.tooltip.split(" · ")[0]  # the tooltip holds the whole title
        shown, status = milestone.label.split(" — ")
        assert shown == title or (shown.endswith("…") and title.startswith(shown[:-1])), "cut to fit, never changed"
        labels[title] = status

    assert set(labels) == titles
    assert labels["GB200 NVL72 first shipments"] == "on track, slipped once (+92 days)"
    assert labels["GB200 NVL72 volume production"] == "planned"
    if "Blackwell announced" in labels:
        assert labels["Blackwell announced"] == "done"


def test_a_milestone_that_slipped_twice_says_how_often_and_by_how_many_days(client, analyst, roadmaps):
    service_edit(roadmaps.ships, analyst, target="2026-Q1", status="delayed")

    [ships] = [m for m in drawn(timeline(client.get("/companies/nvidia/"))).values() if "first shipments" in m.tooltip]

    assert ships.label.endswith(" — delayed, slipped 2× (+182 days)")
    assert ships.tooltip == (
        "GB200 NVL72 first shipments · target Q1 2026 · first target Q3 2025 · delayed, slipped 2× (+182 days)"
    )


def test_lanes_are_labelled_with_product_names_and_company_wide_milestones_have_their_own(client, roadmaps):
    company_chart = timeline(client.get("/companies/nvidia/"))
    assert texts(company_chart, "lane-label") == ["Nvidia (company-wide)", "GB200 NVL72"]
    lane_links = [link.get("href") for link in company_chart.iter(f"{SVG}a") if link.find(f"{SVG}text") is not None]
    assert lane_links == ["/companies/nvidia/", "/products/gb200-nvl72/"]

    across = timeline(client.get("/roadmap/"))
    assert texts(across, "lane-label") == ["AMD · MI400", "Nvidia (company-wide)", "Nvidia · GB200 NVL72"]
    assert description(across)["lanes"] == "3"


def test_a_lane_label_cut_to_fit_keeps_its_full_text_in_the_chart(client, analyst):
    company = company_create(
        author=analyst, name="Advanced Micro Devices", slug="advanced-micro-devices", kind="chip_vendor"
    )
    milestone_create(author=analyst, title="Financial analyst day", company=company, kind="announce", target="2026")

    chart = timeline(client.get(company.get_absolute_url()))

    [lane] = [link for link in chart.iter(f"{SVG}a") if link.find(f"{SVG}text") is not None]
    shown = [lane.findtext(f"{SVG}text"), lane.findtext(f"{SVG}title"), lane.findtext(f"{SVG}text/{SVG}title")]
    assert "Advanced Micro Devices (company-wide)" in shown


def test_the_chart_has_a_today_line_and_a_legend_of_what_it_draws(client, roadmaps):
    chart = timeline(client.get("/companies/nvidia/"))

    [today] = [line for line in chart.iter(f"{SVG}line") if line.get("class") == "today"]
    assert today.get("stroke-dasharray") and float(today.get("x1")) == float(today.get("x2"))
    assert 0 < float(today.get("x1")) < float(chart.get("width"))
    assert texts(chart, "today-label") == ["today"]
    legend = next(group for group in chart.iter(f"{SVG}g") if group.get("class") == "legend")
    assert [text.text for text in legend.iter(f"{SVG}text")] == [
        "Planned",
        "On track",
        "Done",
        "first target (before slips)",
        "actual",
        "today",
    ]


def test_a_quarter_target_is_drawn_narrower_than_a_year_target(client, roadmaps):
    by_url = drawn(timeline(client.get("/products/gb200-nvl72/")))
    quarter = float(by_url[roadmaps.ships.get_absolute_url()].target.get("width"))  # Q4 2025
    year = float(by_url[roadmaps.volume.get_absolute_url()].target.get("width"))  # 2025

    assert quarter < year
    assert quarter / year == pytest.approx(92 / 365, abs=0.02)


def test_a_slipped_milestone_shows_its_first_target_as_a_dashed_outline_before_its_current_one(client, roadmaps):
    by_url = drawn(timeline(client.get("/companies/nvidia/")))
    ships, volume = by_url[roadmaps.ships.get_absolute_url()], by_url[roadmaps.volume.get_absolute_url()]

    assert ships.planned is not None and ships.planned.get("stroke-dasharray")
    assert ships.planned.get("fill") == "none"
    assert float(ships.planned.get("x")) < float(ships.target.get("x")), "Q3 2025 is drawn left of Q4 2025"
    assert float(ships.planned.get("width")) == pytest.approx(float(ships.target.get("width")), abs=1.5)
    assert volume.planned is None, "a milestone that never slipped has no outline"


@pytest.mark.parametrize("first, then", [("2026", "2026-Q2"), ("2026-H2", "2026-Q1")])
def test_a_milestone_narrowed_or_pulled_in_but_never_slipped_has_no_dashed_outline(
    client, analyst, roadmaps, first, then
):
    keynote = milestone_create(
        author=analyst, title="Nvidia keynote", company=roadmaps.ships.company, kind="announce", target=first
    )
    service_edit(keynote, analyst, target=then)

    drawn_keynote = drawn(timeline(client.get("/companies/nvidia/")))[keynote.get_absolute_url()]

    assert drawn_keynote.label.endswith(" — planned"), "it never slipped"
    assert drawn_keynote.planned is None


def test_a_milestone_that_happened_is_drawn_with_a_diamond_at_its_actual_date(client, roadmaps):
    by_url = drawn(timeline(client.get("/companies/nvidia/")))
    announced = by_url[roadmaps.announced.get_absolute_url()]

    assert announced.actual is not None
    assert f"happened {FuzzyDate.parse('2024-03-18').label}" in announced.tooltip
    assert by_url[roadmaps.ships.get_absolute_url()].actual is None


# ---------------------------------------------------------------------------
# Escaping, dates missing, nothing to draw


def test_hostile_titles_and_names_are_escaped_and_the_chart_still_parses(client, analyst):
    company = company_create(author=analyst, name="T&J's <i>", slug="tom-and-jerry", kind="chip_vendor")
    product = product_create(author=analyst, name='"Quoted" & <b>', slug="quoted", vendor=company, kind="gpu")
    script = milestone_create(
        author=analyst, title="<script>alert(1)</script>", company=company, kind="ship", target="2026-Q1"
    )
    quotes = milestone_create(author=analyst, title="Say \"hi\" & 'bye'", product=product, kind="ship", target="2026")

    for path in (company.get_absolute_url(), product.get_absolute_url(), "/roadmap/"):
        response = client.get(path)
        chart = timeline(response)
        assert not [element for element in chart.iter() if element.tag.endswith("script")], path
        assert "<script>alert(1)</script>" not in response.content.decode(), path
        by_url = drawn(chart)
        if path != product.get_absolute_url():  # company-wide: not on the product's roadmap
            assert by_url[script.get_absolute_url()].tooltip.startswith("<script>alert(1)</script> · ")
            assert by_url[script.get_absolute_url()].label.startswith("<script>")
        assert by_url[quotes.get_absolute_url()].tooltip.startswith("Say \"hi\" & 'bye' · ")
    company_chart = timeline(client.get(company.get_absolute_url()))
    assert company_chart.findtext(f"{SVG}title") == "T&J's <i> roadmap"
    assert texts(company_chart, "lane-label") == ["T&J's <i> (company-wide)", '"Quoted" & <b>']


def test_milestones_without_a_date_are_listed_under_the_chart_and_not_drawn(client, roadmaps):
    response = client.get("/companies/nvidia/")
    chart = timeline(response)

    assert undated_titles(response) == ["Vera CPU launch"]
    assert parse(response).find("p", cls="undated").text == "Not dated yet:"
    assert roadmaps.undated.get_absolute_url() not in drawn(chart)
    assert "Vera CPU launch" not in ET.tostring(chart, encoding="unicode")
    assert description(chart)["undated"] == "1"


def test_a_company_whose_milestones_have_no_date_lists_them_without_a_chart(client, analyst, deps):
    milestone_create(author=analyst, title="Acme X1 sampling", company=deps.company, kind="sample")

    response = client.get(deps.company.get_absolute_url())

    assert timelines(response) == []
    roadmap = parse(response).find("h2", id="roadmap-heading").parent
    assert roadmap.find("p", cls="empty").text == "No milestone has a date yet, so there is no timeline to draw."
    assert undated_titles(response) == ["Acme X1 sampling"]


def test_a_company_with_no_milestones_says_so_and_draws_no_chart(client, deps):
    response = client.get(deps.company.get_absolute_url())

    assert response.status_code == 200
    assert timelines(response) == []
    roadmap = parse(response).find("h2", id="roadmap-heading").parent
    assert [p.text for p in roadmap.find_all("p", cls="empty")] == [
        "No milestones yet.",
        "No milestones yet, so no slips.",
    ]


# ---------------------------------------------------------------------------
# /roadmap/ filters


def test_an_unknown_company_on_the_roadmap_page_is_a_400_naming_it_not_a_500(client, roadmaps):
    response = client.get("/roadmap/", {"company": "nope"})

    assert response.status_code == 400
    errors = [" ".join(error.text.split()) for error in parse(response).find_all("span", cls="errorlist")]
    assert errors == ["No company “nope”."]
    alert = " ".join(parse(response).find("div", cls="errorlist").text.split())
    assert alert.startswith("Nothing shown: fix the filter.") and alert.endswith("company: No company “nope”.")
    assert timelines(response) == []


def test_a_slipped_filter_that_is_not_true_or_false_is_a_400_on_the_roadmap_page(client, roadmaps):
    response = client.get("/roadmap/", {"slipped": "maybe"})

    assert response.status_code == 400
    assert [error.text for error in parse(response).find_all("span", cls="errorlist")] == ["Give true or false."]


def test_the_roadmap_page_filtered_to_slipped_milestones_draws_only_those(client, roadmaps):
    slipped = timeline(client.get("/roadmap/", {"slipped": "true"}))
    assert list(drawn(slipped)) == [roadmaps.ships.get_absolute_url()]
    assert description(slipped)["drawn"] == "1"  # the wording of one is tested on its own

    never = timeline(client.get("/roadmap/", {"slipped": "false"}))
    assert roadmaps.ships.get_absolute_url() not in drawn(never)
    assert set(drawn(never)) == {
        m.get_absolute_url() for m in (roadmaps.volume, roadmaps.investor_day, roadmaps.announced, roadmaps.mi400)
    }
    assert description(never)["slipped"] == "0"


def test_the_roadmap_page_filters_by_company(client, roadmaps):
    amd = timeline(client.get("/roadmap/", {"company": "amd"}))

    assert list(drawn(amd)) == [roadmaps.mi400.get_absolute_url()]
    assert texts(amd, "lane-label") == ["MI400"], "one company: lanes are named by product alone"


def test_a_chart_of_one_milestone_is_described_in_the_singular(client, roadmaps):
    chart = timeline(client.get("/roadmap/", {"company": "amd"}))

    assert chart.findtext(f"{SVG}desc").startswith("1 milestone in 1 lane, ")


def test_the_timeline_spans_the_periods_it_draws(client, analyst, deps):
    # A milestone's bar starts at the start of its period and ends at its end, on one scale.
    first = milestone_create(author=analyst, title="H1", company=deps.company, kind="ship", target="2026-H1")
    second = milestone_create(author=analyst, title="H2", company=deps.company, kind="ship", target="2026-H2")

    by_url = drawn(timeline(client.get(deps.company.get_absolute_url())))

    h1, h2 = by_url[first.get_absolute_url()].target, by_url[second.get_absolute_url()].target
    assert float(h1.get("x")) + float(h1.get("width")) == pytest.approx(float(h2.get("x")), abs=1)
    days = [(FuzzyDate.parse(t).end - FuzzyDate.parse(t).start).days + 1 for t in ("2026-H1", "2026-H2")]
    assert float(h1.get("width")) / float(h2.get("width")) == pytest.approx(days[0] / days[1], abs=0.02)


def test_a_bad_filter_the_form_does_not_show_is_still_named_in_the_error(client):
    response = client.get("/roadmap/?status=bogus")

    assert response.status_code == 400
    alert = " ".join(parse(response).find("div", cls="errorlist").text.split())
    assert alert.startswith("Nothing shown: fix the filter.") and "status:" in alert


def test_a_company_page_draws_the_milestones_nearest_today_and_links_to_all_of_them(client, analyst, deps, monkeypatch):
    # A vendor with hundreds of milestones: its page draws those with targets nearest today (the roadmap
    # page has every one). Here the page shows 3 of 5.
    monkeypatch.setattr("companies.selectors.ROADMAP_SHOWN", 3)
    today = datetime.date.today()
    targets = {"Long ago": -900, "Last month": -30, "Next month": 30, "Next year": 300, "Far off": 1500}
    made = {
        title: milestone_create(
            author=analyst,
            title=title,
            company=deps.company,
            kind="ship",
            target=(today + datetime.timedelta(days=days)).isoformat(),
        )
        for title, days in targets.items()
    }

    response = client.get(deps.company.get_absolute_url())

    shown = set(drawn(timeline(response)))
    assert shown == {made[title].get_absolute_url() for title in ("Last month", "Next month", "Next year")}
    note = parse(response).find(id="roadmap-partial")
    assert " ".join(note.text.split()).startswith("The 3 milestones with targets nearest today, of 5;")
    assert note.find("a").get("href") == f"/roadmap/?company={deps.company.slug}"
    assert len(drawn(timeline(client.get("/roadmap/", {"company": deps.company.slug})))) == 5


def test_a_company_page_with_few_milestones_draws_them_all_without_a_note(client, roadmaps):
    response = client.get("/companies/nvidia/")

    assert len(drawn(timeline(response))) == 4
    assert parse(response).find_all(id="roadmap-partial") == []
