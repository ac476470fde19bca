#!/usr/bin/env bash
# Create or refresh the project's virtual environment (and node_modules) on first use; sourced by build.sh and test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.installed"
export NO_MKDOCS_2_WARNING=1
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[test]"
  touch "$STAMP"
fi
if [ -f "$ROOT/package-lock.json" ] && { [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; }; then
  (cd "$ROOT" && npm ci --silent --no-audit --no-fund)
fi
# Our modules as bytecode, so that every process imports them without compiling them again, even where
# PYTHONDONTWRITEBYTECODE is set (up-to-date files are skipped; a read-only tree just goes without).
"$VENV/bin/python" -m compileall -q "$ROOT/costhub" "$ROOT/hooks" >/dev/null 2>&1 || true
export PATH="$VENV/bin:$PATH"
