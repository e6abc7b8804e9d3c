/* SNTP client: reply checks (origin, mode, KoD, leap/stratum, sanity), the
 * wall clock, timeouts with backoff and resynchronisation. */
#include <string.h>

#include "app/sntp_internal.h"
#include "capture_port.h"
#include "check.h"
#include "core/internal.h"
#include "mamori/mamori.h"
#include "mamori/sntp.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t srv_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define SRV_IP MAMORI_IP4(198, 18, 0, 1)
#define NTP_2025 (1735689600u + 2208988800u) /* 2025-01-01 in NTP seconds */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* A server reply: receive at secs, transmit 10 ms later. */
static void reply(uint8_t m[48], const uint8_t origin[8], uint8_t b0, uint8_t stratum, uint32_t secs)
{
    memset(m, 0, 48);
    m[0] = b0;
    m[1] = stratum;
    put32(m + 4, 0x00000100);
    put32(m + 8, 0x00000200);
    memcpy(m + 12, "GPS\0", 4);
    memcpy(m + 24, origin, 8);
    put32(m + 32, secs);
    put32(m + 40, secs);
    put32(m + 44, 0x028f5c29); /* 10 ms */
}

static void test_parse(void)
{
    const uint8_t origin[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t m[48];
    mamori_sntp_reply_t r;
    reply(m, origin, 0x24, 2, NTP_2025);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_OK);
    CHECK_EQ(r.unix_s, 1735689600u);
    CHECK_EQ(r.ms, 10 + 20); /* transmit + (50 - 10) / 2 */
    CHECK_EQ(mamori_sntp_parse(m, 47, origin, 50, &r), SNTP_PARSE_SHORT);
    const uint8_t other[8] = {1, 2, 3, 4, 5, 6, 7, 9};
    CHECK_EQ(mamori_sntp_parse(m, 48, other, 50, &r), SNTP_PARSE_ORIGIN);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 5, &r), SNTP_PARSE_INSANE); /* server time > round trip */
    reply(m, origin, 0x23, 2, NTP_2025);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_MODE); /* a client request */
    reply(m, origin, 0x14 | 0x28, 2, NTP_2025);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_MODE); /* version 5 */
    reply(m, origin, 0x24, 2, NTP_2025);
    m[0] = 0xe4; /* LI 3: unsynchronised */
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_UNSYNC);
    reply(m, origin, 0x24, 16, NTP_2025);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_UNSYNC);
    reply(m, origin, 0x24, 0, NTP_2025);
    memcpy(m + 12, "RATE", 4);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_KOD);
    CHECK_EQ(r.kiss, 0x52415445);
    reply(m, origin, 0x24, 2, NTP_2025 - 86400 * 400);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_INSANE); /* before the floor */
    reply(m, origin, 0x24, 2, NTP_2025);
    put32(m + 8, 17u << 16); /* root dispersion 17 s */
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_INSANE);
    /* Era 1: an NTP seconds value below 2^31 is after 2036. */
    reply(m, origin, 0x24, 2, 1000);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_OK);
    CHECK_EQ(r.unix_s, 0x100000000ull + 1000 - 2208988800u);
    reply(m, origin, 0x24, 2, 0x7fffffff); /* the last second of era 1, in 2104 */
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_OK);
    CHECK_EQ(r.unix_s, 0x100000000ull + 0x7fffffff - 2208988800u);
    reply(m, origin, 0x24, 2, 0x80000000u); /* era 0 in 1968: before the floor */
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_INSANE);
    /* Received in the last second of era 0, sent 1.2 s later in era 1. */
    reply(m, origin, 0x24, 2, 0xffffffffu);
    put32(m + 36, 0xe6666667); /* .9 s */
    put32(m + 40, 1);
    put32(m + 44, 0x1999999a); /* .1 s */
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 1500, &r), SNTP_PARSE_OK);
    CHECK_EQ(r.unix_s, 0x100000000ull + 1 - 2208988800u);
    CHECK_EQ(r.ms, 100 + (1500 - 1200) / 2);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 1199, &r), SNTP_PARSE_INSANE);
    /* Sent before it was received: in the same second, a second earlier. */
    reply(m, origin, 0x24, 2, NTP_2025);
    put32(m + 36, 0x80000000u);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50, &r), SNTP_PARSE_INSANE);
    reply(m, origin, 0x24, 2, NTP_2025);
    put32(m + 40, NTP_2025 - 1);
    CHECK_EQ(mamori_sntp_parse(m, 48, origin, 50000, &r), SNTP_PARSE_INSANE);
}

/* The wall clock counts whole seconds from the millisecond it was set at. */
static void test_wallclock(void)
{
    mamori_wallclock_t wc = {0};
    uint64_t t;
    CHECK_EQ(mamori_wallclock_get(&wc, 0, &t), MAMORI_ERR_STATE);
    mamori_wallclock_set(&wc, 0xfffffc00u, 1735689600u, 1500); /* across the wrap of the stack clock */
    CHECK_EQ(mamori_wallclock_get(&wc, 0xfffffc00u, &t), MAMORI_OK);
    CHECK_EQ(t, 1735689601u);
    CHECK_EQ(mamori_wallclock_get(&wc, 0xfffffc00u + 499, &t), MAMORI_OK);
    CHECK_EQ(t, 1735689601u);
    CHECK_EQ(mamori_wallclock_get(&wc, 0xfffffc00u + 500, &t), MAMORI_OK);
    CHECK_EQ(t, 1735689602u);
    CHECK_EQ(mamori_wallclock_get(&wc, 0xfffffc00u + 86400500u, &t), MAMORI_OK);
    CHECK_EQ(t, 1735689602u + 86400);
}

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static mamori_sntp_t sntp;
static uint32_t now;

static void run(void)
{
    while (mamori_sntp_poll(&sntp, now) == 0)
        mamori_poll(&stack, now);
}

static void sent(uint8_t origin[8], uint16_t *sport)
{
    const uint8_t *f = cap.frame[cap.count - 1];
    CHECK_EQ(f[36] << 8 | f[37], 123);
    CHECK_EQ(f[42], 0x23);
    *sport = (uint16_t)(f[34] << 8 | f[35]);
    memcpy(origin, f + 42 + 40, 8);
}

static void answer(uint16_t from_port, uint16_t to_port, const uint8_t m[48])
{
    uint8_t f[200];
    capture_port_queue_rx(&cap, f, build_udp(f, our_mac, srv_mac, SRV_IP, OUR_IP, from_port, to_port, m, 48));
    mamori_poll(&stack, now);
    run();
}

static void test_client(void)
{
    now = 1000;
    capture_port_init(&cap, &port, 5);
    mamori_stack_init(&stack, &port, our_mac, now);
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, false);
    uint8_t f[64];
    capture_port_queue_rx(&cap, f, build_arp(f, 1, srv_mac, SRV_IP, (const uint8_t[6]){0}, OUR_IP));
    mamori_poll(&stack, now);
    CHECK_EQ(mamori_sntp_start(&sntp, &stack, SRV_IP), MAMORI_OK);
    uint64_t t;
    CHECK_EQ(mamori_wallclock_get(mamori_sntp_clock(&sntp), now, &t), MAMORI_ERR_STATE);
    run();
    CHECK_EQ(stack.stats.sntp_tx, 1);
    uint8_t origin[8], m[48];
    uint16_t sport;
    sent(origin, &sport);
    now += 40;
    reply(m, origin, 0x24, 2, NTP_2025);
    answer(124, sport, m);
    CHECK_EQ(stack.stats.sntp_rx_drop_src, 1);
    m[30] ^= 1;
    answer(123, sport, m);
    CHECK_EQ(stack.stats.sntp_rx_drop_origin, 1);
    m[30] ^= 1;
    answer(123, sport, m);
    CHECK_EQ(stack.stats.sntp_sync, 1);
    CHECK_EQ(mamori_wallclock_get(mamori_sntp_clock(&sntp), now, &t), MAMORI_OK);
    CHECK_EQ(t, 1735689600u);
    now += 5000;
    mamori_sntp_poll(&sntp, now);
    CHECK_EQ(mamori_wallclock_get(mamori_sntp_clock(&sntp), now, &t), MAMORI_OK);
    CHECK_EQ(t, 1735689605u);
    answer(123, sport, m); /* a replay no longer matches */
    CHECK_EQ(stack.stats.sntp_sync, 1);

    /* Resync after the interval; a lost reply times out, retries back off. */
    now += MAMORI_SNTP_INTERVAL_S * 1000u;
    capture_port_queue_rx(&cap, f, build_arp(f, 1, srv_mac, SRV_IP, (const uint8_t[6]){0}, OUR_IP));
    mamori_poll(&stack, now); /* the ARP entry had expired */
    run();
    CHECK_EQ(stack.stats.sntp_tx, 2);
    uint8_t origin2[8];
    uint16_t sport2;
    sent(origin2, &sport2);
    CHECK(memcmp(origin, origin2, 8) != 0);
    now += MAMORI_SNTP_TIMEOUT_MS;
    run();
    CHECK_EQ(stack.stats.sntp_timeouts, 1);
    now += MAMORI_SNTP_RETRY_MS - 1;
    run();
    CHECK_EQ(stack.stats.sntp_tx, 2);
    now += 1;
    run();
    CHECK_EQ(stack.stats.sntp_tx, 3);
    now += MAMORI_SNTP_TIMEOUT_MS;
    run();
    now += 2 * MAMORI_SNTP_RETRY_MS;
    run();
    CHECK_EQ(stack.stats.sntp_tx, 4); /* second retry after twice the wait */

    /* Kiss-o'-Death DENY: the client stops. */
    sent(origin, &sport);
    reply(m, origin, 0x24, 0, NTP_2025);
    memcpy(m + 12, "DENY", 4);
    answer(123, sport, m);
    CHECK_EQ(stack.stats.sntp_kod, 1);
    CHECK_EQ(mamori_sntp_state(&sntp), MAMORI_SNTP_DENIED);
    CHECK_EQ(mamori_sntp_poll(&sntp, now + 100000000), UINT32_MAX);
    CHECK_EQ(mamori_wallclock_get(mamori_sntp_clock(&sntp), now, &t), MAMORI_OK); /* holds the time */
    mamori_sntp_stop(&sntp);
}

int main(void)
{
    test_parse();
    test_wallclock();
    test_client();
    return check_summary("sntp");
}
