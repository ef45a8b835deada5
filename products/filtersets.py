"""Filters of the products app's lists: architectures, products, milestones."""

import django_filters

from companies.models import Company
from intel.filtering import ApiFilterSet, BooleanFilter, DateFilter, PageRefFilter
from products.choices import LifecycleStatus, MilestoneKind, MilestoneStatus, ProductKind
from products.models import Architecture, Milestone, Product
from products.roadmap import slipped_filter


class ArchitectureFilterSet(ApiFilterSet):
    company = PageRefFilter(field_name="vendor", model=Company, distinct=False, label="Vendor: slugs or ids.")
    slug = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Architecture
        fields = ["slug"]


class ProductFilterSet(ApiFilterSet):
    company = PageRefFilter(field_name="vendor", model=Company, distinct=False, label="Vendor: slugs or ids.")
    architecture = PageRefFilter(field_name="architecture", model=Architecture, distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=ProductKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=LifecycleStatus.choices)
    slug = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Product
        fields = ["kind", "status", "slug"]


class MilestoneFilterSet(ApiFilterSet):
    company = PageRefFilter(field_name="company", model=Company, distinct=False, label="Company slugs or ids.")
    product = PageRefFilter(field_name="product", model=Product, distinct=False, label="Product slugs or ids.")
    architecture = PageRefFilter(
        field_name="product__architecture", model=Architecture, distinct=False, label="Architecture slugs or ids."
    )
    kind = django_filters.MultipleChoiceFilter(choices=MilestoneKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=MilestoneStatus.choices)
    target_after = DateFilter(field_name="target_date", lookup_expr="gte")
    target_before = DateFilter(field_name="target_date", lookup_expr="lte")
    actual_after = DateFilter(field_name="actual_date", lookup_expr="gte")
    actual_before = DateFilter(field_name="actual_date", lookup_expr="lte")
    slipped = BooleanFilter(
        method="filter_slipped",
        label="true: only milestones whose target slipped at least once (computed from history); false: never.",
    )

    class Meta:
        model = Milestone
        fields = ["kind", "status"]

    def filter_slipped(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(slipped_filter()) if value else queryset.exclude(slipped_filter())
