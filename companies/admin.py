from django.contrib import admin

from companies.models import Company, CompanyRelation
from intel.admin import PageAdmin, RelationAdmin


class RelationInline(admin.TabularInline):
    model = CompanyRelation
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]
    fields = ["kind", "object", "started_date", "started_precision", "note"]


@admin.register(Company)
class CompanyAdmin(PageAdmin):
    list_display = ["name", "kind", "country", "founded", "tracked", "updated"]
    list_filter = ["tracked", "kind", "country"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RelationInline]


@admin.register(CompanyRelation)
class CompanyRelationAdmin(RelationAdmin):
    list_display = ["subject", "kind", "object", "started_date", "started_precision"]
    list_filter = ["kind"]
    search_fields = ["subject__name", "object__name", "note"]
    autocomplete_fields = ["subject", "object", "claims"]
    list_select_related = ["subject", "object"]
