"""The company-relations diagram: what it reads (the ego network) and the SVG it draws."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from companies.choices import RelationKind
from companies.diagram import ARROW, GAP, STYLES, relations_diagram, relations_graph
from companies.models import CompanyRelation
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def relate(subject, kind, obj, **fields):
    return CompanyRelation.objects.create(subject=subject, kind=kind, object=obj, **fields)


@pytest.fixture
def market():
    """The article's loop (Microsoft invests in OpenAI, which buys Microsoft's cloud; both buy Nvidia) and more."""
    names = ["AMD", "Microsoft", "Nvidia", "OpenAI", "TSMC", "ZT Systems", "Other Fab"]
    companies = {name: CompanyFactory(name=name, slug=name.lower().replace(" ", "-")) for name in names}
    c = companies
    relate(c["AMD"], RelationKind.ACQUIRED, c["ZT Systems"], started="2024")
    relate(c["AMD"], RelationKind.COMPETES_WITH, c["Nvidia"])
    relate(c["Microsoft"], RelationKind.INVESTED_IN, c["OpenAI"])
    relate(c["OpenAI"], RelationKind.CUSTOMER_OF, c["Microsoft"])
    relate(c["Microsoft"], RelationKind.CUSTOMER_OF, c["Nvidia"])
    relate(c["OpenAI"], RelationKind.CUSTOMER_OF, c["Nvidia"])
    relate(c["Nvidia"], RelationKind.CUSTOMER_OF, c["TSMC"], started="2009")
    relate(c["TSMC"], RelationKind.SUPPLIER_OF, c["Other Fab"])
    return companies


def draw(company, html_id="relations-diagram"):
    return relations_diagram(relations_graph(company=company), html_id=html_id, focus=company)


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def sentences(relations) -> set[str]:
    return {str(relation) for relation in relations}


def node_boxes(root) -> dict[str, tuple[float, float, float, float]]:
    """slug → (centre x, centre y, half width, half height) of each company's box."""
    boxes = {}
    for group in root.iter(f"{SVG}g"):
        if "data-company" in group.attrib:
            rect = group.find(f"{SVG}rect")
            x, y, w, h = (float(rect.get(name)) for name in ("x", "y", "width", "height"))
            boxes[group.get("data-company")] = (x + w / 2, y + h / 2, w / 2, h / 2)
    return boxes


def edges(root) -> list[dict]:
    """Each drawn relation: subject and object slugs, kind class, start, end, and a few points along it."""
    found = []
    for element in root.iter():
        if "relation-edge" not in element.get("class", "").split():
            continue
        if element.tag == f"{SVG}line":
            p = (float(element.get("x1")), float(element.get("y1")))
            q = (float(element.get("x2")), float(element.get("y2")))
            c = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        else:
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", element.get("d"))]
            p, c, q = (numbers[0], numbers[1]), (numbers[2], numbers[3]), (numbers[4], numbers[5])
        points = [
            tuple((1 - t) ** 2 * p[i] + 2 * (1 - t) * t * c[i] + t * t * q[i] for i in (0, 1))
            for t in (i / 20 for i in range(21))
        ]
        found.append(
            {
                "subject": element.get("data-subject"),
                "object": element.get("data-object"),
                "class": element.get("class"),
                "start": p,
                "end": q,
                "points": points,
                "marker": element.get("marker-end"),
                "dash": element.get("stroke-dasharray"),
            }
        )
    return found


def distance_to_box(point, box) -> float:
    """How far ``point`` is outside ``box`` (0 inside)."""
    cx, cy, hw, hh = box
    return math.hypot(max(abs(point[0] - cx) - hw, 0), max(abs(point[1] - cy) - hh, 0))


def texts(root) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


# ---------------------------------------------------------------------------
# The graph


def test_ego_network_adds_relations_between_neighbours_and_leaves_out_the_rest(market):
    graph = relations_graph(company=market["Nvidia"])

    assert sentences(graph.relations) == {
        "AMD competes with Nvidia",
        "Microsoft customer of Nvidia",
        "OpenAI customer of Nvidia",
        "Nvidia customer of TSMC",
        # Microsoft and OpenAI are both Nvidia's neighbours, so their loop is drawn too.
        "Microsoft invested in OpenAI",
        "OpenAI customer of Microsoft",
    }
    # AMD's acquisition and TSMC's customer are each one step further out: not Nvidia's network.
    assert [company.name for company in graph.companies] == ["AMD", "Microsoft", "Nvidia", "OpenAI", "TSMC"]


def test_without_a_company_the_graph_has_every_relation(market):
    graph = relations_graph()

    assert len(graph.relations) == CompanyRelation.objects.count() == 8
    assert len(graph.companies) == 7


def test_a_company_without_relations_has_no_diagram(market):
    lonely = CompanyFactory(name="Lonely Labs")

    graph = relations_graph(company=lonely)

    assert not graph
    assert graph.relations == [] and graph.companies == []
    assert relations_diagram(graph, html_id="relations-diagram", focus=lonely) is None


@pytest.mark.parametrize("count", [2, 20])
def test_reading_and_drawing_take_one_query_however_many_relations(count, django_assert_max_num_queries):
    focus = CompanyFactory()
    neighbours = CompanyFactory.create_batch(count)
    kinds = list(RelationKind)
    for index, neighbour in enumerate(neighbours[: count // 2 + 1]):
        relate(focus, kinds[index % len(kinds)], neighbour)
    for first, second in zip(neighbours, neighbours[1 : count // 2], strict=False):
        relate(first, RelationKind.SUPPLIER_OF, second)  # relations between neighbours

    with django_assert_max_num_queries(1):
        graph = relations_graph(company=focus)
        markup = relations_diagram(graph, html_id="relations-diagram", focus=focus)

    assert len(graph.relations) == count
    assert len(edges(parse(markup))) == count


# ---------------------------------------------------------------------------
# The drawing


def test_the_svg_names_every_company_and_relation_and_reads_them_out_in_its_description(market):
    root = parse(draw(market["Nvidia"], html_id="nvidia-relations"))

    assert root.get("id") == "nvidia-relations"
    assert root.get("aria-labelledby") == "nvidia-relations-title nvidia-relations-desc"
    assert root.find(f"{SVG}title").text == "Relations of Nvidia"
    description = root.find(f"{SVG}desc").text
    for sentence in [
        "Microsoft invested in OpenAI.",
        "OpenAI is a customer of Microsoft.",
        "Microsoft is a customer of Nvidia.",
        "Nvidia is a customer of TSMC since 2009.",
        "AMD competes with Nvidia.",
    ]:
        assert sentence in description
    labels = texts(root)
    for name in ["AMD", "Microsoft", "Nvidia", "OpenAI", "TSMC"]:
        assert name in labels
    assert "customer of 2009" in labels and "invested in" in labels and "competes with" in labels
    assert "ZT Systems" not in labels


def test_nodes_link_to_the_company_pages_and_the_focus_is_marked(market):
    root = parse(draw(market["Microsoft"]))

    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    assert set(links) == {market[name].get_absolute_url() for name in ["Microsoft", "Nvidia", "OpenAI"]}
    assert links[market["Microsoft"].get_absolute_url()].get("aria-current") == "page"
    assert links[market["OpenAI"].get_absolute_url()].get("aria-current") is None


def test_the_acquisition_reads_with_its_year(market):
    root = parse(draw(market["ZT Systems"]))

    assert "AMD acquired ZT Systems in 2024." in root.find(f"{SVG}desc").text
    assert "acquired 2024" in texts(root)


def test_each_edge_runs_from_the_subjects_box_to_the_objects_box(market):
    root = parse(draw(market["Nvidia"]))
    boxes = node_boxes(root)

    drawn = edges(root)
    assert {(edge["subject"], edge["object"]) for edge in drawn} == {
        ("amd", "nvidia"),
        ("microsoft", "nvidia"),
        ("openai", "nvidia"),
        ("nvidia", "tsmc"),
        ("microsoft", "openai"),
        ("openai", "microsoft"),
    }
    for edge in drawn:
        subject, obj = boxes[edge["subject"]], boxes[edge["object"]]
        start, end = edge["start"], edge["end"]
        # It starts just outside the subject's box and stops just outside the object's, leaving room
        # for the arrowhead that the marker draws on to the object's border.
        assert 0 < distance_to_box(start, subject) <= GAP + 1
        assert 0 < distance_to_box(end, obj) <= GAP + ARROW + 1
        assert distance_to_box(start, obj) > distance_to_box(end, obj)
        assert distance_to_box(end, subject) > distance_to_box(start, subject)


def test_directed_kinds_have_arrowheads_and_each_kind_its_own_dash_pattern(market):
    root = parse(draw(None))
    markers = {marker.get("id") for marker in root.iter(f"{SVG}marker")}

    for edge in edges(root):
        kind = next(kind for kind in RelationKind if f"relation-{kind.replace('_', '-')}" in edge["class"])
        if STYLES[kind].directed:
            marker = f"relations-diagram-arrow-{kind.replace('_', '-')}"
            assert edge["marker"] == f"url(#{marker})"
            assert marker in markers
        else:
            assert edge["marker"] is None  # "competes with" reads the same both ways
    assert len({style.dash for style in STYLES.values()}) == len(STYLES)
    legend = root.find(f"{SVG}g[@class='relation-legend']")
    assert ["".join(text.itertext()) for text in legend.iter(f"{SVG}text")] == [
        "acquired",
        "invested in",
        "customer of",
        "supplier of",
        "competes with",
    ]


def test_two_relations_between_the_same_pair_in_opposite_directions_are_drawn_apart(market):
    root = parse(draw(market["Microsoft"]))
    drawn = {(edge["subject"], edge["object"]): edge for edge in edges(root)}
    invests, buys = drawn["microsoft", "openai"], drawn["openai", "microsoft"]

    (x1, y1), (x2, y2) = buys["start"], buys["end"]
    length = math.hypot(x2 - x1, y2 - y1)
    for point in invests["points"]:
        # Every point of one line is well away from the other line.
        assert abs((x2 - x1) * (y1 - point[1]) - (x1 - point[0]) * (y2 - y1)) / length >= 10
    # And their labels do not sit on top of each other.
    labels = {
        text.text: (float(text.get("x")), float(text.get("y")))
        for text in root.iter(f"{SVG}text")
        if "relation-label" in text.get("class", "")
    }
    assert math.dist(labels["invested in"], labels["customer of"]) > 12


def test_an_edge_between_two_neighbours_bends_around_the_company_in_the_centre():
    focus = CompanyFactory(name="Centre")
    ring = [CompanyFactory(name=name) for name in ["Alpha", "Bravo", "Charlie", "Delta"]]
    for neighbour in ring:
        relate(focus, RelationKind.PARTNERS_WITH, neighbour)
    # Four on the ring sit top, right, bottom, left: Alpha and Charlie face each other across the centre.
    relate(ring[0], RelationKind.SUPPLIER_OF, ring[2])

    root = parse(draw(focus))
    centre = node_boxes(root)[focus.slug]
    (across,) = [edge for edge in edges(root) if edge["subject"] == ring[0].slug]

    assert all(distance_to_box(point, centre) > 0 for point in across["points"])


def test_names_with_markup_and_quotes_are_escaped(market):
    evil = CompanyFactory(name='<script>alert("x")</script> & "Sons"', slug="evil")
    relate(evil, RelationKind.SUPPLIER_OF, market["Nvidia"])

    markup = str(draw(evil))
    root = parse(markup)

    assert "<script" not in markup
    assert not any(element.tag.endswith("script") for element in root.iter())
    assert '<script>alert("x")</script> & "Sons" is a supplier of Nvidia.' in root.find(f"{SVG}desc").text
    # The long name is cut to fit its box; the link still carries it whole.
    link = next(a for a in root.iter(f"{SVG}a") if a.get("href") == evil.get_absolute_url())
    assert link.get("aria-label") == evil.name
    assert link.find(f"{SVG}title").text == evil.name


def test_the_same_graph_always_draws_the_same_picture(market):
    assert str(draw(market["Nvidia"])) == str(draw(market["Nvidia"]))


def test_a_company_with_two_hundred_customers_draws_its_best_connected_sixteen_and_says_what_it_left_out():
    nvidia = CompanyFactory(name="Nvidia", slug="nvidia")
    customers = [CompanyFactory(name=f"Customer {number:03d}", slug=f"customer-{number:03d}") for number in range(200)]
    for customer in customers:
        relate(customer, RelationKind.CUSTOMER_OF, nvidia)
    relate(customers[150], RelationKind.INVESTED_IN, customers[151])  # the best connected after Nvidia

    root = ET.fromstring(draw(nvidia))

    drawn = set(node_boxes(root))
    assert {"nvidia", "customer-150", "customer-151"} <= drawn
    assert len(drawn) == 16
    assert float(root.get("height")) < 1200  # a page column, not 18,000 px
    assert "185 more relations of less connected companies not drawn." in root.findtext(f"{SVG}desc")
