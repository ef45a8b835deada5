"""Benchmark: a company page with many claims and citations, rendered in-process.

Not a test: run it by hand or with `make bench-page` and copy the figures to
docs/performance.md. It builds its own throwaway test database (``test_<name>`` of
DATABASE_URL, or an in-memory SQLite one), fills it with one company carrying
CLAIMS claims of CITATIONS_PER_CLAIM citations each, then requests the company page
ROUNDS times with Django's test client and prints the median, p95 and the number of
queries per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intel_bench .venv/bin/python bench/company_page.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment  # noqa: E402

CLAIMS = int(os.environ.get("CLAIMS", 500))
CITATIONS_PER_CLAIM = int(os.environ.get("CITATIONS_PER_CLAIM", 2))
ROUNDS = int(os.environ.get("ROUNDS", 30))


def fill():
    """One tracked company with CLAIMS claims, each with CITATIONS_PER_CLAIM citations, in bulk."""
    from companies.services import company_create
    from intel.choices import ClaimKind, Role
    from intel.models import Citation, Claim, Source
    from tests.factories import UserFactory

    author = UserFactory(username="bench", role=Role.ANALYST)
    company = company_create(
        author=author, name="Nvidia", slug="nvidia", tracked=True, body="Nvidia designs GPUs. See [[AMD]]."
    )
    sources = Source.objects.bulk_create(
        Source(title=f"Source {n}", publisher=f"Publisher {n % 7}", language="en") for n in range(50)
    )
    kinds = list(ClaimKind.values)
    claims = Claim.objects.bulk_create(
        Claim(
            statement=f"Claim {n}: Nvidia ships product {n} in volume.",
            kind=kinds[n % len(kinds)] if kinds[n % len(kinds)] != ClaimKind.METRIC else ClaimKind.FACT,
        )
        for n in range(CLAIMS)
    )
    Claim.companies.through.objects.bulk_create(
        Claim.companies.through(claim_id=claim.pk, company_id=company.pk) for claim in claims
    )
    Citation.objects.bulk_create(
        Citation(claim=claim, source=sources[(i + j) % len(sources)], quote=f"quote {i}-{j} from the source")
        for i, claim in enumerate(claims)
        for j in range(CITATIONS_PER_CLAIM)
    )
    return company


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        company = fill()
        client = Client()
        url = company.get_absolute_url()
        client.get(url)  # warm caches (templates, content types)
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(
            f"company page, {CLAIMS} claims x {CITATIONS_PER_CLAIM} citations, {connection.vendor}: "
            f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"{len(queries.captured_queries)} queries, {len(response.content) / 1024:.0f} KiB, {ROUNDS} rounds"
        )
    finally:
        from django.test.utils import teardown_databases

        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
