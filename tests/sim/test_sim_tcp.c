/*
 * Simulation: two stacks on the virtual wire open a TCP connection and
 * transfer a deterministic byte stream in both directions at once, under
 * 0-20% loss with duplication, reordering, corruption and delay, across many
 * seeds. Each stream must arrive intact (SHA-256 equal), both connections
 * must close gracefully, and afterwards every pool must be empty: no frame
 * buffer in use, no connection linked, no SYN cache or TIME-WAIT entry left.
 * Then 1000 sequential short connections under 5% loss must leave the pools
 * empty too, and a peer that vanishes mid-transfer must end in a timeout.
 *
 * MAMORI_SIM_TCP_BYTES and MAMORI_SIM_TCP_SEEDS override the defaults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mamori/mamori.h"
#include "mamori/sha2.h"
#include "mamori/tcp.h"
#include "posix/sim.h"
#include "posix/vwire.h"

#define ADDR_A MAMORI_IP4(198, 18, 2, 1)
#define ADDR_B MAMORI_IP4(198, 18, 2, 2)
#define PORT 5001
#define RING 65536

typedef struct {
    mamori_tcp_t conn;
    uint8_t rx[RING], tx[RING];
    uint64_t pattern_seed;
    uint64_t sent, received;
    mamori_sha256_t tx_hash, rx_hash;
    uint8_t tx_digest[32], rx_digest[32];
    bool shut, eof, closed, released, accepted;
    int error;
} end_t;

static mamori_vwire_t wire;
static mamori_sim_t sim;
static mamori_stack_t a, b;
static mamori_tcp_listener_t listener;
static end_t ea, eb;
static uint64_t bytes_each = 2u << 20;

/* Byte i of a stream: byte i % 8 of a keyed mix of i / 8, so any slice can be rebuilt. */
static void pattern(uint64_t seed, uint64_t pos, uint8_t *out, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint64_t word = (pos + i) / 8;
        uint64_t x = word * 0x9e3779b97f4a7c15ull ^ seed;
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 32;
        for (unsigned k = (unsigned)((pos + i) % 8); k < 8 && i < n; k++, i++)
            out[i] = (uint8_t)(x >> (k * 8));
    }
}

static void on_event(mamori_tcp_t *c, mamori_tcp_event_t ev, int err, void *user)
{
    (void)c;
    end_t *e = user;
    if (ev == MAMORI_TCP_EV_ERROR) {
        e->error = err;
        e->released = true;
    } else if (ev == MAMORI_TCP_EV_CLOSED) {
        e->released = true;
    }
}

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    if (!eb.accepted && mamori_tcp_accept(l, &eb.conn) == MAMORI_OK)
        eb.accepted = true; /* end_init() set the options; accept() keeps them */
}

static void pump(end_t *e)
{
    uint8_t buf[4096];
    if (e == &eb && !e->accepted)
        return;
    while (e->sent < bytes_each && !e->shut) {
        size_t n = bytes_each - e->sent < sizeof buf ? (size_t)(bytes_each - e->sent) : sizeof buf;
        pattern(e->pattern_seed, e->sent, buf, n);
        int r = mamori_tcp_send(&e->conn, buf, n);
        if (r <= 0)
            break;
        mamori_sha256_update(&e->tx_hash, buf, (size_t)r);
        e->sent += (uint64_t)r;
    }
    if (e->sent == bytes_each && !e->shut && mamori_tcp_shutdown(&e->conn) == MAMORI_OK) {
        e->shut = true;
        mamori_sha256_final(&e->tx_hash, e->tx_digest);
    }
    int r;
    while ((r = mamori_tcp_recv(&e->conn, buf, sizeof buf)) > 0) {
        mamori_sha256_update(&e->rx_hash, buf, (size_t)r);
        e->received += (uint64_t)r;
    }
    if (r == 0 && !e->eof) {
        e->eof = true;
        mamori_sha256_final(&e->rx_hash, e->rx_digest);
    }
    if (e->eof && e->shut && !e->closed) {
        e->closed = true;
        mamori_tcp_close(&e->conn);
        if (mamori_tcp_state(&e->conn) == MAMORI_TCP_CLOSED)
            e->released = true;
    }
}

/* API calls made here may start timers the simulation driver has not seen:
 * poll both stacks once more and record their next deadlines as it does. */
static void resync(void)
{
    for (size_t i = 0; i < sim.count; i++) {
        uint32_t wait = mamori_poll(sim.stacks[i], sim.now);
        sim.next_timer[i] = wait == UINT32_MAX ? sim.now + 0x7fffffffu : sim.now + (wait ? wait : 1);
    }
}

static bool transfer_done(void *ctx)
{
    (void)ctx;
    pump(&ea);
    pump(&eb);
    resync();
    return (ea.released || ea.error) && (eb.released || eb.error || (!eb.accepted && ea.error));
}

static bool pool_empty(const mamori_stack_t *s)
{
    for (size_t i = 0; i < MAMORI_PBUF_COUNT; i++)
        if (s->pbufs[i].in_use)
            return false;
    if (s->tcp.conns)
        return false;
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++)
        if (s->tcp.tw[i].used)
            return false;
    return true;
}

static bool syn_cache_empty(void)
{
    for (size_t i = 0; i < MAMORI_TCP_BACKLOG; i++)
        if (listener.syn[i].used)
            return false;
    return true;
}

static void end_init(end_t *e, mamori_stack_t *s, uint64_t seed)
{
    memset(e, 0, sizeof *e);
    e->pattern_seed = seed;
    mamori_sha256_init(&e->tx_hash);
    mamori_sha256_init(&e->rx_hash);
    mamori_tcp_open(s, &e->conn, e->rx, sizeof e->rx, e->tx, sizeof e->tx);
    mamori_tcp_set_callback(&e->conn, on_event, e);
    /* At 20% loss a segment can be lost nine times running; give up only
     * after the full MAMORI_TCP_MAX_RETRIES backoff, not after one minute. */
    mamori_tcp_set_user_timeout(&e->conn, 900000);
}

/* Returns true when the seed passed every check. */
static bool run_seed(uint64_t seed, uint32_t *sim_ms)
{
    uint16_t pct = (uint16_t)(seed % 21); /* 0..20 % */
    mamori_impair_t imp = {.loss_permille = (uint16_t)(pct * 10), .dup_permille = (uint16_t)(pct * 5),
                           .reorder_permille = (uint16_t)(pct * 5), .corrupt_permille = (uint16_t)(pct * 2),
                           .delay_min_ms = 1, .delay_max_ms = 1 + (uint32_t)(seed % 20)};
    mamori_vwire_init(&wire, seed, &imp);
    static mamori_port_t pa, pb;
    mamori_vwire_attach(&wire, &pa);
    mamori_vwire_attach(&wire, &pb);
    static const uint8_t mac_a[6] = {2, 0, 0, 0, 2, 1}, mac_b[6] = {2, 0, 0, 0, 2, 2};
    mamori_stack_init(&a, &pa, mac_a, 0);
    mamori_stack_init(&b, &pb, mac_b, 0);
    mamori_ip4_set_addr(&a, ADDR_A, 24, 0, false);
    mamori_ip4_set_addr(&b, ADDR_B, 24, 0, false);
    mamori_sim_init(&sim, &wire);
    mamori_sim_add(&sim, &a);
    mamori_sim_add(&sim, &b);
    end_init(&ea, &a, seed * 2 + 1);
    end_init(&eb, &b, seed * 2 + 2);
    mamori_tcp_listen(&b, &listener, PORT, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    /* A connect timeout is legitimate under heavy loss: retry like an application. */
    bool done = false;
    for (int attempt = 0; attempt < 5 && !done; attempt++) {
        if (attempt)
            end_init(&ea, &a, seed * 2 + 1);
        mamori_poll(&a, sim.now);
        CHECK_EQ(mamori_tcp_connect(&ea.conn, ADDR_B, PORT), MAMORI_OK);
        resync();
        done = mamori_sim_run_until(&sim, 1800000, transfer_done, NULL);
        if (ea.error == MAMORI_ERR_TIMEOUT && !eb.accepted)
            done = false;
    }
    uint32_t t0 = sim.now;
    mamori_sim_run(&sim, 2 * MAMORI_TCP_MSL_MS + 120000); /* TIME-WAIT and stragglers */
    *sim_ms = t0;
    mamori_tcp_unlisten(&listener);
    bool ok = done && ea.error == 0 && eb.error == 0 && ea.eof && eb.eof && ea.received == bytes_each &&
              eb.received == bytes_each && memcmp(ea.rx_digest, eb.tx_digest, 32) == 0 &&
              memcmp(eb.rx_digest, ea.tx_digest, 32) == 0;
    bool empty = pool_empty(&a) && pool_empty(&b) && syn_cache_empty();
    if (!ok || !empty)
        fprintf(stderr,
                "seed %llu (%u%%): done=%d err a=%d b=%d eof a=%d b=%d received a=%llu b=%llu states a=%s b=%s "
                "pools empty=%d\n",
                (unsigned long long)seed, pct, done, ea.error, eb.error, ea.eof, eb.eof,
                (unsigned long long)ea.received, (unsigned long long)eb.received,
                mamori_tcp_state_name(mamori_tcp_state(&ea.conn)), mamori_tcp_state_name(mamori_tcp_state(&eb.conn)),
                empty);
    CHECK(ok);
    CHECK(empty);
    return ok && empty;
}

static void setup_pair(uint64_t seed, const mamori_impair_t *imp)
{
    mamori_vwire_init(&wire, seed, imp);
    static mamori_port_t pa, pb;
    mamori_vwire_attach(&wire, &pa);
    mamori_vwire_attach(&wire, &pb);
    static const uint8_t mac_a[6] = {2, 0, 0, 0, 2, 1}, mac_b[6] = {2, 0, 0, 0, 2, 2};
    mamori_stack_init(&a, &pa, mac_a, 0);
    mamori_stack_init(&b, &pb, mac_b, 0);
    mamori_ip4_set_addr(&a, ADDR_A, 24, 0, false);
    mamori_ip4_set_addr(&b, ADDR_B, 24, 0, false);
    mamori_sim_init(&sim, &wire);
    mamori_sim_add(&sim, &a);
    mamori_sim_add(&sim, &b);
}

/* 1000 connections one after the other, 100 bytes each way; A closes first
 * (TIME-WAIT records on A recycle), and nothing may be left afterwards. */
static void test_sequential(void)
{
    mamori_impair_t imp = {.loss_permille = 50, .dup_permille = 10, .reorder_permille = 20, .delay_min_ms = 1,
                           .delay_max_ms = 3};
    setup_pair(4242, &imp);
    mamori_tcp_listen(&b, &listener, PORT, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    uint64_t saved = bytes_each;
    bytes_each = 100;
    unsigned ok = 0;
    for (unsigned i = 0; i < 1000; i++) {
        end_init(&ea, &a, i * 2 + 1);
        end_init(&eb, &b, i * 2 + 2);
        mamori_poll(&a, sim.now); /* A may have slept: timers count from its last poll */
        if (mamori_tcp_connect(&ea.conn, ADDR_B, PORT) != MAMORI_OK)
            continue;
        resync();
        bool done = mamori_sim_run_until(&sim, 600000, transfer_done, NULL);
        bool good = done && !ea.error && !eb.error && ea.received == 100 && eb.received == 100 &&
                    memcmp(ea.rx_digest, eb.tx_digest, 32) == 0;
        if (!good && getenv("MAMORI_SIM_TCP_VERBOSE"))
            fprintf(stderr, "connection %u: done=%d err %d/%d received %llu/%llu accepted=%d\n", i, done, ea.error,
                    eb.error, (unsigned long long)ea.received, (unsigned long long)eb.received, eb.accepted);
        ok += good;
    }
    bytes_each = saved;
    mamori_sim_run(&sim, 2 * MAMORI_TCP_MSL_MS + 120000);
    mamori_tcp_unlisten(&listener);
    printf("1000 sequential connections: %u intact; TIME-WAIT records recycled %u; pools empty %d/%d\n", ok,
           a.stats.tcp_tw_recycled, pool_empty(&a), pool_empty(&b));
    CHECK_EQ(ok, 1000);
    CHECK(pool_empty(&a) && pool_empty(&b) && syn_cache_empty());
    CHECK_EQ(a.stats.tcp_curr_estab, 0);
    CHECK_EQ(b.stats.tcp_curr_estab, 0);
}

/* The peer vanishes (every frame lost from then on) in the middle of a
 * transfer both ways: both ends give up with MAMORI_ERR_TIMEOUT after their
 * user timeout, and nothing is left. */
static void test_peer_death(void)
{
    setup_pair(777, NULL);
    mamori_tcp_listen(&b, &listener, PORT, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    uint64_t saved = bytes_each;
    bytes_each = 64u << 20;
    end_init(&ea, &a, 1);
    end_init(&eb, &b, 2);
    mamori_tcp_set_user_timeout(&ea.conn, 30000);
    mamori_tcp_set_user_timeout(&eb.conn, 30000);
    mamori_tcp_connect(&ea.conn, ADDR_B, PORT);
    resync();
    mamori_sim_run_until(&sim, 200, transfer_done, NULL); /* connected, data flowing both ways */
    CHECK(eb.accepted && ea.received > 0 && eb.received > 0);
    mamori_impair_t dead = {.loss_permille = 1000};
    mamori_vwire_set_impair(&wire, &dead);
    uint32_t t0 = sim.now;
    mamori_sim_run_until(&sim, 600000, transfer_done, NULL);
    printf("peer death: both ends gave up after %u ms (%s / %s)\n", sim.now - t0, mamori_strerror(ea.error),
           mamori_strerror(eb.error));
    CHECK_EQ(ea.error, MAMORI_ERR_TIMEOUT);
    CHECK_EQ(eb.error, MAMORI_ERR_TIMEOUT);
    CHECK(sim.now - t0 <= 30000 + MAMORI_TCP_RTO_MAX_MS);
    bytes_each = saved;
    mamori_tcp_unlisten(&listener);
    mamori_sim_run(&sim, 2 * MAMORI_TCP_MSL_MS + 1000);
    CHECK(pool_empty(&a) && pool_empty(&b));
}

int main(int argc, char **argv)
{
    unsigned seeds = 200, first = 1;
    const char *env = getenv("MAMORI_SIM_TCP_BYTES");
    if (env)
        bytes_each = strtoull(env, NULL, 0);
    env = getenv("MAMORI_SIM_TCP_SEEDS");
    if (env)
        seeds = (unsigned)strtoul(env, NULL, 0);
    if (argc > 1) { /* replay one seed */
        first = (unsigned)strtoul(argv[1], NULL, 0);
        seeds = 1;
    }
    unsigned passed_seeds = 0;
    uint64_t retrans = 0, fast = 0, rto = 0, csum = 0, ooo = 0, corrupted = 0;
    uint32_t worst_ms = 0;
    for (unsigned seed = first; seed < first + seeds; seed++) {
        uint32_t ms = 0;
        passed_seeds += run_seed(seed, &ms);
        if (ms > worst_ms)
            worst_ms = ms;
        retrans += a.stats.tcp_retrans_segs + b.stats.tcp_retrans_segs;
        fast += a.stats.tcp_fast_retransmits + b.stats.tcp_fast_retransmits;
        rto += a.stats.tcp_rto_timeouts + b.stats.tcp_rto_timeouts;
        csum += a.stats.tcp_rx_drop_checksum + b.stats.tcp_rx_drop_checksum + a.stats.ip_rx_drop_checksum +
                b.stats.ip_rx_drop_checksum;
        ooo += a.stats.tcp_rx_ooo + b.stats.tcp_rx_ooo;
        corrupted += mamori_vwire_counters(&wire, 0)->corrupted + mamori_vwire_counters(&wire, 1)->corrupted;
    }
    printf("%u seeds x %llu bytes each way: %u intact; retransmissions %llu (fast %llu, RTO %llu), out-of-order %llu, "
           "corrupted frames %llu, checksum drops %llu, slowest transfer %u ms simulated\n",
           seeds, (unsigned long long)bytes_each, passed_seeds, (unsigned long long)retrans, (unsigned long long)fast,
           (unsigned long long)rto, (unsigned long long)ooo, (unsigned long long)corrupted,
           (unsigned long long)csum, worst_ms);
    CHECK_EQ(passed_seeds, seeds);
    if (argc <= 1) {
        test_sequential();
        test_peer_death();
    }
    return check_summary("sim_tcp");
}
