# Boligsosial oversikt. `make run` and `make test` work on a fresh machine with Python 3.12+.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Django 6.1 needs Python 3.12+. Use PYTHON=... to name one; otherwise the first 3.12+ found.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
HOST ?= 127.0.0.1:8000
# `make run`: e-mail goes to the console (no EMAIL_URL), each message right after the change
# that caused it, with links to this server.
RUN_ENV := DEBUG=1 OUTBOX_SEND_AFTER_COMMIT=1 SITE_URL=http://$(HOST)
export DJANGO_SETTINGS_MODULE := boligsosial.settings

.PHONY: run serve worker test test-fast test-pg lint format bench bench-large venv messages clean

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Fant ingen Python 3.12 eller nyere. Installer Python 3.12+ eller oppgi den med PYTHON=/sti/til/python3.12 (Django 6.1 krever Python 3.12+)." >&2; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "$(PYTHON) er eldre enn 3.12; Django 6.1 krever Python 3.12+." >&2; exit 1; }
	@[ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# Without compiling: pip compiles every file it installs (plotly alone brings thousands),
	@# half of the install's time (53 s against 29 s). What the app and its tests import is
	@# compiled next, once (about 5 s), and kept even where PYTHONDONTWRITEBYTECODE is set; the
	@# rest is compiled if it is ever imported. The step is only a cache: should an import fail
	@# (no Pango for WeasyPrint yet), the install goes on and compiles on first use.
	$(BIN)/python -m pip install --quiet --no-compile -e '.[test]'
	@env -u PYTHONDONTWRITEBYTECODE DEBUG=1 $(BIN)/python -c 'import django; django.setup(); \
		import boligsosial.urls, pandas, plotly.graph_objects, pytest, pytest_django, xdist, \
		hypothesis, playwright.sync_api, weasyprint' 2>/dev/null || true
	@touch $@

venv: $(BIN)/.installed

messages: venv
	DEBUG=1 $(BIN)/python manage.py compile_translations >/dev/null

run: venv messages
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_reference_data
	DEBUG=1 $(BIN)/python manage.py load_recommendation_rules
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py import_indicators fixtures/imports/demo-fiktive-tall-nokkeltall.csv
	$(RUN_ENV) $(BIN)/python manage.py send_reminders
	$(RUN_ENV) $(BIN)/python manage.py send_outbox
	@echo
	@echo "  Boligsosial oversikt: http://$(HOST)/"
	@echo "  Demobrukere: admin, radgiver, planlegger, leser, planlegger.vefsn, planlegger.sortland, planlegger.vagan – passord: boligsosial-demo"
	@echo "  E-post fra demoen skrives her i konsollen (ingen e-postserver er satt opp)."
	@echo
	@# The task worker runs beside the development server, on the same SQLite database and the
	@# same code path as production (the region's zip, later imports and e-mail); it stops
	@# with the server. It does not reload on code changes: restart `make run` for that.
	$(RUN_ENV) $(BIN)/python manage.py run_worker -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST)

# The whole suite on every core (a module's tests stay together, so its shared fixtures are
# made once; the slowest modules start first, tests/scheduling.py, and xdist keeps that
# order), the fifteen slowest tests listed at the end, a screenshot of a failing browser
# test in test-artifacts/playwright/. SCREENSHOTS=1 keeps one of every page checked.
# Compiled modules are kept (__pycache__, ignored by git) even where PYTHONDONTWRITEBYTECODE
# is set: otherwise each worker, and each server or command a test starts, compiles the
# project and rewrites the test modules again (about 7 of the 12 s of a worker's collection).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n auto --dist loadscope --no-loadscope-reorder \
	--durations=15 \
	--screenshot=only-on-failure --output=test-artifacts/playwright

# Production on this machine: gunicorn with DEBUG off. It needs SECRET_KEY (and ALLOWED_HOSTS,
# DATABASE_URL …, see README: Deployment) from the environment; WEB_CONCURRENCY workers.
# Static files are collected and compressed once (about 40 s), again when they change.
STATIC_SOURCES := $(shell find static -type f 2>/dev/null)
staticfiles/.collected: $(BIN)/.installed $(STATIC_SOURCES)
	DEBUG=0 COLLECTSTATIC_DONE=true ALLOW_DEV_SECRET_KEY=1 $(BIN)/python manage.py collectstatic --noinput --clear -v0
	@touch $@

serve: venv messages staticfiles/.collected
	DEBUG=0 COLLECTSTATIC_DONE=true $(BIN)/python manage.py release
	@echo "  Boligsosial oversikt (gunicorn): http://$(HOST)/ – start the worker beside it: make worker"
	DEBUG=0 COLLECTSTATIC_DONE=true BIND=$(HOST) exec $(BIN)/gunicorn -c gunicorn.conf.py boligsosial.wsgi

worker: venv messages
	DEBUG=0 exec $(BIN)/python manage.py run_worker

# The suite runs on SQLite here even when DATABASE_URL is set in the shell; test-pg uses PostgreSQL.
test: venv messages
	env -u DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

# The quick loop while working: everything but the browser tests and the tests that start real
# processes (about a third of the suite's time). It is not the whole suite: `make test` is, and
# CI runs that on SQLite and PostgreSQL.
test-fast: venv messages
	env -u DATABASE_URL $(PYTEST) -m "not browser and not multiprocess" $(PYTEST_ARGS)

test-pg: venv messages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/boligsosial} $(PYTEST) $(PYTEST_ARGS)

lint: venv
	$(BIN)/lint-imports --no-cache
	$(BIN)/hadolint Dockerfile
	SECRET_KEY=lint $$($(BIN)/python -c 'import compose, os; print(os.path.dirname(compose.__file__))')/docker-compose -f compose.yaml config -q
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks (bench/run.py). The page benchmark serves the app with gunicorn on loopback, on
# PostgreSQL when BENCH_PG_URL's server answers (default postgres://postgres@127.0.0.1:5432),
# else SQLite. Take figures on a quiet machine: they are ratios within one run.
bench: venv messages
	DEBUG=0 ALLOW_DEV_SECRET_KEY=1 $(BIN)/python bench/run.py $(BENCH)

# The page benchmark at the scale of a whole country: all 357 municipalities filled, three
# rounds of answers.
bench-large: venv messages
	DEBUG=0 ALLOW_DEV_SECRET_KEY=1 BENCH_SCALE=large $(BIN)/python bench/run.py pages

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
