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
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
