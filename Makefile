# Peifu — the obvious targets. Everything runs from a local virtualenv in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
WORKERS ?= auto
PG_URL ?= postgresql://postgres:postgres@127.0.0.1:5432/postgres

.PHONY: help install install-test serve worker relay docs docs-pages docs-serve clients docs-events demo migrate migration test test-fast test-domain test-sqlite test-postgres medusa-e2e lint typecheck format bench bench-engine bench-metrics clean

help:            ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python          ## install peifu into .venv
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python     ## install peifu with the test tools (and the generated Python client)
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet -e ./clients/python

serve: install                  ## run the API on SQLite with demo data and a simulated month (docs at http://127.0.0.1:8000/docs)
	$(BIN)/peifu serve --simulate

worker: install                 ## run a deadline worker (it relays events too)
	$(BIN)/peifu worker

relay: install                  ## relay events out: webhooks, RabbitMQ (PEIFU_AMQP_URL)
	$(BIN)/peifu relay

docs-events: install            ## regenerate docs/events.md from the event catalogue
	$(BIN)/peifu events catalogue --out docs/events.md

docs-pages: install-test        ## regenerate the generated pages: lifecycle, policy and API reference, events
	$(BIN)/python -m peifu.adapters.site_docs docs
	$(BIN)/peifu events catalogue --out docs/events.md

docs: docs-pages                ## the documentation site (zh-CN + English) into site/, strict: no broken links
	$(BIN)/mkdocs build --strict

docs-serve: docs-pages          ## the documentation site with live reload at http://127.0.0.1:8001
	$(BIN)/mkdocs serve -a 127.0.0.1:8001

clients: docs-pages             ## regenerate the Python client (clients/python) and TypeScript types (clients/typescript)
	$(BIN)/openapi-python-client generate --path docs/reference/openapi.json --output-path clients/python --overwrite --config clients/openapi-python-client.yaml
	cd clients/typescript && npm ci --silent && npm run --silent generate

demo: install                   ## seed demo data
	$(BIN)/peifu demo

migrate: install                ## apply database migrations
	$(BIN)/peifu db upgrade

migration: install-test         ## new Alembic migration from the models: make migration m="what changed"
	rm -f /tmp/peifu-migration.db
	$(BIN)/python -c "from peifu.db.migrate import upgrade, revision; upgrade('sqlite:////tmp/peifu-migration.db'); revision('sqlite:////tmp/peifu-migration.db', '$(m)')"

test: install-test              ## lint, types, then the whole suite on SQLite and on PostgreSQL
	bash scripts/test.sh

test-fast: install-test          ## the inner loop: domain, service, API, pages and security on SQLite, in parallel, without the tests marked slow
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow" -p no:cacheprovider tests/domain tests/service tests/api tests/web tests/security

test-domain: install-test        ## the rules alone (tests/domain: no database), in seconds
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow" -p no:cacheprovider tests/domain

test-sqlite: install-test       ## the suite on SQLite only
	$(BIN)/python -m pytest -n $(WORKERS)

test-postgres: install-test     ## the suite on PostgreSQL only
	bash scripts/ensure-postgres.sh
	PEIFU_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n $(WORKERS)

medusa-e2e: install-test        ## the Medusa connector end to end: Medusa 2 from npm on PostgreSQL + Peifu sandbox (integrations/medusa)
	$(BIN)/python -m pytest tests/integration/test_medusa_e2e.py -n 0 -s

lint: install-test              ## ruff, and the layering contract (import-linter, [tool.importlinter] in pyproject.toml)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/lint-imports

format: install-test            ## ruff format + autofix
	$(BIN)/ruff format src tests benchmarks examples
	$(BIN)/ruff check --fix src tests benchmarks examples

typecheck: install-test         ## mypy
	$(BIN)/mypy

bench: install-test             ## every benchmark on PostgreSQL, README sizes (long; see benchmarks/README.md)
	bash scripts/ensure-postgres.sh
	PEIFU_BENCH_DATABASE_URL=$(PG_URL) $(BIN)/python -m benchmarks.run_all

bench-engine: install-test      ## case actions, deadlines, bulk refund vs plain SQL: make bench-engine ARGS="--cases 20000 --due 2000"
	bash scripts/ensure-postgres.sh
	PEIFU_BENCH_DATABASE_URL=$(PG_URL) $(BIN)/python -m benchmarks.engine_bench $(ARGS)

bench-metrics: install-test     ## metrics at scale (default 10 M orders): make bench-metrics ARGS="--orders 1000000 --cases 100000"
	bash scripts/ensure-postgres.sh
	PEIFU_BENCH_DATABASE_URL=$(PG_URL) $(BIN)/python -m benchmarks.metrics_bench $(ARGS)

clean:                          ## remove the virtualenv, caches and the local database
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis peifu.db peifu.db-wal peifu.db-shm test-output site clients/typescript/node_modules
