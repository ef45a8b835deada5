"""The peer wiki for the benchmark: django-wiki 0.13, run beside intel but never inside it.

Why a second virtualenv: django-wiki 0.13.0 pins Django < 6.1 (it installs 6.0.10) while
intel runs Django 6.1, so the two cannot share one interpreter. This module runs in the
project's .venv and never imports django-wiki or Django; it builds the peer's own
virtualenv (.bench/peer-venv, from bench/peer_site/requirements.txt), and drives the peer
site in bench/peer_site through subprocesses:

    ensure_venv()                                  the peer venv's python (built once per requirements)
    prepare(database_url, spec)                    fresh database, one article with `revisions` revisions
    measure_inprocess(database_url, spec, ...)     page view / history / edit save, Django test client
    gunicorn_command(port, workers)                argv, env and cwd to serve the peer over HTTP
    EDIT, edit_form(html), login_form(html)        how an HTTP client logs in and saves an edit

spec: {"title", "slug", "body" (markdown), "revisions", "username", "password"}.

measure_inprocess() saves (warmup + rounds) edits, so the history is longer afterwards:
call prepare() again before serving the peer if the HTTP run needs the history as loaded.

Stdlib only at import time (psycopg, from the project's venv, is imported where needed),
so bench/peer_site/measure.py can import the form helpers from here too.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PEER_SITE = ROOT / "bench" / "peer_site"
REQUIREMENTS = PEER_SITE / "requirements.txt"
# Under the work tree but outside git: .gitignore needs a "/.bench/" line.
VENV = ROOT / ".bench" / "peer-venv"
MARKER = VENV / ".requirements.sha256"

# How an HTTP client saves an edit in django-wiki (checked by measure.py on every round):
#   1. GET login_url (sets the csrftoken cookie); POST login_form(html) with username and
#      password filled in -> 302, sets the sessionid cookie.
#   2. GET edit_url -> 200; edit_form(html) gives every field of the edit form, with
#      "save": "1" added (it is the submit <button>'s name and value, which a collector of
#      <input>/<textarea> values misses; without it django-wiki just shows the form again,
#      200, and saves nothing).
#   3. Change fields["content"] (keep current_revision: django-wiki compares it with the
#      article's current revision and, if another edit came first, merges and shows the
#      form again, 200); POST all fields urlencoded to edit_url with the cookies -> 302 to
#      view_url. A 200 means it was not saved (the form shows why).
#   django-wiki refuses a save whose title and content are both unchanged ("No changes
#   made"), and stores content with CRLF line ends (ArticleRevision.clean).
EDIT = {
    "login_url": "/_accounts/login/",
    "login_fields": ("csrfmiddlewaretoken", "username", "password"),
    "login_success_status": 302,
    "form_id": "article_edit_form",
    "content_field": "content",
    "title_field": "title",
    "summary_field": "summary",
    "revision_field": "current_revision",
    "csrf_field": "csrfmiddlewaretoken",
    "submit_fields": {"save": "1"},
    "success_status": 302,
    "edit_path": "<path>/_edit/",
    "history_path": "<path>/_history/",
}

_last_database_url: str | None = None


def ensure_venv() -> Path:
    """Build .bench/peer-venv with a Python >= 3.12 and the peer's pinned requirements; its python.

    Skipped when the marker holds the sha256 of requirements.txt; any other state (no venv,
    another set of pins, a half-finished install) builds it anew with ``venv --clear``.
    """
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    python = VENV / "bin" / "python"
    if python.exists() and MARKER.exists() and MARKER.read_text().strip() == digest:
        return python
    found = subprocess.run(
        [str(ROOT / "scripts" / "find-python")], capture_output=True, text=True, check=True
    ).stdout.strip()
    if MARKER.exists():
        MARKER.unlink()
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([found, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
        check=True,
    )
    MARKER.write_text(digest + "\n")
    return python


def peer_env(database_url: str) -> dict[str, str]:
    """Environment variables the peer's processes need on top of the caller's."""
    return {
        "PEER_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "peer_project.settings",
        "PYTHONPATH": str(PEER_SITE),
        "PEER_DEBUG": "0",
    }


def _recreate_database(database_url: str) -> None:
    """DROP (forcing out leftover connections) and CREATE the database, UTF8 from template0."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"the peer needs PostgreSQL, not {parts.scheme!r}")
    name = parts.path.lstrip("/")
    own = urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1") or name == own:
        raise ValueError(f"refusing to drop database {name!r}")
    server = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name)))


def _run_json(argv: list[str], database_url: str, env: dict | None = None) -> object:
    """Run a peer script in the peer venv; its stdout is one JSON document."""
    result = subprocess.run(
        argv,
        cwd=PEER_SITE,
        env={**os.environ, **peer_env(database_url), **(env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:2])} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return json.loads(result.stdout)


def _spec_file(spec: dict) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="peer-spec-", delete=False, encoding="utf-8") as f:
        json.dump(spec, f)
    return f.name


def prepare(database_url: str, spec: dict) -> dict:
    """Recreate the peer's database and load spec into it; load.py's summary.

    Summary: view_url, history_url, edit_url, login_url, article_id, current_revision_id,
    revisions, body_chars, migrate_seconds, load_seconds.
    """
    global _last_database_url
    python = ensure_venv()
    _recreate_database(database_url)
    path = _spec_file(spec)
    try:
        summary = _run_json([str(python), str(PEER_SITE / "load.py"), path], database_url)
    finally:
        os.unlink(path)
    _last_database_url = database_url
    return summary


def measure_inprocess(database_url: str, spec: dict, *, rounds: int, warmup: int, uncached: bool = False) -> list[dict]:
    """measure.py's figures for the database prepare() filled: one dict per scenario.

    Each: scenario ("page view", "history", "edit save"), median_ms, p95_ms, p99_ms,
    queries, bytes, status. ``uncached``: with django-wiki's cache of rendered articles off
    (PEER_CACHE=dummy), so a page view renders the article each time.
    """
    python = ensure_venv()
    path = _spec_file(spec)
    try:
        argv = [str(python), str(PEER_SITE / "measure.py"), "--rounds", str(rounds), "--warmup", str(warmup)]
        return _run_json([*argv, "--spec", path], database_url, {"PEER_CACHE": "dummy"} if uncached else None)
    finally:
        os.unlink(path)


def gunicorn_command(port: int, workers: int = 2, *, database_url: str | None = None) -> tuple[list[str], dict, Path]:
    """argv, environment to add to os.environ, and cwd to serve the peer on 127.0.0.1:port.

    database_url defaults to the one prepare() last loaded. No access log; no control
    socket (gunicorn 27 otherwise opens one at ~/.gunicorn/gunicorn.ctl, shared with any
    other gunicorn of the same user, such as intel's own when both run at once).
    """
    database_url = database_url or _last_database_url
    if not database_url:
        raise ValueError("no database_url: pass one, or call prepare() first")
    gunicorn = ensure_venv().parent / "gunicorn"
    argv = [
        str(gunicorn),
        "peer_project.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-control-socket",
    ]
    return argv, peer_env(database_url), PEER_SITE


class _FormParser(HTMLParser):
    """The named controls of one <form> (by id, or the first form with a POST method)."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.depth = 0  # >0 while inside the chosen form
        self.done = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and not self.done:
            if self.depth:
                self.depth += 1
            elif (self.form_id and a.get("id") == self.form_id) or (
                not self.form_id and a.get("method", "").lower() == "post"
            ):
                self.depth = 1
            return
        if not self.depth:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[name] = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.fields[self._select] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1
            self.done = self.depth == 0
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # HTML drops one newline right after <textarea>.
            self.fields[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option or "")
            self._select = None


def form_fields(html: str, form_id: str | None = None) -> dict[str, str]:
    """What a browser would submit from the form (by id, else the first POST form), buttons aside."""
    parser = _FormParser(form_id)
    parser.feed(html)
    parser.close()
    if not parser.fields:
        raise ValueError(f"no form {form_id or '(method=post)'} with fields in the page")
    return parser.fields


def edit_form(html: str) -> dict[str, str]:
    """The fields to POST back to the edit URL to save: the form's values plus "save": "1".

    Change "content" before posting; keep "current_revision" as the page gave it.
    """
    fields = form_fields(html, EDIT["form_id"])
    missing = {EDIT["content_field"], EDIT["revision_field"], EDIT["csrf_field"]} - fields.keys()
    if missing:
        raise ValueError(f"edit form lacks {sorted(missing)}")
    return {**fields, **EDIT["submit_fields"]}


def login_form(html: str, username: str, password: str) -> dict[str, str]:
    """The fields to POST back to the login URL (csrfmiddlewaretoken, username, password)."""
    return {**form_fields(html), "username": username, "password": password}


def remove_venv() -> None:
    """Delete the peer venv (ensure_venv() builds it again)."""
    shutil.rmtree(VENV, ignore_errors=True)
