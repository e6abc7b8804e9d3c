#!/usr/bin/env bash
# The mamori TLS 1.3 server (test_tls_fd server) against `openssl s_client`
# and curl on loopback in a private namespace: every suite and group with
# Ed25519, ECDSA P-256/P-384 and RSA-PSS certificates, HelloRetryRequest,
# client certificates, KeyUpdate, tickets and resumption, max_fragment_length,
# 1 MB each way.
# (gnutls-cli is used when installed.)
. "$(dirname "$0")/tls_lib.sh"

setup_ns
for c in ed25519 p256 p384 rsa; do make_cert "srv_$c" "$c"; done
make_cert client p256
scheme_of() { case $1 in ed25519) echo 0807 ;; p256) echo 0403 ;; p384) echo 0503 ;; rsa) echo 0804 ;; esac; }

# server KIND [tool options]: the mamori server, one connection.
server() {
    local kind=$1
    shift
    in_ns timeout 60 "$TOOL" server "$PORT" --cert "$WORK/srv_$kind.der" --key "$WORK/srv_$kind.raw" \
        --scheme "$(scheme_of "$kind")" "$@" >"$WORK/server.out" 2>&1 &
    PEER_PID=$!
    wait_port
}

# s_client KIND OUT [options] < input
s_client() {
    local kind=$1 out=$2
    shift 2
    in_ns timeout 30 openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -servername localhost \
        -CAfile "$WORK/srv_$kind.pem" -verify_return_error "$@" >"$WORK/$out" 2>&1
}

GET=$'GET / HTTP/1.0\r\n\r\n'
for kind in ed25519 p256 p384 rsa; do
    for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
        for group in X25519 P-256; do
            server "$kind" --http
            if printf '%s' "$GET" | s_client "$kind" out -ign_eof -ciphersuites "$suite" -groups "$group" &&
                grep -q "hello from mamori" "$WORK/out" && grep -q "Verify return code: 0" "$WORK/out" &&
                grep -q "Cipher is $suite" "$WORK/out"; then
                ok "$kind cert, $suite, $group"
            else
                not_ok "$kind cert, $suite, $group"; tail -n 20 "$WORK/out" "$WORK/server.out"
            fi
            stop_peer
        done
    done
done

server p256 --http --group x25519
if printf '%s' "$GET" | s_client p256 out -ign_eof -groups P-256:X25519 && grep -q "hello from mamori" "$WORK/out" &&
    grep -q "group 001d" "$WORK/server.out"; then
    ok "HelloRetryRequest (client offered a P-256 share)"
else not_ok "HelloRetryRequest"; tail -n 10 "$WORK/out" "$WORK/server.out"; fi
stop_peer

server ed25519 --http --client-pin "$(cat "$WORK/client.pin")"
if printf '%s' "$GET" | s_client ed25519 out -ign_eof -cert "$WORK/client.pem" -key "$WORK/client.key" &&
    grep -q "hello from mamori" "$WORK/out"; then
    ok "client certificate accepted"
else not_ok "client certificate accepted"; tail -n 10 "$WORK/out" "$WORK/server.out"; fi
stop_peer

server ed25519 --http --client-pin "$(cat "$WORK/client.pin")"
printf '%s' "$GET" | s_client ed25519 out -ign_eof || true
if ! grep -q "hello from mamori" "$WORK/out" && grep -q "alert 116 sent" "$WORK/server.out"; then
    ok "missing client certificate: certificate_required"
else not_ok "missing client certificate: certificate_required"; tail -n 10 "$WORK/out" "$WORK/server.out"; fi
stop_peer

server rsa --http
if (sleep 0.5; printf 'K\n'; sleep 0.5; printf '%s' "$GET"; sleep 1) | s_client rsa out &&
    grep -q "KEYUPDATE" "$WORK/out" && grep -q "hello from mamori" "$WORK/out"; then
    ok "KeyUpdate from s_client (update_requested)"
else not_ok "KeyUpdate from s_client"; tail -n 10 "$WORK/out" "$WORK/server.out"; fi
stop_peer

# Tickets from mamori, resumption by s_client (-sess_out / -sess_in).
TK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
rm -f "$WORK/s.sess"
server p256 --http --ticket-key $TK
printf '%s' "$GET" | s_client p256 out1 -ign_eof -sess_out "$WORK/s.sess" || true
stop_peer
server p256 --http --ticket-key $TK
printf '%s' "$GET" | s_client p256 out2 -ign_eof -sess_in "$WORK/s.sess" || true
if grep -q "hello from mamori" "$WORK/out1" && grep -q "Reused, TLSv1.3" "$WORK/out2" &&
    grep -q "hello from mamori" "$WORK/out2" && grep -q resumed "$WORK/server.out"; then
    ok "session ticket and resumption with s_client"
else not_ok "session ticket and resumption with s_client"; tail -n 5 "$WORK/out2" "$WORK/server.out"; fi
stop_peer

# 1 MB to s_client in 1024-byte records (max_fragment_length) and at full size.
want=$(python3 -c "
import hashlib; n=1<<20
print(hashlib.sha256(bytes(((i*131)>>3)&255 for i in range(n))).hexdigest())")
for mfl in 0 1024; do
    opt=(); [ $mfl -gt 0 ] && opt=(-maxfraglen $mfl)
    server p256 --source 1048576
    in_ns timeout 30 openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -quiet -ign_eof "${opt[@]}" \
        </dev/null >"$WORK/big.out" 2>"$WORK/big.err" || true
    got=$(sha256sum <"$WORK/big.out" | cut -d' ' -f1)
    if [ "$got" = "$want" ]; then ok "1 MB to s_client (max fragment ${mfl})"; else
        not_ok "1 MB to s_client (max fragment $mfl)"; wc -c "$WORK/big.out"; tail -n 3 "$WORK/big.err" "$WORK/server.out"; fi
    stop_peer
done

head -c 1048576 /dev/urandom >"$WORK/up.bin"
want=$(sha256sum <"$WORK/up.bin" | cut -d' ' -f1)
server p384 --sink
in_ns timeout 30 openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -nocommands <"$WORK/up.bin" >/dev/null 2>&1 || true
wait "$PEER_PID" 2>/dev/null || true
PEER_PID=""
if grep -q "received 1048576 sha256 $want" "$WORK/server.out"; then ok "1 MB from s_client"; else
    not_ok "1 MB from s_client"; tail -n 3 "$WORK/server.out"; fi

for kind in ed25519 rsa; do
    server "$kind" --http
    if in_ns timeout 30 curl -sS --tlsv1.3 --cacert "$WORK/srv_$kind.pem" --resolve "localhost:$PORT:127.0.0.1" \
        "https://localhost:$PORT/" >"$WORK/curl.out" 2>&1 && grep -q "hello from mamori" "$WORK/curl.out"; then
        ok "curl, $kind certificate"
    else not_ok "curl, $kind certificate"; cat "$WORK/curl.out"; tail -n 3 "$WORK/server.out"; fi
    stop_peer
done

if command -v gnutls-cli >/dev/null; then
    server p256 --http
    if printf '%s' "$GET" | in_ns timeout 30 gnutls-cli --x509cafile "$WORK/srv_p256.pem" -p "$PORT" localhost \
        >"$WORK/gnutls.out" 2>&1 && grep -q "hello from mamori" "$WORK/gnutls.out"; then
        ok "gnutls-cli"
    else not_ok "gnutls-cli"; tail -n 10 "$WORK/gnutls.out"; fi
    stop_peer
else
    echo "skip: gnutls-cli not installed"
fi

finish
