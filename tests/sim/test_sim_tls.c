/*
 * Simulation: TLS 1.3 over mamori TCP (src/tls/tcp.c). Two stacks on the
 * virtual wire; the client verifies the server's ECDSA P-256 certificate
 * against the test CA (tests/vectors/tls) with the host name, then both ends
 * stream a deterministic byte sequence at once and close with close_notify.
 * Under 0-5% loss with duplication, reordering and corruption, across seeds:
 * each stream must arrive intact (SHA-256 equal), both sessions must end with
 * MAMORI_TLS_EV_CLOSED, no frame buffer may stay in use. Then a client whose
 * SPKI pin does not match must fail and the server must see its alert, and a
 * silent server must trip the handshake deadline.
 *
 * MAMORI_SIM_TLS_BYTES and MAMORI_SIM_TLS_SEEDS override the defaults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vectors/tls/certs.h"
#include "check.h"
#include "mamori/error.h"
#include "mamori/mamori.h"
#include "mamori/sha2.h"
#include "mamori/tcp.h"
#include "mamori/tls.h"
#include "posix/sim.h"
#include "posix/vwire.h"

#define ADDR_A MAMORI_IP4(198, 18, 2, 1)
#define ADDR_B MAMORI_IP4(198, 18, 2, 2)
#define PORT 4433
#define RING 16384
#define REC MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)

typedef struct {
    mamori_tcp_t conn;
    mamori_tls_tcp_t tls;
    mamori_tls_config_t cfg;
    uint8_t rx[RING], tx[RING], trx[REC], ttx[REC], hs[4096];
    uint64_t seed, sent, received;
    mamori_sha256_t tx_hash, rx_hash;
    uint8_t tx_digest[32], rx_digest[32];
    bool open, closing, closed, accepted;
    uint16_t suite, group, sig;
    int error;
} end_t;

static mamori_vwire_t wire;
static mamori_sim_t sim;
static mamori_stack_t a, b;
static mamori_tcp_listener_t listener;
static end_t ea, eb;
static uint64_t bytes_each = 256u << 10;
static mamori_x509_anchor_t anchors[1];
static mamori_x509_store_t store;
static const uint8_t *const chain[] = {test_server_der};
static const size_t chain_lens[] = {sizeof test_server_der};
static const mamori_tls_identity_t identity = {chain, chain_lens, 1,
                                               MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256,
                                               test_server_key, sizeof test_server_key};

/* Inside the test certificates' validity (2026-2046). */
static int64_t fixed_time(void) { return 1800000000; }

static void pattern(uint64_t seed, uint64_t pos, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t x = ((pos + i) / 8) * 0x9e3779b97f4a7c15ull ^ seed;
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 32;
        out[i] = (uint8_t)(x >> (((pos + i) % 8) * 8));
    }
}

/* Moves application data: reads everything, writes what fits, closes once
 * both directions are done. */
static void app(end_t *e)
{
    uint8_t buf[2048];
    int r;
    if (!e->open || e->closed || e->error)
        return;
    while ((r = mamori_tls_tcp_read(&e->tls, buf, sizeof buf)) > 0) {
        mamori_sha256_update(&e->rx_hash, buf, (size_t)r);
        e->received += (uint64_t)r;
    }
    if (r < 0 && r != MAMORI_ERR_WOULDBLOCK && r != MAMORI_ERR_TLS_CLOSED) {
        e->error = r;
        return;
    }
    while (e->sent < bytes_each && !e->closing) {
        size_t n = bytes_each - e->sent < sizeof buf ? (size_t)(bytes_each - e->sent) : sizeof buf;
        pattern(e->seed, e->sent, buf, n);
        r = mamori_tls_tcp_write(&e->tls, buf, n);
        if (r <= 0)
            break;
        mamori_sha256_update(&e->tx_hash, buf, (size_t)r);
        e->sent += (uint64_t)r;
    }
    if (e->sent == bytes_each && e->received == bytes_each && !e->closing) {
        e->closing = true;
        mamori_sha256_final(&e->tx_hash, e->tx_digest);
        mamori_sha256_final(&e->rx_hash, e->rx_digest);
        mamori_tls_tcp_close(&e->tls);
    }
}

static void on_tls(mamori_tls_tcp_t *s, mamori_tls_event_t ev, int err, void *user)
{
    end_t *e = user;
    (void)s;
    switch (ev) {
    case MAMORI_TLS_EV_OPEN:
        e->open = true;
        e->suite = mamori_tls_suite(&s->tls);
        e->group = mamori_tls_group(&s->tls);
        e->sig = mamori_tls_sig_scheme(&s->tls);
        app(e);
        break;
    case MAMORI_TLS_EV_READABLE:
    case MAMORI_TLS_EV_WRITABLE:
        app(e);
        break;
    case MAMORI_TLS_EV_ERROR:
        e->error = err;
        break;
    case MAMORI_TLS_EV_CLOSED:
        e->closed = true;
        break;
    }
}

static void end_init(end_t *e, mamori_stack_t *s, uint64_t seed, bool server)
{
    memset(e, 0, sizeof *e);
    e->seed = seed;
    mamori_sha256_init(&e->tx_hash);
    mamori_sha256_init(&e->rx_hash);
    mamori_tcp_open(s, &e->conn, e->rx, sizeof e->rx, e->tx, sizeof e->tx);
    mamori_tcp_set_user_timeout(&e->conn, 900000);
    e->cfg.is_server = server;
    e->cfg.rng = mamori_drbg_generate;
    e->cfg.rng_ctx = &s->drbg;
    e->cfg.unix_time = fixed_time;
    if (server) {
        e->cfg.identity = &identity;
    } else {
        e->cfg.server_name = TEST_SERVER_NAME;
        e->cfg.trust = &store;
    }
}

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    if (eb.accepted || mamori_tcp_accept(l, &eb.conn) != MAMORI_OK)
        return;
    eb.accepted = true;
    mamori_tcp_set_user_timeout(&eb.conn, 900000);
    CHECK_EQ(mamori_tls_tcp_init(&eb.tls, &eb.conn, &eb.cfg, eb.trx, sizeof eb.trx, eb.ttx,
                                 sizeof eb.ttx, eb.hs, sizeof eb.hs),
             0);
    mamori_tls_tcp_set_callback(&eb.tls, on_tls, &eb);
    mamori_tls_tcp_start(&eb.tls);
}

static bool done(void *ctx)
{
    (void)ctx;
    app(&ea);
    app(&eb);
    mamori_tls_tcp_poll(&ea.tls, sim.now);
    if (eb.accepted)
        mamori_tls_tcp_poll(&eb.tls, sim.now);
    return (ea.closed || ea.error) && (eb.closed || eb.error);
}

static void setup_pair(uint64_t seed, const mamori_impair_t *imp)
{
    static mamori_port_t pa, pb;
    static const uint8_t mac_a[6] = {2, 0, 0, 0, 2, 1}, mac_b[6] = {2, 0, 0, 0, 2, 2};
    mamori_vwire_init(&wire, seed, imp);
    mamori_vwire_attach(&wire, &pa);
    mamori_vwire_attach(&wire, &pb);
    mamori_stack_init(&a, &pa, mac_a, 0);
    mamori_stack_init(&b, &pb, mac_b, 0);
    mamori_ip4_set_addr(&a, ADDR_A, 24, 0, false);
    mamori_ip4_set_addr(&b, ADDR_B, 24, 0, false);
    mamori_sim_init(&sim, &wire);
    mamori_sim_add(&sim, &a);
    mamori_sim_add(&sim, &b);
}

static void start_client(void)
{
    CHECK_EQ(mamori_tls_tcp_init(&ea.tls, &ea.conn, &ea.cfg, ea.trx, sizeof ea.trx, ea.ttx,
                                 sizeof ea.ttx, ea.hs, sizeof ea.hs),
             0);
    mamori_tls_tcp_set_callback(&ea.tls, on_tls, &ea);
    CHECK_EQ(mamori_tls_tcp_connect(&ea.tls, ADDR_B, PORT), 0);
}

static bool frames_free(const mamori_stack_t *s)
{
    for (size_t i = 0; i < MAMORI_PBUF_COUNT; i++)
        if (s->pbufs[i].in_use)
            return false;
    return true;
}

static bool run_seed(uint64_t seed)
{
    uint16_t pct = (uint16_t)(seed % 6);
    mamori_impair_t imp = {.loss_permille = (uint16_t)(pct * 10),
                           .dup_permille = (uint16_t)(pct * 5),
                           .reorder_permille = (uint16_t)(pct * 5),
                           .corrupt_permille = (uint16_t)(pct * 2),
                           .delay_min_ms = 1,
                           .delay_max_ms = 1 + (uint32_t)(seed % 10)};
    bool ok;
    setup_pair(seed, &imp);
    end_init(&ea, &a, seed * 2 + 1, false);
    end_init(&eb, &b, seed * 2 + 2, true);
    mamori_tcp_listen(&b, &listener, PORT, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    start_client();
    ok = mamori_sim_run_until(&sim, 1800000, done, NULL);
    mamori_sim_run(&sim, 2 * MAMORI_TCP_MSL_MS + 120000);
    mamori_tcp_unlisten(&listener);
    ok = ok && ea.closed && eb.closed && !ea.error && !eb.error && ea.received == bytes_each &&
         eb.received == bytes_each && memcmp(ea.rx_digest, eb.tx_digest, 32) == 0 &&
         memcmp(eb.rx_digest, ea.tx_digest, 32) == 0 && frames_free(&a) && frames_free(&b);
    if (!ok)
        fprintf(stderr, "seed %llu (%u%%): closed %d/%d err %d/%d received %llu/%llu open %d/%d\n",
                (unsigned long long)seed, pct, ea.closed, eb.closed, ea.error, eb.error,
                (unsigned long long)ea.received, (unsigned long long)eb.received, ea.open, eb.open);
    CHECK(ok);
    return ok;
}

/* The negotiated parameters of one clean run. */
static void test_parameters(void)
{
    mamori_impair_t imp = {.delay_min_ms = 1, .delay_max_ms = 1};
    uint64_t saved = bytes_each;
    bytes_each = 1000;
    setup_pair(7, &imp);
    end_init(&ea, &a, 1, false);
    end_init(&eb, &b, 2, true);
    mamori_tcp_listen(&b, &listener, PORT, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    start_client();
    CHECK(mamori_sim_run_until(&sim, 60000, done, NULL));
    CHECK(ea.closed && eb.closed);
    CHECK_EQ(ea.suite, MAMORI_TLS_AES_128_GCM_SHA256);
    CHECK_EQ(ea.group, MAMORI_TLS_GROUP_X25519);
    CHECK_EQ(ea.sig, MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256);
    CHECK_EQ(eb.sig, MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256);
    printf("negotiated TLS 1.3 suite %04x group %04x signature %04x\n", ea.suite, ea.group, ea.sig);
    mamori_tcp_unlisten(&listener);
    bytes_each = saved;
}

/* The client's SPKI pin does not match the server's key: the handshake
 * fails on both ends with an alert and nothing hangs. */
static void test_bad_certificate(void)
{
    static const uint8_t wrong_pin[32] = {1};
    mamori_impair_t imp = {.delay_min_ms = 1, .delay_max_ms = 2};
    setup_pair(11, &imp);
    end_init(&ea, &a, 1, false);
    end_init(&eb, &b, 2, true);
    ea.cfg.spki_pin = wrong_pin;
    mamori_tcp_listen(&b, &listener, PORT, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    start_client();
    CHECK(mamori_sim_run_until(&sim, 60000, done, NULL));
    CHECK(ea.error != 0 && eb.error != 0 && !ea.open && !eb.open);
    CHECK_EQ(eb.error, MAMORI_ERR_TLS_ALERT);
    mamori_sim_run(&sim, 2 * MAMORI_TCP_MSL_MS + 120000);
    CHECK(frames_free(&a) && frames_free(&b));
    mamori_tcp_unlisten(&listener);
}

/* A server that accepts TCP but never answers: the client's handshake
 * deadline ends the session. */
static void test_handshake_timeout(void)
{
    mamori_impair_t imp = {.delay_min_ms = 1, .delay_max_ms = 1};
    static mamori_tcp_t silent;
    static uint8_t srx[4096], stx[4096];
    setup_pair(13, &imp);
    end_init(&ea, &a, 1, false);
    mamori_tcp_listen(&b, &listener, PORT, 4);
    start_client();
    mamori_sim_run(&sim, 1000);
    mamori_tcp_open(&b, &silent, srx, sizeof srx, stx, sizeof stx);
    CHECK_EQ(mamori_tcp_accept(&listener, &silent), 0);
    eb.closed = true;
    CHECK(mamori_sim_run_until(&sim, MAMORI_TLS_HANDSHAKE_TIMEOUT_MS + 5000, done, NULL));
    CHECK_EQ(ea.error, MAMORI_ERR_TIMEOUT);
    mamori_tcp_abort(&silent);
    mamori_tcp_unlisten(&listener);
}

int main(int argc, char **argv)
{
    unsigned seeds = 12, passed = 0;
    const char *env = getenv("MAMORI_SIM_TLS_BYTES");
    (void)argc;
    (void)argv;
    if (env)
        bytes_each = strtoull(env, NULL, 0);
    if ((env = getenv("MAMORI_SIM_TLS_SEEDS")))
        seeds = (unsigned)strtoul(env, NULL, 0);
    mamori_x509_store_init(&store, anchors, 1);
    CHECK_EQ(mamori_x509_store_add_der(&store, test_ca_der, sizeof test_ca_der), 0);
    for (unsigned s = 1; s <= seeds; s++)
        passed += run_seed(s);
    printf("%u seeds x %llu bytes each way over TLS 1.3 (ECDSA P-256 chain, X25519): %u intact\n",
           seeds, (unsigned long long)bytes_each, passed);
    test_parameters();
    test_bad_certificate();
    test_handshake_timeout();
    return check_summary("sim_tls");
}
