"""API viewsets of the evidence app, and the site-wide change feed."""

from __future__ import annotations

from operator import itemgetter

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from intel import services
from intel.api.csvexport import CHUNK
from intel.api.docs import FORMAT_PARAMETER, resource_docs
from intel.api.fields import decimal_text
from intel.api.history import RESOURCES, ChangeSerializer, content_type_of_resource, resource_of_content_type
from intel.api.moderation import ModerationActionsMixin
from intel.api.pagination import CursorPagination
from intel.api.serializers import (
    CitationSerializer,
    ClaimRelationSerializer,
    ClaimSerializer,
    PersonSerializer,
    SourceSerializer,
)
from intel.api.viewsets import ApiViewMixin, CsvExportMixin, PageViewSet, ResourceViewSet
from intel.api.workflow import ClaimStatusActionMixin
from intel.choices import ChangeAction
from intel.editing import latest_revision_id
from intel.filtering import FilterBackend, IdFilter, TimestampFilter
from intel.filtersets import (
    CitationFilterSet,
    ClaimFilterSet,
    ClaimRelationFilterSet,
    PersonFilterSet,
    SourceFilterSet,
)
from intel.fuzzydates import FuzzyDate
from intel.models import Change, Citation, Claim, ClaimRelation, Person, Source
from intel.selectors import claim_citation_rows, claim_links


@extend_schema_view(
    **resource_docs(
        "source",
        "sources",
        "Documents claims are drawn from, with the moderators' decision (pending, approved, rejected) and "
        "reliability (A–F). New sources start pending.",
    )
)
class SourceViewSet(ModerationActionsMixin, PageViewSet):
    kind_key = "source"
    queryset = Source.objects.select_related("moderated_by", "submitted_by", "snapshot").defer(
        "snapshot__text", "snapshot__original"
    )
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    pagination_class = CursorPagination
    search_fields = ["title", "title_en", "publisher", "url"]
    ordering_fields = ["id", "created", "updated", "title"]
    ordering = ["-id"]
    csv_columns = {
        "id": lambda s: s.pk,
        "kind": lambda s: s.kind,
        "title": lambda s: s.title,
        "title_en": lambda s: s.title_en,
        "url": lambda s: s.url,
        "publisher": lambda s: s.publisher,
        "authors": lambda s: s.authors,
        "language": lambda s: s.language,
        "published_date": lambda s: s.published_date,
        "reliability": lambda s: s.reliability,
        "moderation_state": lambda s: s.moderation_state,
        "updated": lambda s: s.updated.isoformat(),
    }

    def create_object(self, values, *, summary):
        return services.source_create(author=self.request.user, summary=summary or "Created source", **values)


@extend_schema_view(**resource_docs("person", "people", "People sources quote, as the sources describe them."))
class PersonViewSet(PageViewSet):
    kind_key = "person"
    queryset = Person.objects.select_related("affiliation")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    search_fields = ["name", "slug", "aliases", "role"]
    ordering_fields = ["name", "created", "updated", "id"]
    ordering = ["name", "id"]
    csv_columns = {
        "id": lambda p: p.pk,
        "name": lambda p: p.name,
        "slug": lambda p: p.slug,
        "aliases": lambda p: p.aliases,
        "is_pseudonym": lambda p: p.is_pseudonym,
        "affiliation": lambda p: p.affiliation.slug if p.affiliation else None,
        "role": lambda p: p.role,
        "updated": lambda p: p.updated.isoformat(),
    }


@extend_schema_view(
    **resource_docs(
        "claim",
        "claims",
        "Statements about companies, products and milestones, each with its citations (nested). Writing a "
        "claim writes its citations in the same revision.",
    )
)
class ClaimViewSet(ClaimStatusActionMixin, PageViewSet):
    kind_key = "claim"
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    pagination_class = CursorPagination
    search_fields = ["statement", "metric", "citations__quote", "citations__translation"]
    ordering_fields = ["id", "created", "updated", "credibility"]
    ordering = ["-id"]
    csv_columns = {
        "id": itemgetter("id"),
        "statement": itemgetter("statement"),
        "kind": itemgetter("kind"),
        "metric": itemgetter("metric"),
        "value": lambda row: decimal_text(row["value"]),
        "unit": itemgetter("unit"),
        "period": lambda row: FuzzyDate(row["period_date"], row["period_precision"]) if row["period_date"] else None,
        "status": itemgetter("status"),
        "credibility": itemgetter("credibility"),
        "companies": lambda row: [link["slug"] for link in row["links"]["companies"]],
        "products": lambda row: [link["slug"] for link in row["links"]["products"]],
        "sources": itemgetter("sources"),
        "updated": lambda row: row["updated"].isoformat(),
    }
    queryset = Claim.objects.all()

    def csv_rows(self, queryset):
        """Claims as plain values, a chunk at a time, each chunk's links and cited sources in two more
        queries: model objects and prefetches made the export of 100,000 claims take minutes."""
        fields = ("id", "statement", "kind", "metric", "value", "unit", "period_date", "period_precision", "status",
                  "credibility", "updated")  # fmt: skip
        chunk = []
        for row in queryset.values(*fields).iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from _with_links_and_sources(chunk)
                chunk = []
        yield from _with_links_and_sources(chunk)

    def paginate_queryset(self, queryset):
        """A page of claims, then the citations and the links of all of them in two more queries."""
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            citations = claim_citation_rows(claim.pk for claim in page)
            links = claim_links(claim.pk for claim in page)
            for claim in page:
                claim.api_citations, claim.api_links = citations[claim.pk], links[claim.pk]
        return page


def _with_links_and_sources(rows: list[dict]):
    ids = [row["id"] for row in rows]
    links = claim_links(ids)
    sources: dict[int, set[int]] = {claim_id: set() for claim_id in ids}
    for claim_id, source_id in Citation.objects.filter(claim_id__in=ids).values_list("claim_id", "source_id"):
        sources[claim_id].add(source_id)
    for row in rows:
        row["links"], row["sources"] = links[row["id"]], sorted(sources[row["id"]])
        yield row


@extend_schema_view(
    **resource_docs(
        "citation",
        "citations",
        "The exact words of a source that back a claim. Creating, changing or deleting a citation is an edit of "
        "its claim: one revision of the claim, whose ETag the citation shares.",
    )
)
class CitationViewSet(ResourceViewSet):
    queryset = Citation.objects.select_related("claim", "source", "speaker")
    serializer_class = CitationSerializer
    filterset_class = CitationFilterSet
    pagination_class = CursorPagination
    search_fields = ["quote", "translation", "locator"]
    ordering_fields = ["id", "created", "updated"]
    ordering = ["-id"]
    csv_columns = {
        "id": lambda c: c.pk,
        "claim": lambda c: c.claim_id,
        "source": lambda c: c.source_id,
        "speaker": lambda c: c.speaker_id,
        "quote": lambda c: c.quote,
        "translation": lambda c: c.translation,
        "locator": lambda c: c.locator,
        "verification": lambda c: c.verification,
        "updated": lambda c: c.updated.isoformat(),
    }

    def csv_rows(self, queryset):
        return queryset.select_related(None).iterator(chunk_size=CHUNK)

    def revision_of(self, pk: int | None) -> int | None:
        """A citation is part of its claim: its ETag names the claim's revision."""
        claim_id = Citation.objects.filter(pk=pk).values_list("claim_id", flat=True).first() if pk else None
        return None if claim_id is None else latest_revision_id(Claim(pk=claim_id))

    def error_field_name(self, name: str) -> str:
        """The claim's rules about its citations as a whole ("needs at least one") are not about a field here."""
        return "non_field_errors" if name.startswith("citations") else super().error_field_name(name)

    def create_object(self, values, *, summary):
        return services.citation_add(author=self.request.user, summary=summary, **values)

    def update_object(self, citation, values, *, summary, expected):
        values.pop("claim", None)
        return services.citation_change(
            citation=citation, author=self.request.user, summary=summary, expected_revision=expected, **values
        )

    def delete_object(self, citation, *, summary, expected):
        services.citation_remove(
            citation=citation, author=self.request.user, summary=summary, expected_revision=expected
        )


@extend_schema_view(
    **resource_docs(
        "claim relation",
        "claim-relations",
        "Links between claims, read as from_claim → kind → to_claim: one supports, contradicts, supersedes or "
        "breaks down another.",
    )
)
class ClaimRelationViewSet(ResourceViewSet):
    queryset = ClaimRelation.objects.select_related("from_claim", "to_claim")
    serializer_class = ClaimRelationSerializer
    filterset_class = ClaimRelationFilterSet
    search_fields = ["note"]
    ordering_fields = ["id", "created", "updated", "kind"]
    ordering = ["id"]
    csv_columns = {
        "id": lambda r: r.pk,
        "from_claim": lambda r: r.from_claim_id,
        "kind": lambda r: r.kind,
        "to_claim": lambda r: r.to_claim_id,
        "note": lambda r: r.note,
        "updated": lambda r: r.updated.isoformat(),
    }

    def csv_rows(self, queryset):
        return queryset.select_related(None).iterator(chunk_size=CHUNK)

    def create_object(self, values, *, summary):
        return services.claim_relation_create(author=self.request.user, summary=summary, **values)

    def update_object(self, obj, values, *, summary, expected):
        return services.claim_relation_update(
            relation=obj, author=self.request.user, summary=summary, expected_revision=expected, **values
        )

    def delete_object(self, obj, *, summary, expected):
        services.claim_relation_delete(
            relation=obj, author=self.request.user, summary=summary, expected_revision=expected
        )


class ChangeFilterSet(django_filters.FilterSet):
    since = TimestampFilter(
        field_name="revision__date_created", lookup_expr="gte", label="Changes at or after this moment (ISO 8601)."
    )
    updated_since = TimestampFilter(
        field_name="revision__date_created", lookup_expr="gte", label="The same as since, as on every other list."
    )
    after = IdFilter(field_name="id", lookup_expr="gt", label="Changes after this change id: where a mirror resumes.")
    resource = django_filters.ChoiceFilter(
        choices=[(name, name) for name in RESOURCES.values()], method="filter_resource"
    )
    action = django_filters.MultipleChoiceFilter(choices=ChangeAction.choices)
    user = django_filters.CharFilter(field_name="revision__user__username", label="Changes by this user name.")

    class Meta:
        model = Change
        fields = ["action"]

    def filter_resource(self, queryset, name, value):
        return queryset.filter(content_type=content_type_of_resource(value))


class ChangeCursorPagination(CursorPagination):
    ordering = "id"


@extend_schema_view(
    list=extend_schema(
        summary="The change feed",
        description="Every change to every object in the order it happened, oldest first: creations, edits, "
        "reverts, undeletions and deletions (tombstones: `action` is `delete`, with the resource and "
        "`object_id`). To mirror the data, read it once with `since`, then follow `next`; to resume later, "
        "ask for `after=<the last id you processed>`. A claim's citations change with the claim: re-read the "
        "claim when it changes.",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="One change", description="One line of the change feed."),
)
class ChangeViewSet(ApiViewMixin, CsvExportMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Change.objects.select_related("revision__user").order_by("id")
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    filter_backends = [FilterBackend]
    pagination_class = ChangeCursorPagination
    lookup_value_regex = "[0-9]+"
    csv_columns = {
        "id": lambda c: c.pk,
        "revision": lambda c: c.revision_id,
        "at": lambda c: c.revision.date_created.isoformat(),
        "user": lambda c: c.revision.user.get_username() if c.revision.user else None,
        "summary": lambda c: c.revision.comment,
        "action": lambda c: c.action,
        "resource": lambda c: resource_of_content_type(c.content_type_id),
        "object_id": lambda c: c.object_id,
        "title": lambda c: c.object_repr,
    }
