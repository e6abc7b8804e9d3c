#!/usr/bin/env bash
# The mamori TLS 1.3 client (test_tls_fd) against `openssl s_server` on
# loopback in a private namespace: every suite and group with Ed25519,
# ECDSA P-256/P-384 and RSA-PSS certificates, pinning and X.509 with host
# name, HelloRetryRequest, client certificates, KeyUpdate, resumption, small
# records, a 1 MB download, and refusing a wrong server; then against
# gnutls-serv with both groups.
. "$(dirname "$0")/tls_lib.sh"

setup_ns
for c in ed25519 p256 p384 rsa; do make_cert "srv_$c" "$c"; done
make_cert client p256
scheme_of() { case $1 in ed25519) echo 0807 ;; p256) echo 0403 ;; p384) echo 0503 ;; rsa) echo 0804 ;; esac; }

# s_server KIND [options]: one connection, -www status page.
s_server() {
    local kind=$1
    shift
    in_ns openssl s_server -accept "127.0.0.1:$PORT" -naccept "${NACCEPT:-1}" -tls1_3 \
        -cert "$WORK/srv_$kind.pem" -key "$WORK/srv_$kind.key" "$@" >"$WORK/server.out" 2>&1 &
    PEER_PID=$!
    wait_port
}

# client OUT [tool options]: run the mamori client, output in $WORK/OUT.
client() {
    local out=$1
    shift
    in_ns timeout 30 "$TOOL" client 127.0.0.1 "$PORT" --name localhost "$@" >"$WORK/$out" 2>&1
}

GET=$'GET / HTTP/1.0\r\n\r\n'
www_ok() { grep -q "handshake ok" "$WORK/$1" && grep -q "Protocol  : TLSv1.3" "$WORK/$1"; }

for kind in ed25519 p256 p384 rsa; do
    for suite in 1301 1302 1303; do
        for group in x25519 p256; do
            s_server "$kind" -www
            if client out --pin "$(cat "$WORK/srv_$kind.pin")" --suite "$suite" --group "$group" --send "$GET" &&
                www_ok out && grep -q "group $( [ $group = x25519 ] && echo 001d || echo 0017)" "$WORK/out"; then
                ok "$kind cert, suite $suite, $group"
            else
                not_ok "$kind cert, suite $suite, $group"; cat "$WORK/out" "$WORK/server.out" | tail -20
            fi
            stop_peer
        done
    done
done

s_server p256 -www
if client out --ca "$WORK/srv_p256.der" --send "$GET" && www_ok out; then ok "X.509 anchor + host name"; else not_ok "X.509 anchor + host name"; cat "$WORK/out"; fi
stop_peer

s_server p256 -www
if ! client out --ca "$WORK/srv_rsa.der" --send "$GET" && grep -q "alert 48 sent" "$WORK/out"; then
    ok "wrong anchor refused with unknown_ca"
else not_ok "wrong anchor refused with unknown_ca"; cat "$WORK/out"; fi
stop_peer

s_server p256 -www
if ! client out --pin 0000000000000000000000000000000000000000000000000000000000000000 --send "$GET"; then
    ok "wrong pin refused"; else not_ok "wrong pin refused"; fi
stop_peer

s_server ed25519 -www
if client out --pin "$(cat "$WORK/srv_ed25519.pin")" --hrr --send "$GET" && www_ok out; then
    ok "HelloRetryRequest (no initial key share)"; else not_ok "HelloRetryRequest (no initial key share)"; cat "$WORK/out"; fi
stop_peer

s_server ed25519 -www -groups P-256
if client out --pin "$(cat "$WORK/srv_ed25519.pin")" --send "$GET" && www_ok out && grep -q "group 0017" "$WORK/out"; then
    ok "HelloRetryRequest to P-256"; else not_ok "HelloRetryRequest to P-256"; cat "$WORK/out"; fi
stop_peer

s_server rsa -www -Verify 1 -CAfile "$WORK/client.pem"
if client out --pin "$(cat "$WORK/srv_rsa.pin")" --cert "$WORK/client.der" --key "$WORK/client.raw" --scheme 0403 --send "$GET" &&
    www_ok out && grep -q "CN = localhost\|CN=localhost" "$WORK/server.out"; then
    ok "client certificate (mutual TLS)"; else not_ok "client certificate (mutual TLS)"; cat "$WORK/out" "$WORK/server.out" | tail; fi
stop_peer

s_server p256 -www
if client out --pin "$(cat "$WORK/srv_p256.pin")" --keyupdate --send "$GET" && www_ok out; then
    ok "KeyUpdate (update_requested)"; else not_ok "KeyUpdate (update_requested)"; cat "$WORK/out"; fi
stop_peer

# NewSessionTicket, then PSK resumption (psk_dhe_ke), plain and after HRR.
for hrr in "" --hrr; do
    rm -f "$WORK/sess"
    NACCEPT=2 s_server ed25519 -www
    client out1 --pin "$(cat "$WORK/srv_ed25519.pin")" --sess "$WORK/sess" --send "$GET" || true
    client out2 --pin "$(cat "$WORK/srv_ed25519.pin")" --sess "$WORK/sess" $hrr --send "$GET" || true
    if www_ok out1 && ! grep -q resumed "$WORK/out1" && grep -q "handshake ok.*resumed" "$WORK/out2" &&
        grep -q "Reused, TLSv1.3" "$WORK/out2"; then
        ok "session resumption ${hrr:-(1-RTT)}"
    else not_ok "session resumption $hrr"; tail -n 5 "$WORK/out1" "$WORK/out2"; fi
    stop_peer
done

# 1 MB download with -WWW, with 1024-byte records requested (OpenSSL honours
# max_fragment_length; record_size_limit is sent too).
head -c 1048576 /dev/urandom >"$WORK/big.bin"
want=$( (printf 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n'; cat "$WORK/big.bin") | sha256sum | cut -d' ' -f1)
for rsl in 0 1024; do
    (cd "$WORK" && in_ns openssl s_server -accept "127.0.0.1:$PORT" -naccept 1 -tls1_3 \
        -cert srv_p256.pem -key srv_p256.key -WWW >"$WORK/server.out" 2>&1) &
    PEER_PID=$!
    wait_port
    opt=(); [ $rsl -gt 0 ] && opt=(--rsl $rsl)
    if client out --pin "$(cat "$WORK/srv_p256.pin")" "${opt[@]}" --sink --send $'GET /big.bin HTTP/1.0\r\n\r\n' &&
        grep -q "sha256 $want" "$WORK/out"; then
        ok "1 MB download (record limit ${rsl:-none})"
    else not_ok "1 MB download (record limit $rsl)"; tail -n 5 "$WORK/out"; fi
    stop_peer
done

# gnutls-serv as the peer: X.509 anchor and host name, both groups.
for group in x25519 p256; do
    prio=$( [ $group = x25519 ] && echo "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519" \
        || echo "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1" )
    in_ns gnutls-serv --http --port "$PORT" --x509certfile "$WORK/srv_p256.pem" --x509keyfile "$WORK/srv_p256.key" \
        --priority "$prio" >"$WORK/gnutls.out" 2>&1 &
    PEER_PID=$!
    wait_port
    if client out --ca "$WORK/srv_p256.der" --send "$GET" && grep -q "handshake ok" "$WORK/out" &&
        grep -q "HTTP/1.0 200" "$WORK/out"; then
        ok "gnutls-serv, $group, X.509 anchor + host name"
    else
        not_ok "gnutls-serv, $group"; tail -n 20 "$WORK/out" "$WORK/gnutls.out"
    fi
    stop_peer
done

finish
