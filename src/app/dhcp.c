/*
 * DHCP client (RFC 2131, options of RFC 2132). Every reply is parsed through
 * the bounded cursor; every dropped one is counted. The stack's address,
 * prefix and gateway follow the lease: an ACKed address is first probed with
 * RFC 5227 ARP (a conflict is declined), renewed at T1, rebound at T2 and
 * removed when the lease expires.
 */
#include <string.h>

#include "app/dhcp_internal.h"
#include "net/net_internal.h"

#if MAMORI_DHCP

#define PORT_SERVER 67
#define PORT_CLIENT 68
#define MAGIC 0x63825363u /* RFC 2131 §3 */
#define MSG_MAX 548       /* 576-byte datagram (RFC 2131 §2): no option 57 is sent */
#define MSG_MIN 300       /* BOOTP minimum (RFC 1542 §2.1) */
#define FLAG_BROADCAST 0x8000

enum {
    OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_NTP = 42, OPT_REQ_ADDR = 50, OPT_LEASE = 51,
    OPT_OVERLOAD = 52, OPT_TYPE = 53, OPT_SERVER = 54, OPT_PARAMS = 55, OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255,
};

/* ---- parsing ------------------------------------------------------------ */

/* Reads a list of addresses: a non-empty multiple of 4 bytes (RFC 2132 §3). */
static bool read_addrs(mamori_rd_t *v, uint32_t *out, size_t max, uint8_t *count)
{
    size_t n = mamori_rd_left(v);
    if (n == 0 || n % 4)
        return false;
    size_t i = 0;
    for (; mamori_rd_left(v); i++) {
        uint32_t a = mamori_rd_be32(v);
        if (i < max)
            out[i] = a;
    }
    if (count)
        *count = (uint8_t)(i < max ? i : max);
    return true;
}

static bool read_u32(mamori_rd_t *v, uint32_t *out)
{
    *out = mamori_rd_be32(v);
    return mamori_rd_done(v);
}

static int mask_prefix(uint32_t mask)
{
    int n = 0;
    while (n < 32 && (mask & (0x80000000u >> n)))
        n++;
    return (n ? 0xffffffffu << (32 - n) : 0) == mask ? n : -1;
}

/* One option area, up to its END (RFC 2132 §2). Overload (§9.3) is only
 * honoured in the options field itself, so overloaded areas cannot loop. */
static bool parse_area(mamori_rd_t rd, mamori_dhcp_msg_t *m, uint8_t *overload)
{
    for (;;) {
        uint8_t code = mamori_rd_u8(&rd);
        if (!mamori_rd_ok(&rd))
            return false; /* no END */
        if (code == OPT_PAD)
            continue;
        if (code == OPT_END)
            return true;
        mamori_rd_t v = mamori_rd_sub(&rd, mamori_rd_u8(&rd));
        uint32_t mask;
        bool ok = mamori_rd_ok(&v);
        switch (code) {
        case OPT_MASK:
            ok = ok && read_u32(&v, &mask) && mask_prefix(mask) >= 0;
            m->prefix = ok ? (uint8_t)mask_prefix(mask) : 0;
            break;
        case OPT_ROUTER:
            ok = ok && read_addrs(&v, &m->router, 1, NULL);
            break;
        case OPT_DNS:
            ok = ok && read_addrs(&v, m->dns, MAMORI_DHCP_DNS_MAX, &m->dns_count);
            break;
        case OPT_NTP:
            ok = ok && read_addrs(&v, &m->ntp, 1, NULL);
            break;
        case OPT_LEASE:
            ok = ok && read_u32(&v, &m->lease);
            break;
        case OPT_SERVER:
            ok = ok && read_u32(&v, &m->server);
            break;
        case OPT_T1:
            ok = ok && read_u32(&v, &m->t1);
            break;
        case OPT_T2:
            ok = ok && read_u32(&v, &m->t2);
            break;
        case OPT_TYPE:
            m->type = mamori_rd_u8(&v);
            ok = ok && mamori_rd_done(&v);
            break;
        case OPT_OVERLOAD:
            if (overload) {
                *overload = mamori_rd_u8(&v);
                ok = ok && mamori_rd_done(&v) && *overload >= 1 && *overload <= 3;
            }
            break;
        default:
            break;
        }
        if (!ok)
            return false;
    }
}

int mamori_dhcp_parse(const uint8_t *msg, size_t len, uint32_t xid, const uint8_t mac[6], mamori_dhcp_msg_t *m)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, msg, len);
    memset(m, 0, sizeof *m);
    m->prefix = 0xff;
    uint8_t op = mamori_rd_u8(&rd);
    uint8_t htype = mamori_rd_u8(&rd);
    uint8_t hlen = mamori_rd_u8(&rd);
    mamori_rd_skip(&rd, 1); /* hops */
    uint32_t got_xid = mamori_rd_be32(&rd);
    mamori_rd_skip(&rd, 8); /* secs, flags, ciaddr */
    m->yiaddr = mamori_rd_be32(&rd);
    mamori_rd_skip(&rd, 8); /* siaddr, giaddr */
    uint8_t chaddr[6];
    mamori_rd_copy(&rd, chaddr, 6);
    mamori_rd_skip(&rd, 10);
    mamori_rd_t sname = mamori_rd_sub(&rd, 64);
    mamori_rd_t file = mamori_rd_sub(&rd, 128);
    uint32_t magic = mamori_rd_be32(&rd);
    if (!mamori_rd_ok(&rd))
        return MAMORI_ERR_TRUNCATED;
    if (op != 2 || htype != 1 || hlen != 6 || magic != MAGIC)
        return MAMORI_ERR_MALFORMED;
    if (got_xid != xid || memcmp(chaddr, mac, 6) != 0)
        return MAMORI_ERR_NOTFOUND;
    /* RFC 2131 §4.1: options field first, then file, then sname. */
    uint8_t overload = 0;
    if (!parse_area(rd, m, &overload) || ((overload & 1) && !parse_area(file, m, NULL)) ||
        ((overload & 2) && !parse_area(sname, m, NULL)) || m->type == 0)
        return MAMORI_ERR_LIMIT;
    return MAMORI_OK;
}

/* ---- client --------------------------------------------------------------- */

static bool usable(uint32_t a) { return (a >> 24) != 0 && (a >> 24) != 127 && a < MAMORI_IP4(224, 0, 0, 0); }

static void put_addr_opt(mamori_wr_t *wr, uint8_t code, uint32_t addr)
{
    mamori_wr_u8(wr, code);
    mamori_wr_u8(wr, 4);
    mamori_wr_be32(wr, addr);
}

static void send_msg(mamori_dhcp_t *d, uint8_t type)
{
    static const uint8_t params[] = {OPT_PARAMS, 7, OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_NTP, OPT_LEASE, OPT_T1, OPT_T2};
    mamori_stack_t *s = d->stack;
    uint8_t st = d->state;
    bool renewing = st == MAMORI_DHCP_RENEWING || st == MAMORI_DHCP_REBINDING || type == DHCP_RELEASE;
    uint8_t buf[MSG_MIN];
    memset(buf, 0, sizeof buf);
    mamori_wr_t wr;
    mamori_wr_init(&wr, buf, sizeof buf);
    mamori_wr_be32(&wr, 0x01010600u); /* BOOTREQUEST, Ethernet, hlen 6, hops 0 */
    mamori_wr_be32(&wr, d->xid);
    uint32_t secs = (d->now - d->started) / 1000u;
    mamori_wr_be16(&wr, (uint16_t)(secs > 0xffff ? 0xffff : secs));
    /* Without an address we cannot take unicast: ask for broadcast replies. */
    mamori_wr_be16(&wr, renewing ? 0 : FLAG_BROADCAST);
    mamori_wr_be32(&wr, renewing ? d->addr : 0); /* ciaddr, RFC 2131 table 5 */
    mamori_wr_zeros(&wr, 12);
    mamori_wr_bytes(&wr, s->mac, 6);
    mamori_wr_zeros(&wr, 10 + 64 + 128);
    mamori_wr_be32(&wr, MAGIC);
    mamori_wr_u8(&wr, OPT_TYPE);
    mamori_wr_u8(&wr, 1);
    mamori_wr_u8(&wr, type);
    if (type == DHCP_DECLINE || (type == DHCP_REQUEST && !renewing))
        put_addr_opt(&wr, OPT_REQ_ADDR, d->addr);
    if (type == DHCP_DECLINE || type == DHCP_RELEASE || st == MAMORI_DHCP_REQUESTING)
        put_addr_opt(&wr, OPT_SERVER, d->server);
    if (type == DHCP_DISCOVER || type == DHCP_REQUEST)
        mamori_wr_bytes(&wr, params, sizeof params);
    mamori_wr_u8(&wr, OPT_END);
    /* RENEWING and RELEASE go to the server (RFC 2131 §4.4.5, §4.4.6). */
    uint32_t dst = st == MAMORI_DHCP_RENEWING || type == DHCP_RELEASE ? d->server : 0xffffffffu;
    if (type == DHCP_DISCOVER)
        MAMORI_COUNT(s, dhcp_tx_discover);
    else if (type == DHCP_REQUEST)
        MAMORI_COUNT(s, dhcp_tx_request);
    else if (type == DHCP_DECLINE)
        MAMORI_COUNT(s, dhcp_tx_decline);
    else
        MAMORI_COUNT(s, dhcp_tx_release);
    (void)mamori_udp_sendto(&d->sock, dst, PORT_SERVER, buf, sizeof buf);
}

/* Enters a state with a fresh retransmission schedule. */
static void enter(mamori_dhcp_t *d, uint8_t state, uint32_t delay_ms)
{
    d->state = state;
    d->tries = 0;
    d->retry_ms = MAMORI_DHCP_RETRY_MS;
    d->deadline = d->now + delay_ms;
}

/* Starts an exchange: a new random xid (RFC 2131 §4.1). */
static void new_exchange(mamori_dhcp_t *d, uint8_t state)
{
    enter(d, state, 0);
    d->xid = mamori_random32(d->stack);
    d->started = d->now;
}

static void restart(mamori_dhcp_t *d, uint32_t delay_ms)
{
    if (d->state >= MAMORI_DHCP_CHECKING) /* the lease is configured on the stack */
        (void)mamori_ip4_set_addr(d->stack, 0, 0, 0, false);
    d->addr = d->server = d->gw = d->ntp = 0;
    d->dns_count = 0;
    enter(d, MAMORI_DHCP_INIT, delay_ms);
}

/* Retransmission with exponential backoff and jitter of a quarter of the
 * delay: 4 s +-1 s, 8 s +-2 s, ... (RFC 2131 §4.1). */
static void transmit(mamori_dhcp_t *d, uint8_t type)
{
    send_msg(d, type);
    d->tries++;
    uint32_t jitter = d->retry_ms / 4;
    d->deadline = d->now + mamori_random_range(d->stack, d->retry_ms - jitter, d->retry_ms + jitter);
    d->retry_ms = mamori_min_u32(d->retry_ms * 2, MAMORI_DHCP_RETRY_MAX_MS);
}

/* RENEWING/REBINDING: retry at half the time left to the limit, at least
 * the configured floor, never past the limit (RFC 2131 §4.4.5). */
static void transmit_until(mamori_dhcp_t *d, uint32_t limit)
{
    send_msg(d, DHCP_REQUEST);
    uint32_t left = mamori_time_until(d->now, limit);
    uint32_t wait = left / 2 > MAMORI_DHCP_RENEW_RETRY_MIN_MS ? left / 2 : MAMORI_DHCP_RENEW_RETRY_MIN_MS;
    d->deadline = d->now + mamori_min_u32(wait, left);
}

static void apply_config(mamori_dhcp_t *d, bool probe)
{
    (void)mamori_ip4_set_addr(d->stack, d->addr, d->prefix, d->gw, probe);
}

/* Takes the lease of an ACK; times count from the first request (§4.4.1). */
static void take_lease(mamori_dhcp_t *d, const mamori_dhcp_msg_t *m)
{
    uint32_t lease = mamori_min_u32(m->lease, MAMORI_DHCP_LEASE_MAX_S);
    uint32_t t1 = m->t1 && m->t1 < lease ? m->t1 : lease / 2;
    uint32_t t2 = m->t2 > t1 && m->t2 < lease ? m->t2 : lease - lease / 8;
    d->t1 = d->started + t1 * 1000u;
    d->t2 = d->started + t2 * 1000u;
    d->expiry = d->started + lease * 1000u;
    uint32_t gw = usable(m->router) ? m->router : 0;
    uint8_t prefix = m->prefix == 0xff ? 24 : m->prefix; /* no mask option: assume /24 */
    uint8_t st = d->state;
    bool new_addr = m->yiaddr != d->addr || st == MAMORI_DHCP_REQUESTING || st == MAMORI_DHCP_REBOOTING;
    bool changed = prefix != d->prefix || gw != d->gw;
    d->addr = m->yiaddr;
    d->prefix = prefix;
    d->gw = gw;
    d->server = m->server;
    d->ntp = m->ntp;
    d->dns_count = m->dns_count;
    memcpy(d->dns, m->dns, sizeof d->dns);
    if (new_addr) {
        enter(d, MAMORI_DHCP_CHECKING, MAMORI_DHCP_CHECK_TIMEOUT_MS);
        apply_config(d, MAMORI_DHCP_ARP_CHECK);
        return;
    }
    if (changed)
        apply_config(d, false);
    if (st == MAMORI_DHCP_RENEWING)
        MAMORI_COUNT(d->stack, dhcp_renewed);
    else
        MAMORI_COUNT(d->stack, dhcp_rebound);
    enter(d, MAMORI_DHCP_BOUND, mamori_time_until(d->now, d->t1));
}

static void input(mamori_dhcp_t *d, const uint8_t *buf, size_t len)
{
    mamori_stack_t *s = d->stack;
    mamori_dhcp_msg_t m;
    int rc = mamori_dhcp_parse(buf, len, d->xid, s->mac, &m);
    if (rc == MAMORI_ERR_TRUNCATED) {
        MAMORI_COUNT(s, dhcp_rx_drop_short);
        return;
    }
    if (rc == MAMORI_ERR_MALFORMED) {
        MAMORI_COUNT(s, dhcp_rx_drop_malformed);
        return;
    }
    if (rc == MAMORI_ERR_NOTFOUND) {
        MAMORI_COUNT(s, dhcp_rx_drop_xid);
        return;
    }
    if (rc) {
        MAMORI_COUNT(s, dhcp_rx_drop_options);
        return;
    }
    uint8_t st = d->state;
    /* A reply from another server than the one we chose or renew with is
     * not ours (RFC 2131 §4.4.1); REBOOTING and REBINDING accept any. */
    bool right_server = (st != MAMORI_DHCP_REQUESTING && st != MAMORI_DHCP_RENEWING) || m.server == d->server;
    bool requesting = st == MAMORI_DHCP_REQUESTING || st == MAMORI_DHCP_REBOOTING || st == MAMORI_DHCP_RENEWING ||
                      st == MAMORI_DHCP_REBINDING;
    bool lease_ok = usable(m.yiaddr) && m.server && m.lease;
    if (m.type == DHCP_OFFER && st == MAMORI_DHCP_SELECTING && lease_ok) {
        MAMORI_COUNT(s, dhcp_rx_offer);
        d->addr = m.yiaddr;
        d->server = m.server;
        enter(d, MAMORI_DHCP_REQUESTING, 0);
    } else if (m.type == DHCP_ACK && requesting && right_server && lease_ok) {
        MAMORI_COUNT(s, dhcp_rx_ack);
        take_lease(d, &m);
    } else if (m.type == DHCP_NAK && requesting && right_server) {
        MAMORI_COUNT(s, dhcp_rx_nak);
        restart(d, 0);
    } else {
        MAMORI_COUNT(s, dhcp_rx_drop_unexpected);
    }
}

/* Follows the stack's address: the end of the ARP check, or its loss to a
 * conflict (RFC 5227 §2.4) or to the application. */
static void watch_address(mamori_dhcp_t *d)
{
    mamori_stack_t *s = d->stack;
    uint8_t st = d->state;
    if (st == MAMORI_DHCP_CHECKING) {
        if (mamori_ip4_addr(s) == d->addr) {
            MAMORI_COUNT(s, dhcp_bound);
            enter(d, MAMORI_DHCP_BOUND, mamori_time_until(d->now, d->t1));
        } else if (s->ip4.state == MAMORI_ADDR_NONE) {
            /* RFC 2131 §3.1 step 5: decline, wait, start again. */
            MAMORI_COUNT(s, dhcp_conflicts);
            send_msg(d, DHCP_DECLINE);
            restart(d, MAMORI_DHCP_DECLINE_WAIT_MS);
        }
    } else if (st >= MAMORI_DHCP_BOUND && mamori_ip4_addr(s) != d->addr) {
        MAMORI_COUNT(s, dhcp_conflicts);
        restart(d, 0);
    }
}

static void timer(mamori_dhcp_t *d)
{
    switch (d->state) {
    case MAMORI_DHCP_INIT:
        new_exchange(d, MAMORI_DHCP_SELECTING);
        transmit(d, DHCP_DISCOVER);
        return;
    case MAMORI_DHCP_SELECTING:
        transmit(d, DHCP_DISCOVER);
        return;
    case MAMORI_DHCP_REQUESTING:
    case MAMORI_DHCP_REBOOTING:
        if (d->tries < MAMORI_DHCP_REQUEST_TRIES) {
            transmit(d, DHCP_REQUEST);
            return;
        }
        MAMORI_COUNT(d->stack, dhcp_timeouts);
        restart(d, 0);
        return;
    case MAMORI_DHCP_CHECKING:
        MAMORI_COUNT(d->stack, dhcp_timeouts);
        restart(d, 0);
        return;
    case MAMORI_DHCP_BOUND:
        new_exchange(d, MAMORI_DHCP_RENEWING);
        /* fall through */
    case MAMORI_DHCP_RENEWING:
        if (mamori_time_before(d->now, d->t2)) {
            transmit_until(d, d->t2);
            return;
        }
        d->state = MAMORI_DHCP_REBINDING;
        /* fall through */
    default: /* REBINDING */
        if (mamori_time_before(d->now, d->expiry)) {
            transmit_until(d, d->expiry);
            return;
        }
        MAMORI_COUNT(d->stack, dhcp_lease_expired);
        restart(d, 0);
        return;
    }
}

int mamori_dhcp_start(mamori_dhcp_t *d, mamori_stack_t *s, uint32_t remembered)
{
    memset(d, 0, sizeof *d);
    d->stack = s;
    d->now = s->now;
    int rc = mamori_udp_open(s, &d->sock, d->ring, sizeof d->ring);
    if (rc == MAMORI_OK)
        rc = mamori_udp_bind(&d->sock, PORT_CLIENT);
    if (rc)
        return rc;
    if (usable(remembered)) {
        new_exchange(d, MAMORI_DHCP_REBOOTING); /* RFC 2131 §3.2 */
        d->addr = remembered;
    } else {
        enter(d, MAMORI_DHCP_INIT, mamori_random_range(s, 0, MAMORI_DHCP_START_DELAY_MS));
    }
    return MAMORI_OK;
}

void mamori_dhcp_stop(mamori_dhcp_t *d, bool release)
{
    if (d->state == MAMORI_DHCP_OFF)
        return;
    if (release && d->state >= MAMORI_DHCP_BOUND) {
        d->now = d->stack->now;
        send_msg(d, DHCP_RELEASE);
        restart(d, 0);
    }
    mamori_udp_close(&d->sock);
    d->state = MAMORI_DHCP_OFF;
}

uint32_t mamori_dhcp_poll(mamori_dhcp_t *d, uint32_t now_ms)
{
    if (d->state == MAMORI_DHCP_OFF)
        return MAMORI_NO_DEADLINE;
    d->now = now_ms;
    uint8_t before = d->state;
    uint32_t deadline = d->deadline;
    uint8_t buf[MSG_MAX];
    uint32_t src;
    uint16_t sport;
    int n;
    while ((n = mamori_udp_recvfrom(&d->sock, buf, sizeof buf, &src, &sport)) >= 0) {
        if (sport != PORT_SERVER)
            MAMORI_COUNT(d->stack, dhcp_rx_drop_port);
        else
            input(d, buf, (size_t)n);
    }
    watch_address(d);
    if (!mamori_time_before(now_ms, d->deadline)) {
        timer(d);
        return 0;
    }
    return d->state != before || d->deadline != deadline ? 0 : d->deadline - now_ms;
}

mamori_dhcp_state_t mamori_dhcp_state(const mamori_dhcp_t *d) { return (mamori_dhcp_state_t)d->state; }

uint32_t mamori_dhcp_addr(const mamori_dhcp_t *d) { return d->state >= MAMORI_DHCP_BOUND ? d->addr : 0; }

uint32_t mamori_dhcp_server(const mamori_dhcp_t *d) { return d->state >= MAMORI_DHCP_BOUND ? d->server : 0; }

size_t mamori_dhcp_dns_servers(const mamori_dhcp_t *d, uint32_t *out, size_t max)
{
    size_t n = d->state >= MAMORI_DHCP_BOUND ? d->dns_count : 0;
    n = n < max ? n : max;
    memcpy(out, d->dns, n * sizeof *out);
    return n;
}

uint32_t mamori_dhcp_ntp_server(const mamori_dhcp_t *d) { return d->state >= MAMORI_DHCP_BOUND ? d->ntp : 0; }

#endif
