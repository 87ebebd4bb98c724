#!/usr/bin/env bash
# Installs, builds the release binaries and prints the benchmark table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
exec /usr/bin/python3 bench/bench.py "$@"
