"""Company pages: what the wiki knows about one vendor, lab, cloud or investor, and its battlecard."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from companies import selectors
from companies.battlecard import battlecard, battlecard_markdown
from companies.models import Company
from intel.pages import PAGE_KINDS
from intel.views.pages import get_page, page_context, page_missing

COMPANY = PAGE_KINDS["company"]


def company_detail(request, slug: str):
    try:
        company = get_page(COMPANY, slug)
    except Http404:
        return page_missing(request, COMPANY, slug)
    context = page_context(
        request, COMPANY, company, claims=company.claims.all(), claims_query={"company": company.slug}
    )
    context.update(selectors.company_page(company=company))
    return render(request, "companies/company_detail.html", context)


def _cards(request, slug: str):
    """The company's card, and the one picked to compare it with (``?compare=<slug>``), or an error in words."""
    company = get_page(COMPANY, slug)
    compare_key = request.GET.get("compare", "").strip()
    compare, error = None, ""
    if compare_key:
        # A NUL byte cannot be in a slug (and PostgreSQL refuses it in a query): no such company.
        wanted = compare_key[:200].lower()
        compare = Company.objects.filter(slug=wanted).first() if "\x00" not in wanted else None
        if compare is None:
            shown = compare_key[:60].replace("\x00", "\ufffd")
            error = f"There is no company “{shown}” to compare with; pick one from the list."
        elif compare == company:
            compare, error = None, "Pick another company to compare with."
    card = battlecard(company=company, html_id="card")
    other = battlecard(company=compare, html_id="compare") if compare else None
    return company, card, other, error


def company_battlecard(request, slug: str):
    """One company on one printable page, optionally beside another (``?compare=amd``)."""
    company, card, other, error = _cards(request, slug)
    context = {
        "company": company,
        "card": card,
        "other": other,
        "compare_error": error,
        "compare_choices": Company.objects.exclude(pk=company.pk).order_by("-tracked", "name").only("slug", "name"),
        "compare_key": other.company.slug if other else "",
    }
    return render(request, "companies/battlecard.html", context, status=400 if error else 200)


def company_battlecard_markdown(request, slug: str):
    """The battlecard (and the compared one) as a Markdown file to paste into notes or a deck."""
    company, card, other, error = _cards(request, slug)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    text = battlecard_markdown(card, compare=other, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    name = f"battlecard-{company.slug}" + (f"-vs-{other.company.slug}" if other else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    return response
