#!/usr/bin/env bash
# Installs everything the tests need (Python packages, Qt's system libraries, a CUPS
# PDF printer, a throwaway PostgreSQL server) and runs the whole suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/install.sh --dev
eval "$(bash installer/ci-cups.sh)"
eval "$(bash installer/ci-postgres.sh)"
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
