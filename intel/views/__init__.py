"""Browser views of the evidence app: thin, they call selectors and services.

The views every page kind shares (edit, history, diff…) are in
:mod:`intel.views.pages`; recent changes and feeds in :mod:`intel.views.changes`.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from intel import selectors
from intel.choices import ClaimStatus, Reliability
from intel.filtersets import ClaimFilterSet
from intel.models import Claim, Person, Source
from intel.moderation import moderator_choices
from intel.pages import PAGE_KINDS, parse_id
from intel.roles import can_moderate
from intel.views.health import healthz, readyz  # noqa: F401 - routed in intel.urls
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
    context = page_context(request, CLAIM, claim, claims=Claim.objects.filter(pk=claim.pk))
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
    claims = Claim.objects.filter(citations__source=source).distinct()
    context = page_context(request, SOURCE, source, claims=claims, claims_query={"source": source.pk})
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
    claims = Claim.objects.filter(citations__speaker=person).distinct()
    context = page_context(request, PERSON, person, claims=claims, claims_query={"speaker": person.slug})
    context["citation_count"] = person.citations.aggregate(n=Count("id"))["n"]
    return render(request, "intel/person_detail.html", context)


CLAIMS_PER_PAGE = 50


def claim_list(request):
    """/claims/: every claim, newest first, filtered as the API's list is (?company=nvidia&kind=fact).

    Pages go back by id (``?before=``), never by counting: the list costs the same at the
    millionth claim as at the first.
    """
    query = request.GET.copy()
    before_text = query.pop("before", [""])[-1]
    before = parse_id(before_text) if before_text else None
    filterset = ClaimFilterSet(query, queryset=Claim.objects.all())
    errors = [] if before_text == "" or before is not None else [f"“{before_text[:20]}” is not a claim number."]
    if not filterset.is_valid():
        for name, messages in filterset.errors.items():
            errors += [f"{name.replace('_', ' ').capitalize()}: {message}" for message in messages]
    context = {"errors": errors, "entries": [], "footnotes": [], "before": before}
    if errors:
        return render(request, "intel/claim_list.html", context, status=400)
    queryset = filterset.qs.order_by("-id")
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    ids = list(queryset.values_list("pk", flat=True)[: CLAIMS_PER_PAGE + 1])
    claims = selectors.claims_with_citations(Claim.objects.filter(pk__in=ids[:CLAIMS_PER_PAGE])).order_by("-id")
    context["entries"], context["footnotes"] = selectors.claim_entries(claims)
    context["described"] = selectors.describe_filters(filterset)
    if len(ids) > CLAIMS_PER_PAGE:
        context["next_query"] = urlencode([*query.lists(), ("before", [ids[CLAIMS_PER_PAGE - 1]])], doseq=True)
    context["first_query"] = query.urlencode()
    return render(request, "intel/claim_list.html", context)
