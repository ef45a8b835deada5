from django.views.generic import DetailView

from companies.models import Company


class CompanyDetailView(DetailView):
    model = Company
    template_name = "companies/company_detail.html"
