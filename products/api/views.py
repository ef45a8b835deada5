"""API viewsets of architectures, products and milestones."""

from drf_spectacular.utils import extend_schema_view

from intel.api.docs import resource_docs
from intel.api.viewsets import PageViewSet
from products import services
from products.api.serializers import ArchitectureSerializer, MilestoneSerializer, ProductSerializer
from products.filtersets import ArchitectureFilterSet, MilestoneFilterSet, ProductFilterSet
from products.models import Architecture, Milestone, Product
from products.roadmap import milestone_histories, targets_prefetch


@extend_schema_view(**resource_docs("architecture", "architectures", "Product generations: Hopper, Blackwell, Rubin."))
class ArchitectureViewSet(PageViewSet):
    kind_key = "architecture"
    queryset = Architecture.objects.select_related("vendor")
    serializer_class = ArchitectureSerializer
    filterset_class = ArchitectureFilterSet
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "introduced_date", "created", "updated", "id"]
    ordering = ["vendor__name", "name", "id"]
    csv_columns = {
        "id": lambda a: a.pk,
        "name": lambda a: a.name,
        "slug": lambda a: a.slug,
        "vendor": lambda a: a.vendor.slug,
        "introduced": lambda a: a.introduced,
        "updated": lambda a: a.updated.isoformat(),
    }


@extend_schema_view(**resource_docs("product", "products", "GPUs, systems, interconnects and software vendors ship."))
class ProductViewSet(PageViewSet):
    kind_key = "product"
    queryset = Product.objects.select_related("vendor", "architecture", "predecessor")
    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "created", "updated", "id"]
    ordering = ["vendor__name", "name", "id"]
    csv_columns = {
        "id": lambda p: p.pk,
        "name": lambda p: p.name,
        "slug": lambda p: p.slug,
        "vendor": lambda p: p.vendor.slug,
        "architecture": lambda p: p.architecture.slug if p.architecture else None,
        "kind": lambda p: p.kind,
        "predecessor": lambda p: p.predecessor.slug if p.predecessor else None,
        "status": lambda p: p.status,
        "updated": lambda p: p.updated.isoformat(),
    }


@extend_schema_view(
    **resource_docs("milestone", "milestones", "Dated steps on vendors' roadmaps, planned (target) and actual.")
)
class MilestoneViewSet(PageViewSet):
    kind_key = "milestone"
    queryset = Milestone.objects.select_related("company", "product", "target_citation").prefetch_related(
        targets_prefetch()
    )
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    search_fields = ["title"]
    ordering_fields = ["title", "target_date", "actual_date", "created", "updated", "id"]
    ordering = ["target_date", "title", "id"]
    csv_columns = {
        "id": lambda m: m.pk,
        "title": lambda m: m.title,
        "company": lambda m: m.company.slug,
        "product": lambda m: m.product.slug if m.product else None,
        "kind": lambda m: m.kind,
        "target": lambda m: m.target,
        "actual": lambda m: m.actual,
        "status": lambda m: m.status,
        "slips": lambda m: milestone_histories([m])[0].slip_count,
        "days_slipped": lambda m: milestone_histories([m])[0].days_slipped,
        "updated": lambda m: m.updated.isoformat(),
    }

    def create_object(self, values, *, summary):
        return services.milestone_create(author=self.request.user, summary=summary, **values)
