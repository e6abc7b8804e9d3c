#!/usr/bin/env bash
# Defences and statistics against the Linux kernel over TAP: --stats JSON
# matches the traffic sent, --allow-src drops other sources, --rate limits a
# class, --stealth makes the node silent to ping and closed UDP ports.
. "$(dirname "$0")/lib.sh"

setup_ns
in_ns ip addr add 198.18.0.3/24 dev "$TAP" # a second, disallowed source

json_field() { # json_field FILE EXPR: evaluates a Python expression over the last JSON line as j
    python3 -c 'import json,sys; j=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][-1]; print(eval(sys.argv[2]))' "$1" "$2"
}

start_node --stats --allow-src 198.18.0.1/32
in_ns ping -c 20 -i 0.02 -W 1 -I 198.18.0.1 "$NODE_IP" >/dev/null 2>&1 || true
blocked=$(in_ns ping -c 3 -i 0.2 -W 1 -I 198.18.0.3 "$NODE_IP" 2>&1 || true)
kill -USR1 "$NODE_PID"
sleep 0.5
check "--stats: SIGUSR1 prints JSON" grep -q '^{"counters"' "$WORK/node.out"
check "--stats: icmp_rx_echo == 20" test "$(json_field "$WORK/node.out" 'j["counters"]["icmp_rx_echo"]')" = 20
check "--stats: MIB icmpInEchos == 20" test "$(json_field "$WORK/node.out" 'j["mib"]["1.3.6.1.2.1.5.8.0"]')" = 20
check "--stats: MIB icmpOutEchoReps == 20" test "$(json_field "$WORK/node.out" 'j["mib"]["1.3.6.1.2.1.5.22.0"]')" = 20
check "--stats: ARP table lists the kernel" test "$(json_field "$WORK/node.out" 'j["mib"].get("1.3.6.1.2.1.4.22.1.3.1.198.18.0.1")')" = 198.18.0.1
check "--allow-src: other source gets no reply" grep -q " 100% packet loss" <<<"$blocked"
stop_node
check "--allow-src: drops counted" test "$(counter filter_drop_src)" -ge 3

start_node --rate icmp=5/5
in_ns ping -c 40 -i 0.01 -W 1 "$NODE_IP" >"$WORK/ping.txt" 2>&1 || true
stop_node
received=$(grep -o '[0-9]* received' "$WORK/ping.txt" | cut -d' ' -f1)
check "--rate icmp=5/5: most of a 100/s burst dropped ($received of 40 answered)" test "$received" -lt 20
check "--rate: drops counted" test "$(counter rate_drop_icmp)" -ge 20

start_node --stealth --udp-echo 7
silent=$(in_ns ping -c 3 -i 0.2 -W 1 "$NODE_IP" 2>&1 || true)
check "--stealth: no echo replies" grep -q " 100% packet loss" <<<"$silent"
udp_out=$(in_ns python3 - "$NODE_IP" <<'PY'
import socket, sys
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(1.0)
c.connect((sys.argv[1], 9))
c.send(b"anyone?")
try:
    c.recv(100)
    print("closed: answered")
except ConnectionRefusedError:
    print("closed: refused")
except socket.timeout:
    print("closed: silent")
o = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
o.settimeout(1.0)
o.sendto(b"open?", (sys.argv[1], 7))
try:
    print("open: " + o.recv(100).decode())
except socket.timeout:
    print("open: silent")
PY
)
check "--stealth: closed UDP port is silent" grep -q "closed: silent" <<<"$udp_out"
check "--stealth: open UDP port still answers" grep -q "open: open?" <<<"$udp_out"
stop_node
check "--stealth: unreachables suppressed" test "$(counter icmp_tx_unreach)" -eq 0

finish
