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
from intel.metrics import metric_series
from intel.models import Claim
from intel.selectors import Dispute, claims_with_citations, disputes_page
from intel.wikilinks import render_page_markdown
from products.selectors import Roadmap, roadmap

RECENT_CLAIMS = 8
UPCOMING = 8


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
    recent_claims: list[Claim]
    disputes: list[Dispute]
    disputed_alone: list[Claim]
    relations: list
    relations_svg: object

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

    disputes = disputes_page(company=company)
    graph = relations_graph(company=company)
    return Battlecard(
        company=company,
        summary_html=render_page_markdown(first_paragraph(company.body)),
        architectures=architectures,
        roadmap=roadmap(company.milestones.all(), title=f"{company.name} roadmap", html_id=f"{html_id}-roadmap"),
        metric_series=metric_series(company=company),
        recent_claims=list(
            claims_with_citations(company.claims.exclude(status__in=SETTLED_CLAIM_STATUSES)).order_by(
                "-created", "-id"
            )[:RECENT_CLAIMS]
        ),
        disputes=disputes["disputes"],
        disputed_alone=disputes["disputed_alone"],
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


def _card_markdown(card: Battlecard, *, base_url: str, level: int) -> list[str]:
    h = "#" * (level + 1)
    company = card.company
    lines = []
    if level > 1:
        lines += [f"{'#' * level} {_link(company.name, company.get_absolute_url(), base_url)}", ""]
    lines += [f"{h} Summary", "", md(plain_text(card.summary_html)) or "No summary yet.", ""]

    lines += [f"{h} Products by architecture", ""]
    if card.architectures:
        for group in card.architectures:
            introduced = f" ({md(group.introduced.label)})" if group.introduced else ""
            names = ", ".join(_link(p.name, p.get_absolute_url(), base_url) for p in group.products) or "no products"
            lines.append(f"- **{md(group.name)}**{introduced}: {names}")
    else:
        lines.append("No products yet.")
    lines.append("")

    lines += [f"{h} Upcoming milestones", ""]
    if card.upcoming:
        lines += ["| Milestone | Target | Status |", "| --- | --- | --- |"]
        for history in card.upcoming:
            milestone = history.milestone
            target = milestone.target.label if milestone.target else "no date"
            if milestone.pk in card.roadmap.overdue:
                target += ", overdue"
            lines.append(
                f"| {_link(milestone.title, milestone.get_absolute_url(), base_url)} | {md(target)} "
                f"| {md(milestone.get_status_display())} |"
            )
    else:
        lines.append("No upcoming milestones.")
    lines.append("")

    lines += [f"{h} Slips", ""]
    if card.roadmap.slipped:
        lines += [
            "| Milestone | First target | Current target | Slips | Days slipped |",
            "| --- | --- | --- | ---: | ---: |",
        ]
        for history in card.roadmap.slipped:
            milestone = history.milestone
            first = history.first_target.label if history.first_target else "—"
            current = milestone.target.label if milestone.target else "no date"
            lines.append(
                f"| {_link(milestone.title, milestone.get_absolute_url(), base_url)} | {md(first)} | {md(current)} "
                f"| {history.slip_count} | +{history.days_slipped} |"
            )
    else:
        lines.append("No slips recorded.")
    lines.append("")

    lines += [f"{h} Key metrics", ""]
    if card.metric_series:
        for series in card.metric_series:
            values = "; ".join(
                f"{md(point.value_text)} ({md(point.period.label if point.period else 'no period')})"
                + (" **conflict**" if point.conflict else "")
                for point in series.points
            )
            lines.append(f"- **{md(series.metric)}** ({md(series.unit)}): {values}")
    else:
        lines.append("No metrics yet.")
    lines.append("")

    lines += [f"{h} Recent claims", ""]
    if card.recent_claims:
        for claim in card.recent_claims:
            lines.append(
                f"- {_link(claim.statement, claim.get_absolute_url(), base_url)} — {md(claim.get_status_display())}, "
                f"{len(claim.citations.all())} citation(s)"
            )
    else:
        lines.append("No claims yet.")
    lines.append("")

    lines += [f"{h} Open disputes", ""]
    if card.disputes or card.disputed_alone:
        for dispute in card.disputes:
            lines.append(
                f"- {_link(dispute.first.statement, dispute.first.get_absolute_url(), base_url)} "
                f"**contradicts** {_link(dispute.second.statement, dispute.second.get_absolute_url(), base_url)}"
            )
        for claim in card.disputed_alone:
            lines.append(f"- {_link(claim.statement, claim.get_absolute_url(), base_url)} (disputed)")
    else:
        lines.append("No open disputes.")
    lines.append("")

    lines += [f"{h} Relations", ""]
    if card.relations:
        for relation in card.relations:
            started = f" ({md(relation.started.label)})" if relation.started else ""
            lines.append(
                f"- {md(relation.subject.name)} {md(relation.get_kind_display())} {md(relation.object.name)}{started}"
            )
    else:
        lines.append("No relations yet.")
    lines.append("")
    return lines
