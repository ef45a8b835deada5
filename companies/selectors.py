"""Reads for company pages; each in a fixed number of queries."""

from django.db.models import F

from companies.diagram import relations_diagram, relations_graph
from companies.models import Company
from products.fragments import product_items
from products.selectors import roadmap

# A company page draws the milestones with targets nearest today; the roadmap page has them all.
ROADMAP_SHOWN = 40


def company_page(*, company: Company) -> dict:
    """What a company page shows besides its claims: products, architectures, roadmap, relations (listed, and
    drawn with those among its neighbours, from one query), people."""
    graph = relations_graph(company=company)
    own = [relation for relation in graph.relations if company.pk in (relation.subject_id, relation.object_id)]
    return {
        "architectures": list(company.architectures.order_by(F("introduced_date").asc(nulls_last=True), "name")),
        "product_items": product_items(
            company.products.order_by("name", "pk").values_list("slug", "name", "kind", "status", "architecture__name")
        ),
        "roadmap": roadmap(company.milestones.all(), title=f"{company.name} roadmap", nearest=ROADMAP_SHOWN),
        "relations": sorted(own, key=lambda relation: (relation.kind, relation.subject.name, relation.object.name)),
        "relations_diagram": relations_diagram(graph, html_id="relations-diagram", focus=company),
        "people": list(company.people.order_by("name")),
    }
