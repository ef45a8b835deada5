from django.urls import path

from intel.views.pages import page_urls
from products import views

app_name = "products"

urlpatterns = [
    *page_urls("architecture", views.architecture_detail),
    *page_urls("product", views.product_detail),
    *page_urls("milestone", views.milestone_detail),
    path("roadmap/", views.roadmap_page, name="roadmap"),
]
