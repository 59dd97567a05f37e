# Restons — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Stamps of what is installed in the one venv, per version of pyproject.toml: what running needs,
# and that plus the test extra (which `make test` and development need).
HASH := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.installed-run-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
# The PostgreSQL run of the suite; `make test` skips it with a message when no server answers
# (CI sets RESTONS_REQUIRE_POSTGRES=1, which turns that into a failure).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install run test test-sqlite test-postgres messages bench clean

define new_venv
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
endef

# Running needs the package and its runtime dependencies only.
$(RUN_STAMP):
	$(new_venv)
	$(PY) -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-run-* && touch $(RUN_STAMP)

# The tests add the test extra; that install covers running too, so both stamps are set.
$(TEST_STAMP):
	$(new_venv)
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $(RUN_STAMP) $(TEST_STAMP)

## Everything a developer needs: the package, the test extra (pytest, Playwright, polib…).
install: $(TEST_STAMP)

HOST ?= 127.0.0.1
PORT ?= 8000

## Start Restons on its embedded default (SQLite in the data directory): the web app on http://$(HOST):$(PORT)/.
run: $(RUN_STAMP)
	@$(VENV)/bin/restons serve --host $(HOST) --port $(PORT)

## The whole suite, on SQLite and then on PostgreSQL.
test: install test-sqlite test-postgres

test-sqlite: install
	@echo "== test suite on SQLite =="
	@home=$$(mktemp -d) && RESTONS_HOME=$$home RESTONS_DATABASE_URL= $(PY) -m pytest; rc=$$?; rm -rf $$home; exit $$rc

test-postgres: install
	@echo "== test suite on PostgreSQL ($(TEST_POSTGRES_URL)) =="
	@if ! $(PY) -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' "$(TEST_POSTGRES_URL)" 2>/dev/null; then \
		if [ -n "$$RESTONS_REQUIRE_POSTGRES" ]; then echo "PostgreSQL at $(TEST_POSTGRES_URL) does not answer, and this run requires it." >&2; exit 1; fi; \
		echo "SKIPPED: no PostgreSQL answers at $(TEST_POSTGRES_URL); set TEST_POSTGRES_URL to run the suite on PostgreSQL too."; \
		exit 0; \
	fi; \
	home=$$(mktemp -d) && RESTONS_HOME=$$home RESTONS_DATABASE_URL="$(TEST_POSTGRES_URL)" $(PY) -m pytest; rc=$$?; rm -rf $$home; exit $$rc

## Rebuild the French catalogue from the source (needs GNU gettext); lists what is left to translate.
## Translate with `$(PY) tools/translate.py FILE.json` ({"msgid": "msgstr"}).
messages: install
	cd restons && ../$(VENV)/bin/django-admin makemessages -l fr --no-location --no-obsolete --settings=restons.settings
	@$(PY) tools/translate.py || $(PY) tools/translate.py --list

bench: install
	$(PY) bench/today_stats.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
