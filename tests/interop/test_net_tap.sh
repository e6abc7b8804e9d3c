#!/usr/bin/env bash
# Interop with the Linux kernel over a TAP device in a private namespace:
# ARP, ping (200 at 10 ms, payload checked), UDP of 1..1472 bytes, ICMP port
# unreachable for a closed port, and silence with --no-ping.
. "$(dirname "$0")/lib.sh"

setup_ns
start_node --udp-echo 7 --pcap "$WORK/node.pcap"

ping_out=$(in_ns ping -c 200 -i 0.01 -W 1 -p 6d616d6f7269 -s 100 "$NODE_IP" 2>&1 || true)
check "ping: 200 sent, 0% loss" grep -q " 0% packet loss" <<<"$ping_out"
check "ping: payload echoed intact" bash -c '! grep -q "wrong data" <<<"$1"' _ "$ping_out"

check "ARP: kernel resolved mamori" bash -c "ip netns exec $NS ip neigh show $NODE_IP | grep -qi 'lladdr $NODE_MAC'"

cat > "$WORK/udp.py" <<'PY'
import socket, sys
node = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
bad = 0
for size in range(1, 1473):
    payload = bytes((size * 31 + i) & 0xff for i in range(size))
    for attempt in range(3):
        s.sendto(payload, (node, 7))
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        if data != payload or peer != (node, 7):
            bad += 1
        break
    else:
        bad += 1
print("udp sizes 1..1472 bad:", bad)
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(1.0)
c.connect((node, 9))
c.send(b"closed?")
try:
    c.recv(100)
    print("closed port: answered")
except ConnectionRefusedError:
    print("closed port: refused")
except socket.timeout:
    print("closed port: silent")
PY
udp_out=$(in_ns python3 "$WORK/udp.py" "$NODE_IP")
echo "$udp_out"
check "UDP echo: every size 1..1472 intact" grep -q "bad: 0" <<<"$udp_out"
check "UDP to closed port: ICMP port unreachable" grep -q "closed port: refused" <<<"$udp_out"

check "mamori-node exits 0 on SIGTERM" stop_node
check "counters printed: icmp_tx_echo_reply >= 200" test "$(counter icmp_tx_echo_reply)" -ge 200
check "counters printed: icmp_tx_unreach >= 1" test "$(counter icmp_tx_unreach)" -ge 1
if command -v tshark >/dev/null; then
    tshark -r "$WORK/node.pcap" >"$WORK/tshark.txt" 2>&1 || true
    check "pcap: tshark reads every frame" test "$(wc -l <"$WORK/tshark.txt")" -ge 400
    check "pcap: nothing malformed" bash -c '! grep -qi malformed "$1"' _ "$WORK/tshark.txt"
fi

start_node --no-ping
silent=$(in_ns ping -c 3 -i 0.2 -W 1 "$NODE_IP" 2>&1 || true)
check "--no-ping: no echo replies" grep -q " 100% packet loss" <<<"$silent"
check "--no-ping: node still answers ARP" bash -c "ip netns exec $NS ip neigh show $NODE_IP | grep -qi 'lladdr $NODE_MAC'"
stop_node
check "--no-ping: requests counted as ignored" test "$(counter icmp_rx_echo_ignored)" -ge 3

finish
