#!/usr/bin/env bash
# The whole test suite: installs missing Debian packages, then builds and runs
#   1. unit, vector, simulation, differential and interop tests under ASan+UBSan (build/)
#   2. constant-time evidence under valgrind memcheck (build-ct/)
#   3. every libFuzzer harness for a short run (build-fuzz/)
#   4. the Cortex-M4 cross build and freestanding check (build-m4/)
# Interop tests need root (network namespaces, TAP); they are skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build -j"$jobs"
cmake -S . -B build-ct -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAMORI_SANITIZE=OFF -DMAMORI_CT_VALGRIND=ON >/dev/null
cmake --build build-ct -j"$jobs" --target ct_all
CC=clang cmake -S . -B build-fuzz -DMAMORI_FUZZ=ON -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-fuzz -j"$jobs"
bench/footprint.sh build-m4 >/dev/null

exclude=()
[ "$(id -u)" -eq 0 ] || { echo "not root: skipping interop tests"; exclude=(-LE interop); }
(cd build && ctest --output-on-failure -j"$jobs" "${exclude[@]}")
(cd build-ct && ctest --output-on-failure -j"$jobs" -L ct)
scripts/fuzz.sh build-fuzz "${MAMORI_FUZZ_SECONDS:-10}"
