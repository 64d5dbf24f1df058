# Leitwerk – the two front-door commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Every entry point (leitwerk, manage.py, scripts) picks its own settings; pytest always uses
# config.settings.test (see addopts), so nothing is exported here.

.DEFAULT_GOAL := help
.PHONY: help check-nginx system-deps install install-dev lock run migrate demo test test-all test-postgres test-browser lint format bench fuzz fuzz-api load sqlmap contracts clean audit

help: ## Show this list
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the pinned lock files (requirements/, made by `make lock` from
# pyproject.toml); Leitwerk itself goes in editable on top, without resolving again.
LOCK := requirements/lock.txt
DEV_LOCK := requirements/dev.lock.txt

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(DEV_LOCK) pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -r $(DEV_LOCK)
	touch $@

install: $(VENV)/.installed ## Create .venv and install Leitwerk

system-deps: ## Debian packages for PDF reports (WeasyPrint), fonts and office checks; fast when present
	@bash scripts/install-system-deps.sh

install-dev: $(VENV)/.installed-dev ## Install with test and lint tools

# pip-compile keeps the pins it finds unless pyproject.toml asks otherwise; newer releases:
# `make lock LOCK_ARGS=--upgrade`, one package: `make lock LOCK_ARGS="-P django"`. The runtime
# lock is compiled against the dev lock, so both pin the same versions.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras \
	--no-allow-unsafe --no-emit-index-url --no-emit-find-links --annotation-style=line $(LOCK_ARGS)
lock: install-dev ## Re-pin requirements/lock.txt and dev.lock.txt from pyproject.toml (pip-tools)
	$(PIP_COMPILE) --extra dev --output-file $(DEV_LOCK) pyproject.toml
	$(PIP_COMPILE) --constraint $(DEV_LOCK) --output-file $(LOCK) pyproject.toml

migrate: install ## Apply database migrations (SQLite in var/ unless DATABASE_URL is set)
	$(BIN)/leitwerk migrate --noinput

demo: migrate ## Load the demo municipalities if the database has none yet
	@if $(BIN)/python scripts/has_data.py; then \
		echo "Die Datenbank enthält schon Kommunen – Demodaten werden nicht erneut geladen."; \
	else $(BIN)/leitwerk demo; fi

run: system-deps demo ## Install, migrate, load demo data, start web server and task worker
	@echo "Leitwerk läuft gleich unter http://127.0.0.1:$(PORT)/ – Anmeldedaten siehe README.md"
	@bash scripts/run.sh $(PORT)

test: system-deps install-dev ## Run the fast test suite (SQLite)
	$(BIN)/pytest -n 2 -q

test-all: install-dev ## Run every test including slow ones (SQLite)
	$(BIN)/pytest -n 2 -q -m "not browser"

test-postgres: install-dev ## Run every non-browser test against PostgreSQL at 127.0.0.1:5432
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		$(BIN)/pytest -n 2 -q -m "not browser" --create-db $(PYTEST_ARGS)

test-browser: install-dev ## Browser journeys and accessibility checks in headless Chromium
	bash scripts/install-browser-deps.sh
	$(BIN)/pytest -m browser -p no:xdist -q leitwerk/tests_browser
	# pytest-django's own live server, kept apart from the demo-data server of tests_browser.
	$(BIN)/pytest -m browser -p no:xdist -q leitwerk/feedback/tests/test_browser.py

check-nginx: install-dev ## The shipped nginx site in front of gunicorn: portal, sign-in, workspace, survey POST, 413
	bash scripts/install-nginx.sh
	$(BIN)/python scripts/check_nginx.py

lint: install-dev ## ruff, formatting, import layers, mypy, migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

audit: install-dev ## Known vulnerabilities in the dependencies (pip-audit, catalogue I10)
	$(BIN)/python scripts/audit.py

format: install-dev ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Standard output carries the JSON object only: the preparation's output goes to stderr.
bench: ## Load test on PostgreSQL: fresh DB (DATABASE_URL, default leitwerk_bench), scales S,M, JSON
	@$(MAKE) --no-print-directory system-deps install-dev >&2
	@bash scripts/bench.sh

# Coverage-guided fuzzing of the import readers (D3): bounded, on a scratch copy of the committed
# seed corpus; a crash is written to var/fuzz/ – add it to leitwerk/imports/fuzz/crashers/.
FUZZ_TIME ?= 60
fuzz: install-dev ## Fuzz the import readers with atheris for FUZZ_TIME seconds (default 60)
	mkdir -p var/fuzz/corpus && cp -n leitwerk/imports/fuzz/corpus/* leitwerk/imports/fuzz/crashers/* var/fuzz/corpus/
	$(BIN)/python -m leitwerk.imports.fuzz -max_total_time=$(FUZZ_TIME) -max_len=40000 -timeout=10 \
		-rss_limit_mb=1500 -artifact_prefix=var/fuzz/ var/fuzz/corpus

fuzz-api: install-dev ## schemathesis against the API schema: 200 examples per operation, two municipalities (C8)
	LEITWERK_SCHEMATHESIS_FULL=1 $(BIN)/pytest -n 2 -q -m slow -k finds_nothing \
		leitwerk/api/tests/test_schemathesis.py

# The load and scan extras are not locked; the lock holds the packages they share with Leitwerk.
$(VENV)/.installed-load: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[load]'
	touch $@

load: $(VENV)/.installed-load ## Load test: 200 users, 2 min, gunicorn + PostgreSQL (load/run.py); fails on errors
	$(BIN)/python load/run.py

$(VENV)/.installed-scan: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[scan]'
	touch $@

sqlmap: $(VENV)/.installed-scan ## Nightly (C5): sqlmap on every search/filter parameter, gunicorn + PostgreSQL; fails on a finding
	$(BIN)/python scripts/sqlmap_scan.py

contracts: install ## Check the command-line contracts against ../shared/seeds
	$(PYTHON) ../shared/checks/contracts.py

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
