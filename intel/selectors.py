"""Reads of the evidence app. Selectors own select_related/prefetch_related, so a
page's query count does not grow with its size."""

from django.db.models import Count, Prefetch, QuerySet

from companies.models import Company
from intel.models import Citation, Claim, Source


def claim_list_latest(*, limit: int = 10) -> QuerySet[Claim]:
    """The newest claims with what a list row shows: subjects and citation counts."""
    return (
        Claim.objects.order_by("-created", "-id")
        .annotate(citation_count=Count("citations", distinct=True))
        .prefetch_related("companies")[:limit]
    )


def source_list_latest(*, limit: int = 10) -> QuerySet[Source]:
    return Source.objects.order_by("-created", "-id").annotate(citation_count=Count("citations"))[:limit]


def company_list_tracked() -> QuerySet[Company]:
    return Company.objects.filter(tracked=True).annotate(claim_count=Count("claims", distinct=True)).order_by("name")


def home_page() -> dict:
    """Everything the home page shows."""
    return {
        "tracked_companies": company_list_tracked(),
        "latest_claims": claim_list_latest(),
        "latest_sources": source_list_latest(),
    }


def claim_detail(*, pk: int) -> Claim:
    citations = Citation.objects.select_related("source", "speaker").order_by("id")
    return Claim.objects.prefetch_related(
        Prefetch("citations", queryset=citations), "companies", "products", "milestones"
    ).get(pk=pk)
