"""Soak: minutes of mixed load on intel under gunicorn, and PostgreSQL stopped and started in the middle.

Not a test; ``make soak`` (the README says when to run it). On a copy of a bench database
(bench/generate.py; scale S by default, ``--scale L`` for a million claims), intel runs under
gunicorn with production settings and gets, all at once, for ``--minutes`` (10 by default):

- page views (company pages and their history, claims, the roadmap, recent changes, and the
  pages that summarise many claims: the battlecard, metrics, disputes), API reads (lists,
  details, filters, metric series) and searches (English, Chinese, the API's), each mix from wrk
  connections of its own that take the mix's URLs in turn;
- analysts editing through the edit form (each rewrites a paragraph of their own on three
  shared company pages, so saves merge or conflict) and API scripts editing two shared claims
  with If-Match (so saves go through or get 412).

Every edit carries a token in its summary. Afterwards the history is read: each edit answered
as saved is in it exactly once, each refused one (409, 412, 503) is not, each page as stored
is its last revision (nothing half saved), and each analyst's paragraph is as their last
saved edit left it. Any 5xx fails the run, except, with ``--fault``, 503s while PostgreSQL is
down: ``--fault`` stops it a third of the way in (``pg_ctlcluster … stop``) for
``--outage`` seconds, starts it again, and the run says how long the app took to answer
/readyz again, without a restart. Figures (latency percentiles by mix, statuses) go to
bench/out/soak-<time>.md and the terminal; the exit status is not 0 when a check fails.

    make soak                                     # 10 minutes, then the fault run
    .venv/bin/python bench/soak.py --minutes 1    # a quicker look
    .venv/bin/python bench/soak.py --minutes 3 --fault
    .venv/bin/python bench/soak.py --scale L      # a million claims (make soak SOAK_SCALE=L)
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["INTEL_API_THROTTLE_ANON"] = os.environ["INTEL_API_THROTTLE_USER"] = ""

import httpload  # noqa: E402
from generate import PASSWORD, SCALES  # noqa: E402
from run import ANALYST, TOKEN_OF, collect_static, drop, intel_server, run_copy  # noqa: E402

FORM_EDITORS = 4
API_EDITORS = 2
TOKEN = re.compile(r"\[soak ([fa]\d+\.\d+)\]")


# -- the edits ---------------------------------------------------------------------------------------


def paragraph(editor: int, text: str) -> str:
    return f"Soak editor {editor}: {text}."


def with_paragraph(body: str, editor: int, text: str) -> str:
    """The body with the editor's own paragraph rewritten (the analyst's change in the form)."""
    return re.sub(rf"Soak editor {editor}: [^\n]*\.", paragraph(editor, text), body.replace("\r\n", "\n"))


@dataclass
class Attempt:
    token: str
    target: str  # what was edited: a company slug or a claim id
    text: str  # the paragraph (form) or statement (API) sent
    # saved, refused (409, 412, 503), not sent (the form or object could not be read), unknown (sent, but the
    # connection failed before the answer came), wrong (any other answer)
    outcome: str = ""
    status: int | None = None
    ms: float | None = None


@dataclass
class EditLog:
    attempts: list[Attempt] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


def form_editor(base_url: str, number: int, slugs: list[str], stop_at: float, log: EditLog) -> None:
    """An analyst's browser: GET the edit form, rewrite one's paragraph, POST it back; again and again."""
    cookies = None
    conn = http.client.HTTPConnection("127.0.0.1", int(base_url.rsplit(":", 1)[1]), timeout=60)
    step = 0
    while time.monotonic() < stop_at:
        slug = slugs[step % len(slugs)]
        attempt = Attempt(token=f"f{number}.{step}", target=slug, text=f"edit {step}")
        step += 1
        try:
            if cookies is None:
                cookies = httpload.session_login(base_url, "/accounts/login/", ANALYST, PASSWORD)
            headers = {"Cookie": httpload.cookie_header(cookies)}
            conn.request("GET", f"/companies/{slug}/edit/", headers=headers)
            response = conn.getresponse()
            html = response.read().decode(errors="replace")
            if response.status != 200:
                attempt.outcome = "not sent"  # the form never came (503 while the database is down)
                log.add(attempt)
                time.sleep(0.5)
                continue
            fields = httpload.form_fields(html, "base_revision")
            fields["body"] = with_paragraph(fields["body"], number, attempt.text)
            fields["summary"] = f"[soak {attempt.token}]"
            fields["save"] = ""
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{base_url}/companies/{slug}/edit/",
                "X-CSRFToken": cookies.get("csrftoken", ""),
            }
            attempt.outcome = "unknown"  # until the answer comes
            started = time.perf_counter()
            conn.request("POST", f"/companies/{slug}/edit/", body=httpload._encode(fields), headers=headers)
            response = conn.getresponse()
            response.read()
            attempt.ms = (time.perf_counter() - started) * 1000
            attempt.status = response.status
            attempt.outcome = {302: "saved", 409: "refused", 503: "refused"}.get(response.status, "wrong")
        except (OSError, http.client.HTTPException, RuntimeError):  # RuntimeError: the login failed
            attempt.outcome = attempt.outcome or "not sent"
            if attempt.outcome == "not sent":
                cookies = None
            conn.close()
            time.sleep(0.5)
        log.add(attempt)
    conn.close()


def api_editor(base_url: str, number: int, claims: list[int], token: str, stop_at: float, log: EditLog) -> None:
    """A script: GET the claim, change its statement, PATCH it with If-Match; again and again."""
    conn = http.client.HTTPConnection("127.0.0.1", int(base_url.rsplit(":", 1)[1]), timeout=60)
    step = 0
    auth = {"Authorization": f"Token {token}"}
    while time.monotonic() < stop_at:
        claim = claims[step % len(claims)]
        attempt = Attempt(token=f"a{number}.{step}", target=str(claim), text="")
        step += 1
        try:
            conn.request("GET", f"/api/claims/{claim}/", headers=auth)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                attempt.outcome = "not sent"
                log.add(attempt)
                time.sleep(0.5)
                continue
            etag = response.getheader("ETag")
            statement = re.sub(r" \(soak [^)]*\)$", "", json.loads(body)["statement"])
            attempt.text = f"{statement} (soak {attempt.token})"
            payload = json.dumps({"statement": attempt.text})
            headers = auth | {
                "Content-Type": "application/json",
                "If-Match": etag,
                "X-Edit-Summary": f"[soak {attempt.token}]",
            }
            attempt.outcome = "unknown"  # until the answer comes
            started = time.perf_counter()
            conn.request("PATCH", f"/api/claims/{claim}/", body=payload, headers=headers)
            response = conn.getresponse()
            response.read()
            attempt.ms = (time.perf_counter() - started) * 1000
            attempt.status = response.status
            attempt.outcome = {200: "saved", 412: "refused", 503: "refused"}.get(response.status, "wrong")
        except (OSError, http.client.HTTPException):
            attempt.outcome = attempt.outcome or "not sent"
            conn.close()
            time.sleep(0.5)
        log.add(attempt)
    conn.close()


# -- the database ----------------------------------------------------------------------------------


def prepare(url: str) -> dict:
    """Pick what the load reads and edits, and give each editor a paragraph of its own on the shared pages."""
    import hashlib

    from generate import meta, setup_django

    setup_django(url)
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from companies.models import Company
    from intel import editing
    from intel.models import Claim
    from intel.pages import PAGE_KINDS

    held = meta()
    hot = held["hot"]
    companies = list(
        Company.objects.annotate(n=Count("claims")).filter(n__gt=0).order_by("-n").values_list("slug", flat=True)[:3]
    )
    author = get_user_model().objects.get(username=ANALYST)
    for slug in companies:
        page = Company.objects.get(slug=slug)
        paragraphs = "\n\n".join(paragraph(number, "not yet edited") for number in range(FORM_EDITORS))
        editing.page_update(
            kind=PAGE_KINDS["company"],
            page=page,
            author=author,
            values={"body": f"{page.body.rstrip()}\n\n{paragraphs}"},
            base_revision=editing.latest_revision_id(page),
            summary="Soak: a paragraph for each editor",
        )
    claims = list(
        Claim.objects.filter(companies__slug=hot["company_slug"]).order_by("pk").values_list("pk", flat=True)[:2]
    )
    token = hashlib.sha1(TOKEN_OF.format(seed=held["seed"]).encode()).hexdigest()
    from django.db import connections

    connections.close_all()
    return {"hot": hot, "companies": companies, "claims": claims, "token": token}


def verify(log: EditLog, picked: dict) -> list[tuple[str, bool, str]]:
    """What the history says about every edit the load made."""
    from django.db import connections
    from reversion.models import Revision

    from companies.models import Company
    from intel.editing import latest_revision_id
    from intel.models import Claim
    from intel.pages import PAGE_KINDS, page_state, page_state_at

    connections.close_all()  # the connection from before the outage, if any, is gone
    in_history = Counter()
    for comment in Revision.objects.filter(comment__contains="[soak ").values_list("comment", flat=True):
        for token in TOKEN.findall(comment):
            in_history[token] += 1
    by_outcome = {outcome: [a for a in log.attempts if a.outcome == outcome] for outcome in
                  ("saved", "refused", "not sent", "unknown", "wrong")}  # fmt: skip
    checks = []
    twice = [token for token, count in in_history.items() if count > 1]
    checks.append(("no edit is in the history twice", not twice, f"{len(twice)} twice"))
    lost = [a.token for a in by_outcome["saved"] if in_history[a.token] != 1]
    checks.append(("every edit answered as saved is in the history", not lost,
                   f"{len(by_outcome['saved'])} saved, {len(lost)} missing {lost[:5]}"))  # fmt: skip
    ghosts = [a.token for a in by_outcome["refused"] + by_outcome["not sent"] if in_history[a.token]]
    checks.append(("no refused edit is in the history", not ghosts,
                   f"{len(by_outcome['refused'])} refused, {len(by_outcome['not sent'])} not sent, "
                   f"{len(ghosts)} saved anyway {ghosts[:5]}"))  # fmt: skip
    wrong = Counter(a.status for a in by_outcome["wrong"])
    checks.append(("every edit was answered saved, 409, 412 or 503", not wrong, f"other answers: {dict(wrong)}"))
    unknown = by_outcome["unknown"]
    checks.append(("edits whose answer never came (connection cut)", True,
                   f"{len(unknown)}, of which {sum(in_history[a.token] for a in unknown)} were saved"))  # fmt: skip

    half = []
    for kind, model, keys in (("company", Company, picked["companies"]), ("claim", Claim, picked["claims"])):
        for key in keys:
            page = model.objects.get(**({"slug": key} if kind == "company" else {"pk": key}))
            from reversion.models import Version

            version = Version.objects.get_for_object(page).filter(revision_id=latest_revision_id(page)).get()
            if page_state(PAGE_KINDS[kind], page) != page_state_at(PAGE_KINDS[kind], version):
                half.append(f"{kind} {key}")
    checks.append(("every edited page as stored is its last revision", not half, ", ".join(half) or "all"))

    lost_paragraphs = []
    for slug in picked["companies"]:
        body = Company.objects.get(slug=slug).body
        for number in range(FORM_EDITORS):
            saved = [a for a in by_outcome["saved"] + unknown if a.target == slug and a.token.startswith(f"f{number}.")
                     and in_history[a.token]]  # fmt: skip
            expected = paragraph(number, saved[-1].text if saved else "not yet edited")
            if expected not in body:
                lost_paragraphs.append(f"{slug}: {expected}")
    checks.append(("each analyst's paragraph is as their last saved edit left it", not lost_paragraphs,
                   "; ".join(lost_paragraphs[:3]) or "all"))  # fmt: skip
    connections.close_all()
    return checks


# -- the fault ---------------------------------------------------------------------------------------


def postgres(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, *(["-m", "fast"] if
                    action == "stop" else [])], check=True)  # fmt: skip


def outage(base_url: str, at: float, seconds: float, timeline: dict) -> None:
    """Stop PostgreSQL at ``at`` (monotonic) for ``seconds``, start it, and time until /readyz says 200."""
    time.sleep(max(0.0, at - time.monotonic()))
    timeline["stopped"] = time.monotonic()
    postgres("stop")
    time.sleep(seconds)
    postgres("start")
    timeline["started"] = time.monotonic()
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", int(base_url.rsplit(":", 1)[1]), timeout=5)
            conn.request("GET", "/readyz")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            status = None
        if status == 200:
            timeline["ready"] = time.monotonic()
            return
        time.sleep(0.1)


# -- the run -----------------------------------------------------------------------------------------


def read_mixes(picked: dict) -> dict[str, tuple[list[str], dict, int]]:
    """name → (paths, headers, connections)."""
    hot = picked["hot"]
    company, claim = hot["company_slug"], hot["claim_id"]
    pages = [f"/companies/{company}/", f"/companies/{company}/history/", f"/claims/{claim}/", "/roadmap/",
             "/changes/", "/", f"/companies/{picked['companies'][-1]}/", "/claims/",
             f"/companies/{company}/battlecard/", f"/metrics/?company={company}", "/disputes/"]  # fmt: skip
    api = ["/api/claims/?page_size=50", f"/api/claims/{claim}/", "/api/companies/", f"/api/companies/?search={company}",
           "/api/milestones/?slipped=true", "/api/changes/",
           f"/api/metrics/?company={company}&page_size=5"]  # fmt: skip
    searches = ["/search/?q=nvidia+inference", "/search/?q=blackwell", "/search/?q=%E8%BC%9D%E9%81%94",
                "/api/search/?q=hbm+supply"]  # fmt: skip
    token = {"Authorization": f"Token {picked['token']}"}
    return {"page views": (pages, {}, 2), "API reads": (api, token, 2), "searches": (searches, {}, 1)}


def figures_line(name: str, result: httpload.LoadResult) -> str:
    statuses = ", ".join(f"{status}: {count:,}" for status, count in sorted(result.statuses.items()))
    return (f"| {name} | {result.requests:,} | {result.rps:.1f} | {result.p50_ms:.0f} | {result.p95_ms:.0f} | "
            f"{result.p99_ms:.0f} | {result.max_ms:.0f} | {statuses} |")  # fmt: skip


def edit_figures(name: str, attempts: list[Attempt], seconds: float) -> str:
    timed = sorted(a.ms for a in attempts if a.ms is not None)
    statuses = Counter(a.status for a in attempts if a.status is not None)
    pct = lambda p: httpload._percentile(timed, p)  # noqa: E731
    listed = ", ".join(f"{status}: {count:,}" for status, count in sorted(statuses.items()))
    unknown = sum(a.outcome == "unknown" for a in attempts)
    listed += f", no answer: {unknown}" if unknown else ""
    return (f"| {name} | {len(timed):,} | {len(timed) / seconds:.1f} | {pct(50):.0f} | {pct(95):.0f} | {pct(99):.0f} | "
            f"{timed[-1] if timed else 0:.0f} | {listed} |")  # fmt: skip


def soak(args) -> int:
    scale = SCALES[args.scale]
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--scale", scale.name], check=True)
    url = run_copy(scale)
    try:
        picked = prepare(url)
        collect_static()
        seconds = args.minutes * 60
        port = httpload.free_port()
        with intel_server(url, port) as server:
            server.wait_for_workers(2)
            log = EditLog()
            stop_at = time.monotonic() + seconds
            results: dict[str, httpload.LoadResult] = {}
            timeline: dict[str, float] = {}
            began = time.monotonic()

            def reader(name, paths, headers, connections):
                # A client gives up after 30 s, gunicorn's default worker timeout: at scale L eleven clients queue on
                # two workers, and a wait past wrk's 10 s is a queue, not a lost request.
                results[name] = httpload.wrk(server.url + paths[0], seconds=seconds, connections=connections,
                                             headers=headers, paths=paths, timeout_s=30)  # fmt: skip

            threads = [threading.Thread(target=reader, args=(name, *mix)) for name, mix in read_mixes(picked).items()]
            threads += [threading.Thread(target=form_editor, args=(server.url, n, picked["companies"], stop_at, log))
                        for n in range(FORM_EDITORS)]  # fmt: skip
            scripts = [(server.url, n, picked["claims"], picked["token"], stop_at, log) for n in range(API_EDITORS)]
            threads += [threading.Thread(target=api_editor, args=script) for script in scripts]
            if args.fault:
                threads.append(threading.Thread(target=outage, args=(server.url, began + seconds / 3, args.outage,
                                                                     timeline)))  # fmt: skip
            fault = f", PostgreSQL stopped for {args.outage} s a third of the way in" if args.fault else ""
            print(f"Soaking for {args.minutes:g} min{fault}…", flush=True)
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - began
            server_log = server.log_tail(200)
        checks = verify(log, picked)
        five_hundreds = {name: {s: c for s, c in r.statuses.items() if s >= 500} for name, r in results.items()}
        edits_5xx = Counter(a.status for a in log.attempts if a.status and a.status >= 500)
        if args.fault:
            bad = {name: {s: c for s, c in found.items() if s != 503} for name, found in five_hundreds.items()}
            checks.append(("no 5xx but 503 while the database was down", not any(bad.values()) and
                           set(edits_5xx) <= {503}, f"reads {five_hundreds}, edits {dict(edits_5xx)}"))  # fmt: skip
            recovered = timeline.get("ready", 0) - timeline.get("started", 0)
            checks.append(("the app answered /readyz again without a restart", "ready" in timeline,
                           f"{recovered:.1f} s after PostgreSQL started"))  # fmt: skip
        else:
            checks.append(("no 5xx", not any(five_hundreds.values()) and not edits_5xx,
                           f"reads {five_hundreds}, edits {dict(edits_5xx)}"))  # fmt: skip
        socket_errors = {name: r.error_detail for name, r in results.items() if r.error_detail}
        if not args.fault:
            checks.append(("no socket errors or timeouts", not socket_errors, str(socket_errors)))
        lines = [
            f"Soak, scale {scale.name}, {args.minutes:g} min ({elapsed:.0f} s), "
            f"{datetime.datetime.now():%Y-%m-%d %H:%M}"
            + (f", PostgreSQL stopped for {args.outage} s at {seconds / 3:.0f} s" if args.fault else ""),
            "",
            "| mix | requests | per s | p50 ms | p95 ms | p99 ms | max ms | statuses |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            *[figures_line(name, result) for name, result in results.items()],
            edit_figures("form edits (POST)", [a for a in log.attempts if a.token.startswith("f")], elapsed),
            edit_figures("API edits (PATCH, If-Match)", [a for a in log.attempts if a.token.startswith("a")], elapsed),
            "",
            "| check | held | detail |",
            "| --- | --- | --- |",
            *[f"| {name} | {'yes' if ok else '**no**'} | {detail} |" for name, ok, detail in checks],
        ]
        text = "\n".join(lines)
        out = BENCH / "out"
        out.mkdir(exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        (out / f"soak{'-fault' if args.fault else ''}-{stamp}.md").write_text(text + "\n")
        print("\n" + text)
        if not all(ok for _, ok, _ in checks):
            print("\n--- server log (last lines) ---\n" + server_log)
            return 1
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        drop(url)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--scale", choices=list(SCALES), default="S")
    parser.add_argument("--fault", action="store_true", help="stop PostgreSQL a third of the way in")
    parser.add_argument("--outage", type=int, default=15, help="seconds PostgreSQL stays down (with --fault)")
    return soak(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
