"""Filters of the evidence app's lists: sources, people, claims, citations, claim relations."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from companies.models import Company
from intel.choices import (
    ClaimKind,
    ClaimRelationKind,
    ClaimStatus,
    Credibility,
    ModerationState,
    Reliability,
    SourceKind,
    VerificationState,
)
from intel.filtering import ApiFilterSet, BooleanFilter, DateFilter, LinkedChoiceFilter, PageRefFilter
from intel.models import Citation, Claim, ClaimRelation, Person, Source
from products.models import Architecture, Milestone, Product


class SourceFilterSet(ApiFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SourceKind.choices)
    reliability = django_filters.MultipleChoiceFilter(choices=Reliability.choices)
    moderation_state = django_filters.MultipleChoiceFilter(choices=ModerationState.choices)
    language = django_filters.CharFilter(
        method="filter_language", label="BCP 47 tag; 'zh' also matches zh-Hans and zh-Hant."
    )
    publisher = django_filters.CharFilter(lookup_expr="iexact")
    published_after = DateFilter(field_name="published_date", lookup_expr="gte")
    published_before = DateFilter(field_name="published_date", lookup_expr="lte")
    has_snapshot = BooleanFilter(method="filter_has_snapshot")
    cited = BooleanFilter(method="filter_cited", label="Cited by at least one claim.")

    class Meta:
        model = Source
        fields = ["kind", "reliability", "moderation_state", "language", "publisher"]

    def filter_language(self, queryset, name, value):
        return filter_language(queryset, "language", value)

    def filter_has_snapshot(self, queryset, name, value):
        return queryset.filter(snapshot__isnull=not value)

    def filter_cited(self, queryset, name, value):
        cited = Exists(Citation.objects.filter(source=OuterRef("pk")))
        return queryset.filter(cited) if value else queryset.exclude(cited)


def filter_language(queryset, field: str, value: str):
    """A language tag matches itself and its subtags: "zh" finds zh, zh-Hans and zh-Hant."""
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(Q(**{f"{field}__iexact": value}) | Q(**{f"{field}__istartswith": f"{value}-"}))


class PersonFilterSet(ApiFilterSet):
    company = PageRefFilter(field_name="affiliation", model=Company, label="Affiliation: company slugs or ids.")

    class Meta:
        model = Person
        fields = ["is_pseudonym"]


class ClaimFilterSet(ApiFilterSet):
    company = PageRefFilter(field_name="companies", model=Company, label="About these companies (slugs or ids).")
    product = PageRefFilter(field_name="products", model=Product, label="About these products (slugs or ids).")
    milestone = PageRefFilter(field_name="milestones", model=Milestone, slug_field=None, label="Milestone ids.")
    source = PageRefFilter(field_name="citations__source", model=Source, slug_field=None, label="Citing these sources.")
    speaker = PageRefFilter(field_name="citations__speaker", model=Person, label="Quoting these people (slugs or ids).")
    architecture = PageRefFilter(
        field_name="products__architecture", model=Architecture, label="About products of these architectures."
    )
    kind = django_filters.MultipleChoiceFilter(choices=ClaimKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=ClaimStatus.choices)
    credibility = django_filters.MultipleChoiceFilter(choices=Credibility.choices)
    reliability = LinkedChoiceFilter(
        field_name="citations__source__reliability",
        choices=Reliability.choices,
        label="Cited by a source of this reliability.",
    )
    moderation_state = LinkedChoiceFilter(
        field_name="citations__source__moderation_state",
        choices=ModerationState.choices,
        label="Cited by a source in this moderation state.",
    )
    verification = LinkedChoiceFilter(
        field_name="citations__verification",
        choices=VerificationState.choices,
        label="Has a citation in this verification state.",
    )
    language = django_filters.CharFilter(method="filter_language", label="Cited by a source in this language.")
    has_citations = BooleanFilter(method="filter_has_citations")
    supported = BooleanFilter(
        method="filter_supported", label="Cited by at least one approved source (false: unsupported claims)."
    )
    contradicted = BooleanFilter(
        method="filter_contradicted", label="Linked to a claim that contradicts it (either way): the disputes."
    )
    metric = django_filters.CharFilter(lookup_expr="iexact")
    period_after = DateFilter(field_name="period_date", lookup_expr="gte")
    period_before = DateFilter(field_name="period_date", lookup_expr="lte")
    created_after = DateFilter(field_name="created__date", lookup_expr="gte")
    created_before = DateFilter(field_name="created__date", lookup_expr="lte")

    class Meta:
        model = Claim
        fields = ["kind", "status", "credibility", "metric"]

    def filter_language(self, queryset, name, value):
        sources = filter_language(Source.objects.all(), "language", value)
        return queryset.filter(Exists(Citation.objects.filter(claim=OuterRef("pk"), source__in=sources)))

    def filter_has_citations(self, queryset, name, value):
        cited = Exists(Citation.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(cited) if value else queryset.exclude(cited)

    def filter_supported(self, queryset, name, value):
        approved = Exists(
            Citation.objects.filter(claim=OuterRef("pk"), source__moderation_state=ModerationState.APPROVED)
        )
        return queryset.filter(approved) if value else queryset.exclude(approved)

    def filter_contradicted(self, queryset, name, value):
        contradicts = ClaimRelation.objects.filter(kind=ClaimRelationKind.CONTRADICTS)
        linked = Exists(contradicts.filter(from_claim=OuterRef("pk"))) | Exists(
            contradicts.filter(to_claim=OuterRef("pk"))
        )
        return queryset.filter(linked) if value else queryset.exclude(linked)


class CitationFilterSet(ApiFilterSet):
    claim = PageRefFilter(field_name="claim", model=Claim, slug_field=None, distinct=False)
    source = PageRefFilter(field_name="source", model=Source, slug_field=None, distinct=False)
    speaker = PageRefFilter(field_name="speaker", model=Person, distinct=False, label="People, by slug or id.")
    company = PageRefFilter(field_name="claim__companies", model=Company, label="Citations of claims about these.")
    verification = django_filters.MultipleChoiceFilter(choices=VerificationState.choices)
    reliability = django_filters.MultipleChoiceFilter(field_name="source__reliability", choices=Reliability.choices)
    moderation_state = django_filters.MultipleChoiceFilter(
        field_name="source__moderation_state", choices=ModerationState.choices
    )
    language = django_filters.CharFilter(method="filter_language", label="The cited source's language.")

    class Meta:
        model = Citation
        fields = ["verification"]

    def filter_language(self, queryset, name, value):
        return filter_language(queryset, "source__language", value)


class ClaimRelationFilterSet(ApiFilterSet):
    claim = PageRefFilter(
        field_name="claim",
        model=Claim,
        slug_field=None,
        method="filter_claim",
        label="Relations from or to these claims.",
    )
    from_claim = PageRefFilter(field_name="from_claim", model=Claim, slug_field=None, distinct=False)
    to_claim = PageRefFilter(field_name="to_claim", model=Claim, slug_field=None, distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=ClaimRelationKind.choices)

    class Meta:
        model = ClaimRelation
        fields = ["kind"]

    def filter_claim(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(from_claim__in=value) | Q(to_claim__in=value))
