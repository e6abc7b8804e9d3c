#!/usr/bin/env bash
# External PSKs (RFC 8446 §4.2.11, psk_dhe_ke) against OpenSSL on loopback in
# a private namespace, with both mamori builds: test_tls_psk (default
# configuration) and test_tls_psk_only (the PSK-only configuration of
# bench/footprint/tls_client_psk.c). The mamori client against `openssl
# s_server -psk` (also with 1024-byte records through max_fragment_length,
# and a wrong key: the binder does not verify); the mamori server against `openssl s_client -psk`
# (also max_fragment_length, and an unknown identity refused); the default
# build's client falling back to the server's certificate when its identity
# is unknown. OpenSSL binds its external PSK to SHA-256.
. "$(dirname "$0")/tls_lib.sh"

ID=device-17
KEY=00112233445566778899aabbccddeeff
setup_ns

# psk_server [options]: openssl s_server taking one connection.
psk_server() {
    (cd "$WORK" && in_ns openssl s_server -accept "127.0.0.1:$PORT" -naccept 1 -tls1_3 \
        -psk_identity "$ID" "$@" >"$WORK/server.out" 2>&1) &
    PEER_PID=$!
    wait_port
}

GET=$'GET /page.txt HTTP/1.0\r\n\r\n'
head -c 32768 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$WORK/page.txt"

for tool in test_tls_psk test_tls_psk_only; do
    T="$BUILD/$tool"
    psk_server -psk "$KEY" -nocert -www
    if in_ns timeout 30 "$T" client "$PORT" "$ID" "$KEY" --send $'GET / HTTP/1.0\r\n\r\n' >"$WORK/out" 2>&1 &&
        grep -q "handshake ok, psk 1, suite 1301, group 001d" "$WORK/out" &&
        grep -q "Protocol  : TLSv1.3" "$WORK/out"; then
        ok "$tool client: PSK handshake with s_server"
    else not_ok "$tool client: PSK handshake with s_server"; tail -n 20 "$WORK/out" "$WORK/server.out"; fi
    stop_peer

    # 64 KB in records of at most 1024 bytes: s_server honours
    # max_fragment_length (it does not know record_size_limit).
    psk_server -psk "$KEY" -nocert -WWW
    want=$(cat "$WORK/page.txt")
    if in_ns timeout 30 "$T" client "$PORT" "$ID" "$KEY" --rsl 1024 --send "$GET" >"$WORK/out" 2>&1 &&
        grep -q "handshake ok, psk 1" "$WORK/out" && grep -q "$want" "$WORK/out"; then
        ok "$tool client: 64 KB in 1024-byte records (max_fragment_length)"
    else not_ok "$tool client: max_fragment_length"; tail -c 600 "$WORK/out"; tail -n 5 "$WORK/server.out"; fi
    stop_peer

    psk_server -psk "ff$KEY" -nocert -www
    # OpenSSL 3.0 answers a bad binder with illegal_parameter.
    if ! in_ns timeout 30 "$T" client "$PORT" "$ID" "$KEY" >"$WORK/out" 2>&1 &&
        grep -q "alert .. received" "$WORK/out" && grep -q "binder does not verify" "$WORK/server.out"; then
        ok "$tool client: wrong key refused by s_server (binder)"
    else not_ok "$tool client: wrong key refused"; tail -n 5 "$WORK/out" "$WORK/server.out"; fi
    stop_peer

    for mfl in 0 1024; do
        opt=(); [ $mfl -gt 0 ] && opt=(-maxfraglen $mfl)
        in_ns timeout 30 "$T" server "$PORT" "$ID" "$KEY" >"$WORK/server.out" 2>&1 &
        PEER_PID=$!
        wait_port
        echo "hello over psk" | in_ns timeout 30 openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 \
            -psk_identity "$ID" -psk "$KEY" -ign_eof "${opt[@]}" >"$WORK/out" 2>&1 || true
        wait "$PEER_PID" 2>/dev/null || true
        PEER_PID=""
        limit=$([ $mfl -gt 0 ] && echo $mfl || echo 16384)
        if grep -q "handshake ok, psk 1, suite 1301, group 001d, out limit $limit" "$WORK/server.out" &&
            grep -q "hello over psk" "$WORK/server.out" && grep -q "^hello over psk" "$WORK/out"; then
            ok "$tool server: PSK handshake and echo with s_client (max fragment $mfl)"
        else not_ok "$tool server: s_client (max fragment $mfl)"; tail -n 10 "$WORK/out" "$WORK/server.out"; fi
    done

    in_ns timeout 30 "$T" server "$PORT" "$ID" "$KEY" >"$WORK/server.out" 2>&1 &
    PEER_PID=$!
    wait_port
    echo | in_ns timeout 30 openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 \
        -psk_identity "other" -psk "$KEY" >"$WORK/out" 2>&1 || true
    wait "$PEER_PID" 2>/dev/null || true
    PEER_PID=""
    if grep -q "alert 115 sent" "$WORK/server.out"; then
        ok "$tool server: unknown identity refused (unknown_psk_identity)"
    else not_ok "$tool server: unknown identity"; tail -n 5 "$WORK/out" "$WORK/server.out"; fi
done

# Default build: s_server with a certificate and our PSK; the client offers
# an identity s_server does not know, so the certificate authenticates
# (pinned).
make_cert srv_p256 p256
psk_server -psk "$KEY" -cert "$WORK/srv_p256.pem" -key "$WORK/srv_p256.key" -www
if in_ns timeout 30 "$BUILD/test_tls_psk" client "$PORT" other "$KEY" --pin "$(cat "$WORK/srv_p256.pin")" \
    --send $'GET / HTTP/1.0\r\n\r\n' >"$WORK/out" 2>&1 && grep -q "handshake ok, psk 0" "$WORK/out" &&
    grep -q "Protocol  : TLSv1.3" "$WORK/out"; then
    ok "unknown identity: certificate fallback with s_server"
else not_ok "unknown identity: certificate fallback with s_server"; tail -n 10 "$WORK/out" "$WORK/server.out"; fi
stop_peer

finish
