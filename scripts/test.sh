#!/usr/bin/env bash
# Installs what is needed, builds every flavour of the project and runs every
# test: unit and integration tests on the release build, the same under
# AddressSanitizer/UBSan, and the libFuzzer targets for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release asan fuzz
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
echo "== release build"
ctest --test-dir build --output-on-failure -j2 || status=1
echo "== AddressSanitizer/UBSan build"
ctest --test-dir build-asan --output-on-failure -j2 || status=1
echo "== fuzz targets"
ctest --test-dir build-fuzz --output-on-failure -L fuzz || status=1
exit $status
