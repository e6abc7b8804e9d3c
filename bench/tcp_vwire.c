/*
 * CPU cost of TCP between two mamori stacks on a perfect virtual wire: A
 * sends N bytes to B, which reads and discards them. Run under
 * `valgrind --tool=callgrind` with N and with 0 to get instructions per
 * byte (bench/tcp_bench.sh does). With a loss rate (per mille, both
 * directions, fixed 5 ms delay) and a seed it reports how much A
 * retransmitted instead. Usage: tcp_vwire BYTES [LOSS_PERMILLE [SEED]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/mamori.h"
#include "mamori/tcp.h"
#include "posix/sim.h"
#include "posix/vwire.h"

static mamori_vwire_t wire;
static mamori_sim_t sim;
static mamori_stack_t a, b;
static mamori_tcp_listener_t listener;
static mamori_tcp_t ca, cb;
static uint8_t a_rx[4096], a_tx[262144], b_rx[262144], b_tx[4096];
static uint64_t total, sent, received;
static bool accepted, eof;

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    accepted = mamori_tcp_accept(l, &cb) == MAMORI_OK;
}

static bool done(void *ctx)
{
    (void)ctx;
    static uint8_t buf[65536];
    while (sent < total && mamori_tcp_state(&ca) == MAMORI_TCP_ESTABLISHED) {
        size_t n = total - sent < sizeof buf ? (size_t)(total - sent) : sizeof buf;
        int r = mamori_tcp_send(&ca, buf, n);
        if (r <= 0)
            break;
        sent += (uint64_t)r;
        if (sent == total)
            mamori_tcp_shutdown(&ca);
    }
    int r;
    while (accepted && (r = mamori_tcp_recv(&cb, buf, sizeof buf)) > 0)
        received += (uint64_t)r;
    if (accepted && r == 0)
        eof = true;
    return eof || total == 0;
}

int main(int argc, char **argv)
{
    total = argc > 1 ? strtoull(argv[1], NULL, 0) : 16u << 20;
    mamori_impair_t lossy = {.loss_permille = (uint16_t)(argc > 2 ? strtoul(argv[2], NULL, 0) : 0),
                             .delay_min_ms = 5, .delay_max_ms = 5};
    mamori_vwire_init(&wire, argc > 3 ? strtoull(argv[3], NULL, 0) : 1, argc > 2 ? &lossy : NULL);
    static mamori_port_t pa, pb;
    mamori_vwire_attach(&wire, &pa);
    mamori_vwire_attach(&wire, &pb);
    static const uint8_t mac_a[6] = {2, 0, 0, 0, 4, 1}, mac_b[6] = {2, 0, 0, 0, 4, 2};
    mamori_stack_init(&a, &pa, mac_a, 0);
    mamori_stack_init(&b, &pb, mac_b, 0);
    mamori_ip4_set_addr(&a, MAMORI_IP4(198, 18, 4, 1), 24, 0, false);
    mamori_ip4_set_addr(&b, MAMORI_IP4(198, 18, 4, 2), 24, 0, false);
    mamori_sim_init(&sim, &wire);
    mamori_sim_add(&sim, &a);
    mamori_sim_add(&sim, &b);
    mamori_tcp_listen(&b, &listener, 9, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    mamori_tcp_open(&a, &ca, a_rx, sizeof a_rx, a_tx, sizeof a_tx);
    mamori_tcp_open(&b, &cb, b_rx, sizeof b_rx, b_tx, sizeof b_tx);
    if (total)
        mamori_tcp_connect(&ca, MAMORI_IP4(198, 18, 4, 2), 9);
    bool ok = mamori_sim_run_until(&sim, 3600000, done, NULL);
    printf("%llu bytes received in %u ms simulated, %u segments sent by A, %u retransmitted (%u fast "
           "retransmits, %u timeouts)\n",
           (unsigned long long)received, sim.now, a.stats.tcp_out_segs, a.stats.tcp_retrans_segs,
           a.stats.tcp_fast_retransmits, a.stats.tcp_rto_timeouts);
    return ok && received == total ? 0 : 1;
}
