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
#define HDR_LEN 240       /* fixed fields and the magic cookie */
#define MSG_MAX 548       /* 576-byte datagram (RFC 2131 §2): no option 57 is sent */
#define MSG_MIN 300       /* BOOTP minimum (RFC 1542 §2.1) */
#define STAT(name) (offsetof(mamori_stats_t, name) / sizeof(uint32_t))
#define BIT(state) (1u << MAMORI_DHCP_##state)

enum {
    OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_NTP = 42, OPT_REQ_ADDR = 50, OPT_LEASE = 51,
    OPT_OVERLOAD = 52, OPT_TYPE = 53, OPT_SERVER = 54, OPT_PARAMS = 55, OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255,
};

/* Counters as the array they are laid out as (see mamori_stats_value()). */
static void count(const mamori_dhcp_t *d, size_t stat) { ((uint32_t *)(void *)&d->stack->stats)[stat]++; }

/* ---- parsing ------------------------------------------------------------ */

/* The options read, where each goes and its form: exactly one byte (BYTE),
 * exactly one 4-byte value (ONE), or else a non-empty list of 4-byte
 * addresses of which the count given is kept (RFC 2132 §3). */
#define ONE (0x40 | 1)
#define BYTE 0x80
#define FIELD(name) (uint8_t)offsetof(mamori_dhcp_msg_t, name)
_Static_assert(MAMORI_DHCP_DNS_MAX < 0x40, "the DNS server count must fit the form");
static const uint8_t known[][3] = {
    {OPT_TYPE, FIELD(type), BYTE},     {OPT_OVERLOAD, FIELD(overload), BYTE},
    {OPT_SERVER, FIELD(server), ONE},  {OPT_LEASE, FIELD(lease), ONE},
    {OPT_MASK, FIELD(mask), ONE},      {OPT_ROUTER, FIELD(router), 1},
    {OPT_DNS, FIELD(dns), MAMORI_DHCP_DNS_MAX}, {OPT_NTP, FIELD(ntp), 1},
    {OPT_T1, FIELD(t1), ONE},          {OPT_T2, FIELD(t2), ONE},
};

/* The option area of len bytes at off in msg, up to its END (RFC 2132 §2). */
static bool parse_area(const mamori_rd_t *msg, size_t off, size_t len, mamori_dhcp_msg_t *m)
{
    mamori_rd_t rd = mamori_rd_at(msg, off, len);
    for (;;) {
        uint8_t code = mamori_rd_u8(&rd);
        if (!mamori_rd_ok(&rd))
            return false; /* no END */
        if (code == OPT_END)
            return true;
        if (code == OPT_PAD)
            continue;
        size_t n = mamori_rd_u8(&rd);
        const uint8_t *v = mamori_rd_take(&rd, n);
        if (!v)
            return false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            if (known[k][0] != code)
                continue;
            unsigned form = known[k][2];
            uint32_t *out = (uint32_t *)(void *)((uint8_t *)m + known[k][1]);
            if (form == BYTE) { /* type and overload: 0 is neither */
                if (n != 1 || !*v)
                    return false;
                *out = *v;
                continue;
            }
            if (!n || n % 4 || (form == ONE && n != 4))
                return false;
            size_t i = 0;
            for (; i < n / 4 && i < (form & 0x3f); i++)
                out[i] = mamori_get_be32(v + 4 * i);
            if (code == OPT_DNS)
                m->dns_count = (uint8_t)i;
        }
    }
}

int mamori_dhcp_parse(const uint8_t *msg, size_t len, uint32_t xid, const uint8_t mac[6], mamori_dhcp_msg_t *m)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, msg, len);
    memset(m, 0, sizeof *m);
    const uint8_t *h = mamori_rd_take(&rd, HDR_LEN);
    if (!h)
        return MAMORI_ERR_TRUNCATED;
    /* BOOTREPLY, Ethernet, 6-byte addresses; any hop count */
    if (mamori_get_be32(h) >> 8 != 0x020106u || mamori_get_be32(h + 236) != MAGIC)
        return MAMORI_ERR_MALFORMED;
    if (mamori_get_be32(h + 4) != xid || memcmp(h + 28, mac, 6) != 0)
        return MAMORI_ERR_NOTFOUND;
    m->yiaddr = mamori_get_be32(h + 16);
    /* RFC 2131 §4.1: options field first, then file, then sname. Overload
     * (RFC 2132 §9.3) is only taken from the options field, so overloaded
     * areas cannot loop. */
    if (!parse_area(&rd, HDR_LEN, len - HDR_LEN, m))
        return MAMORI_ERR_LIMIT;
    uint32_t overload = m->overload, inv = ~m->mask;
    if (overload > 3 || ((overload & 1) && !parse_area(&rd, 108, 128, m)) || /* file */
        ((overload & 2) && !parse_area(&rd, 44, 64, m)))                      /* sname */
        return MAMORI_ERR_LIMIT;
    /* A message type, and a subnet mask of contiguous ones if any. */
    return m->type && !(inv & (inv + 1)) ? MAMORI_OK : MAMORI_ERR_LIMIT;
}

/* ---- client --------------------------------------------------------------- */

static bool usable(uint32_t a) { return (a >> 24) != 0 && (a >> 24) != 127 && a < MAMORI_IP4(224, 0, 0, 0); }

static void put_addr_opt(uint8_t *p, uint8_t code, uint32_t addr)
{
    p[0] = code;
    p[1] = 4;
    mamori_put_be32(p + 2, addr);
}

/* Every message the client sends: DISCOVER, REQUEST, DECLINE, RELEASE. */
static void send_msg(mamori_dhcp_t *d, uint8_t type)
{
    static const uint8_t params[] = {OPT_PARAMS, 7, OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_NTP, OPT_LEASE, OPT_T1, OPT_T2};
    static const uint16_t sent[] = {
        [DHCP_DISCOVER] = STAT(dhcp_tx_discover),
        [DHCP_REQUEST] = STAT(dhcp_tx_request),
        [DHCP_DECLINE] = STAT(dhcp_tx_decline),
        [DHCP_RELEASE] = STAT(dhcp_tx_release),
    };
    uint8_t st = d->state;
    /* From the leased address: ciaddr set, replies by unicast (RFC 2131
     * table 5); without one we ask for broadcast replies. */
    bool leased = st >= MAMORI_DHCP_RENEWING || type == DHCP_RELEASE;
    uint8_t buf[MSG_MIN];
    memset(buf, 0, sizeof buf);
    mamori_put_be32(buf, 0x01010600u); /* BOOTREQUEST, Ethernet, hlen 6, hops 0 */
    mamori_put_be32(buf + 4, d->xid);
    uint32_t secs = (d->now - d->started) / 1000u;
    mamori_put_be16(buf + 8, (uint16_t)(secs > 0xffff ? 0xffff : secs));
    if (leased)
        mamori_put_be32(buf + 12, d->addr);
    else
        buf[10] = 0x80;
    memcpy(buf + 28, d->stack->mac, 6);
    mamori_put_be32(buf + 236, MAGIC);
    /* The options at fixed places, the addresses 4-byte aligned and what is
     * not sent left as PAD (RFC 2132 §3.1): type, requested address, server
     * identifier, parameter list. */
    uint8_t *o = buf + HDR_LEN;
    o[0] = OPT_TYPE;
    o[1] = 1;
    o[2] = type;
    if (type == DHCP_DECLINE || (type == DHCP_REQUEST && !leased))
        put_addr_opt(o + 6, OPT_REQ_ADDR, d->addr);
    if (type >= DHCP_DECLINE || st == MAMORI_DHCP_REQUESTING)
        put_addr_opt(o + 14, OPT_SERVER, d->server);
    if (type <= DHCP_REQUEST)
        memcpy(o + 20, params, sizeof params);
    o[20 + sizeof params] = OPT_END;
    count(d, sent[type]);
    /* RENEWING and RELEASE go to the server (RFC 2131 §4.4.5, §4.4.6). */
    uint32_t dst = st == MAMORI_DHCP_RENEWING || type == DHCP_RELEASE ? d->server : 0xffffffffu;
    (void)mamori_udp_sendto(&d->sock, dst, PORT_SERVER, buf, sizeof buf);
}

/* Enters a state with a fresh retransmission schedule, due at deadline. */
static void enter(mamori_dhcp_t *d, uint8_t state, uint32_t deadline)
{
    d->state = state;
    d->tries = 0;
    d->retry_ms = MAMORI_DHCP_RETRY_MS;
    d->deadline = deadline;
}

/* Starts an exchange: a new random xid (RFC 2131 §4.1). */
static void new_exchange(mamori_dhcp_t *d, uint8_t state)
{
    enter(d, state, d->now);
    d->xid = mamori_random32(d->stack);
    d->started = d->now;
}

/* Gives up (counting why) and starts again after delay_ms. */
static void restart(mamori_dhcp_t *d, uint32_t delay_ms, size_t why)
{
    count(d, why);
    if (d->state >= MAMORI_DHCP_CHECKING) /* the lease is configured on the stack */
        (void)mamori_ip4_set_addr(d->stack, 0, 0, 0, false);
    d->addr = 0; /* no INIT-REBOOT now */
    enter(d, MAMORI_DHCP_INIT, d->now + delay_ms);
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
    uint8_t prefix = 0;
    for (uint32_t mask = m->mask; mask; mask <<= 1)
        prefix++;
    if (!prefix)
        prefix = 24; /* no mask option (or 0.0.0.0): assume /24 */
    uint8_t st = d->state;
    bool new_addr = m->yiaddr != d->addr || st < MAMORI_DHCP_CHECKING; /* REQUESTING, REBOOTING */
    if (new_addr || prefix != d->prefix || gw != d->gw)
        (void)mamori_ip4_set_addr(d->stack, m->yiaddr, prefix, gw, new_addr && MAMORI_DHCP_ARP_CHECK);
    d->addr = m->yiaddr;
    d->prefix = prefix;
    d->gw = gw;
    d->server = m->server;
    d->ntp = m->ntp;
    d->dns_count = m->dns_count;
    memcpy(d->dns, m->dns, sizeof d->dns);
    if (new_addr) {
        enter(d, MAMORI_DHCP_CHECKING, d->now + MAMORI_DHCP_CHECK_TIMEOUT_MS);
        return;
    }
    count(d, st == MAMORI_DHCP_RENEWING ? STAT(dhcp_renewed) : STAT(dhcp_rebound));
    enter(d, MAMORI_DHCP_BOUND, d->t1);
}

static void input(mamori_dhcp_t *d, const uint8_t *buf, size_t len)
{
    mamori_dhcp_msg_t m;
    int rc = mamori_dhcp_parse(buf, len, d->xid, d->stack->mac, &m);
    unsigned st = 1u << d->state;
    /* An answer to our REQUEST; from the server we chose or renew with
     * (RFC 2131 §4.4.1), while REBOOTING and REBINDING from any. */
    bool answer = (st & (BIT(REBOOTING) | BIT(REBINDING))) ||
                  ((st & (BIT(REQUESTING) | BIT(RENEWING))) && m.server == d->server);
    bool lease_ok = usable(m.yiaddr) && m.server && m.lease;
    if (rc) {
        count(d, rc == MAMORI_ERR_TRUNCATED   ? STAT(dhcp_rx_drop_short)
                 : rc == MAMORI_ERR_MALFORMED ? STAT(dhcp_rx_drop_malformed)
                 : rc == MAMORI_ERR_NOTFOUND  ? STAT(dhcp_rx_drop_xid)
                                              : STAT(dhcp_rx_drop_options));
    } else if (m.type == DHCP_OFFER && st == BIT(SELECTING) && lease_ok) {
        count(d, STAT(dhcp_rx_offer));
        d->addr = m.yiaddr;
        d->server = m.server;
        enter(d, MAMORI_DHCP_REQUESTING, d->now);
    } else if (m.type == DHCP_ACK && answer && lease_ok) {
        count(d, STAT(dhcp_rx_ack));
        take_lease(d, &m);
    } else if (m.type == DHCP_NAK && answer) {
        restart(d, 0, STAT(dhcp_rx_nak));
    } else {
        count(d, STAT(dhcp_rx_drop_unexpected));
    }
}

/* Follows the stack's address: the end of the ARP check, or its loss to a
 * conflict (RFC 5227 §2.4) or to the application. */
static void watch_address(mamori_dhcp_t *d)
{
    mamori_stack_t *s = d->stack;
    uint8_t st = d->state;
    bool held = mamori_ip4_addr(s) == d->addr, checking = st == MAMORI_DHCP_CHECKING;
    if (checking && held) {
        count(d, STAT(dhcp_bound));
        enter(d, MAMORI_DHCP_BOUND, d->t1);
    } else if ((checking && s->ip4.state == MAMORI_ADDR_NONE) || (st >= MAMORI_DHCP_BOUND && !held)) {
        if (checking) /* RFC 2131 §3.1 step 5: decline, wait, start again */
            send_msg(d, DHCP_DECLINE);
        restart(d, checking ? MAMORI_DHCP_DECLINE_WAIT_MS : 0, STAT(dhcp_conflicts));
    }
}

/* The deadline of the state passed: retransmit, move on or give up. */
static void timer(mamori_dhcp_t *d)
{
    uint8_t st = d->state;
    if (st == MAMORI_DHCP_INIT || st == MAMORI_DHCP_BOUND) {
        /* To SELECTING, or to INIT-REBOOT with a remembered address (RFC
         * 2131 §3.2); to RENEWING. */
        st = st == MAMORI_DHCP_INIT && d->addr ? MAMORI_DHCP_REBOOTING : st + 1;
        new_exchange(d, st);
    }
    uint32_t left = 0;
    if (st == MAMORI_DHCP_RENEWING) {
        left = mamori_time_until(d->now, d->t2);
        if (!left)
            d->state = st = MAMORI_DHCP_REBINDING;
    }
    if (st == MAMORI_DHCP_REBINDING)
        left = mamori_time_until(d->now, d->expiry);
    if (st == MAMORI_DHCP_CHECKING || (st >= MAMORI_DHCP_RENEWING && !left) ||
        (st >= MAMORI_DHCP_REQUESTING && st <= MAMORI_DHCP_REBOOTING && d->tries >= MAMORI_DHCP_REQUEST_TRIES)) {
        restart(d, 0, st == MAMORI_DHCP_REBINDING ? STAT(dhcp_lease_expired) : STAT(dhcp_timeouts));
        return;
    }
    send_msg(d, st == MAMORI_DHCP_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST);
    uint32_t wait;
    if (st >= MAMORI_DHCP_RENEWING) {
        /* Half the time left, at least the floor, never past the limit
         * (RFC 2131 §4.4.5). */
        wait = mamori_min_u32(left / 2 > MAMORI_DHCP_RENEW_RETRY_MIN_MS ? left / 2 : MAMORI_DHCP_RENEW_RETRY_MIN_MS,
                              left);
    } else {
        /* Exponential backoff with a jitter of a quarter of the delay:
         * 4 s +-1 s, 8 s +-2 s, ... (RFC 2131 §4.1). */
        uint32_t r = d->retry_ms;
        wait = mamori_random_range(d->stack, r - r / 4, r + r / 4);
        d->retry_ms = mamori_min_u32(r * 2, MAMORI_DHCP_RETRY_MAX_MS);
        d->tries++;
    }
    d->deadline = d->now + wait;
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
    d->deadline = d->now;
    if (usable(remembered))
        d->addr = remembered; /* INIT-REBOOT at once */
    else
        d->deadline += mamori_random_range(s, 0, MAMORI_DHCP_START_DELAY_MS);
    d->state = MAMORI_DHCP_INIT;
    return MAMORI_OK;
}

void mamori_dhcp_stop(mamori_dhcp_t *d, bool release)
{
    if (d->state == MAMORI_DHCP_OFF)
        return;
    if (release && d->state >= MAMORI_DHCP_BOUND) {
        d->now = d->stack->now;
        send_msg(d, DHCP_RELEASE);
        (void)mamori_ip4_set_addr(d->stack, 0, 0, 0, false);
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
            count(d, STAT(dhcp_rx_drop_port));
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
