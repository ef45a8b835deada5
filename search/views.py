"""The results page: every kind of page, grouped and ranked, with filters by kind."""

from __future__ import annotations

from django.shortcuts import render

from intel.pages import PAGE_KINDS
from search.backends import CANDIDATES_PER_KIND
from search.selectors import QueryError, search

# Results of each kind on the all-kinds page, and on a page of one kind.
PER_KIND = 5
PER_PAGE = 20
MAX_PAGE = CANDIDATES_PER_KIND // PER_PAGE  # results stop at the best 200 of a kind


def search_page(request):
    """/search/?q=&kind=&page=: every kind's best results, or one kind's a page at a time; 400 for bad input."""
    text = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    context = {"query": text.strip(), "kinds": PAGE_KINDS.values(), "selected_kind": kind, "results": None}
    errors = []
    if kind and kind not in PAGE_KINDS:
        errors.append(f"There is no kind of page called “{kind[:40]}”: choose one from the list.")
    page_number = request.GET.get("page", "1")
    if not (page_number.isascii() and page_number.isdigit()) or not 1 <= int(page_number) <= MAX_PAGE:
        errors.append(f"Page numbers go from 1 to {MAX_PAGE}.")
        page_number = "1"
    page_number = int(page_number)
    if not errors and text.strip():
        try:
            context["results"] = search(
                text=text,
                kinds=[kind] if kind else None,
                limit=PER_PAGE if kind else PER_KIND,
                offset=(page_number - 1) * PER_PAGE if kind else 0,
            )
        except QueryError as error:
            errors.append(str(error))
    context |= {"errors": errors, "page_number": page_number, "per_page": PER_PAGE}
    if context["results"] and kind:
        group = next(iter(context["results"].groups), None)
        context["has_next"] = bool(group) and group.total > page_number * PER_PAGE and page_number < MAX_PAGE
    return render(request, "search/search.html", context, status=400 if errors else 200)
