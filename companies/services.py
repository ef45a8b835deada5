"""Writes for companies and their relations; each save is one revision."""

from companies.models import Company, CompanyRelation
from intel.editing import page_create
from intel.pages import PAGE_KINDS
from intel.revisions import save_with_revision


def company_create(*, author, summary: str = "Created company", **fields) -> Company:
    return page_create(kind=PAGE_KINDS["company"], author=author, values=fields, summary=summary)


def company_relation_create(*, author, summary: str = "", claims=(), **fields) -> CompanyRelation:
    relation = CompanyRelation(**fields)
    return save_with_revision(
        relation, author=author, summary=summary or f"Related companies: {relation}", m2m={"claims": claims}
    )
