"""Battlecards (issue 6): one company on one printable page, beside another if asked, and exported as Markdown.

An analyst opens Nvidia's battlecard before a customer meeting and expects the summary,
products by architecture, upcoming milestones, slips, key metrics, recent claims, open
disputes and relations; sets AMD beside it; prints it; pastes the Markdown export into
notes. These tests read the pages as that analyst would, on the demo data (the GTC 2025
article) or on companies made for the story.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from markdown_it import MarkdownIt

from companies.models import Company
from intel import demo_data
from intel.choices import ClaimKind, ClaimRelationKind, ClaimStatus, Role
from intel.demo import load_demo
from intel.editing import latest_revision_id, page_update
from intel.models import Claim
from intel.pages import PAGE_KINDS
from intel.selectors import disputes_page
from intel.services import claim_create, claim_relation_create, source_create
from intel.workflow import claim_set_status
from products.models import Milestone
from products.services import milestone_create, product_create
from tests.factories import CompanyFactory, UserFactory, metric_claims_bulk
from tests.intel.pagekit import parse

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
SECTIONS = [
    "Summary",
    "Products by architecture",
    "Upcoming milestones",
    "Roadmap",
    "Slips",
    "Key metrics",
    "Recent claims",
    "Open disputes",
    "Relations",
]
MARKDOWN_SECTIONS = [name for name in SECTIONS if name != "Roadmap"]  # the timeline is a picture: not in Markdown
GB200_SLIP = "GB200 volume production and deliveries slip"
HOSTILE = "[click](javascript:alert(1)) *bold* <script>alert(1)</script>"


def statement(key: str) -> str:
    return next(row["statement"] for row in demo_data.CLAIMS if row["key"] == key)


def words(element) -> str:
    return " ".join(element.text.split())


def card_of(doc, slug: str):
    """The <article> of one company's card on a battlecard page."""
    return doc.find("article", cls="battlecard", **{"aria-labelledby": f"card-{slug}-name"})


def headings(card) -> list[str]:
    """The headings of the card's sections, in order."""
    return [words(element.find("h3")) for element in card.find_all("section", cls="card-section")]


def section(card, heading: str):
    """The card's section under the <h3> ``heading``."""
    for element in card.find_all("section", cls="card-section"):
        if words(element.find("h3")) == heading:
            return element
    raise AssertionError(f"no section {heading!r} on the card")


def term_next_dd(term):
    """The <dd> that follows a <dt> in its list."""
    siblings = [child for child in term.parent.children if not isinstance(child, str)]
    return siblings[siblings.index(term) + 1]


def svg_texts(markup: str) -> list[str]:
    return [" ".join("".join(text.itertext()).split()) for text in ET.fromstring(markup).iter(f"{SVG}text")]


def svg_with_id(html: str, html_id: str) -> str:
    """The markup of the <svg> with this id on the page."""
    match = re.search(rf'<svg\b[^>]*\sid="{re.escape(html_id)}".*?</svg>', html, flags=re.DOTALL)
    assert match, f"no <svg id={html_id!r}> on the page"
    return match.group(0)


def svgs_in(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)


def rendered(markdown: str, *, tables: bool = False) -> str:
    """The HTML a Markdown viewer shows for the export (CommonMark, raw HTML allowed, as most viewers do)."""
    renderer = MarkdownIt("commonmark")
    if tables:
        renderer.enable("table")
    return renderer.render(markdown)


def markdown_section(text: str, heading: str, level: int = 2) -> str:
    """The lines under a Markdown heading, up to the next heading of that level or higher."""
    marks = "#" * level
    match = re.search(rf"^{marks} {re.escape(heading)}\n(.*?)(?=^#{{1,{level}}} |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no heading {marks} {heading} in the export"
    return match.group(1).strip()


@pytest.fixture
def analyst():
    return UserFactory(username="ana", role=Role.ANALYST)


@pytest.fixture
def moderator():
    return UserFactory(username="mo", role=Role.MODERATOR)


@pytest.fixture
def demo():
    """The GTC 2025 dataset: Nvidia, AMD, ZT Systems, Microsoft…, their products, milestones and claims."""
    load_demo(password="demo-pass-123")
    return Company.objects.get(slug="nvidia")


@pytest.fixture
def source(analyst):
    return source_create(author=analyst, title="Analyst day notes", kind="keynote", publisher="Example Wire")


def claim_about(company, *, author, source, text: str, **fields) -> Claim:
    return claim_create(
        author=author,
        statement=text,
        companies=[company],
        citations=[{"source": source, "quote": f"As noted: {text[:40]}"}],
        **fields,
    )


def contradict(first: Claim, second: Claim, *, author) -> None:
    """Link two claims as contradicting, then mark both disputed, as the workflow allows."""
    claim_relation_create(author=author, from_claim=first, kind=ClaimRelationKind.CONTRADICTS, to_claim=second)
    for claim in (first, second):
        claim_set_status(claim=claim, author=author, status=ClaimStatus.DISPUTED, reason="The sources disagree.")


# ---------------------------------------------------------------------------
# Nvidia's card on the demo data


def test_nvidia_card_shows_every_section_in_order(client, demo):
    response = client.get("/companies/nvidia/battlecard/")

    assert response.status_code == 200
    doc = parse(response)
    assert words(doc.find("title")).startswith("Battlecard: Nvidia")
    assert words(doc.find("h1")) == "Nvidia"
    card = card_of(doc, "nvidia")
    assert words(card.find("h2")).startswith("Nvidia Chip vendor · US · founded 1993")
    assert headings(card) == SECTIONS
    assert "No data yet" not in words(card)


def test_the_summary_is_the_first_paragraph_of_the_company_page_as_prose(client, demo):
    summary = section(card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia"), "Summary")

    assert words(summary).startswith("Summary US designer of GPUs and full AI systems, led by Jensen Huang.")
    assert "<p>" not in summary.text and "[[" not in summary.text
    assert [link.get("href") for link in summary.find_all("a")] == ["/people/jensen-huang/"]


def test_products_are_grouped_by_architecture_oldest_first(client, demo):
    products = section(
        card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia"), "Products by architecture"
    )

    groups = {
        words(term).split(" ")[0]: [link.text for link in term_next_dd(term).find_all("a")]
        for term in products.find_all("dt")
    }
    assert list(groups) == ["Volta", "Ampere", "Hopper", "Blackwell", "Rubin", "Other"]
    assert groups["Blackwell"] == ["Blackwell GPU", "Blackwell Ultra", "GB200", "GB200 NVL72"]
    assert groups["Hopper"] == ["Hopper GPU (H100 family)"]
    assert groups["Rubin"] == []  # announced architecture, no product yet
    assert {"DGX", "Dynamo", "CUDA"} <= set(groups["Other"])
    blackwell = next(term for term in products.find_all("dt") if words(term).startswith("Blackwell"))
    assert words(blackwell) == "Blackwell 2024"
    assert blackwell.find("a").get("href") == "/architectures/blackwell/"


def test_upcoming_milestones_list_the_yearly_cadence_and_leave_out_what_is_done(client, demo):
    upcoming = section(card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia"), "Upcoming milestones")

    rows = [[words(cell) for cell in row.find_all("td")] for row in upcoming.find("tbody").find_all("tr")]
    by_title = {title: (target, status) for title, target, status in rows}
    cadence = [title for title, _, _ in rows if title.startswith("Yearly cadence")]
    assert cadence == [f"Yearly cadence: {year} product generation" for year in (2025, 2026, 2027)]
    # A target whose period is behind us, on a milestone still open, is marked overdue.
    today = timezone.localdate()

    def shown(label: str, last_day: datetime.date) -> str:
        return f"{label} overdue" if last_day < today else label

    assert [by_title[title][0] for title in cadence] == [
        shown(str(year), datetime.date(year, 12, 31)) for year in (2025, 2026, 2027)
    ]
    assert by_title["First socketed Blackwell Ultra boards expected"] == (
        shown("Q3 2025", datetime.date(2025, 9, 30)),
        "Planned",
    )
    assert by_title[GB200_SLIP] == (shown("Q1 2025", datetime.date(2025, 3, 31)), "Delayed slipped 2×")
    # Done milestones (the GTC keynote itself, Dynamo's unveiling) are history, not upcoming.
    assert "Three-year product roadmap presented at GTC 2025" not in by_title
    assert "Dynamo inference-serving library unveiled" not in by_title


def test_gb200_is_in_the_slips_table_with_its_two_slips_and_days(client, demo):
    slips = section(card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia"), "Slips")

    rows = [[words(cell) for cell in row.find_all("td")] for row in slips.find("table", cls="slips").find_all("tr")]
    rows = [row for row in rows if row]  # the header row has <th> only
    # Q3 2024 → Q4 2024 → Q1 2025: two slips; the end of the target moved from 30 Sep 2024 to 31 Mar 2025.
    days = (datetime.date(2025, 3, 31) - datetime.date(2024, 9, 30)).days
    assert rows == [[GB200_SLIP, "GB200", "Q3 2024", "Q1 2025", "2", f"+{days}", "Delayed"]]
    assert "7 other milestones never slipped." in words(slips)


def test_key_metrics_show_revenue_and_the_clouds_gpu_purchases(client, demo):
    metrics = section(card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia"), "Key metrics")

    def values(title: str) -> list[tuple[str, str]]:
        series = next(s for s in metrics.find_all("section", cls="metric-series") if words(s.find("h4")) == title)
        rows = series.find("table", cls="metric-table").find("tbody").find_all("tr")
        return [(words(row.find_all("td")[0]), words(row.find_all("td")[1])) for row in rows]

    assert values("Nvidia · revenue · bn USD") == [("2024", "130.5")]
    assert values("Nvidia · gpu_units_purchased_top4_us_clouds · M GPUs") == [("2024", "1.3"), ("2025", "3.6")]


def test_the_metric_series_headings_sit_under_key_metrics(client, demo):
    metrics = section(card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia"), "Key metrics")

    series = metrics.find_all("section", cls="metric-series")
    assert len(series) == 18
    assert {heading.tag for s in series for heading in s.find_all(cls="metric-heading")} == {"h4"}


def test_recent_claims_are_the_newest_and_leave_out_retracted_ones(client, demo, analyst, source):
    def recent():
        card = card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia")
        return [link.text for link in section(card, "Recent claims").find("ul", cls="card-claims").find_all("a")]

    before = recent()
    assert len(before) == 8  # the card keeps to the newest eight
    news = claim_about(demo, author=analyst, source=source, text="Nvidia opened a design centre in Vietnam.")

    assert recent() == ["Nvidia opened a design centre in Vietnam.", *before[:7]]

    claim_set_status(claim=news, author=analyst, status=ClaimStatus.RETRACTED, reason="Misread the report.")
    assert recent() == before


def test_open_disputes_show_the_toothpaste_contradiction(client, demo):
    disputes = section(card_of(parse(client.get("/companies/nvidia/battlecard/")), "nvidia"), "Open disputes")

    items = disputes.find("ul", cls="card-disputes").find_all("li")
    assert len(items) == 1
    first, second = items[0].find_all("a")
    assert words(items[0].find("strong")) == "contradicts"
    # Long statements are cut to 140 characters; the links lead to the whole claims.
    assert statement("toothpaste-yes").startswith(first.text.removesuffix("…"))
    assert statement("toothpaste-no").startswith(second.text.removesuffix("…"))
    assert "squeezing" in first.text and "aggressive" in second.text
    assert first.get("href") == Claim.objects.get(statement=statement("toothpaste-yes")).get_absolute_url()
    assert second.get("href") == Claim.objects.get(statement=statement("toothpaste-no")).get_absolute_url()
    assert disputes.find("a", href="/disputes/?company=nvidia").text == "Side by side on the disputes page"


def test_the_relations_diagram_names_nvidias_neighbours(client, demo):
    response = client.get("/companies/nvidia/battlecard/")

    relations = section(card_of(parse(response), "nvidia"), "Relations")
    assert relations.find("svg", cls="relation-diagram", id="card-relations")
    names = set(svg_texts(svg_with_id(response.content.decode(), "card-relations")))
    assert {"Nvidia", "AMD", "Microsoft", "TSMC", "competes with"} <= names
    assert "ZT Systems" not in names  # AMD's acquisition: not a relation of Nvidia's


# ---------------------------------------------------------------------------
# Compare with another company


def test_compare_with_amd_sets_both_cards_side_by_side(client, demo):
    response = client.get("/companies/nvidia/battlecard/?compare=amd")

    assert response.status_code == 200
    doc = parse(response)
    assert words(doc.find("h1")) == "Nvidia vs AMD"
    cards = doc.find_all("article", cls="battlecard")
    assert [words(card.find("h2").find("a")) for card in cards] == ["Nvidia", "AMD"]
    amd = card_of(doc, "amd")
    assert headings(amd) == SECTIONS
    claims = [link.text for link in section(amd, "Recent claims").find_all("a")]
    assert "In 2024 AMD moved to acquire ZT Systems, a provider of hyperscale computing infrastructure." in claims
    amd_names = set(svg_texts(svg_with_id(response.content.decode(), "compare-relations")))
    assert {"AMD", "ZT Systems", "Nvidia", "acquired"} <= amd_names
    # The form remembers the choice, and the export link carries it.
    form = doc.find("form", cls="compare-form")
    assert [option.get("value") for option in form.find_all("option") if "selected" in option.attrs] == ["amd"]
    assert form.find("a").get("href") == "/companies/nvidia/battlecard.md?compare=amd"


def test_compare_with_an_unknown_company_is_refused_in_words_and_still_shows_the_card(client, demo):
    response = client.get("/companies/nvidia/battlecard/?compare=nope")

    assert response.status_code == 400
    doc = parse(response)
    assert words(doc.find("p", role="alert")) == "There is no company “nope” to compare with; pick one from the list."
    assert [words(card.find("h2").find("a")) for card in doc.find_all("article", cls="battlecard")] == ["Nvidia"]
    assert section(card_of(doc, "nvidia"), "Slips").find("table", cls="slips")


def test_the_refusal_shows_what_was_typed_as_text(client, demo):
    response = client.get("/companies/nvidia/battlecard/", {"compare": "<script>alert(1)</script>"})

    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "“<script>alert(1)</script>”" in words(parse(response).find("p", role="alert"))


def test_comparing_a_company_with_itself_asks_to_pick_another(client, demo):
    response = client.get("/companies/nvidia/battlecard/?compare=nvidia")

    doc = parse(response)
    assert words(doc.find("p", role="alert")) == "Pick another company to compare with."
    assert len(doc.find_all("article", cls="battlecard")) == 1
    # Nvidia is not offered as a company to compare Nvidia with.
    assert "nvidia" not in [option.get("value") for option in doc.find("select", name="compare").find_all("option")]


def test_an_unknown_company_has_no_battlecard(client, demo):
    assert client.get("/companies/nope/battlecard/").status_code == 404
    assert client.get("/companies/nope/battlecard.md").status_code == 404
    assert client.get("/companies/nope/battlecard/?compare=nvidia").status_code == 404


# ---------------------------------------------------------------------------
# A company the wiki knows nothing about yet


def test_a_company_with_nothing_says_no_data_yet_and_every_section_is_empty(client):
    CompanyFactory(name="Blank Silicon", slug="blank-silicon")

    response = client.get("/companies/blank-silicon/battlecard/")

    assert response.status_code == 200
    card = card_of(parse(response), "blank-silicon")
    assert words(card.find("p", cls="empty")).startswith("No data yet about Blank Silicon")
    assert headings(card) == SECTIONS
    empty = {name: [words(p) for p in section(card, name).find_all("p", cls="empty")] for name in SECTIONS}
    assert empty == {
        "Summary": ["No summary yet."],
        "Products by architecture": ["No products yet."],
        "Upcoming milestones": ["No upcoming milestones."],
        "Roadmap": ["No milestones yet."],
        "Slips": ["No milestones yet, so no slips."],
        "Key metrics": ["No metrics yet."],
        "Recent claims": ["No claims yet."],
        "Open disputes": ["No open disputes."],
        "Relations": ["No relations yet."],
    }
    assert not card.find_all("svg")
    assert "<svg" not in response.content.decode()


def test_a_company_with_nothing_exports_every_section_empty(client):
    CompanyFactory(name="Blank Silicon", slug="blank-silicon")

    text = client.get("/companies/blank-silicon/battlecard.md").content.decode()

    assert text.startswith("# Battlecard: Blank Silicon\n")
    assert {name: markdown_section(text, name) for name in MARKDOWN_SECTIONS} == {
        "Summary": "No summary yet.",
        "Products by architecture": "No products yet.",
        "Upcoming milestones": "No upcoming milestones.",
        "Slips": "No slips recorded.",
        "Key metrics": "No metrics yet.",
        "Recent claims": "No claims yet.",
        "Open disputes": "No open disputes.",
        "Relations": "No relations yet.",
    }


# ---------------------------------------------------------------------------
# Markdown export


def test_the_markdown_export_is_a_file_with_every_section_and_absolute_links(client, demo):
    response = client.get("/companies/nvidia/battlecard.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="battlecard-nvidia.md"'
    text = response.content.decode()
    assert text.startswith("# Battlecard: Nvidia\n")
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == MARKDOWN_SECTIONS
    links = re.findall(r"\]\(<([^>]*)>\)", text)
    assert len(links) > 20
    assert all(link.startswith("http://testserver/") for link in links), [
        link for link in links if not link.startswith("http://testserver/")
    ]
    assert "http://testserver/products/gb200/" in links
    html = rendered(text)
    assert re.findall(r'href="([^"]*)"', html) == links  # every link survives rendering, absolute


def test_the_markdown_slips_table_has_the_gb200_row(client, demo):
    text = client.get("/companies/nvidia/battlecard.md").content.decode()
    gb200 = Milestone.objects.get(title=GB200_SLIP)

    slips = markdown_section(text, "Slips")
    assert f"| [{GB200_SLIP}](<http://testserver{gb200.get_absolute_url()}>) | Q3 2024 | Q1 2025 | 2 | +182 |" in slips
    table = rendered(slips, tables=True)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)
    assert [re.sub(r"<[^>]+>", "", cell) for cell in cells] == [GB200_SLIP, "Q3 2024", "Q1 2025", "2", "+182"]


def test_the_markdown_export_lists_metrics_claims_and_the_open_dispute(client, demo):
    text = client.get("/companies/nvidia/battlecard.md").content.decode()

    metrics = rendered(markdown_section(text, "Key metrics"))
    assert "<strong>revenue</strong> (bn USD): 130.5 (2024)" in metrics
    assert "<strong>gpu_units_purchased_top4_us_clouds</strong> (M GPUs): 1.3 (2024); 3.6 (2025)" in metrics
    assert len(re.findall(r"^- ", markdown_section(text, "Recent claims"), re.MULTILINE)) == 8
    disputes = rendered(markdown_section(text, "Open disputes"))
    assert "<strong>contradicts</strong>" in disputes
    assert "squeezing toothpaste" in disputes and "Nvidia is being aggressive" in disputes


def test_the_markdown_export_with_compare_holds_both_companies(client, demo):
    response = client.get("/companies/nvidia/battlecard.md?compare=amd")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="battlecard-nvidia-vs-amd.md"'
    text = response.content.decode()
    assert text.startswith("# Battlecard: Nvidia vs AMD\n")
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == [
        "[Nvidia](<http://testserver/companies/nvidia/>)",
        "[AMD](<http://testserver/companies/amd/>)",
    ]
    assert re.findall(r"^### (.+)$", text, re.MULTILINE) == MARKDOWN_SECTIONS * 2
    amd = text.split("## [AMD]", 1)[1]
    assert "- AMD acquired ZT Systems" in amd
    assert "In 2024 AMD moved to acquire ZT Systems" in amd


def test_the_markdown_export_refuses_an_unknown_company_to_compare_with(client, demo):
    response = client.get("/companies/nvidia/battlecard.md?compare=nope")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "There is no company “nope” to compare with" in response.content.decode()
    assert client.get("/companies/nvidia/battlecard.md?compare=nvidia").status_code == 400


def test_user_text_with_markdown_metacharacters_is_exported_as_text(client, analyst, source):
    acme = CompanyFactory(
        name="Acme", slug="acme", body="Acme sells [chips](javascript:alert(2)) <img src=x onerror=alert(3)>."
    )
    claim_about(acme, author=analyst, source=source, text=HOSTILE)
    milestone_create(author=analyst, title="Ships | early *maybe*", company=acme, kind="ship", target="2030")

    text = client.get("/companies/acme/battlecard.md").content.decode()

    assert r"\[click\]\(javascript:alert\(1\)\) \*bold\* \<script\>alert\(1\)\</script\>" in text
    assert r"Acme sells \[chips\]\(javascript:alert\(2\)\) \<img src=x onerror=alert\(3\)\>." in text
    html = rendered(text, tables=True)
    assert '<a href="javascript:' not in html
    assert "<script" not in html and "<img" not in html
    # The reader sees the characters the analyst typed, as text.
    assert "[click](javascript:alert(1)) *bold* &lt;script&gt;alert(1)&lt;/script&gt;" in html
    # A | in a title does not split the table's row.
    row = re.search(r"<tr>\s*<td>.*?Ships.*?</tr>", html, re.DOTALL).group(0)
    assert len(re.findall(r"<td", row)) == 3
    assert "Ships | early *maybe*" in re.sub(r"<[^>]+>", "", row)


def test_user_text_with_markup_is_shown_as_text_on_the_card(client, analyst, source):
    acme = CompanyFactory(name="Acme", slug="acme")
    claim_about(acme, author=analyst, source=source, text=HOSTILE)

    response = client.get("/companies/acme/battlecard/")

    assert "<script>alert(1)</script>" not in response.content.decode()
    claims = section(card_of(parse(response), "acme"), "Recent claims")
    assert [link.text for link in claims.find_all("a")][0] == HOSTILE


def test_the_markdown_export_keeps_a_space_before_a_year_in_brackets(client, demo):
    text = client.get("/companies/nvidia/battlecard.md").content.decode()

    products = rendered(markdown_section(text, "Products by architecture"))
    assert "<strong>Blackwell</strong> (2024): " in products
    assert "Nvidia customer of TSMC (2009)" in rendered(markdown_section(text, "Relations"))


def test_the_markdown_summary_reads_as_prose_without_wiki_syntax(client, demo):
    text = client.get("/companies/nvidia/battlecard.md").content.decode()

    summary = re.sub(r"<[^>]+>", "", rendered(markdown_section(text, "Summary"))).strip()
    assert summary.startswith("US designer of GPUs and full AI systems, led by Jensen Huang.")


# ---------------------------------------------------------------------------
# SVG, ids and printing


def test_every_svg_parses_and_no_id_repeats_when_comparing(client, demo):
    html = client.get("/companies/nvidia/battlecard/?compare=amd").content.decode()

    svgs = svgs_in(html)
    # Nvidia: roadmap, relations and a chart per metric with a dated value; AMD: relations only.
    assert len(svgs) >= 4
    for markup in svgs:
        assert ET.fromstring(markup).tag == f"{SVG}svg"
    ids = re.findall(r"""\sid\s*=\s*["']([^"']+)["']""", html)
    assert [name for name, count in Counter(ids).items() if count > 1] == []
    # Every reference to an id (a marker, a pattern, a label) finds it on the page.
    referenced = set(re.findall(r"url\(#([^)]+)\)", html))
    for labelled in re.findall(r'aria-labelledby="([^"]+)"', html):
        referenced |= set(labelled.split())
    assert referenced - set(ids) == set()


def test_the_compare_form_is_left_out_of_print(client, demo):
    doc = parse(client.get("/companies/nvidia/battlecard/"))

    assert doc.find("form", cls="compare-form").has_class("no-print")
    stylesheets = [link.get("href") for link in doc.find_all("link", rel="stylesheet")]
    assert "/static/css/intel.css" in stylesheets


def test_the_stylesheet_hides_what_is_not_for_paper_when_printing():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "intel.css").read_text()

    assert "@media print" in css
    hidden = []
    for block in re.findall(r"@media print\s*\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", css):
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
            if re.search(r"display\s*:\s*none", body):
                hidden += [selector.strip() for selector in selectors.split(",")]
    assert ".no-print" in hidden


# ---------------------------------------------------------------------------
# Query count


def grow(company, count: int, *, start: int, author, source) -> None:
    """``count`` more claims (metrics among them), milestones (one slipped), products and disputes about ``company``."""
    claims = []
    for number in range(start, start + count):
        fields = {"kind": ClaimKind.OPINION}
        if number % 3 == 0:
            fields = {
                "kind": ClaimKind.METRIC,
                "metric": f"metric_{number % 2}",
                "value": str(number),
                "unit": "units",
                "period": str(2000 + number),
            }
        claims.append(claim_about(company, author=author, source=source, text=f"Extra claim {number}.", **fields))
        product = product_create(
            author=author, name=f"Extra {number}", slug=f"extra-{number}", vendor=company, kind="gpu"
        )
        milestone = milestone_create(
            author=author, title=f"Extra milestone {number}", product=product, kind="ship", target=f"{2030 + number}"
        )
        if number % 2:  # slipped a year later
            page_update(
                kind=PAGE_KINDS["milestone"],
                page=milestone,
                author=author,
                values={"target": f"{2031 + number}"},
                base_revision=latest_revision_id(milestone),
                summary="Slipped",
            )
    for first, second in zip(claims[::2], claims[1::2], strict=False):
        claim_relation_create(author=author, from_claim=first, kind=ClaimRelationKind.CONTRADICTS, to_claim=second)


@pytest.mark.parametrize(
    "url",
    [
        "/companies/nvidia/battlecard/",
        "/companies/nvidia/battlecard/?compare=amd",
        "/companies/nvidia/battlecard.md?compare=amd",
    ],
)
def test_the_battlecard_costs_as_many_queries_with_20_more_claims_and_milestones_as_with_3(
    client, demo, analyst, source, django_assert_max_num_queries, url
):
    grow(demo, 3, start=0, author=analyst, source=source)
    client.get(url)  # warm the content-type and session caches
    with CaptureQueriesContext(connection) as with_3:
        small = client.get(url)

    grow(demo, 17, start=3, author=analyst, source=source)

    with django_assert_max_num_queries(len(with_3)):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("Extra milestone") > small.content.decode().count("Extra milestone")


# ---------------------------------------------------------------------------
# The disputes selector: a company's open disputes


def test_the_disputes_of_a_company_are_only_those_about_it(analyst, source):
    acme, rival, other = (CompanyFactory(name=name, slug=name.lower()) for name in ("Acme", "Rival", "Other"))
    acme_high = claim_about(acme, author=analyst, source=source, text="Acme's yields are high.")
    acme_low = claim_about(acme, author=analyst, source=source, text="Acme's yields are low.")
    rival_up = claim_about(rival, author=analyst, source=source, text="Rival's sales are up.")
    rival_down = claim_about(rival, author=analyst, source=source, text="Rival's sales are down.")
    contradict(acme_high, acme_low, author=analyst)
    contradict(rival_up, rival_down, author=analyst)
    # One dispute across the two companies: each of them has it.
    acme_first = claim_about(acme, author=analyst, source=source, text="Acme ships first.")
    rival_first = claim_about(rival, author=analyst, source=source, text="Rival ships first.")
    claim_relation_create(
        author=analyst, from_claim=acme_first, kind=ClaimRelationKind.CONTRADICTS, to_claim=rival_first
    )

    def pairs(company=None):
        return {(d.first.statement, d.second.statement) for d in disputes_page(company=company)["disputes"]}

    assert pairs(acme) == {
        ("Acme's yields are high.", "Acme's yields are low."),
        ("Acme ships first.", "Rival ships first."),
    }
    assert pairs(rival) == {
        ("Rival's sales are up.", "Rival's sales are down."),
        ("Acme ships first.", "Rival ships first."),
    }
    assert pairs(other) == set()
    assert len(pairs()) == 3
    assert disputes_page(company=acme)["disputed_alone"] == []


def test_a_claim_a_moderator_marked_disputed_is_an_open_dispute_on_its_own(client, analyst, moderator, source):
    acme = CompanyFactory(name="Acme", slug="acme")
    doubted = claim_about(acme, author=analyst, source=source, text="Acme has 50% of the market.")
    claim_set_status(
        claim=doubted, author=moderator, status=ClaimStatus.DISPUTED, reason="Analysts doubt it.", override=True
    )

    assert disputes_page(company=acme)["disputed_alone"] == [doubted]
    disputes = section(card_of(parse(client.get("/companies/acme/battlecard/")), "acme"), "Open disputes")
    assert words(disputes.find("ul", cls="card-disputes")) == "Acme has 50% of the market. (disputed)"


def test_a_contradiction_with_a_retracted_claim_is_settled_and_not_an_open_dispute(analyst, source):
    acme = CompanyFactory(name="Acme", slug="acme")
    high = claim_about(acme, author=analyst, source=source, text="Acme's yields are high.")
    low = claim_about(acme, author=analyst, source=source, text="Acme's yields are low.")
    contradict(high, low, author=analyst)
    assert len(disputes_page(company=acme)["disputes"]) == 1

    claim_set_status(claim=low, author=analyst, status=ClaimStatus.RETRACTED, reason="The report was corrected.")

    assert disputes_page(company=acme)["disputes"] == []
    assert disputes_page()["disputes"] == []


def test_the_claim_left_standing_after_a_retraction_is_listed_until_its_own_status_is_settled(client, analyst, source):
    """The pair is settled, but the claim left standing is still marked disputed: the moderator sees it
    (with why) and settles its status too; nothing stays flagged silently."""
    acme = CompanyFactory(name="Acme", slug="acme")
    high = claim_about(acme, author=analyst, source=source, text="Acme's yields are high.")
    low = claim_about(acme, author=analyst, source=source, text="Acme's yields are low.")
    contradict(high, low, author=analyst)

    claim_set_status(claim=low, author=analyst, status=ClaimStatus.RETRACTED, reason="The report was corrected.")

    high.refresh_from_db()
    assert high.status == ClaimStatus.DISPUTED
    assert disputes_page(company=acme)["disputes"] == []
    assert disputes_page(company=acme)["disputed_alone"] == [high]
    page = client.get("/disputes/?company=acme").content.decode()
    assert "Marked disputed, with no open contradiction" in page
    assert "Acme&#x27;s yields are high." in page or "Acme's yields are high." in page

    claim_set_status(
        claim=high, author=analyst, status=ClaimStatus.UNVERIFIED, reason="Its contradiction was retracted."
    )
    assert disputes_page(company=acme)["disputed_alone"] == []
    disputes = section(card_of(parse(client.get("/companies/acme/battlecard/")), "acme"), "Open disputes")
    assert words(disputes.find("p", cls="empty")) == "No open disputes."


# ---------------------------------------------------------------------------
# Review fixes of issue 6


@pytest.mark.parametrize(
    "url",
    [
        "/companies/{slug}/battlecard/?compare=a%00b",
        "/companies/{slug}/battlecard.md?compare=a%00b",
        "/disputes/?company=a%00b",
    ],
)
def test_a_nul_byte_in_a_company_filter_is_a_clear_400_not_a_server_error(client, url):
    acme = CompanyFactory(name="Acme", slug="acme")

    response = client.get(url.format(slug=acme.slug))

    assert response.status_code == 400
    assert "a\x00b" not in response.content.decode()


def test_compare_takes_the_slug_in_any_case(client, demo):
    response = client.get("/companies/nvidia/battlecard/?compare=AMD")

    assert response.status_code == 200
    assert [card.get("aria-labelledby") for card in parse(response).find_all("article", cls="battlecard")] == [
        "card-nvidia-name",
        "card-amd-name",
    ]


def test_a_claim_in_two_disputes_gets_settle_forms_with_distinct_ids(client, analyst, moderator, source):
    acme = CompanyFactory(name="Acme", slug="acme")
    high = claim_about(acme, author=analyst, source=source, text="Acme's yields are high.")
    low = claim_about(acme, author=analyst, source=source, text="Acme's yields are low.")
    middling = claim_about(acme, author=analyst, source=source, text="Acme's yields are middling.")
    contradict(high, low, author=analyst)
    claim_relation_create(author=analyst, from_claim=middling, kind=ClaimRelationKind.CONTRADICTS, to_claim=high)
    client.force_login(moderator)

    html = client.get("/disputes/").content.decode()

    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert html.count(f'action="/claims/{high.pk}/status/"') == 2


def test_an_open_milestone_whose_target_has_passed_is_marked_overdue_on_the_battlecard(client, demo):
    card = client.get("/companies/nvidia/battlecard/").content.decode()

    upcoming = card[card.index("Upcoming milestones") : card.index("<h3>Roadmap</h3>")]
    assert "GB200 volume production" in upcoming
    assert 'class="badge overdue"' in upcoming  # Q1 2025 is behind us and it is not done
    text = client.get("/companies/nvidia/battlecard.md").content.decode()
    assert "Q1 2025, overdue" in text


def acme_with_disputes(count: int, *, analyst, source) -> Company:
    """Acme with ``count`` pairs of claims about it contradicting each other ("Acme claim 1a." against "1b."…)."""
    acme = CompanyFactory(name="Acme", slug="acme")
    for number in range(1, count + 1):
        first = claim_about(acme, author=analyst, source=source, text=f"Acme claim {number}a.")
        second = claim_about(acme, author=analyst, source=source, text=f"Acme claim {number}b.")
        contradict(first, second, author=analyst)
    return acme


def test_a_company_with_more_disputes_than_shown_gets_the_newest_and_how_many_there_are(
    client, analyst, moderator, source, monkeypatch, django_assert_max_num_queries
):
    """At scale a company has thousands of disputes: the card lists the newest few and the disputes page the
    newest fifty (three here), each saying how many there are, in as many queries as with one."""
    monkeypatch.setattr("intel.selectors.DISPUTES_SHOWN", 3)
    acme = acme_with_disputes(5, analyst=analyst, source=source)

    page = disputes_page(company=acme, limit=3)
    assert [d.first.statement for d in page["disputes"]] == ["Acme claim 5a.", "Acme claim 4a.", "Acme claim 3a."]
    assert page["disputes_total"] == 5
    with django_assert_max_num_queries(12):
        response = client.get("/disputes/?company=acme")
    doc = parse(response)
    assert len(doc.find_all("section", cls="dispute")) == 3
    assert words(doc.find("p", id="disputes-partial")).startswith("The newest 3 of 5 disputes.")
    assert doc.find("p", id="disputes-partial").find("a").get("href") == "/claims/?status=disputed&company=acme"


def test_past_a_thousand_disputes_the_pages_say_more_than_instead_of_counting_them_all(
    client, analyst, moderator, source, monkeypatch
):
    """Counting 80,000 disputed claims took a second at scale: past DISPUTES_COUNTED (4 here) a page says
    "more than" that, and below it the exact number."""
    monkeypatch.setattr("intel.selectors.DISPUTES_SHOWN", 3)
    monkeypatch.setattr("intel.selectors.DISPUTES_COUNTED", 4)
    monkeypatch.setattr("companies.battlecard.DISPUTES", 2)
    acme_with_disputes(5, analyst=analyst, source=source)

    page = parse(client.get("/disputes/?company=acme"))
    assert words(page.find("p", id="disputes-partial")).startswith("The newest 3 of more than 4 disputes.")
    card = parse(client.get("/companies/acme/battlecard/"))
    assert "The newest of more than 4 open disputes" in words(card.find("p", cls="partial"))

    Claim.objects.filter(statement="Acme claim 1a.").update(status=ClaimStatus.RETRACTED)  # settles one: 4 left
    page = parse(client.get("/disputes/?company=acme"))
    assert words(page.find("p", id="disputes-partial")).startswith("The newest 3 of 4 disputes.")


def test_a_company_with_more_metric_claims_than_the_card_draws_from_gets_the_newest_and_how_many(client, monkeypatch):
    """At scale a company has tens of thousands of metric claims: the card draws its series from the newest
    (500; 3 here), says of how many (counted up to 10,000; 5 here), and links to the metrics page."""
    monkeypatch.setattr("companies.battlecard.METRIC_CLAIMS", 3)
    acme = CompanyFactory(name="Acme", slug="acme")
    metric_claims_bulk(5, companies=[acme], metrics=1, unit="bn USD", years=5)  # 2000 to 2004, valued 0 to 4

    card = parse(client.get("/companies/acme/battlecard/"))
    (note,) = card.find_all("p", cls="partial")
    rows = [row for body in card.find_all("tbody") for row in body.find_all("tr")]
    periods = sorted(" ".join(row.find_all("td")[0].text.split()) for row in rows)
    assert periods == ["2002", "2003", "2004"]
    assert words(note).startswith("From the newest 3 of 5 metric claims about Acme; all its series on the metrics")
    assert note.find("a").get("href") == "/metrics/?company=acme"

    monkeypatch.setattr("companies.battlecard.METRIC_CLAIMS_COUNTED", 4)
    (note,) = parse(client.get("/companies/acme/battlecard/")).find_all("p", cls="partial")
    assert words(note).startswith("From the newest 3 of more than 4 metric claims about Acme")
