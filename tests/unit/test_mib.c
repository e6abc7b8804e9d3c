/* MIB-II view: a full walk is strictly ordered and values match the counters. */
#include <string.h>

#include "capture_port.h"
#include "check.h"
#include "mamori/mamori.h"
#include "mamori/mib.h"

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;

static int get(const char *text, mamori_mib_value_t *v)
{
    mamori_oid_t oid;
    CHECK_EQ(mamori_oid_parse(&oid, text), MAMORI_OK);
    return mamori_mib_get(&stack, &oid, v);
}

static int oid_cmp(const mamori_oid_t *a, const mamori_oid_t *b)
{
    for (size_t i = 0; i < a->len && i < b->len; i++)
        if (a->arc[i] != b->arc[i])
            return a->arc[i] < b->arc[i] ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

int main(void)
{
    capture_port_init(&cap, &port, 11);
    mamori_stack_init(&stack, &port, our_mac, 1000);
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, false);
    uint8_t f[128];
    capture_port_queue_rx(&cap, f, build_arp(f, 1, peer_mac, PEER_IP, (const uint8_t[6]){0}, OUR_IP));
    for (uint16_t i = 0; i < 3; i++) {
        size_t n = build_ping(f, our_mac, peer_mac, PEER_IP, OUR_IP, 1, i, (const uint8_t *)"ping", 4);
        capture_port_queue_rx(&cap, f, n);
    }
    static uint8_t r1[64], r2[64];
    mamori_udp_t a, b;
    mamori_udp_open(&stack, &a, r1, sizeof r1);
    mamori_udp_open(&stack, &b, r2, sizeof r2);
    mamori_udp_bind(&a, 161);
    mamori_udp_bind(&b, 7);
    mamori_poll(&stack, 1000);

    mamori_mib_value_t v;
    CHECK_EQ(get("1.3.6.1.2.1.5.8.0", &v), MAMORI_OK); /* icmpInEchos */
    CHECK_EQ(v.type, MAMORI_MIB_COUNTER32);
    CHECK_EQ(v.num, 3);
    CHECK_EQ(get("1.3.6.1.2.1.5.22.0", &v), MAMORI_OK); /* icmpOutEchoReps */
    CHECK_EQ(v.num, 3);
    CHECK_EQ(get("1.3.6.1.2.1.4.1.0", &v), MAMORI_OK); /* ipForwarding: notForwarding */
    CHECK_EQ(v.num, 2);
    CHECK_EQ(get("1.3.6.1.2.1.2.2.1.6.1", &v), MAMORI_OK); /* ifPhysAddress */
    CHECK_EQ(v.len, 6);
    CHECK_MEM(v.bytes, our_mac, 6);
    CHECK_EQ(get("1.3.6.1.2.1.31.1.1.1.6.1", &v), MAMORI_OK); /* ifHCInOctets */
    CHECK_EQ(v.type, MAMORI_MIB_COUNTER64);
    CHECK_EQ(v.num, stack.rx_octets);
    CHECK(v.num > 0);
    CHECK_EQ(get("1.3.6.1.2.1.4.22.1.2.1.198.18.0.1", &v), MAMORI_OK); /* ARP entry's MAC */
    CHECK_MEM(v.bytes, peer_mac, 6);
    CHECK_EQ(get("1.3.6.1.2.1.4.22.1.2.1.198.18.0.9", &v), MAMORI_ERR_NOTFOUND);
    CHECK_EQ(get("1.3.6.1.2.1.7.5.1.2.0.0.0.0.161", &v), MAMORI_OK); /* udpLocalPort */
    CHECK_EQ(v.num, 161);
    CHECK_EQ(get("1.3.6.1.2.1.5.8", &v), MAMORI_ERR_NOTFOUND); /* no instance without .0 */
    /* The private group mirrors every counter. */
    size_t idx_echo = 0;
    while (strcmp(mamori_stats_name(idx_echo), "icmp_rx_echo") != 0)
        idx_echo++;
    char text[64];
    snprintf(text, sizeof text, "1.3.6.1.3.6176.1.%zu.0", idx_echo + 1);
    CHECK_EQ(get(text, &v), MAMORI_OK);
    CHECK_EQ(v.num, 3);

    /* A walk from the root visits instances in strictly increasing order. */
    mamori_oid_t cur, next;
    mamori_oid_parse(&cur, "1.3");
    size_t count = 0, udp_rows = 0;
    uint32_t first_udp_port = 0;
    bool ordered = true;
    while (mamori_mib_next(&stack, &cur, &next, &v) == MAMORI_OK) {
        ordered &= oid_cmp(&cur, &next) < 0;
        mamori_mib_value_t again;
        CHECK_EQ(mamori_mib_get(&stack, &next, &again), MAMORI_OK);
        if (next.len == 15 && next.arc[6] == 7 && next.arc[7] == 5 && next.arc[9] == 2) {
            if (!udp_rows++)
                first_udp_port = next.arc[14];
        }
        cur = next;
        count++;
    }
    CHECK(ordered);
    CHECK_EQ(udp_rows, 2);
    CHECK_EQ(first_udp_port, 7); /* rows in index order, not socket order */
    CHECK(count > 50 + MAMORI_STATS_COUNT); /* the standard groups plus every counter */
    CHECK_EQ(oid_cmp(&cur, &next), 0);

    CHECK_EQ(mamori_oid_parse(&cur, "1..3"), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_oid_parse(&cur, "1.3.x"), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_oid_parse(&cur, "1.4294967296"), MAMORI_ERR_INVAL);
    mamori_udp_close(&a);
    mamori_udp_close(&b);
    return check_summary("mib");
}
