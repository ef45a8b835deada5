"""Settings come from the environment; production refuses to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DEBUG="0", SECRET_KEY="a-long-random-production-key-0123456789-abcdefghij")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x" * 20 + "a-long-random-production-key-0123456789", ALLOWED_HOSTS="intel.example.com",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_bad_boolean_is_named_in_the_error():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_database_url_selects_postgresql_through_psycopg():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, DEBUG="1", DATABASE_URL="postgres://intel:pw@db.internal:5432/intel"
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "intel", "db.internal"], result.stderr


def test_without_database_url_the_default_is_an_sqlite_file_in_the_project():
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    result = run_manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")], result.stderr


def test_public_read_decides_whether_visitors_see_pages_or_the_login_form(tmp_path):
    """Runs the real settings in a fresh process, once per value of INTEL_PUBLIC_READ."""
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'public-read.sqlite3'}", "DEBUG": "1"}
    assert run_manage("migrate", "--no-input", "-v0", **database).returncode == 0
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='localhost'); home = c.get('/'); "
        "print(home.status_code, home.get('Location', '-'), c.get('/accounts/login/').status_code)"
    )

    closed = run_manage("shell", "--no-imports", "-c", code, INTEL_PUBLIC_READ="0", **database)
    status, location, login_page = closed.stdout.split()
    assert status == "302", closed.stderr
    assert location.startswith("/accounts/login/?next=/")
    assert login_page == "200"

    open_ = run_manage("shell", "--no-imports", "-c", code, **database)
    assert open_.stdout.split() == ["200", "-", "200"], open_.stderr


def test_the_wsgi_server_refuses_to_start_without_debug_or_a_secret_key():
    """manage.py defaults to development; the production entry point does not."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "import intel.wsgi"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_manage_py_runs_out_of_the_box_in_development():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
