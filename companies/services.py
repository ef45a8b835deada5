"""Writes for companies and their relations; each save is one revision."""

from companies.models import Company, CompanyRelation
from intel.revisions import save_with_revision


def company_create(*, author, summary: str = "Created company", **fields) -> Company:
    return save_with_revision(Company(**fields), author=author, summary=summary)


def company_relation_create(*, author, summary: str = "", claims=(), **fields) -> CompanyRelation:
    relation = CompanyRelation(**fields)
    return save_with_revision(
        relation, author=author, summary=summary or f"Related companies: {relation}", m2m={"claims": claims}
    )
