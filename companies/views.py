"""Company pages: what the wiki knows about one vendor, lab, cloud or investor."""

from django.http import Http404
from django.shortcuts import render

from companies import selectors
from intel.pages import PAGE_KINDS
from intel.selectors import claims_with_citations
from intel.views.pages import get_page, page_context, page_missing

COMPANY = PAGE_KINDS["company"]


def company_detail(request, slug: str):
    try:
        company = get_page(COMPANY, slug)
    except Http404:
        return page_missing(request, COMPANY, slug)
    context = page_context(request, COMPANY, company, claims=claims_with_citations(company.claims.all()))
    context.update(selectors.company_page(company=company))
    return render(request, "companies/company_detail.html", context)
