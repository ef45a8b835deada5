"""The "new page" chooser and the lookups behind search-as-you-type (the search itself is the search app)."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render

from intel.pages import PAGE_KINDS, parse_id
from intel.roles import can_edit
from search.selectors import pages_matching
from search.text import MAX_QUERY_CHARS


def search_pages(kind_key: str, query: str, *, limit: int) -> list:
    """Pages of one kind for a lookup: the page with that id first (for kinds found by id), then the index's best."""
    kind = PAGE_KINDS[kind_key]
    by_id = []
    if kind.lookup == "pk" and parse_id(query) is not None:
        by_id = list(kind.model.objects.filter(pk=parse_id(query)))
    found = pages_matching(text=query, kind=kind_key, limit=limit)
    return (by_id + [page for page in found if page not in by_id])[:limit]


def lookup(request, kind: str):
    """JSON for search-as-you-type: [{"id", "label"}], at most 20."""
    if kind not in PAGE_KINDS:
        raise Http404("No such kind of page.")
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    pages = search_pages(kind, query, limit=20) if query else []
    return JsonResponse({"results": [{"id": page.pk, "label": str(page)} for page in pages]})


def page_new(request):
    """Which kind of page to create, e.g. from a wiki link to a page that does not exist yet."""
    title = request.GET.get("title", "").strip()[:MAX_QUERY_CHARS]
    context = {"title": title, "kinds": PAGE_KINDS.values(), "can_edit": can_edit(request.user)}
    return render(request, "wiki/page_new.html", context)
