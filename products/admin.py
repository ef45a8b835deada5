from django.contrib import admin

from intel.admin import PageAdmin
from products.models import Architecture, Milestone, Product


@admin.register(Architecture)
class ArchitectureAdmin(PageAdmin):
    list_display = ["name", "vendor", "introduced_date", "introduced_precision"]
    list_filter = ["vendor"]
    search_fields = ["name", "slug", "vendor__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["vendor"]


@admin.register(Product)
class ProductAdmin(PageAdmin):
    list_display = ["name", "vendor", "architecture", "kind", "status", "predecessor"]
    list_filter = ["kind", "status", "vendor", "architecture"]
    search_fields = ["name", "slug", "vendor__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["vendor", "architecture", "predecessor"]
    list_select_related = ["vendor", "architecture", "predecessor"]


@admin.register(Milestone)
class MilestoneAdmin(PageAdmin):
    list_display = ["title", "company", "product", "kind", "target_date", "target_precision", "actual_date", "status"]
    list_filter = ["status", "kind", "company"]
    search_fields = ["title", "product__name", "company__name"]
    autocomplete_fields = ["company", "product"]
    raw_id_fields = ["target_citation"]
    list_select_related = ["company", "product"]
