#!/usr/bin/env bash
# Runs the whole test suite (installs what it needs first). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/mypy devices/ offline_cache/ config/ contract/ lifecycle/  # settings: [tool.mypy] in pyproject.toml
exec .venv/bin/python -m pytest "$@"
