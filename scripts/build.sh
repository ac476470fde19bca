#!/usr/bin/env bash
# Build the site into site/ with strict checks; `scripts/build.sh serve` previews it with live reload instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
if [ "${1:-}" = "serve" ]; then
  shift
  exec mkdocs serve "$@"
fi
exec mkdocs build --strict "$@"
