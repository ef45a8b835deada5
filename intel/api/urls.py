"""/api/: every resource, the change feed, the OpenAPI schema and its docs page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from companies.api.views import CompanyRelationViewSet, CompanyViewSet
from intel.api.errors import json_not_found
from intel.api.metrics import MetricSeriesViewSet
from intel.api.snapshots import SnapshotViewSet
from intel.api.views import (
    ChangeViewSet,
    CitationViewSet,
    ClaimRelationViewSet,
    ClaimViewSet,
    PersonViewSet,
    SourceViewSet,
)
from products.api.views import ArchitectureViewSet, MilestoneViewSet, ProductViewSet
from search.api.views import SearchView

router = DefaultRouter()
router.include_format_suffixes = False
router.register("companies", CompanyViewSet, basename="companies")
router.register("company-relations", CompanyRelationViewSet, basename="company-relations")
router.register("architectures", ArchitectureViewSet, basename="architectures")
router.register("products", ProductViewSet, basename="products")
router.register("milestones", MilestoneViewSet, basename="milestones")
router.register("sources", SourceViewSet, basename="sources")
router.register("snapshots", SnapshotViewSet, basename="snapshots")
router.register("people", PersonViewSet, basename="people")
router.register("claims", ClaimViewSet, basename="claims")
router.register("citations", CitationViewSet, basename="citations")
router.register("claim-relations", ClaimRelationViewSet, basename="claim-relations")
router.register("changes", ChangeViewSet, basename="changes")
router.register("metrics", MetricSeriesViewSet, basename="metrics")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("search/", SearchView.as_view(), name="search"),
    *router.urls,
    re_path(r"^[\s\S]*$", json_not_found),
]

# The API answers for itself (401 JSON) when the wiki is private, instead of redirecting to the login page.
for pattern in urlpatterns:
    pattern.callback.login_required = False
