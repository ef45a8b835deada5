"""Keep the search index current: every save and deletion of a page, and the rebuild command.

Saves reach the index through signals (search/apps.py), so every door that writes a page
(the wiki's editing services, the API, the admin, the demo loader, a test's factory) keeps it
current, inside the same transaction: a rolled-back edit leaves the index as it was. A
claim's citations and a source's archived copy are part of their page's entry, and a page's
name is part of the entries of the pages that show it (a product's vendor): renaming
Nvidia re-indexes its products.

Inside one edit (:func:`batched`, entered by ``intel.revisions.revision``) each page touched is
indexed once, at the end, as the database then has it: a claim saved with three citations
was indexed four times, a tenth of the edit at scale L (bench/profile_scenario.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, transaction

from intel.pages import PAGE_KINDS
from search.documents import Document, document_for, documents, queryset_for
from search.models import SearchEntry, SearchName
from search.text import index_tokens, name_key, name_words

# Pages whose names other pages' entries show: (dependent kind, its field naming this kind).
DEPENDENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "company": (("architecture", "vendor"), ("product", "vendor"), ("milestone", "company"), ("person", "affiliation")),
    "architecture": (("product", "architecture"),),
    "product": (("milestone", "product"),),
}
REBUILD_BATCH = 1000


def _tokens(texts: list[str]) -> str:
    return " ".join(filter(None, (index_tokens(text) for text in texts if text)))


def entry_for(document: Document) -> SearchEntry:
    """The unsaved entry of a document: its tokens by weight."""
    return SearchEntry(
        kind=document.kind,
        object_id=document.object_id,
        key=document.key[:200],
        title=document.title[:500],
        tokens_a=_tokens(document.titles),
        tokens_b=_tokens(document.statements),
        tokens_c=_tokens(document.related),
        tokens_d=_tokens(document.bodies),
    )


def _name_rows(entry: SearchEntry, document: Document) -> list[SearchName]:
    """Each name and alias whole, and each word of the longer ones (unless also a whole name)."""
    rows: dict[tuple[str, bool], None] = {}
    for name in document.names:
        key = name_key(name)
        if key:
            rows[key, True] = None
        for word in name_words(name) if " " in key else ():
            rows.setdefault((word, False), None)
    whole = {name for name, is_whole in rows if is_whole}
    return [
        SearchName(entry=entry, name=name, whole=is_whole, words=min(name.count(" ") + 1, 100))
        for name, is_whole in rows
        if is_whole or name not in whole
    ]


def write_documents(docs: list[Document]) -> list[SearchEntry]:
    """Insert or update the entries of ``docs`` and replace their names."""
    if not docs:
        return []
    entries = SearchEntry.objects.bulk_create(
        [entry_for(document) for document in docs],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["key", "title", "tokens_a", "tokens_b", "tokens_c", "tokens_d", "updated"],
    )
    # Pages with names of their own (companies, products, people…) always list at least that name.
    named = [(entry, document) for entry, document in zip(entries, docs, strict=True) if document.names]
    if named:
        SearchName.objects.filter(entry__in=[entry.pk for entry, _ in named]).delete()
        SearchName.objects.bulk_create([row for entry, document in named for row in _name_rows(entry, document)])
    return entries


_pending: ContextVar[set[tuple[str, int]] | None] = ContextVar("search_pending", default=None)


@contextmanager
def batched():
    """Index the pages saved or deleted inside once each, when the block ends without an error.

    Nested blocks join the outermost one. Still inside the writer's transaction: a rolled-back
    edit leaves the index as it was."""
    if _pending.get() is not None:
        yield
        return
    pending: set[tuple[str, int]] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for kind, pk in sorted(pending):
        index_page_id(kind, pk)


_PAUSED: set[tuple[str, int]] = set()  # the pending set while indexing is paused: never read


@contextmanager
def paused():
    """Saves inside are not indexed at all: for a bulk load (a backup's import) that rebuilds the index after."""
    token = _pending.set(_PAUSED)
    try:
        yield
    finally:
        _pending.reset(token)
    _PAUSED.clear()


def page_changed(kind: str, pk: int, page=None) -> None:
    """A page (``page``, as just saved, when there is one in memory) was written or deleted: index it now,
    or at the end of the edit when inside :func:`batched`."""
    pending = _pending.get()
    if pending is _PAUSED:
        return
    if pending is not None:
        pending.add((kind, pk))
    elif page is None:
        index_page_id(kind, pk)
    else:
        index_page(kind, page)


def index_page_id(kind: str, pk: int) -> None:
    """Index one page as the database has it (or remove its entry when it is gone)."""
    page = queryset_for(kind).filter(pk=pk).first()
    if page is None:
        remove_page(kind, pk)
    else:
        index_page(kind, page)


def index_page(kind: str, page) -> None:
    """Index one page as it is in memory (just saved), and the pages that show its name if that changed."""
    document = document_for(kind, page)
    names_before = None
    if kind in DEPENDENTS:
        names_before = (
            SearchEntry.objects.filter(kind=kind, object_id=page.pk).values_list("tokens_a", flat=True).first()
        )
    [entry] = write_documents([document])
    if names_before is not None and names_before != entry.tokens_a:
        _reindex_dependents(kind, page.pk)


def _reindex_dependents(kind: str, pk: int) -> None:
    for dependent_kind, field_name in DEPENDENTS[kind]:
        pages = list(queryset_for(dependent_kind).filter(**{f"{field_name}_id": pk}))
        write_documents(documents(dependent_kind, pages))


def remove_page(kind: str, pk: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=pk).delete()


@dataclass(frozen=True)
class RebuildReport:
    kind: str
    pages: int
    seconds: float


def _analyze() -> None:
    """Fresh statistics, so the planner knows how many entries each kind has now (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry, search_searchname")


def rebuild(
    *, kinds: list[str] | None = None, progress: Callable[[RebuildReport], None] | None = None
) -> list[RebuildReport]:
    """Index every page again from scratch, a kind at a time, in one transaction.

    Readers see the old index until the new one is committed (on PostgreSQL; SQLite makes
    them wait). Entries of pages that no longer exist go.
    """
    reports = []
    with transaction.atomic():
        for kind in kinds or list(PAGE_KINDS):
            started = time.perf_counter()
            SearchEntry.objects.filter(kind=kind).delete()
            count = 0
            last_pk = 0
            while True:
                pages = list(queryset_for(kind).filter(pk__gt=last_pk).order_by("pk")[:REBUILD_BATCH])
                if not pages:
                    break
                write_documents(documents(kind, pages))
                count += len(pages)
                last_pk = pages[-1].pk
            report = RebuildReport(kind=kind, pages=count, seconds=time.perf_counter() - started)
            reports.append(report)
            if progress:
                progress(report)
        _analyze()
    return reports
