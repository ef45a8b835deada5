"""A realistic synthetic wiki at scale S, M or L, loaded fast into a PostgreSQL database of its own.

Not a test. The benchmark (bench/run.py) calls it; it also runs alone:

    .venv/bin/python bench/generate.py --scale S        # 10,000 claims, about 20 s
    .venv/bin/python bench/generate.py --scale L        # 1,000,000 claims, under 5 minutes
    .venv/bin/python bench/generate.py --scale M --database-url postgres://postgres@127.0.0.1:5432/intel_bench_m

What it makes (a seeded random generator, so the same scale and seed give the same wiki):

- companies (a few named ones hold most claims: Nvidia about a sixth), architectures, products,
  people with English and Chinese aliases, relations between the named companies;
- sources, each with an archived snapshot of 2–7 KB (70% English, 15% simplified, 15% traditional
  Chinese) and its moderation decision;
- claims in English and Chinese, each with 1–3 citations whose quotes are sentences of their
  source's snapshot (anchored: the quote selector and offsets point into the text, as the
  anchoring service would leave them), some metric claims, some disputes;
- history: every page's creation is a django-reversion Revision with its Versions (a claim's
  revision holds its citations, as reversion's ``follow`` does) and the wiki's Change line; a
  tenth of the claims were edited once more; the biggest company's page and one claim have a
  deep history (``Scale.page_revisions``); milestones have ``milestone_revisions`` revisions of
  slipping targets (bench/roadmap.py's model of a roadmap) and their computed targets;
- users (analysts, a moderator) with a known password and an API token; the search index.

Rows go in with COPY (psycopg 3), in two processes for sources and claims; Versions are
serialized with orjson in the shape django.core.serializers gives (checked against it on a
sample, see ``check_versions``). The database is made anew by ``--fresh`` or when it holds
another scale; a table ``bench_meta`` records what it holds and the ids the scenarios use.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import hashlib
import json
import math
import multiprocessing
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
os.environ.setdefault("DEBUG", "1")

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
    _accumulate,
    _hans,
    _hant,
    weighted,
)

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password"  # every bench user's: the HTTP scenarios log in with it
GENERATOR_VERSION = 2  # bump when the data changes shape: databases of an older version are made anew
CHUNK = 10_000  # claims (or sources / 10) generated and COPYed at a time by one process


@dataclass(frozen=True)
class Scale:
    name: str
    claims: int
    sources: int
    companies: int
    products: int
    people: int
    milestones: int
    users: int
    page_revisions: int  # history depth of the biggest company's page and of the hot claim
    milestone_revisions: int = 5


SCALES = {
    "S": Scale("S", claims=10_000, sources=1_000, companies=200, products=400, people=300, milestones=100, users=20,
               page_revisions=50),
    "M": Scale("M", claims=100_000, sources=10_000, companies=800, products=1_500, people=1_000, milestones=400,
               users=50, page_revisions=200),
    "L": Scale("L", claims=1_000_000, sources=50_000, companies=2_000, products=3_000, people=3_000, milestones=1_500,
               users=100, page_revisions=500),
}  # fmt: skip


# -- the database ----------------------------------------------------------------------------


def database_url(scale: Scale, server_url: str | None = None) -> str:
    """The bench database of a scale on the server of DATABASE_URL (or the local one): intel_bench_<scale>."""
    parts = urlsplit(server_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_SERVER)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"The benchmark needs PostgreSQL; {parts.scheme}:// is not supported.")
    return urlunsplit(parts._replace(path=f"/intel_bench_{scale.name.lower()}"))


def server_connection(url: str):
    """An autocommit connection to the server's postgres database (to create and drop bench databases)."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def create_database(url: str, *, fresh: bool) -> bool:
    """Make the bench database (UTF-8, so trigrams see Chinese); True when it was made now."""
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to use {name!r}: a bench database's name contains 'bench'.")
    with server_connection(url) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh:
            return False
        if exists:
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        server.execute(
            sql.SQL(
                "CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            ).format(sql.Identifier(name))
        )
    return True


def setup_django(url: str) -> None:
    import django

    os.environ["DATABASE_URL"] = url
    django.setup()


def migrate() -> None:
    """Migrate without search's post_migrate hook (it would rebuild the index of a loaded database)."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db.models.signals import post_migrate

    post_migrate.disconnect(sender=apps.get_app_config("search"), dispatch_uid="search.build_missing_index")
    call_command("migrate", verbosity=0, interactive=False)


def meta() -> dict:
    """What the bench database holds (empty before the first load)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
        cursor.execute("SELECT key, value FROM bench_meta")
        return {key: json.loads(value) if isinstance(value, str) else value for key, value in cursor.fetchall()}


def meta_set(**values) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
        for key, value in values.items():
            cursor.execute(
                "INSERT INTO bench_meta (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False, default=str)],
            )


class SearchSignalsOff:
    """search's post_save/post_delete receivers disconnected: the index is built once, at the end."""

    def __enter__(self):
        from django.db.models.signals import post_delete, post_save

        for signal in (post_save, post_delete):
            with signal.lock:
                signal.receivers = [r for r in signal.receivers if not str(r[0][0]).startswith("search.")]
                signal.sender_receivers_cache.clear()
        return self

    def __exit__(self, *exc):
        from search import signals

        signals.connect()
        return False


# -- fast inserts ----------------------------------------------------------------------------


class Copier:
    """COPY plain rows (dicts of attname → value) into a model's table; missing columns get their defaults.

    Values go to psycopg as they are, except JSON fields (wrapped as Jsonb) and what ``prepare``
    names: no model instances, no per-row SQL. Columns in ``omit`` are left to the database (the
    id of history rows, which nothing refers to by a number we choose).
    """

    def __init__(self, model, omit=()):
        from django.db import models
        from psycopg.types.json import Jsonb

        self.model = model
        self.columns = []
        for field in model._meta.concrete_fields:
            if field.attname in omit:
                continue
            default = field.get_default()
            wrap = None
            if isinstance(field, models.JSONField):
                wrap = Jsonb
                default = Jsonb(default)
            self.columns.append((field.attname, field.column, default, wrap))
        self.statement = "COPY {} ({}) FROM STDIN".format(
            model._meta.db_table, ", ".join(f'"{column}"' for _, column, _, _ in self.columns)
        )

    def values(self, row: dict) -> tuple:
        out = []
        for name, _, default, wrap in self.columns:
            if name in row:
                value = row[name]
                out.append(wrap(value) if wrap is not None and value is not None else value)
            else:
                out.append(default)
        return tuple(out)

    def copy(self, cursor, rows) -> int:
        count = 0
        with cursor.copy(self.statement) as copy:
            for row in rows:
                copy.write_row(self.values(row))
                count += 1
        return count


# The tables the bulk steps fill: their foreign keys and secondary indexes are dropped while they load.
BULK_TABLES = [
    "intel_source", "intel_snapshot", "intel_moderationdecision", "intel_claim", "intel_citation",
    "intel_claim_companies", "intel_claim_products", "intel_claimrelation", "intel_pagelink", "reversion_revision",
    "reversion_version", "intel_change", "search_searchentry",
]  # fmt: skip


class ConstraintsDeferred:
    """Foreign keys and secondary indexes of ``tables`` dropped, and made again at the end: what pg_restore does.

    Row by row, each COPYed row fires its foreign-key triggers and updates every index; made
    once at the end, a foreign key is checked with one join and an index is built by one sort.
    Primary keys and unique constraints stay. Definitions come from the catalog, so the tables
    end as the migrations made them; a failing check on the way back fails the load.
    """

    def __init__(self, tables):
        self.tables = tables
        self.foreign_keys, self.indexes = [], []

    def __enter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND (conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s))",
                [self.tables, self.tables],
            )
            self.foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [self.tables],
            )
            self.indexes = cursor.fetchall()
            for table, name, _ in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, kind, *exc):
        if kind is not None:
            return False
        # Index builds in two connections at once (two cores; the biggest first), then the foreign keys.
        with connection_pool(2) as lanes:
            run_in_lanes(lanes, ["SET maintenance_work_mem = '1GB'"], per_lane=True)
            run_in_lanes(lanes, [definition for _, definition in sorted(self.indexes, key=_index_cost)])
            run_in_lanes(lanes, [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                                 for table, name, definition in self.foreign_keys])  # fmt: skip
        return False


def _index_cost(index: tuple[str, str]) -> int:
    """Biggest first: the search GIN indexes, then the history's, then the rest (a rough order is enough)."""
    name, definition = index
    return -(("gin" in definition) * 4 + ("version" in definition) * 2 + ("citation" in definition))


@contextlib.contextmanager
def connection_pool(size: int):
    """``size`` autocommit psycopg connections to the bench database (for work the server does in parallel)."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    params = {"dbname": settings["NAME"], "user": settings["USER"], "password": settings["PASSWORD"] or None,
              "host": settings["HOST"] or None, "port": settings["PORT"] or None}  # fmt: skip
    connections = [psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v}) for _ in range(size)]
    try:
        yield connections
    finally:
        for conn in connections:
            conn.close()


def run_in_lanes(lanes, statements: list[str], *, per_lane: bool = False) -> None:
    """Run ``statements`` on the lanes' connections, each taking the next when it is free (or each all)."""
    import queue
    import threading

    import psycopg

    if per_lane:
        for conn in lanes:
            for statement in statements:
                conn.execute(statement)
        return
    work = queue.Queue()
    for statement in statements:
        work.put(statement)
    errors, timings = [], []

    def lane(conn):
        while not errors:
            try:
                statement = work.get_nowait()
            except queue.Empty:
                return
            try:
                started = time.perf_counter()
                conn.execute(statement)
                timings.append((time.perf_counter() - started, statement))
            except psycopg.errors.DeadlockDetected:
                work.put(statement)  # two foreign keys between the same tables (source ⇄ snapshot): once more
            except Exception as error:  # noqa: BLE001  (raised again below, in the caller's thread)
                errors.append(error)

    threads = [threading.Thread(target=lane, args=(conn,)) for conn in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    for seconds, statement in sorted(timings, reverse=True)[:3]:
        if seconds > 1:
            print(f"    {seconds:5.1f} s  {statement[:110]}", flush=True)


def copy_rows(model, rows, *, omit=()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        return Copier(model, omit).copy(cursor.cursor, rows)


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# -- history rows ----------------------------------------------------------------------------


class VersionShape:
    """How reversion serializes one model: its label and its fields in order, many-to-many last."""

    def __init__(self, model):
        from django.contrib.contenttypes.models import ContentType

        self.label = model._meta.label_lower
        self.content_type_id = ContentType.objects.get_for_model(model).pk
        self.fields = [
            (field.name, field.attname, field.get_default())
            for field in model._meta.local_fields
            if field.serialize and not field.primary_key
        ]
        self.m2m = [field.name for field in model._meta.local_many_to_many if field.serialize]

    def serialize(self, pk, row: dict, m2m: dict | None = None) -> str:
        fields = {name: row.get(attname, default) for name, attname, default in self.fields}
        for name in self.m2m:
            fields[name] = sorted(m2m.get(name, ())) if m2m else []
        return orjson.dumps(
            [{"model": self.label, "pk": pk, "fields": fields}], default=str, option=orjson.OPT_UTC_Z
        ).decode()


def check_versions(models) -> None:
    """The generated Versions read back as those django.core.serializers writes (fails loudly if not).

    Compared as reversion reads them (deserialized field values and links), on the first 50 pages
    of each model: orjson writes times with microseconds and Django with milliseconds, the same
    instants since the generator makes whole milliseconds.
    """
    from django.core import serializers
    from reversion.models import Version

    def read(data):
        (item,) = serializers.deserialize("json", data)
        fields = {field.attname: getattr(item.object, field.attname) for field in item.object._meta.concrete_fields}
        fields.pop("updated", None)  # the row's latest time, the version's own time
        return fields, {name: sorted(ids) for name, ids in item.m2m_data.items()}

    for model in models:
        content_type_id = VersionShape(model).content_type_id
        for obj in model.objects.order_by("pk")[:50]:
            version = (
                Version.objects.filter(content_type_id=content_type_id, object_id=str(obj.pk))
                .order_by("-revision_id")
                .first()
            )
            made, real = read(version.serialized_data), read(serializers.serialize("json", [obj]))
            if made != real:
                diff = {k: (made[0].get(k), v) for k, v in real[0].items() if made[0].get(k) != v}
                raise AssertionError(
                    f"Generated version of {model.__name__} {obj.pk} differs: {diff} {made[1]} {real[1]}"
                )


# -- the data --------------------------------------------------------------------------------


@dataclass
class World:
    """What sources and claims draw on; built in the main process, read by the workers after fork."""

    scale: Scale
    seed: int
    start: datetime.datetime
    now: datetime.datetime
    company_ids: list
    company_cum: list
    names: dict  # company id -> (english, simplified, traditional)
    products_of: dict  # company id -> [(product id, name)]
    archs_of: dict  # company id -> [name]
    all_products: list
    people: int
    user_ids: list
    first_source_revision: int
    first_claim_revision: int = 0  # set once the roadmap's claims are in: the bulk claims come after them
    first_claim_id: int = 1
    first_citation_id: int = 1
    sources_of: dict | None = None  # company id -> [source ids]
    quotes_of: dict | None = None  # source id -> [(quote, start, script, prefix, suffix)]


def _anchor(text: str, quote: str, script: str) -> tuple:
    """A quote's place in its snapshot as the anchoring service records it: start, 32 characters either side."""
    start = text.index(quote)
    return quote, start, script, text[max(0, start - 32) : start], text[start + len(quote) : start + len(quote) + 32]


def _moment(world: World, fraction: float) -> datetime.datetime:
    """A time between the wiki's start and now, in whole milliseconds (as a serialized Version keeps it)."""
    span = (world.now - world.start) // datetime.timedelta(milliseconds=1)
    return world.start + datetime.timedelta(milliseconds=int(span * fraction))


class _Stand:
    """A page as search.documents' builders read it, from the generated row (no model instance, no query).

    A builder that reads more than the generator gives fails here with an AttributeError, and
    ``check_entries`` compares a sample with entries built from the database.
    """

    def __init__(self, **values):
        self.__dict__.update(values)


class _Related(list):
    def all(self):
        return self


def _entry_row(kind: str, page: _Stand, now) -> tuple:
    """search.indexing.entry_for's columns, without the model instance it makes (a tenth of the time)."""
    from search.documents import document_for
    from search.indexing import _tokens

    d = document_for(kind, page)
    return (d.kind, d.object_id, d.key[:200], d.title[:500], _tokens(d.titles), _tokens(d.statements),
            _tokens(d.related), _tokens(d.bodies), now)  # fmt: skip


ENTRY_COLUMNS = "kind, object_id, key, title, tokens_a, tokens_b, tokens_c, tokens_d, updated"


def _copy_entries(cursor, rows) -> int:
    with cursor.copy(f"COPY search_searchentry ({ENTRY_COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)


@contextlib.contextmanager
def _tokens_remembered():
    """index_tokens remembered for repeated texts (a quote cited by several claims): the same tokens, once.

    Bench-only: the generator repeats quotes more than real data does, and the app tokenizes each save.
    """
    import search.indexing

    plain = search.indexing.index_tokens
    search.indexing.index_tokens = functools.lru_cache(maxsize=50_000)(plain)
    try:
        yield
    finally:
        search.indexing.index_tokens = plain


def check_entries(kinds=("claim", "source"), sample: int = 50) -> None:
    """The entries the generator wrote are those search.indexing would write (fails loudly if not)."""
    from search.documents import documents, queryset_for
    from search.indexing import entry_for
    from search.models import SearchEntry

    fields = ["key", "title", "tokens_a", "tokens_b", "tokens_c", "tokens_d"]
    for kind in kinds:
        pages = list(queryset_for(kind).order_by("pk")[:sample])
        stored = {e.object_id: e for e in SearchEntry.objects.filter(kind=kind, object_id__in=[p.pk for p in pages])}
        for document in documents(kind, pages):
            made, real = stored.get(document.object_id), entry_for(document)
            if made is None or any(getattr(made, f) != getattr(real, f) for f in fields):
                raise AssertionError(f"Generated search entry of {kind} {document.object_id} differs from search's")


def _chunk_rng(world: World, kind: str, index: int) -> random.Random:
    """The generator of one chunk: the same rows whatever the number of processes."""
    return random.Random(f"{world.seed}:{kind}:{index}")


def build_world(scale: Scale, seed: int, counts: dict) -> tuple[World, dict]:
    """Companies, architectures, products, people, users, company relations; their creation revisions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    from companies.choices import CompanyKind, RelationKind
    from companies.models import Company, CompanyRelation
    from intel.choices import Role
    from intel.models import Person
    from intel.roles import sync_roles
    from products.choices import ProductKind
    from products.models import Architecture, Product

    rng = random.Random(f"{seed}:world")
    now = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    start = now - datetime.timedelta(days=3 * 365)

    # Users: analysts who write, one moderator; one password hash for all (hashing is slow on purpose).
    User = get_user_model()
    groups = sync_roles()
    password = make_password(PASSWORD)
    users = [{"id": n, "username": f"bench-analyst-{n}", "password": password, "is_active": True,
              "date_joined": start, "email": f"analyst{n}@example.com"} for n in range(1, scale.users + 1)]  # fmt: skip
    users.append({"id": scale.users + 1, "username": "bench-moderator", "password": password, "is_active": True,
                  "date_joined": start, "email": "moderator@example.com"})  # fmt: skip
    copy_rows(User, users)
    memberships = [{"user_id": row["id"], "group_id": groups[Role.ANALYST.value].pk} for row in users[:-1]]
    memberships.append({"user_id": users[-1]["id"], "group_id": groups[Role.MODERATOR.value].pk})
    copy_rows(User.groups.through, memberships, omit=("id",))
    Token.objects.create(user_id=1, key=hashlib.sha1(f"bench-token-{seed}".encode()).hexdigest())
    user_ids = [row["id"] for row in users[:-1]]

    company_rows, weights, names, used = [], [], {}, set()
    for index, (name, slug, aliases, weight) in enumerate(NAMED_COMPANIES, start=1):
        company_rows.append({"id": index, "name": name, "slug": slug, "aliases": aliases, "tracked": True,
                             "kind": "chip_vendor", "country": "US"})  # fmt: skip
        weights.append(weight)
        used.add(name)
    for index in range(len(company_rows) + 1, scale.companies + 1):
        name = f"{rng.choice(SYLLABLES)}{rng.choice(ENDINGS)} {rng.choice(COMPANY_SUFFIXES)}"
        if name in used:
            name = f"{name} {index}"
        used.add(name)
        aliases = []
        if rng.random() < 0.3:
            aliases.append("".join(rng.sample(ZH_NAME_CHARS, 2)) + rng.choice(ZH_NAME_SUFFIXES))
        if rng.random() < 0.2:
            aliases.append(name.split()[0].upper())
        company_rows.append({"id": index, "name": name, "slug": f"c{index}", "aliases": aliases,
                             "kind": rng.choice(CompanyKind.values)})  # fmt: skip
        weights.append(2.0 / (index**0.5))
    for row in company_rows:
        row.update(created=start, updated=start, body=_company_body(rng, row["name"]))
        names[row["id"]] = (row["name"], _hans(row["aliases"]) or row["name"], _hant(row["aliases"]) or row["name"])
    slug_to_id = {row["slug"]: row["id"] for row in company_rows}
    company_ids = [row["id"] for row in company_rows]

    arch_rows, archs_of, arch_ids = [], {}, {}
    for slug, archs in NAMED_ARCHITECTURES.items():
        for arch in archs:
            arch_rows.append({"id": len(arch_rows) + 1, "name": arch, "vendor_id": slug_to_id[slug]})
    for vendor in company_ids[len(NAMED_COMPANIES) : len(NAMED_COMPANIES) + scale.companies // 7]:
        arch_rows.append({"id": len(arch_rows) + 1, "name": f"{rng.choice(SYLLABLES)}{rng.choice(ENDINGS)} "
                          f"{rng.randint(1, 5)}", "vendor_id": vendor})  # fmt: skip
    for row in arch_rows:
        row.update(slug=f"a{row['id']}", created=start, updated=start, body=f"The {row['name']} architecture.")
        archs_of.setdefault(row["vendor_id"], []).append(row["name"])
        arch_ids[row["vendor_id"], row["name"]] = row["id"]

    product_kinds = list(ProductKind.values)
    product_rows, taken = [], set()
    for slug, products in NAMED_PRODUCTS.items():
        vendor = slug_to_id[slug]
        for name, arch in products:
            product_rows.append({"id": len(product_rows) + 1, "name": name, "vendor_id": vendor,
                                 "architecture_id": arch_ids.get((vendor, arch))})  # fmt: skip
            taken.add((vendor, name))
    cum = list(_accumulate(weights))
    while len(product_rows) < scale.products:
        vendor = rng.choices(company_ids, cum_weights=cum)[0]  # the big companies make more products
        name = f"{rng.choice('XNAZQTMS')}{rng.choice(['', 'i', 'a', 'P'])}{rng.randint(10, 9999)}"
        if (vendor, name) in taken:
            continue
        taken.add((vendor, name))
        archs = archs_of.get(vendor)
        product_rows.append({"id": len(product_rows) + 1, "name": name, "vendor_id": vendor,
                             "architecture_id": arch_ids[vendor, rng.choice(archs)] if archs else None})  # fmt: skip
    products_of = {}
    for row in product_rows:
        row.update(slug=f"p{row['id']}", kind=rng.choice(product_kinds), created=start, updated=start,
                   body=f"{row['name']} by {names[row['vendor_id']][0]}.")  # fmt: skip
        products_of.setdefault(row["vendor_id"], []).append((row["id"], row["name"]))

    person_rows = []
    for index, (name, aliases, role, company) in enumerate(NAMED_PEOPLE, start=1):
        person_rows.append({"id": index, "name": name, "aliases": aliases, "role": role,
                            "affiliation_id": slug_to_id.get(company)})  # fmt: skip
    for index in range(len(person_rows) + 1, scale.people + 1):
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

    # The named companies trade with each other: suppliers, customers, competitors (the company page's graph).
    relation_rows = []
    named = company_ids[: len(NAMED_COMPANIES)]
    for subject in named:
        for other in rng.sample(named, 6):
            if other != subject:
                relation_rows.append({"id": len(relation_rows) + 1, "subject_id": subject, "object_id": other,
                                      "kind": rng.choice(RelationKind.values),
                                      "created": start, "updated": start})  # fmt: skip

    models_rows = [(Company, company_rows), (Architecture, arch_rows), (Product, product_rows),
                   (Person, person_rows), (CompanyRelation, relation_rows)]  # fmt: skip
    for model, rows in models_rows:
        counts[model._meta.db_table] = copy_rows(model, rows)

    # One creation revision per page, in the order they were made.
    shapes = {model: VersionShape(model) for model, _ in models_rows}
    revisions, versions, changes = [], [], []
    for model, rows in models_rows:
        kind_key = model._meta.model_name
        for row in rows:
            revision_id = len(revisions) + 1
            comment = f"Created {model._meta.verbose_name} {row.get('name', '')}".strip()
            revisions.append({"id": revision_id, "date_created": start, "user_id": rng.choice(user_ids),
                              "comment": comment})  # fmt: skip
            versions.append(_version(shapes[model], revision_id, row["id"], row, _repr(model, row, names)))
            if model is not CompanyRelation:
                changes.append(_change(shapes[model], revision_id, row, kind_key, _repr(model, row, names)))
    _copy_history(revisions, versions, changes, counts)
    world = World(
        scale=scale,
        seed=seed,
        start=start,
        now=now,
        company_ids=company_ids,
        company_cum=list(_accumulate(weights)),
        names=names,
        products_of=products_of,
        archs_of=archs_of,
        all_products=[(row["id"], row["name"]) for row in product_rows],
        people=len(person_rows),
        user_ids=user_ids,
        first_source_revision=len(revisions) + 1,
    )
    return world, {"company": company_rows, "product": product_rows}


def _company_body(rng: random.Random, name: str) -> str:
    """A company page's markdown: a few paragraphs of what analysts keep about it."""
    paragraphs = [
        f"**{name}** designs and sells hardware and software for AI data centers. This page keeps what we know "
        "about its products, roadmap, customers and supply chain; every statement below is a claim with its sources.",
        "## Products\n\n- accelerators and the systems built around them\n- networking for scale-up and scale-out\n"
        "- the software stack that ties them together",
        "## Supply chain\n\nAdvanced packaging (CoWoS and its successors) and HBM allocation set how many units "
        "ship each quarter; see the milestones for the dates given and how they moved.",
        "## Customers\n\nThe large cloud providers buy most of the volume; model labs and sovereign clouds follow.",
    ]
    return "\n\n".join(paragraphs[: rng.randint(2, 4)])


def _repr(model, row: dict, names: dict) -> str:
    if model._meta.model_name == "companyrelation":
        return f"{names[row['subject_id']][0]} {row['kind'].replace('_', ' ')} {names[row['object_id']][0]}"
    return str(row.get("name") or row.get("title") or row.get("statement", ""))[:300]


def _version(shape: VersionShape, revision_id: int, pk, row: dict, object_repr: str, m2m=None) -> dict:
    return {
        "revision_id": revision_id,
        "content_type_id": shape.content_type_id,
        "object_id": str(pk),
        "db": "default",
        "format": "json",
        "serialized_data": shape.serialize(pk, row, m2m),
        "object_repr": object_repr[:191],
    }


def _change(shape, revision_id: int, row: dict, kind_key: str, object_repr: str, *, action="create", size=None,
            delta=None, key=None) -> dict:  # fmt: skip
    size = size if size is not None else sum(len(v) for v in row.values() if isinstance(v, str))
    return {
        "revision_id": revision_id,
        "content_type_id": shape.content_type_id,
        "object_id": str(row["id"]),
        "object_key": str(key if key is not None else row.get("slug") or row["id"]),
        "object_repr": object_repr[:300],
        "action": action,
        "merged": False,
        "size": size,
        "size_delta": size if delta is None else delta,
    }


def _copy_history(revisions, versions, changes, counts) -> None:
    from reversion.models import Revision, Version

    from intel.models import Change

    for model, rows in ((Revision, revisions), (Version, versions), (Change, changes)):
        n = copy_rows(model, rows, omit=() if model is Revision else ("id",))
        counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + n


# -- sources and their snapshots (in worker processes) ---------------------------------------

WORLD: World | None = None  # set in the main process before the workers fork


def _sources_chunk(index: int) -> tuple[dict, dict, dict]:
    """Sources [index*CHUNK_S+1, …] with snapshots, decisions and creation revisions; their quotable sentences."""
    from django.db import connection, transaction

    from intel.choices import ModerationAction, ModerationState, Reliability, SourceKind
    from intel.models import ModerationDecision, Snapshot, Source
    from search.text import MAX_INDEXED_CHARS

    world = WORLD
    rng = _chunk_rng(world, "sources", index)
    size = CHUNK // 10
    first, last = index * size + 1, min((index + 1) * size, world.scale.sources)
    filler = Filler(rng)
    topical = {"en": weighted(SNAPSHOT_EN), "hans": weighted(SNAPSHOT_HANS), "hant": weighted(SNAPSHOT_HANT)}
    quote_pools = {"en": weighted(QUOTES_EN), "hans": weighted(QUOTES_HANS), "hant": weighted(QUOTES_HANT)}
    periods = {"en": PERIODS_EN, "hans": PERIODS_HANS, "hant": PERIODS_HANT}
    source_kinds, reliabilities = list(SourceKind.values), list(Reliability.values)
    shape_source = VersionShape(Source)
    moderator = world.scale.users + 1
    sources, snapshots, decisions, revisions, versions, changes, entries = [], [], [], [], [], [], []
    sources_of, quotes_of = {}, {}
    for source_id in range(first, last + 1):
        script = rng.choices(("en", "hans", "hant"), (70, 15, 15))[0]
        co = rng.choices(world.company_ids, cum_weights=world.company_cum)[0]
        en, hans, hant = world.names[co]
        prod = rng.choice(world.products_of.get(co) or world.all_products)[1]
        if script == "en":
            publisher = rng.choice(PUBLISHERS_EN)
            title = rng.choice([f"{en} and the data-center race: the {prod} ramp", f"Inside the {prod} supply chain",
                                f"{en} earnings call transcript, {rng.choice(PERIODS_EN)}",
                                f"How {en} plans to win inference", f"{prod}: what we know"])  # fmt: skip
        elif script == "hans":
            publisher = rng.choice(PUBLISHERS_HANS)
            title = rng.choice([f"{hans}{prod}最新进展", f"{hans}数据中心业务解读", f"{prod}供应链调查"])
        else:
            publisher = rng.choice(PUBLISHERS_HANT)
            title = rng.choice([f"{hant}{prod}最新動態", f"{hant}資料中心業務解析", f"{prod}供應鏈追蹤"])
        # Topical sentences and the quotable ones (what claims will cite) among generic sentences.
        chars = rng.randint(2_000, 7_000) // (1 if script == "en" else 3)
        pool, cum = topical[script]
        parts = [f"{title}."] + [rng.choices(pool, cum_weights=cum)[0] for _ in range(rng.randint(2, 5))]
        name = {"en": en, "hans": hans, "hant": hant}[script]
        values = {"co": name, "prod": prod, "arch": rng.choice(world.archs_of.get(co) or ["Blackwell"]), "num": 0,
                  "period": ""}  # fmt: skip
        quotes = []
        for _ in range(rng.randint(2, 5)):
            values.update(num=rng.randint(2, 400), period=rng.choice(periods[script]))
            quote = rng.choices(quote_pools[script][0], cum_weights=quote_pools[script][1])[0].format(**values)
            quotes.append(quote)
            parts.insert(rng.randint(1, len(parts)), quote)
        length = sum(len(part) + 1 for part in parts)
        while length < chars:
            sentence = (
                filler.english(rng, rng.randint(8, 24))
                if script == "en"
                else filler.chinese(rng, rng.randint(12, 40), traditional=script == "hant")
            )
            parts.insert(rng.randint(1, len(parts)), sentence)
            length += len(sentence) + 1
        text = (" " if script == "en" else "").join(parts)
        quotes_of[source_id] = [_anchor(text, quote, script) for quote in dict.fromkeys(quotes)]
        sources_of.setdefault(co, []).append(source_id)
        raw = text.encode()
        state = rng.choices([ModerationState.PENDING, ModerationState.APPROVED, ModerationState.REJECTED,
                             ModerationState.SENT_BACK], [8, 85, 4, 3])[0]  # fmt: skip
        created = _moment(world, source_id / (world.scale.sources + 1))
        reliability = rng.choice(reliabilities)
        row = {
            "id": source_id, "kind": rng.choice(source_kinds), "title": title,
            "title_en": "" if script == "en" else f"{en}: {prod} update no. {source_id}",
            "url": f"https://example.com/{publisher.lower().replace(' ', '-')}/{source_id}", "publisher": publisher,
            "authors": [f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"] if rng.random() < 0.7 else [],
            "language": {"en": "en", "hans": "zh-Hans", "hant": "zh-Hant"}[script],
            "published_date": (created - datetime.timedelta(days=rng.randint(0, 30))).date(),
            "retrieved_at": created, "reliability": reliability, "moderation_state": state,
            "moderated_by_id": None if state == ModerationState.PENDING else moderator,
            "moderated_at": None if state == ModerationState.PENDING else created + datetime.timedelta(hours=5),
            "moderation_note": {ModerationState.REJECTED: "Not a primary source.",
                                ModerationState.SENT_BACK: "Please attach the original filing."}.get(state, ""),
            "submitted_by_id": rng.choice(world.user_ids), "snapshot_id": source_id, "created": created,
            "updated": created, "body": "Earnings call, prepared remarks and Q&A." if rng.random() < 0.2 else "",
        }  # fmt: skip
        sources.append(row)
        snapshots.append({
            "id": source_id, "source_id": source_id, "created": created, "created_by_id": row["submitted_by_id"],
            "origin": "paste", "format": "text", "encoding": "utf-8", "encoding_detected": True, "size": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(), "original": raw, "text": text,
        })  # fmt: skip
        if state != ModerationState.PENDING:
            action = {
                ModerationState.APPROVED: ModerationAction.APPROVE,
                ModerationState.REJECTED: ModerationAction.REJECT,
                ModerationState.SENT_BACK: ModerationAction.SEND_BACK,
            }[state]
            decisions.append({"source_id": source_id, "moderator_id": moderator, "action": action,
                              "state_before": ModerationState.PENDING, "state_after": state,
                              "reliability_before": reliability, "reliability_after": reliability,
                              "note": row["moderation_note"], "created": row["moderated_at"]})  # fmt: skip
        revision_id = world.first_source_revision + source_id - 1
        revisions.append({"id": revision_id, "date_created": created, "user_id": row["submitted_by_id"],
                          "comment": f"Added source {title[:80]}"})  # fmt: skip
        versions.append(_version(shape_source, revision_id, source_id, row, title))
        changes.append(_change(shape_source, revision_id, row, "source", title, size=len(title) + len(row["body"])))
        entries.append(
            _entry_row("source", _Stand(pk=source_id, snapshot_head=text[:MAX_INDEXED_CHARS], **row), world.now)
        )
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        counts["intel_source"] = Copier(Source).copy(cursor.cursor, sources)
        counts["intel_snapshot"] = Copier(Snapshot).copy(cursor.cursor, snapshots)
        counts["intel_moderationdecision"] = Copier(ModerationDecision, ("id",)).copy(cursor.cursor, decisions)
        counts["search_searchentry"] = _copy_entries(cursor.cursor, entries)
        _copy_history(revisions, versions, changes, counts)
    connection.close()
    return counts, sources_of, quotes_of


# -- claims and their citations (in worker processes) ----------------------------------------


def _claims_chunk(index: int) -> dict:
    """Claims [index*CHUNK+1, …]: citations anchored in their sources, links, revisions, versions, changes."""
    from django.db import connection, transaction

    from intel.choices import ChangeAction, ClaimKind, ClaimStatus, Credibility
    from intel.models import Citation, Claim, ClaimRelation, PageLink

    world = WORLD
    rng = _chunk_rng(world, "claims", index)
    first, last = index * CHUNK + 1, min((index + 1) * CHUNK, world.scale.claims)  # claim numbers, from 1
    offset = world.first_claim_id - 1  # number + offset = id: the roadmap's claims came first
    kinds = [ClaimKind.FACT, ClaimKind.METRIC, ClaimKind.FORECAST, ClaimKind.OPINION, ClaimKind.PLAN]
    statuses = [ClaimStatus.UNVERIFIED, ClaimStatus.CORROBORATED, ClaimStatus.DISPUTED, ClaimStatus.RETRACTED,
                ClaimStatus.SUPERSEDED]  # fmt: skip
    credibilities = list(Credibility.values)
    templates = {
        "en": (weighted(STATEMENTS_EN), weighted(CLAUSES_EN), PERIODS_EN),
        "hans": (weighted(STATEMENTS_HANS), weighted(CLAUSES_HANS), PERIODS_HANS),
        "hant": (weighted(STATEMENTS_HANT), weighted(CLAUSES_HANT), PERIODS_HANT),
    }
    english_quotes = weighted(QUOTES_EN)
    shape_claim, shape_citation = VersionShape(Claim), VersionShape(Citation)
    claim_type = shape_claim.content_type_id
    all_sources = world.scale.sources
    claims, citations, company_links, product_links, relations, links = [], [], [], [], [], []
    revisions, versions, changes, entries = [], [], [], []
    citation_id = world.first_citation_id - 1 + (first - 1) * 3  # at most 3 a claim: chunks never collide

    def pick(pool):
        return rng.choices(pool[0], cum_weights=pool[1])[0]

    for number in range(first, last + 1):
        claim_id = offset + number
        created = _moment(world, number / (world.scale.claims + 1))
        co = rng.choices(world.company_ids, cum_weights=world.company_cum)[0]
        script = rng.choices(("en", "hans", "hant"), (65, 20, 15))[0]
        product_id, prod = rng.choice(world.products_of.get(co) or world.all_products)
        statements, clauses, periods = templates[script]
        values = {
            "co": world.names[co][{"en": 0, "hans": 1, "hant": 2}[script]],
            "prod": prod,
            "arch": rng.choice(world.archs_of.get(co) or ["Blackwell"]),
            "num": rng.randint(2, 400),
            "period": rng.choice(periods),
        }
        statement = pick(statements).format(**values) + pick(clauses) + ("." if script == "en" else "。")
        kind = rng.choices(kinds, (50, 20, 12, 10, 8))[0]
        status = rng.choices(statuses, (60, 25, 8, 2, 5))[0]
        row = {"id": claim_id, "statement": statement, "kind": kind, "status": status, "body": "",
               "credibility": rng.choice(credibilities), "created": created, "updated": created}  # fmt: skip
        if kind == ClaimKind.METRIC:
            row.update(metric=rng.choice(["revenue", "shipments", "market share", "ASP", "HBM capacity"]),
                       unit="bn USD", value=Decimal(rng.randint(1, 2_000_000)) / 100)  # fmt: skip
        if status in (ClaimStatus.DISPUTED, ClaimStatus.RETRACTED, ClaimStatus.SUPERSEDED):
            row["status_note"] = "Contradicted by a later report." if status == ClaimStatus.DISPUTED else "Withdrawn."
        if rng.random() < 0.2:
            row["body"] = "\n\n".join(
                rng.choice(BODY_SENTENCES).format(co=world.names[co][0]) for _ in range(rng.randint(1, 3))
            )
            if "[[" in row["body"]:
                links.append({"content_type_id": claim_type, "object_id": str(claim_id), "object_key": str(claim_id),
                              "object_repr": statement[:300], "target": world.names[co][0].lower()})  # fmt: skip
        claims.append(row)
        companies = [co]
        if rng.random() < 0.1:
            other = rng.choices(world.company_ids, cum_weights=world.company_cum)[0]
            if other != co:
                companies.append(other)
        products = [product_id] if rng.random() < 0.5 else []
        company_links.extend({"claim_id": claim_id, "company_id": c} for c in companies)
        product_links.extend({"claim_id": claim_id, "product_id": p} for p in products)
        if status == ClaimStatus.DISPUTED and number > first:
            relations.append({"from_claim_id": claim_id, "kind": "contradicts", "to_claim_id": offset + rng.randint(
                              first, number - 1), "created": created, "updated": created})  # fmt: skip

        cited = []
        own_sources = world.sources_of.get(co)
        for _ in range(rng.choices((1, 2, 3), (55, 35, 10))[0]):
            citation_id += 1
            if own_sources and rng.random() < 0.8:
                source_id = rng.choice(own_sources)
            else:
                source_id = rng.randint(1, all_sources)
            quote, start, quote_script, prefix, suffix = rng.choice(world.quotes_of[source_id])
            citation = {
                "id": citation_id, "claim_id": claim_id, "source_id": source_id,
                "speaker_id": rng.randint(1, world.people) if rng.random() < 0.3 else None,
                "quote": quote, "locator": f"para {rng.randint(1, 30)}" if rng.random() < 0.5 else "",
                "translation": "" if quote_script == "en" else pick(english_quotes).format(**values),
                "anchor_exact": quote, "anchor_prefix": prefix,
                "anchor_suffix": suffix, "anchor_start": start,
                "anchor_end": start + len(quote), "snapshot_id": source_id,
                "anchor_note": "Found once, word for word.", "verification": "verified",
                "created": created, "updated": created,
            }  # fmt: skip
            citations.append(citation)
            cited.append(citation)

        page = _Stand(
            pk=claim_id,
            statement=statement,
            metric=row.get("metric", ""),
            body=row["body"],
            citations=_Related(_Stand(quote=c["quote"], translation=c["translation"]) for c in cited),
        )
        entries.append(_entry_row("claim", page, world.now))

        # The creation revision (the claim and its citations), and for a tenth a later status change.
        edited = rng.random() < 0.1
        revision_id = world.first_claim_revision + 2 * (number - 1)
        user_id = rng.choice(world.user_ids)
        m2m = {"companies": companies, "products": products, "milestones": []}
        size = len(statement) + len(row["body"]) + sum(len(c["quote"]) + len(c["translation"]) for c in cited)
        first_state = row | {"status": ClaimStatus.UNVERIFIED, "status_note": ""} if edited else row
        revisions.append({"id": revision_id, "date_created": created, "user_id": user_id,
                          "comment": "New claim"})  # fmt: skip
        versions.append(_version(shape_claim, revision_id, claim_id, first_state, statement, m2m))
        versions.extend(_version(shape_citation, revision_id, c["id"], c, quote[:100]) for c in cited)
        changes.append(_change(shape_claim, revision_id, row, "claim", statement, size=size, key=claim_id))
        if edited:
            later = created + datetime.timedelta(days=rng.randint(1, 60))
            revisions.append({"id": revision_id + 1, "date_created": later, "user_id": rng.choice(world.user_ids),
                              "comment": f"Status: {status}"})  # fmt: skip
            versions.append(_version(shape_claim, revision_id + 1, claim_id, row, statement, m2m))
            versions.extend(_version(shape_citation, revision_id + 1, c["id"], c, quote[:100]) for c in cited)
            changes.append(_change(shape_claim, revision_id + 1, row, "claim", statement, action=ChangeAction.EDIT,
                                   size=size, delta=0, key=claim_id))  # fmt: skip

    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        raw = cursor.cursor
        counts["intel_claim"] = Copier(Claim).copy(raw, claims)
        counts["intel_citation"] = Copier(Citation).copy(raw, citations)
        Copier(Claim.companies.through, ("id",)).copy(raw, company_links)
        Copier(Claim.products.through, ("id",)).copy(raw, product_links)
        counts["intel_claimrelation"] = Copier(ClaimRelation, ("id",)).copy(raw, relations)
        counts["intel_pagelink"] = Copier(PageLink, ("id",)).copy(raw, links)
        counts["search_searchentry"] = _copy_entries(raw, entries)
        _copy_history(revisions, versions, changes, counts)
    connection.close()
    return counts


def _parallel(function, jobs: int, processes: int):
    from django.db import connections

    connections.close_all()
    if processes <= 1:
        return [function(job) for job in range(jobs)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return list(pool.imap(function, range(jobs)))


def _add(counts: dict, more: dict) -> None:
    for key, value in more.items():
        counts[key] = counts.get(key, 0) + value


# -- deep histories, milestones, search --------------------------------------------------------


def deepen_history(world: World, rng: random.Random, counts: dict) -> dict:
    """The biggest company's page and one of its claims edited ``page_revisions`` times (the history scenarios)."""
    from django.core import serializers
    from django.db.models import Count
    from reversion.models import Revision, Version

    from companies.models import Company
    from intel.choices import ChangeAction
    from intel.models import Change, Claim

    company = Company.objects.get(pk=world.company_ids[0])
    claim = (
        Claim.objects.annotate(n=Count("citations", distinct=True))
        .filter(companies=company, n=2, kind="fact")
        .order_by("pk")
        .first()
    )
    depth = world.scale.page_revisions
    base_body, statement = company.body, claim.statement
    last_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True).first()
    when = world.now - datetime.timedelta(days=depth + 1)
    company_type, claim_type = VersionShape(Company).content_type_id, VersionShape(Claim).content_type_id
    citations = list(claim.citations.order_by("pk"))
    revisions, versions, changes = [], [], []
    size = len(base_body)
    for number in range(1, depth + 1):
        when += datetime.timedelta(days=1, minutes=rng.randint(0, 600))
        # The company: one paragraph of news more and the oldest dropped once it is long, like a live page.
        news = f"\n\n## Update {number}\n\n" + rng.choice(SNAPSHOT_EN) + " " + rng.choice(SNAPSHOT_EN)
        company.body = (base_body + news) if number % 2 else base_body + news.replace("Update", "Note")
        company.updated = when
        revision_id = last_revision + 2 * number - 1
        revisions.append(Revision(id=revision_id, date_created=when, user_id=rng.choice(world.user_ids),
                                  comment=f"Update {number}"))  # fmt: skip
        versions.append(Version(revision_id=revision_id, content_type_id=company_type, object_id=str(company.pk),
                                db="default", format="json", object_repr=company.name,
                                serialized_data=serializers.serialize("json", [company])))  # fmt: skip
        changes.append(Change(revision_id=revision_id, content_type_id=company_type, object_id=str(company.pk),
                              object_key=company.slug, object_repr=company.name, action=ChangeAction.EDIT,
                              size=len(company.body), size_delta=len(company.body) - size))  # fmt: skip
        size = len(company.body)
        # The claim: its wording refined; the citations go into each revision with it (reversion's follow).
        claim.statement = f"{statement} (revision {number})" if number < depth else statement
        claim.updated = when
        revision_id += 1
        revisions.append(Revision(id=revision_id, date_created=when, user_id=rng.choice(world.user_ids),
                                  comment=f"Wording, revision {number}"))  # fmt: skip
        versions.append(Version(revision_id=revision_id, content_type_id=claim_type, object_id=str(claim.pk),
                                db="default", format="json", object_repr=claim.statement[:191],
                                serialized_data=serializers.serialize("json", [claim])))  # fmt: skip
        versions.extend(
            Version(revision_id=revision_id, content_type_id=VersionShape(type(c)).content_type_id,
                    object_id=str(c.pk), db="default", format="json", object_repr=c.quote[:100],
                    serialized_data=serializers.serialize("json", [c]))
            for c in citations
        )  # fmt: skip
        changes.append(Change(revision_id=revision_id, content_type_id=claim_type, object_id=str(claim.pk),
                              object_key=str(claim.pk), object_repr=claim.statement[:300], action=ChangeAction.EDIT,
                              size=len(claim.statement), size_delta=0))  # fmt: skip
    Revision.objects.bulk_create(revisions, batch_size=2000)
    Version.objects.bulk_create(versions, batch_size=2000)
    Change.objects.bulk_create(changes, batch_size=2000)
    Company.objects.filter(pk=company.pk).update(body=company.body, updated=company.updated)
    Claim.objects.filter(pk=claim.pk).update(statement=claim.statement, updated=claim.updated)
    _add(counts, {"reversion_revision": len(revisions), "reversion_version": len(versions)})
    return {"company_slug": company.slug, "company_id": company.pk, "claim_id": claim.pk, "history_depth": depth + 1}


def add_roadmap(world: World, rng: random.Random, counts: dict) -> dict:
    """Milestones with slipping targets over ``milestone_revisions`` revisions (bench/roadmap.py's model)."""
    import roadmap
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from companies.models import Company
    from intel.models import Source
    from products.models import Milestone, Product
    from products.roadmap import targets_rebuild

    named = list(Company.objects.filter(pk__in=world.company_ids[:20]).order_by("pk"))
    products = {}
    for product in Product.objects.filter(vendor__in=named):
        products.setdefault(product.vendor_id, []).append(product)
    named = [company for company in named if company.pk in products]
    road = roadmap.World(
        users=list(get_user_model().objects.filter(pk__in=world.user_ids)),
        companies=named,
        weights=[NAMED_COMPANIES[company.pk - 1][3] for company in named],
        products=products,
        sources=list(Source.objects.filter(pk__lte=200).only("pk")),
        content_type=ContentType.objects.get_for_model(Milestone),
    )
    made = roadmap.add_milestones(road, 1, world.scale.milestones, world.scale.milestone_revisions, rng)
    rows = targets_rebuild()
    _add(counts, {"products_milestone": made["milestones"], "products_milestonetarget": rows})
    _claims_history(world, rng, counts)
    return {"milestones": made["milestones"]}


def _milliseconds(row: dict) -> dict:
    """A row made by bulk_create (times to the microsecond) as a Version keeps it (DjangoJSONEncoder: milliseconds)."""
    return row | {"created": row["created"].replace(microsecond=row["created"].microsecond // 1000 * 1000)}


def _claims_history(world: World, rng: random.Random, counts: dict) -> None:
    """A creation revision for each claim the roadmap made (add_milestones writes the milestones' own only)."""
    from django.db.models import Max
    from reversion.models import Revision

    from intel.models import Citation, Claim

    shape_claim, shape_citation = VersionShape(Claim), VersionShape(Citation)
    citations = {}
    for row in Citation.objects.values():
        citations.setdefault(row["claim_id"], []).append(_milliseconds(row))
    milestones = {}
    for claim_id, milestone_id in Claim.milestones.through.objects.values_list("claim_id", "milestone_id"):
        milestones.setdefault(claim_id, []).append(milestone_id)
    revision_id = Revision.objects.aggregate(n=Max("id"))["n"] or 0
    revisions, versions, changes = [], [], []
    for row in Claim.objects.order_by("pk").values():
        revision_id += 1
        row = _milliseconds(row)
        cited = citations.get(row["id"], [])
        m2m = {"milestones": milestones.get(row["id"], [])}
        revisions.append({"id": revision_id, "date_created": row["created"], "user_id": rng.choice(world.user_ids),
                          "comment": "New claim about a milestone"})  # fmt: skip
        versions.append(_version(shape_claim, revision_id, row["id"], row, row["statement"], m2m))
        versions.extend(_version(shape_citation, revision_id, c["id"], c, c["quote"][:100]) for c in cited)
        size = len(row["statement"]) + sum(len(c["quote"]) for c in cited)
        changes.append(_change(shape_claim, revision_id, row, "claim", row["statement"], size=size, key=row["id"]))
    _copy_history(revisions, versions, changes, counts)
    reset_sequences([Revision])


def index_the_rest(first_claim_id: int) -> int:
    """Search entries of what the bulk steps did not index: the small kinds, the roadmap's claims, edited pages."""
    from django.db import transaction

    from intel.pages import PAGE_KINDS
    from search.documents import documents, queryset_for
    from search.indexing import write_documents

    done = 0
    with transaction.atomic():
        for kind in PAGE_KINDS:
            pages = queryset_for(kind).order_by("pk")
            if kind == "claim":
                pages = pages.filter(pk__lt=first_claim_id)
            elif kind == "source":
                continue
            for start in range(0, pages.count(), 2000):
                batch = list(pages[start : start + 2000])
                write_documents(documents(kind, batch))
                done += len(batch)
    return done


# -- the whole ---------------------------------------------------------------------------------


def generate(scale: Scale, *, seed: int = 1, processes: int = 2) -> dict:
    """Fill the empty, migrated bench database; return counts, seconds per step and the scenarios' ids."""
    global WORLD
    from django.db import connection
    from django.db.models import Max
    from reversion.models import Revision

    from companies.models import Company, CompanyRelation
    from intel.models import Citation, Claim, Person, Snapshot, Source
    from products.models import Architecture, Milestone, Product

    steps, counts = {}, {}
    began = time.perf_counter()

    def step(name):
        steps[name] = round(time.perf_counter() - began - sum(steps.values()), 1)
        print(f"  {name}: {steps[name]:.1f} s", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    with SearchSignalsOff(), _tokens_remembered():
        world, _ = build_world(scale, seed, counts)
        step("companies, products, people, users")

        WORLD = world
        deferred = ConstraintsDeferred(BULK_TABLES).__enter__()
        source_chunks = math.ceil(scale.sources / (CHUNK // 10))
        world.sources_of, world.quotes_of = {}, {}
        for chunk_counts, sources_of, quotes_of in _parallel(_sources_chunk, source_chunks, processes):
            _add(counts, chunk_counts)
            for co, ids in sources_of.items():
                world.sources_of.setdefault(co, []).extend(ids)
            world.quotes_of.update(quotes_of)
        step(f"{scale.sources:,} sources with snapshots")

        # The roadmap first, so that the newest claims (the API's first page) are ordinary ones.
        reset_sequences([Claim, Citation, Milestone, Revision])
        rng = random.Random(f"{seed}:late")
        roadmap_facts = add_roadmap(world, rng, counts)
        world.first_claim_id = (Claim.objects.aggregate(n=Max("id"))["n"] or 0) + 1
        world.first_citation_id = (Citation.objects.aggregate(n=Max("id"))["n"] or 0) + 1
        world.first_claim_revision = (Revision.objects.aggregate(n=Max("id"))["n"] or 0) + 1
        step(f"the roadmap: {roadmap_facts['milestones']:,} milestones")

        for chunk_counts in _parallel(_claims_chunk, math.ceil(scale.claims / CHUNK), processes):
            _add(counts, chunk_counts)
        step(f"{scale.claims:,} claims with citations and history")
        deferred.__exit__(None, None, None)
        reset_sequences([Company, CompanyRelation, Architecture, Product, Person, Source, Snapshot, Claim, Citation,
                         Milestone, Revision])  # fmt: skip
        step("indexes and foreign keys")

        hot = deepen_history(world, rng, counts) | roadmap_facts
        reset_sequences([Revision])
        step("deep histories")

    from search.indexing import index_page_id

    with SearchSignalsOff():
        counts["search entries of the small kinds"] = index_the_rest(world.first_claim_id)
    index_page_id("claim", hot["claim_id"])  # edited after the bulk step (the company is a small kind)
    step("search entries of the other pages")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC")
        tables = [name for (name,) in cursor.fetchall()]
    with connection_pool(2) as lanes:
        run_in_lanes(lanes, [f'VACUUM (ANALYZE) "{table}"' for table in tables])
    step("VACUUM ANALYZE")
    return {"counts": counts, "steps": steps, "seconds": round(time.perf_counter() - began, 1), "hot": hot}


def ensure(scale: Scale, *, url: str | None = None, fresh: bool = False, seed: int = 1, processes: int = 2) -> dict:
    """The bench database of ``scale`` set up in this process (Django configured for it), generated if needed."""
    url = url or database_url(scale)
    made = create_database(url, fresh=fresh)
    setup_django(url)
    held = meta()
    wanted = {"scale": asdict(scale), "seed": seed, "version": GENERATOR_VERSION}
    if not made and {key: held.get(key) for key in wanted} == wanted and held.get("done"):
        print(f"Database {urlsplit(url).path[1:]} already holds scale {scale.name}.", flush=True)
        migrate()  # migrations added since it was generated (an index, say)
        return held
    if not made:
        from django.db import connections

        connections.close_all()
        create_database(url, fresh=True)
    print(f"Generating scale {scale.name} ({scale.claims:,} claims) in {urlsplit(url).path[1:]}…", flush=True)
    migrate()
    result = generate(scale, seed=seed, processes=processes)
    check_versions(_checked_models())
    check_entries()
    meta_set(**wanted, **result, done=True)
    print(f"Generated in {result['seconds']:.0f} s.", flush=True)
    return meta()


def _checked_models():
    from companies.models import Company
    from intel.models import Citation, Claim, Source

    return [Company, Source, Claim, Citation]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="S")
    parser.add_argument("--database-url", help="default: intel_bench_<scale> on BENCH_DATABASE_URL's server")
    parser.add_argument("--fresh", action="store_true", help="drop and generate even when it is already there")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    held = ensure(SCALES[args.scale], url=args.database_url, fresh=args.fresh, seed=args.seed,
                  processes=args.processes)  # fmt: skip
    print(json.dumps({key: held[key] for key in ("counts", "steps", "seconds", "hot")}, indent=1))


if __name__ == "__main__":
    main()
