/*
 * Simulation: two stacks on the virtual wire exchange pings and UDP
 * request/response transactions under 0-30% loss, duplication, reordering
 * and corruption, across many seeds. Every transaction must complete (the
 * client retries), no corrupted payload may be delivered, and all pbufs must
 * be back in the pool at the end.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mamori/mamori.h"
#include "posix/sim.h"
#include "posix/vwire.h"

#define SEEDS 200
#define TRANSACTIONS 20
#define ADDR_A MAMORI_IP4(198, 18, 1, 1)
#define ADDR_B MAMORI_IP4(198, 18, 1, 2)

static mamori_vwire_t wire;
static mamori_sim_t sim;
static mamori_stack_t a, b;
static mamori_udp_t client, server;
static uint8_t client_ring[4096], server_ring[4096];
static int pings_ok, pings_bad, replies_ok, replies_bad;
static uint8_t ping_seen[TRANSACTIONS], reply_seen[TRANSACTIONS];

static void fill_payload(uint8_t *p, size_t len, unsigned seq)
{
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(seq * 131 + i * 7);
}

static size_t payload_len(unsigned seq) { return 1 + (seq * 97) % MAMORI_UDP_MAX_PAYLOAD; }

static void on_ping(mamori_stack_t *s, uint32_t from, uint16_t ident, uint16_t seq, const uint8_t *data, size_t len)
{
    (void)s;
    uint8_t expect[64];
    fill_payload(expect, sizeof expect, seq);
    if (from != ADDR_B || ident != 0x5151 || seq >= TRANSACTIONS || len != sizeof expect || memcmp(data, expect, len)) {
        pings_bad++;
        return;
    }
    if (!ping_seen[seq]++)
        pings_ok++;
}

static void on_server(mamori_udp_t *sock, void *user)
{
    (void)user;
    uint8_t buf[MAMORI_UDP_MAX_PAYLOAD];
    uint32_t src;
    uint16_t sport;
    int n;
    while ((n = mamori_udp_recvfrom(sock, buf, sizeof buf, &src, &sport)) >= 0)
        mamori_udp_sendto(sock, src, sport, buf, (size_t)n);
}

static void on_client(mamori_udp_t *sock, void *user)
{
    (void)user;
    uint8_t buf[MAMORI_UDP_MAX_PAYLOAD], expect[MAMORI_UDP_MAX_PAYLOAD];
    int n;
    while ((n = mamori_udp_recvfrom(sock, buf, sizeof buf, NULL, NULL)) >= 0) {
        unsigned seq = n >= 1 ? buf[0] : 0xff;
        if (seq >= TRANSACTIONS || (size_t)n != payload_len(seq)) {
            replies_bad++;
            continue;
        }
        fill_payload(expect, (size_t)n, seq);
        expect[0] = (uint8_t)seq;
        if (memcmp(buf, expect, (size_t)n)) {
            replies_bad++;
            continue;
        }
        if (!reply_seen[seq]++)
            replies_ok++;
    }
}

static bool ping_done(void *ctx) { return ping_seen[*(unsigned *)ctx] != 0; }
static bool reply_done(void *ctx) { return reply_seen[*(unsigned *)ctx] != 0; }

static bool pool_empty(const mamori_stack_t *s)
{
    for (size_t i = 0; i < MAMORI_PBUF_COUNT; i++)
        if (s->pbufs[i].in_use)
            return false;
    return true;
}

static void run_seed(uint64_t seed, int *incomplete)
{
    uint16_t pct = (uint16_t)(seed % 31); /* 0..30 % */
    mamori_impair_t imp = {.loss_permille = (uint16_t)(pct * 10), .dup_permille = (uint16_t)(pct * 5),
                           .reorder_permille = (uint16_t)(pct * 5), .corrupt_permille = (uint16_t)(pct * 2),
                           .delay_min_ms = 1, .delay_max_ms = 1 + (uint32_t)(seed % 20)};
    mamori_vwire_init(&wire, seed, &imp);
    static mamori_port_t pa, pb;
    mamori_vwire_attach(&wire, &pa);
    mamori_vwire_attach(&wire, &pb);
    static const uint8_t mac_a[6] = {2, 0, 0, 0, 1, 1}, mac_b[6] = {2, 0, 0, 0, 1, 2};
    mamori_stack_init(&a, &pa, mac_a, 0);
    mamori_stack_init(&b, &pb, mac_b, 0);
    mamori_ip4_set_addr(&a, ADDR_A, 24, 0, false);
    mamori_ip4_set_addr(&b, ADDR_B, 24, 0, false);
    mamori_sim_init(&sim, &wire);
    mamori_sim_add(&sim, &a);
    mamori_sim_add(&sim, &b);
    mamori_icmp_set_ping_callback(&a, on_ping);
    mamori_udp_open(&b, &server, server_ring, sizeof server_ring);
    mamori_udp_bind(&server, 7);
    mamori_udp_set_callback(&server, on_server, NULL);
    mamori_udp_open(&a, &client, client_ring, sizeof client_ring);
    mamori_udp_set_callback(&client, on_client, NULL);
    memset(ping_seen, 0, sizeof ping_seen);
    memset(reply_seen, 0, sizeof reply_seen);

    for (unsigned seq = 0; seq < TRANSACTIONS; seq++) {
        uint8_t data[MAMORI_UDP_MAX_PAYLOAD];
        bool done = false;
        for (int attempt = 0; attempt < 40 && !done; attempt++) {
            fill_payload(data, 64, seq);
            mamori_icmp_ping(&a, ADDR_B, 0x5151, (uint16_t)seq, data, 64);
            done = mamori_sim_run_until(&sim, 300, ping_done, &seq);
        }
        done = false;
        for (int attempt = 0; attempt < 40 && !done; attempt++) {
            size_t len = payload_len(seq);
            fill_payload(data, len, seq);
            data[0] = (uint8_t)seq;
            mamori_udp_sendto(&client, ADDR_B, 7, data, len);
            done = mamori_sim_run_until(&sim, 300, reply_done, &seq);
        }
    }
    mamori_sim_run(&sim, 1000); /* let duplicates and stragglers drain */
    for (unsigned seq = 0; seq < TRANSACTIONS; seq++)
        *incomplete += !ping_seen[seq] + !reply_seen[seq];
    CHECK(pool_empty(&a));
    CHECK(pool_empty(&b));
    mamori_udp_close(&client);
    mamori_udp_close(&server);
}

int main(void)
{
    int incomplete = 0;
    uint32_t corrupted = 0, checksum_drops = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        run_seed(seed, &incomplete);
        corrupted += mamori_vwire_counters(&wire, 0)->corrupted + mamori_vwire_counters(&wire, 1)->corrupted;
        checksum_drops += a.stats.ip_rx_drop_checksum + b.stats.ip_rx_drop_checksum + a.stats.udp_rx_drop_checksum +
                          b.stats.udp_rx_drop_checksum + a.stats.icmp_rx_drop_checksum + b.stats.icmp_rx_drop_checksum;
    }
    printf("%d seeds: pings ok %d, UDP replies ok %d, corrupted frames on the wire %u, checksum drops %u\n", SEEDS,
           pings_ok, replies_ok, corrupted, checksum_drops);
    CHECK_EQ(incomplete, 0);
    CHECK_EQ(pings_ok, SEEDS * TRANSACTIONS);
    CHECK_EQ(replies_ok, SEEDS * TRANSACTIONS);
    CHECK_EQ(pings_bad, 0);   /* no corrupted payload slipped through */
    CHECK_EQ(replies_bad, 0);
    CHECK(corrupted > 0 && checksum_drops > 0);
    return check_summary("sim_net");
}
