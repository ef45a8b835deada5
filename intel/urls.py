"""Root URLs. The evidence app's own pages are in the "intel" namespace."""

from django.contrib import admin
from django.urls import include, path

from intel import views

evidence_patterns = [
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((evidence_patterns, "intel"))),
    path("companies/", include("companies.urls")),
    path("", include("products.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
