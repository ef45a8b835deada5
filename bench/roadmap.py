"""Benchmark: the roadmap page with 1,000 milestones of 5 revisions each (issue 6), rendered in-process.

Not a test: run it by hand or with ``make bench-roadmap`` and copy the figures to
docs/performance.md. Target: GET /roadmap/ with 1,000 milestones of 5 revisions each renders
in under 200 ms median, with a number of queries that does not grow with the milestones.

It never touches the developer's database: like bench/api_claims.py (whose database helpers
it uses) it works in a database of its own, ``intel_bench_roadmap`` on the PostgreSQL server
of DATABASE_URL, or an SQLite file in the temporary folder without one. The database is built
anew on every run (a few seconds) and dropped at the end (``--keep`` keeps it to look into).

The data, in bulk (no service calls): 10 companies (a few big ones hold most milestones) with
10 products and 3 architectures each, 200 sources, and --milestones milestones targeted from
2023 to 2028 in mixed precisions (quarter, half, year, month, day) and every status. Each
milestone has --revisions revisions: a reversion Revision and Version per state, whose
serialized_data is what reversion stores (``django.core.serializers`` of the milestone as it
was), and the Change line of each. From one revision to the next, the target of a slipping
milestone (60%) mostly slips, sometimes is pulled in, narrowed, or restated by a new source, or
stays while the status changes; a steady one's target never slips (so some 60% of the milestones
slipped at least once). About 60% of new targets cite a claim about the milestone. Then
``products.roadmap.targets_rebuild()`` computes the MilestoneTarget rows from the versions (timed).

First --small milestones (100) are built and measured, then the rest, so the query
counts at both sizes show whether they grow. Requests: /roadmap/, /roadmap/?slipped=true and
the page of the company with the most milestones (which draws its roadmap), each --rounds
times after a warm-up, with Django's test client (in-process: no HTTP server). Requests are
timed with settings.DEBUG off (no query log); the queries are those of one more request.

    .venv/bin/python bench/roadmap.py                                            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intel_bench_roadmap .venv/bin/python bench/roadmap.py
    .venv/bin/python bench/roadmap.py --profile          # + cProfile of /roadmap/: where the time goes
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import platform
import pstats
import random
import shlex
import statistics
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
os.environ.setdefault("DEBUG", "1")

# The claims API benchmark's own database, timing and machine helpers, so both benches work alike.
from api_claims import (  # noqa: E402
    Target,
    bench_target,
    create_database,
    drop_database,
    load_average,
    machine,
    p95,
    time_requests,
)

DEFAULT_DB_NAME = "intel_bench_roadmap"

# name, slug, product stem, share of the milestones
COMPANIES = [
    ("Nvidia", "nvidia", "GB", 20),
    ("AMD", "amd", "MI", 15),
    ("Intel", "intel", "Gaudi ", 12),
    ("Google", "google", "TPU v", 10),
    ("Huawei", "huawei", "Ascend ", 10),
    ("Amazon", "amazon", "Trainium ", 9),
    ("Broadcom", "broadcom", "Tomahawk ", 8),
    ("Microsoft", "microsoft", "Maia ", 6),
    ("Cambricon", "cambricon", "MLU", 5),
    ("Tenstorrent", "tenstorrent", "Blackhole ", 5),
]
PRODUCTS_PER_COMPANY = 10
ARCHITECTURES_PER_COMPANY = 3
SOURCES = 200
USERS = 5
FIRST_YEAR, LAST_YEAR = 2023, 2028
COMPANY_WIDE = 0.1  # milestones without a product
CITED = 0.6  # new targets that cite a claim

PRECISION_WEIGHTS = {"quarter": 40, "half": 20, "year": 15, "month": 15, "day": 10}
# What one revision after the first does to the target: on a slipping milestone mostly a slip,
# on a steady one never (about half the milestones slip at least once).
SLIPPING = 0.6
STEP_WEIGHTS = {"slip": 55, "restate": 15, "pull_in": 8, "narrow": 10, "status": 12}
STEADY_STEP_WEIGHTS = {"slip": 0, "restate": 35, "pull_in": 10, "narrow": 20, "status": 35}
MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
FINER = {"year": ("half", "quarter"), "half": ("quarter",), "quarter": ("month",), "month": ("day",)}
PUBLISHERS = ["Reuters", "Bloomberg", "DigiTimes", "SemiAnalysis", "The Information", "EE Times", "集微网", "财新"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--milestones", type=int, default=1000, help="milestones in the end (default 1,000)")
    parser.add_argument("--small", type=int, default=100, help="milestones of the first measurement (default 100)")
    parser.add_argument("--revisions", type=int, default=5, help="revisions per milestone (default 5)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 30)), help="timed requests (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests before each row (default 3)")
    parser.add_argument("--seed", type=int, default=20261206, help="random seed of the data")
    parser.add_argument("--db-name", default=DEFAULT_DB_NAME, help=f"bench database name (default {DEFAULT_DB_NAME})")
    parser.add_argument("--keep", action="store_true", help="keep the bench database (or file) at the end")
    parser.add_argument("--profile", action="store_true", help="cProfile /roadmap/ at full size")
    parser.add_argument("--profile-requests", type=int, default=10, help="requests profiled (default 10)")
    args = parser.parse_args(argv)
    if not args.db_name.startswith(DEFAULT_DB_NAME):
        parser.error(f"--db-name must start with {DEFAULT_DB_NAME}: this script drops and recreates that database")
    if not 1 <= args.small < args.milestones or args.revisions < 1 or args.rounds < 1:
        parser.error("need 1 <= --small < --milestones, and at least one revision and one round")
    return args


# -- the data --------------------------------------------------------------------------------


@dataclass
class World:
    """What every milestone hangs off: made once, before the first milestone."""

    users: list
    companies: list
    weights: list
    products: dict  # company pk -> its products
    sources: list
    content_type: object


@dataclass
class State:
    """One saved state of a milestone: what its revision records."""

    target: object  # FuzzyDate
    status: str
    when: datetime.datetime
    user_id: int
    cites: bool = False  # a new claim about the milestone states this target
    keeps_citation: bool = False  # only the status changed: the target's citation stays
    citation_id: int | None = None
    actual: object = None  # FuzzyDate
    comment: str = ""


@dataclass
class Plan:
    company: object
    product: object
    kind: str
    title: str
    body: str
    states: list[State] = field(default_factory=list)
    milestone: object = None  # once inserted


def build_world(rng: random.Random) -> World:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from companies.choices import CompanyKind
    from companies.models import Company
    from intel.models import Source
    from products.choices import LifecycleStatus, ProductKind
    from products.models import Architecture, Milestone, Product

    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-analyst-{n}", password="!") for n in range(USERS)
    )
    companies = Company.objects.bulk_create(
        Company(
            name=name,
            slug=slug,
            kind=CompanyKind.CHIP_VENDOR,
            tracked=True,
            body=f"{name} designs accelerators. Its roadmap below is computed from the milestones' history.",
        )
        for name, slug, _, _ in COMPANIES
    )
    architectures = Architecture.objects.bulk_create(
        Architecture(name=f"{company.name} gen {n + 1}", slug=f"{company.slug}-gen-{n + 1}", vendor=company)
        for company in companies
        for n in range(ARCHITECTURES_PER_COMPANY)
    )
    kinds = [ProductKind.GPU, ProductKind.ACCELERATOR, ProductKind.SYSTEM, ProductKind.NETWORKING]
    products = Product.objects.bulk_create(
        Product(
            name=f"{stem}{100 + 10 * n}",
            slug=f"{slug}-{stem.strip().lower().replace(' ', '-')}{100 + 10 * n}",
            vendor=company,
            architecture=architectures[index * ARCHITECTURES_PER_COMPANY + n * ARCHITECTURES_PER_COMPANY // 10],
            kind=kinds[n % len(kinds)],
            status=rng.choice(LifecycleStatus.values),
        )
        for index, (company, (_, slug, stem, _)) in enumerate(zip(companies, COMPANIES, strict=True))
        for n in range(PRODUCTS_PER_COMPANY)
    )
    by_company = {}
    for product in products:
        by_company.setdefault(product.vendor_id, []).append(product)
    sources = Source.objects.bulk_create(
        Source(
            title=f"Roadmap report {n}",
            publisher=PUBLISHERS[n % len(PUBLISHERS)],
            language="zh-Hans" if PUBLISHERS[n % len(PUBLISHERS)] in ("集微网", "财新") else "en",
            url=f"https://example.com/report/{n}",
            published_date=datetime.date(2022, 9, 1) + datetime.timedelta(days=rng.randint(0, 1500)),
        )
        for n in range(SOURCES)
    )
    return World(
        users=users,
        companies=companies,
        weights=[share for *_, share in COMPANIES],
        products=by_company,
        sources=sources,
        content_type=ContentType.objects.get_for_model(Milestone),
    )


def _months_later(date: datetime.date, months: int) -> datetime.date:
    year, month = divmod(date.month - 1 + months, 12)
    return datetime.date(date.year + year, month + 1, 1)


def _step(rng: random.Random, target, step: str):
    """The target after one revision's step (the same one for restate and status)."""
    from intel.fuzzydates import FuzzyDate

    precision = target.precision.value
    if step == "slip":
        if rng.random() < 0.2:  # restated in another precision, starting after the old period
            start = target.end + datetime.timedelta(days=1 + rng.randint(0, 90))
            return FuzzyDate(start, rng.choice(list(PRECISION_WEIGHTS)))
        if precision == "day":
            return FuzzyDate(target.date + datetime.timedelta(days=rng.randint(7, 90)), precision)
        return FuzzyDate(_months_later(target.date, MONTHS[precision] * rng.choice((1, 1, 1, 2))), precision)
    if step == "pull_in":
        if precision == "day":
            return FuzzyDate(target.date - datetime.timedelta(days=rng.randint(7, 45)), precision)
        return FuzzyDate(_months_later(target.date, -MONTHS[precision]), precision)
    if step == "narrow" and precision in FINER:
        finer = rng.choice(FINER[precision])
        days = (target.end - target.start).days
        return FuzzyDate(target.start + datetime.timedelta(days=rng.randint(0, days)), finer)
    return target


def plan_milestone(rng: random.Random, world: World, number: int, revisions: int, today: datetime.date) -> Plan:
    from intel.fuzzydates import FuzzyDate
    from products.choices import MilestoneKind, MilestoneStatus

    company = rng.choices(world.companies, weights=world.weights)[0]
    product = None if rng.random() < COMPANY_WIDE else rng.choice(world.products[company.pk])
    kind = rng.choice([k for k in MilestoneKind.values if k != MilestoneKind.OTHER])
    label = MilestoneKind(kind).label.lower()
    title = f"{product.name} {label}" if product else f"{company.name} {label} #{number}"
    body = (
        f"{title}: as the vendor and the supply chain state it. Each target is cited from the report that gave it; "
        "slips are computed from the history."
    )
    plan = Plan(company=company, product=product, kind=kind, title=title, body=body)

    start = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 5 - 1))
    target = FuzzyDate(start, rng.choices(list(PRECISION_WEIGHTS), weights=PRECISION_WEIGHTS.values())[0])
    # Recorded from late 2022 to a few months before now, each revision some weeks after the one before.
    when = datetime.datetime(2022, 9, 1, 9, tzinfo=datetime.UTC) + datetime.timedelta(
        days=rng.randint(0, 900), minutes=rng.randint(0, 600)
    )
    latest = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)
    status = MilestoneStatus.PLANNED
    weights = STEP_WEIGHTS if rng.random() < SLIPPING else STEADY_STEP_WEIGHTS
    for index in range(revisions):
        step = "first" if index == 0 else rng.choices(list(weights), weights=weights.values())[0]
        if index:
            when = min(when + datetime.timedelta(days=rng.randint(20, 150)), latest - datetime.timedelta(days=1))
            new = _step(rng, target, step)
            if not (FIRST_YEAR <= new.start.year and new.end.year <= LAST_YEAR):
                new, step = target, "restate"
            target = new
        if step in ("slip", "status"):
            status = rng.choice([MilestoneStatus.ON_TRACK, MilestoneStatus.AT_RISK, MilestoneStatus.DELAYED])
        elif step != "first":
            status = rng.choice([MilestoneStatus.PLANNED, MilestoneStatus.ON_TRACK])
        plan.states.append(
            State(
                target=target,
                status=status,
                when=when,
                user_id=rng.choice(world.users).pk,
                # A restatement is a new source confirming the target. A new target cites its source or
                # nothing: the citation of the old one no longer states it (milestone_check_edit).
                cites=step == "restate" or (step != "status" and rng.random() < CITED),
                keeps_citation=step == "status",
                comment=f"{step}: target {target.label}",
            )
        )
    # The last state: done (with the date it happened) when its target is past, else any open status.
    last = plan.states[-1]
    if last.target.end < today and rng.random() < 0.7:
        last.status = MilestoneStatus.DONE
        happened = last.target.start + datetime.timedelta(
            days=rng.randint(0, (last.target.end - last.target.start).days + 60)
        )
        last.actual = FuzzyDate(min(happened, today), "day")
    else:
        last.status = rng.choices(
            [s for s in MilestoneStatus.values if s != MilestoneStatus.DONE], weights=[30, 35, 15, 12, 8]
        )[0]
    return plan


def add_milestones(world: World, first: int, count: int, revisions: int, rng: random.Random) -> Counter:
    """Add ``count`` milestones with their claims, citations, revisions, versions and changes, in bulk."""
    from django.core import serializers
    from django.db import transaction
    from reversion.models import Revision, Version

    from intel.choices import ChangeAction
    from intel.models import Change, Citation, Claim
    from products.models import Milestone

    today = datetime.date.today()
    plans = [plan_milestone(rng, world, first + n, revisions, today) for n in range(count)]
    with transaction.atomic():
        cited = [(plan, state) for plan in plans for state in plan.states if state.cites]
        claims = Claim.objects.bulk_create(
            Claim(statement=f"{plan.company.name} now expects {plan.title} in {state.target.label}.")
            for plan, state in cited
        )
        citations = Citation.objects.bulk_create(
            Citation(
                claim=claim,
                source=rng.choice(world.sources),
                quote=f"{plan.title} is now scheduled for {state.target.label}, people familiar with the plans said.",
            )
            for claim, (plan, state) in zip(claims, cited, strict=True)
        )
        for citation, (_, state) in zip(citations, cited, strict=True):
            state.citation_id = citation.pk
        for plan in plans:
            for before, state in zip(plan.states, plan.states[1:], strict=False):
                if state.keeps_citation:
                    state.citation_id = before.citation_id

        def columns(state: State) -> dict:
            return {
                "target_date": state.target.date,
                "target_precision": state.target.precision.value,
                "actual_date": state.actual.date if state.actual else None,
                "actual_precision": state.actual.precision.value if state.actual else "",
                "status": state.status,
                "target_citation_id": state.citation_id,
            }

        milestones = Milestone.objects.bulk_create(
            Milestone(
                title=plan.title,
                company=plan.company,
                product=plan.product,
                kind=plan.kind,
                body=plan.body,
                **columns(plan.states[-1]),
            )
            for plan in plans
        )
        for plan, milestone in zip(plans, milestones, strict=True):
            plan.milestone = milestone
        Claim.milestones.through.objects.bulk_create(
            Claim.milestones.through(claim_id=claim.pk, milestone_id=plan.milestone.pk)
            for claim, (plan, _) in zip(claims, cited, strict=True)
        )
        revisions_made = Revision.objects.bulk_create(
            Revision(date_created=state.when, user_id=state.user_id, comment=state.comment)
            for plan in plans
            for state in plan.states
        )
        versions, changes = [], []
        made = iter(revisions_made)
        for plan in plans:
            milestone = plan.milestone
            for number, state in enumerate(plan.states):
                revision = next(made)
                # The milestone as it was at this revision, serialized the way reversion stores it.
                for name, value in columns(state).items():
                    setattr(milestone, name, value)
                milestone.updated = state.when
                versions.append(
                    Version(
                        revision=revision,
                        content_type=world.content_type,
                        object_id=str(milestone.pk),
                        db="default",
                        format="json",
                        serialized_data=serializers.serialize("json", [milestone]),
                        object_repr=str(milestone),
                    )
                )
                changes.append(
                    Change(
                        revision=revision,
                        content_type=world.content_type,
                        object_id=str(milestone.pk),
                        object_key=str(milestone.pk),
                        object_repr=str(milestone),
                        action=ChangeAction.CREATE if number == 0 else ChangeAction.EDIT,
                        size=len(milestone.body),
                        size_delta=len(milestone.body) if number == 0 else 0,
                    )
                )
        Version.objects.bulk_create(versions, batch_size=1000)
        Change.objects.bulk_create(changes, batch_size=1000)
    return Counter(milestones=len(milestones), claims=len(claims), revisions=len(versions))


def rebuild() -> tuple[float, int, Counter]:
    """targets_rebuild() of every milestone, timed; the rows it made, by change."""
    from products.models import MilestoneTarget
    from products.roadmap import targets_rebuild

    started = time.perf_counter()
    rows = targets_rebuild()
    seconds = time.perf_counter() - started
    changes = Counter(MilestoneTarget.objects.filter(reverted=False).values_list("change", flat=True))
    return seconds, rows, changes


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Result:
    request: str
    path: str
    milestones: int  # in the database
    shown: int  # milestones on the page
    median: float
    p95: float
    fastest: float
    queries: int  # SQL statements other than transaction control
    transaction: int  # BEGIN / COMMIT / SAVEPOINT … that CaptureQueriesContext also counts
    sql_ms: float
    size: int
    statements: list  # (milliseconds, statement) of the counted request


def requests_to_measure() -> list[tuple[str, str, int]]:
    """(label, path, milestones shown) of each request: the roadmap, its slipped filter, the biggest company's page."""
    from django.db.models import Count

    from companies.models import Company
    from products.models import Milestone
    from products.roadmap import slipped_filter

    company = Company.objects.annotate(n=Count("milestones")).get(slug=COMPANIES[0][1])  # the biggest share
    return [
        ("/roadmap/", "/roadmap/", Milestone.objects.count()),
        ("/roadmap/?slipped=true", "/roadmap/?slipped=true", Milestone.objects.filter(slipped_filter()).count()),
        (f"company page ({company.name})", company.get_absolute_url(), company.n),
    ]


def measure(client, label: str, path: str, shown: int, milestones: int, rounds: int, warmup: int) -> Result:
    timed = time_requests(client, path, rounds=rounds, warmup=warmup)
    return Result(
        request=label,
        path=path,
        milestones=milestones,
        shown=shown,
        median=statistics.median(timed.timings),
        p95=p95(timed.timings),
        fastest=min(timed.timings),
        queries=timed.queries,
        transaction=len(timed.control),
        sql_ms=statistics.median(timed.sql_timings),
        size=len(timed.response.content),
        statements=timed.timer.statements,
    )


def measure_all(args, milestones: int) -> list[Result]:
    from django.test import Client

    client = Client()
    results = []
    for label, path, shown in requests_to_measure():
        result = measure(client, label, path, shown, milestones, args.rounds, args.warmup)
        results.append(result)
        print(
            f"  {label:<34} {milestones:>5,} milestones: median {result.median:7.1f} ms, p95 {result.p95:7.1f} ms, "
            f"{result.queries} queries",
            flush=True,
        )
    return results


# Where own time is spent, by file: the first prefix that matches names the area.
AREAS = [
    ("django/template/", "Django templates"),
    ("django/db/", "Django ORM"),
    ("psycopg", "database driver"),
    ("sqlite3", "database driver"),
    ("products/timeline.py", "products.timeline (layout, labels)"),
    ("intel/svg.py", "intel.svg (SVG markup, text widths)"),
    ("intel/fuzzydates.py", "intel.fuzzydates"),
    ("products/roadmap.py", "products.roadmap (histories, slips)"),
    ("products/selectors.py", "products.selectors"),
    ("django/", "Django, other"),
    ("/enum.py", "enum (choice values)"),
    ("/html/", "html.escape"),
    ("<string>", "generated __init__ (dataclasses)"),
    ("~", "built-ins (str, list, dict …)"),
]


def profile(path: str, requests: int) -> str:
    """cProfile of ``requests`` requests: own time by area, then the top functions."""
    from django.test import Client

    client = Client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(tt for _, _, tt, _, _ in stats.stats.values())
    areas = Counter()
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():
        name = next((area for prefix, area in AREAS if prefix in filename), "other")
        areas[name] += tt
    out = io.StringIO()
    out.write(
        f"cProfile of {requests} requests of {path}: {total / requests * 1000:.0f} ms a request under the profiler\n"
    )
    out.write("own time by area:\n")
    for name, tt in areas.most_common():
        out.write(f"  {tt / total:6.1%}  {tt / requests * 1000:7.1f} ms  {name}\n")
    stats.stream = out
    stats.strip_dirs()
    out.write("by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(40)
    out.write("by own time:\n")
    stats.sort_stats("tottime").print_stats(25)
    return out.getvalue()


# -- reporting -------------------------------------------------------------------------------


def command_line(target: Target) -> str:
    words = [".venv/bin/python", "bench/roadmap.py", *sys.argv[1:]]
    prefix = f"DATABASE_URL={target.shown} " if target.vendor == "postgresql" else ""
    return prefix + shlex.join(words)


def markdown(results: list[Result], target: Target, info: dict, facts: dict, args) -> str:
    small, large = facts["sizes"]
    lines = [
        f"## Roadmap of {large:,} milestones with {args.revisions} revisions each ({info['database']})",
        "",
        "Target: GET /roadmap/ with 1,000 milestones of 5 revisions each renders in under 200 ms median "
        "in-process, with a number of queries that does not grow with the milestones.",
        "",
        "```sh",
        command_line(target),
        "```",
        "",
        f"{large:,} milestones of 10 companies ({facts['claims']:,} citing claims), {facts['versions']:,} "
        f"versions; target rows rebuilt: {facts['changes']}. Built in bulk in {facts['build']:.1f} s. "
        f"{args.rounds} requests per row after {args.warmup} of warm-up, with Django's test client (in-process); "
        "queries of one more request (tx: BEGIN/COMMIT, which CaptureQueriesContext counts too); SQL time: "
        "median time per request in cursor.execute.",
        "",
        "| request | milestones | shown | median | p95 | fastest | queries | SQL time | size |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.request} | {r.milestones:,} | {r.shown:,} | {r.median:.1f} ms | {r.p95:.1f} ms | {r.fastest:.1f} ms "
            f"| {r.queries} (+{r.transaction} tx) | {r.sql_ms:.1f} ms | {r.size / 1024:.0f} KiB |"
        )
    by_request = {}
    for r in results:
        by_request.setdefault(r.request.split(" (")[0], []).append(r.queries)
    lines += [
        "",
        "| `targets_rebuild()` | target rows made | time |",
        "| --- | ---: | ---: |",
        f"| rebuild from {facts['small_versions']:,} versions | {facts['small_rows']:,} "
        f"| {facts['small_rebuild']:.2f} s |",
        f"| rebuild from {facts['versions']:,} versions | {facts['rows']:,} | {facts['rebuild']:.2f} s |",
        "",
        f"Queries at {small:,} → {large:,} milestones: "
        + "; ".join(f"{name} {' → '.join(str(q) for q in counts)}" for name, counts in by_request.items())
        + ".",
        "",
        f"Machine: {info['cpus']} cores ({info.get('cpu', 'unknown CPU')}), {info.get('memory', '?')}, "
        f"{info.get('os', platform.system())}, Python {info['python']}, Django {info['django']}, "
        f"{info['database']}, {datetime.date.today().isoformat()}; load average {info['load']} while measuring.",
    ]
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    target = bench_target(args.db_name)
    os.environ["DATABASE_URL"] = target.url
    create_database(target, drop_first=True)

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
    settings.DEBUG = False  # no query log during the build either
    print(f"database: {connection.vendor} {target.name}", flush=True)
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"  migrations: {time.perf_counter() - started:.1f} s", flush=True)

        rng = random.Random(args.seed)
        started = time.perf_counter()
        world = build_world(rng)
        built = add_milestones(world, 0, args.small, args.revisions, rng)
        build_seconds = time.perf_counter() - started
        small_rebuild, small_rows, _ = rebuild()
        print(
            f"  built {dict(built)} in {build_seconds:.1f} s; rebuilt {small_rows:,} target rows in "
            f"{small_rebuild:.2f} s",
            flush=True,
        )
        load_before = load_average()
        print(f"measuring ({args.rounds} rounds, {args.warmup} warm-up), load average {load_before}:", flush=True)
        results = measure_all(args, args.small)

        started = time.perf_counter()
        built += add_milestones(world, args.small, args.milestones - args.small, args.revisions, rng)
        build_seconds += time.perf_counter() - started
        rebuild_seconds, rows, changes = rebuild()
        print(
            f"  built {dict(built)} in {build_seconds:.1f} s in all; rebuilt {rows:,} target rows from "
            f"{built['revisions']:,} versions in {rebuild_seconds:.2f} s: {dict(changes)}",
            flush=True,
        )
        results += measure_all(args, args.milestones)
        info = machine()
        info["load"] = f"{load_before} → {load_average()}"

        facts = {
            "sizes": (args.small, args.milestones),
            "claims": built["claims"],
            "versions": built["revisions"],
            "small_versions": args.small * args.revisions,
            "small_rows": small_rows,
            "small_rebuild": small_rebuild,
            "rows": rows,
            "rebuild": rebuild_seconds,
            "build": build_seconds,
            "changes": ", ".join(f"{n:,} {change}" for change, n in changes.most_common()),
        }
        print()
        print(markdown(results, target, info, facts, args))
        slow = [r for r in results if r.milestones == args.milestones and r.request == "/roadmap/"][0]
        print(f"\nqueries of {slow.path} at {args.milestones:,} milestones:")
        for ms, sql in slow.statements:
            print(f"   [{ms:6.2f} ms] {sql[:200]}")
        if max((float(x) for x in info["load"].split(" → ") if x != "?"), default=0.0) > 0.5 * (info["cpus"] or 1):
            print("warning: other work is running on this machine; the times are inflated (see the fastest column)")
        if args.profile:
            print()
            print(profile("/roadmap/", args.profile_requests))
    finally:
        if args.keep:
            print(f"kept {target.name}")
        else:
            drop_database(target)


if __name__ == "__main__":
    main()
