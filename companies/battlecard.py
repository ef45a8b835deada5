"""Battlecards: one company on one page, the answers an analyst takes into a customer meeting.

A battlecard gathers what the wiki knows about a company — summary, products by
architecture, upcoming milestones, slips, key metrics, recent claims, open disputes,
relations — in a fixed number of queries, and can be set beside another company's
("compare with") or exported as Markdown. Every figure comes from the same selectors
as the company, roadmap, metrics and disputes pages, so the card never disagrees
with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from django.db.models import F
from django.utils.html import strip_tags

from companies.diagram import relations_diagram, relations_graph
from companies.models import Company
from intel.choices import SETTLED_CLAIM_STATUSES
from intel.metrics import METRIC_CLAIMS_COUNTED, metric_claims, metric_series
from intel.models import Claim
from intel.selectors import Dispute, Tally, claims_with_citations, count_up_to, disputes_page
from intel.wikilinks import render_page_markdown
from products.selectors import Roadmap, roadmap

RECENT_CLAIMS = 8
UPCOMING = 8
DISPUTES = 8  # of each list; the card says how many there are and links to the disputes page
METRIC_CLAIMS = 500  # the newest metric claims the card's series are drawn from; it says how many there are


@dataclass
class ArchitectureGroup:
    name: str
    url: str
    introduced: object
    products: list = field(default_factory=list)


@dataclass
class Battlecard:
    company: Company
    summary_html: str
    architectures: list[ArchitectureGroup]
    roadmap: Roadmap
    metric_series: list
    metric_claims_total: Tally  # the metric claims naming the company; the series are drawn from the newest
    recent_claims: list[Claim]
    disputes: list[Dispute]
    disputes_total: Tally
    disputed_alone: list[Claim]
    disputed_alone_total: Tally
    relations: list
    relations_svg: object

    @property
    def metric_claims_limit(self) -> int:
        return METRIC_CLAIMS

    @property
    def upcoming(self):
        return self.roadmap.upcoming[:UPCOMING]

    @property
    def has_data(self) -> bool:
        return bool(
            self.architectures or self.roadmap.histories or self.metric_series or self.recent_claims or self.relations
        )


def first_paragraph(markdown: str) -> str:
    """The body's first paragraph of prose (headings and blank lines skipped): the card's summary."""
    for block in re.split(r"\n\s*\n", markdown or ""):
        block = block.strip()
        if block and not block.startswith("#"):
            return block
    return ""


def plain_text(html: str) -> str:
    """Rendered (and sanitised) HTML as plain prose: what the summary says, without its markup."""
    return unescape(strip_tags(html or ""))


def battlecard(*, company: Company, html_id: str = "card") -> Battlecard:
    """Everything a company's battlecard shows; ``html_id`` keeps two cards' SVG ids apart on one page."""
    groups: dict[object, ArchitectureGroup] = {}
    for architecture in company.architectures.order_by(F("introduced_date").asc(nulls_last=True), "name"):
        groups[architecture.pk] = ArchitectureGroup(
            architecture.name, architecture.get_absolute_url(), architecture.introduced
        )
    for product in company.products.order_by("name"):
        if product.architecture_id not in groups:
            groups[product.architecture_id] = ArchitectureGroup("Other products", "", None)
        groups[product.architecture_id].products.append(product)
    architectures = [group for group in groups.values() if group.products or group.url]

    disputes = disputes_page(company=company, limit=DISPUTES)
    graph = relations_graph(company=company)
    return Battlecard(
        company=company,
        summary_html=render_page_markdown(first_paragraph(company.body)),
        architectures=architectures,
        roadmap=roadmap(company.milestones.all(), title=f"{company.name} roadmap", html_id=f"{html_id}-roadmap"),
        metric_series=metric_series(company=company, newest=METRIC_CLAIMS),
        metric_claims_total=count_up_to(metric_claims(company=company), METRIC_CLAIMS_COUNTED),
        recent_claims=list(
            claims_with_citations(company.claims.exclude(status__in=SETTLED_CLAIM_STATUSES)).order_by(
                "-created", "-id"
            )[:RECENT_CLAIMS]
        ),
        disputes=disputes["disputes"],
        disputes_total=disputes["disputes_total"],
        disputed_alone=disputes["disputed_alone"],
        disputed_alone_total=disputes["disputed_alone_total"],
        relations=graph.relations,
        relations_svg=relations_diagram(graph, html_id=f"{html_id}-relations", focus=company),
    )


# ---------------------------------------------------------------------------
# Markdown export

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text) -> str:
    """User text made inert in Markdown: metacharacters escaped, line breaks flattened."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def battlecard_markdown(card: Battlecard, *, base_url: str, compare: Battlecard | None = None) -> str:
    """The battlecard (and the one it is compared with) as a Markdown document, links absolute."""
    lines = [f"# Battlecard: {md(card.company.name)}" + (f" vs {md(compare.company.name)}" if compare else ""), ""]
    for one in (card, compare) if compare else (card,):
        lines += _card_markdown(one, base_url=base_url, level=2 if compare else 1)
    return "\n".join(lines).rstrip() + "\n"


def _link(text, url: str, base_url: str) -> str:
    return f"[{md(text)}](<{base_url}{url}>)"


def _table(header: list[str], rows: list[list[str]], *, numeric: int = 0) -> list[str]:
    """A Markdown table; the last ``numeric`` columns are right-aligned."""
    align = ["---"] * (len(header) - numeric) + ["---:"] * numeric
    return [f"| {' | '.join(cells)} |" for cells in (header, align, *rows)]


def _card_markdown(card: Battlecard, *, base_url: str, level: int) -> list[str]:
    company = card.company

    def link(text, url: str) -> str:
        return _link(text, url, base_url)

    def target_of(milestone) -> str:
        return milestone.target.label if milestone.target else "no date"

    sections = {
        "Summary": [md(plain_text(card.summary_html))] if card.summary_html else [],
        "Products by architecture": [
            f"- **{md(group.name)}**{f' ({md(group.introduced.label)})' if group.introduced else ''}: "
            + (", ".join(link(p.name, p.get_absolute_url()) for p in group.products) or "no products")
            for group in card.architectures
        ],
        "Upcoming milestones": _table(
            ["Milestone", "Target", "Status"],
            [
                [
                    link(h.milestone.title, h.milestone.get_absolute_url()),
                    md(target_of(h.milestone) + (", overdue" if h.milestone.pk in card.roadmap.overdue else "")),
                    md(h.milestone.get_status_display()),
                ]
                for h in card.upcoming
            ],
        )
        if card.upcoming
        else [],
        "Slips": _table(
            ["Milestone", "First target", "Current target", "Slips", "Days slipped"],
            [
                [
                    link(h.milestone.title, h.milestone.get_absolute_url()),
                    md(h.first_target.label if h.first_target else "—"),
                    md(target_of(h.milestone)),
                    str(h.slip_count),
                    f"+{h.days_slipped}",
                ]
                for h in card.roadmap.slipped
            ],
            numeric=2,
        )
        if card.roadmap.slipped
        else [],
        "Key metrics": [
            f"- **{md(series.metric)}** ({md(series.unit)}): "
            + "; ".join(
                f"{md(point.value_text)} ({md(point.period.label if point.period else 'no period')})"
                + (" **conflict**" if point.conflict else "")
                for point in series.points
            )
            for series in card.metric_series
        ],
        "Recent claims": [
            f"- {link(claim.statement, claim.get_absolute_url())} — {md(claim.get_status_display())}, "
            f"{len(claim.citations.all())} citation(s)"
            for claim in card.recent_claims
        ],
        "Open disputes": [
            f"- {link(d.first.statement, d.first.get_absolute_url())} "
            f"**contradicts** {link(d.second.statement, d.second.get_absolute_url())}"
            for d in card.disputes
        ]
        + [f"- {link(claim.statement, claim.get_absolute_url())} (disputed)" for claim in card.disputed_alone],
        "Relations": [
            f"- {md(r.subject.name)} {md(r.get_kind_display())} {md(r.object.name)}"
            + (f" ({md(r.started.label)})" if r.started else "")
            for r in card.relations
        ],
    }
    empty = {
        "Summary": "No summary yet.",
        "Products by architecture": "No products yet.",
        "Upcoming milestones": "No upcoming milestones.",
        "Slips": "No slips recorded.",
        "Key metrics": "No metrics yet.",
        "Recent claims": "No claims yet.",
        "Open disputes": "No open disputes.",
        "Relations": "No relations yet.",
    }
    lines = [f"{'#' * level} {link(company.name, company.get_absolute_url())}", ""] if level > 1 else []
    for title, body in sections.items():
        lines += [f"{'#' * (level + 1)} {title}", "", *(body or [empty[title]]), ""]
    return lines
