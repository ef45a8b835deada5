"""Architecture, product and milestone pages, and the roadmap across companies."""

from django.http import Http404
from django.shortcuts import render

from intel.models import Claim
from intel.pages import PAGE_KINDS
from intel.views.pages import get_page, page_context, page_missing
from products.filtersets import MilestoneFilterSet
from products.models import Architecture, Milestone, Product
from products.roadmap import milestone_history
from products.selectors import roadmap

ARCHITECTURE, PRODUCT, MILESTONE = PAGE_KINDS["architecture"], PAGE_KINDS["product"], PAGE_KINDS["milestone"]


def architecture_detail(request, slug: str):
    try:
        architecture = get_page(ARCHITECTURE, slug, queryset=Architecture.objects.select_related("vendor"))
    except Http404:
        return page_missing(request, ARCHITECTURE, slug)
    claims = Claim.objects.filter(products__architecture=architecture).distinct()
    context = page_context(request, ARCHITECTURE, architecture, claims=claims, claims_query={"architecture": slug})
    context["products"] = list(architecture.products.order_by("name"))
    context["roadmap"] = roadmap(
        Milestone.objects.filter(product__architecture=architecture), title=f"{architecture.name} roadmap"
    )
    return render(request, "products/architecture_detail.html", context)


def product_detail(request, slug: str):
    queryset = Product.objects.select_related("vendor", "architecture", "predecessor")
    try:
        product = get_page(PRODUCT, slug, queryset=queryset)
    except Http404:
        return page_missing(request, PRODUCT, slug)
    context = page_context(request, PRODUCT, product, claims=product.claims.all(), claims_query={"product": slug})
    context["roadmap"] = roadmap(product.milestones.all(), title=f"{product.name} roadmap")
    context["successors"] = list(product.successors.order_by("name"))
    return render(request, "products/product_detail.html", context)


def milestone_detail(request, pk: int):
    try:
        milestone = get_page(MILESTONE, pk, queryset=Milestone.objects.select_related("company", "product"))
    except Http404:
        return page_missing(request, MILESTONE, pk)
    claims, query = milestone.claims.all(), {"milestone": milestone.pk}
    context = page_context(request, MILESTONE, milestone, claims=claims, claims_query=query)
    context["history"] = milestone_history(milestone)
    return render(request, "products/milestone_detail.html", context)


def roadmap_page(request):
    """/roadmap/: every company's milestones on one timeline, with the slips table; filtered by the query string."""
    filterset = MilestoneFilterSet(request.GET, queryset=Milestone.objects.all())
    queryset = filterset.qs if filterset.is_valid() else Milestone.objects.none()
    context = {
        "filterset": filterset,
        "roadmap": roadmap(queryset, title="Roadmap across companies", show_company=True),
        "filtered": bool(request.GET),
        # The form shows these; the others (kind, status, dates…) work in the query string, as in the API.
        "shown_filters": ("company", "architecture", "product", "slipped"),
    }
    return render(request, "products/roadmap.html", context, status=200 if filterset.is_valid() else 400)
