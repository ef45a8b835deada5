"""Writes for architectures, products and milestones; each save is one revision."""

from intel.revisions import save_with_revision
from products.models import Architecture, Milestone, Product


def architecture_create(*, author, summary: str = "Created architecture", **fields) -> Architecture:
    return save_with_revision(Architecture(**fields), author=author, summary=summary)


def product_create(*, author, summary: str = "Created product", **fields) -> Product:
    return save_with_revision(Product(**fields), author=author, summary=summary)


def milestone_create(*, author, summary: str = "Created milestone", **fields) -> Milestone:
    """A milestone of a product belongs to the product's vendor unless a company is given."""
    product = fields.get("product")
    if product is not None and "company" not in fields and "company_id" not in fields:
        fields["company"] = product.vendor
    return save_with_revision(Milestone(**fields), author=author, summary=summary)
