"""The floor: GET /api/claims/?page_size=N answered with raw psycopg and orjson, no framework.

What the database and the wire cost anyway: the same page of claims with their citations, links
and support as intel's API gives (bench/run.py checks the two bodies are equal), made by three
queries on one kept connection and a few dict literals. intel's API figure over this one is the
price of Django, DRF, authentication, permissions, throttling and the transaction per request.

Served by gunicorn like intel (``gunicorn floor:app`` from bench/, FLOOR_DATABASE_URL set) and
called in-process by the benchmark (``claims_page``). Only the first page and ``?cursor=`` pages
of the claims list: nothing else.
"""

from __future__ import annotations

import base64
import os
from decimal import Decimal
from urllib.parse import parse_qs, quote

import orjson
import psycopg

CLAIMS = """
SELECT id, statement, kind, metric, value, unit, period_date, period_precision, status, status_note, credibility,
       body, created, updated
FROM intel_claim WHERE id < %s ORDER BY id DESC LIMIT %s
"""
LINKS = """
SELECT l.claim_id, 'companies', c.id, c.slug, c.name FROM intel_claim_companies l
  JOIN companies_company c ON c.id = l.company_id WHERE l.claim_id = ANY(%(ids)s)
UNION ALL
SELECT l.claim_id, 'products', p.id, p.slug, p.name FROM intel_claim_products l
  JOIN products_product p ON p.id = l.product_id WHERE l.claim_id = ANY(%(ids)s)
UNION ALL
SELECT l.claim_id, 'milestones', m.id, '', m.title FROM intel_claim_milestones l
  JOIN products_milestone m ON m.id = l.milestone_id WHERE l.claim_id = ANY(%(ids)s)
"""
CITATIONS = """
SELECT t.claim_id, t.id, s.id, s.title, s.publisher, s.reliability, s.moderation_state, p.id, p.slug, p.name,
       t.quote, t.translation, t.locator, t.verification, t.anchor_note
FROM intel_citation t JOIN intel_source s ON s.id = t.source_id LEFT JOIN intel_person p ON p.id = t.speaker_id
WHERE t.claim_id = ANY(%s) ORDER BY t.claim_id, t.id
"""
RELIABILITY_ORDER = "ABCDEF"
MAX_ID = 2**63 - 1


def _period(day, precision: str) -> str | None:
    if day is None:
        return None
    match precision:
        case "year":
            return f"{day.year}"
        case "half":
            return f"{day.year}-H{1 if day.month <= 6 else 2}"
        case "quarter":
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        case "month":
            return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def _time(value) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _support(citations: list[dict]) -> dict:
    approved = {}
    not_found = 0
    for citation in citations:
        source = citation["source"]
        if citation["verification"] == "not_found":
            not_found += 1
        if source["moderation_state"] == "approved":
            approved[source["id"]] = (source["reliability"], source["publisher"] or "")
    publishers = {publisher.strip().casefold() or f"#{pk}" for pk, (_, publisher) in approved.items()}
    ratings = sorted((reliability for reliability, _ in approved.values()), key=RELIABILITY_ORDER.find)
    return {
        "approved_sources": len(approved),
        "approved_publishers": len(publishers),
        "best_reliability": ratings[0] if ratings else None,
        "quotes_not_found": not_found,
        "unsupported": not approved,
    }


def claims_page(conn, *, base_url: str, page_size: int = 100, before: int = MAX_ID) -> dict:
    """One page of claims, newest first (the API's order), as the API writes it."""
    claims = conn.execute(CLAIMS, (before, page_size)).fetchall()
    ids = [row[0] for row in claims]
    links = {claim_id: {"companies": [], "products": [], "milestones": []} for claim_id in ids}
    for claim_id, kind, link_id, slug, name in conn.execute(LINKS, {"ids": ids}):
        if kind == "milestones":
            links[claim_id][kind].append({"id": link_id, "title": name})
        else:
            links[claim_id][kind].append({"id": link_id, "slug": slug, "name": name})
    for by_kind in links.values():
        for items in by_kind.values():
            items.sort(key=lambda item: (item.get("name") or item.get("title"), item["id"]))
    citations = {claim_id: [] for claim_id in ids}
    for claim_id, pk, source_id, title, publisher, reliability, moderation, *rest in conn.execute(CITATIONS, (ids,)):
        speaker_id, slug, name, quote_text, translation, locator, verification, note = rest
        citations[claim_id].append({
            "id": pk,
            "source": {"id": source_id, "title": title, "publisher": publisher, "reliability": reliability,
                       "moderation_state": moderation},
            "speaker": {"id": speaker_id, "slug": slug, "name": name} if speaker_id else None,
            "quote": quote_text, "translation": translation, "locator": locator, "verification": verification,
            "verification_note": note,
        })  # fmt: skip
    results = []
    for row in claims:
        pk, statement, kind, metric, value, unit, day, precision, status, note, credibility, body, made, changed = row
        results.append({
            "id": pk, "api_url": f"{base_url}/api/claims/{pk}/", "page_url": f"{base_url}/claims/{pk}/",
            "statement": statement, "kind": kind, "metric": metric,
            "value": None if value is None else format(Decimal(value).normalize(), "f"), "unit": unit,
            "period": _period(day, precision), "status": status, "status_note": note,
            "support": _support(citations[pk]), "credibility": credibility, **links[pk], "body": body,
            "citations": citations[pk], "created": _time(made), "updated": _time(changed),
        })  # fmt: skip
    following = None
    if len(claims) == page_size:
        cursor = quote(base64.b64encode(f"p={ids[-1]}".encode()).decode(), safe="")
        following = f"{base_url}/api/claims/?cursor={cursor}&page_size={page_size}"
    return {"next": following, "previous": None, "results": results}  # no way back: the floor reads forward only


_connection = None


def _conn():
    """One connection per process, kept (as intel keeps its own with CONN_MAX_AGE)."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["FLOOR_DATABASE_URL"], autocommit=True)
    return _connection


def app(environ, start_response):
    """The WSGI app: /api/claims/ only; 404 for anything else."""
    if environ.get("PATH_INFO") != "/api/claims/":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not here"]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    page_size = int(query.get("page_size", ["100"])[0])
    before = MAX_ID
    if "cursor" in query:
        before = int(base64.b64decode(query["cursor"][0]).decode().removeprefix("p="))
    base_url = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', 'localhost')}"
    body = orjson.dumps(claims_page(_conn(), base_url=base_url, page_size=page_size, before=before))
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
