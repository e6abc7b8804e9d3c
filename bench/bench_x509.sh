#!/usr/bin/env bash
# X.509 validation time, mamori vs OpenSSL X509_verify_cert, outside the main
# CMake build: compiles src/ with -O2 (no sanitizers) plus bench_x509.c
# against libcrypto and runs it on tests/vectors/x509/.
# Usage: bench/bench_x509.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
srcs=$(ls src/x509/*.c src/crypto/*.c src/core/cursor.c src/core/ct.c src/core/strerror.c)
gcc -std=c11 -O2 -march=native -Iinclude -Isrc bench/bench_x509.c $srcs -lcrypto -o "$out/bench_x509"
echo "$(uname -m), $(gcc -dumpfullversion), $(openssl version | cut -d' ' -f1-2)"
"$out/bench_x509" tests/vectors/x509
