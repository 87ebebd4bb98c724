#!/usr/bin/env bash
# Builds Reptut. Usage: scripts/build.sh [release|asan|fuzz]...  (default: release)
#   release -> build/       (RelWithDebInfo, g++)
#   asan    -> build-asan/  (AddressSanitizer + UBSan, g++)
#   fuzz    -> build-fuzz/  (clang, libFuzzer targets)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
[ $# -eq 0 ] && set -- release
for kind in "$@"; do
  case "$kind" in
    release) dir=build; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
    asan) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DREPTUT_SANITIZE=ON) ;;
    fuzz) dir=build-fuzz; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DREPTUT_FUZZ=ON
                                -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
    *) echo "build.sh: unknown build kind '$kind' (release, asan, fuzz)" >&2; exit 2 ;;
  esac
  # Our own builds treat warnings as errors; ccache, when installed, keeps
  # rebuilds of the three build directories short.
  args+=(-DREPTUT_WERROR=ON)
  if command -v ccache >/dev/null 2>&1; then args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
  cmake -S . -B "$dir" "${args[@]}" >/dev/null
  if [ "$kind" = fuzz ]; then
    # Only the fuzz targets: tests/fuzz/<name>/ builds fuzz_<name>.
    targets=()
    for d in tests/fuzz/*/; do targets+=("fuzz_$(basename "$d")"); done
    cmake --build "$dir" -j"$jobs" --target "${targets[@]}"
  else
    cmake --build "$dir" -j"$jobs"
  fi
done
