# intel: `make run` serves the demo wiki, `make test` runs the whole suite.
# Everything lives in .venv, built with a Python of 3.12 or newer (scripts/find-python).

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# manage.py and the test suite default to the development configuration (DEBUG=1, a
# development secret key, SQLite) unless the environment says otherwise.

.PHONY: run test setup migrate demo lint format check-deploy clean bench soak bench-page bench-api bench-anchoring bench-roadmap bench-search screenshots

run: setup migrate demo
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt scripts/find-python
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

migrate: setup
	$(PY) manage.py migrate --no-input

demo: setup
	$(PY) manage.py load_demo

test: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

# The production settings must pass Django's deployment checklist.
check-deploy: setup
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=intel.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Benchmarks are not tests: figures go to docs/performance.md (see there).
# `make bench` (scale S, a few minutes) or `make bench SCALE=L`: every hot path beside the floor and django-wiki,
# in-process and through gunicorn; PostgreSQL on 127.0.0.1 (or BENCH_DATABASE_URL) and wrk (installed if missing).
SCALE ?= S
bench: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "The benchmark needs wrk (Debian: apt-get install wrk)."; exit 1; }
	DEBUG=1 $(PY) bench/run.py --scale $(SCALE) $(BENCH_ARGS)

# Soak (not a test, not in CI): 10 minutes of mixed reads, searches and edits under gunicorn on scale S (or
# SOAK_SCALE=L), every edit checked against the history after; then 3 minutes during which PostgreSQL is stopped
# for 15 s and started again (pg_ctlcluster: run it as root, on a machine whose PostgreSQL nothing else is using).
# Figures: docs/performance.md.
SOAK_MINUTES ?= 10
SOAK_SCALE ?= S
soak: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "The soak needs wrk (Debian: apt-get install wrk)."; exit 1; }
	$(PY) bench/soak.py --minutes $(SOAK_MINUTES) --scale $(SOAK_SCALE)
	$(PY) bench/soak.py --minutes 3 --fault --scale $(SOAK_SCALE)

bench-page: setup
	$(PY) bench/company_page.py

# GET /api/claims/?page_size=100 on 100,000 claims (a database of its own; PostgreSQL via DATABASE_URL).
bench-api: setup
	$(PY) bench/api_claims.py --markdown

# Anchoring a 200-character quote in a 1 MB snapshot: exact, normalised, approximate (no database).
bench-anchoring: setup
	$(PY) bench/anchoring.py

# GET /roadmap/ with 1,000 milestones of 5 revisions each, and rebuilding their slips (a database of its own; PostgreSQL via DATABASE_URL).
bench-roadmap: setup
	$(PY) bench/roadmap.py

# Search over 1,000,000 claims and 100,000 sources, on PostgreSQL (a database of its own, bench_search).
bench-search: setup
	DEBUG=1 $(PY) bench/search_index.py $(BENCH_ARGS)

# Screenshots of the main pages for the README, from the demo data (needs Chromium).
screenshots: setup
	$(PY) scripts/screenshots.py
