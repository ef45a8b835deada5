r"""Benchmark: search (search/) over a million claims and 100,000 archived sources, on PostgreSQL.

Not a test: run it by hand and copy the figures to docs/performance.md. Target: a search
(``search.selectors.search``, what the results page and /api/search/ call) answers in under
50 ms median, in English and in Chinese.

It never touches the developer's database: it works in a database of its own (``bench_search``
on 127.0.0.1:5432 unless --database-url names another; the name must contain "bench", since
--fresh drops it), created with a UTF-8 ctype so pg_trgm sees Chinese. Steps, each runnable
alone (--load-only, --index-only, --queries-only):

1. Load (skipped when the database already holds the asked numbers of claims and sources):
   --claims claims (1,000,000) of 1–2 citations each, whose statements and quotes mix English,
   simplified and traditional Chinese (AI-infrastructure vocabulary: Nvidia/英伟达/英偉達/輝達,
   Blackwell, GB200, HBM, 推理, 训练, socket, inference, data center, cloud…), --sources sources
   (100,000) each with an archived snapshot of 2–7 KB (about 30% of them Chinese, half of those
   traditional), a few thousand companies, architectures, products, milestones and people with
   aliases. Rows are generated with a seeded random generator and COPYed (psycopg 3
   ``cursor.copy``): no model instance, no signal (search's post_save receivers are
   disconnected anyway while loading).
2. Index: ``search.indexing.rebuild()`` timed (--index-method rebuild), or a faster path
   (--index-method fast: the same documents and tokens from search.documents / search.indexing,
   made in 2 processes and COPYed, the GIN index dropped first and built once at the end). Then
   VACUUM ANALYZE of the two search tables, and their sizes. Skipped when the index is complete
   (--reindex forces it).
3. Queries: English and Chinese, each --rounds times after --warmup, timed for
   ``search.backends.find`` alone (the SQL) and the full ``search.selectors.search`` (SQL +
   loading the pages + snippets): median and p95. Any query with a median above --explain-over
   ms gets its SQL's ``EXPLAIN (ANALYZE, BUFFERS)`` written to --out (/tmp/bench_search).

    .venv/bin/python bench/search_index.py --fresh        # everything: ~20 min (load 3, index 11, queries 4)
    .venv/bin/python bench/search_index.py --queries-only  # the queries again, on the loaded database
    .venv/bin/python bench/search_index.py --index-only --reindex --index-method fast   # the faster index build
    # a quick look (20 s), in a small database of its own:
    .venv/bin/python bench/search_index.py --fresh --claims 20000 --sources 2000 --companies 500 --products 600 \
        --people 300 --database-url postgres://postgres@127.0.0.1:5432/bench_search_small
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import multiprocessing
import os
import platform
import random
import shlex
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
os.environ.setdefault("DEBUG", "1")

from generate import SearchSignalsOff, create_database, migrate, setup_django  # noqa: E402
from vocabulary import (  # noqa: E402
    BODY_SENTENCES,
    CLAUSES_EN,
    CLAUSES_HANS,
    CLAUSES_HANT,
    COMPANY_SUFFIXES,
    ENDINGS,
    GIVEN,
    NAMED_ARCHITECTURES,
    NAMED_COMPANIES,
    NAMED_PEOPLE,
    NAMED_PRODUCTS,
    PERIODS_EN,
    PERIODS_HANS,
    PERIODS_HANT,
    PUBLISHERS_EN,
    PUBLISHERS_HANS,
    PUBLISHERS_HANT,
    QUOTES_EN,
    QUOTES_HANS,
    QUOTES_HANT,
    ROLES,
    SNAPSHOT_EN,
    SNAPSHOT_HANS,
    SNAPSHOT_HANT,
    STATEMENTS_EN,
    STATEMENTS_HANS,
    STATEMENTS_HANT,
    SURNAMES,
    SYLLABLES,
    ZH_GIVEN,
    ZH_NAME_CHARS,
    ZH_NAME_SUFFIXES,
    ZH_SURNAMES,
    Filler,
    Pools,
    _accumulate,
    _hans,
    _hant,
    weighted,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_search"
TARGET_MS = 50.0
ENGLISH_QUERIES = ["nvidia", "socket", "hbm supply", "blackwell ultra", "nvdia", "inference cost", "gb200"]
CHINESE_QUERIES = ["英伟达", "輝達", "推理", "推理服务", "达", "训练集群", "高带宽内存"]
CHUNK = 50_000  # claims generated and COPYed at a time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help=f"PostgreSQL URL of the bench database ({DEFAULT_URL})")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    steps = parser.add_mutually_exclusive_group()
    steps.add_argument("--load-only", action="store_true", help="create, migrate and load; no index, no queries")
    steps.add_argument("--index-only", action="store_true", help="(load if needed and) build the index; no queries")
    steps.add_argument("--queries-only", action="store_true", help="only time the queries (database loaded, indexed)")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=100_000, help="sources, each with a snapshot")
    parser.add_argument("--companies", type=int, default=2_000)
    parser.add_argument("--products", type=int, default=3_000)
    parser.add_argument("--people", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument(
        "--index-method", choices=["rebuild", "fast"], default="rebuild",
        help="rebuild: search.indexing.rebuild() as shipped; fast: 2 processes + COPY + GIN built at the end",
    )  # fmt: skip
    parser.add_argument("--reindex", action="store_true", help="build the index even if it is complete")
    parser.add_argument("--rounds", type=int, default=20, help="timed runs per query (20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs before them (2)")
    parser.add_argument("--query", action="append", help="time only these queries (repeatable)")
    parser.add_argument("--explain-over", type=float, default=TARGET_MS, help="EXPLAIN queries slower (ms median)")
    parser.add_argument("--out", default="/tmp/bench_search", help="folder of the EXPLAIN files and results.json")
    args = parser.parse_args(argv)
    url = args.database_url or os.environ.get("BENCH_SEARCH_URL") or DEFAULT_URL
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or "bench" not in parts.path:
        parser.error("--database-url must be a postgres:// URL whose database name contains 'bench' (it is dropped)")
    args.database_url = url
    args.db_name = parts.path.lstrip("/")
    return args


# -- the database ----------------------------------------------------------------------------


def meta_get(key: str, default=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_search_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
        cursor.execute("SELECT value FROM bench_search_meta WHERE key = %s", [key])
        row = cursor.fetchone()
    if row is None:
        return default
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


def meta_set(key: str, value) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_search_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
        cursor.execute(
            "INSERT INTO bench_search_meta (key, value) VALUES (%s, %s::jsonb) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value)],
        )


def count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def load(args) -> dict:
    """Fill the empty, migrated bench database; return the counts and seconds."""
    from api_claims import insert, reset_sequences
    from django.db import connection, transaction

    from companies.models import Company
    from intel.choices import ClaimKind, ClaimStatus, Credibility, ModerationState, Reliability, SourceKind
    from intel.models import Citation, Claim, Person, Snapshot, Source
    from products.choices import MilestoneKind, ProductKind
    from products.models import Architecture, Milestone, Product

    began = time.perf_counter()
    rng = random.Random(args.seed)
    now = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    start = now - datetime.timedelta(days=3 * 365)
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")

    def copy(model, rows):
        with transaction.atomic():
            insert(model, rows)
        counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(rows)

    # Companies: the named ones (most claims) and made-up ones, 30% of those with a Chinese alias.
    company_rows, weights, names = [], [], {}
    used = set()
    for index, (name, slug, aliases, weight) in enumerate(NAMED_COMPANIES, start=1):
        company_rows.append({"id": index, "name": name, "slug": slug, "aliases": aliases, "tracked": True})
        weights.append(weight)
        used.add(name)
    for index in range(len(company_rows) + 1, args.companies + 1):
        while True:
            name = f"{rng.choice(SYLLABLES)}{rng.choice(ENDINGS)} {rng.choice(COMPANY_SUFFIXES)}"
            if name not in used:
                break
            name = f"{name} {index}"
            break
        used.add(name)
        aliases = []
        if rng.random() < 0.3:
            aliases.append("".join(rng.sample(ZH_NAME_CHARS, 2)) + rng.choice(ZH_NAME_SUFFIXES))
        if rng.random() < 0.2:
            aliases.append(name.split()[0].upper())
        company_rows.append({"id": index, "name": name, "slug": f"c{index}", "aliases": aliases})
        weights.append(2.0 / (index**0.5))
    for row in company_rows:
        row.update(created=start, updated=start, kind="chip_vendor", body=f"{row['name']} makes chips for AI.")
        names[row["id"]] = (row["name"], _hans(row["aliases"]) or row["name"], _hant(row["aliases"]) or row["name"])
    slug_to_id = {row["slug"]: row["id"] for row in company_rows}
    company_ids = [row["id"] for row in company_rows]

    arch_rows, archs_of = [], {}
    for slug, archs in NAMED_ARCHITECTURES.items():
        for arch in archs:
            arch_rows.append({"id": len(arch_rows) + 1, "name": arch, "vendor_id": slug_to_id[slug]})
    for vendor in company_ids[len(NAMED_COMPANIES) : len(NAMED_COMPANIES) + 300]:
        name = f"{rng.choice(SYLLABLES)}{rng.choice(ENDINGS)} {rng.randint(1, 5)}"
        arch_rows.append({"id": len(arch_rows) + 1, "name": name,
                          "vendor_id": vendor})  # fmt: skip
    arch_ids = {}
    for row in arch_rows:
        row.update(slug=f"a{row['id']}", created=start, updated=start, body=f"The {row['name']} architecture.")
        archs_of.setdefault(row["vendor_id"], []).append(row["name"])
        arch_ids[row["vendor_id"], row["name"]] = row["id"]

    product_kinds = list(ProductKind.values)
    product_rows, products_of = [], {}
    for slug, products in NAMED_PRODUCTS.items():
        vendor = slug_to_id[slug]
        for name, arch in products:
            product_rows.append({"id": len(product_rows) + 1, "name": name, "vendor_id": vendor,
                                 "architecture_id": arch_ids.get((vendor, arch))})  # fmt: skip
    while len(product_rows) < args.products:
        vendor = company_ids[min(int(rng.paretovariate(0.8)), len(company_ids)) - 1]
        stem = rng.choice(["X", "N", "A", "Z", "Q", "T", "M", "S"]) + rng.choice(["", "i", "a", "P"])
        name = f"{stem}{rng.randint(10, 9999)}"
        if any(name == other for other, _ in products_of.get(vendor, [])):
            continue
        archs = archs_of.get(vendor)
        product_rows.append({"id": len(product_rows) + 1, "name": name, "vendor_id": vendor,
                             "architecture_id": arch_ids[vendor, rng.choice(archs)] if archs else None})  # fmt: skip
        products_of.setdefault(vendor, []).append((len(product_rows), name))
    products_of = {}
    for row in product_rows:
        row.update(slug=f"p{row['id']}", kind=rng.choice(product_kinds), created=start, updated=start,
                   body=f"{row['name']} by {names[row['vendor_id']][0]}.")  # fmt: skip
        products_of.setdefault(row["vendor_id"], []).append((row["id"], row["name"]))
    all_products = [(row["id"], row["name"]) for row in product_rows]

    milestone_rows = []
    for index in range(1, args.products // 2 + 1):
        product = rng.choice(product_rows)
        kind = rng.choice([MilestoneKind.SHIP, MilestoneKind.SAMPLE, MilestoneKind.VOLUME_PRODUCTION, MilestoneKind.GA])
        milestone_rows.append({
            "id": index, "title": f"{product['name']} {kind.label.lower()}", "company_id": product["vendor_id"],
            "product_id": product["id"], "kind": kind,
            "target_date": datetime.date(2025 + index % 3, (index % 4) * 3 + 1, 1),
            "target_precision": "quarter", "created": start, "updated": start,
            "body": f"When {product['name']} reaches {kind.label.lower()}.",
        })  # fmt: skip

    person_rows = []
    for index, (name, aliases, role, company) in enumerate(NAMED_PEOPLE, start=1):
        person_rows.append({"id": index, "name": name, "aliases": aliases, "role": role,
                            "affiliation_id": slug_to_id.get(company)})  # fmt: skip
    for index in range(len(person_rows) + 1, args.people + 1):
        if index % 3 == 0:
            name = rng.choice(ZH_SURNAMES) + "".join(rng.sample(ZH_GIVEN, rng.choice((1, 2))))
            aliases = [f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"] if rng.random() < 0.5 else []
        else:
            name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
            aliases = [rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN)] if rng.random() < 0.2 else []
        person_rows.append({"id": index, "name": name, "aliases": aliases, "role": rng.choice(ROLES),
                            "affiliation_id": rng.choice(company_ids[:200]) if index % 4 else None})  # fmt: skip
    for row in person_rows:
        row.update(slug=f"person-{row['id']}", created=start, updated=start, body="")

    for model, rows in ((Company, company_rows), (Architecture, arch_rows), (Product, product_rows),
                        (Milestone, milestone_rows), (Person, person_rows)):  # fmt: skip
        copy(model, rows)
    print(f"  {len(company_rows):,} companies, {len(arch_rows):,} architectures, {len(product_rows):,} products, "
          f"{len(milestone_rows):,} milestones, {len(person_rows):,} people", flush=True)  # fmt: skip

    pools = Pools(company_ids, _accumulate(weights), names, products_of, archs_of, all_products, len(person_rows))

    # Sources, each with one snapshot of 2–7 KB: 70% English (a few Chinese sentences), 15% simplified, 15% traditional.
    began_sources = time.perf_counter()
    filler = Filler(rng)
    topical = {"en": weighted(SNAPSHOT_EN), "hans": weighted(SNAPSHOT_HANS), "hant": weighted(SNAPSHOT_HANT)}
    source_kinds = list(SourceKind.values)
    reliabilities = list(Reliability.values)
    for first in range(1, args.sources + 1, CHUNK):
        source_rows, snapshot_rows = [], []
        for index in range(first, min(first + CHUNK, args.sources + 1)):
            script = rng.choices(("en", "hans", "hant"), (70, 15, 15))[0]
            co = rng.choices(company_ids, cum_weights=pools.company_cum)[0]
            en, hans, hant = names[co]
            prod = rng.choice(products_of.get(co) or all_products)[1]
            if script == "en":
                publisher = rng.choice(PUBLISHERS_EN)
                title = rng.choice([f"{en} and the data-center race: the {prod} ramp",
                                    f"Inside the {prod} supply chain",
                                    f"{en} earnings call transcript, {rng.choice(PERIODS_EN)}",
                                    f"How {en} plans to win inference", f"{prod}: what we know"])  # fmt: skip
            elif script == "hans":
                publisher = rng.choice(PUBLISHERS_HANS)
                title = rng.choice([f"{hans}{prod}最新进展", f"{hans}数据中心业务解读", f"{prod}供应链调查"])
            else:
                publisher = rng.choice(PUBLISHERS_HANT)
                title = rng.choice([f"{hant}{prod}最新動態", f"{hant}資料中心業務解析", f"{prod}供應鏈追蹤"])
            # A few topical sentences (names, products, the vocabulary queries look for) among generic ones.
            size = rng.randint(2_000, 7_000) // (1 if script == "en" else 3)  # characters (a Chinese one is 3 bytes)
            topical_pool, topical_cum = topical[script]
            parts = [rng.choices(topical_pool, cum_weights=topical_cum)[0] for _ in range(rng.randint(2, 6))]
            if rng.random() < 0.15:
                parts.append(rng.choice(SNAPSHOT_HANS + SNAPSHOT_HANT if script == "en" else SNAPSHOT_EN))
            parts.insert(0, f"{title}.")
            length = sum(len(part) + 1 for part in parts)
            while length < size:
                if script == "en":
                    sentence = filler.english(rng, rng.randint(8, 24))
                else:
                    sentence = filler.chinese(rng, rng.randint(12, 40), traditional=script == "hant")
                parts.insert(rng.randint(1, len(parts)), sentence)
                length += len(sentence) + 1
            text = (" " if script == "en" else "").join(parts)
            raw = text.encode()
            state = rng.choices(
                [ModerationState.PENDING, ModerationState.APPROVED, ModerationState.REJECTED], [18, 80, 2]
            )[0]
            published = start.date() + datetime.timedelta(days=rng.randrange(3 * 365))
            source_rows.append({
                "id": index, "kind": rng.choice(source_kinds), "title": title,
                "title_en": "" if script == "en" else f"{en}: {prod} update no. {index}",
                "url": f"https://example.com/{index}", "publisher": publisher,
                "authors": [f"Author {index % 997}"] if rng.random() < 0.7 else [],
                "language": {"en": "en", "hans": "zh-Hans", "hant": "zh-Hant"}[script],
                "published_date": published, "reliability": rng.choice(reliabilities),
                "moderation_state": state, "moderated_at": None if state == ModerationState.PENDING else now,
                "moderation_note": "Not a primary source." if state == ModerationState.REJECTED else "",
                "snapshot_id": index, "created": start, "updated": start,
                "body": "Earnings call, prepared remarks and Q&A." if rng.random() < 0.2 else "",
            })  # fmt: skip
            snapshot_rows.append({
                "id": index, "source_id": index, "created": now, "origin": "paste", "format": "text",
                "encoding": "utf-8", "encoding_detected": True, "size": len(raw),
                "sha256": hashlib.sha256(raw).hexdigest(), "original": raw, "text": text,
            })  # fmt: skip
        with transaction.atomic():  # the two point at each other: deferred foreign keys, one transaction
            insert(Source, source_rows)
            insert(Snapshot, snapshot_rows)
        counts["intel_source"] = counts.get("intel_source", 0) + len(source_rows)
        counts["intel_snapshot"] = counts.get("intel_snapshot", 0) + len(snapshot_rows)
    print(f"  {args.sources:,} sources with snapshots in {time.perf_counter() - began_sources:.0f} s", flush=True)

    # Claims with 1–2 citations: statements 65% English, 20% simplified, 15% traditional.
    began_claims = time.perf_counter()
    kinds = [ClaimKind.FACT, ClaimKind.METRIC, ClaimKind.FORECAST, ClaimKind.OPINION, ClaimKind.PLAN]
    statuses = list(ClaimStatus.values)
    credibilities = list(Credibility.values)
    step = (now - start) / args.claims
    citation_id = link_id = product_link_id = 0
    templates = {
        "en": (weighted(STATEMENTS_EN), weighted(CLAUSES_EN), PERIODS_EN, weighted(QUOTES_EN)),
        "hans": (weighted(STATEMENTS_HANS), weighted(CLAUSES_HANS), PERIODS_HANS, weighted(QUOTES_HANS)),
        "hant": (weighted(STATEMENTS_HANT), weighted(CLAUSES_HANT), PERIODS_HANT, weighted(QUOTES_HANT)),
    }

    def pick(pool):
        return rng.choices(pool[0], cum_weights=pool[1])[0]

    for first in range(1, args.claims + 1, CHUNK):
        claim_rows, citation_rows, company_links, product_links = [], [], [], []
        for claim_id in range(first, min(first + CHUNK, args.claims + 1)):
            created = start + step * claim_id
            co = rng.choices(company_ids, cum_weights=pools.company_cum)[0]
            script = rng.choices(("en", "hans", "hant"), (65, 20, 15))[0]
            product_id, prod = rng.choice(products_of.get(co) or all_products)
            statements, clauses, periods, _ = templates[script]
            values = {
                "co": names[co][{"en": 0, "hans": 1, "hant": 2}[script]],
                "prod": prod,
                "arch": rng.choice(archs_of.get(co) or ["Blackwell"]),
                "num": rng.randint(2, 400),
                "period": rng.choice(periods),
            }
            statement = pick(statements).format(**values) + pick(clauses)
            statement += "." if script == "en" else "。"
            kind = rng.choices(kinds, (50, 20, 12, 10, 8))[0]
            row = {
                "id": claim_id, "statement": statement, "kind": kind,
                "status": rng.choices(statuses, weights=[60, 25, 8, 2, 5][: len(statuses)])[0],
                "credibility": rng.choice(credibilities), "created": created, "updated": created,
            }  # fmt: skip
            if kind == ClaimKind.METRIC:
                row.update(metric=rng.choice(["revenue", "shipments", "market share", "ASP", "HBM capacity"]),
                           unit="bn USD", value=rng.randint(1, 2_000_000) / 100)  # fmt: skip
            if rng.random() < 0.2:
                row["body"] = "\n\n".join(
                    rng.choice(BODY_SENTENCES).format(co=names[co][0]) for _ in range(rng.randint(1, 3))
                )
            claim_rows.append(row)
            link_id += 1
            company_links.append({"id": link_id, "claim_id": claim_id, "company_id": co})
            if rng.random() < 0.5:
                product_link_id += 1
                product_links.append({"id": product_link_id, "claim_id": claim_id, "product_id": product_id})
            for _ in range(rng.choices((1, 2), (60, 40))[0]):
                citation_id += 1
                # The quote is in the statement's script mostly; an English claim sometimes cites a Chinese source.
                quote_script = script if rng.random() < 0.85 else rng.choice(("en", "hans", "hant"))
                quote = pick(templates[quote_script][3]).format(
                    **(values | {"period": rng.choice(templates[quote_script][2])})
                )
                citation_rows.append({
                    "id": citation_id, "claim_id": claim_id, "source_id": rng.randint(1, args.sources),
                    "speaker_id": rng.randint(1, pools.people) if rng.random() < 0.3 else None,
                    "quote": quote,
                    "translation": "" if quote_script == "en" else pick(templates["en"][3]).format(**values),
                    "verification": "unchecked", "created": created, "updated": created,
                })  # fmt: skip
        with transaction.atomic():
            insert(Claim, claim_rows)
            insert(Citation, citation_rows)
            insert(Claim.companies.through, company_links)
            insert(Claim.products.through, product_links)
        for model, rows in ((Claim, claim_rows), (Citation, citation_rows)):
            counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(rows)
        done = claim_rows[-1]["id"]
        rate = done / (time.perf_counter() - began_claims)
        print(f"  {done:,} claims ({citation_id:,} citations), {rate:,.0f} claims/s", flush=True)

    reset_sequences([Company, Architecture, Product, Milestone, Person, Source, Snapshot, Claim, Citation,
                     Claim.companies.through, Claim.products.through])  # fmt: skip
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    seconds = {"load_seconds": round(loaded - began, 1), "vacuum_seconds": round(time.perf_counter() - loaded, 1)}
    print(f"  loaded in {seconds['load_seconds']:.0f} s, VACUUM ANALYZE {seconds['vacuum_seconds']:.0f} s", flush=True)
    return counts | seconds


# -- the index -------------------------------------------------------------------------------


def page_count() -> int:
    from intel.pages import PAGE_KINDS

    return sum(kind.model.objects.count() for kind in PAGE_KINDS.values())


def build_index_rebuild() -> list[dict]:
    from search import indexing

    def progress(report):
        rate = report.pages / report.seconds if report.seconds else 0
        print(f"  {report.kind}: {report.pages:,} pages in {report.seconds:.1f} s ({rate:,.0f}/s)", flush=True)

    return [asdict(report) for report in indexing.rebuild(progress=progress)]


ENTRY_COLUMNS = ["kind", "object_id", "key", "title", "tokens_a", "tokens_b", "tokens_c", "tokens_d", "updated"]
FAST_BATCH = 2000


def _fast_worker(job) -> tuple[int, float]:
    """Index the pages of one kind with pk in [low, high): documents and tokens as search makes them, COPYed."""
    kind, low, high = job
    from django.db import connection
    from django.utils import timezone

    from search.documents import documents, queryset_for
    from search.indexing import entry_for

    started = time.perf_counter()
    now = timezone.now()
    done = 0
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        for batch_low in range(low, high, FAST_BATCH):
            pages = list(
                queryset_for(kind).filter(pk__gte=batch_low, pk__lt=min(batch_low + FAST_BATCH, high)).order_by("pk")
            )
            entries = [entry_for(document) for document in documents(kind, pages)]
            with cursor.cursor.copy(f"COPY search_searchentry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
                for e in entries:
                    copy.write_row(
                        (e.kind, e.object_id, e.key, e.title, e.tokens_a, e.tokens_b, e.tokens_c, e.tokens_d, now)
                    )
            done += len(pages)
    connection.close()
    return done, time.perf_counter() - started


# The kinds with a GIN index on document of their own (search/migrations/0003_document_index_per_kind.py).
DOCUMENT_INDEX_KINDS = ["company", "architecture", "product", "milestone", "source", "person", "claim"]


def build_index_fast(processes: int = 2) -> list[dict]:
    """The same entries as rebuild(), faster: the GIN index dropped, big kinds tokenized in processes and COPYed.

    Small kinds (those with names) go through search.indexing.write_documents as rebuild does.
    Bench-only: it drops and recreates the GIN indexes on document, one per kind (migration 0003).
    """
    from django.db import connection, connections, transaction

    from intel.pages import PAGE_KINDS
    from search.documents import documents, queryset_for
    from search.indexing import write_documents

    reports = []
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_searchname, search_searchentry RESTART IDENTITY")
        for kind in DOCUMENT_INDEX_KINDS:
            cursor.execute(f"DROP INDEX IF EXISTS search_entry_document_{kind}")
    big = {"claim", "source"}
    for kind in PAGE_KINDS:
        if kind in big:
            continue
        started = time.perf_counter()
        with transaction.atomic():
            pages = list(queryset_for(kind).order_by("pk"))
            write_documents(documents(kind, pages))
        reports.append({"kind": kind, "pages": len(pages), "seconds": round(time.perf_counter() - started, 1)})
        print(f"  {kind}: {len(pages):,} pages in {reports[-1]['seconds']:.1f} s", flush=True)
    for kind in sorted(big, reverse=True):  # source then claim
        model = PAGE_KINDS[kind].model
        top = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        slices = max(processes * 8, 1)
        size = math.ceil(top / slices)
        jobs = [(kind, low, min(low + size, top)) for low in range(1, top, size)]
        started = time.perf_counter()
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pages = sum(done for done, _ in pool.imap_unordered(_fast_worker, jobs))
        reports.append({"kind": kind, "pages": pages, "seconds": round(time.perf_counter() - started, 1)})
        print(f"  {kind}: {pages:,} pages in {reports[-1]['seconds']:.1f} s ({processes} processes, COPY)", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '2GB'")
        for kind in DOCUMENT_INDEX_KINDS:
            cursor.execute(
                f"CREATE INDEX search_entry_document_{kind} ON search_searchentry USING gin (document) "
                f"WHERE kind = '{kind}'"
            )
    reports.append({"kind": "GIN indexes", "pages": 0, "seconds": round(time.perf_counter() - started, 1)})
    print(f"  CREATE INDEX search_entry_document_<kind> (7): {reports[-1]['seconds']:.1f} s", flush=True)
    return reports


def build_index(method: str) -> dict:
    from django.db import connection

    started = time.perf_counter()
    with SearchSignalsOff():
        reports = build_index_rebuild() if method == "rebuild" else build_index_fast()
    built = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) search_searchentry")
        cursor.execute("VACUUM (ANALYZE) search_searchname")
    done = time.perf_counter()
    result = {
        "method": method,
        "seconds": round(built - started, 1),
        "vacuum_analyze_seconds": round(done - built, 1),
        "kinds": reports,
    }
    print(
        f"  index built ({method}) in {result['seconds']:.0f} s, "
        f"VACUUM ANALYZE {result['vacuum_analyze_seconds']:.0f} s"
    )
    return result


def sizes() -> dict:
    from django.db import connection

    statements = {
        "search_searchentry (total)": "pg_total_relation_size('search_searchentry')",
        "search_searchentry (heap)": "pg_relation_size('search_searchentry')",
        "search_searchentry TOAST": "(SELECT pg_total_relation_size(reltoastrelid) FROM pg_class "
        "WHERE oid = 'search_searchentry'::regclass)",
        "search_searchentry indexes": "pg_indexes_size('search_searchentry')",
        "GIN on document, claims": "pg_relation_size('search_entry_document_claim')",
        "GIN on document, sources": "pg_relation_size('search_entry_document_source')",
        "GIN on document, all 7 kinds": " + ".join(
            f"pg_relation_size('search_entry_document_{kind}')" for kind in DOCUMENT_INDEX_KINDS
        ),
        "search_searchname (total)": "pg_total_relation_size('search_searchname')",
        "trigram search_name_trigram_gin": "pg_relation_size('search_name_trigram_gin')",
        "intel_claim + intel_citation": (
            "pg_total_relation_size('intel_claim') + pg_total_relation_size('intel_citation')"
        ),
        "intel_snapshot": "pg_total_relation_size('intel_snapshot')",
        "database": "pg_database_size(current_database())",
    }
    out = {}
    with connection.cursor() as cursor:
        for label, expression in statements.items():
            cursor.execute(f"SELECT {expression}")
            out[label] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT kind, count(*), avg(pg_column_size(document))::int, max(pg_column_size(document)),"
            " avg(length(tokens_a) + length(tokens_b) + length(tokens_c) + length(tokens_d))::int"
            " FROM search_searchentry GROUP BY kind ORDER BY 2 DESC"
        )
        out["by kind"] = [
            {"kind": k, "entries": n, "document_avg_bytes": avg, "document_max_bytes": mx, "tokens_avg_chars": t}
            for k, n, avg, mx, t in cursor.fetchall()
        ]
    return out


def human(size: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


# -- the queries -----------------------------------------------------------------------------


@dataclass
class Timing:
    query: str
    language: str
    find_median: float
    find_p95: float
    full_median: float
    full_p95: float
    totals: dict = field(default_factory=dict)  # kind -> (count, capped)
    explain_file: str = ""


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def time_queries(args, queries: list[tuple[str, str]]) -> list[Timing]:
    import gc

    from django.conf import settings
    from django.db import connection

    from search import backends, selectors
    from search.text import parse_query

    settings.DEBUG = False  # no query log while timing
    connection.force_debug_cursor = False
    results = []
    for text, language in queries:
        query = parse_query(text)

        def find(query=query):
            return backends.find(query, kinds=backends.ALL_KINDS, limit=5)

        def full(text=text):
            return selectors.search(text=text)

        timings = {}
        for label, run in (("find", find), ("full", full)):
            for _ in range(args.warmup):
                run()
            gc.collect()
            measured = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                run()
                measured.append((time.perf_counter() - started) * 1000)
            timings[label] = measured
        _, totals = find()
        timing = Timing(
            query=text, language=language,
            find_median=statistics.median(timings["find"]), find_p95=p95(timings["find"]),
            full_median=statistics.median(timings["full"]), full_p95=p95(timings["full"]),
            totals={kind: [total.count, total.capped] for kind, total in totals.items()},
        )  # fmt: skip
        results.append(timing)
        matched = ", ".join(f"{k} {c:,}{'+' if capped else ''}" for k, (c, capped) in timing.totals.items())
        print(f"  {text:<16} find {timing.find_median:7.1f} ms (p95 {timing.find_p95:7.1f})  "
              f"full {timing.full_median:7.1f} ms (p95 {timing.full_p95:7.1f})  [{matched}]", flush=True)  # fmt: skip
    return results


def explain(timing: Timing, out: Path) -> str:
    from django.db import connection

    from search import backends
    from search.text import parse_query

    sql, params = backends._postgres_find(parse_query(timing.query), backends.ALL_KINDS, 5, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, VERBOSE OFF) {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    name = "".join(c if c.isalnum() else "_" for c in timing.query)
    path = out / f"explain_{name}.txt"
    path.write_text(f"-- {timing.query}\n-- params: {params}\n{sql}\n\n{plan}\n")
    return str(path)


# -- reporting -------------------------------------------------------------------------------


def report(args, meta: dict, size: dict | None, timings: list[Timing]) -> str:
    lines = [f"## Search over {meta.get('claims', 0):,} claims and {meta.get('sources', 0):,} sources (PostgreSQL)", ""]
    lines += ["```sh", "DEBUG=1 .venv/bin/python bench/search_index.py " + shlex.join(sys.argv[1:]), "```", ""]
    if meta.get("load"):
        load = meta["load"]
        lines.append(
            f"Load (generate + COPY): {load['load_seconds']:.0f} s, VACUUM ANALYZE {load['vacuum_seconds']:.0f} s."
        )
    for method in ("rebuild", "fast"):
        built = meta.get(f"index_{method}")
        if built:
            kinds = ", ".join(f"{k['kind']} {k['seconds']:.0f} s" for k in built["kinds"])
            lines.append(f"Index build ({method}): {built['seconds']:.0f} s ({kinds}); "
                         f"VACUUM ANALYZE {built['vacuum_analyze_seconds']:.0f} s.")  # fmt: skip
    if size:
        lines += ["", "| relation | size |", "| --- | --- |"]
        lines += [f"| {label} | {human(value)} |" for label, value in size.items() if label != "by kind"]
        lines += [
            "",
            "| kind | entries | avg document | max document | avg tokens (chars) |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {k['kind']} | {k['entries']:,} | {k['document_avg_bytes']:,} B | {k['document_max_bytes']:,} B "
            f"| {k['tokens_avg_chars']:,} |"
            for k in size["by kind"]
        ]
    if timings:
        lines += [
            "",
            f"{args.rounds} runs per query after {args.warmup} of warm-up; ms; find = search.backends.find "
            "(the SQL); full = search.selectors.search (SQL + pages + snippets), all kinds, limit 5.",
            "",
            "| query | find median | find p95 | full median | full p95 | matches (claim / source; + = capped) |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for t in timings:
            claim = t.totals.get("claim", [0, False])
            source = t.totals.get("source", [0, False])
            flag = " ⚠" if t.full_median > TARGET_MS else ""
            lines.append(
                f"| {t.query}{flag} | {t.find_median:.1f} | {t.find_p95:.1f} | {t.full_median:.1f} | {t.full_p95:.1f} "
                f"| {claim[0]:,}{'+' if claim[1] else ''} / {source[0]:,}{'+' if source[1] else ''} |"
            )
        for language in ("en", "zh"):
            group = [t for t in timings if t.language == language]
            if group:
                lines.append(
                    f"| **median, {'English' if language == 'en' else 'Chinese'}** "
                    f"| {statistics.median(t.find_median for t in group):.1f} | "
                    f"| {statistics.median(t.full_median for t in group):.1f} | | |"
                )
    info = f"{os.cpu_count()} cores, Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}"
    lines += ["", f"Machine: {info}; {meta.get('server', '')}; {datetime.date.today().isoformat()}."]
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    created = create_database(args.database_url, fresh=args.fresh)
    print(f"database {args.db_name}: {'created' if created else 'reused'}", flush=True)
    setup_django(args.database_url)
    from django.db import connection

    migrate()
    meta = {"server": ""}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
        cursor.execute("SHOW shared_buffers")
        meta["server"] = f"PostgreSQL {version}, shared_buffers {cursor.fetchone()[0]}"

    claims, sources = count("intel_claim"), count("intel_source")
    if claims == args.claims and sources == args.sources and count("intel_snapshot") == args.sources:
        print(f"data reused: {claims:,} claims, {sources:,} sources", flush=True)
    elif claims or sources:
        sys.exit(f"{args.db_name} holds {claims:,} claims and {sources:,} sources, not the {args.claims:,} and "
                 f"{args.sources:,} asked: run again with --fresh (or other --claims/--sources)")  # fmt: skip
    elif args.queries_only:
        sys.exit(f"{args.db_name} is empty: run without --queries-only first")
    else:
        print(f"loading {args.claims:,} claims, {args.sources:,} sources…", flush=True)
        with SearchSignalsOff():
            meta_set("load", load(args))
    meta |= {"claims": args.claims, "sources": args.sources, "load": meta_get("load")}
    if args.load_only:
        print(report(args, meta, None, []))
        return

    entries, pages = count("search_searchentry"), page_count()
    if not args.queries_only and (args.reindex or entries != pages):
        print(f"building the index ({pages:,} pages, method {args.index_method})…", flush=True)
        meta_set(f"index_{args.index_method}", build_index(args.index_method))
    elif entries != pages:
        sys.exit(f"the index holds {entries:,} entries for {pages:,} pages: run without --queries-only")
    else:
        print(f"index reused: {entries:,} entries (--reindex to time the build again)", flush=True)
    for method in ("rebuild", "fast"):
        meta[f"index_{method}"] = meta_get(f"index_{method}")
    size = sizes()
    if args.index_only:
        print(report(args, meta, size, []))
        return

    queries = [(q, "en") for q in ENGLISH_QUERIES] + [(q, "zh") for q in CHINESE_QUERIES]
    if args.query:
        queries = [(q, "en" if q.isascii() else "zh") for q in args.query]
    print(f"timing {len(queries)} queries, {args.rounds} runs each after {args.warmup} warm-ups…", flush=True)
    timings = time_queries(args, queries)
    for timing in timings:
        if max(timing.find_median, timing.full_median) > args.explain_over:
            timing.explain_file = explain(timing, out)
            print(f"  EXPLAIN of {timing.query!r}: {timing.explain_file}")
    (out / "results.json").write_text(
        json.dumps({"meta": meta, "sizes": size, "timings": [asdict(t) for t in timings]}, ensure_ascii=False, indent=1)
    )
    print()
    print(report(args, meta, size, timings))


if __name__ == "__main__":
    main()
