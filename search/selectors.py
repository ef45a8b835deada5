"""One search over every kind of page, for the results page, the API and search-as-you-type.

``search()`` asks the index for the best pages of each kind, loads those pages (a query or
two per kind shown, whatever the number of matches), and marks the query in their titles
and snippets. Groups come in the order of their best result, so the page the analyst meant
is the first result whichever kind it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from intel.pages import PAGE_KINDS, PageKind
from search import backends
from search.documents import document_for, queryset_for
from search.snippets import Highlighter, Marked, Snippet, mark, plain_text, snippet
from search.text import MAX_INDEXED_CHARS, QueryError, SearchQuery, parse_query

__all__ = ["QueryError", "SearchResults", "search"]

# What each tier means to a reader.
MATCHED = {4: "name", 3: "name or title", 2: "similar name", 1: "statement", 0: "text"}
# The fields a snippet is taken from, in order, by kind: (label, Document field, index or None for all).
SNIPPET_FIELDS = {
    "company": (("alias", "titles", None), ("description", "bodies", 0)),
    "architecture": (("vendor", "related", None), ("description", "bodies", 0)),
    "product": (("vendor or architecture", "related", None), ("description", "bodies", 0)),
    "milestone": (("company or product", "related", None), ("description", "bodies", 0)),
    "source": (
        ("English title", "titles", 1),
        ("publisher or author", "related", None),
        ("notes", "bodies", 0),
        ("archived copy", "bodies", 1),
    ),
    "person": (("alias", "titles", None), ("role or affiliation", "related", None), ("description", "bodies", 0)),
    "claim": (("metric", "statements", 1), ("quote or translation", "related", None), ("context", "bodies", 0)),
}
# Markdown is shown as text; rendering costs about 2 ms a KB, so only the start of a long body is.
MARKDOWN_SNIPPET_CHARS = 20_000
MARKDOWN_FIELDS = {"description", "notes", "context"}


@dataclass(frozen=True)
class Result:
    kind: PageKind
    page: object
    title: Marked
    snippet: Snippet | None
    score: float
    tier: int
    matched: str

    @property
    def url(self) -> str:
        return self.page.get_absolute_url()


@dataclass(frozen=True)
class Group:
    kind: PageKind
    results: list[Result]
    total: int
    total_is_capped: bool  # more match than were counted (PostgreSQL ranks a bounded number)


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    groups: list[Group]
    totals: dict[str, backends.Total]  # every kind that matches, shown or not

    @property
    def kinds(self) -> list[tuple[PageKind, backends.Total]]:
        """The kinds that match, best first: the filters of the results page."""
        ranked = sorted(self.totals.items(), key=lambda item: -item[1].best)
        return [(PAGE_KINDS[key], total) for key, total in ranked]


def search(*, text: str, kinds: list[str] | None = None, limit: int = 5, offset: int = 0) -> SearchResults:
    """The best ``limit`` pages of each kind (after ``offset``) for what was typed; QueryError if unsearchable."""
    query = parse_query(text)
    kinds = [kind for kind in PAGE_KINDS if not kinds or kind in kinds]
    hits, totals = backends.find(query, kinds=kinds, limit=limit, offset=offset)
    highlighter = Highlighter(query)
    by_kind: dict[str, list[backends.Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    groups = []
    for kind_key, kind_hits in by_kind.items():
        kind = PAGE_KINDS[kind_key]
        pages = queryset_for(kind_key).in_bulk([hit.object_id for hit in kind_hits])
        results = [_result(kind, pages[hit.object_id], hit, highlighter) for hit in kind_hits if hit.object_id in pages]
        total = totals[kind_key]
        groups.append(Group(kind=kind, results=results, total=total.count, total_is_capped=total.capped))
    groups.sort(key=lambda group: -totals[group.kind.key].best)
    return SearchResults(query=query, groups=groups, totals=totals)


def _result(kind: PageKind, page, hit: backends.Hit, highlighter: Highlighter) -> Result:
    document = document_for(kind.key, page)
    fields = []
    for label, field_name, index in SNIPPET_FIELDS[kind.key]:
        texts = getattr(document, field_name)
        for text in texts if index is None else texts[index : index + 1]:
            if text and text != document.title:
                if label in MARKDOWN_FIELDS:
                    text = plain_text(text[:MARKDOWN_SNIPPET_CHARS])
                fields.append((label, text[:MAX_INDEXED_CHARS]))
    found_in = snippet(fields, highlighter)
    matched = MATCHED[hit.tier]
    if hit.tier == 0 and found_in is not None and found_in.spans:
        matched = found_in.field  # "quote", "archived copy": more telling than "text"
    return Result(
        kind=kind,
        page=page,
        title=mark(document.title, highlighter),
        snippet=found_in,
        score=hit.score,
        tier=hit.tier,
        matched=matched,
    )


def pages_matching(*, text: str, kind: str, limit: int) -> list:
    """The best pages of one kind, without snippets (search-as-you-type); none for an unsearchable text."""
    try:
        query = parse_query(text, min_prefix=2)
    except QueryError:
        return []
    hits, _ = backends.find(query, kinds=[kind], limit=limit, count_other_kinds=False)
    pages = queryset_for(kind).in_bulk([hit.object_id for hit in hits])
    return [pages[hit.object_id] for hit in hits if hit.object_id in pages]
