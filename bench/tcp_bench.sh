#!/usr/bin/env bash
# TCP benchmarks (run as root; see docs/bench.md "TCP"):
#  1. CPU cost: callgrind instructions per byte between two mamori stacks on
#     a perfect virtual wire (gcc -O2), setup cost subtracted.
#  2. Throughput over TAP, mamori-node vs the Linux kernel, both directions,
#     and kernel-to-kernel over a veth pair with the same Python peers.
# Usage: bench/tcp_bench.sh BUILD_DIR (a Release build with mamori-node) [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(cd "${1:?usage: tcp_bench.sh BUILD_DIR [MB]}" && pwd)
MB=${2:-200}
out=$(mktemp -d)
NS1="mamori-b$$a" NS2="mamori-b$$b"
NODE_PID=""
cleanup() {
    [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true
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

cat >"$out/send.py" <<'PY'
import socket, sys, time
host, port, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = bytes(range(256)) * 4096
s = socket.create_connection((host, port), timeout=60)
t0 = time.time()
left = total
while left:
    n = s.send(block[: min(left, len(block))])
    left -= n
s.shutdown(socket.SHUT_WR)
while s.recv(65536):
    pass
dt = time.time() - t0
print("%.0f Mbit/s" % (total * 8 / dt / 1e6))
PY
cat >"$out/recv.py" <<'PY'
import socket, sys, time
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((sys.argv[1], int(sys.argv[2])))
l.listen(1)
c, _ = l.accept()
n = 0
t0 = None
while True:
    d = c.recv(1 << 20)
    if t0 is None:
        t0 = time.time()
    if not d:
        break
    n += len(d)
dt = time.time() - t0
print("%.0f Mbit/s" % (n * 8 / dt / 1e6), flush=True)
PY
bytes=$((MB * 1024 * 1024))
wait_listen() { for _ in $(seq 100); do ip netns exec "$1" ss -ltn | grep -q ":$2 " && return 0; sleep 0.05; done; }

ip netns add "$NS1"
ip netns exec "$NS1" ip link set lo up
ip netns exec "$NS1" ip tuntap add dev mtap0 mode tap
ip netns exec "$NS1" ip link set mtap0 up
ip netns exec "$NS1" ip addr add 198.18.0.1/24 dev mtap0
start() {
    ip netns exec "$NS1" "$BUILD/mamori-node" --tap mtap0 --addr 198.18.0.2/24 "$@" >"$out/node.out" 2>&1 &
    NODE_PID=$!
    for _ in $(seq 100); do grep -q '^ready' "$out/node.out" && return 0; sleep 0.05; done
}
stop() { kill "$NODE_PID"; wait "$NODE_PID" || true; NODE_PID=""; }
start --tcp-discard 9 --tcp-no-digest
echo "TAP kernel -> mamori ($MB MB): $(ip netns exec "$NS1" python3 "$out/send.py" 198.18.0.2 9 $bytes)"
stop
ip netns exec "$NS1" python3 "$out/recv.py" 198.18.0.1 5001 >"$out/recv.out" &
rp=$!
wait_listen "$NS1" 5001
start --tcp-source 198.18.0.1:5001:$bytes --tcp-no-digest
wait $rp
echo "TAP mamori -> kernel ($MB MB): $(cat "$out/recv.out")"
stop

ip netns add "$NS2"
ip link add vb0 netns "$NS1" type veth peer name vb1 netns "$NS2"
ip netns exec "$NS1" ip addr add 198.18.1.1/24 dev vb0
ip netns exec "$NS2" ip addr add 198.18.1.2/24 dev vb1
ip netns exec "$NS1" ip link set vb0 up
ip netns exec "$NS2" ip link set vb1 up
ip netns exec "$NS2" python3 "$out/recv.py" 198.18.1.2 5001 >"$out/recv.out" &
rp=$!
wait_listen "$NS2" 5001
ip netns exec "$NS1" python3 "$out/send.py" 198.18.1.2 5001 $bytes >/dev/null
wait $rp
echo "veth kernel -> kernel ($MB MB): $(cat "$out/recv.out")"
