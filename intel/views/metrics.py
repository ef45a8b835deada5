"""The metrics page: every metric series (company · metric · unit) with its chart and table, filtered
by company and metric."""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from companies.models import Company
from intel.metrics import metric_series


class MetricFilterForm(forms.Form):
    """The page's GET filter: a company (by slug) and a metric, each chosen from those that have series."""

    company = forms.ChoiceField(required=False, error_messages={"invalid_choice": "There is no company “%(value)s”."})
    metric = forms.ChoiceField(required=False, error_messages={"invalid_choice": "No claim measures “%(value)s” yet."})

    def __init__(self, data, *, companies: list[Company], metrics: list[str]):
        super().__init__(data)
        self.fields["company"].choices = [("", "All companies"), *((c.slug, c.name) for c in companies)]
        self.fields["metric"].choices = [("", "All metrics"), *((metric, metric) for metric in metrics)]


def metrics(request):
    """Every series, or those of one company and/or one metric. A company without metrics is a valid
    choice (its page links here): it gets the "no metrics yet" state, not an error."""
    every = metric_series()
    companies = {series.subject.slug: series.subject for series in every}
    wanted = request.GET.get("company", "")
    if wanted and wanted not in companies and "\x00" not in wanted:
        if found := Company.objects.filter(slug=wanted[:200]).only("id", "name", "slug").first():
            companies[found.slug] = found
    form = MetricFilterForm(
        request.GET,
        companies=sorted(companies.values(), key=lambda company: (company.name.casefold(), company.pk)),
        metrics=sorted({series.metric for series in every}, key=str.casefold),
    )
    form.is_valid()  # the fields that are valid filter; the others show their error
    company = companies.get(form.cleaned_data.get("company") or "")
    metric = form.cleaned_data.get("metric") or ""
    shown = [
        series
        for series in every
        if (company is None or series.subject.pk == company.pk) and (not metric or series.metric == metric)
    ]
    context = {
        "form": form,
        "metric_series": shown,
        "company": company,
        "metric": metric,
        "filtered": bool(company or metric or form.errors),
        "conflict_count": sum(1 for series in shown if series.has_conflict),
        "empty_text": _empty_text(company, metric, filtered=bool(every)),
    }
    return render(request, "intel/metrics.html", context)


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
