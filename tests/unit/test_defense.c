/* Receive filter, class rate limits, storm control and stealth. */
#include <string.h>

#include "capture_port.h"
#include "check.h"
#include "mamori/mamori.h"

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x07};
static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static uint32_t now;
static int hook_calls, hook_class, hook_block;

static void class_hook(void *ctx, int cls, int block)
{
    (void)ctx;
    hook_calls++;
    hook_class = cls;
    hook_block = block;
}

static void setup(void)
{
    now = 1000;
    capture_port_init(&cap, &port, 3);
    port.rx_class_control = class_hook;
    hook_calls = 0;
    CHECK_EQ(mamori_stack_init(&stack, &port, our_mac, now), MAMORI_OK);
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, false);
    mamori_poll(&stack, now);
    uint8_t f[64];
    capture_port_queue_rx(&cap, f, build_arp(f, 2, peer_mac, PEER_IP, our_mac, OUR_IP));
    mamori_poll(&stack, now);
    capture_port_clear(&cap);
}

static void feed(const uint8_t *frame, size_t len)
{
    capture_port_queue_rx(&cap, frame, len);
    mamori_poll(&stack, now);
}

static void ping_from(const uint8_t mac[6], uint32_t src, uint16_t seq)
{
    uint8_t f[128];
    feed(f, build_ping(f, our_mac, mac, src, OUR_IP, 1, seq, (const uint8_t *)"abcdefgh", 8));
}

static void test_mac_and_ethertype(void)
{
    setup();
    mamori_filter_allow_mac(&stack, peer_mac);
    ping_from(other_mac, PEER_IP, 1);
    CHECK_EQ(stack.stats.filter_drop_mac, 1);
    CHECK_EQ(cap.count, 0);
    ping_from(peer_mac, PEER_IP, 2);
    CHECK_EQ(cap.count, 1);

    mamori_filter_clear(&stack);
    mamori_filter_ethertypes(&stack, false, true);
    uint8_t f[64];
    uint32_t arp_before = stack.stats.arp_rx;
    feed(f, build_arp(f, 1, other_mac, MAMORI_IP4(198, 18, 0, 9), (const uint8_t[6]){0}, OUR_IP));
    CHECK_EQ(stack.stats.filter_drop_ethertype, 1);
    CHECK_EQ(stack.stats.arp_rx, arp_before);
}

static void test_source_prefixes(void)
{
    setup();
    /* Deny one host, allow its /24: first match decides, the rest is denied. */
    mamori_filter_add_src(&stack, MAMORI_IP4(198, 18, 0, 66), 32, false);
    mamori_filter_add_src(&stack, MAMORI_IP4(198, 18, 0, 0), 24, true);
    ping_from(peer_mac, PEER_IP, 1);
    CHECK_EQ(cap.count, 1);
    ping_from(peer_mac, MAMORI_IP4(198, 18, 0, 66), 2);
    ping_from(peer_mac, MAMORI_IP4(198, 19, 0, 1), 3);
    CHECK_EQ(stack.stats.filter_drop_src, 2);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(stack.stats.icmp_rx, 1); /* the dropped ones never reached ICMP */
}

static void test_port_rules(void)
{
    setup();
    static uint8_t ring[256];
    mamori_udp_t sock;
    mamori_udp_open(&stack, &sock, ring, sizeof ring);
    mamori_udp_bind(&sock, 7);
    mamori_filter_add_port(&stack, 17, 7, PEER_IP, 32);
    uint8_t f[128];
    feed(f, build_udp(f, our_mac, peer_mac, MAMORI_IP4(198, 18, 0, 3), OUR_IP, 5, 7, (const uint8_t *)"x", 1));
    CHECK_EQ(stack.stats.filter_drop_port, 1);
    CHECK_EQ(stack.stats.udp_rx, 0);
    CHECK_EQ(cap.count, 0); /* silently: no ICMP about a filtered port */
    feed(f, build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 5, 7, (const uint8_t *)"x", 1));
    CHECK_EQ(stack.stats.udp_rx_delivered, 1);
    CHECK_EQ(mamori_filter_add_port(&stack, 1, 7, 0, 0), MAMORI_ERR_INVAL);
    mamori_udp_close(&sock);
}

static void test_class_rates(void)
{
    setup();
    mamori_rate_set(&stack, MAMORI_CLASS_ICMP, 10, 5);
    for (uint16_t i = 0; i < 20; i++)
        ping_from(peer_mac, PEER_IP, i);
    CHECK_EQ(cap.count, 5);
    CHECK_EQ(stack.stats.rate_drop_icmp, 15);
    now += 500; /* 5 tokens back */
    for (uint16_t i = 0; i < 10; i++)
        ping_from(peer_mac, PEER_IP, i);
    CHECK_EQ(cap.count, 10);
    CHECK_EQ(stack.stats.rate_drop_icmp, 20);

    /* Broadcast class: ARP requests to broadcast count here, then as ARP. */
    mamori_rate_set(&stack, MAMORI_CLASS_BCAST, 1, 3);
    uint8_t f[64];
    for (int i = 0; i < 10; i++)
        feed(f, build_arp(f, 1, other_mac, MAMORI_IP4(198, 18, 0, 9), (const uint8_t[6]){0}, MAMORI_IP4(198, 18, 0, 8)));
    CHECK_EQ(stack.stats.rate_drop_bcast, 7);
    CHECK_EQ(stack.stats.arp_rx, 1 + 3); /* the setup reply plus three */

    /* Total class caps everything. */
    mamori_rate_set(&stack, MAMORI_CLASS_ICMP, 0, 0);
    mamori_rate_set(&stack, MAMORI_CLASS_TOTAL, 1, 2);
    for (uint16_t i = 0; i < 6; i++)
        ping_from(peer_mac, PEER_IP, i);
    CHECK_EQ(stack.stats.rate_drop_total, 4);
    CHECK_EQ(mamori_rate_set(&stack, MAMORI_CLASS_COUNT, 1, 1), MAMORI_ERR_INVAL);
}

/* A TCP SYN from the peer to port 80: a bare 20-byte header, or one with
 * an MSS option as every TCP in use sends; bad_sum corrupts the checksum. */
static size_t syn_frame(uint8_t *f, bool with_mss, bool bad_sum)
{
    uint8_t seg[24] = {0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
                       2, 4, 0x05, 0xb4};
    size_t len = with_mss ? 24 : 20;
    seg[12] = (uint8_t)(len << 2);
    uint32_t pseudo = (PEER_IP >> 16) + (PEER_IP & 0xffff) + (OUR_IP >> 16) + (OUR_IP & 0xffff) + 6 + (uint32_t)len;
    uint16_t c = (uint16_t)(test_csum(seg, len, pseudo) ^ (bad_sum ? 1 : 0));
    seg[16] = (uint8_t)(c >> 8);
    seg[17] = (uint8_t)c;
    return build_ip4(f, our_mac, peer_mac, PEER_IP, OUR_IP, 6, 1, 0x4000, seg, len);
}

static void test_syn_class(void)
{
    setup();
    mamori_rate_set(&stack, MAMORI_CLASS_SYN, 1, 4);
    mamori_rate_set(&stack, MAMORI_CLASS_BARE_SYN, 1, 2);
    uint8_t f[128];
    /* Corrupt SYNs are dropped by TCP before they reach a budget. */
    size_t n = syn_frame(f, true, true);
    for (int i = 0; i < 10; i++)
        feed(f, n);
    CHECK_EQ(stack.stats.tcp_rx_drop_checksum, 10);
    CHECK_EQ(stack.stats.rate_drop_syn, 0);
    /* A flood of bare SYNs drains only its own budget... */
    n = syn_frame(f, false, false);
    for (int i = 0; i < 10; i++)
        feed(f, n);
    CHECK_EQ(stack.stats.rate_drop_bare_syn, 8);
    CHECK_EQ(stack.stats.rate_drop_syn, 0);
    /* ...so SYNs with the MSS option still get the whole SYN budget. */
    n = syn_frame(f, true, false);
    for (int i = 0; i < 10; i++)
        feed(f, n);
    CHECK_EQ(stack.stats.rate_drop_syn, 6);
    CHECK_EQ(stack.stats.rate_drop_bare_syn, 8);
    CHECK_EQ(mamori_traffic_class_parse("bare_syn"), MAMORI_CLASS_BARE_SYN);
}

static void broadcast_ping(uint16_t seq)
{
    uint8_t f[128];
    feed(f, build_ping(f, bcast_mac, peer_mac, PEER_IP, MAMORI_IP4(198, 18, 0, 255), 1, seq, (const uint8_t *)"x", 1));
}

static void test_storm_control(void)
{
    setup();
    mamori_rate_set(&stack, MAMORI_CLASS_BCAST, 0, 0);
    mamori_rate_set(&stack, MAMORI_CLASS_ICMP, 0, 0); /* the pings below would drain it */
    CHECK_EQ(mamori_storm_set(&stack, MAMORI_CLASS_BCAST, 100, 20), MAMORI_OK);
    CHECK_EQ(mamori_storm_set(&stack, MAMORI_CLASS_BCAST, 10, 20), MAMORI_ERR_INVAL);
    for (uint16_t i = 0; i < 150; i++)
        broadcast_ping(i);
    /* Rising: the 101st frame of the window starts the storm. */
    CHECK(mamori_storm_active(&stack, MAMORI_CLASS_BCAST));
    CHECK_EQ(stack.stats.storm_events, 1);
    CHECK_EQ(stack.stats.storm_drop, 50);
    CHECK_EQ(hook_calls, 1);
    CHECK_EQ(hook_class, MAMORI_CLASS_BCAST);
    CHECK_EQ(hook_block, 1);
    /* Unicast traffic keeps flowing during the storm. */
    ping_from(peer_mac, PEER_IP, 1);
    CHECK_EQ(cap.count, 1);
    /* A window above the falling threshold keeps the storm going... */
    now += MAMORI_STORM_WINDOW_MS;
    for (uint16_t i = 0; i < 30; i++)
        broadcast_ping(i);
    now += MAMORI_STORM_WINDOW_MS;
    mamori_poll(&stack, now);
    CHECK(mamori_storm_active(&stack, MAMORI_CLASS_BCAST));
    /* ...a quiet window ends it, even with no frames at all (timer). */
    now += MAMORI_STORM_WINDOW_MS;
    uint32_t wait = mamori_poll(&stack, now);
    CHECK(!mamori_storm_active(&stack, MAMORI_CLASS_BCAST));
    CHECK_EQ(hook_calls, 2);
    CHECK_EQ(hook_block, 0);
    CHECK(wait > MAMORI_STORM_WINDOW_MS);
    broadcast_ping(999);
    CHECK_EQ(stack.stats.storm_drop, 80);
}

static void test_stealth(void)
{
    setup();
    mamori_stealth(&stack, true);
    ping_from(peer_mac, PEER_IP, 1);
    uint8_t f[128];
    feed(f, build_udp(f, our_mac, peer_mac, PEER_IP, OUR_IP, 5, 4444, (const uint8_t *)"x", 1));
    CHECK_EQ(cap.count, 0);
    CHECK_EQ(stack.stats.icmp_rx_echo_ignored, 1);
    CHECK_EQ(stack.stats.udp_rx_drop_noport, 1);
    mamori_stealth(&stack, false);
    ping_from(peer_mac, PEER_IP, 2);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(mamori_traffic_class_parse("syn"), MAMORI_CLASS_SYN);
    CHECK_EQ(mamori_traffic_class_parse("sy"), MAMORI_ERR_INVAL);
}

int main(void)
{
    test_mac_and_ethertype();
    test_source_prefixes();
    test_port_rules();
    test_class_rates();
    test_syn_class();
    test_storm_control();
    test_stealth();
    return check_summary("defense");
}
