"""Edit forms of company pages."""

from companies.models import Company
from intel.forms import LinesField, PageForm


class CompanyForm(PageForm):
    page_kind = "company"

    aliases = LinesField(help_text="Other spellings and languages, one per line: NVIDIA, 英偉達, 輝達, 英伟达.")

    class Meta:
        model = Company
        fields = ["name", "slug", "aliases", "kind", "country", "website", "founded", "tracked", "body"]
