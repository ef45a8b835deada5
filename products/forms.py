"""Edit forms of architecture, product and milestone pages."""

from django.db.models import Q

from intel.forms import AutocompleteSelect, FuzzyDateFormField, PageForm
from intel.models import Citation
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
        fields = ["title", "company", "product", "kind", "target_citation", "status", "body"]
        widgets = {"company": AutocompleteSelect("company"), "product": AutocompleteSelect("product")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The quotes that can state the target: those of the claims about this milestone.
        field = self.fields["target_citation"]
        current = self.instance.target_citation_id if self.instance.pk else None
        cited = Q(claim__milestones=self.instance) if self.instance.pk else Q(pk__in=[])
        field.queryset = (
            Citation.objects.filter(cited | Q(pk=current))
            .select_related("source")
            .order_by("claim_id", "pk")
            .distinct()
        )
        field.label_from_instance = lambda citation: f"{citation.source.title}: “{citation.quote[:80]}”"
        field.help_text = (
            "The quote that states the current target; pick the new one whenever the target changes. "
            "Claims linked to this milestone offer their citations here."
        )
