#!/usr/bin/env bash
# TCP interop with the Linux kernel over a TAP device in a private namespace:
# 50 MB each way checked by SHA-256 (with throughput), an echo round trip,
# 1000 sequential connections without leaks, tc netem impairments on the
# kernel side (without sch_netem, the same drawn in mamori-node's TAP driver,
# --impair, both ways), SACK (RFC 2018) negotiated with the kernel and used
# (a shallow token bucket drops the kernel's bursts; with the impairments
# also the other way), and an abruptly vanished peer ending in a timeout. MAMORI_TCP_INTEROP_MB changes the bulk size.
. "$(dirname "$0")/lib.sh"

MB=${MAMORI_TCP_INTEROP_MB:-50}
BYTES=$((MB * 1024 * 1024))

cat >"$WORK/send.py" <<'PY'
import hashlib, random, socket, sys, time
host, port, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = random.Random(total).randbytes(1 << 20)
s = socket.create_connection((host, port), timeout=60)
h = hashlib.sha256()
t0 = time.time()
left = total
while left:
    chunk = block[: min(left, len(block))]
    s.sendall(chunk)
    h.update(chunk)
    left -= len(chunk)
s.shutdown(socket.SHUT_WR)
while s.recv(65536):
    pass
dt = time.time() - t0
print("sent %d sha256 %s %.3f s %.1f Mbit/s" % (total, h.hexdigest(), dt, total * 8 / dt / 1e6))
PY

cat >"$WORK/recv.py" <<'PY'
import hashlib, socket, sys, time
addr, port = sys.argv[1], int(sys.argv[2])
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((addr, port))
l.listen(1)
l.settimeout(60)
c, _ = l.accept()
c.settimeout(60)
h = hashlib.sha256()
n = 0
t0 = time.time()
while True:
    d = c.recv(1 << 20)
    if not d:
        break
    h.update(d)
    n += len(d)
dt = time.time() - t0
c.close()
print("received %d sha256 %s %.3f s %.1f Mbit/s" % (n, h.hexdigest(), dt, n * 8 / max(dt, 1e-9) / 1e6), flush=True)
PY

cat >"$WORK/conns.py" <<'PY'
import socket, sys
host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad = 0
for i in range(count):
    msg = ("connection %d " % i).encode() * 4
    try:
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            d = s.recv(4096)
            if not d:
                break
            got += d
        s.close()
        if got != msg:
            bad += 1
    except OSError:
        bad += 1
print("connections %d bad %d" % (count, bad))
PY

# digest_of FILE PREFIX: the sha256 printed after PREFIX in FILE
digest_of() { sed -n "s/^$2.* sha256 \([0-9a-f]*\).*/\1/p" "$1" | tail -1; }
bytes_of() { sed -n "s/^$2[: ]* \([0-9]*\).*/\1/p" "$1" | tail -1; }

# wait_for FILE PATTERN SECONDS
wait_for() {
    for _ in $(seq $(($3 * 10))); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# wait_listen PORT: until a kernel socket listens on PORT in the namespace.
wait_listen() {
    for _ in $(seq 100); do
        in_ns ss -ltn 2>/dev/null | grep -q ":$1 " && return 0
        sleep 0.05
    done
    return 1
}

# bulk_in LABEL: the kernel sends $BYTES to mamori's discard port.
bulk_in() {
    local label=$1 bytes=$2
    : >"$WORK/node.out.mark"
    local out
    out=$(in_ns timeout 170 python3 "$WORK/send.py" "$NODE_IP" 9 "$bytes" 2>&1 || true)
    echo "  kernel -> mamori ($label): $out"
    wait_for "$WORK/node.out" "tcp-discard: $bytes bytes" 20 || true
    local want got
    want=$(sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p' <<<"$out")
    got=$(grep "tcp-discard: $bytes bytes" "$WORK/node.out" | tail -1 | sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p')
    check "kernel -> mamori $label: $bytes bytes, SHA-256 equal" test -n "$want" -a "$want" = "$got"
}

# bulk_out LABEL BYTES: mamori-node (restarted with --tcp-source) sends to a kernel socket.
bulk_out() {
    local label=$1 bytes=$2
    rm -f "$WORK/recv.out"
    in_ns timeout 170 python3 "$WORK/recv.py" "$KERNEL_IP" 5001 >"$WORK/recv.out" 2>&1 &
    local rpid=$!
    wait_listen 5001
    start_node --tcp-source "$KERNEL_IP:5001:$bytes" --tcp-discard 9 "${EXTRA[@]}"
    wait "$rpid" || true
    wait_for "$WORK/node.out" "tcp-source: $bytes bytes" 5 || true
    echo "  mamori -> kernel ($label): $(cat "$WORK/recv.out")"
    local want got
    want=$(grep "tcp-source: $bytes bytes" "$WORK/node.out" | sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p')
    got=$(sed -n 's/^received '"$bytes"' sha256 \([0-9a-f]*\).*/\1/p' "$WORK/recv.out")
    check "mamori -> kernel $label: $bytes bytes, SHA-256 equal" test -n "$want" -a "$want" = "$got"
    stop_node || true
}

# tshark_count PCAP FILTER: frames of PCAP matching the display filter.
tshark_count() { tshark -r "$1" -Y "$2" 2>/dev/null | wc -l; }

# sack_pcap_checks PCAP DATA_FROM: both SYNs offer SACK-permitted, and the
# receiving side's ACKs carry SACK blocks.
sack_pcap_checks() {
    local pcap=$1 acker
    [ "$2" = kernel ] && acker=$NODE_IP || acker=$KERNEL_IP
    if ! command -v tshark >/dev/null; then
        echo "SKIP: tshark not installed: SACK options not checked on the capture"
        return
    fi
    check "SACK ($2 sends): the kernel's SYN offers SACK-permitted" \
        test "$(tshark_count "$pcap" "tcp.flags.syn==1 && tcp.options.sack_perm && ip.src==$KERNEL_IP")" -ge 1
    check "SACK ($2 sends): mamori's SYN offers SACK-permitted" \
        test "$(tshark_count "$pcap" "tcp.flags.syn==1 && tcp.options.sack_perm && ip.src==$NODE_IP")" -ge 1
    check "SACK ($2 sends): ACKs from $acker carry SACK blocks" \
        test "$(tshark_count "$pcap" "tcp.options.sack_le && ip.src==$acker")" -gt 0
    rm -f "$pcap"
}

# kernel_sack_recoveries: the kernel's count of SACK-based recoveries in the namespace.
kernel_sack_recoveries() { in_ns nstat -az TcpExtTCPSackRecovery | awk '$1 == "TcpExtTCPSackRecovery" {print $2}'; }

setup_ns
EXTRA=()

# ---- bulk both ways, echo, sequential connections ----------------------------
start_node --tcp-echo 7 --tcp-discard 9 --max-conn 16
bulk_in "clean" "$BYTES"
echo_out=$(in_ns python3 - "$NODE_IP" <<'PY'
import random, socket, sys
data = random.Random(7).randbytes(1 << 20)
s = socket.create_connection((sys.argv[1], 7), timeout=20)
got = bytearray()
view = memoryview(data)
sent = 0
s.setblocking(False)
import select
while len(got) < len(data):
    r, w, _ = select.select([s], [s] if sent < len(data) else [], [], 20)
    if not r and not w:
        break
    if w:
        sent += s.send(view[sent:sent + 65536])
    if r:
        d = s.recv(65536)
        if not d:
            break
        got += d
print("echo intact" if bytes(got) == data else "echo broken %d" % len(got))
PY
)
check "echo: 1 MB round trip intact" grep -q "echo intact" <<<"$echo_out"
conns_out=$(in_ns timeout 120 python3 "$WORK/conns.py" "$NODE_IP" 7 1000 2>&1 || true)
echo "  $conns_out"
check "1000 sequential connections, all echoed" grep -q "connections 1000 bad 0" <<<"$conns_out"
sleep 0.5
check "mamori-node exits 0 on SIGTERM" stop_node
check "no connection left established" test "$(counter tcp_curr_estab)" = 0
check "passive opens >= 1002" test "$(counter tcp_passive_opens)" -ge 1002
check "no pbuf exhaustion" test "$(counter tcp_tx_drop_nobuf)" = 0

bulk_out "clean" "$BYTES"

# ---- tc netem on the kernel side ----------------------------------------------
if in_ns tc qdisc add dev "$TAP" root netem loss 5% duplicate 1% delay 1ms reorder 25% 2>/dev/null; then
    NMB=$(( MB < 10 ? MB : 10 ))
    start_node --tcp-discard 9
    bulk_in "netem loss 5% dup 1% reorder" $((NMB * 1024 * 1024))
    stop_node || true
    EXTRA=(--pcap "$WORK/netem_out.pcap")
    bulk_out "netem loss 5% dup 1% reorder" $((NMB * 1024 * 1024))
    EXTRA=()
    in_ns tc qdisc del dev "$TAP" root
    echo "  SACK: mamori took $(counter tcp_sack_rx_blocks) blocks from the kernel ($(counter tcp_sack_rx_bad)" \
        "ignored), $(counter tcp_sack_recoveries) SACK-based recoveries"
    check "SACK: the kernel's blocks drove mamori's loss recovery" \
        test "$(counter tcp_sack_rx_blocks)" -gt 0 -a "$(counter tcp_sack_recoveries)" -gt 0
    sack_pcap_checks "$WORK/netem_out.pcap" mamori
else
    # The same impairments drawn in mamori-node's TAP driver, both ways.
    echo "  tc netem is not available in this kernel (sch_netem missing):" \
        "impairment in the TAP driver (no sch_netem): loss 5%, dup 1%, reorder 25%"
    NMB=$(( MB < 4 ? MB : 4 ))
    before=$(kernel_sack_recoveries)
    start_node --tcp-discard 9 --impair 50,10,250 --pcap "$WORK/impair_in.pcap"
    bulk_in "TAP impairment loss 5% dup 1% reorder" $((NMB * 1024 * 1024))
    stop_node || true
    after=$(kernel_sack_recoveries)
    echo "  $(grep '^tap-impair:' "$WORK/node.out")"
    check "TAP impairment (kernel sends): frames lost and reordered both ways" \
        awk '/^tap-impair:/ && $4 > 0 && $8 > 0 && $11 > 0 && $15 > 0 {ok=1} END {exit !ok}' "$WORK/node.out"
    echo "  SACK: mamori sent $(counter tcp_sack_tx_blocks) blocks; kernel SACK recoveries $before -> $after"
    check "SACK: mamori's ACKs reported its out-of-order data" test "$(counter tcp_sack_tx_blocks)" -gt 0
    check "SACK: the kernel recovered with mamori's blocks (TcpExtTCPSackRecovery)" test "$after" -gt "$before"
    sack_pcap_checks "$WORK/impair_in.pcap" kernel
    EXTRA=(--impair 50,10,250,2 --pcap "$WORK/impair_out.pcap")
    bulk_out "TAP impairment loss 5% dup 1% reorder" $((NMB * 1024 * 1024))
    EXTRA=()
    echo "  $(grep '^tap-impair:' "$WORK/node.out")"
    echo "  SACK: mamori took $(counter tcp_sack_rx_blocks) blocks from the kernel ($(counter tcp_sack_rx_bad)" \
        "ignored), $(counter tcp_sack_recoveries) SACK-based recoveries"
    check "SACK: the kernel's blocks drove mamori's loss recovery" \
        test "$(counter tcp_sack_rx_blocks)" -gt 0 -a "$(counter tcp_sack_recoveries)" -gt 0
    sack_pcap_checks "$WORK/impair_out.pcap" mamori
fi

# ---- SACK with the kernel as sender: a 40 KB token bucket queue drops its
# bursts. The drops happen on the kernel's own egress, which also makes the
# kernel back off (TcpExtTCPRetransFail): a few Mbit/s is expected here.
if in_ns tc qdisc add dev "$TAP" root tbf rate 200mbit burst 64kb limit 40kb 2>/dev/null; then
    before=$(kernel_sack_recoveries)
    start_node --tcp-discard 9 --pcap "$WORK/tbf_in.pcap"
    bulk_in "token bucket 200 Mbit/s, 40 KB queue" $(((MB < 4 ? MB : 4) * 1024 * 1024))
    stop_node || true
    in_ns tc qdisc del dev "$TAP" root
    after=$(kernel_sack_recoveries)
    echo "  SACK: mamori sent $(counter tcp_sack_tx_blocks) blocks; kernel SACK recoveries $before -> $after"
    check "SACK: mamori's ACKs reported its out-of-order data" test "$(counter tcp_sack_tx_blocks)" -gt 0
    check "SACK: the kernel recovered with mamori's blocks (TcpExtTCPSackRecovery)" test "$after" -gt "$before"
    sack_pcap_checks "$WORK/tbf_in.pcap" kernel
else
    echo "SKIP: tc tbf is not available: SACK interop as receiver not run"
fi

# ---- abrupt peer death ends in a timeout -----------------------------------------
start_node --tcp-discard 9 --tcp-timeout 3000
in_ns python3 - "$NODE_IP" <<'PY' &
import socket, sys, time
s = socket.create_connection((sys.argv[1], 9), timeout=5)
s.sendall(b"x" * 10000)
time.sleep(30)
PY
ppid=$!
sleep 1
in_ns ip addr flush dev "$TAP" # the kernel peer vanishes: no FIN, no RST
wait_for "$WORK/node.out" "connection error: timed out" 10 && dead=ok || dead=
check "silent peer (receiving side): idle timeout, not a hang" test -n "$dead"
kill "$ppid" 2>/dev/null; wait "$ppid" 2>/dev/null || true
stop_node || true
in_ns ip addr add "$KERNEL_IP/24" dev "$TAP"

in_ns python3 - "$KERNEL_IP" >"$WORK/dead.out" 2>&1 <<'PY' &
import socket, sys, time
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((sys.argv[1], 5002))
l.listen(1)
c, _ = l.accept()
c.recv(1000)
time.sleep(30)
PY
ppid=$!
wait_listen 5002
start_node --tcp-source "$KERNEL_IP:5002:100000000" --tcp-timeout 3000
sleep 1
in_ns ip addr flush dev "$TAP"
wait_for "$WORK/node.out" "connection error: timed out" 15 && dead=ok || dead=
check "silent peer (sending side): retransmission timeout, not a hang" test -n "$dead"
kill "$ppid" 2>/dev/null; wait "$ppid" 2>/dev/null || true
stop_node || true
check "timeouts counted" test "$(counter tcp_timeout_aborts)" -ge 1

finish
