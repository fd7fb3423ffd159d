#!/usr/bin/env bash
# The whole test suite: lint and types, then every test on SQLite and again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${PG_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}
export PYTHONDONTWRITEBYTECODE=1
# Tests run in parallel processes (pytest-xdist), one per core unless PEIFU_TEST_WORKERS says otherwise;
# each process has its own database (tests/conftest.py) and picks free ports.
WORKERS=${PEIFU_TEST_WORKERS:-auto}

echo "== ruff"
$BIN/ruff check src tests benchmarks examples
$BIN/ruff format --check src tests benchmarks examples
echo "== layering contract (import-linter)"
$BIN/lint-imports
echo "== mypy"
$BIN/mypy

bash scripts/ensure-chromium.sh
# the TypeScript generator the generated-clients test runs (tests/project/test_site_docs.py)
if command -v npm >/dev/null; then (cd clients/typescript && npm ci --silent --no-audit --no-fund); fi
mkdir -p test-output

echo "== tests on SQLite"
$BIN/python -m pytest -n "$WORKERS" "$@"

# The tests that touch no database (tests/domain, tests/project) ran above; the second pass runs
# every level that stores something, now on PostgreSQL.
echo "== tests on PostgreSQL"
bash scripts/ensure-postgres.sh
PEIFU_TEST_DATABASE_URL=$PG_URL $BIN/python -m pytest -n "$WORKERS" \
    tests/service tests/api tests/web tests/browser tests/security tests/integration "$@"
