"""What search indexes of each kind of page, by weight.

A: names, aliases and titles. B: a claim's statement and metric. C: quotes and their
translations, roles, publishers and the names of related pages (a product's vendor), so
"nvidia gb200" finds the product. D: bodies and a source's archived copy.

Each builder reads only what ``queryset_for`` loads, so rebuilding the index costs a few
queries per batch, not per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from intel.pages import PAGE_KINDS


@dataclass
class Document:
    kind: str
    object_id: int
    key: str
    title: str
    names: list[str] = field(default_factory=list)  # whole names and aliases: exact and typo matches
    a: list[str] = field(default_factory=list)
    b: list[str] = field(default_factory=list)
    c: list[str] = field(default_factory=list)
    d: list[str] = field(default_factory=list)


def _names(page) -> list[str]:
    return [page.name, *(alias for alias in (page.aliases or []) if isinstance(alias, str))]


def _name_of(related) -> list[str]:
    return [related.name] if related is not None else []


def _company(page) -> Document:
    names = _names(page)
    return Document("company", page.pk, page.slug, page.name, names=names, a=names, d=[page.body])


def _architecture(page) -> Document:
    return Document(
        "architecture", page.pk, page.slug, page.name, names=[page.name], a=[page.name],
        c=_name_of(page.vendor), d=[page.body],
    )  # fmt: skip


def _product(page) -> Document:
    return Document(
        "product", page.pk, page.slug, page.name, names=[page.name], a=[page.name],
        c=_name_of(page.vendor) + _name_of(page.architecture), d=[page.body],
    )  # fmt: skip


def _milestone(page) -> Document:
    return Document(
        "milestone", page.pk, str(page.pk), page.title, a=[page.title],
        c=_name_of(page.company) + _name_of(page.product), d=[page.body],
    )  # fmt: skip


def _source(page) -> Document:
    authors = [author for author in (page.authors or []) if isinstance(author, str)]
    snapshot_text = page.snapshot.text if page.snapshot_id else ""
    return Document(
        "source", page.pk, str(page.pk), page.title, a=[page.title, page.title_en],
        c=[page.publisher, *authors], d=[page.body, snapshot_text],
    )  # fmt: skip


def _person(page) -> Document:
    names = _names(page)
    return Document(
        "person", page.pk, page.slug, page.name, names=names, a=names,
        c=[page.role, *_name_of(page.affiliation)], d=[page.body],
    )  # fmt: skip


def _claim(page) -> Document:
    citations = list(page.citations.all())
    return Document(
        "claim", page.pk, str(page.pk), page.statement, b=[page.statement, page.metric],
        c=[text for citation in citations for text in (citation.quote, citation.translation)], d=[page.body],
    )  # fmt: skip


BUILDERS: dict[str, Callable] = {
    "company": _company,
    "architecture": _architecture,
    "product": _product,
    "milestone": _milestone,
    "source": _source,
    "person": _person,
    "claim": _claim,
}

_RELATED = {
    "architecture": ["vendor"],
    "product": ["vendor", "architecture"],
    "milestone": ["company", "product"],
    "source": ["snapshot"],
    "person": ["affiliation"],
}


def queryset_for(kind: str) -> QuerySet:
    """The pages of ``kind`` with what their documents need, in one or two queries per batch."""
    from intel.models import Citation

    queryset = PAGE_KINDS[kind].model.objects.all()
    if kind in _RELATED:
        queryset = queryset.select_related(*_RELATED[kind])
    if kind == "source":  # the archived text, not the original bytes (megabytes of them)
        queryset = queryset.defer("snapshot__original")
    if kind == "claim":
        queryset = queryset.prefetch_related(
            Prefetch("citations", queryset=Citation.objects.only("claim_id", "quote", "translation"))
        )
    return queryset


def document_for(kind: str, page) -> Document:
    return BUILDERS[kind](page)


def documents(kind: str, pages: Iterable) -> list[Document]:
    build = BUILDERS[kind]
    return [build(page) for page in pages]
