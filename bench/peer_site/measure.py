"""Time the peer's page view, history and edit save in-process, with Django's test client.

Run with the peer virtualenv's python after load.py filled the database (bench/peer.py
does both):

    PEER_DATABASE_URL=postgres://... .bench/peer-venv/bin/python bench/peer_site/measure.py \\
        --rounds 20 --warmup 3 --spec spec.json

In-process timing leaves out the network and the WSGI server, so it shows what the
framework and the application cost. DEBUG is off while timing (no query log kept); the
query count of each scenario comes from one extra request under CaptureQueriesContext.
All requests are made as the spec's user, logged in (--anonymous-reads: page view and
history without a session), through a client that enforces CSRF as a browser meets it.

    page view   GET <slug>/            (django-wiki caches each revision's rendered HTML,
                                        so after the first request this is a cache hit)
    history     GET <slug>/_history/   (django-wiki shows 10 revisions a page)
    edit save   GET <slug>/_edit/ (not timed), then POST the form back with the content
                changed (same length, differs from the current revision): only the POST is
                timed; each must answer 302 and add one revision.

Prints a JSON list on stdout, one object per scenario: scenario, median_ms, p95_ms,
p99_ms (nearest rank on the sorted timings), queries, bytes (of the response body),
status.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # bench/: peer.py's form helpers (stdlib only)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_project.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from load import variant  # noqa: E402
from peer import edit_form  # noqa: E402
from wiki.models import ArticleRevision, URLPath  # noqa: E402


def nearest_rank(ordered: list[float], percent: float) -> float:
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def summary(name: str, timings: list[float], queries: int, response) -> dict:
    ordered = sorted(timings)
    return {
        "scenario": name,
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(nearest_rank(ordered, 95) * 1000, 2),
        "p99_ms": round(nearest_rank(ordered, 99) * 1000, 2),
        "queries": queries,
        "bytes": len(response.content),
        "status": response.status_code,
    }


def measure_get(name: str, client: Client, url: str, rounds: int, warmup: int) -> dict:
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (name, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    return summary(name, timings, len(captured), response)


def measure_edit(client: Client, urlpath, edit_url: str, view_url: str, rounds: int, warmup: int) -> dict:
    article = urlpath.article
    number = ArticleRevision.objects.filter(article=article).count()
    timings, queries, response = [], 0, None
    for round_ in range(warmup + rounds + 1):
        form = client.get(edit_url)
        assert form.status_code == 200, ("edit form", form.status_code)
        fields = edit_form(form.content.decode())
        fields["content"] = variant(fields["content"], 5_000 + round_)
        before = ArticleRevision.objects.filter(article=article).count()
        if round_ < warmup + rounds:
            start = time.perf_counter()
            response = client.post(edit_url, fields)
            elapsed = time.perf_counter() - start
            if round_ >= warmup:
                timings.append(elapsed)
        else:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(edit_url, fields)
            queries = len(captured)
        assert response.status_code == 302, ("edit save", response.status_code, response.content[-2000:])
        assert response["Location"] == view_url, response["Location"]
        article.refresh_from_db()
        assert ArticleRevision.objects.filter(article=article).count() == before + 1
        assert article.current_revision.previous_revision_id == int(fields["current_revision"])
        number += 1
    assert article.current_revision.revision_number == number
    return summary("edit save", timings, queries, response)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--spec", required=True, type=Path)
    parser.add_argument("--anonymous-reads", action="store_true")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    spec = json.loads(args.spec.read_text(encoding="utf-8"))

    settings.DEBUG = False
    urlpath = URLPath.get_by_path(spec["slug"])
    view_url = urlpath.get_absolute_url()
    history_url = f"{view_url}_history/"
    edit_url = f"{view_url}_edit/"

    user = get_user_model().objects.get(username=spec["username"])
    writer = Client(enforce_csrf_checks=True)
    writer.force_login(user)
    reader = Client(enforce_csrf_checks=True) if args.anonymous_reads else writer

    results = [
        measure_get("page view", reader, view_url, args.rounds, args.warmup),
        measure_get("history", reader, history_url, args.rounds, args.warmup),
        measure_edit(writer, urlpath, edit_url, view_url, args.rounds, args.warmup),
    ]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
