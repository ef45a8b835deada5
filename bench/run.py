"""The benchmark: intel's hot paths timed beside the floor and the peer in one run, figures as ratios.

Not a test. ``make bench`` runs scale S (10,000 claims, a few minutes); ``make bench SCALE=L`` the
large one (1,000,000 claims). PostgreSQL is needed (BENCH_DATABASE_URL names the server, by
default postgres://postgres@127.0.0.1:5432/), and wrk for the HTTP part.

1. Data: bench/generate.py fills ``intel_bench_<scale>`` once (kept for the next run); each run
   works on a copy (``CREATE DATABASE … TEMPLATE``), dropped at the end, so edits made by the
   benchmark never change the data the next run measures.
2. In-process, with Django's test client (no server, no network; ``settings.DEBUG`` off while
   timing): each scenario ``--rounds`` times after ``--warmup``, median, p95, p99, and the
   queries of one more request, on a big page and on a small one of the same kind (the
   counts must be equal: a hot path costs the same number of queries whatever the page holds).
3. Over HTTP: intel under gunicorn (2 sync workers, production settings), a load generator on
   127.0.0.1 (wrk, 4 connections, ``--seconds`` a scenario; edits by a Python client that GETs
   the form and POSTs it back, as a browser does), the workers' peak RSS, and the CSV export of
   every claim streamed once while the workers' memory is sampled.
4. Side by side, in the same run: the floor (bench/floor.py: the API's first page of claims by
   raw psycopg and orjson; its body is checked equal to the API's) and the peer (django-wiki in
   its own virtualenv, bench/peer.py: an article with as much text as intel's company page and
   as many revisions as its history), in-process and under gunicorn the same way.

Figures go to bench/out/<scale>-<time>.md and .json and to the terminal, with the targets met or
missed; the exit status is not 0 when a request failed or a check did not hold.

    make bench                                  # scale S
    make bench SCALE=L                          # scale L (generating it once takes minutes)
    .venv/bin/python bench/run.py --scale S --seconds 3 --skip-peer     # a quicker look
"""

from __future__ import annotations

import argparse
import datetime
import gc
import http.client
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
os.environ.setdefault("DEBUG", "1")
# No API throttling while measuring, in-process as under gunicorn: a load generator is one client asking hundreds
# of times a second.
os.environ["INTEL_API_THROTTLE_ANON"] = os.environ["INTEL_API_THROTTLE_USER"] = ""

import httpload  # noqa: E402
from generate import PASSWORD, SCALES, database_url, server_connection, setup_django  # noqa: E402

DEFAULTS = {  # scale: (in-process rounds, HTTP seconds a scenario)
    "S": (30, 5),
    "M": (30, 8),
    "L": (20, 10),
}
WORKERS = 2
CONNECTIONS = 4
ANALYST = "bench-analyst-1"
TOKEN_OF = "bench-token-{seed}"


# -- figures -------------------------------------------------------------------------------------


def percentile(values: list[float], percent: float) -> float:
    """Nearest rank, as httpload and the peer's measure.py compute it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1] if ordered else 0.0


@dataclass
class Figures:
    """One thing measured one way: times in milliseconds."""

    median: float
    p95: float
    p99: float
    queries: int | None = None
    bytes: int | None = None
    rps: float | None = None
    requests: int | None = None
    errors: int = 0
    note: str = ""

    @classmethod
    def of(cls, timings: list[float], **more) -> Figures:
        return cls(statistics.median(timings), percentile(timings, 95), percentile(timings, 99), **more)

    @classmethod
    def of_load(cls, result: httpload.LoadResult) -> Figures:
        return cls(result.p50_ms, result.p95_ms, result.p99_ms, bytes=round(result.bytes_per_request),
                   rps=round(result.rps, 1), requests=result.requests, errors=result.errors,
                   note="; ".join(result.error_samples[:2]))  # fmt: skip


@dataclass
class Scenario:
    name: str
    path: str  # what is requested (for an edit: the form, which is posted back)
    small_path: str | None = None  # the same kind of page, small: its queries must be as many
    auth: str = "session"  # "session" (an analyst's browser), "token" (an API client), "anonymous"
    change: object = None  # an edit: change(fields, n) -> fields to post
    form_hint: str = "base_revision"
    compare: tuple[str, ...] = ()  # "floor" or peer scenarios ("page view", "page view, uncached", "history"…)
    stream: bool = False  # the CSV export: one request, streamed
    results: dict = field(default_factory=dict)  # "intel in-process", "intel HTTP", "floor …", "peer …"
    small_queries: int | None = None


# -- the run database ----------------------------------------------------------------------------


def run_copy(scale) -> str:
    """A copy of the generated database to measure on (edits change it): its URL."""
    from psycopg import sql

    source = database_url(scale)
    template = urlsplit(source).path[1:]
    name = f"{template}_run"
    url = urlunsplit(urlsplit(source)._replace(path=f"/{name}"))
    started = time.perf_counter()
    with server_connection(source) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    print(f"Measuring on a copy, {name} ({time.perf_counter() - started:.0f} s to copy).", flush=True)
    return url


def drop(url: str) -> None:
    from psycopg import sql

    with server_connection(url) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(urlsplit(url).path[1:]))
        )


# -- scenarios -----------------------------------------------------------------------------------


def _marked(text: str, n: int, marker: str = "Benchmark edit") -> str:
    """``text`` with its benchmark marker line replaced by edit number n: same length each time, never equal."""
    line = f"{marker} {n:08d}."
    kept = re.sub(rf"\n*{marker} \d+\.$", "", text.rstrip())
    return f"{kept}\n\n{line}"


def scenarios(hot: dict, seed: int) -> list[Scenario]:
    """What analysts, API clients and the roadmap reader do most, on the biggest pages there are."""
    from django.db.models import Count, Exists, Max, Min, OuterRef
    from reversion.models import Version

    from companies.models import Company
    from intel.models import Claim

    company = hot["company_slug"]
    small_company = (
        Company.objects.annotate(n=Count("claims")).filter(n__gt=0).order_by("n", "pk").values_list("slug", flat=True)
    ).first()
    claim = hot["claim_id"]
    # A claim like the hot one (links to the same kinds of pages: a page queries each kind it links to), with one
    # citation and one revision.
    hot_claim = Claim.objects.get(pk=claim)
    links = ("companies", "products", "milestones")
    shape = {f"{name}__isnull": not getattr(hot_claim, name).exists() for name in links}
    one = (
        Claim.objects.annotate(n=Count("citations", distinct=True))
        .filter(n=1, **shape)
        .exclude(pk=claim)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    edited = (
        Claim.objects.annotate(n=Count("citations"))
        .filter(n=3, companies__slug=company)
        .exclude(pk=claim)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    versions = Version.objects.filter(content_type__model="claim", object_id=str(claim)).aggregate(
        first=Min("revision_id"), last=Max("revision_id")
    )
    api = "/api/claims/?page_size=100"
    # The smallest company with a corroborated fact: its filtered list is short.
    filtered = (
        Company.objects.filter(claims__status="corroborated", claims__kind="fact")
        .annotate(n=Count("claims"))
        .order_by("n", "pk")
        .values_list("slug", flat=True)
        .first()
    )

    # The smallest company with a metric claim and a disputed claim: the summary pages' sections all shown, small.
    named = Claim.companies.through.objects
    summarised = (
        Company.objects.filter(
            Exists(named.filter(company=OuterRef("pk"), claim__kind="metric")),
            Exists(named.filter(company=OuterRef("pk"), claim__status="disputed")),
        )
        .annotate(n=Count("claims"))
        .order_by("n", "pk")
        .values_list("slug", flat=True)
        .first()
    )

    def claim_edit(fields: dict, n: int) -> dict:
        return fields | {"statement": _marked(fields["statement"], n, "Edit"), "summary": f"Benchmark edit {n}"}

    def company_edit(fields: dict, n: int) -> dict:
        return fields | {"body": _marked(fields["body"], n), "summary": f"Benchmark edit {n}"}

    return [
        Scenario(
            "company page",
            f"/companies/{company}/",
            f"/companies/{small_company}/",
            compare=("page view", "page view, uncached"),
        ),
        Scenario("claim page", f"/claims/{claim}/", f"/claims/{one}/"),
        Scenario(
            "history", f"/companies/{company}/history/", f"/companies/{small_company}/history/", compare=("history",)
        ),  # fmt: skip
        Scenario(
            "diff", f"/claims/{claim}/diff/?from={versions['first']}&to={versions['last']}", f"/claims/{one}/diff/"
        ),
        Scenario("API list", api, "/api/claims/?page_size=5", auth="token", compare=("floor",)),
        Scenario("API detail", f"/api/claims/{claim}/", f"/api/claims/{one}/", auth="token"),
        Scenario(
            "API filter",
            f"{api}&company={company}&status=corroborated&kind=fact",
            f"{api}&company={filtered}&status=corroborated&kind=fact",
            auth="token",
        ),  # fmt: skip
        Scenario("search", "/search/?q=nvidia+inference"),  # as many queries as kinds with results: up to 7
        Scenario("roadmap", "/roadmap/"),  # one roadmap: its queries are compared between scales
        # The pages that summarise many claims (bounded in issue 9): the hot company's, and a small one's.
        Scenario("battlecard", f"/companies/{company}/battlecard/", f"/companies/{summarised}/battlecard/"),
        Scenario("metrics page", f"/metrics/?company={company}", f"/metrics/?company={summarised}"),
        Scenario("disputes", "/disputes/"),
        Scenario(
            "API metrics",
            f"/api/metrics/?company={company}&page_size=1",
            f"/api/metrics/?company={summarised}&page_size=1",
            auth="token",
        ),  # fmt: skip
        Scenario(
            "edit save, claim with 3 citations", f"/claims/{edited}/edit/", change=claim_edit, compare=("edit save",)
        ),  # fmt: skip
        Scenario("edit save, company page", f"/companies/{company}/edit/", change=company_edit, compare=("edit save",)),
        Scenario("CSV export, all claims", "/api/claims/?format=csv", auth="token", stream=True),
    ]


# -- in-process ----------------------------------------------------------------------------------


def _client(auth: str, token: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    if auth == "session":
        client.force_login(get_user_model().objects.get(username=ANALYST))
    headers = {"Authorization": f"Token {token}"} if auth == "token" else {}
    return client, headers


def _count_queries(call) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = call()
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return sum(1 for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(control)), response


def _quiet():
    """settings.DEBUG off while timing: no query log kept (Django keeps one while DEBUG is on)."""
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    connection.force_debug_cursor = False
    gc.collect()


def time_get(client, path: str, headers: dict, *, rounds: int, warmup: int) -> Figures:
    for _ in range(warmup):
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}: {response.content[:300]!r}")
    _quiet()
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    queries, response = _count_queries(lambda: client.get(path, headers=headers))
    return Figures.of(timings, queries=queries, bytes=len(response.content))


def time_edits(client, scenario: Scenario, *, rounds: int, warmup: int) -> Figures:
    """GET the form (not timed), change it as a person would, POST it back (timed): each must save (302)."""
    _quiet()
    timings, queries = [], None
    for n in range(warmup + rounds + 1):
        fields = httpload.form_fields(client.get(scenario.path).content.decode(), scenario.form_hint)
        data = scenario.change(fields, n)
        started = time.perf_counter()
        if n == warmup + rounds:  # one more, counted
            queries, response = _count_queries(lambda data=data: client.post(scenario.path, data))
        else:
            response = client.post(scenario.path, data)
        if response.status_code != 302:
            raise RuntimeError(f"POST {scenario.path} answered {response.status_code}: {response.content[:800]!r}")
        if warmup <= n < warmup + rounds:
            timings.append((time.perf_counter() - started) * 1000)
    return Figures.of(timings, queries=queries, bytes=0)


def time_stream(client, path: str, headers: dict) -> Figures:
    """One streamed export, read to the end: its time, size and rows."""
    _quiet()
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = (time.perf_counter() - started) * 1000
    return Figures(seconds, seconds, seconds, bytes=size, requests=1, note=f"{lines - 1:,} rows")


def in_process(items: list[Scenario], token: str, *, rounds: int, warmup: int) -> None:
    for scenario in items:
        client, headers = _client(scenario.auth, token)
        if scenario.stream:
            figures = time_stream(client, scenario.path, headers)
        elif scenario.change:
            figures = time_edits(client, scenario, rounds=rounds, warmup=warmup)
        else:
            figures = time_get(client, scenario.path, headers, rounds=rounds, warmup=warmup)
            if scenario.small_path:
                small = scenario.small_path
                scenario.small_queries, _ = _count_queries(lambda c=client, p=small, h=headers: c.get(p, headers=h))
        scenario.results["intel, in-process"] = figures
        print(f"  {scenario.name}: {_brief(figures)}", flush=True)


def floor_in_process(url: str, api: Scenario, token: str, *, rounds: int, warmup: int) -> Figures:
    """The floor's page in-process (a function call on a kept connection), checked equal to the API's."""
    import floor
    import orjson
    import psycopg

    client, headers = _client("token", token)
    expected = client.get(api.path, headers=headers).json()
    with psycopg.connect(url, autocommit=True) as conn:

        def page():
            return orjson.dumps(floor.claims_page(conn, base_url="http://localhost", page_size=100))

        body = page()
        if orjson.loads(body) != expected:
            raise RuntimeError("The floor's page of claims differs from the API's: it would not be a floor")
        for _ in range(warmup):
            page()
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            body = page()
            timings.append((time.perf_counter() - started) * 1000)
    return Figures.of(timings, queries=3, bytes=len(body))


# -- the peer ------------------------------------------------------------------------------------


def peer_spec(hot: dict) -> dict:
    """django-wiki's article: as much text as intel's company page shows, as many revisions as its history."""
    from django.test import Client
    from reversion.models import Version

    from companies.models import Company

    company = Company.objects.get(slug=hot["company_slug"])
    html = Client(HTTP_HOST="localhost").get(f"/companies/{company.slug}/").content.decode()
    main = re.search(r"<main.*?</main>", html, re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0) if main else html)).strip()
    revisions = Version.objects.get_for_object(company).count()
    # The body as markdown paragraphs of the page's own words, as long as its text.
    words, paragraphs, current = text.split(" "), [], []
    for word in words:
        current.append(word)
        if len(current) >= 60:
            paragraphs.append(" ".join(current))
            current = []
    paragraphs.append(" ".join(current))
    body = f"# {company.name}\n\n" + "\n\n".join(paragraphs)
    return {"title": company.name, "slug": company.slug, "body": body, "revisions": revisions,
            "username": "bench-peer", "password": PASSWORD, "text_chars": len(text)}  # fmt: skip


def peer_edit(fields: dict, n: int) -> dict:
    """django-wiki's form back with the content changed (its submit button's name added: see peer.EDIT)."""
    import peer

    return fields | peer.EDIT["submit_fields"] | {"content": _marked(fields["content"], n)}


def peer_url(scale) -> str:
    parts = urlsplit(database_url(scale))
    return urlunsplit(parts._replace(path="/intel_bench_peer"))


# -- over HTTP -----------------------------------------------------------------------------------


def intel_server(url: str, port: int):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "INTEL_API_THROTTLE_ANON": "",
        "INTEL_API_THROTTLE_USER": "",
    }
    # --timeout: a sync worker is killed after 30 s by default, and the CSV of a million claims streams for about
    # 90 s (the README says to give production the same).
    argv = [ROOT / ".venv/bin/gunicorn", "intel.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
            "--timeout", "300", "--no-control-socket", "--log-level", "warning"]  # fmt: skip
    return httpload.serve(argv, env=env, cwd=ROOT, port=port, ready_path="/healthz")


def floor_server(url: str, port: int):
    argv = [ROOT / ".venv/bin/gunicorn", "floor:app", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
            "--no-control-socket", "--log-level", "warning"]  # fmt: skip
    return httpload.serve(argv, env={"FLOOR_DATABASE_URL": url}, cwd=BENCH, port=port, ready_path="/api/claims/")


def over_http(server, items: list[Scenario], label: str, *, cookies: dict, token: str, seconds: float) -> dict:
    """Each scenario under load for ``seconds``; the workers' peak RSS over the whole run."""
    server.wait_for_workers(WORKERS)
    workers = server.worker_pids()
    peaks = {}
    with httpload.RssSampler(workers) as sampler:
        for scenario in items:
            headers = {"Authorization": f"Token {token}"} if scenario.auth == "token" else {}
            if scenario.auth == "session":
                headers["Cookie"] = httpload.cookie_header(cookies)
            if scenario.stream:
                continue
            if scenario.change:
                result = httpload.edit_load(server.url, form_path=scenario.path, post_path=None,
                                            change=scenario.change, cookies=cookies, seconds=seconds,
                                            form_hint=scenario.form_hint)  # fmt: skip
            else:
                httpload.wrk(server.url + scenario.path, seconds=1, connections=CONNECTIONS, headers=headers)
                result = httpload.wrk(server.url + scenario.path, seconds=seconds, connections=CONNECTIONS,
                                      headers=headers)  # fmt: skip
            scenario.results[label] = Figures.of_load(result)
            print(f"  {scenario.name}: {_brief(scenario.results[label])}", flush=True)
    peaks["load"] = sampler.peak
    for scenario in items:
        if scenario.stream:
            headers = {"Authorization": f"Token {token}"}
            try:
                result = httpload.stream(server.url + scenario.path, headers=headers, sampler_pids=workers)
            except (OSError, http.client.HTTPException) as error:  # cut off: say so in the report, go on
                scenario.results[label] = Figures(0, 0, 0, requests=1, errors=1, note=f"cut off: {error!r}"[:200])
                print(f"  {scenario.name}: {_brief(scenario.results[label])}", flush=True)
                continue
            scenario.results[label] = Figures(
                result.seconds * 1000, result.seconds * 1000, result.seconds * 1000, bytes=result.bytes, requests=1,
                errors=0 if result.status == 200 else 1,
                note=f"{result.lines - 1:,} rows; first byte after {result.ttfb_s * 1000:.0f} ms; workers "
                f"{_mb(sum(result.rss_before.values()))} before, {_mb(sum(result.rss_peak.values()))} at most",
            )  # fmt: skip
            peaks["stream_before"], peaks["stream_peak"] = result.rss_before, result.rss_peak
            print(f"  {scenario.name}: {_brief(scenario.results[label])}", flush=True)
    return peaks


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _brief(f: Figures) -> str:
    text = f"median {f.median:.1f} ms, p95 {f.p95:.1f}, p99 {f.p99:.1f}"
    if f.queries is not None:
        text += f", {f.queries} queries"
    if f.rps is not None:
        text += f", {f.rps:.0f} req/s"
    if f.errors:
        text += f", {f.errors} ERRORS {f.note}"
    elif f.note:
        text += f" ({f.note})"
    return text


# -- report --------------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "load": f"{os.getloadavg()[0]:.2f}"}
    for path, key, prefix in (("/proc/cpuinfo", "cpu", "model name"), ("/proc/meminfo", "memory", "MemTotal"),
                              ("/etc/os-release", "os", "PRETTY_NAME=")):  # fmt: skip
        try:
            line = next(line for line in Path(path).read_text().splitlines() if line.startswith(prefix))
        except (OSError, StopIteration):
            continue
        value = line.split(":" if ":" in line else "=", 1)[1].strip().strip('"')
        info[key] = f"{int(value.split()[0]) / 2**20:.0f} GiB" if key == "memory" else value
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0].split()[0]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    info["wrk"] = (wrk.stdout or wrk.stderr).split("\n")[0].strip()
    return info


def ratio(ours: Figures | None, theirs: Figures | None) -> str:
    if not ours or not theirs or not theirs.median:
        return ""
    return f"{ours.median / theirs.median:.2f}×"


def _cell(f: Figures | None, *, rps: bool = False) -> str:
    if f is None:
        return "–"
    text = f"{f.median:.1f} / {f.p95:.1f} / {f.p99:.1f}"
    if rps and f.rps is not None:
        text += f" ({f.rps:.0f}/s)"
    if f.errors:
        text += f" **{f.errors} errors**"
    return text


def report(items: list[Scenario], meta: dict, info: dict, peaks: dict, checks: list, args, spec: dict | None) -> str:
    scale = SCALES[args.scale]
    counts = meta["counts"]
    lines = [
        f"## Scale {scale.name}: {counts.get('intel_claim', 0):,} claims, {counts.get('intel_citation', 0):,} "
        f"citations, {counts.get('intel_source', 0):,} sources, {counts.get('reversion_version', 0):,} versions",
        "",
        f"Command: `make bench SCALE={scale.name}` ({' '.join(sys.argv[1:])}). Machine: {info.get('cpus')} cores "
        f"({info.get('cpu', '?')}), {info.get('memory', '?')}, {info.get('os', '?')}, Python {info['python']}, "
        f"PostgreSQL {info['postgresql']}, {info['wrk']}; load average {info['load']} at the start. "
        f"Generated in {meta['seconds']:.0f} s.",
        "",
        "Times in milliseconds, median / p95 / p99. In-process: Django's test client, "
        f"{args.rounds} requests after {args.warmup} warm-ups. HTTP: gunicorn with {WORKERS} sync workers, "
        f"wrk with {CONNECTIONS} connections for {args.seconds} s (edits: one Python client, GET the form then "
        "POST it; the POST is timed).",
        "",
        "| scenario | queries (big / small page) | intel in-process | intel HTTP (req/s) | compared with | "
        "in-process | HTTP | ratio in-process | ratio HTTP |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in items:
        mine, theirs = s.results.get("intel, in-process"), s.results.get("intel, HTTP")
        queries = "" if mine is None or mine.queries is None else f"{mine.queries}"
        if s.small_queries is not None:
            queries += f" / {s.small_queries}"
        if s.stream:
            size = f", {mine.bytes / 2**20:.0f} MB" if mine and mine.bytes else ""
            lines.append(f"| {s.name} | | {mine.median:,.0f} ({mine.note}{size}) | "
                         + (f"{theirs.median:,.0f} ({theirs.note})" if theirs else "–") + " | | | | | |")  # fmt: skip
            continue
        # One row for the scenario; one more for each further thing it is compared with.
        for number, other in enumerate(s.compare or ("",)):
            other_in = s.results.get(f"{other}, in-process") if other else None
            other_http = s.results.get(f"{other}, HTTP") if other else None
            label = {"floor": "floor (psycopg + orjson)"}.get(other, f"django-wiki {other}" if other else "")
            first = number == 0
            lines.append(
                f"| {s.name if first else '″'} | {queries if first else ''} | {_cell(mine) if first else ''} | "
                f"{_cell(theirs, rps=True) if first else ''} | {label} | {_cell(other_in)} | "
                f"{_cell(other_http, rps=True)} | {ratio(mine, other_in)} | {ratio(theirs, other_http)} |"
            )
    if spec:
        lines += ["", f"django-wiki's article: {len(spec['body']):,} characters of markdown (intel's company page "
                  f"shows {spec['text_chars']:,} characters of text), {spec['revisions']} revisions."]  # fmt: skip
    if peaks.get("load"):
        lines += ["", "gunicorn workers' peak RSS over the HTTP run: "
                  + ", ".join(_mb(v) for v in peaks["load"].values()) + "."]  # fmt: skip
    lines += ["", "| check | measured | |", "| --- | --- | --- |"]
    lines += [f"| {name} | {measured} | {'met' if ok else '**missed**'} |" for name, measured, ok in checks]
    return "\n".join(lines)


def evaluate(items: list[Scenario], peaks: dict) -> list[tuple[str, str, bool]]:
    """The issue's targets, each with what was measured."""
    by = {s.name: s for s in items}
    checks = []
    api = by.get("API list")
    for how in ("in-process", "HTTP"):
        mine, floor_figures = api and api.results.get(f"intel, {how}"), api and api.results.get(f"floor, {how}")
        if mine and floor_figures:
            checks.append((f"API claims page within 2× of the floor ({how})", ratio(mine, floor_figures),
                           mine.median <= 2 * floor_figures.median))  # fmt: skip
    for name in ("company page", "history", "edit save, company page", "edit save, claim with 3 citations"):
        if (s := by.get(name)) is None:
            continue
        for how in ("in-process", "HTTP"):
            for other in s.compare:
                mine, peer = s.results.get(f"intel, {how}"), s.results.get(f"{other}, {how}")
                if mine and peer:
                    measured = f"{mine.median:.1f} vs {peer.median:.1f} ms"
                    checks.append(
                        (f"{name} faster than django-wiki's {other} ({how})", measured, mine.median < peer.median)
                    )
    for s in items:
        mine = s.results.get("intel, in-process")
        if s.small_queries is not None and mine is not None:
            checks.append((f"{s.name}: queries constant", f"{mine.queries} / {s.small_queries}",
                           mine.queries == s.small_queries))  # fmt: skip
    if peaks.get("load"):
        worst = max(peaks["load"].values())
        checks.append(("gunicorn worker under 200 MB RSS", _mb(worst), worst < 200 * 2**20))
    if peaks.get("stream_peak"):
        growth = max(peaks["stream_peak"][pid] - peaks["stream_before"].get(pid, 0) for pid in peaks["stream_peak"])
        checks.append(("CSV export streamed in constant memory (worker growth)", _mb(growth), growth < 50 * 2**20))
    for s in items:
        for label, f in s.results.items():
            if f.errors:
                checks.append((f"{s.name}, {label}: every request answered", f"{f.errors} errors", False))
    return checks


# -- main ----------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="S")
    parser.add_argument("--rounds", type=int, help="in-process requests a scenario (default: by scale)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seconds", type=float, help="HTTP load a scenario (default: by scale)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the run's copy of the database")
    parser.add_argument("--only", action="append", metavar="SCENARIO",
                        help="measure this scenario only (repeatable; implies --skip-peer)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args(argv)
    rounds, seconds = DEFAULTS[args.scale]
    args.rounds = args.rounds or rounds
    args.seconds = args.seconds or seconds
    args.skip_peer = args.skip_peer or bool(args.only)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    scale = SCALES[args.scale]
    began = time.perf_counter()
    # The data, generated in a process of its own (or found there from an earlier run).
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--scale", scale.name], check=True)
    url = run_copy(scale)
    try:
        return measure(args, scale, url, began)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop(url)


def collect_static() -> None:
    """Production settings serve hashed static files from the manifest collectstatic writes."""
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT,
                   env=os.environ | {"DEBUG": "0", "SECRET_KEY": "collectstatic-" + "x" * 40,
                                     "ALLOWED_HOSTS": "localhost"}, check=True)  # fmt: skip


def measure(args, scale, url: str, began: float) -> int:
    import hashlib

    from generate import meta

    setup_django(url)
    held = meta()
    token = hashlib.sha1(TOKEN_OF.format(seed=held["seed"]).encode()).hexdigest()
    info = machine()
    items = scenarios(held["hot"], held["seed"])
    if args.only:
        items = [s for s in items if s.name in args.only]
    by = {s.name: s for s in items}
    collect_static()

    print(f"In-process ({args.rounds} rounds after {args.warmup} warm-ups):", flush=True)
    spec = None if args.skip_peer else peer_spec(held["hot"])
    in_process(items, token, rounds=args.rounds, warmup=args.warmup)
    if "API list" in by:
        by["API list"].results["floor, in-process"] = floor_in_process(
            url, by["API list"], token, rounds=args.rounds, warmup=args.warmup
        )
        print(f"  floor: {_brief(by['API list'].results['floor, in-process'])}", flush=True)

    if not args.skip_peer:
        import peer

        print(f"django-wiki: an article of {len(spec['body']):,} characters and {spec['revisions']} revisions…")
        peer_db = peer_url(scale)
        peer.prepare(peer_db, spec)
        for uncached in (False, True):  # django-wiki as it comes, then with its cache of rendered articles off
            for row in peer.measure_inprocess(peer_db, spec, rounds=args.rounds, warmup=args.warmup, uncached=uncached):
                label = f"{row['scenario']}, uncached" if uncached else row["scenario"]
                if uncached and row["scenario"] != "page view":
                    continue
                figures = Figures(row["median_ms"], row["p95_ms"], row["p99_ms"], queries=row["queries"],
                                  bytes=row["bytes"])  # fmt: skip
                for s in items:
                    if label in s.compare:
                        s.results[f"{label}, in-process"] = figures
                print(f"  {label}: {_brief(figures)}", flush=True)

    peaks = {}
    if not args.skip_http:
        port = httpload.free_port()
        print(f"Over HTTP ({args.seconds:g} s a scenario):", flush=True)
        with intel_server(url, port) as server:
            cookies = httpload.session_login(server.url, "/accounts/login/", ANALYST, PASSWORD)
            peaks = over_http(server, items, "intel, HTTP", cookies=cookies, token=token, seconds=args.seconds)
        if (api := by.get("API list")) is not None:
            with floor_server(url, port) as server:
                server.wait_for_workers(WORKERS)
                httpload.wrk(server.url + api.path, seconds=1, connections=CONNECTIONS)
                result = httpload.wrk(server.url + api.path, seconds=args.seconds, connections=CONNECTIONS)
                api.results["floor, HTTP"] = Figures.of_load(result)
                print(f"  floor: {_brief(api.results['floor, HTTP'])}", flush=True)
        if not args.skip_peer:
            peer.prepare(peer_db, spec)  # measuring in-process added edits: the history as loaded again
            argv, env, cwd = peer.gunicorn_command(port, WORKERS, database_url=peer_db)
            with httpload.serve(argv, env=env, cwd=cwd, port=port, ready_path=peer.EDIT["login_url"]) as server:
                cookies = httpload.session_login(server.url, peer.EDIT["login_url"], spec["username"], PASSWORD)
                path = f"/{spec['slug']}/"
                article = [
                    Scenario("page view", path), Scenario("history", f"{path}_history/"),
                    Scenario("edit save", f"{path}_edit/", form_hint=peer.EDIT["form_id"], change=peer_edit),
                ]  # fmt: skip
                over_http(server, article, "peer, HTTP", cookies=cookies, token="", seconds=args.seconds)
                for done in article:
                    for s in items:
                        if done.name in s.compare:
                            s.results[f"{done.name}, HTTP"] = done.results["peer, HTTP"]

    checks = evaluate(items, peaks)
    text = report(items, held, info, peaks, checks, args, spec)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (args.out / f"{scale.name}-{stamp}.md").write_text(text + "\n")
    (args.out / f"{scale.name}-{stamp}.json").write_text(json.dumps(
        {"info": info, "meta": {k: held[k] for k in ("counts", "steps", "seconds", "hot")}, "peaks": peaks,
         "scenarios": [{"name": s.name, "path": s.path, "small_queries": s.small_queries,
                        "results": {k: asdict(v) for k, v in s.results.items()}} for s in items],
         "checks": checks, "spec": {k: v for k, v in (spec or {}).items() if k != "body"}},
        indent=1, ensure_ascii=False, default=str))  # fmt: skip
    print("\n" + text + "\n")
    print(f"Written to {args.out}/{scale.name}-{stamp}.md; {time.perf_counter() - began:.0f} s in all.")
    return 0 if all(ok for name, _, ok in checks if "every request" in name or "queries constant" in name) else 1


if __name__ == "__main__":
    sys.exit(main())
