#!/usr/bin/env bash
# Builds mamori (host, release) and runs the demo: two stacks on the
# in-process virtual wire. Needs only cmake, make and a C compiler, which
# it installs if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh cmake make gcc
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=Release -DMAMORI_TESTS=OFF >/dev/null
cmake --build build-demo -j2 --target demo >/dev/null
exec ./build-demo/demo "$@"
