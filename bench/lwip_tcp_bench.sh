#!/usr/bin/env bash
# Kernel -> lwIP TCP throughput over a TAP device, the peer of the mamori
# figures in bench/tcp_bench.sh (which calls this script; see docs/bench.md
# "TCP"). Run as root.
#
# lwIP is built from Debian's lwip source package (lwIP's unix port: the
# tapif driver and sys_arch.c) outside the repository, in $MAMORI_LWIP_DIR
# (default: ${XDG_CACHE_HOME:-/tmp}/mamori-bench-lwip); a deb-src entry for
# bookworm is added when apt knows no lwip source. Our glue is bench/lwip/:
# a raw-API discard server and its lwipopts.h. Two builds: lwIP's default
# window of four segments (TCP_WND 4 * TCP_MSS) and TCP_WND = TCP_SND_BUF =
# 65535 (the largest without window scaling).
#
#   lwip_tcp_bench.sh build            fetch and build; prints the directory
#                                      holding lwip-discard-4mss, -64k
#   lwip_tcp_bench.sh measure BIN MB   one kernel -> lwIP run, prints Mbit/s
#                                      and lwIP's CPU ms per 100 MB
#   lwip_tcp_bench.sh [MB]             build, then one run of each window
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${MAMORI_LWIP_DIR:-${XDG_CACHE_HOME:-/tmp}/mamori-bench-lwip}

fetch() {
    if ls -d "$DIR"/lwip-*/src/core >/dev/null 2>&1; then
        return 0
    fi
    command -v dpkg-source >/dev/null || apt-get install -y -q dpkg-dev >&2
    if ! apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip$'; then
        cat >/etc/apt/sources.list.d/mamori-bench-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        apt-get update -q >&2
    fi
    if ! apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip$'; then
        echo "lwip_tcp_bench: Debian has no lwip source package here (apt-cache showsrc lwip)" >&2
        exit 1
    fi
    mkdir -p "$DIR"
    (cd "$DIR" && apt-get source -q lwip >&2)
}

build() {
    fetch
    local src
    src=$(ls -d "$DIR"/lwip-*/ | head -1)
    local files=("$src"/src/core/*.c "$src"/src/core/ipv4/*.c "$src"/src/netif/ethernet.c
        "$src"/port/sys_arch.c "$src"/port/netif/tapif.c bench/lwip/main.c)
    local cc=(gcc -std=gnu99 -O2 -Ibench/lwip -I"$src/src/include" -I"$src/port/include")
    "${cc[@]}" "${files[@]}" -o "$DIR/lwip-discard-4mss" -lpthread
    "${cc[@]}" -DLWIP_BENCH_WND=65535 "${files[@]}" -o "$DIR/lwip-discard-64k" -lpthread
    echo "$DIR"
}

# Same namespace, addresses and kernel-side sender as the mamori runs.
ns="mamori-l$$"
out=""
cleanup() {
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true # ours: the lwIP node
    ip netns del "$ns" 2>/dev/null || true
    [ -z "$out" ] || rm -f "$out"
}
trap cleanup EXIT
measure() {
    local bin=$1 bytes=$(($2 * 1024 * 1024)) pid rate
    out=$(mktemp)
    ip netns add "$ns"
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip tuntap add dev ltap0 mode tap
    ip netns exec "$ns" ip link set ltap0 up
    ip netns exec "$ns" ip addr add 198.18.0.1/24 dev ltap0
    PRECONFIGURED_TAPIF=ltap0 ip netns exec "$ns" "$bin" 198.18.0.2 255.255.255.0 9 >"$out" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q '^ready' "$out" && break; sleep 0.05; done
    rate=$(ip netns exec "$ns" timeout 120 python3 bench/tcp_peer.py send 198.18.0.2 9 "$bytes")
    awk -v r="$rate" -v t="$(getconf CLK_TCK)" -v mb="$2" '{printf "%s %.0f\n", r, ($14 + $15) * 1000 / t * 100 / mb}' \
        "/proc/$pid/stat"
    kill "$pid"
    wait "$pid" || true
    grep -q "^lwip-discard: $bytes bytes" "$out" || echo "lwip_tcp_bench: lwIP did not receive $bytes bytes" >&2
    cleanup
}

case "${1:-}" in
build) build ;;
measure) measure "$2" "$3" ;;
*)
    MB=${1:-200}
    build >/dev/null
    echo "lwIP $(ls -d "$DIR"/lwip-*/ | head -1 | xargs basename) (Debian source), kernel -> lwIP over TAP, $MB MB:"
    echo "  TCP_WND 4*MSS: $(measure "$DIR/lwip-discard-4mss" "$MB" | awk '{print $1 " Mbit/s, CPU " $2 " ms per 100 MB"}')"
    echo "  TCP_WND 64 KB: $(measure "$DIR/lwip-discard-64k" "$MB" | awk '{print $1 " Mbit/s, CPU " $2 " ms per 100 MB"}')"
    ;;
esac
