"""Browser views of the evidence app: thin, they call selectors and services.

The views every page kind shares (edit, history, diff…) are in
:mod:`intel.views.pages`; recent changes and feeds in :mod:`intel.views.changes`.
"""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render

from intel import selectors
from intel.choices import ClaimStatus, Reliability
from intel.models import Claim, Person, Source
from intel.moderation import moderator_choices
from intel.pages import PAGE_KINDS
from intel.roles import can_moderate
from intel.views.pages import get_page, page_context, page_missing
from intel.workflow import support_of

CLAIM, SOURCE, PERSON = PAGE_KINDS["claim"], PAGE_KINDS["source"], PAGE_KINDS["person"]


def home(request):
    return render(request, "intel/home.html", selectors.home_page())


def claim_detail(request, pk: int):
    queryset = Claim.objects.prefetch_related("companies", "products", "milestones")
    try:
        claim = get_page(CLAIM, pk, queryset=queryset)
    except Http404:
        return page_missing(request, CLAIM, pk)
    claims = selectors.claims_with_citations(Claim.objects.filter(pk=claim.pk))
    context = page_context(request, CLAIM, claim, claims=claims)
    context["footnote_numbers"] = [number for number, _ in context["footnotes"]]
    context["relations_out"] = claim.relations_out.select_related("to_claim")
    context["relations_in"] = claim.relations_in.select_related("from_claim")
    context["support"] = support_of(citation for _, citation in context["footnotes"])
    context["statuses"] = ClaimStatus.choices
    context["can_moderate"] = can_moderate(request.user)
    return render(request, "intel/claim_detail.html", context)


def source_detail(request, pk: int):
    queryset = Source.objects.select_related("moderated_by", "submitted_by", "snapshot").defer(
        "snapshot__text", "snapshot__original"
    )
    try:
        source = get_page(SOURCE, pk, queryset=queryset)
    except Http404:
        return page_missing(request, SOURCE, pk)
    claims = selectors.claims_with_citations(Claim.objects.filter(citations__source=source).distinct())
    context = page_context(request, SOURCE, source, claims=claims)
    context["decisions"] = source.decisions.select_related("moderator")
    context["reliabilities"] = Reliability.choices
    if can_moderate(request.user):
        context["moderation_actions"] = moderator_choices(source.moderation_state)
    return render(request, "intel/source_detail.html", context)


def person_detail(request, slug: str):
    try:
        person = get_page(PERSON, slug, queryset=Person.objects.select_related("affiliation"))
    except Http404:
        return page_missing(request, PERSON, slug)
    claims = selectors.claims_with_citations(Claim.objects.filter(citations__speaker=person).distinct())
    context = page_context(request, PERSON, person, claims=claims)
    context["citation_count"] = person.citations.aggregate(n=Count("id"))["n"]
    return render(request, "intel/person_detail.html", context)


@login_not_required
def healthz(request):
    """Process is up (for load balancers); says nothing about the database."""
    return HttpResponse("ok", content_type="text/plain")
