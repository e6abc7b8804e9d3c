#!/usr/bin/env bash
# TCP benchmarks (run as root; see docs/bench.md "TCP"):
#  1. CPU cost: callgrind instructions per byte between two mamori stacks on
#     a perfect virtual wire (gcc -O2), setup cost subtracted.
#  2. Throughput over TAP, mamori-node vs the Linux kernel, both directions,
#     with the TAP offloads (virtio headers, 64 KB super-segments) and
#     without (--no-offload); kernel -> lwIP over TAP, lwIP built from
#     Debian's source by bench/lwip_tcp_bench.sh with its default window and
#     with 64 KB; kernel-to-kernel over a veth pair. The same Python peers
#     (bench/tcp_peer.py) everywhere; ROUNDS rounds, interleaved so that load
#     from elsewhere hits every row alike; each row's median and all runs.
# Usage: bench/tcp_bench.sh BUILD_DIR (a Release build with mamori-node) [MB]
#        ROUNDS=3 by default; LWIP=0 leaves lwIP out.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(cd "${1:?usage: tcp_bench.sh BUILD_DIR [MB]}" && pwd)
MB=${2:-200}
ROUNDS=${ROUNDS:-3}
out=$(mktemp -d)
NS1="mamori-b$$a" NS2="mamori-b$$b"
[ "${LWIP:-1}" = 1 ] && LWIP_DIR=$(bash bench/lwip_tcp_bench.sh build)
NODE_PID=""
cleanup() {
    # what still runs in our namespaces (a run cut short) is ours
    for ns in "$NS1" "$NS2"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
    ip netns del "$NS1" 2>/dev/null || true
    ip netns del "$NS2" 2>/dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT

srcs=$(find src/core src/net -name '*.c'; echo src/crypto/{sha256,sha512,hash,hmac,drbg,backend}.c port/posix/vwire.c port/posix/sim.c)
gcc -std=c11 -O2 -Iinclude -Isrc -Iport $srcs bench/tcp_vwire.c -o "$out/tcp_vwire"
bytes=$((8 << 20))
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$out/tcp_vwire" "$1" >/dev/null 2>&1
    callgrind_annotate "$out/cg" | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1}'
}
total=$(ir $bytes)
base=$(ir 0)
echo "CPU: $(( (total - base) / bytes )).$(( (total - base) * 100 / bytes % 100 )) instructions per byte (both stacks and the wire, 8 MB one way)"

bytes=$((MB * 1024 * 1024))
peer() { ip netns exec "$1" timeout 120 python3 bench/tcp_peer.py "${@:2}"; }
wait_listen() { for _ in $(seq 100); do ip netns exec "$1" ss -ltn | grep -q ":$2 " && return 0; sleep 0.05; done; }

ip netns add "$NS1"
ip netns exec "$NS1" ip link set lo up
ip netns exec "$NS1" ip tuntap add dev mtap0 mode tap
ip netns exec "$NS1" ip link set mtap0 up
ip netns exec "$NS1" ip addr add 198.18.0.1/24 dev mtap0
ip netns add "$NS2"
ip link add vb0 netns "$NS1" type veth peer name vb1 netns "$NS2"
ip netns exec "$NS1" ip addr add 198.18.1.1/24 dev vb0
ip netns exec "$NS2" ip addr add 198.18.1.2/24 dev vb1
ip netns exec "$NS1" ip link set vb0 up
ip netns exec "$NS2" ip link set vb1 up

start() {
    ip netns exec "$NS1" "$BUILD/mamori-node" --tap mtap0 --addr 198.18.0.2/24 --tcp-no-digest "$@" >"$out/node.out" 2>&1 &
    NODE_PID=$!
    for _ in $(seq 100); do grep -qs '^ready' "$out/node.out" && return 0; sleep 0.05; done
    echo "tcp_bench: mamori-node $* did not start:" >&2
    cat "$out/node.out" >&2
}
# CPU time (user + system) of the node so far, in ms per 100 MB moved.
cpu() { awk -v t="$(getconf CLK_TCK)" -v mb="$MB" '{printf "%.0f", ($14 + $15) * 1000 / t * 100 / mb}' "/proc/$NODE_PID/stat"; }
stop() { kill "$NODE_PID"; wait "$NODE_PID" || true; NODE_PID=""; }
# kernel -> mamori, measured at the kernel's sender; extra node options follow.
to_mamori() {
    start --tcp-discard 9 "$@"
    echo "$(peer "$NS1" send 198.18.0.2 9 $bytes) $(cpu)"
    stop
}
# mamori -> kernel, measured at the kernel's receiver.
from_mamori() {
    peer "$NS1" recv 198.18.0.1 5001 >"$out/recv.out" &
    local rp=$!
    wait_listen "$NS1" 5001
    start --tcp-source 198.18.0.1:5001:$bytes "$@"
    wait $rp
    echo "$(cat "$out/recv.out") $(cpu)"
    stop
}
veth() {
    peer "$NS2" recv 198.18.1.2 5001 >"$out/recv.out" &
    local rp=$!
    wait_listen "$NS2" 5001
    peer "$NS1" send 198.18.1.2 5001 $bytes >/dev/null
    wait $rp
    echo "$(cat "$out/recv.out") -"
}
lwip() { bash bench/lwip_tcp_bench.sh measure "$LWIP_DIR/lwip-discard-$1" "$MB"; }

rows=("TAP kernel -> mamori (offload)|to_mamori"
    "TAP kernel -> mamori (--no-offload)|to_mamori --no-offload")
[ -n "${LWIP_DIR:-}" ] && rows+=("TAP kernel -> lwIP (TCP_WND 4*MSS)|lwip 4mss" "TAP kernel -> lwIP (TCP_WND 64 KB)|lwip 64k")
rows+=("veth kernel -> kernel|veth"
    "TAP mamori -> kernel (offload)|from_mamori"
    "TAP mamori -> kernel (--no-offload)|from_mamori --no-offload")
declare -A rates cpus
for round in $(seq "$ROUNDS"); do
    for row in "${rows[@]}"; do
        result=$(${row#*|}) || true # waits for the row's processes to end
        read -r rate cpu_ms <<<"$result"
        rates[$row]+="${rate:-fail} "
        cpus[$row]+="${cpu_ms:--} "
    done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "Throughput, $MB MB per run, $ROUNDS rounds: Mbit/s (median, every run); CPU time of"
echo "the mamori or lwIP process in ms per 100 MB (median)"
[ -n "${LWIP_DIR:-}" ] && echo "  (lwIP: $(basename "$(ls -d "$LWIP_DIR"/lwip-*/ | head -1)"), Debian source, unix port tapif)"
for row in "${rows[@]}"; do
    printf '  %-38s %6s   (%s)   %s\n' "${row%|*}" "$(median "${rates[$row]}")" "${rates[$row]% }" "$(median "${cpus[$row]}")"
done
