/*
 * SNTP client (RFC 4330; client mode of RFC 5905) and the wall clock. The
 * request's transmit timestamp is random (so an off-path attacker cannot
 * forge the origin it must echo) and goes out from a fresh random port; the
 * reply's time is corrected by half the round trip less the server's
 * processing time (RFC 4330 §5).
 */
#include <string.h>

#include "app/sntp_internal.h"
#include "net/net_internal.h"

#define PORT_NTP 123
#define MSG_LEN 48
#define MODE_CLIENT 3
#define MODE_SERVER 4
#define NTP_UNIX_OFFSET 2208988800u /* 1900-01-01 to 1970-01-01, seconds */
#define KISS(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
/* Root delay and dispersion are 16.16 seconds (RFC 5905 §7.3). */
#define MAX_ROOT_FIXED ((uint32_t)((uint64_t)MAMORI_SNTP_MAX_ROOT_MS * 65536u / 1000u))

void mamori_wallclock_set(mamori_wallclock_t *wc, uint32_t now_ms, uint64_t unix_ms)
{
    wc->unix_ms = unix_ms;
    wc->base = now_ms;
    wc->valid = true;
}

int mamori_wallclock_get(const mamori_wallclock_t *wc, uint32_t now_ms, uint64_t *unix_seconds)
{
    if (!wc->valid)
        return MAMORI_ERR_STATE;
    *unix_seconds = (wc->unix_ms + (uint32_t)(now_ms - wc->base)) / 1000u;
    return MAMORI_OK;
}

#if MAMORI_SNTP

/* An NTP timestamp as Unix ms. Era 0 ends in 2036; seconds values below
 * 2^31 are read as era 1 (RFC 4330 §3). */
static uint64_t ntp_to_unix_ms(uint32_t secs, uint32_t frac)
{
    uint64_t s = secs & 0x80000000u ? secs : secs + 0x100000000ull;
    return (s - NTP_UNIX_OFFSET) * 1000u + (((uint64_t)frac * 1000u) >> 32);
}

mamori_sntp_parse_t mamori_sntp_parse(const uint8_t *msg, size_t len, const uint8_t origin[8], uint32_t rtt_ms,
                                      uint64_t *unix_ms, uint32_t *kiss)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, msg, len);
    uint8_t b0 = mamori_rd_u8(&rd);
    uint8_t stratum = mamori_rd_u8(&rd);
    mamori_rd_skip(&rd, 2); /* poll, precision */
    uint32_t root_delay = mamori_rd_be32(&rd);
    uint32_t root_disp = mamori_rd_be32(&rd);
    *kiss = mamori_rd_be32(&rd); /* reference ID: the kiss code at stratum 0 */
    mamori_rd_skip(&rd, 8);      /* reference timestamp */
    uint8_t echoed[8];
    mamori_rd_copy(&rd, echoed, 8);
    uint32_t rx_s = mamori_rd_be32(&rd), rx_f = mamori_rd_be32(&rd);
    uint32_t tx_s = mamori_rd_be32(&rd), tx_f = mamori_rd_be32(&rd);
    if (!mamori_rd_ok(&rd))
        return SNTP_PARSE_SHORT;
    unsigned version = (b0 >> 3) & 7;
    if ((b0 & 7) != MODE_SERVER || version < 3 || version > 4)
        return SNTP_PARSE_MODE;
    if (memcmp(echoed, origin, 8) != 0)
        return SNTP_PARSE_ORIGIN;
    if (stratum == 0)
        return SNTP_PARSE_KOD;
    if ((b0 >> 6) == 3 || stratum >= 16 || !rx_s || !tx_s)
        return SNTP_PARSE_UNSYNC;
    uint64_t t2 = ntp_to_unix_ms(rx_s, rx_f), t3 = ntp_to_unix_ms(tx_s, tx_f);
    if (root_delay > MAX_ROOT_FIXED || root_disp > MAX_ROOT_FIXED || t3 < t2 || t3 - t2 > rtt_ms ||
        t3 < (uint64_t)MAMORI_SNTP_MIN_UNIX_S * 1000u)
        return SNTP_PARSE_INSANE;
    /* Round trip less the server's time: half of it is the way back. */
    *unix_ms = t3 + (rtt_ms - (uint32_t)(t3 - t2)) / 2;
    return SNTP_PARSE_OK;
}

static void failed(mamori_sntp_t *c, uint32_t now)
{
    c->state = MAMORI_SNTP_IDLE;
    c->deadline = now + c->retry_ms;
    c->retry_ms = mamori_min_u32(c->retry_ms * 2, c->interval_ms);
}

static void send_request(mamori_sntp_t *c, uint32_t now)
{
    mamori_stack_t *s = c->stack;
    mamori_udp_close(&c->sock);
    (void)mamori_udp_open(s, &c->sock, c->ring, sizeof c->ring);
    (void)mamori_random(s, c->origin, sizeof c->origin);
    uint8_t msg[MSG_LEN];
    memset(msg, 0, sizeof msg);
    msg[0] = 4 << 3 | MODE_CLIENT; /* LI 0, version 4 */
    memcpy(msg + 40, c->origin, 8); /* transmit timestamp */
    MAMORI_COUNT(s, sntp_tx);
    (void)mamori_udp_sendto(&c->sock, c->server, PORT_NTP, msg, sizeof msg);
    c->sent_at = now;
    c->state = MAMORI_SNTP_WAITING;
    c->deadline = now + MAMORI_SNTP_TIMEOUT_MS;
}

static void input(mamori_sntp_t *c, const uint8_t *msg, size_t len, uint32_t now)
{
    mamori_stack_t *s = c->stack;
    uint64_t unix_ms;
    uint32_t kiss;
    switch (mamori_sntp_parse(msg, len, c->origin, now - c->sent_at, &unix_ms, &kiss)) {
    case SNTP_PARSE_OK:
        MAMORI_COUNT(s, sntp_sync);
        mamori_wallclock_set(&c->clock, now, unix_ms);
        c->stratum = msg[1];
        c->state = MAMORI_SNTP_IDLE;
        c->deadline = now + c->interval_ms;
        c->retry_ms = MAMORI_SNTP_RETRY_MS;
        memset(c->origin, 0, sizeof c->origin); /* a replayed reply no longer matches */
        return;
    case SNTP_PARSE_KOD:
        MAMORI_COUNT(s, sntp_kod);
        if (kiss == KISS('R', 'A', 'T', 'E')) {
            c->interval_ms = mamori_min_u32(c->interval_ms * 2, MAMORI_SNTP_INTERVAL_MAX_S * 1000u);
            c->state = MAMORI_SNTP_IDLE;
            c->deadline = now + c->interval_ms;
        } else if (kiss == KISS('D', 'E', 'N', 'Y') || kiss == KISS('R', 'S', 'T', 'R')) {
            mamori_udp_close(&c->sock);
            c->state = MAMORI_SNTP_DENIED;
        } else {
            failed(c, now);
        }
        return;
    case SNTP_PARSE_SHORT:
        MAMORI_COUNT(s, sntp_rx_drop_short);
        return;
    case SNTP_PARSE_MODE:
        MAMORI_COUNT(s, sntp_rx_drop_mode);
        return;
    case SNTP_PARSE_ORIGIN:
        MAMORI_COUNT(s, sntp_rx_drop_origin);
        return;
    case SNTP_PARSE_UNSYNC:
        MAMORI_COUNT(s, sntp_rx_drop_unsync);
        return;
    default:
        MAMORI_COUNT(s, sntp_rx_drop_insane);
        return;
    }
}

int mamori_sntp_start(mamori_sntp_t *c, mamori_stack_t *s, uint32_t server)
{
    if (!server)
        return MAMORI_ERR_INVAL;
    memset(c, 0, sizeof *c);
    c->stack = s;
    c->server = server;
    c->state = MAMORI_SNTP_IDLE;
    c->deadline = s->now;
    c->interval_ms = MAMORI_SNTP_INTERVAL_S * 1000u;
    c->retry_ms = MAMORI_SNTP_RETRY_MS;
    return mamori_udp_open(s, &c->sock, c->ring, sizeof c->ring);
}

void mamori_sntp_stop(mamori_sntp_t *c)
{
    mamori_udp_close(&c->sock);
    c->state = MAMORI_SNTP_OFF;
}

uint32_t mamori_sntp_poll(mamori_sntp_t *c, uint32_t now_ms)
{
    if (c->clock.valid) /* keep the offset short for the 32-bit clock */
        mamori_wallclock_set(&c->clock, now_ms, c->clock.unix_ms + (uint32_t)(now_ms - c->clock.base));
    if (c->state == MAMORI_SNTP_OFF || c->state == MAMORI_SNTP_DENIED)
        return MAMORI_NO_DEADLINE;
    uint8_t buf[MSG_LEN];
    uint32_t src;
    uint16_t sport;
    int n;
    while (c->state == MAMORI_SNTP_WAITING && (n = mamori_udp_recvfrom(&c->sock, buf, sizeof buf, &src, &sport)) >= 0) {
        if (src != c->server || sport != PORT_NTP)
            MAMORI_COUNT(c->stack, sntp_rx_drop_src);
        else
            input(c, buf, (size_t)n, now_ms);
    }
    if (c->state == MAMORI_SNTP_DENIED)
        return MAMORI_NO_DEADLINE;
    if (!mamori_time_before(now_ms, c->deadline)) {
        if (c->state == MAMORI_SNTP_IDLE) {
            send_request(c, now_ms);
            return 0;
        }
        MAMORI_COUNT(c->stack, sntp_timeouts);
        failed(c, now_ms);
    }
    return c->deadline - now_ms;
}

mamori_sntp_state_t mamori_sntp_state(const mamori_sntp_t *c) { return (mamori_sntp_state_t)c->state; }

const mamori_wallclock_t *mamori_sntp_clock(const mamori_sntp_t *c) { return &c->clock; }

#endif
