/* DHCP client: crafted server messages for every bad-input case, and the
 * whole lease cycle (SELECTING to lease expiry, NAK, ARP conflict and
 * DHCPDECLINE, INIT-REBOOT) against a scripted server on a capture port. */
#include <string.h>

#include "app/dhcp_internal.h"
#include "capture_port.h"
#include "check.h"
#include "core/internal.h"
#include "mamori/dhcp.h"
#include "mamori/mamori.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t srv_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t other_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x09};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
#define SRV_IP MAMORI_IP4(198, 18, 0, 1)
#define SRV2_IP MAMORI_IP4(198, 18, 0, 3)
#define LEASE_IP MAMORI_IP4(198, 18, 0, 50)

/* A BOOTREPLY: fixed header, then the options given (file and sname too). */
typedef struct {
    uint8_t b[600];
    size_t n;
} msg_t;

static void reply_msg(msg_t *m, uint32_t xid, uint32_t yiaddr, const uint8_t *opts, size_t opts_len)
{
    memset(m->b, 0, sizeof m->b);
    m->b[0] = 2, m->b[1] = 1, m->b[2] = 6;
    m->b[4] = (uint8_t)(xid >> 24), m->b[5] = (uint8_t)(xid >> 16), m->b[6] = (uint8_t)(xid >> 8),
    m->b[7] = (uint8_t)xid;
    m->b[16] = (uint8_t)(yiaddr >> 24), m->b[17] = (uint8_t)(yiaddr >> 16), m->b[18] = (uint8_t)(yiaddr >> 8),
    m->b[19] = (uint8_t)yiaddr;
    memcpy(m->b + 28, our_mac, 6);
    memcpy(m->b + 236, "\x63\x82\x53\x63", 4);
    memcpy(m->b + 240, opts, opts_len);
    m->n = 240 + opts_len;
}

#define OPTS(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define LEASE_OPTS(type, server)                                                                                   \
    53, 1, type, 54, 4, 198, 18, 0, server, 51, 4, 0, 0, 0x0e, 0x10, 1, 4, 255, 255, 255, 0, 3, 4, 198, 18, 0, 1, 6, \
        8, 198, 18, 0, 1, 198, 18, 0, 2, 58, 4, 0, 0, 0x03, 0x84, 59, 4, 0, 0, 0x06, 0x27

static mamori_dhcp_msg_t pm;
static int parse(const msg_t *m) { return mamori_dhcp_parse(m->b, m->n, 0x11223344, our_mac, &pm); }

static void test_parse(void)
{
    msg_t m;
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(LEASE_OPTS(2, 1), 42, 4, 198, 18, 0, 7, 255));
    CHECK_EQ(parse(&m), MAMORI_OK);
    CHECK_EQ(pm.type, 2);
    CHECK_EQ(pm.yiaddr, LEASE_IP);
    CHECK_EQ(pm.server, SRV_IP);
    CHECK_EQ(pm.lease, 3600);
    CHECK_EQ(pm.t1, 900);
    CHECK_EQ(pm.t2, 1575);
    CHECK_EQ(pm.mask, 0xffffff00u);
    CHECK_EQ(pm.router, SRV_IP);
    CHECK_EQ(pm.dns_count, 2);
    CHECK_EQ(pm.dns[1], MAMORI_IP4(198, 18, 0, 2));
    CHECK_EQ(pm.ntp, MAMORI_IP4(198, 18, 0, 7));
    msg_t t = m;
    t.n = 239;
    CHECK_EQ(parse(&t), MAMORI_ERR_TRUNCATED); /* truncated header */
    t = m;
    t.b[0] = 1;
    CHECK_EQ(parse(&t), MAMORI_ERR_MALFORMED); /* a request, not a reply */
    t = m;
    t.b[239] = 0;
    CHECK_EQ(parse(&t), MAMORI_ERR_MALFORMED); /* magic cookie */
    t = m;
    t.b[7] ^= 1;
    CHECK_EQ(parse(&t), MAMORI_ERR_NOTFOUND); /* xid */
    t = m;
    t.b[33] ^= 1;
    CHECK_EQ(parse(&t), MAMORI_ERR_NOTFOUND); /* chaddr */

    /* Options: overrunning the packet, missing END, bad lengths, no type. */
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 2, 6, 40, 1, 2, 3, 4));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 2, 54, 4, 1, 2, 3, 4));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 2, 54));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 2, 51, 3, 0, 0, 1, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 2, 6, 5, 1, 2, 3, 4, 5, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 2, 3, 0, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 2, 1, 4, 255, 0, 255, 0, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT); /* non-contiguous mask */
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 2, 2, 0, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(0, 0, 54, 4, 1, 2, 3, 4, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT); /* no message type */
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(0, 0, 53, 1, 5, 99, 3, 1, 2, 3, 255, 0, 0));
    CHECK_EQ(parse(&m), MAMORI_OK); /* pads and unknown options */
    CHECK_EQ(pm.type, 5);

    /* Overload (RFC 2132 §9.3): file then sname carry options. */
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(52, 1, 3, 255));
    memcpy(m.b + 108, OPTS(53, 1, 5, 255));
    memcpy(m.b + 44, OPTS(54, 4, 198, 18, 0, 1, 255));
    CHECK_EQ(parse(&m), MAMORI_OK);
    CHECK_EQ(pm.type, 5);
    CHECK_EQ(pm.server, SRV_IP);
    /* An overload option inside an overloaded area is ignored: no loop. */
    memcpy(m.b + 108, OPTS(52, 1, 3, 53, 1, 5, 255));
    CHECK_EQ(parse(&m), MAMORI_OK);
    /* An overloaded area without END, an option overrunning it, bad values. */
    memset(m.b + 108, 0, 128);
    memcpy(m.b + 108, OPTS(53, 1, 5));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT); /* pads to its end, no END */
    memset(m.b + 108, 0, 128);
    m.b[234] = 12, m.b[235] = 4;
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT); /* overruns file into the cookie */
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(52, 1, 4, 53, 1, 5, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(52, 1, 0, 53, 1, 5, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(52, 2, 1, 0, 53, 1, 5, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 0, 255));
    CHECK_EQ(parse(&m), MAMORI_ERR_LIMIT);
    /* A mask of 0.0.0.0 reads as none (the client then assumes /24). */
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 5, 1, 4, 0, 0, 0, 0, 255));
    CHECK_EQ(parse(&m), MAMORI_OK);
    CHECK_EQ(pm.mask, 0);
    reply_msg(&m, 0x11223344, LEASE_IP, OPTS(53, 1, 5, 1, 4, 255, 255, 255, 255, 255));
    CHECK_EQ(parse(&m), MAMORI_OK);
    CHECK_EQ(pm.mask, 0xffffffffu);
}

/* ---- the client on a capture port --------------------------------------- */
static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static mamori_dhcp_t dhcp;
static uint32_t now;

static void step(void)
{
    uint32_t w;
    do {
        w = mamori_poll(&stack, now);
        w = mamori_min_u32(w, mamori_dhcp_poll(&dhcp, now));
    } while (w == 0);
}

/* Runs the stack and client for ms of simulated time. */
static void advance(uint32_t ms)
{
    uint32_t end = now + ms;
    for (;;) {
        uint32_t w;
        do {
            w = mamori_poll(&stack, now);
            w = mamori_min_u32(w, mamori_dhcp_poll(&dhcp, now));
        } while (w == 0);
        if (w >= end - now)
            break;
        now += w;
    }
    now = end;
    step();
}

typedef struct {
    uint8_t type;
    uint32_t xid, src, dst, ciaddr, req_addr, server;
    uint16_t flags;
    bool eth_bcast;
} sent_t;

/* The last DHCP message the client sent, or type 0. */
static sent_t last_sent(void)
{
    sent_t s = {0};
    for (size_t i = mamori_min_u32((uint32_t)cap.count, CAPTURE_MAX_FRAMES); i-- > 0;) {
        const uint8_t *f = cap.frame[i];
        if (cap.len[i] < 282 || f[12] != 8 || f[13] != 0 || f[23] != 17 || f[37] != 67)
            continue;
        s.eth_bcast = memcmp(f, bcast, 6) == 0;
        s.src = (uint32_t)f[26] << 24 | (uint32_t)f[27] << 16 | (uint32_t)f[28] << 8 | f[29];
        s.dst = (uint32_t)f[30] << 24 | (uint32_t)f[31] << 16 | (uint32_t)f[32] << 8 | f[33];
        const uint8_t *d = f + 42;
        s.xid = (uint32_t)d[4] << 24 | (uint32_t)d[5] << 16 | (uint32_t)d[6] << 8 | d[7];
        s.flags = (uint16_t)(d[10] << 8 | d[11]);
        s.ciaddr = (uint32_t)d[12] << 24 | (uint32_t)d[13] << 16 | (uint32_t)d[14] << 8 | d[15];
        for (size_t o = 240; o + 1 < cap.len[i] - 42 && d[o] != 255;) {
            if (d[o] == 0) {
                o++;
                continue;
            }
            const uint8_t *v = d + o + 2;
            if (d[o] == 53)
                s.type = v[0];
            if (d[o] == 50)
                s.req_addr = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
            if (d[o] == 54)
                s.server = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
            o += 2u + d[o + 1];
        }
        return s;
    }
    return s;
}

static void server_says(uint32_t from, uint16_t sport, uint32_t dst, const msg_t *m)
{
    uint8_t f[1600];
    capture_port_queue_rx(&cap, f, build_udp(f, dst == 0xffffffffu ? bcast : our_mac, srv_mac, from, dst, sport, 68,
                                               m->b, m->n));
    step();
}

static void setup(void)
{
    now = 1000;
    capture_port_init(&cap, &port, 3);
    mamori_stack_init(&stack, &port, our_mac, now);
}

/* SELECTING -> REQUESTING -> CHECKING -> BOUND; returns the xid used. */
static uint32_t get_lease(void)
{
    CHECK_EQ(mamori_dhcp_start(&dhcp, &stack, 0), MAMORI_OK);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_INIT);
    advance(MAMORI_DHCP_START_DELAY_MS);
    sent_t s = last_sent();
    CHECK_EQ(s.type, 1);
    CHECK(s.eth_bcast);
    CHECK_EQ(s.src, 0);
    CHECK_EQ(s.dst, 0xffffffffu);
    CHECK_EQ(s.flags, 0x8000);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_SELECTING);
    msg_t m;
    reply_msg(&m, s.xid ^ 1, LEASE_IP, OPTS(LEASE_OPTS(2, 1), 255));
    server_says(SRV_IP, 67, 0xffffffffu, &m);
    CHECK_EQ(stack.stats.dhcp_rx_drop_xid, 1);
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(2, 1), 255));
    server_says(SRV_IP, 68, 0xffffffffu, &m);
    CHECK_EQ(stack.stats.dhcp_rx_drop_port, 1);
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(5, 1), 255));
    server_says(SRV_IP, 67, 0xffffffffu, &m); /* an ACK while selecting */
    CHECK_EQ(stack.stats.dhcp_rx_drop_unexpected, 1);
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(2, 1), 255));
    server_says(SRV_IP, 67, 0xffffffffu, &m);
    s = last_sent();
    CHECK_EQ(s.type, 3);
    CHECK_EQ(s.req_addr, LEASE_IP);
    CHECK_EQ(s.server, SRV_IP);
    CHECK_EQ(s.ciaddr, 0);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_REQUESTING);
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(5, 1), 255));
    server_says(SRV_IP, 67, 0xffffffffu, &m);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_CHECKING);
    CHECK_EQ(mamori_ip4_addr(&stack), 0); /* probing first */
    return s.xid;
}

static void test_lease_cycle(void)
{
    setup();
    uint32_t xid = get_lease();
    advance(10000);
    CHECK(stack.stats.arp_tx_probe >= 3);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_BOUND);
    CHECK_EQ(mamori_ip4_addr(&stack), LEASE_IP);
    CHECK_EQ(stack.ip4.gw, SRV_IP);
    CHECK_EQ(stack.ip4.mask, 0xffffff00u);
    uint32_t dns[4];
    CHECK_EQ(mamori_dhcp_dns_servers(&dhcp, dns, 4), 2);
    CHECK_EQ(dns[0], SRV_IP);
    CHECK_EQ(mamori_dhcp_addr(&dhcp), LEASE_IP);
    CHECK_EQ(stack.stats.dhcp_bound, 1);

    /* T1 (900 s from the first REQUEST): RENEWING, unicast to the server. */
    advance(900000 - 10000 - 1000); /* T1 counts from the first REQUEST */
    uint8_t f[64];
    capture_port_queue_rx(&cap, f, build_arp(f, 1, srv_mac, SRV_IP, (const uint8_t[6]){0}, LEASE_IP));
    capture_port_clear(&cap);
    advance(1000);
    sent_t s = last_sent();
    CHECK_EQ(s.type, 3);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_RENEWING);
    CHECK_EQ(s.dst, SRV_IP);
    CHECK_EQ(s.ciaddr, LEASE_IP);
    CHECK_EQ(s.req_addr, 0);
    CHECK_EQ(s.flags, 0);
    CHECK(s.xid != xid);
    msg_t m;
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(5, 3), 255));
    server_says(SRV2_IP, 67, LEASE_IP, &m); /* another server: not ours */
    CHECK_EQ(stack.stats.dhcp_rx_drop_unexpected, 2);
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(5, 1), 255));
    server_says(SRV_IP, 67, LEASE_IP, &m);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_BOUND);
    CHECK_EQ(stack.stats.dhcp_renewed, 1);

    /* The server goes: RENEWING until T2, then REBINDING by broadcast. */
    capture_port_clear(&cap);
    advance(900000);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_RENEWING);
    advance(1575000 - 900000);
    s = last_sent();
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_REBINDING);
    CHECK_EQ(s.dst, 0xffffffffu);
    CHECK_EQ(s.ciaddr, LEASE_IP);
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(5, 3), 255));
    server_says(SRV2_IP, 67, LEASE_IP, &m);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_BOUND);
    CHECK_EQ(mamori_dhcp_server(&dhcp), SRV2_IP);
    CHECK_EQ(stack.stats.dhcp_rebound, 1);

    /* Nobody answers: the lease expires and the address is given back. */
    uint32_t sent_before = stack.stats.dhcp_tx_request;
    advance(3600000 - (1575000 - 900000) - 1000); /* from the first REQUEST at T1 */
    CHECK_EQ(mamori_ip4_addr(&stack), LEASE_IP);
    advance(2000);
    CHECK_EQ(stack.stats.dhcp_lease_expired, 1);
    CHECK_EQ(mamori_ip4_addr(&stack), 0);
    CHECK_EQ(mamori_dhcp_addr(&dhcp), 0);
    /* Retries were bounded: at least 60 s apart (RFC 2131 §4.4.5). */
    CHECK(stack.stats.dhcp_tx_request - sent_before <= 3600 / 60 + 2);
    CHECK(mamori_dhcp_state(&dhcp) == MAMORI_DHCP_INIT || mamori_dhcp_state(&dhcp) == MAMORI_DHCP_SELECTING);
    mamori_dhcp_stop(&dhcp, false);
}

static void test_nak_conflict_reboot(void)
{
    setup();
    get_lease();
    /* Another host answers our probe: DHCPDECLINE, then a new start. */
    uint8_t f[64];
    advance(1000);
    capture_port_queue_rx(&cap, f, build_arp(f, 2, other_mac, LEASE_IP, our_mac, 0));
    step();
    sent_t s = last_sent();
    CHECK_EQ(s.type, 4);
    CHECK_EQ(s.req_addr, LEASE_IP);
    CHECK_EQ(s.server, SRV_IP);
    CHECK_EQ(stack.stats.dhcp_conflicts, 1);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_INIT);
    CHECK_EQ(mamori_ip4_addr(&stack), 0);
    advance(MAMORI_DHCP_DECLINE_WAIT_MS);
    s = last_sent();
    CHECK_EQ(s.type, 1);

    /* NAK while requesting: back to INIT. */
    msg_t m;
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(2, 1), 255));
    server_says(SRV_IP, 67, 0xffffffffu, &m);
    reply_msg(&m, s.xid, 0, OPTS(53, 1, 6, 54, 4, 198, 18, 0, 1, 255));
    server_says(SRV_IP, 67, 0xffffffffu, &m);
    CHECK_EQ(stack.stats.dhcp_rx_nak, 1);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_SELECTING); /* restarted at once */

    /* Backoff: DISCOVERs 4 s +-1, 8 s +-2, 16 s +-4, 32 s +-8, 64 s +-16
     * apart: the fourth by 75 s, the fifth not before 93 s. */
    capture_port_clear(&cap);
    uint32_t before = stack.stats.dhcp_tx_discover;
    advance(92000);
    CHECK_EQ(stack.stats.dhcp_tx_discover - before, 4);
    mamori_dhcp_stop(&dhcp, false);

    /* INIT-REBOOT: REQUEST for the remembered address, no server id. */
    CHECK_EQ(mamori_dhcp_start(&dhcp, &stack, LEASE_IP), MAMORI_OK);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_INIT);
    step();
    s = last_sent();
    CHECK_EQ(s.type, 3);
    CHECK_EQ(s.req_addr, LEASE_IP);
    CHECK_EQ(s.server, 0);
    CHECK_EQ(s.ciaddr, 0);
    CHECK_EQ(mamori_dhcp_state(&dhcp), MAMORI_DHCP_REBOOTING);
    /* No answer: MAMORI_DHCP_REQUEST_TRIES, then discovery. */
    advance(4000 + 8000 + 16000 + 32000 + 16000);
    CHECK_EQ(stack.stats.dhcp_timeouts, 1);
    CHECK(mamori_dhcp_state(&dhcp) == MAMORI_DHCP_SELECTING);
    mamori_dhcp_stop(&dhcp, false);

    /* Release gives the address back. */
    CHECK_EQ(mamori_dhcp_start(&dhcp, &stack, LEASE_IP), MAMORI_OK);
    step();
    s = last_sent();
    reply_msg(&m, s.xid, LEASE_IP, OPTS(LEASE_OPTS(5, 1), 255));
    server_says(SRV_IP, 67, 0xffffffffu, &m);
    advance(10000);
    CHECK_EQ(mamori_ip4_addr(&stack), LEASE_IP);
    capture_port_queue_rx(&cap, f, build_arp(f, 1, srv_mac, SRV_IP, (const uint8_t[6]){0}, LEASE_IP));
    step();
    mamori_dhcp_stop(&dhcp, true);
    s = last_sent();
    CHECK_EQ(s.type, 7);
    CHECK_EQ(s.dst, SRV_IP);
    CHECK_EQ(stack.stats.dhcp_tx_release, 1);
    CHECK_EQ(mamori_ip4_addr(&stack), 0);
    CHECK_EQ(mamori_dhcp_poll(&dhcp, now), UINT32_MAX);
}

/* The first message goes out on time whatever the stack's clock reads. */
static void test_clock_halfway(void)
{
    for (int remembered = 0; remembered < 2; remembered++) {
        now = 0x90000000u;
        capture_port_init(&cap, &port, 3);
        mamori_stack_init(&stack, &port, our_mac, now);
        CHECK_EQ(mamori_dhcp_start(&dhcp, &stack, remembered ? LEASE_IP : 0), MAMORI_OK);
        advance(MAMORI_DHCP_START_DELAY_MS);
        CHECK_EQ(last_sent().type, remembered ? 3 : 1);
        mamori_dhcp_stop(&dhcp, false);
    }
}

int main(void)
{
    test_parse();
    test_lease_cycle();
    test_nak_conflict_reboot();
    test_clock_halfway();
    return check_summary("dhcp");
}
