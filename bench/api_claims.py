"""Benchmark: GET /api/claims/?page_size=100 (claims with nested citations) on a big database.

Not a test: run it by hand and copy the figures to docs/performance.md (``--markdown``
prints the lines). Target: at most 5 queries and under 30 ms median in-process, on a
PostgreSQL database of 100,000 claims.

It never touches the developer's database. On PostgreSQL (DATABASE_URL) it uses a
database of its own on that server, ``intel_bench_api`` whatever name the URL gives,
created with a UTF-8 ctype; without a PostgreSQL URL it uses an SQLite file in the
temporary folder. It migrates it and fills it in bulk (COPY on PostgreSQL, executemany
on SQLite): --claims claims of 1–3 citations each to a pool of sources and people, linked
to companies (skewed: a few big ones get most claims) and products, with realistic text
lengths (statements of 100–200 characters, 60–130 in Chinese; quotes of 50–150, 30–80
in Chinese, with a translation), about 15% of the statements in Chinese, and 30% of the
sources with an archived snapshot of 2–40 KB (which a list must never read). The database
is kept and reused by the next run when it holds the same number of claims (``--rebuild``
builds it anew, ``--drop`` drops it at the end).

Then it requests, with Django's test client (in-process: no HTTP server), anonymously and
with an analyst's token (``Authorization: Token <key>``): the first page, the second page
(through the ``next`` cursor) and the first page filtered by the company with the most
claims and by the one with the fewest. For each: median, p95 and fastest of ROUNDS
requests after a warm-up, the median time spent in ``cursor.execute``, the number of
queries of one more request (CaptureQueriesContext), the response size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intel_bench_api .venv/bin/python bench/api_claims.py
    .venv/bin/python bench/api_claims.py --claims 20000          # SQLite, a quick look
    .venv/bin/python bench/api_claims.py --markdown              # + the lines for docs/performance.md
    .venv/bin/python bench/api_claims.py --profile --show-sql --explain   # where the time goes

Settings are read with DEBUG=1 (no secret key needed) but requests are timed with
``settings.DEBUG`` off, so Django's query log (the debug cursor) does not slow them;
only the one request whose queries are counted runs with it. API throttling stays on
with a rate no benchmark reaches. On a shared machine, look at the load average the
script prints and at the fastest column.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import functools
import gc
import io
import math
import os
import platform
import pstats
import random
import shlex
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from vocabulary import BODY_SENTENCES  # noqa: E402  (shared with the other benches)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
os.environ.setdefault("DEBUG", "1")

DEFAULT_DB_NAME = "intel_bench_api"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")

# Shape of the data: a pool of sources and people shared by all claims.
SOURCES = 3000
PEOPLE = 400
PRODUCTS = 400
MILESTONES = 200
SNAPSHOT_SHARE = 0.3  # sources with an archived text snapshot, 2–40 KB each
BATCH = 10_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims in the database (default 100,000)")
    parser.add_argument("--rounds", type=int, default=50, help="timed requests per scenario (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests before each scenario (default 5)")
    parser.add_argument("--page-size", type=int, default=100, help="page_size of the requests (default 100)")
    parser.add_argument("--rebuild", action="store_true", help="build the database anew even if it can be reused")
    parser.add_argument("--drop", action="store_true", help="drop the bench database (or file) at the end")
    parser.add_argument("--db-name", default=DEFAULT_DB_NAME, help=f"bench database name (default {DEFAULT_DB_NAME})")
    parser.add_argument("--seed", type=int, default=20261129, help="random seed of the data")
    parser.add_argument("--markdown", action="store_true", help="print the lines for docs/performance.md")
    parser.add_argument("--profile", action="store_true", help="cProfile the anonymous first page")
    parser.add_argument("--profile-requests", type=int, default=20, help="requests profiled (default 20)")
    parser.add_argument("--show-sql", action="store_true", help="print each scenario's SQL")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the anonymous queries (PostgreSQL)")
    parser.add_argument(
        "--csv", action="store_true", help="also stream ?format=csv of all claims; time and peak memory"
    )
    args = parser.parse_args(argv)
    if "bench" not in args.db_name:
        parser.error("--db-name must contain 'bench': this script drops and recreates that database")
    if args.claims < 1 or args.rounds < 1:
        parser.error("--claims and --rounds must be at least 1")
    return args


# -- the database: never the developer's ---------------------------------------------------


@dataclass
class Target:
    vendor: str  # "postgresql" or "sqlite"
    url: str  # DATABASE_URL the bench runs on
    name: str  # database name, or the SQLite file's path
    shown: str  # the original DATABASE_URL without its password, for the command line


def bench_target(db_name: str) -> Target:
    """Point DATABASE_URL at the bench database: same server, our own database name."""
    original = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(original)
    if parts.scheme in POSTGRES_SCHEMES:
        url = urlunsplit(parts._replace(path=f"/{db_name}"))
        netloc = parts.netloc
        if parts.password is not None:
            netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
        return Target("postgresql", url, db_name, urlunsplit(parts._replace(netloc=netloc)))
    path = Path(tempfile.gettempdir()) / f"{db_name}.sqlite3"
    return Target("sqlite", f"sqlite:///{path}", str(path), original)


def _server(target: Target):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(target.url)
    return psycopg.connect(
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def create_database(target: Target, *, drop_first: bool) -> bool:
    """Create the bench database if it is missing (dropping it first if asked); whether it is new."""
    if target.vendor == "sqlite":
        path = Path(target.name)
        if drop_first:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return not path.exists()
    from psycopg import sql

    name = sql.Identifier(target.name)
    with _server(target) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name]).fetchone()
        if exists and drop_first:
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name))
            exists = None
        if not exists:
            server.execute(
                sql.SQL(
                    "CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
                ).format(name)
            )
        return not exists


def drop_database(target: Target) -> None:
    from django.db import connections

    connections.close_all()
    if target.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target.name}{suffix}").unlink(missing_ok=True)
        return
    from psycopg import sql

    with _server(target) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.name)))


# -- fast inserts ----------------------------------------------------------------------------


# Field types whose Python values the database driver takes as they are (no get_db_prep_save).
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}
PLAIN_TYPES_POSTGRESQL = PLAIN_TYPES | {"DateField", "DateTimeField", "DecimalField"}


def insert(model, rows: list[dict]) -> None:
    """Insert plain rows (attname → value, ids included) in bulk; missing fields get their defaults.

    COPY on PostgreSQL, executemany on SQLite: no model instances, no per-row SQL. Values of
    types the driver does not take as they are go through the field's get_db_prep_save, so
    they are stored as the ORM would store them.
    """
    from django.db import connection

    if not rows:
        return
    fields = model._meta.concrete_fields
    plain = PLAIN_TYPES_POSTGRESQL if connection.vendor == "postgresql" else PLAIN_TYPES
    columns = []
    for field in fields:
        default = field.get_default()
        if field.get_internal_type() in plain:
            columns.append((field.attname, default, None))
        else:
            columns.append((field.attname, default, functools.partial(field.get_db_prep_save, connection=connection)))

    def values(row):
        out = []
        for name, default, prepare in columns:
            value = row.get(name, default)
            out.append(value if prepare is None or value is None else prepare(value))
        return out

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            statement = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(statement, [values(row) for row in rows[start : start + BATCH]])


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# -- the data --------------------------------------------------------------------------------

COMPANIES = [
    ("Nvidia", "nvidia", ["NVIDIA", "英伟达", "輝達"], "US"),
    ("AMD", "amd", ["Advanced Micro Devices", "超威"], "US"),
    ("Intel", "intel", ["英特尔"], "US"),
    ("TSMC", "tsmc", ["台积电", "台積電"], "TW"),
    ("Huawei", "huawei", ["华为", "HiSilicon"], "CN"),
    ("Google", "google", ["Alphabet"], "US"),
    ("Microsoft", "microsoft", ["微软"], "US"),
    ("Amazon", "amazon", ["AWS", "Annapurna Labs"], "US"),
    ("Meta", "meta", ["Facebook"], "US"),
    ("OpenAI", "openai", [], "US"),
    ("Broadcom", "broadcom", ["博通"], "US"),
    ("Cambricon", "cambricon", ["寒武纪"], "CN"),
    ("SK hynix", "sk-hynix", ["SK海力士"], "KR"),
    ("Samsung", "samsung", ["三星"], "KR"),
    ("Micron", "micron", ["美光"], "US"),
    ("Alibaba", "alibaba", ["阿里巴巴", "T-Head", "平头哥"], "CN"),
    ("Baidu", "baidu", ["百度", "Kunlunxin", "昆仑芯"], "CN"),
    ("Tencent", "tencent", ["腾讯"], "CN"),
    ("ByteDance", "bytedance", ["字节跳动"], "CN"),
    ("Marvell", "marvell", [], "US"),
    ("Arm", "arm", [], "GB"),
    ("Qualcomm", "qualcomm", ["高通"], "US"),
    ("Apple", "apple", ["苹果"], "US"),
    ("Cerebras", "cerebras", [], "US"),
    ("Groq", "groq", [], "US"),
    ("SambaNova", "sambanova", [], "US"),
    ("Tenstorrent", "tenstorrent", [], "CA"),
    ("Supermicro", "supermicro", ["超微"], "US"),
    ("Foxconn", "foxconn", ["鸿海", "Hon Hai"], "TW"),
    ("Quanta", "quanta", ["广达"], "TW"),
    ("CoreWeave", "coreweave", [], "US"),
    ("Oracle", "oracle", [], "US"),
    ("xAI", "xai", [], "US"),
    ("DeepSeek", "deepseek", ["深度求索"], "CN"),
    ("Moore Threads", "moore-threads", ["摩尔线程"], "CN"),
    ("Biren", "biren", ["壁仞科技"], "CN"),
    ("SMIC", "smic", ["中芯国际"], "CN"),
    ("Hygon", "hygon", ["海光"], "CN"),
    ("Anthropic", "anthropic", [], "US"),
    ("Dell", "dell", [], "US"),
]
EXTRA_COMPANIES = 40  # "Company 41" … : rarely named

PUBLISHERS = [
    "Reuters",
    "Bloomberg",
    "The Information",
    "SemiAnalysis",
    "DigiTimes",
    "EE Times",
    "Tom's Hardware",
    "AnandTech",
    "Nikkei Asia",
    "Financial Times",
    "The Register",
    "ServeTheHome",
    "财新",
    "36氪",
    "IT之家",
    "集微网",
    "经济日报",
    "工商时报",
    "Company filing",
    "Company blog",
]

PRODUCT_STEMS = ["H", "B", "GB", "MI", "Gaudi ", "Ascend ", "TPU v", "Trainium ", "Maia ", "MTIA ", "X", "R"]
PERIODS = ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "H1 2026", "H2 2026", "2026", "2027", "March 2025"]
PERIODS_ZH = ["2025年第一季度", "2025年第三季度", "2026年上半年", "2026年下半年", "明年", "今年年底"]

STATEMENTS = [
    "{co} said its {prod} accelerators will enter volume production in {period}, ahead of the schedule it gave "
    "at the last earnings call",
    "{co} expects data-center revenue of about {num} bn USD in {period}, driven by demand for {prod} systems "
    "from the large cloud providers",
    "Supply-chain sources say {co} has cut its {prod} orders for {period} by roughly {num} percent because "
    "CoWoS packaging capacity is still the bottleneck",
    "{co} will ship {prod} to at least {num} customers in {period}, according to two people familiar with the plans",
    "Analysts estimate {co} sold {num} thousand {prod} units in {period}, most of them to hyperscalers building "
    "training clusters",
    "{co} has taped out {prod} on a 3 nm process and plans first samples in {period}",
    "{co} priced {prod} at about {num} thousand USD per unit, below the comparable Nvidia part",
]
STATEMENTS_ZH = [
    "{co}表示，其{prod}加速器将于{period}进入量产，比上次财报电话会议给出的时间表有所提前",
    "据供应链人士透露，{co}已将{period}的{prod}订单削减约{num}%，主要原因是先进封装产能仍然紧张",
    "{co}预计{period}数据中心业务收入约为{num}亿美元，增长主要来自云服务商对{prod}系统的需求",
    "多位知情人士称，{co}计划在{period}向至少{num}家客户交付{prod}",
]
CLAUSES = [
    "while margins are expected to narrow slightly",
    "though the company declined to confirm the figures",
    "as competition from custom ASICs grows",
    "with HBM supply remaining tight through the year",
    "and the rack-scale systems account for most of the volume",
    "according to a note published by the research firm",
]
CLAUSES_ZH = ["但公司未予置评", "高带宽内存供应依然紧张", "定制芯片的竞争正在加剧", "整机柜系统占出货量的大部分"]
QUOTES = [
    "We are seeing incredible demand for {prod}, and supply will remain tight through {period}.",
    "Volume production of {prod} starts in {period}; customers are already qualifying systems.",
    "Our {prod} roadmap is on track and we will talk about the next generation at the event.",
    "Gross margin came in at {num} percent, above the outlook we gave last quarter.",
    "We shipped more than {num} thousand units this quarter, the most in our history.",
]
QUOTES_ZH = [
    "{prod}的需求非常强劲，{period}之前供应都会比较紧张。",
    "我们的{prod}将在{period}量产，客户已经在做系统验证。",
    "本季度出货量超过{num}千片，创历史新高。",
]
SNAPSHOT_SENTENCES = [
    "The company reported revenue for the quarter ended in January, up sharply from a year ago.",
    "Data-center revenue was a record, driven by the ramp of the new architecture.",
    "Gross margins are expected to be in the low-to-mid seventies percent range.",
    "Operating expenses rose as the company invested in new products and infrastructure.",
    "公司表示，新一代产品的需求远超供应，预计将持续数个季度。",
    "分析师认为，先进封装产能是今年出货量的主要制约因素。",
    "Management said supply would improve through the second half of the year.",
    "The outlook assumes no change in export restrictions to the affected regions.",
]


def _text(rng: random.Random, templates, clauses, lo: int, hi: int, join: str, end: str, **values) -> str:
    """A sentence from a template, lengthened with clauses and cut to lo–hi characters."""
    target = rng.randint(lo, hi) - len(end)
    text = rng.choice(templates).format(**values).rstrip(".。")
    while len(text) < target:
        text += join + rng.choice(clauses)
    if len(text) > target:
        text = text[:target]
        if join == ", " and " " in text[lo // 2 :]:
            text = text.rsplit(" ", 1)[0]
    return text.rstrip(" ,，.。") + end


def build(claims: int, seed: int) -> dict:
    """Fill the empty, migrated bench database; return how many rows of each kind."""
    from django.db import connection, transaction

    from companies.models import Company
    from intel.choices import (
        ClaimKind,
        ClaimStatus,
        Credibility,
        ModerationState,
        Precision,
        Reliability,
        SourceKind,
        VerificationState,
    )
    from intel.models import Citation, Claim, Person, Source
    from products.choices import MilestoneKind, ProductKind
    from products.models import Milestone, Product

    began = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    start = now - datetime.timedelta(days=3 * 365)
    counts = {}

    # Companies: the named ones first; claims pick them with a Zipf-like skew (Nvidia ~ a fifth).
    company_rows = []
    for index, (name, slug, aliases, country) in enumerate(COMPANIES, start=1):
        company_rows.append(
            {"id": index, "name": name, "slug": slug, "aliases": aliases, "country": country, "tracked": index <= 12}
        )
    for index in range(len(COMPANIES) + 1, len(COMPANIES) + EXTRA_COMPANIES + 1):
        company_rows.append({"id": index, "name": f"Company {index}", "slug": f"company-{index}", "aliases": []})
    for row in company_rows:
        row.update(created=start, updated=start, kind="chip_vendor", body=f"{row['name']} makes chips.")
    company_ids = [row["id"] for row in company_rows]
    company_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(company_ids))]
    company_cum = list(_accumulate(company_weights))
    names = {row["id"]: row["name"] for row in company_rows}
    zh_names = {row["id"]: next((a for a in row["aliases"] if not a.isascii()), row["name"]) for row in company_rows}

    product_kinds = list(ProductKind.values)
    product_rows, products_of = [], {}
    for index in range(1, PRODUCTS + 1):
        vendor = company_ids[min(int(rng.paretovariate(1.2)) - 1, 29)]
        name = f"{rng.choice(PRODUCT_STEMS)}{100 + index}"
        product_rows.append(
            {
                "id": index,
                "name": name,
                "slug": f"p{index}-{name.lower().replace(' ', '-')}",
                "vendor_id": vendor,
                "kind": rng.choice(product_kinds),
                "created": start,
                "updated": start,
            }
        )
        products_of.setdefault(vendor, []).append((index, name))
    product_names = {row["id"]: row["name"] for row in product_rows}

    milestone_rows = []
    for index in range(1, MILESTONES + 1):
        product = rng.choice(product_rows)
        milestone_rows.append(
            {
                "id": index,
                "title": f"{product['name']} {rng.choice(['ships', 'samples', 'in volume production'])}",
                "company_id": product["vendor_id"],
                "product_id": product["id"],
                "kind": rng.choice([MilestoneKind.SHIP, MilestoneKind.SAMPLE, MilestoneKind.VOLUME_PRODUCTION]),
                "target_date": datetime.date(2025 + index % 3, (index % 4) * 3 + 1, 1),
                "target_precision": Precision.QUARTER,
                "created": start,
                "updated": start,
            }
        )

    person_rows = []
    surnames_zh = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"]
    for index in range(1, PEOPLE + 1):
        chinese = index % 3 == 0
        name = (
            f"{rng.choice(surnames_zh)}{rng.choice(['伟', '芳', '娜', '敏', '静', '强'])}"
            if chinese
            else (
                f"{rng.choice(['Alex', 'Sam', 'Jordan', 'Lisa', 'Jensen', 'Pat', 'Kim'])} "
                f"{rng.choice(['Smith', 'Lee', 'Chen', 'Huang', 'Su', 'Gelsinger', 'Park'])}"
            )
        )
        person_rows.append(
            {
                "id": index,
                "name": name,
                "slug": f"person-{index}",
                "aliases": [f"Person {index}"] if chinese else [],
                "is_pseudonym": index % 17 == 0,
                "affiliation_id": rng.choice(company_ids[:30]) if index % 4 else None,
                "role": rng.choice(["CEO", "CFO", "analyst", "supply-chain source", "VP of data center"]),
                "created": start,
                "updated": start,
            }
        )

    source_rows = []
    source_kinds = list(SourceKind.values)
    reliabilities = list(Reliability.values)
    for index in range(1, SOURCES + 1):
        publisher = rng.choice(PUBLISHERS)
        chinese = not publisher.isascii()
        # Sources sent back (a state of issue 5) are rare enough to leave out of the mix.
        state = rng.choices(
            [ModerationState.PENDING, ModerationState.APPROVED, ModerationState.REJECTED], weights=[18, 80, 2]
        )[0]
        published = start.date() + datetime.timedelta(days=rng.randrange(3 * 365))
        row = {
            "id": index,
            "kind": rng.choice(source_kinds),
            "title": (
                f"{rng.choice(list(zh_names.values())[:20])}数据中心业务最新进展（第{index}期）"
                if chinese
                else f"{rng.choice(list(names.values())[:20])} and the data-center race, part {index}"
            ),
            "title_en": f"Data-center update no. {index}" if chinese else "",
            "url": f"https://example.com/{index}/{publisher.encode().hex()[:12]}",
            "publisher": publisher,
            "authors": [f"Author {index % 97}"],
            "language": rng.choice(["zh-Hans", "zh-Hant"]) if chinese else "en",
            "published_date": published,
            "reliability": rng.choices(reliabilities, weights=[10, 30, 30, 15, 5, 10])[0],
            "moderation_state": state,
            "moderated_at": None if state == ModerationState.PENDING else now,
            "moderation_note": "Not a primary source." if state == ModerationState.REJECTED else "",
            "created": start,
            "updated": start,
        }
        if rng.random() < SNAPSHOT_SHARE:
            size = rng.randint(2_000, 40_000)
            parts, length = [], 0
            while length < size:
                sentence = rng.choice(SNAPSHOT_SENTENCES) + f" ({length})"
                parts.append(sentence)
                length += len(sentence) + 1
            row["snapshot_text"] = " ".join(parts)
            row["snapshot_sha256"] = f"{index:064x}"
        source_rows.append(row)

    # Claims, their citations and links.
    kinds = [ClaimKind.FACT, ClaimKind.METRIC, ClaimKind.FORECAST, ClaimKind.OPINION, ClaimKind.PLAN]
    kind_cum = list(_accumulate([50, 20, 12, 10, 8]))
    statuses = list(ClaimStatus.values)
    credibilities = list(Credibility.values)
    verifications = list(VerificationState.values)
    step = (now - start) / claims
    claim_rows, citation_rows, company_links, product_links, milestone_links = [], [], [], [], []
    citation_id = 0
    for claim_id in range(1, claims + 1):
        created = start + step * claim_id
        linked = set(rng.choices(company_ids, cum_weights=company_cum, k=rng.choices((1, 2, 3), (70, 25, 5))[0]))
        first = min(linked)
        own_products = products_of.get(first) or [rng.choice(list(product_names.items()))]
        product_id, product = rng.choice(own_products)
        chinese = rng.random() < 0.15
        values = {
            "co": zh_names[first] if chinese else names[first],
            "prod": product,
            "num": rng.randint(2, 400),
            "period": rng.choice(PERIODS_ZH if chinese else PERIODS),
        }
        if chinese:
            statement = _text(rng, STATEMENTS_ZH, CLAUSES_ZH, 60, 130, "，", "。", **values)
        else:
            statement = _text(rng, STATEMENTS, CLAUSES, 100, 200, ", ", ".", **values)
        kind = rng.choices(kinds, cum_weights=kind_cum)[0]
        row = {
            "id": claim_id,
            "statement": statement,
            "kind": kind,
            "status": rng.choices(statuses, weights=[60, 25, 8, 2, 5])[0],
            "credibility": rng.choices(credibilities, weights=[10, 30, 30, 10, 5, 15])[0],
            "created": created,
            "updated": created + datetime.timedelta(days=rng.randrange(30)) if claim_id % 5 == 0 else created,
        }
        if kind == ClaimKind.METRIC:
            row.update(metric=rng.choice(["revenue", "shipments", "market share", "ASP"]), unit="bn USD")
            row["value"] = Decimal(rng.randint(1, 2_000_000)) / 100
        if kind == ClaimKind.METRIC or rng.random() < 0.4:
            year, quarter = 2024 + rng.randrange(3), rng.randrange(4)
            row.update(period_date=datetime.date(year, quarter * 3 + 1, 1), period_precision=Precision.QUARTER)
        if rng.random() < 0.25:
            target = rng.randint(200, 900)
            body = ""
            while len(body) < target:
                body += rng.choice(BODY_SENTENCES).format(co=names[first]) + "\n\n"
            row["body"] = body.strip()
        claim_rows.append(row)

        company_links.extend({"claim_id": claim_id, "company_id": company} for company in sorted(linked))
        if rng.random() < 0.55:
            product_links.append({"claim_id": claim_id, "product_id": product_id})
            if rng.random() < 0.15:
                other = rng.randint(1, PRODUCTS)
                if other != product_id:
                    product_links.append({"claim_id": claim_id, "product_id": other})
        if rng.random() < 0.03:
            milestone_links.append({"claim_id": claim_id, "milestone_id": rng.randint(1, MILESTONES)})

        for _ in range(rng.choices((1, 2, 3), (50, 35, 15))[0]):
            citation_id += 1
            chinese_quote = rng.random() < 0.25
            quote = _text(
                rng,
                QUOTES_ZH if chinese_quote else QUOTES,
                CLAUSES_ZH if chinese_quote else CLAUSES,
                30 if chinese_quote else 50,
                80 if chinese_quote else 150,
                "，" if chinese_quote else ", ",
                "。" if chinese_quote else ".",
                **values,
            )
            verification = rng.choice(verifications)
            citation = {
                "id": citation_id,
                "claim_id": claim_id,
                "source_id": rng.randint(1, SOURCES),
                "speaker_id": rng.randint(1, PEOPLE) if rng.random() < 0.35 else None,
                "quote": quote,
                "translation": f"Translation: {rng.choice(QUOTES).format(**values)}" if chinese_quote else "",
                "locator": rng.choice(["", "", "p. 12", "para. 4", "00:41:12", "slide 17", "§3"]),
                "verification": verification,
                "created": created,
                "updated": created,
            }
            if verification in (VerificationState.VERIFIED, VerificationState.NORMALISED):
                citation.update(
                    anchor_exact=quote, anchor_prefix="…the company said: ", anchor_suffix=" It added that…"
                )
                citation.update(anchor_start=1000, anchor_end=1000 + len(quote))
            citation_rows.append(citation)

    for links in (company_links, product_links, milestone_links):
        for number, link in enumerate(links, start=1):
            link["id"] = number

    tables = [
        (Company, company_rows),
        (Product, product_rows),
        (Milestone, milestone_rows),
        (Person, person_rows),
        (Source, source_rows),
        (Claim, claim_rows),
        (Citation, citation_rows),
        (Claim.companies.through, company_links),
        (Claim.products.through, product_links),
        (Claim.milestones.through, milestone_links),
    ]
    generated = time.perf_counter()
    with transaction.atomic():
        for model, rows in tables:
            insert(model, rows)
            counts[model._meta.db_table] = len(rows)
        reset_sequences([model for model, _ in tables])
    inserted = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model, _ in tables:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        else:
            cursor.execute("ANALYZE")
    analyze = "vacuum analyze" if connection.vendor == "postgresql" else "analyze"
    print(
        f"  generated rows in {generated - began:.1f} s, inserted in {inserted - generated:.1f} s, "
        f"{analyze} {time.perf_counter() - inserted:.1f} s",
        flush=True,
    )
    return counts


def _accumulate(weights):
    total = 0
    for weight in weights:
        total += weight
        yield total


def bench_user_token() -> str:
    """An analyst (the "analyst" role group) with a DRF token; its key."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from intel.choices import Role
    from intel.roles import sync_roles

    user, created = get_user_model().objects.get_or_create(username="bench-analyst")
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(sync_roles()[Role.ANALYST.value])
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    auth: str
    median: float
    p95: float
    fastest: float
    queries: int  # SQL statements other than transaction control
    transaction: int  # BEGIN / COMMIT / SAVEPOINT … that CaptureQueriesContext also counts
    sql_ms: float
    size: int
    rows: int
    sql: list  # (milliseconds, statement)
    params: list
    control: list  # the transaction-control statements
    reads_snapshots: bool  # whether a query reads intel_source.snapshot_text (megabytes, never shown in a list)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


class QueryTimer:
    """An execute wrapper: each statement's own time, with perf_counter's resolution."""

    def __init__(self):
        self.statements = []
        self.params = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(((time.perf_counter() - started) * 1000, sql))
            self.params.append(params)


@dataclass
class Timed:
    """``rounds`` requests timed after ``warmup``, and the queries of one more, untimed request."""

    timings: list[float]
    sql_timings: list[float]
    response: object
    logged: list[str]  # the SQL of the counted request
    control: list[str]  # its BEGIN/COMMIT/… (counted apart)
    timer: QueryTimer

    @property
    def queries(self) -> int:
        return len(self.logged) - len(self.control)


def time_requests(client, path: str, *, rounds: int, warmup: int, headers: dict | None = None) -> Timed:
    """GET ``path`` with the test client: the benches' one way of timing a page (settings.DEBUG off while timing)."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = headers or {}
    for _ in range(warmup):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
    settings.DEBUG = False  # no query log while timing: connection.queries_logged is False
    connection.force_debug_cursor = False
    assert not connection.queries_logged
    gc.collect()
    timings, sql_timings = [], []
    for _ in range(rounds):
        timer = QueryTimer()  # a few perf_counter calls a query: no measurable cost
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        sql_timings.append(sum(ms for ms, _ in timer.statements))
        assert response.status_code == 200, (path, response.status_code)
    # One more request, not timed, to count and time its queries.
    timer = QueryTimer()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        response = client.get(path, headers=headers)
    logged = [query["sql"] for query in captured.captured_queries]  # read now: the next request resets the log
    assert response.status_code == 200
    control = [sql for sql in logged if sql.lstrip().upper().startswith(TRANSACTION_CONTROL)]
    return Timed(timings, sql_timings, response, logged, control, timer)


def measure(client, scenario: str, auth: str, path: str, headers: dict, rounds: int, warmup: int) -> Result:
    timed = time_requests(client, path, rounds=rounds, warmup=warmup, headers=headers)
    return Result(
        scenario=scenario,
        auth=auth,
        median=statistics.median(timed.timings),
        p95=p95(timed.timings),
        fastest=min(timed.timings),
        queries=timed.queries,
        transaction=len(timed.control),
        sql_ms=statistics.median(timed.sql_timings),
        size=len(timed.response.content),
        rows=len(timed.response.json()["results"]),
        sql=timed.timer.statements,
        params=timed.timer.params,
        control=timed.control,
        reads_snapshots=any("snapshot_text" in sql for sql in timed.logged),
    )


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def run_scenarios(args, token: str) -> tuple[list[Result], list[tuple[str, str]]]:
    from django.db.models import Count
    from django.test import Client

    from intel.models import Claim

    size = args.page_size
    through = Claim.companies.through
    by_company = list(through.objects.values("company__slug").annotate(n=Count("id")).order_by("-n", "company__slug"))
    big, small = by_company[0], by_company[-1]
    first = f"/api/claims/?page_size={size}"
    following = Client().get(first).json()["next"]
    scenarios = [("first page", first)]
    if following:
        scenarios.append(("second page (cursor)", local_path(following)))
    scenarios += [
        (
            f"company={big['company__slug']} ({big['n']:,} claims)",
            f"/api/claims/?company={big['company__slug']}&page_size={size}",
        ),
        (
            f"company={small['company__slug']} ({small['n']:,} claims)",
            f"/api/claims/?company={small['company__slug']}&page_size={size}",
        ),
    ]
    results = []
    for auth, headers in (("anonymous", {}), ("token", {"Authorization": f"Token {token}"})):
        client = Client()
        for scenario, path in scenarios:
            result = measure(client, scenario, auth, path, headers, args.rounds, args.warmup)
            results.append(result)
            print(f"  {scenario:<34} {auth:<9} median {result.median:7.1f} ms  {result.queries} queries", flush=True)
    return results, scenarios


def explain(result: Result) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT of one request (PostgreSQL)."""
    from django.db import connection

    out = [f"-- EXPLAIN ANALYZE, {result.scenario}, {result.auth}:"]
    with connection.cursor() as cursor:
        for (_, sql), params in zip(result.sql, result.params, strict=True):
            if not sql.lstrip("( ").upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            out.append(f"{sql[:160]} …")
            out.extend(f"    {line}" for (line,) in cursor.fetchall())
    return "\n".join(out)


def profile(path: str, requests: int) -> str:
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    client = Client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"cProfile of {requests} requests of {path} (anonymous), by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(35)
    out.write("by own time:\n")
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


# -- reporting -------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    info = {"cpus": os.cpu_count(), "python": platform.python_version()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
                break
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                info["os"] = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    import django
    import rest_framework

    info["django"] = django.get_version()
    info["drf"] = rest_framework.VERSION
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["database"] = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            info["database"] = f"SQLite {cursor.fetchone()[0]}"
    return info


def load_average() -> str:
    """The 1-minute load average: other work on the machine inflates the figures."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def command_line(target: Target) -> str:
    words = [".venv/bin/python", "bench/api_claims.py", *sys.argv[1:]]
    prefix = f"DATABASE_URL={target.shown} " if target.vendor == "postgresql" else ""
    return prefix + shlex.join(words)


def table(results: list[Result]) -> str:
    lines = [f"{'request':<34} {'auth':<9} {'median':>8} {'p95':>8} {'queries':>10} {'sql':>7} {'size':>8} {'rows':>4}"]
    for r in results:
        lines.append(
            f"{r.scenario:<34} {r.auth:<9} {r.median:6.1f}ms {r.p95:6.1f}ms {r.fastest:6.1f}ms "
            f"{r.queries:>4} (+{r.transaction} tx) "
            f"{r.sql_ms:5.1f}ms {r.size / 1024:6.0f}KiB {r.rows:>4}"
        )
    return "\n".join(lines)


def markdown(results, target, info, counts, build_seconds, args) -> str:
    today = datetime.date.today().isoformat()
    claims, citations = counts.get("claims", 0), counts.get("citations", 0)
    lines = [
        f"## Claims API: {args.page_size} claims a page with citations, of {claims:,} claims "
        f"({info['database'].split()[0]})",
        "",
        "Target: GET /api/claims/?page_size=100 with nested citations, on PostgreSQL with 100,000 claims: at most "
        "5 queries and under 30 ms median in-process.",
        "",
        "```sh",
        command_line(target),
        "```",
        "",
        f"{claims:,} claims, {citations:,} citations, {counts.get('sources', 0):,} sources; "
        + (f"built in {build_seconds:.0f} s (bulk inserts). " if build_seconds else "")
        + f"{args.rounds} requests per row after {args.warmup} of warm-up, with Django's test client (in-process); "
        + "queries of one more request (tx: BEGIN/COMMIT, which CaptureQueriesContext counts too); SQL time: "
        + "median time per request in cursor.execute.",
        "",
        "| request | auth | median | p95 | fastest | queries | SQL time | size |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.auth} | {r.median:.1f} ms | {r.p95:.1f} ms | {r.fastest:.1f} ms "
            f"| {r.queries} (+{r.transaction} tx) "
            f"| {r.sql_ms:.1f} ms | {r.size / 1024:.0f} KiB |"
        )
    lines += [
        "",
        f"Machine: {info['cpus']} cores ({info.get('cpu', 'unknown CPU')}), {info.get('memory', '?')}, "
        f"{info.get('os', platform.system())}, Python {info['python']}, Django {info['django']}, "
        f"DRF {info['drf']}, {info['database']}, {today}; load average {info['load']} while measuring.",
    ]
    return "\n".join(lines)


def remember_build(seconds: float) -> None:
    """Keep the build time in the bench database (a table of its own), for the runs that reuse it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_build (seconds double precision NOT NULL)")
        cursor.execute("DELETE FROM bench_build")
        cursor.execute("INSERT INTO bench_build (seconds) VALUES (%s)", [seconds])


def remembered_build() -> float | None:
    from django.db import connection

    if "bench_build" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT seconds FROM bench_build")
        row = cursor.fetchone()
    return row[0] if row else None


def current_counts() -> dict:
    from intel.models import Citation, Claim, Source

    return {
        "claims": Claim.objects.count(),
        "citations": Citation.objects.count(),
        "sources": Source.objects.count(),
    }


def csv_export(token: str) -> str:
    """Stream the CSV of all claims and of a few, reading it chunk by chunk as a client would:
    time, rows, bytes and the peak of Python memory (tracemalloc) while streaming."""
    import tracemalloc

    from django.db.models import Count
    from django.test import Client

    from companies.models import Company

    smallest = Company.objects.filter(claims__isnull=False).annotate(n=Count("claims")).order_by("n").first()
    lines = ["CSV export (in-process, streamed; peak = the most Python memory held at once while streaming)"]
    lines.append("| export | rows | size | time | peak memory |")
    lines.append("| --- | --- | --- | --- | --- |")
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    for label, path in (
        (f"company={smallest.slug}", f"/api/claims/?format=csv&company={smallest.slug}"),
        ("all claims", "/api/claims/?format=csv"),
    ):
        gc.collect()
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(path)
        size = rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        lines.append(f"| {label} | {rows - 1:,} | {size / 2**20:.1f} MiB | {seconds:.1f} s | {peak / 2**20:.1f} MiB |")
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    target = bench_target(args.db_name)
    os.environ["DATABASE_URL"] = target.url
    create_database(target, drop_first=args.rebuild)

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Throttling stays in the request path, at a rate the benchmark never reaches.
    settings.INTEL_API_THROTTLE = {"anon": "1000000/min", "user": "1000000/min"}
    settings.DEBUG = False  # no query log during the build either
    print(f"database: {connection.vendor} {target.name}", flush=True)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from intel.models import Claim

    existing = Claim.objects.count()
    if existing not in (0, args.claims):
        print(f"  it holds {existing:,} claims, not {args.claims:,}: building it anew", flush=True)
        connection.close()
        create_database(target, drop_first=True)
        call_command("migrate", verbosity=0)
        existing = 0
    print(f"  migrations: {time.perf_counter() - started:.1f} s", flush=True)

    reused = existing == args.claims
    if reused:
        build_seconds = remembered_build()
        built_in = f", built in {build_seconds:.1f} s" if build_seconds else ""
        print(f"  reusing its {existing:,} claims{built_in} (--rebuild to build anew)", flush=True)
    else:
        started = time.perf_counter()
        built = build(args.claims, args.seed)
        build_seconds = time.perf_counter() - started
        remember_build(build_seconds)
        rows = sum(built.values())
        print(f"  built {rows:,} rows in {build_seconds:.1f} s: {built}", flush=True)
    counts = current_counts()
    token = bench_user_token()

    try:
        load_before = load_average()
        print(f"measuring ({args.rounds} rounds, {args.warmup} warm-up), load average {load_before}:", flush=True)
        results, scenarios = run_scenarios(args, token)
        info = machine()
        info["load"] = f"{load_before} → {load_average()}"
        print()
        print(
            f"GET /api/claims/?page_size={args.page_size} on {info['database']}, {counts['claims']:,} claims, "
            f"{counts['citations']:,} citations"
            + (f" (built in {build_seconds:.1f} s" if build_seconds else " (")
            + (", reused)" if reused else ")")
        )
        print(table(results))
        print(
            "queries: SQL statements of one more request, besides transaction control (tx: BEGIN/COMMIT, which "
            "CaptureQueriesContext counts too); sql: median time per request spent in cursor.execute"
        )
        if any(result.reads_snapshots for result in results):
            print("warning: these requests read intel_source.snapshot_text (archived source texts, up to megabytes):")
            print("  " + "; ".join(f"{r.scenario} ({r.auth})" for r in results if r.reads_snapshots))
        print(f"load average before → after measuring: {info['load']} ({info['cpus']} cores)")
        if max((float(x) for x in info["load"].split(" → ") if x != "?"), default=0.0) > 0.5 * (info["cpus"] or 1):
            print("warning: other work is running on this machine; the times are inflated (see the fastest column)")
        if args.show_sql:
            for result in results:
                if result.auth == "anonymous" or result is results[len(scenarios)]:
                    print(f"\n-- {result.scenario}, {result.auth}:")
                    for ms, sql in result.sql:
                        print(f"   [{ms:6.2f} ms] {sql[:300]}")
                    print(f"   and {', '.join(result.control)}")
        if args.explain and connection.vendor == "postgresql":
            for result in results[: len(scenarios)]:
                print()
                print(explain(result))
        if args.profile:
            print()
            print(profile(scenarios[0][1], args.profile_requests))
        if args.markdown:
            print()
            print(markdown(results, target, info, counts, build_seconds, args))
        if args.csv:
            print()
            print(csv_export(token))
    finally:
        if args.drop:
            drop_database(target)
            print(f"dropped {target.name}")


if __name__ == "__main__":
    main()
