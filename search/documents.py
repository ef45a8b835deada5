"""What search indexes of each kind of page, by weight.

A ``titles``: names, aliases and titles. B ``statements``: a claim's statement and metric.
C ``related``: quotes and their translations, roles, publishers and the names of related
pages (a product's vendor), so "nvidia gb200" finds the product. D ``bodies``: bodies and
the start of a source's archived copy (search.text.MAX_INDEXED_CHARS).

Each builder reads only what ``queryset_for`` loads, so rebuilding the index costs a few
queries per batch, not per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, Substr

from intel.pages import PAGE_KINDS
from search.text import MAX_INDEXED_CHARS


@dataclass
class Document:
    kind: str
    object_id: int
    key: str
    title: str
    names: list[str] = field(default_factory=list)  # whole names and aliases: exact and typo matches
    titles: list[str] = field(default_factory=list)  # weight A
    statements: list[str] = field(default_factory=list)  # weight B
    related: list[str] = field(default_factory=list)  # weight C
    bodies: list[str] = field(default_factory=list)  # weight D


def _names(page) -> list[str]:
    """The name and the aliases (a list of strings; anything else the admin let through is ignored)."""
    aliases = page.aliases if isinstance(page.aliases, list) else []
    return [page.name, *(alias for alias in aliases if isinstance(alias, str))]


def _name_of(related) -> list[str]:
    return [related.name] if related is not None else []


def _company(page) -> Document:
    names = _names(page)
    return Document("company", page.pk, page.slug, page.name, names=names, titles=names, bodies=[page.body])


def _architecture(page) -> Document:
    return Document(
        "architecture", page.pk, page.slug, page.name, names=[page.name], titles=[page.name],
        related=_name_of(page.vendor), bodies=[page.body],
    )  # fmt: skip


def _product(page) -> Document:
    return Document(
        "product", page.pk, page.slug, page.name, names=[page.name], titles=[page.name],
        related=_name_of(page.vendor) + _name_of(page.architecture), bodies=[page.body],
    )  # fmt: skip


def _milestone(page) -> Document:
    return Document(
        "milestone", page.pk, str(page.pk), page.title, titles=[page.title],
        related=_name_of(page.company) + _name_of(page.product), bodies=[page.body],
    )  # fmt: skip


def _source(page) -> Document:
    authors = [author for author in page.authors if isinstance(author, str)] if isinstance(page.authors, list) else []
    snapshot_text = getattr(page, "snapshot_head", None)  # loaded by queryset_for: only the start
    if snapshot_text is None:
        snapshot_text = page.snapshot.text[:MAX_INDEXED_CHARS] if page.snapshot_id else ""
    return Document(
        "source", page.pk, str(page.pk), page.title, titles=[page.title, page.title_en],
        related=[page.publisher, *authors], bodies=[page.body, snapshot_text],
    )  # fmt: skip


def _person(page) -> Document:
    names = _names(page)
    return Document(
        "person", page.pk, page.slug, page.name, names=names, titles=names,
        related=[page.role, *_name_of(page.affiliation)], bodies=[page.body],
    )  # fmt: skip


def _claim(page) -> Document:
    citations = list(page.citations.all())
    return Document(
        "claim", page.pk, str(page.pk), page.statement, statements=[page.statement, page.metric],
        related=[text for citation in citations for text in (citation.quote, citation.translation)], bodies=[page.body],
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
    if kind == "source":  # the start of the archived text, not all of it nor the original bytes (megabytes)
        queryset = queryset.defer("snapshot__text", "snapshot__original").annotate(
            snapshot_head=Coalesce(Substr("snapshot__text", 1, MAX_INDEXED_CHARS), Value(""))
        )
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
