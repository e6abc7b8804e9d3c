#!/usr/bin/env bash
# TLS benchmark of issue 6: full-handshake CPU time and bulk throughput of
# mamori vs OpenSSL vs Mbed TLS vs wolfSSL, one process, each library's
# client against its own server in memory (see bench/bench_tls.c).
#  1. Installs the Debian development packages of the other libraries if they
#     are missing (libssl-dev, libmbedtls-dev, libwolfssl-dev).
#  2. Builds mamori's static library as a Release build without sanitizers in
#     build-bench-tls/ (or $BENCH_BUILD).
#  3. Makes a throw-away PKI with the openssl CLI in a temporary directory:
#     an ECDSA P-256 CA and a P-256 server certificate it signs for
#     bench.mamori.test.
#  4. Compiles bench/bench_tls.c with -O2 and runs it.
# Usage: bench/bench_tls.sh [--md] [--wall] [seconds-per-round [rounds [MiB-per-round]]]
# Not part of the test suite: timings are not pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
out=${BENCH_BUILD:-build-bench-tls}
cc=${CC:-cc}

need=()
[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
[ -f /usr/include/mbedtls/ssl.h ] || need+=(libmbedtls-dev)
[ -f /usr/include/wolfssl/options.h ] || need+=(libwolfssl-dev)
command -v openssl >/dev/null || need+=(openssl)
bench_install ${need[@]+"${need[@]}"}

mkdir -p "$out"
cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=Release -DMAMORI_SANITIZE=OFF -DMAMORI_TESTS=OFF \
    >"$out/cmake.log" 2>&1 &&
    cmake --build "$out" --target mamori -j2 >>"$out/cmake.log" 2>&1 ||
    { echo "mamori: Release build failed, see $out/cmake.log" >&2; exit 1; }
echo "mamori: $out/libmamori.a (CMake Release, no sanitizers)" >&2

pki=$(mktemp -d)
trap 'rm -rf "$pki"' EXIT
openssl ecparam -name prime256v1 -genkey -noout -out "$pki/ca.key"
openssl req -new -x509 -key "$pki/ca.key" -subj "/CN=mamori bench CA" -days 30 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
    -out "$pki/ca.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$pki/server.key"
openssl req -new -key "$pki/server.key" -subj "/CN=bench.mamori.test" -out "$pki/server.csr"
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:bench.mamori.test" >"$pki/server.ext"
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -sha256 -extfile "$pki/server.ext" -out "$pki/server.pem" 2>/dev/null

"$cc" -std=c11 -O2 -Wall -Wextra -Werror -Iinclude bench/bench_tls.c bench/bench_tls_wolf.c \
    "$out/libmamori.a" \
    -lssl -lcrypto -lmbedtls -lmbedx509 -lmbedcrypto -lwolfssl -o "$out/bench_tls"
opts=()
while [ $# -gt 0 ] && [ "${1#--}" != "$1" ]; do opts+=("$1"); shift; done
bench_conditions
"$out/bench_tls" "${opts[@]}" "$pki/ca.pem" "$pki/server.pem" "$pki/server.key" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
