/*
 * mamori demo: two stacks on the in-process virtual wire. Stack A resolves B
 * with ARP, pings it and exchanges UDP datagrams with B's echo service; the
 * wire drops and reorders some frames on the way. Prints what happened and
 * the counters; step [4] moves 256 KB over TCP through the same impairments
 * and checks it with SHA-256; step [5] runs a TLS 1.3 handshake over TCP with
 * certificate verification (test CA from tests/vectors/tls) and exchanges a
 * message. Writes every frame A saw to demo.pcap (open it in
 * Wireshark). Usage: demo [--seed N] [--pcap FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/mamori.h"
#include "mamori/sha2.h"
#include "mamori/tcp.h"
#include "mamori/tls.h"
#include "../../tests/vectors/tls/certs.h"
#include "posix/pcap.h"
#include "posix/sim.h"
#include "posix/vwire.h"

#define ADDR_A MAMORI_IP4(198, 18, 0, 1)
#define ADDR_B MAMORI_IP4(198, 18, 0, 2)
#define ECHO_PORT 7
#define PINGS 5
#define DATAGRAMS 5

static mamori_vwire_t wire;
static mamori_sim_t sim;
static mamori_stack_t a, b;
static mamori_udp_t a_sock, b_echo;
static uint8_t a_ring[4096], b_ring[4096];
static uint32_t ping_sent_at[PINGS];
static int pings_back, datagrams_back;

static void print_ip(uint32_t ip) { printf("%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255); }

static void on_ping_reply(mamori_stack_t *s, uint32_t from, uint16_t ident, uint16_t seq, const uint8_t *data, size_t len)
{
    (void)s;
    (void)ident;
    (void)data;
    if (seq >= PINGS || ping_sent_at[seq] == UINT32_MAX)
        return; /* a duplicate the wire made */
    printf("  echo reply from ");
    print_ip(from);
    printf(": seq=%u bytes=%zu time=%u ms\n", seq, len, sim.now - ping_sent_at[seq]);
    ping_sent_at[seq] = UINT32_MAX;
    pings_back++;
}

static void on_echo_request(mamori_udp_t *sock, void *user)
{
    (void)user;
    uint8_t buf[MAMORI_UDP_MAX_PAYLOAD];
    uint32_t src;
    uint16_t sport;
    int n;
    while ((n = mamori_udp_recvfrom(sock, buf, sizeof buf, &src, &sport)) >= 0)
        mamori_udp_sendto(sock, src, sport, buf, (size_t)n);
}

static void on_echo_reply(mamori_udp_t *sock, void *user)
{
    (void)user;
    char buf[128];
    int n;
    while ((n = mamori_udp_recvfrom(sock, buf, sizeof buf - 1, NULL, NULL)) >= 0) {
        buf[n] = 0;
        printf("  UDP echo back: \"%s\"\n", buf);
        datagrams_back++;
    }
}

static void print_counters(const char *name, const mamori_stack_t *s)
{
    printf("counters of %s:", name);
    int col = 0;
    for (size_t i = 0; i < MAMORI_STATS_COUNT; i++) {
        uint32_t v = mamori_stats_value(mamori_stats(s), i);
        if (v)
            printf("%s%s=%u", col++ % 4 ? "  " : "\n  ", mamori_stats_name(i), v);
    }
    printf("\n");
}

/* ---- [4] TCP: A sends TCP_BYTES to B through the lossy wire ---------------- */
#define TCP_PORT 5001
#define TCP_BYTES (256u * 1024u)
static mamori_tcp_listener_t tcp_listener;
static mamori_tcp_t tcp_a, tcp_b;
static uint8_t tcp_a_rx[8192], tcp_a_tx[65536], tcp_b_rx[65536], tcp_b_tx[8192];
static mamori_sha256_t tcp_sent_hash, tcp_recv_hash;
static uint32_t tcp_sent, tcp_received;
static bool tcp_b_eof;

static void tcp_on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    mamori_tcp_accept(l, &tcp_b);
}

static void tcp_pump(void)
{
    uint8_t buf[2048];
    while (tcp_sent < TCP_BYTES && mamori_tcp_state(&tcp_a) >= MAMORI_TCP_ESTABLISHED) {
        size_t n = TCP_BYTES - tcp_sent < sizeof buf ? TCP_BYTES - tcp_sent : sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)((tcp_sent + i) * 31 + 7);
        int r = mamori_tcp_send(&tcp_a, buf, n);
        if (r <= 0)
            break;
        mamori_sha256_update(&tcp_sent_hash, buf, (size_t)r);
        tcp_sent += (uint32_t)r;
        if (tcp_sent == TCP_BYTES)
            mamori_tcp_close(&tcp_a);
    }
    int r;
    while ((r = mamori_tcp_recv(&tcp_b, buf, sizeof buf)) > 0) {
        mamori_sha256_update(&tcp_recv_hash, buf, (size_t)r);
        tcp_received += (uint32_t)r;
    }
    if (r == 0 && !tcp_b_eof) {
        tcp_b_eof = true;
        mamori_tcp_close(&tcp_b);
    }
}

static bool tcp_done(void *ctx)
{
    (void)ctx;
    tcp_pump();
    return tcp_b_eof;
}

static bool tcp_step(void)
{
    printf("\n[4] A sends %u KB to B over TCP through the same lossy wire:\n", TCP_BYTES / 1024);
    mamori_tcp_listen(&b, &tcp_listener, TCP_PORT, 4);
    mamori_tcp_listener_set_callback(&tcp_listener, tcp_on_accept, NULL);
    mamori_tcp_open(&b, &tcp_b, tcp_b_rx, sizeof tcp_b_rx, tcp_b_tx, sizeof tcp_b_tx);
    mamori_tcp_open(&a, &tcp_a, tcp_a_rx, sizeof tcp_a_rx, tcp_a_tx, sizeof tcp_a_tx);
    mamori_sha256_init(&tcp_sent_hash);
    mamori_sha256_init(&tcp_recv_hash);
    uint32_t start = sim.now;
    mamori_tcp_connect(&tcp_a, ADDR_B, TCP_PORT);
    sim.next_timer[0] = sim.now; /* A has a new timer: let the driver poll it */
    bool done = mamori_sim_run_until(&sim, 600000, tcp_done, NULL);
    uint8_t d1[MAMORI_SHA256_LEN], d2[MAMORI_SHA256_LEN];
    mamori_sha256_final(&tcp_sent_hash, d1);
    mamori_sha256_final(&tcp_recv_hash, d2);
    bool intact = done && tcp_received == TCP_BYTES && memcmp(d1, d2, sizeof d1) == 0;
    printf("  %u bytes received in %u ms of simulated time; SHA-256 %s (%02x%02x%02x%02x...)\n", tcp_received,
           sim.now - start, intact ? "equal" : "DIFFERENT", d2[0], d2[1], d2[2], d2[3]);
    printf("  A retransmitted %u segments (%u fast retransmits, %u timeouts); B dropped %u bad checksums\n",
           a.stats.tcp_retrans_segs, a.stats.tcp_fast_retransmits, a.stats.tcp_rto_timeouts,
           b.stats.tcp_rx_drop_checksum);
    mamori_sim_run(&sim, 2000);
    mamori_tcp_unlisten(&tcp_listener);
    return intact;
}

#define TLS_PORT 443
#define TLS_REC MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)

typedef struct {
    mamori_tcp_t conn;
    mamori_tls_tcp_t tls;
    uint8_t rx[8192], tx[8192], trx[TLS_REC], ttx[TLS_REC], hs[4096];
    char got[128];
    size_t got_len;
    bool open, done;
    int err;
} tls_end_t;

static tls_end_t tls_a, tls_b;
static mamori_tcp_listener_t tls_listener;
static const char tls_msg[] = "hello over TLS 1.3 from A";

static int64_t wall_clock(void) { return (int64_t)time(NULL); }

static void tls_on_event(mamori_tls_tcp_t *s, mamori_tls_event_t ev, int err, void *user)
{
    tls_end_t *e = user;
    int n;
    if (ev == MAMORI_TLS_EV_ERROR || ev == MAMORI_TLS_EV_CLOSED) {
        e->err = err;
        e->done = true;
        return;
    }
    if (ev == MAMORI_TLS_EV_OPEN) {
        e->open = true;
        if (e == &tls_a)
            mamori_tls_tcp_write(s, tls_msg, sizeof tls_msg - 1);
    }
    while ((n = mamori_tls_tcp_read(s, e->got + e->got_len, sizeof e->got - 1 - e->got_len)) > 0) {
        if (e == &tls_b) /* B echoes */
            mamori_tls_tcp_write(s, e->got + e->got_len, (size_t)n);
        e->got_len += (size_t)n;
    }
    if (n == MAMORI_ERR_TLS_CLOSED || (e == &tls_a && e->got_len == sizeof tls_msg - 1))
        mamori_tls_tcp_close(s);
}

static const uint8_t *const tls_chain[] = {test_server_der};
static const size_t tls_chain_lens[] = {sizeof test_server_der};
static const mamori_tls_identity_t tls_identity = {tls_chain, tls_chain_lens, 1,
                                                   MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256,
                                                   test_server_key, sizeof test_server_key};
static mamori_tls_config_t tls_server_cfg = {.is_server = 1, .identity = &tls_identity,
                                             .unix_time = wall_clock};

static void tls_on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    if (mamori_tcp_accept(l, &tls_b.conn) != MAMORI_OK)
        return;
    mamori_tls_tcp_init(&tls_b.tls, &tls_b.conn, &tls_server_cfg, tls_b.trx, sizeof tls_b.trx, tls_b.ttx,
                        sizeof tls_b.ttx, tls_b.hs, sizeof tls_b.hs);
    mamori_tls_tcp_set_callback(&tls_b.tls, tls_on_event, &tls_b);
    mamori_tls_tcp_start(&tls_b.tls);
}

static bool tls_done(void *ctx)
{
    (void)ctx;
    mamori_tls_tcp_poll(&tls_a.tls, sim.now);
    return tls_a.done && tls_b.done;
}

static const char *tls_name(uint16_t v)
{
    switch (v) {
    case MAMORI_TLS_AES_128_GCM_SHA256: return "TLS_AES_128_GCM_SHA256";
    case MAMORI_TLS_GROUP_X25519: return "x25519";
    case MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256: return "ecdsa_secp256r1_sha256";
    default: return "?";
    }
}

static bool tls_step(void)
{
    static mamori_x509_anchor_t anchor[1];
    static mamori_x509_store_t store;
    static mamori_tls_config_t client_cfg;
    uint16_t suite, group, sig;
    printf("\n[5] A opens TLS 1.3 to B (\"%s\", certificate from the demo CA) over TCP:\n", TEST_SERVER_NAME);
    mamori_x509_store_init(&store, anchor, 1);
    mamori_x509_store_add_der(&store, test_ca_der, sizeof test_ca_der);
    client_cfg.rng = mamori_drbg_generate;
    client_cfg.rng_ctx = &a.drbg;
    client_cfg.server_name = TEST_SERVER_NAME;
    client_cfg.trust = &store;
    client_cfg.unix_time = wall_clock;
    tls_server_cfg.rng = mamori_drbg_generate;
    tls_server_cfg.rng_ctx = &b.drbg;
    mamori_tcp_listen(&b, &tls_listener, TLS_PORT, 4);
    mamori_tcp_listener_set_callback(&tls_listener, tls_on_accept, NULL);
    mamori_tcp_open(&b, &tls_b.conn, tls_b.rx, sizeof tls_b.rx, tls_b.tx, sizeof tls_b.tx);
    mamori_tcp_open(&a, &tls_a.conn, tls_a.rx, sizeof tls_a.rx, tls_a.tx, sizeof tls_a.tx);
    mamori_tls_tcp_init(&tls_a.tls, &tls_a.conn, &client_cfg, tls_a.trx, sizeof tls_a.trx, tls_a.ttx,
                        sizeof tls_a.ttx, tls_a.hs, sizeof tls_a.hs);
    mamori_tls_tcp_set_callback(&tls_a.tls, tls_on_event, &tls_a);
    uint32_t start = sim.now;
    mamori_tls_tcp_connect(&tls_a.tls, ADDR_B, TLS_PORT);
    sim.next_timer[0] = sim.now;
    mamori_sim_run_until(&sim, 600000, tls_done, NULL);
    suite = mamori_tls_suite(&tls_a.tls.tls);
    group = mamori_tls_group(&tls_a.tls.tls);
    sig = mamori_tls_sig_scheme(&tls_a.tls.tls);
    bool ok = tls_a.open && tls_b.open && tls_a.err == 0 && tls_a.got_len == sizeof tls_msg - 1 &&
              memcmp(tls_a.got, tls_msg, tls_a.got_len) == 0;
    tls_a.got[tls_a.got_len] = 0;
    if (tls_a.open)
        printf("  handshake done: TLS 1.3, %s, group %s, server signature %s; chain verified to the demo CA\n",
               tls_name(suite), tls_name(group), tls_name(sig));
    printf("  B echoed \"%s\"; both sides closed with close_notify in %u ms of simulated time: %s\n", tls_a.got,
           sim.now - start, ok ? "ok" : "FAILED");
    mamori_sim_run(&sim, 2000);
    mamori_tcp_unlisten(&tls_listener);
    return ok;
}

int main(int argc, char **argv)
{
    uint64_t seed = 2026;
    const char *pcap_path = "demo.pcap";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--pcap"))
            pcap_path = argv[i + 1];
    }
    /* 10% loss, 5% duplication and 10% reordering, 1-5 ms of delay. */
    const mamori_impair_t impair = {.loss_permille = 100, .dup_permille = 50, .reorder_permille = 100,
                                    .delay_min_ms = 1, .delay_max_ms = 5};
    mamori_vwire_init(&wire, seed, &impair);
    mamori_port_t port_a_raw, port_a, port_b;
    mamori_vwire_attach(&wire, &port_a_raw);
    mamori_vwire_attach(&wire, &port_b);
    static mamori_pcap_t pcap;
    static mamori_pcap_wrap_t wrap;
    if (mamori_pcap_open(&pcap, pcap_path) != 0) {
        fprintf(stderr, "cannot write %s\n", pcap_path);
        return 1;
    }
    mamori_pcap_wrap(&wrap, &pcap, &port_a_raw, &port_a);

    static const uint8_t mac_a[6] = {0x02, 0x6d, 0x61, 0x6d, 0x00, 0x01};
    static const uint8_t mac_b[6] = {0x02, 0x6d, 0x61, 0x6d, 0x00, 0x02};
    mamori_stack_init(&a, &port_a, mac_a, 0);
    mamori_stack_init(&b, &port_b, mac_b, 0);
    mamori_ip4_set_addr(&a, ADDR_A, 24, 0, false);
    mamori_ip4_set_addr(&b, ADDR_B, 24, 0, false);
    mamori_sim_init(&sim, &wire);
    mamori_sim_add(&sim, &a);
    mamori_sim_add(&sim, &b);
    printf("mamori demo: stack A ");
    print_ip(ADDR_A);
    printf(" and stack B ");
    print_ip(ADDR_B);
    printf(" on a virtual wire (seed %llu: 10%% loss, 5%% duplication, 10%% reordering)\n",
           (unsigned long long)seed);

    printf("\n[1] A pings B %d times, one per second (the first waits for ARP):\n", PINGS);
    mamori_icmp_set_ping_callback(&a, on_ping_reply);
    for (uint16_t seq = 0; seq < PINGS; seq++) {
        ping_sent_at[seq] = sim.now;
        mamori_icmp_ping(&a, ADDR_B, 0x6d6d, seq, "mamori ping", 11);
        mamori_sim_run(&sim, 1000);
    }
    uint8_t mac[6];
    if (mamori_arp_lookup(&a, ADDR_B, mac) == 0)
        printf("  ARP: A learned B at %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    printf("  %d of %d pings answered\n", pings_back, PINGS);

    printf("\n[2] A sends %d datagrams to B's UDP echo service on port %d:\n", DATAGRAMS, ECHO_PORT);
    mamori_udp_open(&b, &b_echo, b_ring, sizeof b_ring);
    mamori_udp_bind(&b_echo, ECHO_PORT);
    mamori_udp_set_callback(&b_echo, on_echo_request, NULL);
    mamori_udp_open(&a, &a_sock, a_ring, sizeof a_ring);
    mamori_udp_set_callback(&a_sock, on_echo_reply, NULL);
    for (int i = 0; i < DATAGRAMS; i++) {
        char msg[64];
        int n = snprintf(msg, sizeof msg, "datagram %d from A", i);
        mamori_udp_sendto(&a_sock, ADDR_B, ECHO_PORT, msg, (size_t)n);
        mamori_sim_run(&sim, 200);
    }
    printf("  %d echoes received (lost ones are UDP's nature; duplicates are the wire's)\n", datagrams_back);

    printf("\n[3] A sends to a closed port on B: B answers ICMP port unreachable.\n");
    for (int tries = 0; tries < 5 && a.stats.icmp_rx_unreach == 0; tries++) {
        mamori_udp_sendto(&a_sock, ADDR_B, 9, "anyone?", 7);
        mamori_sim_run(&sim, 200);
    }
    printf("  A received %u destination-unreachable message(s)\n", a.stats.icmp_rx_unreach);

    bool tcp_ok = tcp_step();
    bool tls_ok = tls_step();

    printf("\n");
    print_counters("A", &a);
    print_counters("B", &b);
    const mamori_vwire_counters_t *w = mamori_vwire_counters(&wire, 1);
    printf("wire into B: delivered=%u lost=%u duplicated=%u reordered=%u\n", w->delivered, w->lost, w->duplicated,
           w->reordered);
    if (mamori_pcap_close(&pcap) == 0)
        printf("\nframes seen by A written to %s (%u records)\n", pcap_path, pcap.records);
    return pings_back > 0 && datagrams_back > 0 && tcp_ok && tls_ok ? 0 : 1;
}
