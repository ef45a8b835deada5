"""/api/metrics/: the metric series (subject company · metric · unit), read-only.

The same series as the wiki's metrics page and charts (:mod:`intel.metrics`): each with
its points in period order, whether each is drawn and in conflict, and the citations
behind each value. Filters are checked like every list's: a bad value is a 400 that
names the parameter.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.reverse import reverse

from companies.models import Company
from intel.api.briefs import CompanyBriefSerializer, SourceBriefSerializer
from intel.api.fields import FuzzyDateField, PlainDecimalField, absolute, decimal_text
from intel.api.pagination import PagePagination
from intel.api.viewsets import ApiViewMixin
from intel.choices import ClaimStatus
from intel.filtering import PageRefField
from intel.metrics import MetricPoint, MetricSeries, metric_series_keys, metric_series_of
from intel.models import Claim

# A series can hold thousands of claims (8,000 for one company's metric at scale L: 8 MB in one answer).
POINTS_PER_SERIES = 500


class MetricSeriesPagination(PagePagination):
    """Fewer series a page than other lists allow (50, not 500): each can carry 500 points."""

    max_page_size = 50


# ---------------------------------------------------------------------------
# Query parameters


@extend_schema_field({"type": "boolean"})
class YesNoField(serializers.BooleanField):
    """true or false (1/0, yes/no); empty means no filter, as on every list; anything else is a 400."""

    default_error_messages = {"invalid": "Give true or false."}

    def to_internal_value(self, data):
        if data == "":
            return None
        return super().to_internal_value(data)


class MetricFilterSerializer(serializers.Serializer):
    company = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Series whose subject is one of these companies (slugs or ids, comma-separated).",
    )
    metric = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Series of this metric (any case), e.g. revenue."
    )
    unit = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="Series in this unit (any case), e.g. bn USD."
    )
    conflicts = YesNoField(
        required=False,
        help_text="true: only series with a conflict (different values for one period); false: only those without.",
    )

    def validate_company(self, value: str) -> list[int] | None:
        if not value:
            return None
        try:
            return PageRefField(model=Company).clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


# ---------------------------------------------------------------------------
# Output: declared for the schema, represented by hand (a series can hold hundreds of points)


class MetricCitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    page_url = serializers.URLField(help_text="The citation on its claim's page.")
    source = SourceBriefSerializer()
    quote = serializers.CharField(help_text="Verbatim, in the source's language.")
    translation = serializers.CharField(help_text="Empty when the quote needs none.")


class MetricPointSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="The id of the claim giving the value.")
    api_url = serializers.URLField(help_text="The claim in the API.")
    page_url = serializers.URLField(help_text="The claim's page in the wiki.")
    statement = serializers.CharField()
    value = PlainDecimalField(max_digits=24, decimal_places=6, help_text="Exact, as text.")
    period = FuzzyDateField(read_only=True, help_text="The period the value is about (e.g. 2025-Q3); null if none.")
    period_label = serializers.CharField(allow_null=True, help_text='The period in words, e.g. "Q3 2025".')
    period_start = serializers.DateField(allow_null=True, help_text="The first day of the period.")
    period_end = serializers.DateField(allow_null=True, help_text="The last day of the period.")
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    drawn = serializers.BooleanField(
        help_text="Whether the chart draws it: it has a period and is not retracted or superseded."
    )
    conflict = serializers.BooleanField(help_text="Another drawn claim gives a different value for the same period.")
    citations = MetricCitationSerializer(many=True)


class MetricSeriesSerializer(serializers.Serializer):
    subject = CompanyBriefSerializer(help_text="The company the values are about.")
    metric = serializers.CharField()
    unit = serializers.CharField()
    conflict = serializers.BooleanField(help_text="Some period has different values.")
    conflict_periods = serializers.ListField(
        child=serializers.CharField(), help_text="The periods with different values (canonical text), in order."
    )
    points = MetricPointSerializer(
        many=True,
        help_text=f"By period; those without a period last. The newest {POINTS_PER_SERIES} claims of the series at "
        "most (points_total says how many it has; /api/claims/ filtered by kind, metric and period lists them all).",
    )
    points_total = serializers.IntegerField(help_text="How many claims the series has: more than points when cut.")

    def to_representation(self, instance: MetricSeries) -> dict:
        request = self.context.get("request")
        return {
            "subject": CompanyBriefSerializer.represent(instance.subject),
            "metric": instance.metric,
            "unit": instance.unit,
            "conflict": instance.has_conflict,
            "conflict_periods": [str(period) for period in instance.conflict_periods],
            "points": [_point(point, request) for point in instance.points],
            "points_total": instance.points_total if instance.points_total is not None else len(instance.points),
        }


def _point(point: MetricPoint, request) -> dict:
    claim, period = point.claim, point.period
    return {
        "claim": claim.pk,
        "api_url": absolute(request, reverse("api:claims-detail", args=[claim.pk])),
        "page_url": absolute(request, claim.get_absolute_url()),
        "statement": claim.statement,
        "value": decimal_text(claim.value),
        "period": str(period) if period else None,
        "period_label": period.label if period else None,
        "period_start": period.start.isoformat() if period else None,
        "period_end": period.end.isoformat() if period else None,
        "status": claim.status,
        "drawn": point.drawn,
        "conflict": point.conflict,
        "citations": [
            {
                "id": citation.pk,
                "page_url": absolute(request, citation.get_absolute_url()),
                "source": SourceBriefSerializer.represent(citation.source),
                "quote": citation.quote,
                "translation": citation.translation,
            }
            for citation in claim.citations.all()
        ],
    }


# ---------------------------------------------------------------------------
# The endpoint


@extend_schema_view(
    list=extend_schema(
        summary="List metric series",
        description="Claims of kind metric grouped into series: one per subject company, metric and unit (the "
        "same metric in another unit is another series). The subject is the vendor of the products a claim "
        "names, else the companies it names (only the tracked ones when some are). Each point is one claim: "
        "its value, period, status, whether the wiki's chart draws it (it has a period and is not retracted or "
        "superseded) and whether it is in conflict (another drawn claim of the series, shown or not, gives a "
        "different value for the same period: same date and precision), with the citations behind it. Series are "
        f"sorted by subject, metric and unit; points by period. A series gives its newest {POINTS_PER_SERIES} claims "
        "at most, and points_total how many it has.",
        parameters=[MetricFilterSerializer],
    )
)
class MetricSeriesViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = MetricSeriesSerializer
    pagination_class = MetricSeriesPagination
    filter_backends = []

    def list(self, request, *args, **kwargs):
        params = MetricFilterSerializer(data={name: request.query_params.get(name) for name in request.query_params})
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        claims = Claim.objects.all()
        if unit := filters.get("unit"):
            claims = claims.filter(unit__iexact=unit)
        # Page through the series' names, then read the claims of this page's series only: a page costs
        # the same on a wiki of a hundred metric claims as on one of a hundred thousand.
        keys = metric_series_keys(
            claims=claims,
            companies=filters.get("company"),
            metric=filters.get("metric"),
            conflicts=filters.get("conflicts"),
        )
        page = self.paginate_queryset(keys)
        series = metric_series_of(page, claims=claims, points=POINTS_PER_SERIES)
        return self.get_paginated_response(self.get_serializer(series, many=True).data)
