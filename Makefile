# `make run` starts Cocreate; `make test` runs every test. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

N ?= 2

.PHONY: run test lint demo clean-db replicas

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m workshop init --url http://localhost:$(PORT)
	$(VENV)/bin/streamlit run serve.py --server.port $(PORT)

# N app processes behind nginx on PORT, sharing the PostgreSQL in COCREATE_DATABASE_URL.
replicas: $(VENV)/.installed
	$(PY) -m deploy.stack --replicas $(N) --port $(PORT)

test: $(VENV)/.installed
	$(PY) -m pytest -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean-db:
	rm -f data/cocreate.duckdb data/cocreate.duckdb.wal data/demo-credentials.json
