# Shared helpers for interop tests: a network namespace with a TAP device for
# mamori and the Linux kernel on the other side. Sourced by test_*.sh.
# Everything is torn down on exit, also on failure.
set -euo pipefail

BUILD=${1:?usage: test_x.sh BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd)
NS="mamori-t$$"
TAP=mtap0
KERNEL_IP=198.18.0.1
NODE_IP=198.18.0.2
NODE_MAC=02:6d:61:6d:00:02
NODE_PID=""
WORK=$(mktemp -d)
passed=0
failed=0

cleanup() {
    [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

in_ns() { ip netns exec "$NS" "$@"; }

ok() { passed=$((passed + 1)); echo "ok: $*"; }
not_ok() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { # check "description" command...
    local what=$1
    shift
    if "$@"; then ok "$what"; else not_ok "$what"; fi
}

setup_ns() {
    ip netns add "$NS"
    in_ns ip link set lo up
    in_ns ip tuntap add dev "$TAP" mode tap
    in_ns ip link set "$TAP" up
    in_ns ip addr add "$KERNEL_IP/24" dev "$TAP"
}

# start_node [mamori-node options...]: runs mamori-node on the TAP and waits for "ready".
start_node() {
    ip netns exec "$NS" "$BUILD/mamori-node" --tap "$TAP" --addr "$NODE_IP/24" --mac "$NODE_MAC" "$@" >"$WORK/node.out" 2>"$WORK/node.err" &
    NODE_PID=$!
    for _ in $(seq 100); do
        grep -q '^ready' "$WORK/node.out" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "mamori-node did not become ready"; cat "$WORK/node.err"
    return 1
}

# stop_node: SIGTERM, expect exit 0 and the counters on stdout.
stop_node() {
    kill -TERM "$NODE_PID"
    local rc=0
    wait "$NODE_PID" || rc=$?
    NODE_PID=""
    return $rc
}

# counter NAME: a counter printed by the last stopped node.
counter() { awk -v n="$1" '$1==n {print $2}' "$WORK/node.out"; }

finish() {
    echo "$(basename "$0" .sh): $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
