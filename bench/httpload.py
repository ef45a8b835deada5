"""A small, generic HTTP measuring harness for the benchmarks in bench/.

Standard library only, so the same code measures every server of a run (our Django app
under gunicorn, the raw "floor" WSGI app, a peer wiki in another virtualenv) the same way:

- ``serve()`` starts a server in its own process group and stops the whole group;
- ``wrk()`` drives read load with wrk (bench/wrk_report.lua prints the figures as JSON);
- ``session_login()``, ``form_fields()`` and ``edit_load()`` drive write load as a browser
  would (GET the form, change a field, POST it back with the CSRF token);
- ``stream()`` downloads a huge response while sampling the server's RSS (``RssSampler``),
  to show that an export is streamed in constant memory.

Everything talks to 127.0.0.1 over plain http; cookies are handled by hand, so the
``Secure`` flag that production settings put on them does not get in the way.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

WRK_SCRIPT = Path(__file__).resolve().with_name("wrk_report.lua")
WRK_MARKER = "HTTPLOAD_RESULT "
USER_AGENT = "intel-bench-httpload/1"


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it), for a server to bind."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> list[int]:
    """Direct children of pid: /proc/<pid>/task/*/children when the kernel has it, else a /proc scan."""
    tasks = Path(f"/proc/{pid}/task")
    files = list(tasks.glob("*/children")) if tasks.exists() else []
    if files:
        found = []
        for path in files:
            with contextlib.suppress(OSError):
                found.extend(int(p) for p in path.read_text().split())
        return sorted(set(found))
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended while we scanned
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def rss(pids: Iterable[int]) -> dict[int, int]:
    """Resident set size in bytes of each pid still alive (VmRSS of /proc/<pid>/status)."""
    sizes = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError):
            continue  # gone (or a kernel thread without VmRSS)
    return sizes


class RssSampler:
    """Polls the RSS of some pids every ``interval`` seconds in a thread and keeps the peaks.

    A single reading after a request misses the high-water mark (memory may be freed at
    the end of the response), hence the sampling while the request runs. ``pids`` may be a
    callable returning the current pids, so that restarted workers are picked up.
    ``peak`` is the peak per pid; ``peak_total`` the largest sum seen in one sample.
    """

    def __init__(self, pids: Iterable[int] | Callable[[], Iterable[int]], interval: float = 0.02):
        self._pids = pids if callable(pids) else tuple(pids)
        self.interval = interval
        self.peak: dict[int, int] = {}
        self.peak_total = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> None:
        pids = self._pids() if callable(self._pids) else self._pids
        sizes = rss(pids)
        for pid, size in sizes.items():
            if size > self.peak.get(pid, 0):
                self.peak[pid] = size
        self.peak_total = max(self.peak_total, sum(sizes.values()))
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> RssSampler:
        self._stop.clear()
        self.sample()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> RssSampler:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.sample()
        return self

    def __enter__(self) -> RssSampler:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class Server:
    """A running server started by ``serve()``: its base URL, master pid and log file."""

    url: str
    pid: int
    port: int
    log: Path
    process: subprocess.Popen = field(repr=False)

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: children of the master (they change if a worker is restarted)."""
        return _children(self.pid)

    def wait_for_workers(self, count: int, timeout: float = 30) -> list[int]:
        """Wait until the master has ``count`` children: ready only means one worker answered.

        gunicorn forks its workers one by one and each imports the app after the fork, so
        warm them up too (a short ``wrk()`` run) before measuring.
        """
        deadline = time.monotonic() + timeout
        while len(pids := self.worker_pids()) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(pids)} of {count} workers after {timeout:g} s\n{self.log_tail()}")
            time.sleep(0.05)
        return pids

    def pids(self) -> list[int]:
        """Master and workers, e.g. for an ``RssSampler``."""
        return [self.pid, *self.worker_pids()]

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _probe(port: int, path: str) -> int | None:
    """Status of GET path, or None while nothing answers yet."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"User-Agent": USER_AGENT})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def _stop_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM the process group (master and workers), then SIGKILL what is left after ``grace``."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # Workers that outlived a master killed in a hurry are still in the group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def serve(
    argv: list[str],
    *,
    env: dict,
    cwd,
    port: int,
    ready_path: str = "/",
    timeout: float = 60,
    grace: float = 15,
    keep_log: bool = False,
) -> Iterator[Server]:
    """Run a server (a complete command line, e.g. gunicorn's) for the duration of a with block.

    It runs in a process group of its own, so stopping it also stops its workers; the
    environment is ``os.environ | env``; output goes to a log file in a temp dir. Ready
    means GET ``ready_path`` answers with a status below 500 (a redirect or a 404 still
    proves the app is loaded). A failure to start raises with the end of the log. The log
    dir is removed on exit unless ``keep_log``. Ready means one worker answered: use
    ``Server.wait_for_workers(n)`` before reading ``worker_pids()``. gunicorn 27 (ours) opens a
    control socket at a fixed path (~/.gunicorn/gunicorn.ctl) by default: pass
    ``--no-control-socket`` when two servers run at once.
    """
    if _port_in_use(port):
        raise RuntimeError(f"port {port} is already in use: we would measure someone else's server")
    log_dir = Path(tempfile.mkdtemp(prefix="httpload-"))
    log_path = log_dir / "server.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [str(a) for a in argv],
            env=os.environ | {k: str(v) for k, v in env.items()},
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    server = Server(url=f"http://127.0.0.1:{port}", pid=process.pid, port=port, log=log_path, process=process)
    try:
        deadline = time.monotonic() + timeout
        last_status = None
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"server exited with code {process.returncode} before answering: {' '.join(map(str, argv))}\n"
                    f"--- {log_path} (last lines) ---\n{server.log_tail()}"
                )
            last_status = _probe(port, ready_path)
            if last_status is not None and last_status < 500:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"server not ready after {timeout:g} s (GET {ready_path} -> {last_status}): "
                    f"{' '.join(map(str, argv))}\n--- {log_path} (last lines) ---\n{server.log_tail()}"
                )
            time.sleep(0.1)
        yield server
    finally:
        _stop_group(process, grace)
        if not keep_log:
            shutil.rmtree(log_dir, ignore_errors=True)


# --------------------------------------------------------------------------- results


@dataclass
class LoadResult:
    """Figures of one load run, label-free: the caller says what was measured.

    ``errors`` counts failed requests (socket errors, timeouts, unexpected statuses);
    ``non_2xx3xx`` responses whose status is outside 200-399 (part of ``errors`` for wrk).
    """

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    bytes_per_request: float
    errors: int
    non_2xx3xx: int
    error_detail: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.non_2xx3xx == 0

    def line(self) -> str:
        """One human-readable line, for logs."""
        text = (
            f"{self.requests} req in {self.seconds:.1f} s = {self.rps:.1f} req/s; "
            f"p50 {self.p50_ms:.2f} ms, p90 {self.p90_ms:.2f}, p99 {self.p99_ms:.2f}, max {self.max_ms:.2f}; "
            f"{self.bytes_per_request:.0f} B/req"
        )
        if not self.ok:
            text += f"; {self.errors} errors ({self.non_2xx3xx} non-2xx/3xx) {self.error_detail or ''} {self.statuses}"
        return text


def _percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


# --------------------------------------------------------------------------- wrk


def wrk(
    url: str,
    *,
    seconds: float,
    connections: int = 4,
    threads: int = 1,
    headers: dict | None = None,
    method: str = "GET",
    body: str | None = None,
    timeout_s: int = 10,
    paths: list[str] | None = None,
) -> LoadResult:
    """Load ``url`` with wrk for ``seconds`` (whole seconds: wrk's -d takes no fractions).

    With ``paths`` (request targets such as "/search/?q=x"), each connection asks for them in turn
    on ``url``'s server: a mix whose figures are those of the mix.

    Method, body and headers reach wrk_report.lua through HTTPLOAD_* environment variables;
    the script prints the summary as one JSON line after a marker. Latencies come from wrk's
    histogram; requests that time out (``timeout_s``) count as errors, not as latencies.
    """
    executable = shutil.which("wrk") or "/usr/bin/wrk"
    duration = max(1, math.ceil(seconds))
    header_lines = "\n".join(f"{name}: {value}" for name, value in (headers or {}).items())
    for name, value in (headers or {}).items():
        if "\n" in f"{name}{value}" or "\r" in f"{name}{value}":
            raise ValueError(f"header {name!r} holds a line break")
    argv = [
        executable,
        "-t", str(threads),
        "-c", str(max(connections, threads)),
        "-d", f"{duration}s",
        "--timeout", f"{timeout_s}s",
        "--latency",
        "-s", str(WRK_SCRIPT),
        url,
    ]  # fmt: skip
    env = os.environ | {"HTTPLOAD_METHOD": method, "HTTPLOAD_BODY": body or "", "HTTPLOAD_HEADERS": header_lines,
                        "HTTPLOAD_PATHS": "\n".join(paths or ())}  # fmt: skip
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=duration + timeout_s + 60)
    report = next((line for line in done.stdout.splitlines() if line.startswith(WRK_MARKER)), None)
    if done.returncode != 0 or report is None:
        raise RuntimeError(
            f"wrk failed (exit {done.returncode}): {' '.join(argv)}\n--- stdout ---\n{done.stdout}\n"
            f"--- stderr ---\n{done.stderr}"
        )
    data = json.loads(report[len(WRK_MARKER) :])
    requests = data["requests"]
    elapsed = data["duration_us"] / 1e6
    latency = {key: value / 1000 for key, value in data["latency_us"].items()}
    socket_errors = {key: value for key, value in data["errors"].items() if key != "status"}
    return LoadResult(
        requests=requests,
        seconds=elapsed,
        rps=requests / elapsed if elapsed else 0.0,
        p50_ms=latency["p50"],
        p90_ms=latency["p90"],
        p95_ms=latency["p95"],
        p99_ms=latency["p99"],
        max_ms=latency["max"],
        mean_ms=latency["mean"],
        bytes_per_request=data["bytes"] / requests if requests else 0.0,
        # wrk's "status" (status > 399) is a subset of non_2xx3xx: count it once.
        errors=sum(socket_errors.values()) + data["non_2xx3xx"],
        non_2xx3xx=data["non_2xx3xx"],
        error_detail={key: value for key, value in data["errors"].items() if value},
        statuses={int(status): count for status, count in sorted(data["statuses"].items())},
    )


# --------------------------------------------------------------------------- cookies and forms


def _host_port(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.scheme != "http":
        raise ValueError(f"plain http only (127.0.0.1), not {base_url!r}")
    return parts.hostname or "127.0.0.1", parts.port or 80


def _target(url: str) -> str:
    """The request target (path and query) of an absolute URL."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _path(base_url: str, path: str) -> str:
    """The request target for ``path`` (absolute, or relative to base_url as a folder)."""
    return _target(urljoin(base_url.rstrip("/") + "/", path))


def _set_cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    """Name -> value of the response's Set-Cookie headers; attributes (Secure, Path...) are dropped."""
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        jar = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0].strip()
            continue
        for name, morsel in jar.items():
            cookies[name] = morsel.value
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    """The Cookie request header for a dict of cookies, e.g. for ``wrk(headers={"Cookie": ...})``."""
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


class _FormParser(HTMLParser):
    """Collects every form of a page: its attributes and, in order, the (name, value) pairs a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if self._textarea is not None:  # markup inside a textarea is text
            self._textarea["text"].append(self.get_starttag_text() or "")
            return
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "names": set()}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if name:
            self._form["names"].add(name)
        disabled = "disabled" in a
        if tag == "input":
            kind = a.get("type", "text").lower()
            if not name or disabled or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
                return
            self._form["fields"].append((name, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = {"name": name, "text": [], "skip": not name or disabled}
        elif tag == "select":
            self._select = {"name": name, "multiple": "multiple" in a, "options": [], "skip": not name or disabled}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": [], "selected": "selected" in a}
            self._select["options"].append(self._option)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"].append(data)
        elif self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag):
        if self._textarea is not None:
            if tag != "textarea":
                self._textarea["text"].append(f"</{tag}>")
                return
            text = "".join(self._textarea["text"])
            # HTML drops one newline right after <textarea>; Django's widget writes one.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            if self._form is not None and not self._textarea["skip"]:
                self._form["fields"].append((self._textarea["name"], text))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            select, self._select, self._option = self._select, None, None
            if self._form is None or select["skip"] or not select["options"]:
                return
            values = [o["value"] if o["value"] is not None else "".join(o["text"]).strip() for o in select["options"]]
            chosen = [v for v, o in zip(values, select["options"], strict=True) if o["selected"]]
            if not chosen and not select["multiple"]:
                chosen = values[:1]  # a single select without "selected" submits its first option
            elif not select["multiple"]:
                chosen = chosen[-1:]
            self._form["fields"].extend((select["name"], v) for v in chosen)
        elif tag == "form":
            self._form = None


def _pick_form(forms: list[dict], hint: str | None) -> dict:
    if hint is None:
        for form in forms:
            if form["attrs"].get("method", "get").lower() == "post":
                return form
        if forms:
            return forms[0]
    else:
        for form in forms:
            attrs = form["attrs"]
            if hint in form["names"] or attrs.get("id") == hint or (attrs.get("action") and hint in attrs["action"]):
                return form
    seen = "; ".join(
        f"action={f['attrs'].get('action')!r} id={f['attrs'].get('id')!r} fields={sorted(f['names'])}" for f in forms
    )
    raise ValueError(f"no form matches {hint!r} among {len(forms)} form(s): {seen or 'none'}")


def form_fields(html: str, form_selector_hint: str | None = None) -> dict[str, str | list[str]]:
    """What a browser would submit from a form of ``html``: name -> value (a list for repeated names).

    The form is the first one with a field named ``form_selector_hint``, or with that id, or
    whose action contains it; without a hint the first POST form. Hidden inputs (the CSRF
    token) are included, checkboxes and radios only when checked, submit buttons and
    disabled fields never; a select gives its selected options.
    """
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    form = _pick_form(parser.forms, form_selector_hint)
    fields: dict[str, str | list[str]] = {}
    for name, value in form["fields"]:
        if name not in fields:
            fields[name] = value
        elif isinstance(fields[name], list):
            fields[name].append(value)
        else:
            fields[name] = [fields[name], value]
    return fields


def _form_action(html: str, form_selector_hint: str | None) -> str | None:
    parser = _FormParser()
    parser.feed(html)
    return _pick_form(parser.forms, form_selector_hint)["attrs"].get("action") or None


def _encode(fields: dict) -> str:
    """urlencoded body; list values become repeated keys, as a browser sends a multi-select."""
    return urlencode(list(_pairs(fields)))


def _pairs(fields: dict) -> Iterator[tuple[str, str]]:
    for name, value in fields.items():
        if isinstance(value, list | tuple):
            for item in value:
                yield name, str(item)
        elif value is not None:
            yield name, str(value)


# --------------------------------------------------------------------------- login and edits


def session_login(
    base_url: str,
    login_path: str,
    username: str,
    password: str,
    *,
    username_field: str = "username",
    password_field: str = "password",
    extra_fields: dict | None = None,
    session_cookie: str = "sessionid",
) -> dict[str, str]:
    """Log in through the login form, as a browser does, and return the cookies (sessionid, csrftoken).

    GET the form (sets the csrftoken cookie and the csrfmiddlewaretoken input), POST the
    credentials with that cookie and a Referer, keep what Set-Cookie sends back (Django
    rotates the CSRF token at login). Raises if no session cookie comes back.
    """
    host, port = _host_port(base_url)
    path = _path(base_url, login_path)
    referer = f"{base_url.rstrip('/')}{path}"
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path, headers={"User-Agent": USER_AGENT})
        response = conn.getresponse()
        html = response.read().decode(errors="replace")
        if response.status != 200:
            raise RuntimeError(
                f"GET {referer} answered {response.status} {response.reason}"
                f"{' -> ' + response.getheader('Location') if response.getheader('Location') else ''}"
                " (with production settings over http, set SECURE_SSL_REDIRECT=0 and ALLOWED_HOSTS)"
            )
        cookies = _set_cookies(response)
        fields = form_fields(html, password_field)
        fields[username_field] = username
        fields[password_field] = password
        fields.update(extra_fields or {})
        headers = {
            "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "Referer": referer,
        }
        action = _form_action(html, password_field)
        post_path = _target(urljoin(referer, action)) if action else path
        conn.request("POST", post_path, body=_encode(fields), headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        cookies |= _set_cookies(response)
    finally:
        conn.close()
    if not cookies.get(session_cookie):
        raise RuntimeError(
            f"login as {username!r} at {referer} failed: POST answered {response.status} without a "
            f"{session_cookie!r} cookie (wrong credentials, CSRF rejection or a login form with other field "
            f"names?). Body starts: {text[:500]!r}"
        )
    return {name: value for name, value in cookies.items() if value}


def edit_load(
    base_url: str,
    *,
    form_path: str,
    post_path: str | None,
    change: Callable[[dict, int], dict],
    cookies: dict,
    seconds: float,
    editors: int = 1,
    form_hint: str | None = None,
    ok_statuses: tuple[int, ...] = (302, 303),
) -> LoadResult:
    """Edit through the HTML form in a loop for ``seconds``, from ``editors`` threads, and time the POSTs.

    Each editor has its own keep-alive connection and loops: GET form_path (untimed), read
    the fields, ``change(fields, n)`` (n unique across editors, e.g. for distinct texts),
    POST them back urlencoded with the cookies, a Referer and X-CSRFToken. Redirects are not
    followed: the POST alone is timed. A status outside ``ok_statuses`` is an error, and the
    first bodies of failed POSTs are kept in ``error_samples`` so a failing edit says why.
    """
    host, port = _host_port(base_url)
    get_target = _path(base_url, form_path)
    referer = f"{base_url.rstrip('/')}{get_target}"
    counter = itertools.count()
    lock = threading.Lock()
    timings: list[float] = []
    statuses: dict[int, int] = {}
    samples: list[str] = []
    failures = {"errors": 0, "non_2xx3xx": 0, "connection": 0}
    received = [0]
    stop_at = time.monotonic() + seconds

    def fail(message: str) -> None:
        with lock:
            failures["errors"] += 1
            if len(samples) < 5:
                samples.append(message[:500])

    def request(conn, method, target, body=None, headers=None, retry=False):
        """One request on the keep-alive connection; a GET is retried once if the server closed it."""
        try:
            conn.request(method, target, body=body, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            if not retry:
                raise
            conn.request(method, target, body=body, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()

    crashes: list[BaseException] = []

    def editor() -> None:
        try:
            edit_loop()
        except BaseException as exc:  # re-raised by the caller's thread: a bug in change() must not pass silently
            crashes.append(exc)

    def edit_loop() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        jar = dict(cookies)
        try:
            while time.monotonic() < stop_at:
                headers = {"User-Agent": USER_AGENT, "Cookie": cookie_header(jar)}
                try:
                    response, body = request(conn, "GET", get_target, headers=headers, retry=True)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        failures["connection"] += 1
                    fail(f"GET {get_target}: {exc!r}")
                    conn.close()
                    continue
                if response.status != 200:
                    fail(f"GET {get_target} -> {response.status}: {body[:500].decode(errors='replace')}")
                    continue
                html = body.decode(errors="replace")
                try:
                    fields = form_fields(html, form_hint)
                except ValueError as exc:  # e.g. a login page instead of the form: the session is gone
                    fail(f"GET {get_target}: {exc}; page starts: {html[:300]}")
                    continue
                with lock:
                    n = next(counter)
                fields = change(fields, n)
                token = fields.get("csrfmiddlewaretoken") or jar.get("csrftoken", "")
                payload = _encode(fields)
                headers = {
                    "User-Agent": USER_AGENT,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie_header(jar),
                    "Referer": referer,
                    "X-CSRFToken": token if isinstance(token, str) else token[0],
                }
                target = _path(base_url, post_path) if post_path else get_target
                started = time.perf_counter()
                try:
                    response, body = request(conn, "POST", target, body=payload, headers=headers)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        failures["connection"] += 1
                    fail(f"POST {target}: {exc!r}")
                    conn.close()
                    continue
                elapsed = time.perf_counter() - started
                # Keep the session and CSRF cookies fresh; ignore new ones (e.g. messages).
                jar.update({k: v for k, v in _set_cookies(response).items() if k in jar and v})
                with lock:
                    timings.append(elapsed)
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    received[0] += len(body)
                    if not 200 <= response.status < 400:
                        failures["non_2xx3xx"] += 1
                if response.status not in ok_statuses:
                    fail(f"POST {target} -> {response.status}: {body[:500].decode(errors='replace')}")
        finally:
            conn.close()

    began = time.perf_counter()
    workers = [threading.Thread(target=editor, name=f"editor-{i}") for i in range(editors)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    if crashes:
        raise crashes[0]
    ordered = sorted(timings)
    ms = [t * 1000 for t in ordered]
    return LoadResult(
        requests=len(ordered),
        seconds=elapsed,
        rps=len(ordered) / elapsed if elapsed else 0.0,
        p50_ms=_percentile(ms, 50),
        p90_ms=_percentile(ms, 90),
        p95_ms=_percentile(ms, 95),
        p99_ms=_percentile(ms, 99),
        max_ms=ms[-1] if ms else 0.0,
        mean_ms=sum(ms) / len(ms) if ms else 0.0,
        bytes_per_request=received[0] / len(ordered) if ordered else 0.0,  # response body bytes
        errors=failures["errors"],
        non_2xx3xx=failures["non_2xx3xx"],
        error_detail={k: v for k, v in failures.items() if v and k != "errors"},
        statuses=dict(sorted(statuses.items())),
        error_samples=samples,
    )


# --------------------------------------------------------------------------- streaming


@dataclass
class StreamResult:
    """One big download: timing, size, and (if sampled) the server's RSS before and at peak."""

    status: int
    headers_s: float
    ttfb_s: float
    seconds: float
    bytes: int
    lines: int
    rss_before: dict[int, int] = field(default_factory=dict)
    rss_peak: dict[int, int] = field(default_factory=dict)

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    @property
    def rss_growth(self) -> int:
        """Largest peak-minus-before of any pid, in bytes: ~0 when the response is streamed."""
        return max((self.rss_peak.get(pid, 0) - before for pid, before in self.rss_before.items()), default=0)


def stream(url: str, *, headers: dict | None = None, sampler_pids=None, chunk: int = 1 << 20) -> StreamResult:
    """GET a possibly huge response, reading and discarding it in chunks, so the client stays small.

    ``ttfb_s`` is the time to the first body byte (``headers_s`` to the status line and
    headers); ``lines`` counts b"\\n". With ``sampler_pids`` (pids, or a callable returning
    them, e.g. ``server.worker_pids``) the RSS of those processes is read before the request
    and sampled every 20 ms during it: a streamed export keeps the peak near the start.
    """
    host, port = _host_port(url)
    target = _target(url)
    request_headers = {"User-Agent": USER_AGENT} | (headers or {})
    pids = None
    if sampler_pids is not None:
        pids = list(sampler_pids() if callable(sampler_pids) else sampler_pids)
    before = rss(pids) if pids is not None else {}
    sampler = RssSampler(pids) if pids is not None else None
    conn = http.client.HTTPConnection(host, port, timeout=300)
    total = lines = 0
    ttfb = None
    try:
        if sampler:
            sampler.start()
        started = time.perf_counter()
        conn.request("GET", target, headers=request_headers)
        response = conn.getresponse()
        headers_s = time.perf_counter() - started
        while True:
            data = response.read1(chunk)
            if not data:
                break
            if ttfb is None:
                ttfb = time.perf_counter() - started
            total += len(data)
            lines += data.count(b"\n")
        elapsed = time.perf_counter() - started
    finally:
        if sampler:
            sampler.stop()
        conn.close()
    return StreamResult(
        status=response.status,
        headers_s=headers_s,
        ttfb_s=ttfb if ttfb is not None else elapsed,
        seconds=elapsed,
        bytes=total,
        lines=lines,
        rss_before=before,
        rss_peak=dict(sampler.peak) if sampler else {},
    )
