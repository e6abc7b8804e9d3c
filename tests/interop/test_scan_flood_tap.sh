#!/usr/bin/env bash
# Stealth against nmap and resilience against hping3 floods, with the Linux
# kernel on the other side of a TAP device in a private namespace:
#  - stealth on: a TCP SYN scan and a UDP scan show only the open ports;
#  - stealth on, nothing open: host discovery without ARP finds nobody;
#  - a SYN flood while an established connection transfers data, and UDP
#    and broadcast-ping floods while a client opens new connections and
#    transfers: the transfers complete, memory stays flat, and the drops
#    show in the counters.
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
node, seconds = sys.argv[1], float(sys.argv[2])
persistent = len(sys.argv) > 3
deadline = time.time() + seconds
ok = 0
s = socket.create_connection((node, 7), timeout=10) if persistent else None
while time.time() < deadline:
    data = os.urandom(256 * 1024)
    conn = s or socket.create_connection((node, 7), timeout=10)
    conn.sendall(data)
    if not persistent:
        conn.shutdown(socket.SHUT_WR)
    got = bytearray()
    while len(got) < len(data):
        chunk = conn.recv(65536)
        if not chunk:
            break
        got += chunk
    if not persistent:
        conn.close()
    if hashlib.sha256(got).digest() != hashlib.sha256(data).digest():
        print("transfer corrupted"); sys.exit(1)
    ok += 1
print("transfers ok:", ok)
PY

rss() { awk '/VmRSS/{print $2}' "/proc/$NODE_PID/status"; }
start_node --tcp-echo 7 --stats
rss_before=$(rss)
# SYN flood at the listening port: a connection opened before the flood
# keeps transferring (new handshakes compete with the flood for the SYN
# class budget and the SYN cache; how many complete is reported below).
in_ns python3 "$WORK/client.py" "$NODE_IP" 9 persistent >"$WORK/est.txt" 2>&1 &
client_pid=$!
sleep 1
in_ns timeout 7 hping3 -S -p 7 "$NODE_IP" --flood -q >/dev/null 2>&1 || true
new_conn=$(in_ns python3 "$WORK/client.py" "$NODE_IP" 0.1 2>&1 | tail -1 || true)
wait "$client_pid" || true
echo "hping3 -S -p 7: established connection: $(cat "$WORK/est.txt"); new connection right after: $new_conn"
check "established TCP transfer continues through a SYN flood" grep -q "transfers ok: [1-9]" "$WORK/est.txt"
for flood in "--udp -p 9 $NODE_IP" "-1 198.18.0.255"; do
    in_ns timeout 10 hping3 $flood --flood -q >/dev/null 2>&1 &
    flood_pid=$!
    client=$(in_ns python3 "$WORK/client.py" "$NODE_IP" 8 2>&1 || true)
    wait "$flood_pid" 2>/dev/null || true
    echo "hping3 $flood: $client"
    check "new TCP connections and transfers succeed during hping3 $flood" grep -q "transfers ok: [1-9]" <<<"$client"
done
rss_after=$(rss)
check "memory flat under flood (RSS ${rss_before} -> ${rss_after} kB)" test $((rss_after - rss_before)) -lt 8192
stop_node
for c in rate_drop_syn tcp_rx_drop_backlog tcp_syn_evicted rate_drop_udp icmp_tx_ratelimited rate_drop_bcast \
    storm_drop storm_events tcp_passive_opens; do
    echo "counter $c $(counter $c)"
done
check "SYN flood: drops counted (rate_drop_syn + backlog)" \
    test $(($(counter rate_drop_syn) + $(counter tcp_rx_drop_backlog) + $(counter tcp_syn_evicted))) -gt 1000
check "UDP flood: unreachables rate limited" test "$(counter icmp_tx_ratelimited)" -gt 0
check "broadcast ping flood: broadcast class limited" \
    test $(($(counter rate_drop_bcast) + $(counter storm_drop))) -gt 1000

finish
