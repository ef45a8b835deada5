"""Where one of the benchmark's scenarios spends its time: a pyinstrument profile and its queries.

Not a test. Run it on a scenario the benchmark reports as slow, on the data ``bench/run.py``
measures (generated once by bench/generate.py); reads profile the generated database itself,
edits a copy of it (dropped afterwards):

    .venv/bin/python bench/profile_scenario.py --scale L "company page"
    .venv/bin/python bench/profile_scenario.py --scale S "edit save, claim with 3 citations" --queries

The profile of ``--rounds`` requests after one warm-up goes to the terminal (and as HTML to
bench/out/ with ``--html``); ``--queries`` lists the SQL of one more request.
"""

from __future__ import annotations

import argparse
import hashlib
import sys

import httpload
from generate import SCALES, database_url, meta, setup_django
from run import BENCH, TOKEN_OF, _client, _quiet, collect_static, drop, run_copy, scenarios


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", help="a scenario's name, as the benchmark reports it")
    parser.add_argument("--scale", choices=list(SCALES), default="S")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--small", action="store_true", help="the small page of the scenario instead of the big one")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one more request")
    parser.add_argument("--html", action="store_true", help="also write the profile as HTML to bench/out/")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    scale = SCALES[args.scale]
    url = database_url(scale)
    setup_django(url)
    held = meta()
    if "hot" not in held:
        print(f"No data at scale {scale.name}: run `make bench SCALE={scale.name}` (or bench/generate.py) first.")
        return 1
    chosen = [s for s in scenarios(held["hot"], held["seed"]) if s.name == args.scenario]
    if not chosen:
        names = ", ".join(f'"{s.name}"' for s in scenarios(held["hot"], held["seed"]))
        print(f"No scenario {args.scenario!r}; there are {names}.")
        return 1
    scenario = chosen[0]
    collect_static()
    if scenario.change:  # edits change the data: profile them on a copy
        from django.db import connections

        connections.close_all()
        url = run_copy(scale)
        connections["default"].settings_dict["NAME"] = url.rsplit("/", 1)[1]
    try:
        return profile(args, scenario, hashlib.sha1(TOKEN_OF.format(seed=held["seed"]).encode()).hexdigest())
    finally:
        if scenario.change:
            from django.db import connections

            connections.close_all()
            drop(url)


def profile(args, scenario, token: str) -> int:
    from pyinstrument import Profiler

    client, headers = _client(scenario.auth, token)
    path = scenario.small_path if args.small and scenario.small_path else scenario.path
    if scenario.change:

        def request(n):
            fields = httpload.form_fields(client.get(path).content.decode(), scenario.form_hint)
            data = scenario.change(fields, n)
            return client.post(path, data)
    else:

        def request(n):
            return client.get(path, headers=headers)

    expected = 302 if scenario.change else 200
    response = request(0)
    if response.status_code != expected:
        print(f"{path} answered {response.status_code}: {response.content[:500]!r}")
        return 1
    _quiet()
    profiler = Profiler(interval=0.0005)
    with profiler:
        for n in range(1, args.rounds + 1):
            request(n)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        out = BENCH / "out" / f"profile-{args.scale}-{scenario.name.replace(' ', '-').replace(',', '')}.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(profiler.output_html())
        print(f"Written to {out}")
    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            request(args.rounds + 1)
        for n, query in enumerate(captured.captured_queries, 1):
            print(f"{n:3d} {query['time']}s {query['sql'][:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
