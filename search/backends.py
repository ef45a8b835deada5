"""The query side of search, in each database's own terms.

Both databases get the same tokens (search/text.py) and the same plan: match every term,
add the pages whose name or alias is the query (exactly, or with a typo), then rank by tier
and, within a tier, by the database's text rank.

Tiers, highest first: 4 the query is a whole name or alias of the page; 3 every term is in
a name or title; 2 a name is spelled like the query (typo tolerance, pg_trgm similarity);
1 every term is in a claim's statement; 0 the terms are only in quotes, bodies or archived
copies. The text rank (PostgreSQL ``ts_rank`` with weights, SQLite FTS5 ``bm25`` with
weights, both scaled to 0..1) orders pages within a tier, and the name similarity adds to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

from intel.pages import PAGE_KINDS
from search.text import SearchQuery, Term

ALL_KINDS = list(PAGE_KINDS)

# Least pg_trgm similarity of a name to the query for a typo-tolerant match: "nvdia" ~ "nvidia" is 0.44.
MIN_SIMILARITY = 0.4
# A word of a longer name ("blackwell" of "Blackwell Ultra") counts a little less than a whole name.
# Similarities are rounded to 4 places on both databases, so a float4 and a float64 agree at the threshold.
WORD_OF_NAME = 0.9
# Pages of one kind ranked per query on PostgreSQL: a query matching more ranks the first this many the
# index returns (the name tiers are always complete: they come from the names table). Measured on a
# million claims (docs/performance.md): 1,000 costs 35-70 ms on a common word, 200 costs 10-35 ms.
CANDIDATES_PER_KIND = 200


@dataclass(frozen=True)
class Hit:
    """One ranked page: which, its score, and its tier (why it ranks where it does)."""

    kind: str
    object_id: int
    score: float
    tier: int


@dataclass(frozen=True)
class Total:
    """How many pages of one kind match, and the score of the best."""

    count: int
    best: float
    capped: bool  # more match than PostgreSQL ranked (CANDIDATES_PER_KIND of a kind)


def _postgres_term(term: Term, weights: str) -> str:
    suffix = f":{weights}" if weights else ""
    parts = []
    if term.tokens:
        parts.append(" <-> ".join(f"'{token}'{suffix}" for token in term.tokens))
    if term.prefix:
        parts.append(f"'{term.prefix}':*{weights}")
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def postgres_tsquery(query: SearchQuery, weights: str = "") -> str:
    """The ``to_tsquery('simple', …)`` text: every term, optionally only in the given weights."""
    return " & ".join(_postgres_term(term, weights) for term in query.terms)


def _fts5_term(term: Term) -> str:
    parts = []
    if term.tokens:
        parts.append('"' + " ".join(term.tokens) + '"')
    if term.prefix:
        parts.append(f'"{term.prefix}"*')
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def fts5_query(query: SearchQuery, columns: str = "") -> str:
    """The FTS5 MATCH text: every term, optionally only in the given columns."""
    expression = " AND ".join(_fts5_term(term) for term in query.terms)
    return f"{{{columns}}} : ({expression})" if columns else expression


def _params(query: SearchQuery, counted: list[str], shown: list[str], limit: int, offset: int) -> dict:
    params = {"key": query.key, "words": query.key.count(" ") + 1, "min_sim": MIN_SIMILARITY, "word": WORD_OF_NAME}
    params |= {"limit": limit, "offset": offset, "cap": CANDIDATES_PER_KIND}
    params |= {f"kind_{index}": kind for index, kind in enumerate(counted)}
    params |= {f"shown_{index}": kind for index, kind in enumerate(shown)}
    return params


def _placeholders(name: str, count: int) -> str:
    return ", ".join(f"%({name}_{index})s" for index in range(count))


def _similarity(postgres: bool) -> str:
    """A name row's similarity to the query: pg_trgm's (or its Python twin), a word of a name a little less."""
    function = "similarity" if postgres else "search_similarity"
    value = f"{function}(n.name, %(key)s) * CASE WHEN n.whole THEN 1.0 ELSE %(word)s END"
    return f"round(({value})::numeric, 4)::float" if postgres else f"round({value}, 4)"


def _name_rows(postgres: bool, fuzzy: bool) -> str:
    """SQL selecting (entry_id, similarity, exact) of the names that match the query whole or, for a typo, nearly.

    The one definition of a name match, for the ranked search and for ``?search=`` on lists.
    """
    typo = ""
    if fuzzy:
        # pg_trgm's % operator (similarity over 0.3) lets the trigram index find the candidates.
        index = "n.name %% %(key)s AND " if postgres else ""
        typo = f"OR ({index}n.words = %(words)s AND {_similarity(postgres)} >= %(min_sim)s)"
    exact = "bool_or(n.whole AND n.name = %(key)s)" if postgres else "max(n.whole AND n.name = %(key)s)"
    return (
        f"SELECT n.entry_id, max({_similarity(postgres)}) AS similarity, {exact} AS exact "
        f"FROM search_searchname n WHERE n.name = %(key)s {typo} GROUP BY n.entry_id"
    )


# Scores and positions within each kind; then the rows of the shown kinds on the asked page, and one
# row a kind (position 0) with its total and best score.
_RANKED = """
ranked AS (
  SELECT *, tier * 10 + text_rank + similarity AS score,
         row_number() OVER (PARTITION BY kind ORDER BY tier * 10 + text_rank + similarity DESC, id) AS position,
         count(*) OVER (PARTITION BY kind) AS total
  FROM scored
)
SELECT kind, position, object_id, score, tier, total
FROM ranked WHERE position > %(offset)s AND position <= %(offset)s + %(limit)s AND position <= %(cap)s
  AND kind IN ({shown})
UNION ALL
SELECT kind, 0, NULL, score, NULL, total FROM ranked WHERE position = 1
ORDER BY 1, 2
"""

# The tier of a scored row, the same on both databases; {in_a} and {in_ab} test the weights.
_TIER = """CASE WHEN coalesce(f.exact, {false}) THEN 4
              WHEN {in_a} THEN 3
              WHEN coalesce(f.similarity, 0) >= %(min_sim)s THEN 2
              WHEN {in_ab} THEN 1
              ELSE 0 END"""
# A name's similarity adds to the score only from the threshold on (PostgreSQL's % operator lets
# rows from 0.3 through, SQLite's filter does not).
_SIMILARITY = "CASE WHEN coalesce(f.similarity, 0) >= %(min_sim)s THEN f.similarity ELSE 0 END"


def _postgres_find(query: SearchQuery, counted: list[str], shown: list[str], limit: int, offset: int):
    params = _params(query, counted, shown, limit, offset) | {
        "q_all": postgres_tsquery(query),
        "q_a": postgres_tsquery(query, "A"),
        "q_ab": postgres_tsquery(query, "AB"),
    }
    # One query per kind, each served by that kind's GIN index, each stopping at the cap (+1 to tell
    # "exactly 200" from "more").
    per_kind = "\n  UNION ALL ".join(
        f"(SELECT e.id FROM search_searchentry e WHERE e.kind = %(kind_{index})s"
        f" AND e.document @@ to_tsquery('simple', %(q_all)s) LIMIT %(cap)s + 1)"
        for index in range(len(counted))
    )
    tier = _TIER.format(
        false="false",
        in_a="e.document @@ to_tsquery('simple', %(q_a)s)",
        in_ab="e.document @@ to_tsquery('simple', %(q_ab)s)",
    )
    sql = f"""
WITH fuzzy AS ({_name_rows(True, query.fuzzy)}
), candidates AS (
  {per_kind}
  UNION SELECT f.entry_id FROM fuzzy f WHERE f.exact OR f.similarity >= %(min_sim)s
), scored AS MATERIALIZED (
  SELECT e.id, e.kind, e.object_id, {tier} AS tier, {_SIMILARITY} AS similarity,
         ts_rank('{{0.1, 0.2, 0.4, 1.0}}', e.document, to_tsquery('simple', %(q_all)s), 32) AS text_rank
  FROM (SELECT DISTINCT id FROM candidates) c
  JOIN search_searchentry e ON e.id = c.id
  LEFT JOIN fuzzy f ON f.entry_id = e.id
  WHERE e.kind IN ({_placeholders("kind", len(counted))})
), {_RANKED.replace("{shown}", _placeholders("shown", len(shown)))}"""
    return sql, params


def _sqlite_find(query: SearchQuery, counted: list[str], shown: list[str], limit: int, offset: int):
    params = _params(query, counted, shown, limit, offset) | {
        "q_all": fts5_query(query),
        "q_a": fts5_query(query, "tokens_a"),
        "q_ab": fts5_query(query, "tokens_a tokens_b"),
    }
    tier = _TIER.format(false="0", in_a="e.id IN (SELECT id FROM in_a)", in_ab="e.id IN (SELECT id FROM in_ab)")
    sql = f"""
WITH fuzzy AS ({_name_rows(False, query.fuzzy)}
), matched AS (
  SELECT rowid AS id, bm25(search_fts, 10.0, 4.0, 2.0, 1.0) AS bm25 FROM search_fts WHERE search_fts MATCH %(q_all)s
), in_a AS (
  SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %(q_a)s
), in_ab AS (
  SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %(q_ab)s
), candidates AS (
  SELECT id FROM matched UNION SELECT entry_id FROM fuzzy WHERE exact OR similarity >= %(min_sim)s
), scored AS (
  SELECT e.id, e.kind, e.object_id, {tier} AS tier, {_SIMILARITY} AS similarity,
         coalesce(-m.bm25 / (1.0 - m.bm25), 0) AS text_rank
  FROM candidates c
  JOIN search_searchentry e ON e.id = c.id
  LEFT JOIN matched m ON m.id = e.id
  LEFT JOIN fuzzy f ON f.entry_id = e.id
  WHERE e.kind IN ({_placeholders("kind", len(counted))})
), {_RANKED.replace("{shown}", _placeholders("shown", len(shown)))}"""
    return sql, params


def find(
    query: SearchQuery, *, kinds: list[str], limit: int, offset: int = 0, count_other_kinds: bool = True
) -> tuple[list[Hit], dict[str, Total]]:
    """The best ``limit`` pages of each of ``kinds`` after ``offset``, in rank order, and the kinds' totals.

    Totals come for every kind unless ``count_other_kinds`` is false (a lookup of one kind). Results
    stop at CANDIDATES_PER_KIND of a kind on both databases: a page past it is empty.
    """
    postgres = connection.vendor == "postgresql"
    counted = ALL_KINDS if count_other_kinds else [kind for kind in ALL_KINDS if kind in kinds]
    build = _postgres_find if postgres else _sqlite_find
    sql, params = build(query, counted, kinds, limit, offset)
    hits, totals = [], {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, position, object_id, score, tier, total in cursor.fetchall():
            if position == 0:
                capped = postgres and total > CANDIDATES_PER_KIND
                totals[kind] = Total(
                    count=min(total, CANDIDATES_PER_KIND) if capped else total, best=score, capped=capped
                )
            else:
                hits.append(Hit(kind, object_id, score, tier))
    return hits, totals


def matching_ids_sql(query: SearchQuery, kind: str) -> tuple[str, list]:
    """SQL selecting the ids of the pages of ``kind`` that match (every one): for ``?search=`` on a list."""
    postgres = connection.vendor == "postgresql"
    params = _params(query, [kind], [kind], 0, 0)
    if postgres:
        params["q_all"] = postgres_tsquery(query)
        text_match = "e.document @@ to_tsquery('simple', %(q_all)s)"
    else:
        params["q_all"] = fts5_query(query)
        text_match = "e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %(q_all)s)"
    sql = (
        f"SELECT e.object_id FROM search_searchentry e WHERE e.kind = %(kind_0)s AND ({text_match} OR e.id IN ("
        f"SELECT entry_id FROM ({_name_rows(postgres, query.fuzzy)}) f WHERE f.exact OR f.similarity >= %(min_sim)s))"
    )
    return _positional(sql, params)


def _positional(sql: str, params: dict) -> tuple[str, list]:
    """``%(name)s`` placeholders as ``%s`` with their values in order (RawSQL takes a list)."""
    values = []

    def placeholder(match: re.Match) -> str:
        values.append(params[match.group(1)])
        return "%s"

    return _NAMED.sub(placeholder, sql), values


_NAMED = re.compile(r"%\((\w+)\)s")


def trigram_similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's ``similarity()`` in Python, for SQLite: shared trigrams over all trigrams of the two."""
    if not a or not b:
        return 0.0
    first, second = _trigrams(a), _trigrams(b)
    if not first or not second:
        return 0.0
    common = len(first & second)
    return common / (len(first) + len(second) - common)


def _trigrams(text: str) -> set[str]:
    trigrams = set()
    word = []
    for char in text.lower() + " ":
        if char.isalnum():
            word.append(char)
        elif word:
            padded = "  " + "".join(word) + " "
            trigrams.update(padded[i : i + 3] for i in range(len(padded) - 2))
            word = []
    return trigrams
