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
# The layers as a contract: a UI module importing storage, a service importing Qt, SQL
# outside storage or the hub reaching into the client fails the run (pyproject.toml).
.venv/bin/lint-imports
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
