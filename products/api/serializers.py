"""Serializers of architectures, products and milestones."""

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from companies.models import Company
from intel.api.briefs import (
    ArchitectureBriefSerializer,
    CitationBriefSerializer,
    CompanyBriefSerializer,
    ProductBriefSerializer,
    SourceBriefSerializer,
)
from intel.api.fields import FuzzyDateField, PageRelatedField
from intel.api.serializers import PageSerializer
from intel.models import Citation
from products.choices import TargetChange
from products.models import Architecture, Milestone, Product
from products.roadmap import MilestoneHistory, TargetEntry, milestone_histories


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new GPU generation",
            request_only=True,
            value={"name": "Rubin", "slug": "rubin", "vendor": 1, "introduced": "2026-H2", "summary": "From GTC 2025"},
        )
    ]
)
class ArchitectureSerializer(PageSerializer):
    api_basename = "architectures"
    vendor = PageRelatedField(brief=CompanyBriefSerializer, queryset=Company.objects.all())
    introduced = FuzzyDateField()

    class Meta:
        model = Architecture
        fields = [
            "id",
            "api_url",
            "page_url",
            "name",
            "slug",
            "vendor",
            "introduced",
            "body",
            "created",
            "updated",
            "summary",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A rack-scale system",
            request_only=True,
            value={
                "name": "Vera Rubin NVL144",
                "slug": "vera-rubin-nvl144",
                "vendor": 1,
                "architecture": 2,
                "kind": "system",
                "status": "announced",
                "summary": "Announced at GTC 2025",
            },
        )
    ]
)
class ProductSerializer(PageSerializer):
    api_basename = "products"
    vendor = PageRelatedField(brief=CompanyBriefSerializer, queryset=Company.objects.all())
    architecture = PageRelatedField(
        brief=ArchitectureBriefSerializer, queryset=Architecture.objects.all(), allow_null=True, required=False
    )
    predecessor = PageRelatedField(
        brief=ProductBriefSerializer, queryset=Product.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "api_url",
            "page_url",
            "name",
            "slug",
            "vendor",
            "architecture",
            "kind",
            "predecessor",
            "status",
            "body",
            "created",
            "updated",
            "summary",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A planned shipment",
            request_only=True,
            value={
                "title": "Rubin ships to cloud customers",
                "product": 4,
                "kind": "ship",
                "target": "2026-H2",
                "status": "planned",
                "summary": "From the keynote",
            },
        )
    ]
)
class TargetCitationSerializer(CitationBriefSerializer):
    source = SourceBriefSerializer()


class TargetEntrySerializer(serializers.Serializer):
    """One target in a milestone's history (read-only: computed from the revisions)."""

    target = serializers.CharField(allow_null=True, help_text="The target as a fuzzy date (2025-Q3); null: withdrawn.")
    change = serializers.ChoiceField(choices=TargetChange.choices, help_text="How it stands to the target before.")
    slip_days = serializers.IntegerField(help_text="Days the latest possible date moved later (slips only).")
    counted = serializers.BooleanField(help_text="False when a later revert undid this target.")
    stated = serializers.DateField(help_text="The cited source's publication date, else the day it was recorded.")
    recorded = serializers.DateTimeField()
    revision = serializers.IntegerField(help_text="The revision that recorded it.")
    author = serializers.CharField(allow_null=True)
    citation = TargetCitationSerializer(allow_null=True, help_text="The quote that stated this target.")

    def to_representation(self, entry: TargetEntry):
        row, citation = entry.row, entry.citation
        return {
            "target": str(row.target) if row.target else None,
            "change": row.change,
            "slip_days": entry.slip_days,
            "counted": entry.counted,
            "stated": entry.stated.isoformat(),
            "recorded": serializers.DateTimeField().to_representation(entry.recorded),
            "revision": row.revision_id,
            "author": row.revision.user.username if row.revision.user_id else None,
            "citation": None
            if citation is None
            else {
                **CitationBriefSerializer.represent(citation),
                "source": SourceBriefSerializer.represent(citation.source),
            },
        }


class SlipsSerializer(serializers.Serializer):
    """What a milestone's history adds up to."""

    count = serializers.IntegerField(help_text="How many times the target moved later.")
    days = serializers.IntegerField(help_text="Days slipped in all (the latest possible date, summed over slips).")
    first_target = serializers.CharField(allow_null=True)
    late_days = serializers.IntegerField(help_text="Days between the last target's end and the actual date, if later.")

    def to_representation(self, history: MilestoneHistory):
        first = history.first_target
        return {
            "count": history.slip_count,
            "days": history.days_slipped,
            "first_target": str(first) if first else None,
            "late_days": history.late_days,
        }


class MilestoneSerializer(PageSerializer):
    api_basename = "milestones"
    company = PageRelatedField(
        brief=CompanyBriefSerializer,
        queryset=Company.objects.all(),
        required=False,
        help_text="Whose roadmap it is on; on creation it defaults to the product's vendor.",
    )
    product = PageRelatedField(
        brief=ProductBriefSerializer, queryset=Product.objects.all(), allow_null=True, required=False
    )
    target = FuzzyDateField(help_text="When it is expected.")
    target_citation = PageRelatedField(
        brief=CitationBriefSerializer,
        queryset=Citation.objects.all(),
        allow_null=True,
        required=False,
        help_text="The citation that states the current target; give the new one (or null) when the target changes.",
    )
    actual = FuzzyDateField(help_text="When it happened; a milestone that is done needs it.")
    targets = serializers.SerializerMethodField(help_text="Every target it was given, oldest first, from its history.")
    slips = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "api_url",
            "page_url",
            "title",
            "company",
            "product",
            "kind",
            "target",
            "target_citation",
            "actual",
            "status",
            "body",
            "targets",
            "slips",
            "created",
            "updated",
            "summary",
        ]

    def _history(self, milestone) -> MilestoneHistory:
        # Targets come prefetched by the viewset's queryset (one query for a whole page of milestones);
        # the history is computed once per milestone for both fields.
        histories = self.context.setdefault("milestone_histories", {})
        if milestone.pk not in histories:
            histories[milestone.pk] = milestone_histories([milestone])[0]
        return histories[milestone.pk]

    @extend_schema_field(TargetEntrySerializer(many=True))
    def get_targets(self, milestone):
        return [TargetEntrySerializer().to_representation(entry) for entry in self._history(milestone).entries]

    @extend_schema_field(SlipsSerializer)
    def get_slips(self, milestone):
        return SlipsSerializer().to_representation(self._history(milestone))

    def validate(self, attrs):
        if self.instance is None and not attrs.get("company") and not attrs.get("product"):
            raise serializers.ValidationError(
                {"company": ["Name the company whose roadmap this is on, or its product."]}
            )
        return attrs
