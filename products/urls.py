from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("architectures/<slug:slug>/", views.ArchitectureDetailView.as_view(), name="architecture_detail"),
    path("products/<slug:slug>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("milestones/<int:pk>/", views.MilestoneDetailView.as_view(), name="milestone_detail"),
]
