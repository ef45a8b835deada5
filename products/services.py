"""Writes for architectures, products and milestones; each save is one revision."""

from intel.editing import page_create
from intel.pages import PAGE_KINDS
from products.models import Architecture, Milestone, Product


def architecture_create(*, author, summary: str = "Created architecture", **fields) -> Architecture:
    return page_create(kind=PAGE_KINDS["architecture"], author=author, values=fields, summary=summary)


def product_create(*, author, summary: str = "Created product", **fields) -> Product:
    return page_create(kind=PAGE_KINDS["product"], author=author, values=fields, summary=summary)


def milestone_create(*, author, summary: str = "Created milestone", **fields) -> Milestone:
    """A milestone of a product belongs to the product's vendor unless a company is given."""
    product = fields.get("product")
    if product is not None and "company" not in fields and "company_id" not in fields:
        fields["company"] = product.vendor
    return page_create(kind=PAGE_KINDS["milestone"], author=author, values=fields, summary=summary)
