#!/usr/bin/env bash
# TLS 1.3 over mamori's own TCP (src/tls/tcp.c) on a TAP device in a private
# namespace: mamori-node --tls-echo against `openssl s_client`, curl and a
# Python ssl client (1 MB echoed, SHA-256 compared), with P-256 (PKCS#8 and
# SEC1), Ed25519 and RSA (PKCS#1) server keys and a required client
# certificate; mamori-node --tls-get against `openssl s_server -www` (host
# name via --sni, IP literal, a wrong CA refused), and the same GET over
# mamori's BSD-style sockets (test_tls_socket get).
. "$(dirname "$0")/lib.sh"

PORT=4433
PEER_PID=""
stop_peer() {
    if [ -n "$PEER_PID" ]; then kill "$PEER_PID" 2>/dev/null || true; wait "$PEER_PID" 2>/dev/null || true; fi
    PEER_PID=""
}
trap 'stop_peer; cleanup' EXIT

# PKI: a CA, server certificates for mamori (IP SAN) and for the kernel side.
cd "$WORK"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
openssl req -new -x509 -key ca.key -subj "/CN=interop CA" -days 2 -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key 2>/dev/null
openssl req -new -x509 -key other.key -subj "/CN=other CA" -days 2 -out other.pem 2>/dev/null
issue() { # issue NAME SAN KEYKIND
    case $3 in
    p256 | sec1) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    ed25519) openssl genpkey -algorithm ed25519 -out "$1.key" ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
    esac 2>/dev/null
    openssl req -new -key "$1.key" -subj "/CN=$1" -out "$1.csr" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$2" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    case $3 in
    sec1) openssl ec -in "$1.key" -out "$1.key" 2>/dev/null ;;
    rsa) openssl rsa -in "$1.key" -traditional -out "$1.key" 2>/dev/null ;;
    esac
}
issue node_p256 "IP:$NODE_IP,DNS:node.test" p256
issue node_sec1 "IP:$NODE_IP" sec1
issue node_ed25519 "IP:$NODE_IP" ed25519
issue node_rsa "IP:$NODE_IP" rsa
issue kernel "IP:$KERNEL_IP,DNS:kernel.test" p256
issue client "DNS:client.test" p256
grep -q "BEGIN EC PRIVATE KEY" node_sec1.key && grep -q "BEGIN RSA PRIVATE KEY" node_rsa.key
cd - >/dev/null

setup_ns
head -c 1048576 /dev/urandom >"$WORK/1mb"

cat >"$WORK/echo1mb.py" <<'PY'
# One thread: an OpenSSL connection must not be read and written from two
# threads at once, so sending and receiving alternate, with at most 64 KB
# of the echo outstanding (the socket buffers hold that much).
import hashlib, socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
data = open(sys.argv[3], "rb").read()
s = ctx.wrap_socket(socket.create_connection((sys.argv[2], 4433), timeout=30), server_hostname=sys.argv[2])
got = bytearray()
sent = 0
while len(got) < len(data):
    if sent < len(data) and sent - len(got) < 65536:
        s.sendall(data[sent:sent + 16384])
        sent = min(sent + 16384, len(data))
        continue
    b = s.recv(65536)
    if not b: break
    got += b
print(s.version(), s.cipher()[0], len(got), hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest())
s.unwrap(); s.close()
PY

for kind in p256 sec1 ed25519 rsa; do
    start_node --tls-echo "$PORT" --cert "$WORK/node_$kind.pem" --key "$WORK/node_$kind.key"
    out=$(echo "hello mamori $kind" | in_ns timeout 20 openssl s_client -connect "$NODE_IP:$PORT" -tls1_3 \
        -CAfile "$WORK/ca.pem" -verify_return_error -verify_ip "$NODE_IP" -quiet 2>&1 || true)
    if grep -q "hello mamori $kind" <<<"$out"; then ok "s_client echo, $kind key"; else
        not_ok "s_client echo, $kind key"; echo "$out" | tail -5; cat "$WORK/node.out" | tail -5; fi
    if [ "$kind" = p256 ]; then
        out=$(in_ns timeout 60 python3 "$WORK/echo1mb.py" "$WORK/ca.pem" "$NODE_IP" "$WORK/1mb" 2>&1 || true)
        if [ "$out" = "TLSv1.3 TLS_AES_256_GCM_SHA384 1048576 True" ] || grep -q "TLSv1.3 .* 1048576 True" <<<"$out"; then
            ok "1 MB echoed intact ($out)"; else not_ok "1 MB echo: $out"; tail -5 "$WORK/node.out"; fi
        in_ns timeout 5 curl -sS -v --http0.9 --max-time 3 --cacert "$WORK/ca.pem" \
            "https://$NODE_IP:$PORT/" >"$WORK/curl.out" 2>"$WORK/curl.err" || true
        if grep -q "GET / HTTP/1.1" "$WORK/curl.out" && grep -q "TLSv1.3" "$WORK/curl.err" &&
            grep -qi "certificate verify ok" "$WORK/curl.err"; then ok "curl --cacert: verified, request echoed"
        else not_ok "curl"; tail -5 "$WORK/curl.err"; fi
    fi
    stop_node || true
    grep -q "tls-echo: TLS 1.3 suite" "$WORK/node.out" && ok "node reports parameters ($kind)" || not_ok "node parameters ($kind)"
done

# Required client certificate.
start_node --tls-echo "$PORT" --cert "$WORK/node_p256.pem" --key "$WORK/node_p256.key" --client-ca "$WORK/ca.pem"
out=$(echo "with cert" | in_ns timeout 20 openssl s_client -connect "$NODE_IP:$PORT" -tls1_3 \
    -CAfile "$WORK/ca.pem" -cert "$WORK/client.pem" -key "$WORK/client.key" -quiet 2>&1 || true)
grep -q "with cert" <<<"$out" && ok "client certificate accepted" || { not_ok "client certificate accepted"; echo "$out" | tail -3; }
out=$(echo "without cert" | in_ns timeout 20 openssl s_client -connect "$NODE_IP:$PORT" -tls1_3 \
    -CAfile "$WORK/ca.pem" -quiet 2>&1 || true)
! grep -q "^without cert" <<<"$out" && ok "missing client certificate refused" || not_ok "missing client certificate refused"
stop_node || true
grep -q "alert 116 sent" "$WORK/node.out" && ok "certificate_required alert" || { not_ok "certificate_required alert"; tail -5 "$WORK/node.out"; }

# --tls-get against openssl s_server -www on the kernel side.
s_server() { # ip netns exec directly, not in_ns: $! must be the server itself
    ip netns exec "$NS" openssl s_server -accept "$KERNEL_IP:$PORT" -tls1_3 -www -cert "$WORK/kernel.pem" \
        -key "$WORK/kernel.key" "$@" >"$WORK/s_server.out" 2>&1 &
    PEER_PID=$!
    for _ in $(seq 100); do in_ns ss -Hltn "sport = :$PORT" | grep -q LISTEN && return 0; sleep 0.05; done
}
get() { # get OUT [options]: runs the node until --tls-get stops it
    local out=$1
    shift
    in_ns timeout 30 "$BUILD/mamori-node" --tap "$TAP" --addr "$NODE_IP/24" --mac "$NODE_MAC" \
        --tls-get "$KERNEL_IP:$PORT" "$@" >"$WORK/$out" 2>&1 || true
}
s_server
get get1.out --ca "$WORK/ca.pem" --sni kernel.test
if grep -q "HTTP/1.0 200 ok" "$WORK/get1.out" && grep -q "tls-get: TLS 1.3 suite TLS_AES_128_GCM_SHA256 group x25519 signature ecdsa_secp256r1_sha256" "$WORK/get1.out"; then
    ok "--tls-get --sni kernel.test: $(grep 'tls-get: TLS' "$WORK/get1.out")"
else not_ok "--tls-get --sni"; tail -8 "$WORK/get1.out"; fi
get get2.out --ca "$WORK/ca.pem"
grep -q "HTTP/1.0 200 ok" "$WORK/get2.out" && ok "--tls-get by IP literal" || { not_ok "--tls-get by IP"; tail -5 "$WORK/get2.out"; }
get get3.out --ca "$WORK/other.pem" --sni kernel.test
if ! grep -q "HTTP/1.0 200" "$WORK/get3.out" && grep -q "handshake failed" "$WORK/get3.out"; then
    ok "--tls-get with the wrong CA refused: $(grep 'handshake failed' "$WORK/get3.out")"
else not_ok "--tls-get wrong CA"; tail -5 "$WORK/get3.out"; fi
get get4.out --ca "$WORK/ca.pem" --sni wrong.test
grep -q "handshake failed" "$WORK/get4.out" && ok "--tls-get with a wrong name refused" || not_ok "--tls-get wrong name"
# The same fetch over mamori's BSD-style sockets (mamori/tls_socket.h):
# tests/unit/test_tls_socket.c in its "get" mode, to the server's close_notify.
openssl x509 -in "$WORK/ca.pem" -outform der -out "$WORK/ca.der"
in_ns timeout 30 "$BUILD/test_tls_socket" get "$TAP" "$NODE_IP" "$KERNEL_IP" "$PORT" "$WORK/ca.der" \
    kernel.test >"$WORK/bsd.out" 2>&1 || true
if grep -q "HTTP/1.0 200 ok" "$WORK/bsd.out" && grep -q "tls-bsd: TLS 1.3 suite 1301" "$WORK/bsd.out" &&
    grep -q "tls-bsd: close_notify" "$WORK/bsd.out"; then ok "BSD socket + TLS GET, close_notify seen"
else not_ok "BSD socket + TLS GET"; grep -v "^  " "$WORK/bsd.out" | tail -5; fi
stop_peer
PORT=4434
s_server -alpn http/1.1
get get5.out --ca "$WORK/ca.pem" --sni kernel.test --alpn http/1.1
grep -q "alpn 'http/1.1'" "$WORK/get5.out" && ok "--tls-get --alpn http/1.1" || { not_ok "--tls-get --alpn"; grep -v "^  " "$WORK/get5.out" | tail -5; }
stop_peer
finish
