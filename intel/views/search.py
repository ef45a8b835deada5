"""The search box on every page, the "new page" chooser, and the lookups behind search-as-you-type.

Simple case-insensitive matching on names, titles and statements; a later issue
replaces it with ranked full-text search.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render

from intel.pages import PAGE_KINDS, parse_id
from intel.roles import can_edit

MAX_QUERY = 200
# The fields each kind is matched on, name first.
SEARCH_FIELDS = {
    "company": ("name", "slug"),
    "architecture": ("name", "slug"),
    "product": ("name", "slug"),
    "milestone": ("title",),
    "source": ("title", "title_en", "publisher"),
    "person": ("name", "slug", "role"),
    "claim": ("statement",),
}


def search_pages(kind_key: str, query: str, *, limit: int):
    kind = PAGE_KINDS[kind_key]
    condition = Q()
    for name in SEARCH_FIELDS[kind_key]:
        condition |= Q(**{f"{name}__icontains": query})
    if parse_id(query) is not None and kind.lookup == "pk":
        condition |= Q(pk=parse_id(query))
    return list(kind.model.objects.filter(condition).order_by(kind.title_field)[:limit])


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    selected = request.GET.get("kind", "")
    groups = []
    if query:
        for kind_key, kind in PAGE_KINDS.items():
            if selected and selected != kind_key:
                continue
            pages = search_pages(kind_key, query, limit=50 if selected else 10)
            if pages:
                groups.append({"kind": kind, "pages": pages})
    context = {"query": query, "groups": groups, "kinds": PAGE_KINDS.values(), "selected_kind": selected}
    return render(request, "wiki/search.html", context)


def lookup(request, kind: str):
    """JSON for search-as-you-type: [{"id", "label"}], at most 20."""
    if kind not in PAGE_KINDS:
        raise Http404("No such kind of page.")
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    pages = search_pages(kind, query, limit=20) if query else []
    return JsonResponse({"results": [{"id": page.pk, "label": str(page)} for page in pages]})


def page_new(request):
    """Which kind of page to create, e.g. from a wiki link to a page that does not exist yet."""
    title = request.GET.get("title", "").strip()[:MAX_QUERY]
    context = {"title": title, "kinds": PAGE_KINDS.values(), "can_edit": can_edit(request.user)}
    return render(request, "wiki/page_new.html", context)
