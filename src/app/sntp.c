/*
 * SNTP client (RFC 4330; client mode of RFC 5905) and the wall clock. The
 * request's transmit timestamp is random (so an off-path attacker cannot
 * forge the origin it must echo) and goes out from a fresh random port; the
 * reply's time is corrected by half the round trip less the server's
 * processing time (RFC 4330 §5). All of it is 32-bit arithmetic.
 */
#include <string.h>

#include "app/sntp_internal.h"
#include "net/net_internal.h"

#define PORT_NTP 123
#define MSG_LEN 48
#define MODE_CLIENT 3
#define MODE_SERVER 4
#define NTP_UNIX_OFFSET 2208988800u /* 1900-01-01 to 1970-01-01, seconds */
/* Era 0 ends in 2036; NTP seconds below 2^31 are read as era 1 (RFC 4330
 * §3), which ends in 2104: 2^32 + 2^31 - NTP_UNIX_OFFSET Unix seconds. */
#define ERA1_END_UNIX 4233462144u
#define KISS(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
/* Root delay and dispersion are 16.16 seconds (RFC 5905 §7.3). */
#define MAX_ROOT_FIXED ((uint32_t)((uint64_t)MAMORI_SNTP_MAX_ROOT_MS * 65536u / 1000u))
#define STAT(name) (offsetof(mamori_stats_t, name) / sizeof(uint32_t))

void mamori_wallclock_set(mamori_wallclock_t *wc, uint32_t now_ms, uint32_t unix_s, uint32_t ms)
{
    wc->unix_s = unix_s;
    wc->base = now_ms - ms;
    wc->valid = true;
}

int mamori_wallclock_get(const mamori_wallclock_t *wc, uint32_t now_ms, uint64_t *unix_seconds)
{
    if (!wc->valid)
        return MAMORI_ERR_STATE;
    *unix_seconds = wc->unix_s + (now_ms - wc->base) / 1000u;
    return MAMORI_OK;
}

#if MAMORI_SNTP

/* Milliseconds of an NTP fraction of a second (2^-32 s): a multiply-shift. */
static uint32_t frac_ms(const uint8_t *p) { return (uint32_t)((uint64_t)mamori_get_be32(p) * 1000u >> 32); }

mamori_sntp_parse_t mamori_sntp_parse(const uint8_t *msg, size_t len, const uint8_t origin[8], uint32_t rtt_ms,
                                      mamori_sntp_reply_t *r)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, msg, len);
    const uint8_t *p = mamori_rd_take(&rd, MSG_LEN);
    if (!p)
        return SNTP_PARSE_SHORT;
    r->kiss = mamori_get_be32(p + 12); /* reference ID */
    if ((p[0] & 7) != MODE_SERVER || ((p[0] >> 3 & 7) - 3u) > 1) /* version 3 or 4 */
        return SNTP_PARSE_MODE;
    if (memcmp(p + 24, origin, 8) != 0)
        return SNTP_PARSE_ORIGIN;
    if (p[1] == 0)
        return SNTP_PARSE_KOD;
    uint32_t rx_s = mamori_get_be32(p + 32), tx_s = mamori_get_be32(p + 40);
    if ((p[0] >> 6) == 3 || p[1] >= 16 || !rx_s || !tx_s)
        return SNTP_PARSE_UNSYNC;
    /* The server's processing time, receive to transmit: not negative (it
     * would wrap), no longer than the round trip; seconds apart bounded so
     * that it cannot overflow. Unix seconds by 32-bit wrap-around put both
     * eras in [1970, 2104) and era-0 times before 1970 after 2104. */
    uint32_t ds = tx_s - rx_s, tx_ms = frac_ms(p + 44), busy = ds * 1000u + tx_ms - frac_ms(p + 36);
    uint32_t unix_s = tx_s - NTP_UNIX_OFFSET;
    if (mamori_get_be32(p + 4) > MAX_ROOT_FIXED || mamori_get_be32(p + 8) > MAX_ROOT_FIXED || ds > 0xffff ||
        busy > rtt_ms || unix_s - MAMORI_SNTP_MIN_UNIX_S >= ERA1_END_UNIX - MAMORI_SNTP_MIN_UNIX_S)
        return SNTP_PARSE_INSANE;
    /* Half of the round trip less the server's time is the way back. */
    r->unix_s = unix_s;
    r->ms = tx_ms + (rtt_ms - busy) / 2;
    return SNTP_PARSE_OK;
}

/* Counters as the array they are laid out as (see mamori_stats_value()). */
static void count(const mamori_sntp_t *c, size_t stat) { ((uint32_t *)(void *)&c->stack->stats)[stat]++; }

/* Idle until now + wait. */
static void idle(mamori_sntp_t *c, uint32_t now, uint32_t wait)
{
    c->state = MAMORI_SNTP_IDLE;
    c->deadline = now + wait;
}

static void failed(mamori_sntp_t *c, uint32_t now)
{
    idle(c, now, c->retry_ms);
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
    msg[0] = 4 << 3 | MODE_CLIENT;  /* LI 0, version 4 */
    memcpy(msg + 40, c->origin, 8); /* transmit timestamp */
    count(c, STAT(sntp_tx));
    (void)mamori_udp_sendto(&c->sock, c->server, PORT_NTP, msg, sizeof msg);
    c->sent_at = now;
    c->state = MAMORI_SNTP_WAITING;
    c->deadline = now + MAMORI_SNTP_TIMEOUT_MS;
}

static void input(mamori_sntp_t *c, const uint8_t *msg, size_t len, uint32_t now)
{
    static const uint16_t counter[] = {
        [SNTP_PARSE_OK] = STAT(sntp_sync),
        [SNTP_PARSE_SHORT] = STAT(sntp_rx_drop_short),
        [SNTP_PARSE_MODE] = STAT(sntp_rx_drop_mode),
        [SNTP_PARSE_ORIGIN] = STAT(sntp_rx_drop_origin),
        [SNTP_PARSE_KOD] = STAT(sntp_kod),
        [SNTP_PARSE_UNSYNC] = STAT(sntp_rx_drop_unsync),
        [SNTP_PARSE_INSANE] = STAT(sntp_rx_drop_insane),
    };
    mamori_sntp_reply_t r;
    mamori_sntp_parse_t rc = mamori_sntp_parse(msg, len, c->origin, now - c->sent_at, &r);
    count(c, counter[rc]);
    if (rc == SNTP_PARSE_OK) {
        mamori_wallclock_set(&c->clock, now, r.unix_s, r.ms);
        c->stratum = msg[1];
        idle(c, now, c->interval_ms);
        c->retry_ms = MAMORI_SNTP_RETRY_MS;
        memset(c->origin, 0, sizeof c->origin); /* a replayed reply no longer matches */
    } else if (rc == SNTP_PARSE_KOD) {
        if (r.kiss == KISS('R', 'A', 'T', 'E')) {
            c->interval_ms = mamori_min_u32(c->interval_ms * 2, MAMORI_SNTP_INTERVAL_MAX_S * 1000u);
            idle(c, now, c->interval_ms);
        } else if (r.kiss == KISS('D', 'E', 'N', 'Y') || r.kiss == KISS('R', 'S', 'T', 'R')) {
            mamori_udp_close(&c->sock);
            c->state = MAMORI_SNTP_DENIED;
        } else {
            failed(c, now);
        }
    }
}

int mamori_sntp_start(mamori_sntp_t *c, mamori_stack_t *s, uint32_t server)
{
    if (!server)
        return MAMORI_ERR_INVAL;
    memset(c, 0, sizeof *c);
    c->stack = s;
    c->server = server;
    c->interval_ms = MAMORI_SNTP_INTERVAL_S * 1000u;
    c->retry_ms = MAMORI_SNTP_RETRY_MS;
    idle(c, s->now, 0);
    return mamori_udp_open(s, &c->sock, c->ring, sizeof c->ring);
}

void mamori_sntp_stop(mamori_sntp_t *c)
{
    mamori_udp_close(&c->sock);
    c->state = MAMORI_SNTP_OFF;
}

uint32_t mamori_sntp_poll(mamori_sntp_t *c, uint32_t now_ms)
{
    /* Whole seconds move from the offset to unix_s, so that the offset
     * stays short for the 32-bit clock (of no effect on an unset clock). */
    mamori_wallclock_t *wc = &c->clock;
    uint32_t secs = (now_ms - wc->base) / 1000u;
    wc->unix_s += secs;
    wc->base += secs * 1000u;
    if (c->state == MAMORI_SNTP_OFF || c->state == MAMORI_SNTP_DENIED)
        return MAMORI_NO_DEADLINE;
    uint8_t buf[MSG_LEN];
    uint32_t src;
    uint16_t sport;
    int n;
    while (c->state == MAMORI_SNTP_WAITING && (n = mamori_udp_recvfrom(&c->sock, buf, sizeof buf, &src, &sport)) >= 0) {
        if (src != c->server || sport != PORT_NTP)
            count(c, STAT(sntp_rx_drop_src));
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
        count(c, STAT(sntp_timeouts));
        failed(c, now_ms);
    }
    return c->deadline - now_ms;
}

mamori_sntp_state_t mamori_sntp_state(const mamori_sntp_t *c) { return (mamori_sntp_state_t)c->state; }

const mamori_wallclock_t *mamori_sntp_clock(const mamori_sntp_t *c) { return &c->clock; }

#endif
