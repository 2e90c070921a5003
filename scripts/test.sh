#!/usr/bin/env bash
# Runs the whole test suite (installs what it needs first): ruff, import contracts, mypy, then pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/lint-imports  # the arrows between rooms (docs/architecture.md)
.venv/bin/mypy  # the packages and rooms [tool.mypy] files lists in pyproject.toml
exec .venv/bin/python -m pytest "$@"
