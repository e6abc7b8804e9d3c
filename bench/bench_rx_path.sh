#!/usr/bin/env bash
# Receive-path cost of the defences (callgrind instructions per frame, with
# MAMORI_DEFENSE on and compiled out) and the rate at which a flood from a
# filtered source is dropped on one core. Builds outside the CMake tree.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-bench/rx}
mkdir -p "$out"
frames=30000
srcs=$(find src/core src/net -name '*.c'; echo src/crypto/{sha256,sha512,hash,hmac,drbg,backend}.c tests/common/capture_port.c)
count() { # count BINARY MODE: instructions per frame under callgrind
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$1" "$2" $frames >/dev/null 2>&1
    local total base
    total=$(callgrind_annotate "$out/cg" | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1}')
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$1" "$2" 0 >/dev/null 2>&1
    base=$(callgrind_annotate "$out/cg" | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1}')
    echo $(( (total - base) / frames ))
}
for defense in 1 0; do
    gcc -std=c11 -O2 -g -DMAMORI_DEFENSE=$defense -Iinclude -Isrc -Itests/common $srcs bench/bench_rx_path.c \
        -o "$out/rx_$defense"
done
off=$(count "$out/rx_0" cost)
on=$(count "$out/rx_1" cost)
rules=$(count "$out/rx_1" cost-rules)
echo "instructions per received frame (UDP/ICMP/ARP mix, gcc -O2):"
echo "  defences compiled out:          $off"
echo "  defaults (class limits, storm): $on  (+$(( (on - off) * 1000 / off / 10 )).$(( (on - off) * 1000 / off % 10 ))%)"
echo "  every rule armed:               $rules  (+$(( (rules - off) * 1000 / off / 10 )).$(( (rules - off) * 1000 / off % 10 ))%)"
"$out/rx_1" flood 3
