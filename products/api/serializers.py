"""Serializers of architectures, products and milestones."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from companies.models import Company
from intel.api.briefs import ArchitectureBriefSerializer, CompanyBriefSerializer, ProductBriefSerializer
from intel.api.fields import FuzzyDateField, PageRelatedField
from intel.api.serializers import PageSerializer
from products.models import Architecture, Milestone, Product


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
    actual = FuzzyDateField(help_text="When it happened; a milestone that is done needs it.")

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
            "actual",
            "status",
            "body",
            "created",
            "updated",
            "summary",
        ]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("company") and not attrs.get("product"):
            raise serializers.ValidationError(
                {"company": ["Name the company whose roadmap this is on, or its product."]}
            )
        return attrs
