# salesops: set-up, serving, tests. Every target works from a fresh clone on Debian with Python 3.11,
# make and apt-get (system packages are installed where missing, with sudo when not root).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA_DIR := $(or $(SALESOPS_DATA_DIR),var)
ARTIFACTS := test-artifacts
PORT ?= 8000
BIND ?= 0.0.0.0
DEMO ?= 1
SCALES ?= S,M
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PG_TEST_NAME ?= $(or $(DB_TEST_NAME),test_salesops)
PYTEST_WORKERS ?= 2
TEST_PACKAGES := chromium fonts-noto-cjk gettext redis-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STARTED := $(shell date +%s)

.PHONY: help run dev demo test lint bench clean distclean system-packages services

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# --- Virtualenv: created once, reinstalled only when pyproject.toml changes --------------------------
$(STAMP): pyproject.toml
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then
		echo ">> installing python3-venv (Debian splits venv out of Python)"
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv
	fi
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(DATA_DIR):
	@mkdir -p $@

# --- Debian packages the tests need: the browser, CJK fonts for screenshots, gettext, Redis ----------
system-packages:
	@missing=""
	for package in $(TEST_PACKAGES); do
		dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"
	done
	if [ -n "$$missing" ]; then
		echo ">> installing Debian packages:$$missing"
		$(SUDO) apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing
	fi

# --- Local services for the test run: Redis (REDIS_URL tests) ------------------------------------------
services: $(STAMP) system-packages
	@port_open() { $(BIN)/python -c "import socket,sys; socket.create_connection(('127.0.0.1', $$1), 1)" 2>/dev/null; }
	if ! port_open 6379; then
		echo ">> starting Redis on 127.0.0.1:6379"
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
		for _ in $$(seq 20); do port_open 6379 && break; sleep 0.25; done
	fi

# --- Serving ---------------------------------------------------------------------------------------------
run: $(STAMP) | $(DATA_DIR) ## Serve the team as production does (DEBUG off) on this machine and its network, port 8000
	@# Production settings over plain HTTP on the local network (salesops/settings.py, salesops/lan.py):
	# the secret key is made once under the data folder; HTTPS=1 (behind a TLS proxy) turns on secure
	# cookies, the HTTPS redirect and HSTS. DEMO=0 serves without loading the demo organisation.
	export DEBUG=0 SERVE_LAN=$${SERVE_LAN:-1} PORT=$(PORT)
	export SECRET_KEY_FILE=$${SECRET_KEY_FILE:-$(abspath $(DATA_DIR))/secret_key}
	echo ">> migrating the database and collecting static files"
	$(BIN)/salesops migrate --noinput --verbosity 0
	$(BIN)/salesops collectstatic --noinput --verbosity 0
	if [ "$(DEMO)" != 0 ]; then $(BIN)/salesops demo; fi
	$(BIN)/salesops run_huey &
	huey_pid=$$!
	trap 'kill $$huey_pid 2>/dev/null || true' EXIT INT TERM
	echo ">> gunicorn + whitenoise and the job consumer (pid $$huey_pid); Ctrl-C stops both"
	$(BIN)/gunicorn -c python:salesops.gunicorn_conf --bind $(BIND):$(PORT) salesops.wsgi:application

dev: $(STAMP) | $(DATA_DIR) ## Develop: DEBUG on, Django's runserver (reloads on changes) on http://127.0.0.1:8000
	@export DEBUG=1 PORT=$(PORT)
	$(BIN)/salesops migrate --noinput --verbosity 0
	if [ "$(DEMO)" != 0 ]; then $(BIN)/salesops demo; fi
	$(BIN)/salesops run_huey &
	huey_pid=$$!
	trap 'kill $$huey_pid 2>/dev/null || true' EXIT INT TERM
	$(BIN)/salesops runserver 127.0.0.1:$(PORT)

demo: $(STAMP) | $(DATA_DIR) ## Create the demo organisation if the database is empty; print the logins
	@$(BIN)/salesops migrate --noinput --verbosity 0
	$(BIN)/salesops demo

bench: $(STAMP) | $(DATA_DIR) ## Benchmarks at scales S,M (SCALES=S,M,L make bench for L)
	@$(BIN)/python bench/run.py --scales $(SCALES)

# --- Checks and tests --------------------------------------------------------------------------------------
lint: $(STAMP) | $(DATA_DIR) ## ruff and mypy
	@$(BIN)/ruff check .
	$(BIN)/mypy salesops

test: $(STAMP) system-packages services | $(DATA_DIR) ## Everything CI runs: lint, types, checks, all tests on SQLite and PostgreSQL
	@mkdir -p $(ARTIFACTS)
	failed=()
	# Every step runs even after a failure, so one run reports everything; the exit code is the verdict.
	step() {
		local name=$$1; shift
		echo; echo ">> $$name"
		if ! "$$@"; then failed+=("$$name"); fi
	}
	# pytest's exit code 5 (no test ran) is a failure like any other non-zero code.
	run_pytest() {
		local name=$$1; shift
		echo; echo ">> pytest on $$name"
		local status=0
		env "$$@" $(BIN)/pytest -n $(PYTEST_WORKERS) -q 2>&1 | tee $(ARTIFACTS)/pytest-$$name.log || status=$$?
		[ "$$status" = 0 ] || failed+=("pytest on $$name (exit $$status)")
		summaries+=("$$(printf '%-11s' "$$name:") $$(tail -n 1 $(ARTIFACTS)/pytest-$$name.log | sed -e 's/^=* *//' -e 's/ *=*$$//')")
	}
	summaries=()
	step "ruff check" $(BIN)/ruff check .
	step "mypy salesops" $(BIN)/mypy salesops
	step "salesops check" $(BIN)/salesops check
	step "salesops makemigrations --check --dry-run" $(BIN)/salesops makemigrations --check --dry-run
	run_pytest sqlite DATABASE_URL=
	pg_open() { $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; }
	if ! pg_open && [ -d /etc/postgresql ]; then
		echo; echo ">> starting PostgreSQL"
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -n 1) main start || true
		for _ in $$(seq 40); do pg_open && break; sleep 0.25; done
	fi
	if pg_open; then
		run_pytest postgresql DATABASE_URL=$(PG_URL) DB_TEST_NAME=$(PG_TEST_NAME)
	else
		echo
		echo "#######################################################################################"
		echo "###  PostgreSQL is NOT reachable on 127.0.0.1:5432: the PostgreSQL run was SKIPPED  ###"
		echo "#######################################################################################"
		summaries+=("postgresql: SKIPPED - no PostgreSQL on 127.0.0.1:5432")
		if [ "$${CI:-}" = true ]; then failed+=("PostgreSQL run skipped under CI=true"); fi
	fi
	echo
	echo "== summary =="
	printf '%s\n' "$${summaries[@]}"
	echo "total time: $$(( $$(date +%s) - $(STARTED) )) s (set-up included)"
	if [ "$${#failed[@]}" -gt 0 ]; then
		echo "FAILED: $$(IFS=';'; echo "$${failed[*]}")"
		exit 1
	fi
	echo "all checks passed"

# --- Housekeeping --------------------------------------------------------------------------------------------
clean: ## Remove caches and test artifacts (keeps .venv and the data in var/)
	@rm -rf $(ARTIFACTS) .mypy_cache .ruff_cache .hypothesis .pytest_cache
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean ## Also remove .venv and var/ (the local database)
	@rm -rf $(VENV) var
