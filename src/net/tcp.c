/*
 * TCP: connection management, the native API, timers, RFC 6528 ISNs and
 * RFC 6056 ephemeral ports. Input is in tcp_in.c, output in tcp_out.c.
 */
#include <string.h>

#include "mamori/sha2.h"
#include "net/tcp_internal.h"

#if MAMORI_TCP

/* RFC 6056 §2.1: the ephemeral range. */
#define EPHEMERAL_LO 49152u
#define EPHEMERAL_HI 65535u
#define MIN_BUF 64u

void mamori_tcp_ready(mamori_stack_t *s)
{
    if (s->tcp.ready)
        return;
    s->tcp.ready = true;
    s->tcp.rst_closed = MAMORI_TCP_RST_CLOSED;
    (void)mamori_random(s, s->tcp.isn_key, sizeof s->tcp.isn_key);
    mamori_bucket_init(&s->tcp.rst_bucket, MAMORI_TCP_RST_RATE_PPS, MAMORI_TCP_RST_BURST, s->now);
#if MAMORI_TCP_SYN_COOKIES
    mamori_tcp_syncookie_init(s);
#endif
}

/* RFC 6528: ISN = M + F(4-tuple, secret), M a 4 µs clock, F a keyed hash
 * (SHA-256 over the secret and the tuple, both of fixed length). */
uint32_t mamori_tcp_isn(mamori_stack_t *s, uint16_t lport, uint32_t rip, uint16_t rport)
{
    uint8_t in[sizeof s->tcp.isn_key + 12], h[MAMORI_SHA256_LEN];
    memcpy(in, s->tcp.isn_key, sizeof s->tcp.isn_key);
    uint8_t *t = in + sizeof s->tcp.isn_key;
    mamori_put_be32(t, s->ip4.addr);
    mamori_put_be16(t + 4, lport);
    mamori_put_be32(t + 6, rip);
    mamori_put_be16(t + 10, rport);
    mamori_sha256(in, sizeof in, h);
    memset(in, 0, sizeof in);
    return mamori_get_be32(h) + s->now * 250u;
}

uint16_t mamori_tcp_mss_for(uint16_t peer_mss, bool ts)
{
    uint16_t mss = peer_mss < MAMORI_MTU - 40 ? peer_mss : (uint16_t)(MAMORI_MTU - 40); /* clamp to our MTU */
    if (mss < TCP_MSS_MIN)
        mss = TCP_MSS_MIN;
    return (uint16_t)(mss - (ts ? TCP_TS_OPT_LEN : 0));
}

/* RFC 5681 §3.1 (RFC 3390): IW = min(4 MSS, max(2 MSS, 4380)). */
uint32_t mamori_tcp_initial_cwnd(uint16_t mss)
{
    uint32_t iw = 4380u > 2u * mss ? 4380u : 2u * mss;
    return mamori_min_u32(4u * mss, iw);
}

void mamori_tcp_set_timer(mamori_tcp_t *c, unsigned which, uint32_t ms)
{
    c->timer[which] = c->stack->now + ms;
    c->timers_armed |= (uint8_t)(1u << which);
}

void mamori_tcp_clear_timer(mamori_tcp_t *c, unsigned which) { c->timers_armed &= (uint8_t)~(1u << which); }

static bool estab_like(uint8_t st) { return st == MAMORI_TCP_ESTABLISHED || st == MAMORI_TCP_CLOSE_WAIT; }

void mamori_tcp_set_state(mamori_tcp_t *c, uint8_t st)
{
    mamori_stack_t *s = c->stack;
    if (estab_like(c->state) && !estab_like(st)) {
        s->stats.tcp_curr_estab--;
        if (st == MAMORI_TCP_CLOSED)
            MAMORI_COUNT(s, tcp_estab_resets);
    } else if (!estab_like(c->state) && estab_like(st)) {
        MAMORI_COUNT(s, tcp_curr_estab);
    }
    if (st == MAMORI_TCP_CLOSED && (c->state == MAMORI_TCP_SYN_SENT || c->state == MAMORI_TCP_SYN_RECEIVED))
        MAMORI_COUNT(s, tcp_attempt_fails);
    if (st == MAMORI_TCP_ESTABLISHED && (c->idle_timeout || c->keep_idle))
        mamori_tcp_set_timer(c, MAMORI_TCP_T_KEEP, 0);
    c->state = st;
}

static void unlink_conn(mamori_tcp_t *c)
{
    for (mamori_tcp_t **p = &c->stack->tcp.conns; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
    c->next = NULL;
}

void mamori_tcp_release(mamori_tcp_t *c, mamori_tcp_event_t ev, int err)
{
    if (c->state == MAMORI_TCP_CLOSED)
        return;
    mamori_tcp_set_state(c, MAMORI_TCP_CLOSED);
    unlink_conn(c);
    c->timers_armed = 0;
    c->err = (int16_t)err;
    c->events |= TCP_EV(ev);
}

void mamori_tcp_notify(mamori_tcp_t *c)
{
    while (c->events) {
        unsigned ev = 0;
        while (!(c->events & (1u << ev)))
            ev++;
        c->events &= (uint8_t)~(1u << ev);
        if (c->cb)
            c->cb(c, (mamori_tcp_event_t)ev, c->err, c->user);
        if (ev == MAMORI_TCP_EV_ERROR || ev == MAMORI_TCP_EV_CLOSED)
            return;
    }
}

void mamori_tcp_enter_timewait(mamori_tcp_t *c)
{
    mamori_stack_t *s = c->stack;
    mamori_tcp_tw_t *tw = NULL;
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++) {
        mamori_tcp_tw_t *x = &s->tcp.tw[i];
        if (!x->used) {
            tw = x;
            break;
        }
        if (!tw || mamori_time_before(x->deadline, tw->deadline))
            tw = x;
    }
    if (tw->used)
        MAMORI_COUNT(s, tcp_tw_recycled); /* bounded: the oldest record gives way */
    tw->used = 1;
    tw->remote_ip = c->remote_ip;
    tw->remote_port = c->remote_port;
    tw->local_port = c->local_port;
    tw->snd_nxt = c->snd_max;
    tw->rcv_nxt = c->rcv_nxt;
    tw->ts_ok = (c->flags & TF_TS) != 0;
    tw->ts_recent = c->ts_recent;
    tw->deadline = s->now + 2 * MAMORI_TCP_MSL_MS;
    mamori_tcp_release(c, MAMORI_TCP_EV_CLOSED, MAMORI_OK);
}

/* RFC 6298 §2. */
void mamori_tcp_rtt_sample(mamori_tcp_t *c, uint32_t rtt)
{
    if (rtt == 0)
        rtt = 1;
    if (c->srtt == 0) {
        c->srtt = rtt << 3;
        c->rttvar = rtt << 1;
    } else {
        uint32_t srtt = c->srtt >> 3;
        uint32_t delta = srtt > rtt ? srtt - rtt : rtt - srtt;
        c->rttvar = c->rttvar - (c->rttvar >> 2) + delta; /* 3/4 rttvar + 1/4 |delta|, x4 */
        c->srtt = c->srtt - (c->srtt >> 3) + rtt;         /* 7/8 srtt + 1/8 rtt, x8 */
    }
    mamori_tcp_rto_reset(c);
}

/* RTO = SRTT + max(G, 4 RTTVAR), bounded; also drops the backoff once new
 * data is acknowledged (as Linux does), so a lossy path without fresh
 * samples does not keep an RTO of a minute. */
void mamori_tcp_rto_reset(mamori_tcp_t *c)
{
    if (c->srtt == 0) {
        c->rto = MAMORI_TCP_RTO_INIT_MS; /* RFC 6298 (5.7) */
        return;
    }
    uint32_t rto = (c->srtt >> 3) + (c->rttvar > 1 ? c->rttvar : 1);
    if (rto < MAMORI_TCP_RTO_MIN_MS)
        rto = MAMORI_TCP_RTO_MIN_MS;
    c->rto = mamori_min_u32(rto, MAMORI_TCP_RTO_MAX_MS);
}

static bool port_in_use(mamori_stack_t *s, uint16_t port)
{
    for (mamori_tcp_t *c = s->tcp.conns; c; c = c->next)
        if (c->local_port == port)
            return true;
    for (mamori_tcp_listener_t *l = s->tcp.listeners; l; l = l->next)
        if (l->port == port)
            return true;
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++)
        if (s->tcp.tw[i].used && s->tcp.tw[i].local_port == port)
            return true;
    return false;
}

/* ---- API ------------------------------------------------------------------ */

int mamori_tcp_open(mamori_stack_t *s, mamori_tcp_t *c, void *rxbuf, size_t rxlen, void *txbuf, size_t txlen)
{
    if (!s || !c || !rxbuf || !txbuf || rxlen < MIN_BUF || txlen < MIN_BUF || rxlen > 0x3fffffffu ||
        txlen > 0x3fffffffu)
        return MAMORI_ERR_INVAL;
    mamori_tcp_ready(s);
    memset(c, 0, sizeof *c);
    c->stack = s;
    c->rx = rxbuf;
    c->rx_cap = rxlen;
    c->tx = txbuf;
    c->tx_cap = txlen;
    c->rcv_mss = MAMORI_MTU - 40;
    c->rto = MAMORI_TCP_RTO_INIT_MS;
    c->user_timeout = MAMORI_TCP_USER_TIMEOUT_MS;
    c->idle_timeout = MAMORI_TCP_IDLE_TIMEOUT_MS;
    if (MAMORI_TCP_KEEPALIVE) {
        c->keep_idle = MAMORI_TCP_KEEPIDLE_MS;
        c->keep_intvl = MAMORI_TCP_KEEPINTVL_MS;
        c->keep_cnt = MAMORI_TCP_KEEPCNT;
    }
    mamori_bucket_init(&c->challenge, MAMORI_TCP_CHALLENGE_ACK_PPS, MAMORI_TCP_CHALLENGE_ACK_BURST, s->now);
    return MAMORI_OK;
}

void mamori_tcp_set_callback(mamori_tcp_t *c, mamori_tcp_cb cb, void *user)
{
    c->cb = cb;
    c->user = user;
}

int mamori_tcp_bind(mamori_tcp_t *c, uint16_t port)
{
    mamori_stack_t *s = c->stack;
    if (c->state != MAMORI_TCP_CLOSED || c->local_port)
        return MAMORI_ERR_STATE;
    if (port == 0) {
        /* RFC 6056 §3.3.1: a random start, then a linear search. */
        uint32_t span = EPHEMERAL_HI - EPHEMERAL_LO + 1;
        uint32_t start = mamori_random32(s) % span;
        for (uint32_t i = 0; i < span && !port; i++) {
            uint16_t candidate = (uint16_t)(EPHEMERAL_LO + (start + i) % span);
            if (!port_in_use(s, candidate))
                port = candidate;
        }
        if (!port)
            return MAMORI_ERR_ADDRINUSE;
    } else {
        for (mamori_tcp_listener_t *l = s->tcp.listeners; l; l = l->next)
            if (l->port == port)
                return MAMORI_ERR_ADDRINUSE;
    }
    c->local_port = port;
    return MAMORI_OK;
}

static uint8_t wscale_for(size_t cap)
{
    uint8_t ws = 0;
    while (ws < 14 && (cap >> ws) > 0xffff)
        ws++;
    return ws;
}

/* Links c as a synchronizing connection. */
static void start_conn(mamori_tcp_t *c, uint32_t dst, uint16_t port, uint32_t iss)
{
    mamori_stack_t *s = c->stack;
    c->remote_ip = dst;
    c->remote_port = port;
    c->iss = iss;
    c->snd_una = c->snd_nxt = c->snd_max = iss;
    c->recover = iss;
    c->ssthresh = 0x40000000u;
    c->mss = mamori_tcp_mss_for(536, false);
    c->last_rx = c->rtx_since = s->now;
    c->next = s->tcp.conns;
    s->tcp.conns = c;
}

int mamori_tcp_connect(mamori_tcp_t *c, uint32_t dst, uint16_t port)
{
    mamori_stack_t *s = c->stack;
    if (c->state != MAMORI_TCP_CLOSED)
        return c->state == MAMORI_TCP_SYN_SENT ? MAMORI_ERR_ALREADY : MAMORI_ERR_ISCONN;
    if (!dst || !port || mamori_ip4_is_broadcast(s, dst) || (dst >> 28) == 0xe)
        return MAMORI_ERR_INVAL;
    if (!s->ip4.addr)
        return MAMORI_ERR_NOROUTE;
    if (!c->local_port) {
        int rc = mamori_tcp_bind(c, 0);
        if (rc)
            return rc;
    }
    if (mamori_tcp_find(s, dst, port, c->local_port))
        return MAMORI_ERR_ADDRINUSE;
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++) {
        const mamori_tcp_tw_t *tw = &s->tcp.tw[i];
        if (tw->used && tw->remote_ip == dst && tw->remote_port == port && tw->local_port == c->local_port)
            return MAMORI_ERR_ADDRINUSE;
    }
    start_conn(c, dst, port, mamori_tcp_isn(s, c->local_port, dst, port));
    if (MAMORI_TCP_WINDOW_SCALE) {
        c->flags |= TF_WS;
        c->rcv_wscale = wscale_for(c->rx_cap);
    }
    if (MAMORI_TCP_TIMESTAMPS)
        c->flags |= TF_TS;
    if (MAMORI_TCP_SACK)
        c->flags |= TF_SACK;
    c->state = MAMORI_TCP_SYN_SENT;
    MAMORI_COUNT(s, tcp_active_opens);
    c->rtt_start = s->now;
    (void)mamori_tcp_send_seg(c, c->iss, 0, TCP_SYN);
    c->snd_nxt = c->snd_max = c->iss + 1;
    mamori_tcp_set_timer(c, MAMORI_TCP_T_RTX, c->rto);
    mamori_tcp_set_timer(c, MAMORI_TCP_T_STATE, MAMORI_TCP_CONNECT_TIMEOUT_MS);
    return MAMORI_OK;
}

int mamori_tcp_listen(mamori_stack_t *s, mamori_tcp_listener_t *l, uint16_t port, unsigned backlog)
{
    if (!s || !l || !port || backlog == 0)
        return MAMORI_ERR_INVAL;
    mamori_tcp_ready(s);
    if (port_in_use(s, port))
        return MAMORI_ERR_ADDRINUSE;
    memset(l, 0, sizeof *l);
    l->stack = s;
    l->port = port;
    l->backlog = (uint8_t)(backlog < MAMORI_TCP_BACKLOG ? backlog : MAMORI_TCP_BACKLOG);
    l->next = s->tcp.listeners;
    s->tcp.listeners = l;
    return MAMORI_OK;
}

void mamori_tcp_listener_set_callback(mamori_tcp_listener_t *l, mamori_tcp_accept_cb cb, void *user)
{
    l->cb = cb;
    l->user = user;
}

int mamori_tcp_accept(mamori_tcp_listener_t *l, mamori_tcp_t *c)
{
    mamori_stack_t *s = l->stack;
    if (c->state != MAMORI_TCP_CLOSED || c->stack != s)
        return MAMORI_ERR_STATE;
    mamori_tcp_syn_t *e = NULL;
    for (unsigned i = 0; i < l->backlog; i++)
        if (l->syn[i].used && l->syn[i].complete && (!e || mamori_time_before(l->syn[i].deadline, e->deadline)))
            e = &l->syn[i];
    if (!e)
        return MAMORI_ERR_WOULDBLOCK;
    c->local_port = l->port;
    start_conn(c, e->remote_ip, e->remote_port, e->iss);
    c->snd_una = c->snd_nxt = c->snd_max = e->iss + 1;
    c->irs = e->irs;
    c->rcv_nxt = e->irs + 1;
    c->rcv_adv = c->rcv_nxt + (MAMORI_MTU - 40);
    if (SEQ_GT(c->rcv_adv, c->rcv_nxt + (uint32_t)c->rx_cap))
        c->rcv_adv = c->rcv_nxt + (uint32_t)c->rx_cap;
    if (e->peer_wscale != TCP_NO_WSCALE) {
        c->flags |= TF_WS;
        c->snd_wscale = e->peer_wscale;
        c->rcv_wscale = TCP_LISTEN_WSCALE;
    }
    if (e->ts_ok) {
        c->flags |= TF_TS;
        c->ts_recent = e->ts_recent;
    }
    if (MAMORI_TCP_SACK && e->sack_ok)
        c->flags |= TF_SACK;
    c->mss = mamori_tcp_mss_for(e->peer_mss, e->ts_ok);
    c->cwnd = mamori_tcp_initial_cwnd(c->mss);
    c->snd_wnd = c->max_sndwnd = (uint32_t)e->peer_wnd << c->snd_wscale;
    c->snd_wl1 = e->irs + 1;
    c->snd_wl2 = c->snd_una;
    e->used = 0;
    c->state = MAMORI_TCP_SYN_RECEIVED;
    mamori_tcp_set_state(c, MAMORI_TCP_ESTABLISHED);
    c->flags |= TF_ACK_NOW; /* opens the window beyond the SYN-ACK's one MSS */
    mamori_tcp_output(c);
    return MAMORI_OK;
}

void mamori_tcp_unlisten(mamori_tcp_listener_t *l)
{
    mamori_stack_t *s = l->stack;
    for (unsigned i = 0; i < l->backlog; i++) {
        mamori_tcp_syn_t *e = &l->syn[i];
        if (e->used) {
            tcp_tx_t t = {.dst = e->remote_ip, .sport = l->port, .dport = e->remote_port, .seq = e->iss + 1,
                          .flags = TCP_RST, .wscale = TCP_NO_WSCALE};
            (void)mamori_tcp_emit(s, &t);
            e->used = 0;
        }
    }
    for (mamori_tcp_listener_t **p = &s->tcp.listeners; *p; p = &(*p)->next) {
        if (*p == l) {
            *p = l->next;
            break;
        }
    }
}

int mamori_tcp_send(mamori_tcp_t *c, const void *data, size_t len)
{
    if (c->state == MAMORI_TCP_CLOSED)
        return c->err ? c->err : MAMORI_ERR_NOTCONN;
    if (c->flags & TF_SHUT_WR)
        return MAMORI_ERR_CLOSED;
    if (c->state == MAMORI_TCP_SYN_SENT || c->state == MAMORI_TCP_SYN_RECEIVED)
        return MAMORI_ERR_NOTCONN;
    size_t space = c->tx_cap - c->tx_len;
    if (len > space)
        len = space;
    if (len > 0x7fffffff)
        len = 0x7fffffff;
    if (len >= space)
        c->flags |= TF_WANT_WRITE; /* refused, short or filling: EV_WRITABLE once space frees */
    if (len == 0)
        return space == 0 ? MAMORI_ERR_WOULDBLOCK : 0;
    size_t pos = (c->tx_head + c->tx_len) % c->tx_cap;
    size_t first = c->tx_cap - pos < len ? c->tx_cap - pos : len;
    memcpy(c->tx + pos, data, first);
    memcpy(c->tx, (const uint8_t *)data + first, len - first);
    c->tx_len += len;
    mamori_tcp_output(c);
    return (int)len;
}

int mamori_tcp_recv(mamori_tcp_t *c, void *buf, size_t cap)
{
    if (c->rx_len == 0) {
        if (c->flags & TF_RX_FIN)
            return 0;
        if (c->state == MAMORI_TCP_CLOSED)
            return c->err ? c->err : MAMORI_ERR_NOTCONN;
        return MAMORI_ERR_WOULDBLOCK;
    }
    size_t n = c->rx_len < cap ? c->rx_len : cap;
    if (n > 0x7fffffff)
        n = 0x7fffffff;
    size_t first = c->rx_cap - c->rx_head < n ? c->rx_cap - c->rx_head : n;
    memcpy(buf, c->rx + c->rx_head, first);
    memcpy((uint8_t *)buf + first, c->rx, n - first);
    c->rx_head = (c->rx_head + n) % c->rx_cap;
    c->rx_len -= n;
    if (c->state == MAMORI_TCP_ESTABLISHED || c->state == MAMORI_TCP_FIN_WAIT_1 ||
        c->state == MAMORI_TCP_FIN_WAIT_2) {
        /* A window update once the window grows by 2 MSS or half the ring. */
        uint32_t cur = SEQ_GT(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
        uint32_t space = (uint32_t)(c->rx_cap - c->rx_len);
        if (space >= cur + mamori_min_u32((uint32_t)c->rx_cap / 2, 2u * c->rcv_mss)) {
            c->flags |= TF_ACK_NOW;
            mamori_tcp_output(c);
        }
    }
    return (int)n;
}

size_t mamori_tcp_send_space(const mamori_tcp_t *c)
{
    return (c->flags & TF_SHUT_WR) || c->state < MAMORI_TCP_ESTABLISHED ? 0 : c->tx_cap - c->tx_len;
}

size_t mamori_tcp_recv_avail(const mamori_tcp_t *c) { return c->rx_len; }

bool mamori_tcp_send_idle(const mamori_tcp_t *c) { return c->tx_len == 0 && c->snd_una == c->snd_max; }

int mamori_tcp_shutdown(mamori_tcp_t *c)
{
    switch (c->state) {
    case MAMORI_TCP_CLOSED:
        return MAMORI_ERR_NOTCONN;
    case MAMORI_TCP_SYN_SENT:
        mamori_tcp_release(c, MAMORI_TCP_EV_CLOSED, MAMORI_OK);
        c->events = 0;
        return MAMORI_OK;
    case MAMORI_TCP_SYN_RECEIVED:
    case MAMORI_TCP_ESTABLISHED:
        if (!(c->flags & TF_SHUT_WR))
            mamori_tcp_set_state(c, MAMORI_TCP_FIN_WAIT_1);
        break;
    case MAMORI_TCP_CLOSE_WAIT:
        mamori_tcp_set_state(c, MAMORI_TCP_LAST_ACK);
        break;
    default:
        return MAMORI_OK;
    }
    c->flags |= TF_SHUT_WR;
    mamori_tcp_output(c);
    return MAMORI_OK;
}

int mamori_tcp_close(mamori_tcp_t *c)
{
    if (c->state == MAMORI_TCP_CLOSED) {
        c->events = 0;
        return MAMORI_OK;
    }
    if (c->rx_len && !(c->flags & TF_RX_FIN)) {
        /* RFC 2525 §2.17: closing with unread data resets the connection. */
        mamori_tcp_abort(c);
        return MAMORI_OK;
    }
    c->flags |= TF_ORPHAN;
    int rc = mamori_tcp_shutdown(c);
    if (c->state == MAMORI_TCP_FIN_WAIT_2)
        mamori_tcp_set_timer(c, MAMORI_TCP_T_STATE, MAMORI_TCP_FIN_WAIT2_MS);
    return rc;
}

void mamori_tcp_abort(mamori_tcp_t *c)
{
    if (c->state == MAMORI_TCP_CLOSED) {
        c->events = 0;
        return;
    }
    if (c->state != MAMORI_TCP_SYN_SENT)
        (void)mamori_tcp_send_seg(c, c->snd_max, 0, TCP_RST | TCP_ACK);
    mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_CONNRESET);
    c->events = 0;
}

mamori_tcp_state_id_t mamori_tcp_state(const mamori_tcp_t *c) { return (mamori_tcp_state_id_t)c->state; }

const char *mamori_tcp_state_name(mamori_tcp_state_id_t st)
{
    static const char *const names[] = {"CLOSED",     "SYN-SENT",   "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
                                        "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",      "LAST-ACK",    "TIME-WAIT"};
    return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

void mamori_tcp_remote(const mamori_tcp_t *c, uint32_t *ip, uint16_t *port)
{
    if (ip)
        *ip = c->remote_ip;
    if (port)
        *port = c->remote_port;
}

uint16_t mamori_tcp_local_port(const mamori_tcp_t *c) { return c->local_port; }

void mamori_tcp_set_nodelay(mamori_tcp_t *c, bool nodelay)
{
    if (nodelay)
        c->flags |= TF_NODELAY;
    else
        c->flags &= (uint16_t)~TF_NODELAY;
    if (c->state != MAMORI_TCP_CLOSED)
        mamori_tcp_output(c);
}

static void rearm_keep(mamori_tcp_t *c)
{
    if (c->state != MAMORI_TCP_CLOSED && (c->idle_timeout || c->keep_idle))
        mamori_tcp_set_timer(c, MAMORI_TCP_T_KEEP, 0);
}

void mamori_tcp_set_keepalive(mamori_tcp_t *c, uint32_t idle_ms, uint32_t intvl_ms, uint8_t count)
{
    c->keep_idle = idle_ms;
    c->keep_intvl = intvl_ms ? intvl_ms : 1000u;
    c->keep_cnt = count ? count : 1;
    rearm_keep(c);
}

void mamori_tcp_set_user_timeout(mamori_tcp_t *c, uint32_t ms) { c->user_timeout = ms ? ms : MAMORI_TCP_USER_TIMEOUT_MS; }

void mamori_tcp_set_idle_timeout(mamori_tcp_t *c, uint32_t ms)
{
    c->idle_timeout = ms;
    rearm_keep(c);
}

void mamori_tcp_set_rst_closed(mamori_stack_t *s, bool enabled)
{
    mamori_tcp_ready(s);
    s->tcp.rst_closed = enabled;
}

/* ---- timers ---------------------------------------------------------------- */

static void rtx_timeout(mamori_tcp_t *c)
{
    mamori_stack_t *s = c->stack;
    if (c->flags & TF_PERSIST) {
        /* Zero-window probing goes on while the peer answers (RFC 9293 §3.8.6.1). */
        if (s->now - c->last_rx >= c->user_timeout) {
            MAMORI_COUNT(s, tcp_timeout_aborts);
            mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_TIMEOUT);
            return;
        }
        MAMORI_COUNT(s, tcp_persist_probes);
        if (c->tx_len > (size_t)(c->snd_nxt - c->snd_una)) {
            (void)mamori_tcp_send_seg(c, c->snd_nxt, 1, TCP_ACK);
            if (SEQ_GT(c->snd_nxt + 1, c->snd_max))
                c->snd_max = c->snd_nxt + 1;
        }
        if (c->retries < 16)
            c->retries++;
        uint32_t next = c->rto << (c->retries < 8 ? c->retries : 8);
        mamori_tcp_set_timer(c, MAMORI_TCP_T_RTX, mamori_min_u32(next, MAMORI_TCP_PERSIST_MAX_MS));
        return;
    }
    if (c->retries >= MAMORI_TCP_MAX_RETRIES || s->now - c->rtx_since >= c->user_timeout) {
        MAMORI_COUNT(s, tcp_timeout_aborts);
        if (c->state != MAMORI_TCP_SYN_SENT)
            (void)mamori_tcp_send_seg(c, c->snd_max, 0, TCP_RST | TCP_ACK);
        mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_TIMEOUT);
        return;
    }
    MAMORI_COUNT(s, tcp_rto_timeouts);
    c->retries++;
    c->rto = mamori_min_u32(c->rto * 2, MAMORI_TCP_RTO_MAX_MS); /* RFC 6298 (5.5) */
    c->flags &= (uint16_t)~TF_RTT;                               /* Karn */
    if (c->state == MAMORI_TCP_SYN_SENT || c->state == MAMORI_TCP_SYN_RECEIVED) {
        MAMORI_COUNT(s, tcp_retrans_segs);
        (void)mamori_tcp_send_seg(c, c->iss, 0,
                                  (uint8_t)(TCP_SYN | (c->state == MAMORI_TCP_SYN_RECEIVED ? TCP_ACK : 0)));
        mamori_tcp_set_timer(c, MAMORI_TCP_T_RTX, c->rto);
        return;
    }
    /* RFC 5681 (4): one segment, go back N; RFC 6582 §4: recover = highest sent. */
    uint32_t flight = c->snd_max - c->snd_una;
    c->ssthresh = flight / 2 > 2u * c->mss ? flight / 2 : 2u * c->mss;
    c->cwnd = c->mss;
    c->bytes_acked = 0;
    c->recover = c->snd_max;
    c->flags &= (uint16_t)~TF_RECOVERY;
    c->dupacks = 0;
    mamori_tcp_sack_clear(c); /* RFC 2018 §8: the receiver may have reneged */
    c->snd_nxt = c->snd_una;
    mamori_tcp_clear_timer(c, MAMORI_TCP_T_RTX);
    uint32_t since = c->rtx_since;
    mamori_tcp_output(c);
    c->rtx_since = since;
}

static void keep_timeout(mamori_tcp_t *c)
{
    mamori_stack_t *s = c->stack;
    uint32_t idle = s->now - c->last_rx;
    if (c->idle_timeout && idle >= c->idle_timeout) {
        MAMORI_COUNT(s, tcp_timeout_aborts);
        (void)mamori_tcp_send_seg(c, c->snd_max, 0, TCP_RST | TCP_ACK);
        mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_TIMEOUT);
        return;
    }
    uint32_t next = c->idle_timeout ? c->idle_timeout - idle : UINT32_MAX;
    if (c->keep_idle && estab_like(c->state)) {
        if (idle >= c->keep_idle) {
            if (c->keep_probes >= c->keep_cnt) {
                MAMORI_COUNT(s, tcp_timeout_aborts);
                mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_TIMEOUT);
                return;
            }
            /* RFC 1122 §4.2.3.6: SEG.SEQ = SND.NXT - 1 draws an ACK. */
            MAMORI_COUNT(s, tcp_keepalive_probes);
            c->keep_probes++;
            (void)mamori_tcp_send_seg(c, c->snd_una - 1, 0, TCP_ACK);
            next = mamori_min_u32(next, c->keep_intvl);
        } else {
            next = mamori_min_u32(next, c->keep_idle - idle);
        }
    }
    if (next != UINT32_MAX)
        mamori_tcp_set_timer(c, MAMORI_TCP_T_KEEP, next);
}

static void run_timer(mamori_tcp_t *c, unsigned which)
{
    mamori_stack_t *s = c->stack;
    mamori_tcp_clear_timer(c, which);
    switch (which) {
    case MAMORI_TCP_T_RTX:
        rtx_timeout(c);
        break;
    case MAMORI_TCP_T_DELACK:
        if (c->flags & TF_DELACK)
            mamori_tcp_send_ack(c);
        break;
    case MAMORI_TCP_T_KEEP:
        keep_timeout(c);
        break;
    default: /* connect timeout, or FIN-WAIT-2 of a closed connection */
        MAMORI_COUNT(s, tcp_timeout_aborts);
        if (c->state == MAMORI_TCP_SYN_SENT)
            mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_TIMEOUT);
        else
            mamori_tcp_release(c, MAMORI_TCP_EV_CLOSED, MAMORI_OK);
        break;
    }
}

static uint32_t listener_timer(mamori_stack_t *s, mamori_tcp_listener_t *l)
{
    uint32_t next = MAMORI_NO_DEADLINE;
    for (unsigned i = 0; i < l->backlog; i++) {
        mamori_tcp_syn_t *e = &l->syn[i];
        if (!e->used)
            continue;
        if (!mamori_time_before(s->now, e->deadline)) {
            if (e->complete || e->retries >= MAMORI_TCP_SYNACK_RETRIES) {
                if (!e->complete) {
                    MAMORI_COUNT(s, tcp_synack_timeouts);
                } else {
                    MAMORI_COUNT(s, tcp_accept_timeouts);
                    tcp_tx_t t = {.dst = e->remote_ip, .sport = l->port, .dport = e->remote_port,
                                  .seq = e->iss + 1, .flags = TCP_RST, .wscale = TCP_NO_WSCALE};
                    (void)mamori_tcp_emit(s, &t);
                }
                e->used = 0;
                continue;
            }
            e->retries++;
            e->deadline = s->now + (MAMORI_TCP_RTO_INIT_MS << e->retries);
            tcp_tx_t t = {.dst = e->remote_ip, .sport = l->port, .dport = e->remote_port, .seq = e->iss,
                          .ack = e->irs + 1, .flags = TCP_SYN | TCP_ACK, .wnd = MAMORI_MTU - 40,
                          .mss = MAMORI_MTU - 40, .wscale = e->peer_wscale != TCP_NO_WSCALE ? TCP_LISTEN_WSCALE
                                                                                            : TCP_NO_WSCALE,
                          .ts = e->ts_ok, .tsval = s->now, .tsecr = e->ts_recent,
                          .sack_ok = MAMORI_TCP_SACK && e->sack_ok};
            MAMORI_COUNT(s, tcp_retrans_segs);
            (void)mamori_tcp_emit(s, &t);
        }
        next = mamori_min_u32(next, mamori_time_until(s->now, e->deadline));
    }
    return next;
}

uint32_t mamori_tcp_timer(mamori_stack_t *s)
{
    mamori_tcp_ready(s);
    uint32_t next = MAMORI_NO_DEADLINE;
restart:
    for (mamori_tcp_t *c = s->tcp.conns; c; c = c->next) {
        for (unsigned t = 0; t < MAMORI_TCP_T_COUNT && c->state != MAMORI_TCP_CLOSED; t++) {
            if (mamori_tcp_timer_on(c, t) && !mamori_time_before(s->now, c->timer[t])) {
                run_timer(c, t);
                if (c->state != MAMORI_TCP_CLOSED)
                    mamori_tcp_output(c);
                mamori_tcp_notify(c);
                goto restart; /* callbacks may have changed the list */
            }
        }
    }
    for (mamori_tcp_t *c = s->tcp.conns; c; c = c->next)
        for (unsigned t = 0; t < MAMORI_TCP_T_COUNT; t++)
            if (mamori_tcp_timer_on(c, t))
                next = mamori_min_u32(next, mamori_time_until(s->now, c->timer[t]));
    for (mamori_tcp_listener_t *l = s->tcp.listeners; l; l = l->next)
        next = mamori_min_u32(next, listener_timer(s, l));
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++) {
        mamori_tcp_tw_t *tw = &s->tcp.tw[i];
        if (!tw->used)
            continue;
        if (!mamori_time_before(s->now, tw->deadline))
            tw->used = 0;
        else
            next = mamori_min_u32(next, tw->deadline - s->now);
    }
    return next;
}

#endif
