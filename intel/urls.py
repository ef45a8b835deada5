"""Root URLs. The evidence app's own pages are in the "intel" namespace."""

from django.contrib import admin
from django.urls import include, path

from intel import views
from intel.views import account, changes, metrics, moderation, search, sources, workflow
from intel.views.pages import page_urls
from search import views as search_views

evidence_patterns = [
    path("claims/", views.claim_list, name="claim_list"),
    *page_urls("claim", views.claim_detail),
    path("claims/<int:pk>/status/", workflow.claim_status, name="claim_status"),
    *page_urls("source", views.source_detail),
    path("sources/<int:pk>/snapshot/", sources.source_snapshot, name="source_snapshot"),
    path("sources/<int:pk>/read/", sources.source_reader, name="source_reader"),
    path("sources/<int:pk>/moderate/", moderation.source_moderate_view, name="source_moderate"),
    path(
        "sources/<int:pk>/snapshots/<int:snapshot_id>/original/",
        sources.snapshot_original,
        name="source_snapshot_original",
    ),
    *page_urls("person", views.person_detail),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((evidence_patterns, "intel"))),
    path("", include("companies.urls")),
    path("", include("products.urls")),
    path("changes/", changes.recent_changes, name="recent_changes"),
    path("changes/feed/", changes.ChangesFeed(), name="recent_changes_feed"),
    path("watchlist/", changes.watchlist, name="watchlist"),
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path("disputes/", workflow.disputes, name="disputes"),
    path("metrics/", metrics.metrics, name="metrics"),
    path("users/<str:username>/", changes.contributions, name="contributions"),
    path("users/<str:username>/rollback/", moderation.user_rollback_view, name="user_rollback"),
    path("search/", search_views.search_page, name="search"),
    path("lookup/<str:kind>/", search.lookup, name="lookup"),
    path("new/", search.page_new, name="page_new"),
    path("account/", account.account, name="account"),
    path("account/token/", account.account_token, name="account_token"),
    path("api/", include(("intel.api.urls", "api"))),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

# A database that cannot be reached gets a 503 page (or JSON under /api/), other errors the 500 page.
handler500 = "intel.views.health.server_error"
