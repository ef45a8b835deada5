"""The metrics page: every metric series (company · metric · unit) with its chart and table, filtered
by company and metric."""

from __future__ import annotations

from django.shortcuts import render

from companies.models import Company
from intel.forms import MetricFilterForm
from intel.metrics import METRIC_CLAIMS_COUNTED, metric_claims, metric_series, subject_company_ids
from intel.selectors import count_up_to

NEWEST_CLAIMS = 500  # the metric claims a page of series is drawn from, the newest; it says how many there are


def metrics(request):
    """Every series, or those of one company and/or one metric, drawn from the newest NEWEST_CLAIMS metric
    claims that match (the page says when there are more). A company without metrics is a valid choice
    (its page links here): it gets the "no metrics yet" state, not an error."""
    # Every metric named by a claim: the metric choices, and whether there is any metric claim at all.
    metric_names = sorted(set(metric_claims().order_by().values_list("metric", flat=True).distinct()), key=str.casefold)
    companies = {
        company.slug: company for company in Company.objects.filter(pk__in=subject_company_ids()).only("name", "slug")
    }
    wanted = request.GET.get("company", "")
    if wanted and wanted not in companies and "\x00" not in wanted:
        if found := Company.objects.filter(slug=wanted[:200]).only("id", "name", "slug").first():
            companies[found.slug] = found
    form = MetricFilterForm(
        request.GET,
        companies=sorted(companies.values(), key=lambda company: (company.name.casefold(), company.pk)),
        metrics=metric_names,
    )
    form.is_valid()  # the fields that are valid filter; the others show their error
    company = companies.get(form.cleaned_data.get("company") or "")
    metric = form.cleaned_data.get("metric") or ""
    shown = [
        series
        for series in metric_series(company=company, metric=metric, newest=NEWEST_CLAIMS)
        if not metric or series.metric == metric
    ]
    read = count_up_to(metric_claims(company=company, metric=metric), METRIC_CLAIMS_COUNTED)
    context = {
        "form": form,
        "metric_series": shown,
        "company": company,
        "metric": metric,
        "filtered": bool(company or metric or form.errors),
        "conflict_count": sum(1 for series in shown if series.has_conflict),
        "claims_total": read,
        "claims_read": min(read, NEWEST_CLAIMS),
        "empty_text": _empty_text(company, metric, filtered=bool(metric_names)),
    }
    # A bad filter is a 400, as on the roadmap and the battlecard; the page still shows what the valid filters select.
    return render(request, "intel/metrics.html", context, status=400 if form.errors else 200)


def _empty_text(company: Company | None, metric: str, *, filtered: bool) -> str:
    if not filtered:
        return (
            "No metrics yet. A metric is a claim of kind “metric” with a value, a unit and a period "
            "(revenue: 130.5 bn USD in 2024); add one to a company's page and it is charted here."
        )
    if company and metric:
        return f"No {metric} values for {company.name} yet."
    if company:
        return f"No metrics for {company.name} yet."
    if metric:
        return f"No {metric} values yet."
    return "No metrics match."
