#!/usr/bin/env bash
# Runs every libFuzzer harness in a fuzz build for a while, starting from its
# seed corpus in fuzz/corpus/<name>/ when there is one. The Ethernet frame
# harness runs for at least 60 s. Usage: scripts/fuzz.sh BUILD_DIR [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
seconds=${2:-10}
passed=0
failed=0
for bin in "$dir"/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    t=$seconds
    [ "$name" = fuzz_eth_frame ] && [ "$t" -lt 60 ] && t=60
    work=$(mktemp -d)
    corpus=()
    [ -d "fuzz/corpus/$name" ] && corpus=("fuzz/corpus/$name")
    if "$bin" -max_total_time="$t" -rss_limit_mb=2048 -print_final_stats=0 "$work" "${corpus[@]}" \
        >"$work.log" 2>&1; then
        passed=$((passed + 1))
        echo "fuzz $name: ${t}s clean, $(grep -o 'cov: [0-9]*' "$work.log" | tail -1)"
    else
        failed=$((failed + 1))
        echo "fuzz $name: FAILED"; tail -40 "$work.log"
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
