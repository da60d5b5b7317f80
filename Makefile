# `make run` starts Cocreate; `make test` runs every test. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

N ?= 2

.PHONY: run test quick coverage lint lock demo clean-db replicas catalogs

# Runtime packages (requirements.txt) for `make run`; with the tests' and checks' packages
# (requirements-dev.txt) for `make test` and `make lint`. Both files pin every package.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m workshop init --demo --show-keys --url http://localhost:$(PORT)
	$(VENV)/bin/streamlit run serve.py --server.port $(PORT)

# N app processes behind nginx on PORT, sharing the PostgreSQL in COCREATE_DATABASE_URL.
replicas: $(VENV)/.installed
	$(PY) -m deploy.stack --replicas $(N) --port $(PORT)

# Every test: browsers, real servers, PostgreSQL (started when none answers) and the benches.
test: $(VENV)/.dev-installed
	$(PY) -m pytest -q

# The quick suite while working: unit, integration on DuckDB, the pages (AppTest) and the
# routes (TestClient); no browser, no server process, no PostgreSQL.
QUICK := -m "not e2e and not server and not postgresql" tests
quick: $(VENV)/.dev-installed
	$(PY) -m pytest -q $(QUICK)

# Line coverage of workshop/, web/, ui/ and pages/ by every test but the browser tests
# (those drive a server process of their own, which coverage does not follow).
coverage: $(VENV)/.dev-installed
	$(PY) -m pytest -q --cov=workshop --cov=web --cov=ui --cov=pages --cov-report=term tests --ignore=tests/e2e

# ruff (lint and format), then mypy, strict on workshop/ and web/ (pyproject.toml).
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

# After changing requirements.in or requirements-dev.in: pin every package again.
lock: $(VENV)/.dev-installed
	$(VENV)/bin/uv pip compile -q --python-version 3.11 --annotation-style line -o requirements.txt requirements.in
	$(VENV)/bin/uv pip compile -q --python-version 3.11 --annotation-style line -o requirements-dev.txt requirements-dev.in

# After changing any text people see: extract it into the template, merge it into the Finnish
# catalog (translate what is new or marked fuzzy there), and compile the catalogs.
LOCALE := workshop/locale
catalogs: $(VENV)/.dev-installed
	$(VENV)/bin/pybabel extract -F $(LOCALE)/babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 -k plural:2,3 \
		--no-location --sort-output --omit-header -o $(LOCALE)/cocreate.pot app.py pages ui web workshop
	$(VENV)/bin/pybabel update -D cocreate -i $(LOCALE)/cocreate.pot -d $(LOCALE) --ignore-obsolete --init-missing -l fi
	$(VENV)/bin/pybabel compile -D cocreate -d $(LOCALE) --statistics

# A self-paced demo workshop whose schedule runs through every phase in five minutes while
# simulated people come and go (on the DuckDB file: with the app stopped; or on PostgreSQL).
demo: $(VENV)/.installed
	$(PY) -m workshop demo --self-paced --minutes 5

clean-db:
	rm -f data/cocreate.duckdb data/cocreate.duckdb.wal data/demo-credentials.json
