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
    kind: str
    object_id: int
    key: str
    title: str
    score: float
    tier: int
    similarity: float


@dataclass(frozen=True)
class Total:
    """How many pages of one kind match, and the score of the best."""

    count: int
    best: float
    capped: bool  # PostgreSQL counted (and ranked) only the first CANDIDATES_PER_KIND; more match


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


def _params(query: SearchQuery, kinds: list[str], limit: int, offset: int) -> dict:
    params = {"key": query.key, "min_sim": MIN_SIMILARITY, "word": WORD_OF_NAME, "limit": limit, "offset": offset}
    params["words"] = query.key.count(" ") + 1
    params |= {f"kind_{index}": kind for index, kind in enumerate(ALL_KINDS)}
    params |= {f"shown_{index}": kind for index, kind in enumerate(kinds)}
    return params


def _kinds_list(kinds: list[str], name: str = "kind") -> str:
    return ", ".join(f"%({name}_{index})s" for index in range(len(kinds)))


def _ranked(kinds: list[str]) -> str:
    return _RANKED.replace("{shown}", _kinds_list(kinds, "shown"))


_RANKED = """
ranked AS (
  SELECT *, tier * 10 + text_rank + similarity AS score,
         row_number() OVER (PARTITION BY kind ORDER BY tier * 10 + text_rank + similarity DESC, id) AS position,
         count(*) OVER (PARTITION BY kind) AS total
  FROM scored
)
SELECT kind, position, object_id, key, title, score, tier, similarity, total
FROM ranked WHERE position > %(offset)s AND position <= %(offset)s + %(limit)s AND kind IN ({shown})
UNION ALL
SELECT kind, 0, NULL, NULL, NULL, score, NULL, NULL, total FROM ranked WHERE position = 1
ORDER BY 1, 2
"""


def _postgres_find(query: SearchQuery, kinds: list[str], limit: int, offset: int) -> tuple[str, dict]:
    params = _params(query, kinds, limit, offset) | {
        "q_all": postgres_tsquery(query),
        "q_a": postgres_tsquery(query, "A"),
        "q_ab": postgres_tsquery(query, "AB"),
        "cap": max(CANDIDATES_PER_KIND, offset + limit),
    }
    typo = "OR (n.name %% %(key)s AND n.words = %(words)s)" if query.fuzzy else ""
    per_kind = "\n  UNION ALL ".join(
        f"(SELECT e.id FROM search_searchentry e WHERE e.kind = %(kind_{index})s"
        f" AND e.document @@ to_tsquery('simple', %(q_all)s) LIMIT %(cap)s)"
        for index in range(len(ALL_KINDS))
    )
    sql = f"""
WITH fuzzy AS (
  SELECT n.entry_id,
         round(max(similarity(n.name, %(key)s) * CASE WHEN n.whole THEN 1.0 ELSE %(word)s END)::numeric, 4)::float
           AS similarity,
         bool_or(n.whole AND n.name = %(key)s) AS exact
  FROM search_searchname n WHERE n.name = %(key)s {typo}
  GROUP BY n.entry_id
), candidates AS (
  {per_kind}
  UNION SELECT f.entry_id FROM fuzzy f WHERE f.exact OR f.similarity >= %(min_sim)s
), scored AS MATERIALIZED (
  SELECT e.id, e.kind, e.object_id, e.key, e.title,
         CASE WHEN coalesce(f.exact, false) THEN 4
              WHEN e.document @@ to_tsquery('simple', %(q_a)s) THEN 3
              WHEN coalesce(f.similarity, 0) >= %(min_sim)s THEN 2
              WHEN e.document @@ to_tsquery('simple', %(q_ab)s) THEN 1
              ELSE 0 END AS tier,
         coalesce(f.similarity, 0) AS similarity,
         ts_rank('{{0.1, 0.2, 0.4, 1.0}}', e.document, to_tsquery('simple', %(q_all)s), 32) AS text_rank
  FROM (SELECT DISTINCT id FROM candidates) c
  JOIN search_searchentry e ON e.id = c.id
  LEFT JOIN fuzzy f ON f.entry_id = e.id
), {_ranked(kinds)}"""
    return sql, params


def _sqlite_find(query: SearchQuery, kinds: list[str], limit: int, offset: int) -> tuple[str, dict]:
    params = _params(query, kinds, limit, offset) | {
        "q_all": fts5_query(query),
        "q_a": fts5_query(query, "tokens_a"),
        "q_ab": fts5_query(query, "tokens_a tokens_b"),
    }
    typo = "OR (n.words = %(words)s AND search_similarity(n.name, %(key)s) >= %(min_sim)s)" if query.fuzzy else ""
    sql = f"""
WITH fuzzy AS (
  SELECT n.entry_id,
         round(max(search_similarity(n.name, %(key)s) * CASE WHEN n.whole THEN 1.0 ELSE %(word)s END), 4) AS similarity,
         max(n.whole AND n.name = %(key)s) AS exact
  FROM search_searchname n WHERE n.name = %(key)s {typo}
  GROUP BY n.entry_id
), matched AS (
  SELECT rowid AS id, bm25(search_fts, 10.0, 4.0, 2.0, 1.0) AS bm25 FROM search_fts WHERE search_fts MATCH %(q_all)s
), in_a AS (
  SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %(q_a)s
), in_ab AS (
  SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %(q_ab)s
), candidates AS (
  SELECT id FROM matched UNION SELECT entry_id FROM fuzzy WHERE exact OR similarity >= %(min_sim)s
), scored AS (
  SELECT e.id, e.kind, e.object_id, e.key, e.title,
         CASE WHEN coalesce(f.exact, 0) THEN 4
              WHEN e.id IN (SELECT id FROM in_a) THEN 3
              WHEN coalesce(f.similarity, 0) >= %(min_sim)s THEN 2
              WHEN e.id IN (SELECT id FROM in_ab) THEN 1
              ELSE 0 END AS tier,
         coalesce(f.similarity, 0) AS similarity,
         coalesce(-m.bm25 / (1.0 - m.bm25), 0) AS text_rank
  FROM candidates c
  JOIN search_searchentry e ON e.id = c.id
  LEFT JOIN matched m ON m.id = e.id
  LEFT JOIN fuzzy f ON f.entry_id = e.id
), {_ranked(kinds)}"""
    return sql, params


def find(query: SearchQuery, *, kinds: list[str], limit: int, offset: int = 0) -> tuple[list[Hit], dict[str, Total]]:
    """The best ``limit`` pages of each of ``kinds`` after ``offset``, in rank order, and every kind's total."""
    postgres = connection.vendor == "postgresql"
    sql, params = (_postgres_find if postgres else _sqlite_find)(query, kinds, limit, offset)
    hits, totals = [], {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, position, object_id, key, title, score, tier, similarity, total in cursor.fetchall():
            if position == 0:
                # On PostgreSQL a kind's candidates stop at the cap: reaching it means there may be more.
                capped = postgres and total >= params["cap"]
                totals[kind] = Total(count=total, best=score, capped=capped)
            else:
                hits.append(Hit(kind, object_id, key, title, score, tier, similarity))
    return hits, totals


def matching_ids_sql(query: SearchQuery, kind: str) -> tuple[str, list]:
    """SQL selecting the ids of the pages of ``kind`` that match: for ``?search=`` on a list."""
    if connection.vendor == "postgresql":
        typo = "OR (n.name %% %s AND n.words = %s AND similarity(n.name, %s) >= %s)" if query.fuzzy else ""
        sql = (
            "SELECT e.object_id FROM search_searchentry e WHERE e.kind = %s AND ("
            "e.document @@ to_tsquery('simple', %s) OR e.id IN ("
            f"SELECT n.entry_id FROM search_searchname n WHERE n.name = %s {typo}))"
        )
        params = [kind, postgres_tsquery(query), query.key]
    else:
        typo = "OR (n.words = %s AND search_similarity(n.name, %s) >= %s)" if query.fuzzy else ""
        sql = (
            "SELECT e.object_id FROM search_searchentry e WHERE e.kind = %s AND ("
            "e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) OR e.id IN ("
            f"SELECT n.entry_id FROM search_searchname n WHERE n.name = %s {typo}))"
        )
        params = [kind, fts5_query(query), query.key]
    words = query.key.count(" ") + 1
    if query.fuzzy and connection.vendor == "postgresql":
        params += [query.key, words, query.key, MIN_SIMILARITY]
    elif query.fuzzy:
        params += [words, query.key, MIN_SIMILARITY]
    return sql, params


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
