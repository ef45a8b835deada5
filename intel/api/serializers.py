"""Serializers of the evidence app: sources, people, claims (with their citations), citations,
claim relations. Reading shows linked pages as brief objects; writing takes their ids.

Serializers only check types and shapes; the rules (who may, what is valid together)
are the services', whose errors come back as the same field errors.
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from companies.models import Company
from intel.api.briefs import (
    ClaimBriefSerializer,
    CompanyBriefSerializer,
    MilestoneBriefSerializer,
    PersonBriefSerializer,
    ProductBriefSerializer,
    SourceBriefSerializer,
)
from intel.api.fields import (
    FuzzyDateField,
    NameListField,
    PageRelatedField,
    PlainDecimalField,
    SelfLinksMixin,
    absolute,
    decimal_text,
    iso_datetime,
)
from intel.choices import Reliability
from intel.editing import too_long
from intel.models import Citation, Claim, ClaimRelation, Person, Source
from intel.roles import can_moderate
from intel.selectors import claim_citation_rows, claim_links
from intel.workflow import support_of
from products.models import Milestone, Product

SUMMARY_HELP = "The edit summary this save records in the history (or send the X-Edit-Summary header)."


class PageSerializer(SelfLinksMixin, serializers.ModelSerializer):
    """Base of the seven page kinds: links to itself, and a write-only edit summary."""

    summary = serializers.CharField(write_only=True, required=False, allow_blank=True, help_text=SUMMARY_HELP)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A trade-press article",
            request_only=True,
            value={
                "kind": "article",
                "title": "ZT Systems and the rack-scale race",
                "url": "https://example.com/zt-systems-rack-scale",
                "publisher": "Example Trade Press",
                "authors": ["A. Writer"],
                "language": "en",
                "published_date": "2024-08-19",
                "summary": "Source for the AMD/ZT Systems claims",
            },
        )
    ]
)
class SourceSerializer(PageSerializer):
    api_basename = "sources"
    authors = NameListField(help_text="As the source names them.")
    reliability = serializers.ChoiceField(
        choices=Reliability.choices,
        required=False,
        help_text="Admiralty scale A–F; only moderators may set it (others get 403).",
    )
    moderated_by = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()
    has_snapshot = serializers.SerializerMethodField()
    snapshot = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "id",
            "api_url",
            "page_url",
            "kind",
            "title",
            "title_en",
            "url",
            "publisher",
            "authors",
            "language",
            "published_date",
            "body",
            "reliability",
            "moderation_state",
            "moderated_by",
            "moderated_at",
            "moderation_note",
            "submitted_by",
            "has_snapshot",
            "snapshot",
            "retrieved_at",
            "created",
            "updated",
            "summary",
        ]
        read_only_fields = ["moderation_state", "moderated_at", "moderation_note", "retrieved_at"]

    def get_moderated_by(self, source) -> str | None:
        return source.moderated_by.get_username() if source.moderated_by_id else None

    def get_submitted_by(self, source) -> str | None:
        return source.submitted_by.get_username() if source.submitted_by_id else None

    def get_has_snapshot(self, source) -> bool:
        return source.snapshot_id is not None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "description": "The current archived copy (see /api/snapshots/), the one citations are anchored in.",
            "properties": {
                "id": {"type": "integer"},
                "api_url": {"type": "string", "format": "uri"},
                "sha256": {"type": "string"},
                "size": {"type": "integer"},
                "format": {"type": "string"},
                "encoding": {"type": "string"},
                "created": {"type": "string", "format": "date-time"},
            },
        }
    )
    def get_snapshot(self, source):
        snapshot = source.snapshot
        if snapshot is None:
            return None
        return {
            "id": snapshot.pk,
            "api_url": absolute(self.context.get("request"), f"/api/snapshots/{snapshot.pk}/"),
            "sha256": snapshot.sha256,
            "size": snapshot.size,
            "format": snapshot.format,
            "encoding": snapshot.encoding,
            "created": iso_datetime(snapshot.created),
        }

    def validate_reliability(self, value):
        request = self.context.get("request")
        current = self.instance.reliability if self.instance else Reliability.F
        if value != current and not (request and can_moderate(request.user)):
            raise PermissionDenied("Only moderators rate a source's reliability; leave it out or send it unchanged.")
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A person quoted under a pseudonym",
            request_only=True,
            value={
                "name": "An industry insider",
                "slug": "an-industry-insider",
                "is_pseudonym": True,
                "role": "works at a server maker, as the article puts it",
                "summary": "Quoted in the roadmap article",
            },
        )
    ]
)
class PersonSerializer(PageSerializer):
    api_basename = "people"
    aliases = NameListField(help_text="Other spellings, e.g. the name in Chinese.")
    affiliation = PageRelatedField(
        brief=CompanyBriefSerializer, queryset=Company.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "api_url",
            "page_url",
            "name",
            "slug",
            "aliases",
            "is_pseudonym",
            "affiliation",
            "role",
            "body",
            "created",
            "updated",
            "summary",
        ]


class CitationRowSerializer(serializers.Serializer):
    """A citation inside its claim. To edit a claim's citations, send them all: rows with an
    ``id`` change that citation, rows without one are new, citations left out are removed."""

    id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Leave out for a new citation; give it to change one."
    )
    source = PageRelatedField(brief=SourceBriefSerializer, queryset=Source.objects.all())
    speaker = PageRelatedField(
        brief=PersonBriefSerializer, queryset=Person.objects.all(), allow_null=True, required=False
    )
    quote = serializers.CharField(help_text="The source's exact words, in its language.")
    translation = serializers.CharField(required=False, allow_blank=True, default="")
    locator = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    verification = serializers.CharField(
        read_only=True, help_text="Whether the quote was found in the source's snapshot."
    )
    verification_note = serializers.CharField(
        source="anchor_note", read_only=True, help_text="How the quote was found, or why not, in words."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A metric claim with one citation",
            request_only=True,
            value={
                "statement": "AMD agreed to buy ZT Systems for about 4.9 bn USD.",
                "kind": "metric",
                "metric": "acquisition price",
                "value": "4.9",
                "unit": "bn USD",
                "period": "2024-08",
                "companies": [2],
                "citations": [{"source": 1, "quote": "…", "locator": "para. 1"}],
                "summary": "From the announcement",
            },
        )
    ]
)
class ClaimSerializer(PageSerializer):
    api_basename = "claims"
    value = PlainDecimalField(max_digits=24, decimal_places=6, allow_null=True, required=False)
    period = FuzzyDateField(help_text="The period a metric is about.")
    companies = PageRelatedField(
        brief=CompanyBriefSerializer, queryset=Company.objects.all(), many=True, required=False
    )
    products = PageRelatedField(brief=ProductBriefSerializer, queryset=Product.objects.all(), many=True, required=False)
    milestones = PageRelatedField(
        brief=MilestoneBriefSerializer, queryset=Milestone.objects.all(), many=True, required=False
    )
    citations = CitationRowSerializer(many=True, help_text="At least one. On update, the full list (see the rows).")
    support = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "api_url",
            "page_url",
            "statement",
            "kind",
            "metric",
            "value",
            "unit",
            "period",
            "status",
            "status_note",
            "support",
            "credibility",
            "companies",
            "products",
            "milestones",
            "body",
            "citations",
            "created",
            "updated",
            "summary",
        ]

    @functools.cached_property
    def _zone(self):
        """The current time zone, looked up once for a page of claims (the list shares this serializer)."""
        return timezone.get_current_timezone()

    def to_representation(self, claim):
        """The fields declared above, built by hand: claims are listed a hundred at a time with their
        citations, and DRF's field-by-field path costs ten times as much (see docs/performance.md).
        A test checks this gives exactly what the declared fields give."""
        request = self.context.get("request")
        links = getattr(claim, "api_links", None)
        if links is None:
            links = claim_links([claim.pk])[claim.pk]
        citations = getattr(claim, "api_citations", None)
        if citations is None:
            citations = claim_citation_rows([claim.pk])[claim.pk]
        zone = self._zone
        return {
            "id": claim.pk,
            "api_url": absolute(request, f"{_claims_prefix()}{claim.pk}/"),
            "page_url": absolute(request, f"/claims/{claim.pk}/"),
            "statement": claim.statement,
            "kind": claim.kind,
            "metric": claim.metric,
            "value": decimal_text(claim.value),
            "unit": claim.unit,
            "period": str(claim.period) if claim.period else None,
            "status": claim.status,
            "status_note": claim.status_note,
            "support": support_of(citations).as_dict(),
            "credibility": claim.credibility,
            "companies": links["companies"],
            "products": links["products"],
            "milestones": links["milestones"],
            "body": claim.body,
            "citations": citations,
            "created": iso_datetime(claim.created, zone),
            "updated": iso_datetime(claim.updated, zone),
        }

    @extend_schema_field(
        {
            "type": "object",
            "description": "What backs the claim, computed from its citations: approved sources and publishers, the "
            "best reliability among them, quotes not found in their snapshots. Unsupported: no approved source.",
            "properties": {
                "approved_sources": {"type": "integer"},
                "approved_publishers": {"type": "integer"},
                "best_reliability": {"type": "string", "nullable": True, "enum": [*Reliability.values, None]},
                "quotes_not_found": {"type": "integer"},
                "unsupported": {"type": "boolean"},
            },
        }
    )
    def get_support(self, claim):
        citations = getattr(claim, "api_citations", None)
        if citations is None:
            citations = claim_citation_rows([claim.pk])[claim.pk]
        return support_of(citations).as_dict()

    def validate_citations(self, rows):
        if not rows:
            raise serializers.ValidationError("A claim needs at least one citation to a source.")
        own = set(self.instance.citations.values_list("pk", flat=True)) if self.instance else set()
        for index, row in enumerate(rows, start=1):
            if row.get("id") is not None and row["id"] not in own:
                raise serializers.ValidationError(
                    f"Row {index}: citation {row['id']} is not one of this claim's citations; leave its id out "
                    "to add a new one."
                )
        return rows


@functools.cache
def _claims_prefix() -> str:
    return reverse("api:claims-list")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A second citation for a claim",
            request_only=True,
            value={"claim": 12, "source": 3, "quote": "…", "translation": "…", "locator": "§2, para. 4"},
        )
    ]
)
class CitationSerializer(SelfLinksMixin, serializers.ModelSerializer):
    """A citation on its own. Writing one is an edit of its claim (one revision of the claim)."""

    api_basename = "citations"
    claim = PageRelatedField(brief=ClaimBriefSerializer, queryset=Claim.objects.all(), help_text="Set on creation.")
    source = PageRelatedField(brief=SourceBriefSerializer, queryset=Source.objects.all())
    speaker = PageRelatedField(
        brief=PersonBriefSerializer, queryset=Person.objects.all(), allow_null=True, required=False
    )
    anchor = serializers.SerializerMethodField()
    verification_note = serializers.CharField(
        source="anchor_note", read_only=True, help_text="How the quote was found, or why not, in words."
    )
    summary = serializers.CharField(write_only=True, required=False, allow_blank=True, help_text=SUMMARY_HELP)

    class Meta:
        model = Citation
        fields = [
            "id",
            "api_url",
            "page_url",
            "claim",
            "source",
            "speaker",
            "quote",
            "translation",
            "locator",
            "verification",
            "verification_note",
            "anchor",
            "created",
            "updated",
            "summary",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "description": "Where the quote stands in the source's snapshot: a W3C TextQuoteSelector and the "
            "character offsets found (null when it was not located: see verification).",
            "properties": {
                "snapshot": {"type": "integer", "description": "The snapshot the offsets point into."},
                "selector": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": ["TextQuoteSelector"]},
                        "exact": {"type": "string"},
                        "prefix": {"type": "string"},
                        "suffix": {"type": "string"},
                    },
                },
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "similarity": {"type": "number", "nullable": True, "description": "For an approximate match."},
            },
        }
    )
    def get_anchor(self, citation):
        if citation.anchor_start is None:
            return None
        return {
            "snapshot": citation.snapshot_id,
            "selector": {
                "type": "TextQuoteSelector",
                "exact": citation.anchor_exact,
                "prefix": citation.anchor_prefix,
                "suffix": citation.anchor_suffix,
            },
            "start": citation.anchor_start,
            "end": citation.anchor_end,
            "similarity": citation.anchor_similarity,
        }

    def validate(self, attrs):
        # The claim's edit would refuse these too, but under "citations", a field this resource lacks.
        if errors := too_long({name: attrs[name] for name in ("quote", "translation") if name in attrs}):
            raise serializers.ValidationError(errors)
        return attrs

    def validate_claim(self, claim):
        if self.instance is not None and claim.pk != self.instance.claim_id:
            raise serializers.ValidationError("A citation stays with its claim; cite the other claim anew instead.")
        return claim


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "One claim breaks down another",
            request_only=True,
            value={"from_claim": 14, "kind": "breaks_down", "to_claim": 9, "note": "the 40x splits into parts"},
        )
    ]
)
class ClaimRelationSerializer(SelfLinksMixin, serializers.ModelSerializer):
    """ "from_claim kind to_claim": one claim supports, contradicts, supersedes or breaks down another."""

    api_basename = "claim-relations"
    from_claim = PageRelatedField(brief=ClaimBriefSerializer, queryset=Claim.objects.all())
    to_claim = PageRelatedField(brief=ClaimBriefSerializer, queryset=Claim.objects.all())
    summary = serializers.CharField(write_only=True, required=False, allow_blank=True, help_text=SUMMARY_HELP)

    class Meta:
        model = ClaimRelation
        fields = [
            "id",
            "api_url",
            "page_url",
            "from_claim",
            "kind",
            "to_claim",
            "note",
            "created",
            "updated",
            "summary",
        ]
