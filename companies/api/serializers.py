"""Serializers of companies and company relations."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from companies.models import Company, CompanyRelation
from intel.api.briefs import ClaimBriefSerializer, CompanyBriefSerializer
from intel.api.fields import FuzzyDateField, NameListField, PageRelatedField, SelfLinksMixin
from intel.api.serializers import SUMMARY_HELP, PageSerializer
from intel.models import Claim


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A tracked competitor",
            request_only=True,
            value={
                "name": "ZT Systems",
                "slug": "zt-systems",
                "aliases": ["ZT"],
                "kind": "system_integrator",
                "country": "US",
                "tracked": True,
                "body": "Builds rack-scale AI systems for the clouds.",
                "summary": "New page",
            },
        )
    ]
)
class CompanySerializer(PageSerializer):
    api_basename = "companies"
    aliases = NameListField(help_text="Other spellings and languages, e.g. NVIDIA, 英偉達.")

    class Meta:
        model = Company
        fields = [
            "id",
            "api_url",
            "page_url",
            "name",
            "slug",
            "aliases",
            "kind",
            "country",
            "website",
            "founded",
            "tracked",
            "body",
            "created",
            "updated",
            "summary",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An acquisition",
            request_only=True,
            value={"subject": 2, "kind": "acquired", "object": 3, "started": "2024-08", "claims": [21]},
        )
    ]
)
class CompanyRelationSerializer(SelfLinksMixin, serializers.ModelSerializer):
    """Read as subject → kind → object: "AMD acquired ZT Systems"."""

    api_basename = "company-relations"
    subject = PageRelatedField(brief=CompanyBriefSerializer, queryset=Company.objects.all())
    object = PageRelatedField(brief=CompanyBriefSerializer, queryset=Company.objects.all())
    started = FuzzyDateField()
    ended = FuzzyDateField()
    claims = PageRelatedField(
        brief=ClaimBriefSerializer,
        queryset=Claim.objects.all(),
        many=True,
        required=False,
        help_text="The claims that back the relation.",
    )
    summary = serializers.CharField(write_only=True, required=False, allow_blank=True, help_text=SUMMARY_HELP)

    class Meta:
        model = CompanyRelation
        fields = [
            "id",
            "api_url",
            "page_url",
            "subject",
            "kind",
            "object",
            "started",
            "ended",
            "note",
            "claims",
            "created",
            "updated",
            "summary",
        ]
