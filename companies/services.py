"""Writes for companies and their relations; each save is one revision."""

from companies.models import Company, CompanyRelation
from intel.editing import ANY_REVISION, page_create, relation_delete, relation_save
from intel.pages import PAGE_KINDS


def company_create(*, author, summary: str = "Created company", **fields) -> Company:
    return page_create(kind=PAGE_KINDS["company"], author=author, values=fields, summary=summary)


def company_relation_create(*, author, summary: str = "", claims=(), **fields) -> CompanyRelation:
    relation = CompanyRelation(**fields)
    return relation_save(
        relation=relation, author=author, summary=summary or f"Related companies: {relation}", m2m={"claims": claims}
    )


def company_relation_update(
    *, relation: CompanyRelation, author, summary: str = "", expected_revision=ANY_REVISION, claims=None, **fields
) -> CompanyRelation:
    """Change a relation's fields (and, when given, the claims that back it)."""
    for name, value in fields.items():
        setattr(relation, name, value)
    return relation_save(
        relation=relation,
        author=author,
        summary=summary or f"Edited relation: {relation}",
        m2m={"claims": claims} if claims is not None else None,
        expected_revision=expected_revision,
    )


def company_relation_delete(
    *, relation: CompanyRelation, author, summary: str = "", expected_revision=ANY_REVISION
) -> None:
    relation_delete(
        relation=relation,
        author=author,
        summary=summary or f"Deleted relation: {relation}",
        expected_revision=expected_revision,
    )
