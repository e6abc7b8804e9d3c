/* Ethernet, ARP, IPv4, ICMP and UDP against hand-built frames. */
#include <string.h>

#include "capture_port.h"
#include "check.h"
#include "core/internal.h"
#include "mamori/mamori.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t other_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x09};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static uint32_t now;

static void setup(void)
{
    now = 1000;
    capture_port_init(&cap, &port, 42);
    CHECK_EQ(mamori_stack_init(&stack, &port, our_mac, now), MAMORI_OK);
    CHECK_EQ(mamori_ip4_set_addr(&stack, OUR_IP, 24, MAMORI_IP4(198, 18, 0, 254), false), MAMORI_OK);
    mamori_poll(&stack, now); /* first gratuitous ARP announcement */
    capture_port_clear(&cap);
}

static void feed(const uint8_t *frame, size_t len)
{
    capture_port_queue_rx(&cap, frame, len);
    mamori_poll(&stack, now);
}

/* Teaches the stack the peer's MAC so output needs no resolution. */
static void learn_peer(void)
{
    uint8_t f[64];
    feed(f, build_arp(f, 1, peer_mac, PEER_IP, (const uint8_t[6]){0}, OUR_IP));
    capture_port_clear(&cap);
}

static void test_checksum_rfc1071(void)
{
    /* RFC 1071 §3 example: the sum of these words is 0xddf2. */
    const uint8_t words[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, words, sizeof words)), (uint16_t)~0xddf2);
    /* Odd length: the last byte is padded with a zero on the right. */
    const uint8_t odd[] = {0x01, 0x02, 0x03};
    CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, odd, 3)), (uint16_t)~0x0402);
}

static void test_ping_reply(void)
{
    setup();
    learn_peer();
    uint8_t data[100], f[200];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)i;
    feed(f, build_ping(f, our_mac, peer_mac, PEER_IP, OUR_IP, 0x77, 5, data, sizeof data));
    CHECK_EQ(cap.count, 1);
    const uint8_t *r = cap.frame[0];
    CHECK_MEM(r, peer_mac, 6);
    CHECK_MEM(r + 6, our_mac, 6);
    CHECK_EQ(test_csum(r + 14, 20, 0), 0);          /* IPv4 header checksum */
    CHECK_EQ(r + 14 + 9 < r + cap.len[0] ? r[23] : 0, 1); /* ICMP */
    CHECK_EQ(r[34], 0);                                /* echo reply */
    CHECK_EQ(test_csum(r + 34, 108, 0), 0);            /* ICMP checksum */
    CHECK_EQ(r[38] << 8 | r[39], 0x77);
    CHECK_EQ(r[40] << 8 | r[41], 5);
    CHECK_MEM(r + 42, data, sizeof data);
    CHECK_EQ(stack.stats.icmp_tx_echo_reply, 1);

    /* Disabled echo: counted and ignored. */
    mamori_icmp_set_echo(&stack, false);
    feed(f, build_ping(f, our_mac, peer_mac, PEER_IP, OUR_IP, 0x77, 6, data, 8));
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(stack.stats.icmp_rx_echo_ignored, 1);

    /* Broadcast ping: no reply (RFC 1122 §3.2.2.6 allows silence). */
    mamori_icmp_set_echo(&stack, true);
    feed(f, build_ping(f, (const uint8_t[6]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, peer_mac, PEER_IP,
                       MAMORI_IP4(198, 18, 0, 255), 1, 1, data, 8));
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(stack.stats.icmp_rx_echo_ignored, 2);

    /* Rate limit: one token per second, burst 1. */
    mamori_icmp_set_rate(&stack, 1, 1);
    for (int i = 0; i < 5; i++)
        feed(f, build_ping(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, (uint16_t)i, data, 8));
    CHECK_EQ(cap.count, 2);
    CHECK_EQ(stack.stats.icmp_tx_ratelimited, 4);
    now += 1000;
    feed(f, build_ping(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 9, data, 8));
    CHECK_EQ(cap.count, 3);
}

static void test_udp(void)
{
    setup();
    learn_peer();
    static uint8_t ring[256];
    mamori_udp_t sock;
    CHECK_EQ(mamori_udp_open(&stack, &sock, ring, sizeof ring), MAMORI_OK);
    CHECK_EQ(mamori_udp_bind(&sock, 7), MAMORI_OK);
    mamori_udp_t other;
    static uint8_t ring2[64];
    mamori_udp_open(&stack, &other, ring2, sizeof ring2);
    CHECK_EQ(mamori_udp_bind(&other, 7), MAMORI_ERR_ADDRINUSE);

    uint8_t f[1600], buf[64];
    feed(f, build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 4000, 7, (const uint8_t *)"hello", 5));
    uint32_t src = 0;
    uint16_t sport = 0;
    CHECK_EQ(mamori_udp_recvfrom(&sock, buf, sizeof buf, &src, &sport), 5);
    CHECK_MEM(buf, "hello", 5);
    CHECK_EQ(src, PEER_IP);
    CHECK_EQ(sport, 4000);
    CHECK_EQ(mamori_udp_recvfrom(&sock, buf, sizeof buf, NULL, NULL), MAMORI_ERR_WOULDBLOCK);

    /* The ring fills: datagrams beyond it are counted, not corrupted. */
    uint8_t big[100];
    memset(big, 0xab, sizeof big);
    for (int i = 0; i < 4; i++)
        feed(f, build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 4000, 7, big, sizeof big));
    CHECK_EQ(stack.stats.udp_rx_drop_queue_full, 2);
    CHECK_EQ(mamori_udp_recvfrom(&sock, buf, 10, NULL, NULL), 10); /* truncated, rest discarded */
    CHECK_EQ(mamori_udp_recvfrom(&sock, big, sizeof big, NULL, NULL), 100);
    CHECK_EQ(mamori_udp_recvfrom(&sock, buf, sizeof buf, NULL, NULL), MAMORI_ERR_WOULDBLOCK);

    /* Send: the datagram leaves with a valid UDP checksum. */
    CHECK_EQ(mamori_udp_sendto(&sock, PEER_IP, 9000, "abc", 3), MAMORI_OK);
    CHECK_EQ(cap.count, 1);
    const uint8_t *r = cap.frame[0];
    CHECK_EQ(r[34] << 8 | r[35], 7);
    CHECK_EQ(r[36] << 8 | r[37], 9000);
    uint32_t pseudo = (OUR_IP >> 16) + (OUR_IP & 0xffff) + (PEER_IP >> 16) + (PEER_IP & 0xffff) + 17 + 11;
    CHECK_EQ(test_csum(r + 34, 11, pseudo), 0);
    CHECK_EQ(mamori_udp_sendto(&sock, PEER_IP, 9000, big, MAMORI_UDP_MAX_PAYLOAD + 1), MAMORI_ERR_MSGSIZE);

    /* Closed port: ICMP port unreachable quoting the header and 8 bytes. */
    capture_port_clear(&cap);
    feed(f, build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 4000, 9999, (const uint8_t *)"x", 1));
    CHECK_EQ(stack.stats.udp_rx_drop_noport, 1);
    CHECK_EQ(cap.count, 1);
    r = cap.frame[0];
    CHECK_EQ(r[34], 3);
    CHECK_EQ(r[35], 3);
    CHECK_EQ(cap.len[0], 14 + 20 + 8 + 20 + 8);
    CHECK_MEM(r + 42, f + 14, 28);
    /* ...but never for a broadcast. */
    feed(f, build_udp(f, (const uint8_t[6]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, peer_mac, PEER_IP,
                      0xffffffffu, 4000, 9999, (const uint8_t *)"x", 1));
    CHECK_EQ(cap.count, 1);
    /* An ephemeral bind lands in the RFC 6056 range. */
    mamori_udp_t eph;
    static uint8_t ring3[64];
    mamori_udp_open(&stack, &eph, ring3, sizeof ring3);
    CHECK_EQ(mamori_udp_bind(&eph, 0), MAMORI_OK);
    CHECK(eph.local_port >= 49152);
    mamori_udp_close(&eph);
    mamori_udp_close(&sock);
}

static void test_bad_input(void)
{
    setup();
    learn_peer();
    uint8_t f[1600], g[1600];
    size_t n;

    feed(f, 10);
    CHECK_EQ(stack.stats.eth_rx_drop_short, 1);

    n = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 7, (const uint8_t *)"abcd", 4);
    memcpy(g, f, n);
    g[14] = 0x44; /* IHL 4 < 5 */
    feed(g, n);
    CHECK_EQ(stack.stats.ip_rx_drop_ihl, 1);
    memcpy(g, f, n);
    g[14] = 0x4f; /* IHL 15 (60 bytes) beyond the 32-byte datagram */
    feed(g, 14 + 32);
    CHECK_EQ(stack.stats.ip_rx_drop_ihl, 2);
    memcpy(g, f, n);
    g[14] = 0x65; /* version 6 */
    feed(g, n);
    CHECK_EQ(stack.stats.ip_rx_drop_version, 1);
    memcpy(g, f, n);
    g[16] = 0x05; /* total length 1280+ beyond the frame */
    feed(g, n);
    CHECK_EQ(stack.stats.ip_rx_drop_len, 1);
    memcpy(g, f, n);
    g[16] = 0;
    g[17] = 19; /* total length below the header */
    feed(g, n);
    CHECK_EQ(stack.stats.ip_rx_drop_len, 2);
    memcpy(g, f, n);
    g[24] ^= 0x01; /* header checksum */
    feed(g, n);
    CHECK_EQ(stack.stats.ip_rx_drop_checksum, 1);
    feed(f, 14 + 12); /* truncated header */
    CHECK_EQ(stack.stats.ip_rx_drop_short, 1);

    memcpy(g, f, n);
    g[n - 1] ^= 0x40; /* UDP payload corrupted: checksum catches it */
    feed(g, n);
    CHECK_EQ(stack.stats.udp_rx_drop_checksum, 1);
    memcpy(g, f, n);
    g[38] = 0x10; /* UDP length 4096+ beyond the datagram */
    feed(g, n);
    CHECK_EQ(stack.stats.udp_rx_drop_len, 1);

    n = build_ping(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1, (const uint8_t *)"data", 4);
    f[n - 1] ^= 1;
    feed(f, n);
    CHECK_EQ(stack.stats.icmp_rx_drop_checksum, 1);

    n = build_arp(f, 1, peer_mac, PEER_IP, (const uint8_t[6]){0}, OUR_IP);
    f[18] = 8; /* hardware length 8 */
    feed(f, n);
    f[18] = 6;
    f[19] = 16; /* protocol length 16 */
    feed(f, n);
    CHECK_EQ(stack.stats.arp_rx_drop_malformed, 2);
    feed(f, 20); /* truncated ARP */
    CHECK_EQ(stack.stats.arp_rx_drop_malformed, 3);

    /* Ethernet padding after a short datagram is accepted. */
    n = build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, 9, (const uint8_t *)"a", 1);
    memset(f + n, 0, 20);
    feed(f, n + 20);
    CHECK_EQ(stack.stats.udp_rx_drop_noport, 1);
    /* Spoofed sources: our own address, loopback. */
    n = build_udp(f, our_mac, peer_mac, OUR_IP, OUR_IP, 1, 9, (const uint8_t *)"a", 1);
    feed(f, n);
    n = build_udp(f, our_mac, peer_mac, MAMORI_IP4(127, 0, 0, 1), OUR_IP, 1, 9, (const uint8_t *)"a", 1);
    feed(f, n);
    CHECK_EQ(stack.stats.ip_rx_drop_src, 2);
    /* Another host's address and another host's MAC. */
    n = build_udp(f, our_mac, peer_mac, PEER_IP, MAMORI_IP4(198, 18, 0, 3), 1, 9, (const uint8_t *)"a", 1);
    feed(f, n);
    CHECK_EQ(stack.stats.ip_rx_drop_not_for_us, 1);
    n = build_udp(f, other_mac, peer_mac, PEER_IP, OUR_IP, 1, 9, (const uint8_t *)"a", 1);
    feed(f, n);
    CHECK_EQ(stack.stats.eth_rx_drop_not_for_us, 1);
    CHECK_EQ(cap.count, 1); /* only the one port unreachable above */
}

/* Sends fragment [off, off+len) of a UDP datagram carrying `payload`. */
static void feed_fragment(const uint8_t *udp, size_t udp_len, uint16_t id, size_t off, size_t len, int more)
{
    uint8_t f[1600];
    uint16_t frag = (uint16_t)((off / 8) | (more ? 0x2000 : 0));
    (void)udp_len;
    feed(f, build_ip4(f, our_mac, peer_mac, PEER_IP, OUR_IP, 17, id, frag, udp + off, len));
}

static size_t make_udp_datagram(uint8_t *udp, size_t data_len, uint16_t dport)
{
    uint8_t tmp[4200];
    size_t n = build_udp(tmp, our_mac, peer_mac, PEER_IP, OUR_IP, 5000, dport, udp + 2000, 0);
    (void)n;
    /* Build the UDP header by hand for a large payload. */
    for (size_t i = 0; i < data_len; i++)
        udp[8 + i] = (uint8_t)(i * 7);
    udp[0] = 5000 >> 8;
    udp[1] = 5000 & 0xff;
    udp[2] = (uint8_t)(dport >> 8);
    udp[3] = (uint8_t)dport;
    udp[4] = (uint8_t)((8 + data_len) >> 8);
    udp[5] = (uint8_t)(8 + data_len);
    udp[6] = udp[7] = 0;
    uint32_t pseudo = (PEER_IP >> 16) + (PEER_IP & 0xffff) + (OUR_IP >> 16) + (OUR_IP & 0xffff) + 17 +
                      (uint32_t)(8 + data_len);
    uint16_t c = test_csum(udp, 8 + data_len, pseudo);
    udp[6] = (uint8_t)(c >> 8);
    udp[7] = (uint8_t)c;
    return 8 + data_len;
}

static void test_reassembly(void)
{
    setup();
    static uint8_t ring[8192];
    mamori_udp_t sock;
    mamori_udp_open(&stack, &sock, ring, sizeof ring);
    mamori_udp_bind(&sock, 7);
    static uint8_t udp[4000], out[4000];
    size_t len = make_udp_datagram(udp, 2992, 7); /* 3000 bytes of UDP */

    /* Reverse order with an exact duplicate in the middle. */
    feed_fragment(udp, len, 1, 2400, 600, 0);
    feed_fragment(udp, len, 1, 1200, 1200, 1);
    feed_fragment(udp, len, 1, 1200, 1200, 1);
    feed_fragment(udp, len, 1, 0, 1200, 1);
    CHECK_EQ(stack.stats.ip_frag_reassembled, 1);
    CHECK_EQ(mamori_udp_recvfrom(&sock, out, sizeof out, NULL, NULL), 2992);
    CHECK_MEM(out, udp + 8, 2992);

    /* Overlap with different data: the whole datagram is dropped. */
    feed_fragment(udp, len, 2, 0, 1200, 1);
    feed_fragment(udp, len, 2, 800, 1200, 1);
    CHECK_EQ(stack.stats.ip_frag_drop_overlap, 1);
    feed_fragment(udp, len, 2, 2000, 1000, 0);
    now += MAMORI_IP4_REASS_TIMEOUT_MS + 1;
    mamori_poll(&stack, now);
    CHECK_EQ(stack.stats.ip_frag_drop_timeout, 1); /* the orphan tail expires */
    CHECK_EQ(stack.stats.ip_frag_reassembled, 1);

    /* A fragment reaching past 65535 bytes. */
    uint8_t f[1600];
    feed(f, build_ip4(f, our_mac, peer_mac, PEER_IP, OUR_IP, 17, 3, (uint16_t)(65528 / 8), udp, 16));
    CHECK_EQ(stack.stats.ip_frag_drop_too_long, 1);
    /* Beyond our reassembly buffer. */
    feed(f, build_ip4(f, our_mac, peer_mac, PEER_IP, OUR_IP, 17, 4, (uint16_t)(8192 / 8) | 0x2000, udp, 16));
    CHECK_EQ(stack.stats.ip_frag_drop_nobuf, 1);
    /* A middle fragment whose length is not a multiple of 8. */
    feed(f, build_ip4(f, our_mac, peer_mac, PEER_IP, OUR_IP, 17, 5, 0x2000, udp, 13));
    CHECK_EQ(stack.stats.ip_rx_drop_len, 1);
    /* A last fragment that ends before data already received. */
    feed_fragment(udp, len, 6, 1200, 1200, 1);
    feed_fragment(udp, len, 6, 8, 592, 0);
    CHECK_EQ(stack.stats.ip_frag_drop_overlap, 2);
    mamori_udp_close(&sock);
}

static void test_arp_cache(void)
{
    setup();
    static uint8_t ring[256];
    mamori_udp_t sock;
    mamori_udp_open(&stack, &sock, ring, sizeof ring);
    /* Sending to an unknown neighbour queues the datagram and asks ARP. */
    CHECK_EQ(mamori_udp_sendto(&sock, PEER_IP, 7, "q", 1), MAMORI_OK);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(cap.frame[0][21], 1); /* ARP request */
    CHECK_MEM(cap.frame[0], "\xff\xff\xff\xff\xff\xff", 6);
    /* Retries back off: 500, 1000, 2000 ms; then resolution fails. */
    uint32_t start = now;
    static const struct {
        uint32_t at;
        uint32_t requests;
    } steps[] = {{499, 1}, {500, 2}, {1499, 2}, {1500, 3}, {3499, 3}, {3500, 4}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        now = start + steps[i].at;
        mamori_poll(&stack, now);
        CHECK_EQ(stack.stats.arp_tx_requests, steps[i].requests);
    }
    now = start + 7500;
    uint32_t wait = mamori_poll(&stack, now);
    CHECK_EQ(stack.stats.arp_resolve_fail, 1);
    CHECK_EQ(stack.stats.arp_queue_drop, 1);
    CHECK_EQ(wait, MAMORI_NO_DEADLINE);

    /* A reply releases the queued datagram with the learned MAC. */
    capture_port_clear(&cap);
    mamori_udp_sendto(&sock, PEER_IP, 7, "r", 1);
    uint8_t f[64];
    feed(f, build_arp(f, 2, peer_mac, PEER_IP, our_mac, OUR_IP));
    CHECK_EQ(cap.count, 2);
    CHECK_MEM(cap.frame[1], peer_mac, 6);
    uint8_t mac[6];
    CHECK_EQ(mamori_arp_lookup(&stack, PEER_IP, mac), MAMORI_OK);
    CHECK_MEM(mac, peer_mac, 6);
    /* Entries expire after their TTL. */
    now += MAMORI_ARP_TTL_MS;
    mamori_poll(&stack, now);
    CHECK_EQ(mamori_arp_lookup(&stack, PEER_IP, mac), MAMORI_ERR_NOTFOUND);

    /* The cache is bounded: more neighbours than entries evict the oldest. */
    for (uint32_t i = 0; i < MAMORI_ARP_CACHE_SIZE + 3; i++) {
        uint8_t m[6] = {0x02, 0, 0, 0, 1, (uint8_t)i};
        feed(f, build_arp(f, 1, m, MAMORI_IP4(198, 18, 0, 10 + i), (const uint8_t[6]){0}, OUR_IP));
        now += 10;
    }
    CHECK_EQ(stack.stats.arp_cache_evictions, 3);
    CHECK_EQ(mamori_arp_lookup(&stack, MAMORI_IP4(198, 18, 0, 10), mac), MAMORI_ERR_NOTFOUND);
    CHECK_EQ(mamori_arp_lookup(&stack, MAMORI_IP4(198, 18, 0, 10 + MAMORI_ARP_CACHE_SIZE + 2), mac), MAMORI_OK);
    /* Requests for someone else do not populate the cache (RFC 826 merge). */
    feed(f, build_arp(f, 1, other_mac, MAMORI_IP4(198, 18, 0, 99), (const uint8_t[6]){0}, MAMORI_IP4(198, 18, 0, 98)));
    CHECK_EQ(mamori_arp_lookup(&stack, MAMORI_IP4(198, 18, 0, 99), mac), MAMORI_ERR_NOTFOUND);
    /* The pending queue is bounded. */
    capture_port_clear(&cap);
    for (int i = 0; i < MAMORI_ARP_QUEUE_LEN + 2; i++)
        mamori_udp_sendto(&sock, MAMORI_IP4(198, 18, 0, 200), 7, "q", 1);
    CHECK_EQ(stack.stats.arp_queue_drop, 3);
    mamori_udp_close(&sock);
}

static int events[2];
static void on_addr(mamori_stack_t *s, mamori_addr_event_t ev, uint32_t addr, const uint8_t *mac)
{
    (void)s;
    (void)addr;
    (void)mac;
    events[ev]++;
}

static void test_conflict_detection(void)
{
    now = 1000;
    capture_port_init(&cap, &port, 7);
    mamori_stack_init(&stack, &port, our_mac, now);
    mamori_ip4_set_addr_callback(&stack, on_addr);
    memset(events, 0, sizeof events);
    /* RFC 5227: three probes 1-2 s apart, then announcements. */
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, true);
    for (int i = 0; i < 100; i++) {
        now += 100;
        mamori_poll(&stack, now);
    }
    CHECK_EQ(stack.stats.arp_tx_probe, 3);
    CHECK_EQ(events[MAMORI_ADDR_EVENT_BOUND], 1);
    CHECK_EQ(stack.stats.arp_tx_announce, 2);
    CHECK_EQ(mamori_ip4_addr(&stack), OUR_IP);
    const uint8_t *probe = cap.frame[0];
    CHECK_EQ(probe[28] | probe[29] | probe[30] | probe[31], 0); /* sender 0.0.0.0 */

    /* A conflicting claim while bound: defend once... */
    uint8_t f[64];
    feed(f, build_arp(f, 1, other_mac, OUR_IP, (const uint8_t[6]){0}, OUR_IP));
    CHECK_EQ(stack.stats.arp_conflicts, 1);
    CHECK_EQ(stack.stats.arp_tx_announce, 3);
    CHECK_EQ(mamori_ip4_addr(&stack), OUR_IP);
    /* ...a second within DEFEND_INTERVAL makes us give the address up. */
    now += 1000;
    feed(f, build_arp(f, 1, other_mac, OUR_IP, (const uint8_t[6]){0}, OUR_IP));
    CHECK_EQ(stack.stats.arp_conflicts, 2);
    CHECK_EQ(events[MAMORI_ADDR_EVENT_CONFLICT], 1);
    CHECK_EQ(mamori_ip4_addr(&stack), 0);

    /* A probe from another host for our candidate during probing. */
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, true);
    feed(f, build_arp(f, 1, other_mac, 0, (const uint8_t[6]){0}, OUR_IP));
    CHECK_EQ(events[MAMORI_ADDR_EVENT_CONFLICT], 2);
    CHECK_EQ(mamori_ip4_addr(&stack), 0);
}

int main(void)
{
    test_checksum_rfc1071();
    test_ping_reply();
    test_udp();
    test_bad_input();
    test_reassembly();
    test_arp_cache();
    test_conflict_detection();
    return check_summary("net");
}
