#!/usr/bin/env bash
# DNS and SNTP interop: mamori resolves names served by dnsmasq (A records,
# a CNAME chain, NXDOMAIN) after failing over from a server that does not
# answer, and takes the time from chronyd, all in a private namespace.
. "$(dirname "$0")/lib.sh"
DNSMASQ_PID=""
CHRONY_PID=""
app_cleanup() {
    for pid in $DNSMASQ_PID $CHRONY_PID; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    cleanup
}
trap app_cleanup EXIT

setup_ns
cat >"$WORK/hosts" <<HOSTS
198.18.0.10 www.mamori.test
198.18.0.11 multi.mamori.test
198.18.0.12 multi.mamori.test
HOSTS
ip netns exec "$NS" dnsmasq --keep-in-foreground --local-ttl=60 --conf-file=/dev/null --no-resolv --no-hosts --addn-hosts="$WORK/hosts" \
    --local=/mamori.test/ --cname=alias1.mamori.test,alias2.mamori.test --cname=alias2.mamori.test,www.mamori.test \
    --interface="$TAP" --bind-interfaces --listen-address="$KERNEL_IP" --except-interface=lo --port=53 \
    --no-dhcp-interface="$TAP" --pid-file="$WORK/dnsmasq.pid" --user=root --log-facility="$WORK/dnsmasq.log" &
DNSMASQ_PID=$!
cat >"$WORK/chrony.conf" <<CONF
local stratum 8
allow 198.18.0.0/15
bindaddress $KERNEL_IP
port 123
cmdport 0
pidfile $WORK/chrony.pid
driftfile $WORK/chrony.drift
CONF
ip netns exec "$NS" chronyd -f "$WORK/chrony.conf" -x -d >"$WORK/chrony.log" 2>&1 &
CHRONY_PID=$!
sleep 1

# 198.18.0.9 is nobody: the resolver must fail over to dnsmasq.
start_node --dns 198.18.0.9 --dns "$KERNEL_IP" --sntp "$KERNEL_IP" --resolve www.mamori.test \
    --resolve alias1.mamori.test --resolve multi.mamori.test --resolve nothere.mamori.test --resolve WWW.Mamori.Test
# The sync line is printed when it happens; the kernel's clock is read as soon as it appears
# (the DNS failover below takes seconds, which must not count against the SNTP check).
started=$(date +%s)
synced_seen=
for _ in $(seq 150); do
    if [ -z "$synced_seen" ] && grep -q '^sntp:' "$WORK/node.out"; then synced_seen=$(date +%s); fi
    [ "$(grep -c '^resolve' "$WORK/node.out")" -ge 5 ] && [ -n "$synced_seen" ] && break
    sleep 0.1
done
cat "$WORK/node.out"
check "DNS: A record after failover" grep -q '^resolve www.mamori.test: 198.18.0.10 ttl' "$WORK/node.out"
check "DNS: CNAME chain of two" grep -q '^resolve alias1.mamori.test: 198.18.0.10 ttl' "$WORK/node.out"
check "DNS: two A records" grep -Eq '^resolve multi.mamori.test: 198.18.0.1[12] 198.18.0.1[12] ttl' "$WORK/node.out"
check "DNS: NXDOMAIN" grep -q '^resolve nothere.mamori.test: error name or entry not found' "$WORK/node.out"
check "DNS: cached answer for the same name in other case" grep -q '^resolve WWW.Mamori.Test: 198.18.0.10' "$WORK/node.out"
got=$(awk '/^sntp: synchronised/ {print $4}' "$WORK/node.out")
check "SNTP: synchronised with chronyd" test -n "$got"
check "SNTP: within 2 s of the kernel's clock" test "${got:-0}" -ge $((started - 2)) -a "${got:-0}" -le $((${synced_seen:-0} + 2))
check "mamori-node exits 0" stop_node
check "DNS: one timeout on the silent server" test "$(counter dns_timeouts)" -ge 1
check "DNS: one cache hit" test "$(counter dns_cache_hits)" -ge 1
check "DNS: nothing dropped as malformed" test "$(counter dns_rx_drop_malformed)" -eq 0
check "SNTP: one request, one sync" test "$(counter sntp_sync)" -eq 1
finish
