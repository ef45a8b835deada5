"""Reads for company pages; each in a fixed number of queries."""

from django.db.models import F

from companies.models import Company, CompanyRelation
from products.selectors import roadmap


def company_page(*, company: Company) -> dict:
    """What a company page shows besides its claims: products, architectures, roadmap, relations, people."""
    relations = CompanyRelation.objects.select_related("subject", "object").filter(subject=company) | (
        CompanyRelation.objects.select_related("subject", "object").filter(object=company)
    )
    return {
        "architectures": list(company.architectures.order_by(F("introduced_date").asc(nulls_last=True), "name")),
        "products": list(company.products.select_related("architecture").order_by("name")),
        "roadmap": roadmap(company.milestones.all(), title=f"{company.name} roadmap"),
        "relations": list(relations.order_by("kind", "subject__name", "object__name")),
        "people": list(company.people.order_by("name")),
    }
