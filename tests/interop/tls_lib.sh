# Shared helpers for the TLS interop tests: a private network namespace
# (loopback only), certificates made with openssl, and the mamori end
# ($BUILD/test_tls_fd). Sourced by test_tls_*.sh; everything is removed on
# exit, also on failure.
set -euo pipefail

BUILD=${1:?usage: test_tls_x.sh BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd)
TOOL="$BUILD/test_tls_fd"
NS="mamori-tls$$"
WORK=$(mktemp -d)
PEER_PID=""
PORT=4433
passed=0
failed=0

cleanup() {
    if [ -n "$PEER_PID" ]; then kill "$PEER_PID" 2>/dev/null || true; wait "$PEER_PID" 2>/dev/null || true; fi
    ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

in_ns() { ip netns exec "$NS" "$@"; }
ok() { passed=$((passed + 1)); echo "ok: $*"; }
not_ok() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() {
    echo "$(basename "$0" .sh): $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

setup_ns() {
    ip netns add "$NS"
    in_ns ip link set lo up
}

# make_cert NAME KIND: NAME.pem/.key (openssl), NAME.der, NAME.raw (the key
# as mamori_tls_identity_t takes it), NAME.pin (SPKI SHA-256 hex).
make_cert() {
    local n=$WORK/$1
    case $2 in
    ed25519) openssl genpkey -algorithm ed25519 -out "$n.key" ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$n.key" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$n.key" ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$n.key" ;;
    esac 2>/dev/null
    openssl req -new -x509 -key "$n.key" -subj /CN=localhost -days 30 \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out "$n.pem" 2>/dev/null
    openssl x509 -in "$n.pem" -outform DER -out "$n.der"
    openssl x509 -in "$n.pem" -pubkey -noout | openssl pkey -pubin -outform DER |
        openssl dgst -sha256 -binary | od -An -tx1 | tr -d ' \n' >"$n.pin"
    case $2 in
    ed25519) openssl pkey -in "$n.key" -outform DER | tail -c 32 >"$n.raw" ;;
    p256 | p384) openssl pkey -in "$n.key" -text -noout | sed -n '/^priv:/,/^pub:/p' |
        grep -v 'priv:\|pub:' | tr -d ' :\n' | python3 -c "
import sys; h=sys.stdin.read(); w=${2#p}//8*2
sys.stdout.buffer.write(bytes.fromhex(h[-w:].rjust(w,'0')))" >"$n.raw" ;;
    rsa) openssl rsa -in "$n.key" -traditional -outform DER -out "$n.raw" 2>/dev/null ;;
    esac
}

# wait_port: until something listens on $PORT inside the namespace (without
# connecting: the peers accept a single connection).
wait_port() {
    for _ in $(seq 200); do
        in_ns ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q LISTEN && return 0
        sleep 0.05
    done
    return 1
}

# stop_peer: end the background peer.
stop_peer() {
    if [ -n "$PEER_PID" ]; then kill "$PEER_PID" 2>/dev/null || true; wait "$PEER_PID" 2>/dev/null || true; fi
    PEER_PID=""
}
