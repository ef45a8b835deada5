"""API viewsets of companies and company relations."""

from drf_spectacular.utils import extend_schema_view

from companies import services
from companies.api.serializers import CompanyRelationSerializer, CompanySerializer
from companies.filtersets import CompanyFilterSet, CompanyRelationFilterSet
from companies.models import Company, CompanyRelation
from intel.api.docs import resource_docs
from intel.api.viewsets import PageViewSet, ResourceViewSet


@extend_schema_view(**resource_docs("company", "companies", "Vendors, customers, labs and investors."))
class CompanyViewSet(PageViewSet):
    kind_key = "company"
    queryset = Company.objects.all()
    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet
    search_fields = ["name", "slug", "aliases"]
    ordering_fields = ["name", "slug", "founded", "created", "updated", "id"]
    ordering = ["name", "id"]
    csv_columns = {
        "id": lambda c: c.pk,
        "name": lambda c: c.name,
        "slug": lambda c: c.slug,
        "aliases": lambda c: c.aliases,
        "kind": lambda c: c.kind,
        "country": lambda c: c.country,
        "website": lambda c: c.website,
        "founded": lambda c: c.founded,
        "tracked": lambda c: c.tracked,
        "updated": lambda c: c.updated.isoformat(),
    }


@extend_schema_view(
    **resource_docs(
        "company relation",
        "company-relations",
        "How one company stands to another, read as subject → kind → object (AMD acquired ZT Systems).",
    )
)
class CompanyRelationViewSet(ResourceViewSet):
    queryset = CompanyRelation.objects.select_related("subject", "object").prefetch_related("claims")
    serializer_class = CompanyRelationSerializer
    filterset_class = CompanyRelationFilterSet
    search_fields = ["note", "subject__name", "object__name"]
    ordering_fields = ["created", "updated", "id", "kind"]
    ordering = ["id"]
    csv_columns = {
        "id": lambda r: r.pk,
        "subject": lambda r: r.subject.slug,
        "kind": lambda r: r.kind,
        "object": lambda r: r.object.slug,
        "started": lambda r: r.started,
        "ended": lambda r: r.ended,
        "note": lambda r: r.note,
        "claims": lambda r: [claim.pk for claim in r.claims.all()],
        "updated": lambda r: r.updated.isoformat(),
    }

    def create_object(self, values, *, summary):
        return services.company_relation_create(author=self.request.user, summary=summary, **values)

    def update_object(self, obj, values, *, summary, expected):
        return services.company_relation_update(
            relation=obj, author=self.request.user, summary=summary, expected_revision=expected, **values
        )

    def delete_object(self, obj, *, summary, expected):
        services.company_relation_delete(
            relation=obj, author=self.request.user, summary=summary, expected_revision=expected
        )
