from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("<slug:slug>/", views.CompanyDetailView.as_view(), name="company_detail"),
]
