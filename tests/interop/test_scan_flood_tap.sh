#!/usr/bin/env bash
# Stealth against nmap and resilience against hping3 floods, with the Linux
# kernel on the other side of a TAP device in a private namespace:
#  - stealth on: a TCP SYN scan and a UDP scan show only the open ports;
#  - stealth on, nothing open: host discovery without ARP finds nobody;
#  - SYN, UDP and broadcast-ping floods while a client opens new
#    connections and transfers (during the SYN flood, from the flood's own
#    source address, and with a connection opened before it transferring
#    too): the transfers complete, memory stays flat, and the drops and
#    SYN cookies show in the counters.
. "$(dirname "$0")/lib.sh"

for tool in nmap hping3; do
    command -v "$tool" >/dev/null || { echo "$tool missing (scripts/deps.sh installs it)"; exit 1; }
done
setup_ns

start_node --stealth --tcp-echo 7 --udp-echo 7 --stats
in_ns nmap -n -Pn -sS -p 1-2000 -T4 --max-retries 1 --host-timeout 120s "$NODE_IP" >"$WORK/syn.txt" 2>&1 || true
open_tcp=$(awk '/\/tcp +open /{print $1}' "$WORK/syn.txt" | tr '\n' ' ')
echo "nmap -sS open: $open_tcp"
check "nmap -sS with stealth: only 7/tcp open" test "$open_tcp" = "7/tcp "
check "nmap -sS with stealth: no port reported closed" bash -c '! grep -q "/tcp *closed" "$1"' _ "$WORK/syn.txt"
in_ns nmap -n -Pn -sU -p 1-64 -T4 --max-retries 1 --host-timeout 120s "$NODE_IP" >"$WORK/udp.txt" 2>&1 || true
open_udp=$(awk '/\/udp +open /{print $1}' "$WORK/udp.txt" | tr '\n' ' ')
echo "nmap -sU open: $open_udp"
check "nmap -sU with stealth: 7/udp open" test "$open_udp" = "7/udp "
check "nmap -sU with stealth: no port reported closed" bash -c '! grep -q "/udp *closed" "$1"' _ "$WORK/udp.txt"
stop_node

start_node --stealth
in_ns nmap -n -sn --disable-arp-ping "$NODE_IP" >"$WORK/sn.txt" 2>&1 || true
check "nmap -sn, stealth, nothing open: host not found" grep -q "0 hosts up" "$WORK/sn.txt"
silent=$(in_ns ping -c 2 -W 1 "$NODE_IP" 2>&1 || true)
check "ping, stealth: no reply" grep -q " 100% packet loss" <<<"$silent"
stop_node

cat > "$WORK/client.py" <<'PY'
import hashlib, os, socket, sys, time
# client.py NODE SECONDS [persistent]: 256 KB echo round trips with SHA-256
# checks, each on a new connection, or all on one connection opened first.
# Prints "transfers ok: N of M" and when the first one completed; a new
# connection that fails (connect, transfer or timeout) counts as not ok, a
# corrupted echo ends the run.
node, seconds = sys.argv[1], float(sys.argv[2])
persistent = len(sys.argv) > 3
deadline = time.time() + seconds
ok = attempts = 0
first = None
s = socket.create_connection((node, 7), timeout=10) if persistent else None

def round_trip(conn, data, got):
    conn.sendall(data)
    if not persistent:
        conn.shutdown(socket.SHUT_WR)
    while len(got) < len(data):
        chunk = conn.recv(65536)
        if not chunk:
            break
        got += chunk

while time.time() < deadline:
    data = os.urandom(256 * 1024)
    attempts += 1
    got = bytearray()
    if persistent:
        round_trip(s, data, got)
    else:
        start, phase = time.time(), "connect"
        try:
            with socket.create_connection((node, 7), timeout=10) as conn:
                phase = "transfer"
                round_trip(conn, data, got)
        except OSError as e:
            print("connection %d failed in %s after %.1f s (%d bytes back): %s" %
                  (attempts, phase, time.time() - start, len(got), e))
            continue
    if hashlib.sha256(got).digest() != hashlib.sha256(data).digest():
        print("transfer corrupted"); sys.exit(1)
    ok += 1
    first = first or time.time()
print("transfers ok: %d of %d" % (ok, attempts))
if first:
    print("first transfer done at %.3f" % first)
PY

rss() { awk '/VmRSS/{print $2}' "/proc/$NODE_PID/status"; }
start_node --tcp-echo 7 --stats
rss_before=$(rss)
# SYN flood at the listening port from the kernel's own address, so no
# per-source limit can tell it from the legitimate client: a connection
# opened before the flood keeps transferring, and new connections opened
# during it complete their handshakes (SYN cookies once the SYN cache is
# full) and transfer. The SYN class budget admits about 1000 of the flood's
# 50k-200k SYN/s, so a client's SYN may need its retransmissions (1, 3, 7 s):
# the new-connection client keeps trying for 11 s of the 15 s flood, and at
# least one of its transfers must complete before the flood ends.
in_ns python3 "$WORK/client.py" "$NODE_IP" 15 persistent >"$WORK/est.txt" 2>&1 &
client_pid=$!
sleep 1
(
    in_ns timeout -s INT 15 hping3 -S -p 7 "$NODE_IP" --flood -q >"$WORK/hping.txt" 2>&1 || true
    date +%s.%N >"$WORK/flood_end"
) &
flood_pid=$!
sleep 1
new_conn=$(in_ns python3 "$WORK/client.py" "$NODE_IP" 11 2>&1 || true)
wait "$flood_pid"
wait "$client_pid" || true
echo "hping3 -S -p 7: $(grep -o '[0-9]* packets transmitted' "$WORK/hping.txt" || echo '? packets transmitted') in 15 s"
echo "  established connection: $(grep "transfers ok" "$WORK/est.txt" || cat "$WORK/est.txt")"
echo "  new connections during the flood: $(grep -v "^first" <<<"$new_conn" | tr '\n' ' ')"
check "established TCP transfer continues through a SYN flood" grep -q "transfers ok: [1-9]" "$WORK/est.txt"
check "new TCP connections and transfers succeed during a SYN flood from the same address" \
    grep -q "transfers ok: [1-9]" <<<"$new_conn"
# Not asserted: against a line-rate flood from the same address a SYN passes
# the SYN class budget with probability budget / flood rate (docs/security.md),
# so a handshake inside the flood window is likely but not certain.
if awk -v end="$(cat "$WORK/flood_end")" '/^first transfer done at/ {found = $5 < end} END {exit !found}' <<<"$new_conn"; then
    echo "  a new connection completed its transfer while the SYN flood was running"
else echo "  no new connection completed while the SYN flood was running (only after it)"; fi
for flood in "--udp -p 9 $NODE_IP" "-1 198.18.0.255"; do
    in_ns timeout 10 hping3 $flood --flood -q >/dev/null 2>&1 &
    flood_pid=$!
    client=$(in_ns python3 "$WORK/client.py" "$NODE_IP" 8 2>&1 || true)
    wait "$flood_pid" 2>/dev/null || true
    echo "hping3 $flood: $(grep -v '^first' <<<"$client" | tr '\n' ' ')"
    check "new TCP connections and transfers succeed during hping3 $flood" grep -q "transfers ok: [1-9]" <<<"$client"
done
rss_after=$(rss)
check "memory flat under flood (RSS ${rss_before} -> ${rss_after} kB)" test $((rss_after - rss_before)) -lt 8192
stop_node
for c in rate_drop_syn tcp_rx_drop_backlog tcp_syn_evicted tcp_syncookies_sent tcp_syncookies_accepted \
    tcp_syncookies_rejected rate_drop_udp icmp_tx_ratelimited rate_drop_bcast storm_drop storm_events \
    tcp_passive_opens; do
    echo "counter $c $(counter $c)"
done
check "SYN flood: drops counted (rate_drop_syn)" test "$(counter rate_drop_syn)" -gt 1000
check "SYN flood: answered with SYN cookies once the SYN cache was full" test "$(counter tcp_syncookies_sent)" -gt 1000
# Whether the new connections above got a cache entry or a cookie depends on
# timing (an entry frees when a flood handshake times out); cookie acceptance
# itself is asserted by tests/unit/test_tcp_syncookie.c.
echo "SYN flood: $(counter tcp_syncookies_accepted) connection(s) completed from a SYN cookie"
check "UDP flood: unreachables rate limited" test "$(counter icmp_tx_ratelimited)" -gt 0
check "broadcast ping flood: broadcast class limited" \
    test $(($(counter rate_drop_bcast) + $(counter storm_drop))) -gt 1000

finish
