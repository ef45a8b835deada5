"""The company-relations diagram: who acquired, invested in, buys from or supplies whom.

``relations_graph`` reads what to draw in one query: for a company, its ego network
(every relation it is the subject or the object of) plus the relations between any
two of its neighbours, so a loop among them (Microsoft invests in OpenAI, OpenAI buys
Microsoft's cloud) shows on the page of a company both are related to; without a
company, every relation. ``relations_diagram`` draws it as inline SVG through
``intel.svg``: no JavaScript, real ``<text>`` labels, a ``<desc>`` that says every
relation as a sentence, and links from each box to the company's page.

Layout is deterministic, so the same data always draws the same picture: the focus
company in the centre, the others on an ellipse sorted by name, clockwise from the
top. Each relation is an edge from subject to object; its kind shows three ways (a
text label, a dash pattern and a colour), so it survives print and colour blindness.
Relations between the same two companies (Microsoft invested in OpenAI; OpenAI is a
customer of Microsoft) are drawn as parallel lines apart from each other, and an edge
between two neighbours that would cross the focus box bends around it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from html import escape

from django.db.models import Q
from django.utils.safestring import SafeString

from companies.choices import RelationKind
from companies.models import Company, CompanyRelation
from intel.svg import Svg, clip, text_width

WIDTH = 640
MARGIN = 12
NODE_HEIGHT = 28
NODE_FONT = 13
NODE_PADDING = 10
NODE_MAX_WIDTH = 150
NODE_MIN_WIDTH = 72
LABEL_FONT = 11
PAIR_SPACING = 18  # between the parallel edges of one pair of companies
ARROW = 9  # length of an arrowhead
GAP = 3  # between an arrowhead's tip (or a line's start) and a box
LEGEND_ROW = 20
KIND_ORDER = {kind: index for index, kind in enumerate(RelationKind)}


@dataclass(frozen=True)
class KindStyle:
    dash: str | None
    colour: str
    width: float
    directed: bool  # "competes with" and "partners with" read the same both ways: no arrowhead


STYLES = {
    RelationKind.ACQUIRED: KindStyle(None, "#6a1b9a", 2.5, True),
    RelationKind.INVESTED_IN: KindStyle("8 4", "#1565c0", 1.8, True),
    RelationKind.CUSTOMER_OF: KindStyle("2 3", "#37474f", 2.0, True),
    RelationKind.SUPPLIER_OF: KindStyle("9 3 2 3", "#8d4e00", 1.8, True),
    RelationKind.PARTNERS_WITH: KindStyle("14 4", "#2e7d32", 1.8, False),
    RelationKind.COMPETES_WITH: KindStyle("4 4", "#c62828", 1.8, False),
}

# The verb of a relation as a sentence says it, now and once it has ended.
_VERBS = {
    RelationKind.ACQUIRED: ("acquired", "acquired"),
    RelationKind.INVESTED_IN: ("invested in", "invested in"),
    RelationKind.CUSTOMER_OF: ("is a customer of", "was a customer of"),
    RelationKind.SUPPLIER_OF: ("is a supplier of", "was a supplier of"),
    RelationKind.PARTNERS_WITH: ("partners with", "partnered with"),
    RelationKind.COMPETES_WITH: ("competes with", "competed with"),
}
_EVENTS = {RelationKind.ACQUIRED, RelationKind.INVESTED_IN}  # "in 2024" rather than "since 2024"


@dataclass(frozen=True)
class RelationsGraph:
    """The companies and relations a diagram draws; ``company`` is the one it was read around."""

    companies: list[Company]
    relations: list[CompanyRelation]
    company: Company | None = None

    def __bool__(self) -> bool:
        return bool(self.relations)


def _name_key(company: Company) -> tuple[str, str, int]:
    return (company.name.casefold(), company.name, company.pk)


def relations_graph(*, company: Company | None = None) -> RelationsGraph:
    """The relations around ``company`` (its own and those among its neighbours), or all; one query."""
    # The markdown bodies are all a company row holds of any size, and the diagram needs none of them.
    relations = CompanyRelation.objects.select_related("subject", "object").defer("subject__body", "object__body")
    if company is not None:
        # A neighbour is at the other end of one of the company's relations. Two plain subqueries on the
        # indexed foreign keys, rather than one join of a company to both its relation sets, which
        # would multiply a well-connected company's relations in by its relations out.
        objects_of = CompanyRelation.objects.filter(subject=company).values("object_id")
        subjects_of = CompanyRelation.objects.filter(object=company).values("subject_id")

        def is_neighbour(end: str) -> Q:
            return Q(**{f"{end}__in": objects_of}) | Q(**{f"{end}__in": subjects_of})

        relations = relations.filter(
            Q(subject=company) | Q(object=company) | (is_neighbour("subject") & is_neighbour("object"))
        )
    rows = sorted(
        relations.order_by(),  # sorted here, by name as people read it (casefolded), not by the database's collation
        key=lambda relation: (_name_key(relation.subject), KIND_ORDER[relation.kind], _name_key(relation.object)),
    )
    companies = {company.pk: company} if company is not None and rows else {}
    for relation in rows:
        companies.setdefault(relation.subject_id, relation.subject)
        companies.setdefault(relation.object_id, relation.object)
    return RelationsGraph(companies=sorted(companies.values(), key=_name_key), relations=rows, company=company)


# ---------------------------------------------------------------------------
# Words


def relation_sentence(relation: CompanyRelation) -> str:
    """ "AMD acquired ZT Systems in 2024." — how the diagram's description reads a relation."""
    kind = RelationKind(relation.kind)
    started, ended = relation.started, relation.ended
    verb = _VERBS[kind][1 if ended else 0]
    if started and ended:
        when = f" from {started.label} to {ended.label}"
    elif started:
        when = f" {'in' if kind in _EVENTS else 'since'} {started.label}"
    elif ended:
        when = f" until {ended.label}"
    else:
        when = ""
    return f"{relation.subject.name} {verb} {relation.object.name}{when}."


def _edge_label(relation: CompanyRelation) -> str:
    """ "acquired 2024", "customer of 2009–2023": the kind and the years, short enough for an edge."""
    label = RelationKind(relation.kind).label
    started, ended = relation.started, relation.ended
    if started and ended:
        return f"{label} {started.date.year}–{ended.date.year}"
    if started:
        return f"{label} {started.date.year}"
    if ended:
        return f"{label} until {ended.date.year}"
    return label


# ---------------------------------------------------------------------------
# Geometry


@dataclass
class _Node:
    company: Company
    x: float
    y: float
    width: float
    label: str

    def contains(self, point: tuple[float, float], pad: float = 0.0) -> bool:
        return abs(point[0] - self.x) <= self.width / 2 + pad and abs(point[1] - self.y) <= NODE_HEIGHT / 2 + pad

    def overlaps(self, other: _Node, pad: float) -> bool:
        return (
            abs(self.x - other.x) < (self.width + other.width) / 2 + pad and abs(self.y - other.y) < NODE_HEIGHT + pad
        )


@dataclass
class _Edge:
    relation: CompanyRelation
    start: tuple[float, float]
    control: tuple[float, float] | None  # a quadratic curve's control point; None for a straight line
    end: tuple[float, float]
    label: str
    curve: tuple[tuple[float, float], tuple[float, float], tuple[float, float]]  # the whole curve, box to box
    visible: tuple[float, float]  # the part of ``curve`` between the boxes, as t0, t1
    aside: tuple[float, float]  # how far a label moves off the line: outwards for one of a pair
    label_at: tuple[float, float] = (0.0, 0.0)


def _layout(companies: list[Company], focus: Company | None) -> dict[int, _Node]:
    """Boxes for ``companies``: ``focus`` at (WIDTH/2, 0), the others on an ellipse around it by name."""
    ring = [company for company in companies if focus is None or company.pk != focus.pk]
    centred = len(ring) < len(companies)
    count = len(ring)
    # Narrower boxes when many share the ring, so neighbours at the top and bottom do not collide.
    room = (WIDTH / 2 - MARGIN - NODE_MAX_WIDTH / 2) * 2 * math.pi / max(count, 1) - 10
    max_width = max(NODE_MIN_WIDTH, min(NODE_MAX_WIDTH, room))

    def node(company: Company) -> _Node:
        widest = NODE_MAX_WIDTH if centred and company.pk == focus.pk else max_width
        width = min(widest, text_width(company.name, NODE_FONT) + 2 * NODE_PADDING)
        label = clip(company.name, width - 2 * NODE_PADDING + 2, NODE_FONT)
        return _Node(company, WIDTH / 2, 0.0, width, label)

    nodes = {company.pk: node(company) for company in companies}
    ring_width = max((nodes[company.pk].width for company in ring), default=0)
    rx = WIDTH / 2 - MARGIN - ring_width / 2
    # An ellipse rather than a circle, to fit a page column; tall enough that edges between the sides have room.
    ry = 110.0 if centred or count > 3 else 80.0
    # Two on the ring sit left and right of each other (or of the focus); more start at the top.
    start = math.pi if count <= 2 else -math.pi / 2
    for _ in range(40):
        for index, company in enumerate(ring):
            angle = start + 2 * math.pi * index / count
            nodes[company.pk].x = WIDTH / 2 + rx * math.cos(angle)
            nodes[company.pk].y = ry * math.sin(angle)
        placed = list(nodes.values())
        crowded = any(a.overlaps(b, 8) for i, a in enumerate(placed) for b in placed[i + 1 :])
        if not crowded:
            break
        ry *= 1.12
    return nodes


def _point(p, c, q, t: float) -> tuple[float, float]:
    """The quadratic Bézier curve p–c–q at ``t``."""
    a, b, d = (1 - t) ** 2, 2 * (1 - t) * t, t * t
    return (a * p[0] + b * c[0] + d * q[0], a * p[1] + b * c[1] + d * q[1])


def _leave(node: _Node, p, c, q, *, from_start: bool) -> float:
    """The ``t`` at which the curve, seen from one end, leaves ``node``'s box (plus GAP)."""

    def at(s):
        return _point(p, c, q, s if from_start else 1 - s)

    if not node.contains(at(0.0), GAP) or node.contains(at(0.5), GAP):
        return 0.0 if from_start else 1.0
    inside, outside = 0.0, 0.5
    for _ in range(24):
        middle = (inside + outside) / 2
        inside, outside = (middle, outside) if node.contains(at(middle), GAP) else (inside, middle)
    return outside if from_start else 1 - outside


def _crosses(node: _Node, a: _Node, b: _Node) -> bool:
    """Whether the straight line between ``a`` and ``b`` passes through ``node``'s box (with a margin)."""
    return any(node.contains((a.x + (b.x - a.x) * s / 40, a.y + (b.y - a.y) * s / 40), 10) for s in range(41))


def _edges(relations: list[CompanyRelation], nodes: dict[int, _Node], focus: _Node | None) -> list[_Edge]:
    pairs: dict[tuple[int, int], list[CompanyRelation]] = {}
    for relation in relations:
        pairs.setdefault(tuple(sorted((relation.subject_id, relation.object_id))), []).append(relation)
    order = {pk: index for index, pk in enumerate(nodes)}  # nodes are sorted by name
    edges = []
    for pair in pairs.values():
        # One frame per pair, whichever way each relation points, so opposite directions get opposite sides.
        first, second = sorted((nodes[pair[0].subject_id], nodes[pair[0].object_id]), key=lambda n: order[n.company.pk])
        length = math.hypot(second.x - first.x, second.y - first.y) or 1.0
        normal = (-(second.y - first.y) / length, (second.x - first.x) / length)
        bend = 0.0
        if focus is not None and focus not in (first, second) and _crosses(focus, first, second):
            middle = ((first.x + second.x) / 2 - focus.x, (first.y + second.y) / 2 - focus.y)
            side = middle[0] * normal[0] + middle[1] * normal[1]
            if side < 0:
                normal, side = (-normal[0], -normal[1]), -side
            reach = abs(normal[0]) * focus.width / 2 + abs(normal[1]) * NODE_HEIGHT / 2
            bend = 2 * max(0.0, reach + LABEL_FONT + 14 - side)  # the curve's middle is half the bend out
        count = len(pair)
        for index, relation in enumerate(pair):
            subject, obj = nodes[relation.subject_id], nodes[relation.object_id]
            shift = (index - (count - 1) / 2) * PAIR_SPACING
            p = (subject.x + shift * normal[0], subject.y + shift * normal[1])
            q = (obj.x + shift * normal[0], obj.y + shift * normal[1])
            c = ((p[0] + q[0]) / 2 + bend * normal[0], (p[1] + q[1]) / 2 + bend * normal[1])
            t0 = _leave(subject, p, c, q, from_start=True)
            t1 = _leave(obj, p, c, q, from_start=False)
            start, end = _point(p, c, q, t0), _point(p, c, q, t1)
            # The control point of the part between t0 and t1 (the curve's blossom at t0, t1).
            control = tuple(
                (1 - t0) * (1 - t1) * p[i] + ((1 - t0) * t1 + t0 * (1 - t1)) * c[i] + t0 * t1 * q[i] for i in (0, 1)
            )
            if STYLES[relation.kind].directed:
                # The line stops where the arrowhead starts; the marker draws the last ARROW px.
                towards = control if bend else start
                span = math.hypot(end[0] - towards[0], end[1] - towards[1]) or 1.0
                step = min(ARROW, span / 2) / span
                end = (end[0] - (end[0] - towards[0]) * step, end[1] - (end[1] - towards[1]) * step)
            aside = (math.copysign(5, shift) * normal[0], math.copysign(5, shift) * normal[1]) if shift else (0, 0)
            edges.append(
                _Edge(
                    relation, start, control if bend else None, end, _edge_label(relation), (p, c, q), (t0, t1), aside
                )
            )
    _place_labels(edges, list(nodes.values()))
    return edges


# Where along its edge a label may go, best first: the middle, then further out.
_LABEL_SPOTS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)


def _label_box(edge: _Edge, spot: float) -> tuple[float, float, float, float]:
    t0, t1 = edge.visible
    x, y = _point(*edge.curve, t0 + (t1 - t0) * spot)
    half = text_width(edge.label, LABEL_FONT) / 2 + 3
    x, y = x + edge.aside[0], y + edge.aside[1]
    return (x - half, y - LABEL_FONT * 0.7, x + half, y + LABEL_FONT * 0.7)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _place_labels(edges: list[_Edge], nodes: list[_Node]) -> None:
    """Put each label at the first spot along its edge that covers no box and no label placed before it.

    Greedy and in a fixed order, so the same graph always gets the same picture; where no
    spot is free (a crowded graph), the one that covers least.
    """
    taken = [
        (n.x - n.width / 2 - 2, n.y - NODE_HEIGHT / 2 - 2, n.x + n.width / 2 + 2, n.y + NODE_HEIGHT / 2 + 2)
        for n in nodes
    ]
    for edge in edges:
        box, least = None, math.inf
        for spot in _LABEL_SPOTS:  # the first free spot wins: later ones need not be looked at
            candidate = _label_box(edge, spot)
            cost = sum(_overlap(candidate, other) for other in taken)
            if cost < least:
                box, least = candidate, cost
                if not cost:
                    break
        taken.append(box)
        edge.label_at = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


# ---------------------------------------------------------------------------
# Drawing


def _css(kind: str) -> str:
    return "relation-" + kind.replace("_", "-")


def _stroke(kind: str) -> dict:
    style = STYLES[kind]
    return {"stroke": style.colour, "stroke_width": style.width, "stroke_dasharray": style.dash, "fill": "none"}


def _marker(html_id: str, kind: str) -> str:
    """The id of the arrowhead for ``kind``; the page's diagrams each have their own (``html_id``)."""
    return f"{html_id}-arrow-{kind.replace('_', '-')}"


def _markers(html_id: str, kinds: list[str]) -> str:
    html_id = escape(html_id, quote=True)
    markers = "".join(
        f'<marker id="{_marker(html_id, kind)}" class="relation-arrow" viewBox="0 0 10 10" refX="0" refY="5"'
        f' markerWidth="{ARROW}" markerHeight="{ARROW}" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{STYLES[kind].colour}"/></marker>'
        for kind in kinds
        if STYLES[kind].directed
    )
    return f"<defs>{markers}</defs>"


def _legend(kinds: list[str]) -> list[tuple[str, float, int]]:
    """(kind, x, row) for each kind present, wrapped to the width."""
    placed, x, row = [], MARGIN, 0
    for kind in kinds:
        width = 30 + 6 + text_width(RelationKind(kind).label, LABEL_FONT) + 18
        if x + width > WIDTH - MARGIN and x > MARGIN:
            x, row = MARGIN, row + 1
        placed.append((kind, x, row))
        x += width
    return placed


MAX_DRAWN_COMPANIES = 16  # beyond that the boxes crowd a page column; the page lists every relation anyway


def _drawable(graph: RelationsGraph, focus: Company | None) -> tuple[RelationsGraph, int]:
    """The graph cut to the focus and its best-connected companies, and how many relations that leaves out."""
    if len(graph.companies) <= MAX_DRAWN_COMPANIES:
        return graph, 0
    degree = Counter(pk for relation in graph.relations for pk in (relation.subject_id, relation.object_id))
    keep = {focus.pk} if focus is not None else set()
    ranked = sorted((c for c in graph.companies if c.pk not in keep), key=lambda c: (-degree[c.pk], _name_key(c)))
    keep |= {company.pk for company in ranked[: MAX_DRAWN_COMPANIES - len(keep)]}
    relations = [r for r in graph.relations if r.subject_id in keep and r.object_id in keep]
    companies = [company for company in graph.companies if company.pk in keep]
    cut = RelationsGraph(companies=companies, relations=relations, company=graph.company)
    return cut, len(graph.relations) - len(relations)


def relations_diagram(graph: RelationsGraph, *, html_id: str, focus: Company | None = None) -> SafeString | None:
    """The graph as an inline SVG about 640 px wide; None when there is nothing to draw.

    ``html_id`` must be unique on the page (it names the title, the description and
    the arrowhead markers). ``focus`` goes in the centre when it is in the graph.
    """
    if not graph.relations:
        return None
    if focus is not None and not any(company.pk == focus.pk for company in graph.companies):
        focus = None
    graph, left_out = _drawable(graph, focus)
    nodes = _layout(graph.companies, focus)
    focus_node = nodes[focus.pk] if focus is not None else None
    edges = _edges(graph.relations, nodes, focus_node)
    kinds = sorted({relation.kind for relation in graph.relations}, key=KIND_ORDER.__getitem__)
    legend = _legend(kinds)

    # Everything was placed around y = 0; move it down so that the highest box or label clears the margin.
    tops = [node.y - NODE_HEIGHT / 2 for node in nodes.values()] + [e.label_at[1] - LABEL_FONT for e in edges]
    bottoms = [node.y + NODE_HEIGHT / 2 for node in nodes.values()] + [e.label_at[1] + LABEL_FONT for e in edges]
    dy = MARGIN - min(tops)
    legend_top = max(bottoms) + dy + 16
    height = legend_top + LEGEND_ROW * (max(row for _, _, row in legend) + 1) + MARGIN / 2

    title = f"Relations of {focus.name}" if focus is not None else "Company relations"
    description = " ".join(relation_sentence(relation) for relation in graph.relations)
    if left_out:
        description += f" {left_out} more relation{'s' if left_out > 1 else ''} of less connected companies not drawn."
    svg = Svg(
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        html_id=html_id,
        # Not role="img": that would hide the links to the companies from assistive technology.
        role="group",
        class_="relation-diagram",
    )
    svg.raw(_markers(html_id, kinds))

    svg.open("g", class_="relation-edges")
    for edge in edges:
        kind = edge.relation.kind
        (x1, y1), (x2, y2) = edge.start, edge.end
        attributes = {
            "class_": f"relation-edge {_css(kind)}",
            "data_subject": edge.relation.subject.slug,
            "data_object": edge.relation.object.slug,
            "marker_end": f"url(#{_marker(html_id, kind)})" if STYLES[kind].directed else None,
            **_stroke(kind),
        }
        if edge.control is None:
            svg.element("line", x1=x1, y1=y1 + dy, x2=x2, y2=y2 + dy, **attributes)
        else:
            cx, cy = edge.control
            path = f"M{x1:.1f},{y1 + dy:.1f} Q{cx:.1f},{cy + dy:.1f} {x2:.1f},{y2 + dy:.1f}"
            svg.element("path", d=path, **attributes)
    svg.close("g")

    svg.open("g", class_="relation-labels", font_size=LABEL_FONT, text_anchor="middle")
    for edge in edges:
        x, y = edge.label_at
        width = text_width(edge.label, LABEL_FONT) + 6
        svg.open("g", class_=f"relation-label-group {_css(edge.relation.kind)}")
        svg.element("title", relation_sentence(edge.relation))  # on hover: which way the relation reads
        # A white ground keeps a label readable where its own or another line runs through it.
        svg.element(
            "rect",
            x=x - width / 2,
            y=y + dy - LABEL_FONT * 0.7,
            width=width,
            height=LABEL_FONT * 1.4,
            rx=2,
            fill="#fff",
            fill_opacity=0.9,
            class_="relation-label-ground",
        )
        svg.text(x, y + dy + LABEL_FONT * 0.35, edge.label, class_="relation-label", fill="#222")
        svg.close("g")
    svg.close("g")

    svg.open("g", class_="relation-nodes", font_size=NODE_FONT, text_anchor="middle")
    for node in nodes.values():
        is_focus = node is focus_node
        clipped = node.label != node.company.name
        svg.link(
            node.company.get_absolute_url(),
            class_="relation-node-link",
            aria_current="page" if is_focus else None,
            aria_label=node.company.name if clipped else None,
        )
        if clipped:
            svg.element("title", node.company.name)
        svg.open(
            "g",
            class_="relation-node relation-node-focus" if is_focus else "relation-node",
            data_company=node.company.slug,
        )
        svg.element(
            "rect",
            x=node.x - node.width / 2,
            y=node.y + dy - NODE_HEIGHT / 2,
            width=node.width,
            height=NODE_HEIGHT,
            rx=4,
            fill="#f4f6f8" if is_focus else "#fff",
            stroke="#222" if is_focus else "#666",
            stroke_width=2 if is_focus else 1,
        )
        svg.text(
            node.x,
            node.y + dy + NODE_FONT * 0.35,
            node.label,
            fill="#111",
            font_weight="bold" if is_focus else None,
        )
        svg.close("g")
        svg.close("a")
    svg.close("g")

    svg.open("g", class_="relation-legend", font_size=LABEL_FONT)
    for kind, x, row in legend:
        y = legend_top + row * LEGEND_ROW + LEGEND_ROW / 2
        end = x + 30 - (ARROW if STYLES[kind].directed else 0)
        marker = f"url(#{_marker(html_id, kind)})" if STYLES[kind].directed else None
        svg.element(
            "line",
            x1=x,
            y1=y,
            x2=end,
            y2=y,
            class_=f"relation-legend-line {_css(kind)}",
            marker_end=marker,
            **_stroke(kind),
        )
        svg.text(x + 36, y + LABEL_FONT * 0.35, RelationKind(kind).label, class_="relation-legend-label", fill="#222")
    svg.close("g")
    return svg.markup()
