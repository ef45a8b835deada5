from django.urls import path

from companies import views
from intel.views.pages import page_urls

app_name = "companies"

urlpatterns = [
    *page_urls("company", views.company_detail),
    path("companies/<slug:slug>/battlecard/", views.company_battlecard, name="company_battlecard"),
    path("companies/<slug:slug>/battlecard.md", views.company_battlecard_markdown, name="company_battlecard_markdown"),
]
