#!/usr/bin/env bash
# DHCP interop with dnsmasq in a private namespace: mamori gets a lease
# (2 minutes, T1 8 s, T2 14 s), renews it, rebinds when the server moves to
# another address, and gives the address back when the lease expires with no
# server left. Takes about three minutes.
# ctest: parallel
. "$(dirname "$0")/lib.sh"
DNSMASQ_PID=""
app_cleanup() {
    if [ -n "$DNSMASQ_PID" ]; then
        kill "$DNSMASQ_PID" 2>/dev/null || true
        wait "$DNSMASQ_PID" 2>/dev/null || true
    fi
    cleanup
}
trap app_cleanup EXIT

# start_dnsmasq ADDRESS: a DHCP-only server on the TAP, leases in $WORK.
start_dnsmasq() {
    ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --interface="$TAP" \
        --bind-interfaces --listen-address="$1" --dhcp-authoritative --dhcp-leasefile="$WORK/leases" \
        --dhcp-range=198.18.0.50,198.18.0.60,255.255.255.0,2m --dhcp-option=option:router,"$1" \
        --dhcp-option=option:dns-server,"$1" --dhcp-option=option:T1,8 --dhcp-option=option:T2,14 \
        --pid-file="$WORK/dnsmasq.pid" --user=root --log-facility="$WORK/dnsmasq.log" --log-dhcp &
    DNSMASQ_PID=$!
    sleep 0.5
}
stop_dnsmasq() {
    kill "$DNSMASQ_PID" 2>/dev/null || true
    wait "$DNSMASQ_PID" 2>/dev/null || true
    DNSMASQ_PID=""
}
# wait_for PATTERN SECONDS: until mamori-node printed a line matching PATTERN.
wait_for() {
    for _ in $(seq $(($2 * 10))); do
        grep -Eq "$1" "$WORK/node.out" && return 0
        sleep 0.1
    done
    return 1
}

setup_ns
start_dnsmasq "$KERNEL_IP"
ip netns exec "$NS" "$BUILD/mamori-node" --tap "$TAP" --mac "$NODE_MAC" --dhcp >"$WORK/node.out" 2>"$WORK/node.err" &
NODE_PID=$!

check "lease: bound within 20 s" wait_for '^dhcp: bound 198\.18\.0\.(5[0-9]|60) gw 198\.18\.0\.1 server 198\.18\.0\.1' 20
leased=$(awk '/^dhcp: bound/ {print $3; exit}' "$WORK/node.out")
check "lease: the kernel reaches the leased address" in_ns ping -c 2 -i 0.2 -W 1 "${leased:-198.18.0.254}"
check "lease: dnsmasq recorded it" grep -q "$NODE_MAC" "$WORK/leases"
check "renew: DHCPACK at T1 (8 s)" wait_for '^dhcp: renewed' 15

# The server moves to another address: renewals to the old one go nowhere,
# so at T2 the client broadcasts and the new server answers.
stop_dnsmasq
in_ns ip addr del "$KERNEL_IP/24" dev "$TAP"
in_ns ip addr add 198.18.0.3/24 dev "$TAP"
start_dnsmasq 198.18.0.3
check "rebind: bound to the moved server" wait_for '^dhcp: rebound server 198\.18\.0\.3' 30
check "rebind: same address kept" bash -c "in_ns() { ip netns exec $NS \"\$@\"; }; in_ns ping -c 1 -W 1 $leased >/dev/null"

# No server any more: the lease runs out (2 minutes) and the address goes.
stop_dnsmasq
check "expiry: address given back within the lease" wait_for '^dhcp: expired' 150
check "expiry: the address no longer answers" bash -c "! ip netns exec $NS ping -c 2 -i 0.3 -W 1 $leased >/dev/null"
cat "$WORK/node.out"
check "mamori-node exits 0" stop_node
check "counters: one lease bound" test "$(counter dhcp_bound)" -eq 1
check "counters: one lease expired" test "$(counter dhcp_lease_expired)" -eq 1
check "counters: nothing malformed" test "$(counter dhcp_rx_drop_malformed)" -eq 0 -a "$(counter dhcp_rx_drop_options)" -eq 0
finish
