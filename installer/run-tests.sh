#!/usr/bin/env bash
# Installs everything the tests need (Python packages, Qt's system libraries, a CUPS
# PDF printer, a throwaway PostgreSQL server) and runs the whole suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/install.sh --dev
# Captured first so that a failing script stops the run (eval "$(...)" would hide it).
cups_env=$(bash installer/ci-cups.sh)
eval "$cups_env"
postgres_env=$(bash installer/ci-postgres.sh)
eval "$postgres_env"
# The house rules, checked by tools (configured in pyproject.toml). Each runs even when
# one before it failed, and the tests run too; the run fails at the end if any failed.
failed=()
# Lint: a new finding of the chosen rule sets fails the run.
.venv/bin/ruff check src tests bench || failed+=("ruff check")
# Format: the tree is as `ruff format` leaves it (docs/development.md).
.venv/bin/ruff format --check src tests bench || failed+=("ruff format")
# Types: no type error anywhere in src/windowdesk (strict in domain/, sync/protocol.py, storage/,
# hub/services/, hub/storage/; the rest relaxed: pyproject.toml says how and why). Incremental
# through .mypy_cache when the checkout keeps it between runs.
.venv/bin/mypy || failed+=("mypy")
# The layers as a contract: a UI module importing storage, a service importing Qt, SQL
# outside storage or the hub reaching into the client fails the run.
.venv/bin/lint-imports || failed+=("lint-imports")
# Spread over the machine's cores (pytest-xdist; every test is xdist-safe, docs/development.md):
# serially the suite now takes over 20 minutes. WINDOWDESK_TEST_WORKERS=0 runs it in one process.
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -n "${WINDOWDESK_TEST_WORKERS:-auto}" "$@" || failed+=("pytest")
if ((${#failed[@]})); then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
