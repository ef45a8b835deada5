from django.views.generic import DetailView

from products.models import Architecture, Milestone, Product


class ArchitectureDetailView(DetailView):
    model = Architecture
    template_name = "products/architecture_detail.html"


class ProductDetailView(DetailView):
    model = Product
    template_name = "products/product_detail.html"


class MilestoneDetailView(DetailView):
    model = Milestone
    template_name = "products/milestone_detail.html"
