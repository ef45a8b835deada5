"""Filters of the companies app's lists."""

import django_filters
from django.db.models import Q

from companies.choices import CompanyKind, RelationKind
from companies.models import Company, CompanyRelation
from intel.filtering import ApiFilterSet, PageRefFilter


class CompanyFilterSet(ApiFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CompanyKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact", label="ISO 3166-1 alpha-2 code, e.g. US.")
    slug = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Company
        fields = ["kind", "country", "tracked", "slug"]


class CompanyRelationFilterSet(ApiFilterSet):
    company = PageRefFilter(
        field_name="company", model=Company, method="filter_company", label="Either side: company slugs or ids."
    )
    subject = PageRefFilter(field_name="subject", model=Company, distinct=False)
    object = PageRefFilter(field_name="object", model=Company, distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=RelationKind.choices)

    class Meta:
        model = CompanyRelation
        fields = ["kind"]

    def filter_company(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(subject__in=value) | Q(object__in=value))
