"""Edit forms of architecture, product and milestone pages."""

from intel.forms import AutocompleteSelect, FuzzyDateFormField, PageForm
from products.models import Architecture, Milestone, Product


class ArchitectureForm(PageForm):
    page_kind = "architecture"

    introduced = FuzzyDateFormField()

    class Meta:
        model = Architecture
        fields = ["name", "slug", "vendor", "body"]
        widgets = {"vendor": AutocompleteSelect("company")}


class ProductForm(PageForm):
    page_kind = "product"

    class Meta:
        model = Product
        fields = ["name", "slug", "vendor", "architecture", "kind", "predecessor", "status", "body"]
        widgets = {
            "vendor": AutocompleteSelect("company"),
            "architecture": AutocompleteSelect("architecture"),
            "predecessor": AutocompleteSelect("product"),
        }


class MilestoneForm(PageForm):
    page_kind = "milestone"

    target = FuzzyDateFormField(help_text="When it is expected, as precise as known: 2025, 2025-H2, 2025-Q3, 2025-03.")
    actual = FuzzyDateFormField(help_text="When it happened; needed once the status is done.")

    class Meta:
        model = Milestone
        fields = ["title", "company", "product", "kind", "status", "body"]
        widgets = {"company": AutocompleteSelect("company"), "product": AutocompleteSelect("product")}
