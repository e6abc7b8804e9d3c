/*
 * TCP input: header and option validation, demultiplexing, the SYN cache of
 * listeners, TIME-WAIT records and the "segment arrives" rules of RFC 9293
 * §3.10.7 with the RFC 5961 mitigations.
 */
#include <string.h>

#include "net/tcp_internal.h"

#if MAMORI_TCP

/* Parses the options; false on a malformed list (length 0 or 1, overrun). */
static bool parse_options(mamori_rd_t *opt, tcp_seg_t *seg)
{
    while (mamori_rd_left(opt)) {
        uint8_t kind = mamori_rd_u8(opt);
        if (kind == 0)
            break;
        if (kind == 1)
            continue;
        uint8_t len = mamori_rd_u8(opt);
        if (!mamori_rd_ok(opt) || len < 2 || (size_t)len - 2 > mamori_rd_left(opt))
            return false;
        mamori_rd_t body = mamori_rd_sub(opt, (size_t)len - 2);
        if (kind == 2 && len == 4) {
            seg->mss = mamori_rd_be16(&body);
        } else if (kind == 3 && len == 3) {
            uint8_t ws = mamori_rd_u8(&body);
            seg->wscale = ws > 14 ? 14 : ws; /* RFC 7323 §2.3 */
        } else if (kind == 8 && len == 10) {
            seg->ts = true;
            seg->tsval = mamori_rd_be32(&body);
            seg->tsecr = mamori_rd_be32(&body);
#if MAMORI_TCP_SACK
        } else if (kind == 4 && len == 2) {
            seg->sack_ok = true;
        } else if (kind == 5 && (len - 2) % 8 == 0) {
            seg->sack = body; /* RFC 2018 §3: 8 bytes per block, at most 4 fit */
#endif
        }
    }
    return mamori_rd_ok(opt);
}

mamori_tcp_t *mamori_tcp_find(mamori_stack_t *s, uint32_t rip, uint16_t rport, uint16_t lport)
{
    for (mamori_tcp_t *c = s->tcp.conns; c; c = c->next)
        if (c->remote_port == rport && c->local_port == lport && c->remote_ip == rip)
            return c;
    return NULL;
}

static void challenge_ack(mamori_tcp_t *c)
{
    /* RFC 5961 §7: per-connection limit (a global one leaks, CVE-2016-5696). */
    if (!mamori_bucket_take(&c->challenge, c->stack->now)) {
        MAMORI_COUNT(c->stack, tcp_challenge_acks_limited);
        return;
    }
    MAMORI_COUNT(c->stack, tcp_challenge_acks);
    mamori_tcp_send_ack(c);
}

/* ---- listeners: the SYN cache ----------------------------------------- */

static void send_synack(mamori_stack_t *s, const mamori_tcp_listener_t *l, const mamori_tcp_syn_t *e)
{
    tcp_tx_t t = {.dst = e->remote_ip, .sport = l->port, .dport = e->remote_port, .seq = e->iss,
                  .ack = e->irs + 1, .flags = TCP_SYN | TCP_ACK, .mss = MAMORI_MTU - 40,
                  .wscale = TCP_NO_WSCALE};
    /* One MSS until accept() supplies the real buffer (then a window update). */
    t.wnd = MAMORI_MTU - 40;
    if (e->peer_wscale != TCP_NO_WSCALE)
        t.wscale = TCP_LISTEN_WSCALE;
    if (e->ts_ok) {
        t.ts = true;
        t.tsval = s->now;
        t.tsecr = e->ts_recent;
    }
    t.sack_ok = MAMORI_TCP_SACK && e->sack_ok;
    (void)mamori_tcp_emit(s, &t);
}

/* A free SYN cache entry, or NULL with *victim the oldest half-open one
 * (NULL too when every entry is a completed handshake). */
static mamori_tcp_syn_t *cache_slot(mamori_tcp_listener_t *l, mamori_tcp_syn_t **victim)
{
    *victim = NULL;
    for (unsigned i = 0; i < l->backlog; i++) {
        mamori_tcp_syn_t *x = &l->syn[i];
        if (!x->used)
            return x;
        if (!x->complete && (!*victim || mamori_time_before(x->deadline, (*victim)->deadline)))
            *victim = x;
    }
    return NULL;
}

/* seg acknowledged our SYN: e waits for accept(), and seg's data goes in
 * if the accept callback took the connection at once. */
static void handshake_done(mamori_stack_t *s, mamori_tcp_listener_t *l, mamori_tcp_syn_t *e, tcp_seg_t *seg)
{
    e->complete = 1;
    e->peer_wnd = seg->wnd;
    e->deadline = s->now + MAMORI_TCP_ACCEPT_TIMEOUT_MS;
    MAMORI_COUNT(s, tcp_passive_opens);
    if (l->cb)
        l->cb(l, l->user);
    mamori_tcp_t *c = mamori_tcp_find(s, seg->src, seg->sport, seg->dport);
    if (c) {
        mamori_tcp_conn_input(c, seg);
        mamori_tcp_output(c);
        mamori_tcp_notify(c);
    } else if (seg->len || (seg->flags & TCP_FIN)) {
        MAMORI_COUNT(s, tcp_rx_drop_unaccepted);
    }
}

#if MAMORI_TCP_SYN_COOKIES
/* An ACK with no SYN cache entry: true when it returned a valid cookie and
 * completed a handshake (the oldest half-open entry gives way if needed). */
static bool cookie_ack(mamori_stack_t *s, mamori_tcp_listener_t *l, tcp_seg_t *seg)
{
    mamori_tcp_syn_t e, *victim;
    if ((seg->flags & TCP_SYN) || !mamori_tcp_syncookie_check(s, l, seg, &e))
        return false;
    mamori_tcp_syn_t *slot = cache_slot(l, &victim);
    if (!slot) {
        if (!victim) {
            MAMORI_COUNT(s, tcp_rx_drop_backlog); /* the peer retransmits; accept() may have made room */
            return true;
        }
        MAMORI_COUNT(s, tcp_syn_evicted);
        slot = victim;
    }
    *slot = e;
    handshake_done(s, l, slot, seg);
    return true;
}
#endif

static void listen_input(mamori_stack_t *s, mamori_tcp_listener_t *l, tcp_seg_t *seg)
{
    mamori_tcp_syn_t *e = NULL;
    for (unsigned i = 0; i < l->backlog && !e; i++)
        if (l->syn[i].used && l->syn[i].remote_ip == seg->src && l->syn[i].remote_port == seg->sport)
            e = &l->syn[i];
    if (seg->flags & TCP_RST) {
        if (e && seg->seq == e->irs + 1) { /* RFC 5961 §3.2: exact match only */
            MAMORI_COUNT(s, tcp_rx_rst);
            MAMORI_COUNT(s, tcp_attempt_fails);
            e->used = 0;
        } else {
            MAMORI_COUNT(s, tcp_rx_drop_rst);
        }
        return;
    }
    if (e && (seg->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
        if (e->complete) {
            MAMORI_COUNT(s, tcp_rx_drop_syn);
            return;
        }
        if (seg->seq == e->irs) {
            send_synack(s, l, e); /* the peer retransmitted its SYN */
            return;
        }
        e->used = 0; /* a new attempt from the same port replaces a stale half-open entry */
        e = NULL;
    }
    if (e) {
        if (!(seg->flags & TCP_ACK)) {
            MAMORI_COUNT(s, tcp_rx_drop_noack);
            return;
        }
        /* Any in-window segment acknowledging our SYN completes the handshake
         * (the first data segment may overtake the third ACK). */
        if (seg->ack != e->iss + 1 || seg->seq - (e->irs + 1) > MAMORI_MTU - 40 || (seg->flags & TCP_SYN)) {
            MAMORI_COUNT(s, tcp_rx_drop_ack);
            if (!(seg->flags & TCP_SYN))
                mamori_tcp_reply_rst(s, seg, false);
            return;
        }
        if (e->complete) {
            MAMORI_COUNT(s, tcp_rx_drop_unaccepted);
            return;
        }
        handshake_done(s, l, e, seg);
        return;
    }
#if MAMORI_TCP_SYN_COOKIES
    if ((seg->flags & TCP_ACK) && cookie_ack(s, l, seg))
        return;
#endif
    if (seg->flags & TCP_ACK) { /* RFC 9293 §3.10.7.2: no ACK is acceptable in LISTEN */
        MAMORI_COUNT(s, tcp_rx_drop_ack);
        mamori_tcp_reply_rst(s, seg, true);
        return;
    }
    if (!(seg->flags & TCP_SYN)) {
        MAMORI_COUNT(s, tcp_rx_drop_noconn);
        return;
    }
    if (seg->len)
        MAMORI_COUNT(s, tcp_rx_syn_data); /* not acknowledged: the peer sends it again */
    mamori_tcp_syn_t *victim, *slot = cache_slot(l, &victim);
    if (!slot) {
        /* Completed handshakes are kept until accepted or timed out. */
        if (!victim) {
            MAMORI_COUNT(s, tcp_rx_drop_backlog);
            return;
        }
#if MAMORI_TCP_SYN_COOKIES
        /* A flood of half-open entries cannot lock out new peers: the
         * cache stays as it is and the SYN gets a cookie. */
        mamori_tcp_syncookie_send(s, l, seg);
        return;
#else
        /* A flood of half-open entries cannot lock out new peers: the
         * oldest half-open entry gives way. */
        MAMORI_COUNT(s, tcp_syn_evicted);
        slot = victim;
#endif
    }
    memset(slot, 0, sizeof *slot);
    slot->used = 1;
    slot->remote_ip = seg->src;
    slot->remote_port = seg->sport;
    slot->irs = seg->seq;
    slot->iss = mamori_tcp_isn(s, l->port, seg->src, seg->sport);
    slot->peer_mss = seg->mss ? seg->mss : 536; /* RFC 9293 §3.7.1 default */
    slot->peer_wscale = MAMORI_TCP_WINDOW_SCALE ? seg->wscale : TCP_NO_WSCALE;
    slot->ts_ok = MAMORI_TCP_TIMESTAMPS && seg->ts;
    slot->ts_recent = seg->tsval;
    slot->sack_ok = MAMORI_TCP_SACK && seg->sack_ok;
    slot->deadline = s->now + MAMORI_TCP_RTO_INIT_MS;
    send_synack(s, l, slot);
}

/* ---- TIME-WAIT records ------------------------------------------------- */

/* Returns false when the record gave way to a new connection (RFC 9293 §3.10.7.4 note, RFC 6191). */
static bool tw_input(mamori_stack_t *s, mamori_tcp_tw_t *tw, const tcp_seg_t *seg)
{
    if (seg->flags & TCP_RST) { /* RFC 1337: ignore RST in TIME-WAIT */
        MAMORI_COUNT(s, tcp_rx_drop_rst);
        return true;
    }
    if ((seg->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && SEQ_GT(seg->seq, tw->rcv_nxt)) {
        tw->used = 0;
        return false;
    }
    /* Only a retransmitted FIN (restarting 2 MSL) or old duplicates arrive
     * here; both are unacceptable segments and get an ACK (RFC 9293 §3.10.7.4). */
    if (seg->flags & TCP_FIN)
        tw->deadline = s->now + 2 * MAMORI_TCP_MSL_MS;
    else
        MAMORI_COUNT(s, tcp_rx_dup);
    {
        tcp_tx_t t = {.dst = tw->remote_ip, .sport = tw->local_port, .dport = tw->remote_port, .seq = tw->snd_nxt,
                      .ack = tw->rcv_nxt, .flags = TCP_ACK, .wscale = TCP_NO_WSCALE, .ts = tw->ts_ok,
                      .tsval = s->now, .tsecr = tw->ts_recent};
        (void)mamori_tcp_emit(s, &t);
    }
    return true;
}

/* ---- connections --------------------------------------------------------- */

static void syn_sent_input(mamori_tcp_t *c, tcp_seg_t *seg)
{
    mamori_stack_t *s = c->stack;
    if ((seg->flags & TCP_ACK) && (SEQ_LEQ(seg->ack, c->iss) || SEQ_GT(seg->ack, c->snd_max))) {
        MAMORI_COUNT(s, tcp_rx_drop_ack);
        mamori_tcp_reply_rst(s, seg, false);
        return;
    }
    if (seg->flags & TCP_RST) {
        if (seg->flags & TCP_ACK) {
            MAMORI_COUNT(s, tcp_rx_rst);
            mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_CONNREFUSED);
        } else {
            MAMORI_COUNT(s, tcp_rx_drop_rst);
        }
        return;
    }
    if (!(seg->flags & TCP_SYN)) {
        MAMORI_COUNT(s, tcp_rx_drop_noack);
        return;
    }
    if (seg->len)
        MAMORI_COUNT(s, tcp_rx_syn_data);
    c->irs = seg->seq;
    c->rcv_nxt = seg->seq + 1;
    c->rcv_adv = c->rcv_nxt;
    if (!(c->flags & TF_WS) || seg->wscale == TCP_NO_WSCALE) {
        c->flags &= (uint16_t)~TF_WS;
        c->snd_wscale = c->rcv_wscale = 0;
    } else {
        c->snd_wscale = seg->wscale;
    }
    if ((c->flags & TF_TS) && seg->ts)
        c->ts_recent = seg->tsval;
    else
        c->flags &= (uint16_t)~TF_TS;
    if (MAMORI_TCP_SACK && !seg->sack_ok)
        c->flags &= (uint16_t)~TF_SACK; /* RFC 2018 §2: only when both sides sent SACK-permitted */
    c->mss = mamori_tcp_mss_for(seg->mss ? seg->mss : 536, c->flags & TF_TS);
    c->cwnd = mamori_tcp_initial_cwnd(c->mss);
    c->snd_wnd = seg->wnd; /* unscaled in a SYN */
    c->max_sndwnd = c->snd_wnd;
    c->snd_wl1 = seg->seq;
    c->snd_wl2 = seg->ack;
    if (seg->flags & TCP_ACK) {
        if (c->retries == 0)
            mamori_tcp_rtt_sample(c, s->now - c->rtt_start);
        c->snd_una = seg->ack;
        c->retries = 0;
        mamori_tcp_clear_timer(c, MAMORI_TCP_T_RTX);
        mamori_tcp_clear_timer(c, MAMORI_TCP_T_STATE);
        mamori_tcp_set_state(c, MAMORI_TCP_ESTABLISHED);
        c->events |= TCP_EV(MAMORI_TCP_EV_CONNECTED);
        c->flags |= TF_ACK_NOW;
    } else {
        /* Simultaneous open (RFC 9293 §3.5, figure 7). */
        mamori_tcp_set_state(c, MAMORI_TCP_SYN_RECEIVED);
        (void)mamori_tcp_send_seg(c, c->iss, 0, TCP_SYN | TCP_ACK);
    }
}

static void ooo_remove(mamori_tcp_t *c, unsigned i)
{
    c->ooo_count--;
    memmove(&c->ooo[i], &c->ooo[i + 1], (c->ooo_count - i) * sizeof c->ooo[0]);
}

/* Inserts an out-of-order range in front, merged with its neighbours (the
 * SACK option leads with the block of the latest segment, RFC 2018 §4);
 * false when no slot is left. */
static bool ooo_insert(mamori_tcp_t *c, uint32_t start, uint32_t end)
{
    for (unsigned i = 0; i < c->ooo_count;) {
        const mamori_tcp_range_t *r = &c->ooo[i];
        if (SEQ_LEQ(r->start, end) && SEQ_GEQ(r->end, start)) {
            if (SEQ_LT(r->start, start))
                start = r->start;
            if (SEQ_GT(r->end, end))
                end = r->end;
            ooo_remove(c, i);
            i = 0;
        } else {
            i++;
        }
    }
    if (c->ooo_count == MAMORI_TCP_OOO_RANGES)
        return false;
    memmove(&c->ooo[1], &c->ooo[0], c->ooo_count * sizeof c->ooo[0]);
    c->ooo[0].start = start;
    c->ooo[0].end = end;
    c->ooo_count++;
    return true;
}

static void data_input(mamori_tcp_t *c, uint32_t seq, const uint8_t *data, uint32_t len)
{
    mamori_stack_t *s = c->stack;
    uint32_t off = seq - c->rcv_nxt;
    size_t pos = (c->rx_head + c->rx_len + off) % c->rx_cap;
    size_t first = c->rx_cap - pos < len ? c->rx_cap - pos : len;
    memcpy(c->rx + pos, data, first);
    memcpy(c->rx, data + first, len - first);
    if (off) {
        MAMORI_COUNT(s, tcp_rx_ooo);
        if (!ooo_insert(c, seq, seq + len))
            MAMORI_COUNT(s, tcp_rx_drop_ooo);
        c->flags |= TF_ACK_NOW; /* RFC 5681 §4.2: a duplicate ACK at once */
        return;
    }
    bool filled = c->ooo_count != 0;
    c->rx_len += len;
    c->rcv_nxt += len;
    for (unsigned i = 0; i < c->ooo_count;) {
        mamori_tcp_range_t *r = &c->ooo[i];
        if (SEQ_LEQ(r->start, c->rcv_nxt)) {
            if (SEQ_GT(r->end, c->rcv_nxt)) {
                c->rx_len += r->end - c->rcv_nxt;
                c->rcv_nxt = r->end;
            }
            ooo_remove(c, i);
            i = 0;
        } else {
            i++;
        }
    }
    c->events |= TCP_EV(MAMORI_TCP_EV_READABLE);
    c->rcv_unacked += len;
    /* RFC 1122 §4.2.3.2 / RFC 5681 §4.2: ACK every second full segment, a
     * filled hole at once, otherwise after the delayed-ACK timer. */
    if (filled || c->rcv_unacked >= 2u * c->rcv_mss) {
        c->flags |= TF_ACK_NOW;
    } else if (!(c->flags & TF_DELACK)) {
        c->flags |= TF_DELACK;
        mamori_tcp_set_timer(c, MAMORI_TCP_T_DELACK, MAMORI_TCP_DELACK_MS);
    }
}

static void ack_advance(mamori_tcp_t *c, const tcp_seg_t *seg)
{
    mamori_stack_t *s = c->stack;
    uint32_t acked = seg->ack - c->snd_una;
    /* Karn's rule for timestamps too: an ACK of data sent before the last
     * retransmission may echo an old TSval (RFC 7323 §4.3 keeps TS.Recent
     * from in-order segments only) and would inflate the estimate. */
    bool fresh = SEQ_GT(seg->ack, c->recover) && !(c->flags & TF_RECOVERY);
    if ((c->flags & TF_TS) && seg->ts && seg->tsecr && SEQ_LEQ(seg->tsecr, s->now) && fresh)
        mamori_tcp_rtt_sample(c, s->now - seg->tsecr); /* RFC 7323 §4.1 */
    else if ((c->flags & TF_RTT) && SEQ_GT(seg->ack, c->rtt_seq) && fresh)
        mamori_tcp_rtt_sample(c, s->now - c->rtt_start);
    else
        mamori_tcp_rto_reset(c);
    if (SEQ_GT(seg->ack, c->rtt_seq))
        c->flags &= (uint16_t)~TF_RTT;
    uint32_t data = acked < c->tx_len ? acked : (uint32_t)c->tx_len;
    c->tx_head = (c->tx_head + data) % c->tx_cap;
    c->tx_len -= data;
    c->snd_una = seg->ack;
    if (SEQ_LT(c->snd_nxt, c->snd_una))
        c->snd_nxt = c->snd_una;
    c->retries = 0;
    if (data && (c->flags & TF_WANT_WRITE)) {
        c->flags &= (uint16_t)~TF_WANT_WRITE;
        c->events |= TCP_EV(MAMORI_TCP_EV_WRITABLE);
    }
    if (c->flags & TF_RECOVERY) {
        if (SEQ_GEQ(seg->ack, c->recover)) { /* RFC 6582 §3.2 step 3: full ACK */
            uint32_t flight = c->snd_max - c->snd_una;
            c->cwnd = mamori_min_u32(c->ssthresh, flight + c->mss);
            c->flags &= (uint16_t)~TF_RECOVERY;
            c->dupacks = 0;
        } else if (mamori_tcp_sack_on(c)) { /* partial ACK: the pipe decides what goes next (RFC 6675) */
            MAMORI_COUNT(s, tcp_partial_acks);
        } else { /* partial ACK: retransmit the next hole, deflate (RFC 6582) */
            MAMORI_COUNT(s, tcp_partial_acks);
            c->cwnd = (c->cwnd > acked ? c->cwnd - acked : 0) + (acked >= c->mss ? c->mss : 0);
            if (c->cwnd < c->mss)
                c->cwnd = c->mss;
            mamori_tcp_clear_timer(c, MAMORI_TCP_T_RTX);
            mamori_tcp_retransmit_first(c);
        }
    } else {
        c->dupacks = 0;
        if (c->cwnd < c->ssthresh) { /* RFC 5681 §3.1 slow start */
            c->cwnd += acked < c->mss ? acked : c->mss;
        } else { /* congestion avoidance, byte counting */
            c->bytes_acked += acked;
            if (c->bytes_acked >= c->cwnd) {
                c->bytes_acked -= c->cwnd;
                c->cwnd += c->mss;
            }
        }
        if (c->cwnd > 0x40000000u)
            c->cwnd = 0x40000000u;
    }
    if (c->snd_una == c->snd_max) {
        mamori_tcp_clear_timer(c, MAMORI_TCP_T_RTX);
        c->flags &= (uint16_t)~TF_PERSIST;
    } else if (!(c->flags & TF_RECOVERY) || SEQ_GEQ(seg->ack, c->recover) || mamori_tcp_sack_on(c)) {
        mamori_tcp_set_timer(c, MAMORI_TCP_T_RTX, c->rto); /* RFC 6298 (5.3) */
        c->flags &= (uint16_t)~TF_PERSIST;
        c->rtx_since = s->now;
    }
}

/* Fast retransmit and the start of fast recovery: NewReno (RFC 6582 §3.2
 * step 2), or SACK-based (RFC 6675 §5 step 4) when the peer does SACK. */
static void enter_recovery(mamori_tcp_t *c)
{
    uint32_t flight = c->snd_max - c->snd_una;
    c->ssthresh = flight / 2 > 2u * c->mss ? flight / 2 : 2u * c->mss;
    c->recover = c->snd_max;
    c->flags |= TF_RECOVERY;
    c->flags &= (uint16_t)~TF_RTT;
    MAMORI_COUNT(c->stack, tcp_fast_retransmits);
    mamori_tcp_clear_timer(c, MAMORI_TCP_T_RTX);
    if (mamori_tcp_sack_on(c)) {
        mamori_tcp_sack_enter(c);
    } else {
        c->cwnd = c->ssthresh + 3u * c->mss;
        mamori_tcp_retransmit_first(c);
    }
}

static void dup_ack(mamori_tcp_t *c)
{
    if (++c->dupacks < 3)
        return;
    if (c->flags & TF_RECOVERY) {
        if (!mamori_tcp_sack_on(c))
            c->cwnd += c->mss; /* RFC 6582 §3.2 step 4: inflate */
        return;
    }
    /* RFC 6582 §3.2 step 2: no second recovery for the same window. recover
     * holds SND.MAX, one past the highest sequence number sent. */
    if (c->dupacks != 3 || SEQ_LT(c->snd_una, c->recover))
        return;
    enter_recovery(c);
}

/* ACK processing for the synchronized states; false when the segment is dropped. */
static bool ack_input(mamori_tcp_t *c, const tcp_seg_t *seg)
{
    mamori_stack_t *s = c->stack;
    /* RFC 5961 §5.2: acceptable acks lie in [SND.UNA - MAX.SND.WND, SND.NXT]. */
    if (SEQ_GT(seg->ack, c->snd_max) || SEQ_LT(seg->ack, c->snd_una - c->max_sndwnd)) {
        MAMORI_COUNT(s, tcp_rx_drop_ack);
        challenge_ack(c);
        return false;
    }
    uint32_t wnd = (uint32_t)seg->wnd << c->snd_wscale;
    bool sacked = mamori_tcp_sack_input(c, seg);
    if (SEQ_GT(seg->ack, c->snd_una)) {
        ack_advance(c, seg);
    } else if (seg->ack == c->snd_una && c->snd_max != c->snd_una && !(c->flags & TF_PERSIST) &&
               (sacked || (seg->len == 0 && !(seg->flags & (TCP_SYN | TCP_FIN)) && wnd == c->snd_wnd && wnd != 0))) {
        /* RFC 5681 §2 definition of a duplicate ACK (zero-window probe
         * answers excluded), or RFC 6675 §2: an ACK with new SACK blocks. */
        dup_ack(c);
    }
    /* RFC 6675 §5 step (3): enough SACKed above SND.UNA means it was lost. */
    if (mamori_tcp_sack_on(c) && !(c->flags & TF_RECOVERY) && SEQ_GEQ(c->snd_una, c->recover) &&
        mamori_tcp_sack_una_lost(c))
        enter_recovery(c);
    if (SEQ_LT(c->snd_wl1, seg->seq) || (c->snd_wl1 == seg->seq && SEQ_LEQ(c->snd_wl2, seg->ack))) {
        bool opened = c->snd_wnd == 0 && wnd != 0;
        c->snd_wnd = wnd;
        c->snd_wl1 = seg->seq;
        c->snd_wl2 = seg->ack;
        if (wnd > c->max_sndwnd)
            c->max_sndwnd = wnd;
        if (opened && (c->flags & TF_PERSIST)) {
            mamori_tcp_clear_timer(c, MAMORI_TCP_T_RTX);
            c->flags &= (uint16_t)~TF_PERSIST;
            c->retries = 0;
        }
    }
    bool fin_acked = (c->flags & TF_FIN_SENT) && c->snd_una == c->snd_max && c->tx_len == 0;
    if (fin_acked) {
        switch (c->state) {
        case MAMORI_TCP_FIN_WAIT_1:
            mamori_tcp_set_state(c, MAMORI_TCP_FIN_WAIT_2);
            if (c->flags & TF_ORPHAN)
                mamori_tcp_set_timer(c, MAMORI_TCP_T_STATE, MAMORI_TCP_FIN_WAIT2_MS);
            break;
        case MAMORI_TCP_CLOSING:
            mamori_tcp_enter_timewait(c);
            return false;
        case MAMORI_TCP_LAST_ACK:
            mamori_tcp_release(c, MAMORI_TCP_EV_CLOSED, MAMORI_OK);
            return false;
        default:
            break;
        }
    }
    return true;
}

void mamori_tcp_conn_input(mamori_tcp_t *c, tcp_seg_t *seg)
{
    mamori_stack_t *s = c->stack;
    c->last_rx = s->now;
    c->keep_probes = 0;
    if (c->state == MAMORI_TCP_SYN_SENT) {
        syn_sent_input(c, seg);
        return;
    }
    /* Simultaneous open: the peer's SYN-ACK acknowledges ours. */
    if (c->state == MAMORI_TCP_SYN_RECEIVED && (seg->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
        seg->seq == c->irs) {
        seg->flags &= (uint8_t)~TCP_SYN;
        seg->seq++;
    }
    /* PAWS (RFC 7323 §5.3). */
    if ((c->flags & TF_TS) && seg->ts && !(seg->flags & TCP_RST) && SEQ_LT(seg->tsval, c->ts_recent)) {
        MAMORI_COUNT(s, tcp_rx_drop_paws);
        c->flags |= TF_ACK_NOW;
        return;
    }
    /* RFC 9293 §3.10.7.4 first: sequence number acceptability. */
    uint32_t wnd = SEQ_GT(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    uint32_t slen = seg->len + ((seg->flags & TCP_SYN) ? 1u : 0u) + ((seg->flags & TCP_FIN) ? 1u : 0u);
    uint32_t rel = seg->seq - c->rcv_nxt;
    bool ok;
    if (wnd == 0)
        ok = seg->seq == c->rcv_nxt; /* data is trimmed below; the ACK still counts */
    else if (slen == 0)
        ok = rel < wnd;
    else
        ok = rel < wnd || (uint32_t)(seg->seq + slen - 1 - c->rcv_nxt) < wnd;
    if (!ok) {
        if (seg->flags & TCP_RST) {
            MAMORI_COUNT(s, tcp_rx_drop_rst);
        } else {
            if (slen && SEQ_LEQ(seg->seq + slen, c->rcv_nxt))
                MAMORI_COUNT(s, tcp_rx_dup);
            else
                MAMORI_COUNT(s, tcp_rx_drop_seq);
            c->flags |= TF_ACK_NOW;
        }
        return;
    }
    /* Second: RST, exact match only, else a challenge ACK (RFC 5961 §3.2). */
    if (seg->flags & TCP_RST) {
        if (seg->seq != c->rcv_nxt) {
            MAMORI_COUNT(s, tcp_rx_drop_rst);
            challenge_ack(c);
            return;
        }
        MAMORI_COUNT(s, tcp_rx_rst);
        if (c->state == MAMORI_TCP_CLOSING || c->state == MAMORI_TCP_LAST_ACK)
            mamori_tcp_release(c, MAMORI_TCP_EV_CLOSED, MAMORI_OK);
        else
            mamori_tcp_release(c, MAMORI_TCP_EV_ERROR,
                               c->state == MAMORI_TCP_SYN_RECEIVED ? MAMORI_ERR_CONNREFUSED : MAMORI_ERR_CONNRESET);
        return;
    }
    /* Fourth: a SYN in a synchronized state gets a challenge ACK (RFC 5961 §4.2). */
    if (seg->flags & TCP_SYN) {
        MAMORI_COUNT(s, tcp_rx_drop_syn);
        challenge_ack(c);
        return;
    }
    if (!(seg->flags & TCP_ACK)) {
        MAMORI_COUNT(s, tcp_rx_drop_noack);
        return;
    }
    /* Trim what was already received and what lies beyond the window. */
    const uint8_t *data = seg->data;
    uint32_t len = seg->len;
    uint32_t seq = seg->seq;
    if (SEQ_LT(seq, c->rcv_nxt)) {
        uint32_t skip = c->rcv_nxt - seq;
        MAMORI_COUNT(s, tcp_rx_dup);
        if (skip > len) {
            seg->flags &= (uint8_t)~TCP_FIN;
            skip = len;
        }
        data += skip;
        len -= skip;
        seq = c->rcv_nxt;
    }
    uint32_t room = wnd - (seq - c->rcv_nxt);
    if (len > room) {
        MAMORI_COUNT(s, tcp_rx_drop_window);
        len = room;
        seg->flags &= (uint8_t)~TCP_FIN;
        c->flags |= TF_ACK_NOW;
    }
    if ((c->flags & TF_TS) && seg->ts && SEQ_LEQ(seq, c->rcv_nxt))
        c->ts_recent = seg->tsval; /* RFC 7323 §4.3 */
    /* Fifth: the ACK field. */
    if (c->state == MAMORI_TCP_SYN_RECEIVED) {
        if (!SEQ_GT(seg->ack, c->snd_una) || SEQ_GT(seg->ack, c->snd_max)) {
            MAMORI_COUNT(s, tcp_rx_drop_ack);
            mamori_tcp_reply_rst(s, seg, false);
            return;
        }
        mamori_tcp_set_state(c, MAMORI_TCP_ESTABLISHED);
        c->snd_wl1 = seg->seq - 1; /* take the window of this segment */
        c->events |= TCP_EV(MAMORI_TCP_EV_CONNECTED);
    }
    if (!ack_input(c, seg))
        return;
    /* Sixth: URG is not supported (RFC 6093): the pointer is never used. */
    if (seg->flags & TCP_URG)
        MAMORI_COUNT(s, tcp_rx_urgent);
    /* Seventh: segment text. */
    if (len) {
        bool receiving = c->state == MAMORI_TCP_ESTABLISHED || c->state == MAMORI_TCP_FIN_WAIT_1 ||
                         c->state == MAMORI_TCP_FIN_WAIT_2;
        if (receiving && (c->flags & TF_ORPHAN)) {
            /* RFC 1122 §4.2.2.13: data for an application that closed. */
            MAMORI_COUNT(s, tcp_rx_drop_after_close);
            (void)mamori_tcp_send_seg(c, c->snd_max, 0, TCP_RST | TCP_ACK);
            mamori_tcp_release(c, MAMORI_TCP_EV_ERROR, MAMORI_ERR_CONNRESET);
            return;
        }
        if (!receiving || (c->flags & TF_RX_FIN)) {
            MAMORI_COUNT(s, tcp_rx_drop_seq);
            return;
        }
        data_input(c, seq, data, len);
    }
    /* Eighth: FIN, once everything before it is in. */
    if ((seg->flags & TCP_FIN) && seq + len == c->rcv_nxt && !(c->flags & TF_RX_FIN)) {
        c->rcv_nxt++;
        c->flags |= TF_RX_FIN | TF_ACK_NOW;
        c->events |= TCP_EV(MAMORI_TCP_EV_READABLE);
        switch (c->state) {
        case MAMORI_TCP_ESTABLISHED:
            mamori_tcp_set_state(c, MAMORI_TCP_CLOSE_WAIT);
            break;
        case MAMORI_TCP_FIN_WAIT_1:
            mamori_tcp_set_state(c, MAMORI_TCP_CLOSING);
            break;
        case MAMORI_TCP_FIN_WAIT_2:
            mamori_tcp_send_ack(c);
            mamori_tcp_enter_timewait(c);
            break;
        default:
            break;
        }
    }
}

void mamori_tcp_input(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *rd)
{
    mamori_tcp_ready(s);
    MAMORI_COUNT(s, tcp_in_segs);
    const uint8_t *start = mamori_rd_rest(rd);
    size_t total = mamori_rd_left(rd);
    tcp_seg_t seg = {.src = info->src, .wscale = TCP_NO_WSCALE};
    seg.sport = mamori_rd_be16(rd);
    seg.dport = mamori_rd_be16(rd);
    seg.seq = mamori_rd_be32(rd);
    seg.ack = mamori_rd_be32(rd);
    size_t hdr_len = (size_t)(mamori_rd_u8(rd) >> 4) * 4;
    seg.flags = mamori_rd_u8(rd) & 0x3f; /* ECE/CWR ignored: no ECN */
    seg.wnd = mamori_rd_be16(rd);
    mamori_rd_skip(rd, 4); /* checksum (verified over the whole segment) and urgent pointer */
    if (!mamori_rd_ok(rd)) {
        MAMORI_COUNT(s, tcp_rx_drop_short);
        MAMORI_COUNT(s, tcp_in_errs);
        return;
    }
    if (hdr_len < TCP_HDR_LEN || hdr_len > total) {
        MAMORI_COUNT(s, tcp_rx_drop_offset);
        MAMORI_COUNT(s, tcp_in_errs);
        return;
    }
    uint32_t sum = mamori_csum_pseudo(info->src, info->dst, MAMORI_IPPROTO_TCP, (uint16_t)total);
    if (mamori_csum_finish(mamori_csum_add(sum, start, total)) != 0) {
        MAMORI_COUNT(s, tcp_rx_drop_checksum);
        MAMORI_COUNT(s, tcp_in_errs);
        return;
    }
    if (info->to_broadcast || seg.sport == 0 || seg.dport == 0) {
        MAMORI_COUNT(s, tcp_rx_drop_addr);
        return;
    }
    mamori_rd_t opt = mamori_rd_sub(rd, hdr_len - TCP_HDR_LEN);
    if (!parse_options(&opt, &seg)) {
        MAMORI_COUNT(s, tcp_rx_drop_options);
        MAMORI_COUNT(s, tcp_in_errs);
        return;
    }
    seg.len = (uint32_t)mamori_rd_left(rd);
    seg.data = mamori_rd_rest(rd);
    uint8_t f = seg.flags;
    if (((f & TCP_SYN) && (f & (TCP_FIN | TCP_RST))) || !(f & (TCP_SYN | TCP_RST | TCP_ACK))) {
        MAMORI_COUNT(s, tcp_rx_drop_flags);
        MAMORI_COUNT(s, tcp_in_errs);
        return;
    }
    if ((f & (TCP_SYN | TCP_ACK)) == TCP_SYN && !mamori_defense_syn(s, seg.mss != 0))
        return;
    mamori_tcp_t *c = mamori_tcp_find(s, seg.src, seg.sport, seg.dport);
    if (c) {
        mamori_tcp_conn_input(c, &seg);
        if (c->state != MAMORI_TCP_CLOSED)
            mamori_tcp_output(c);
        mamori_tcp_notify(c);
        return;
    }
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++) {
        mamori_tcp_tw_t *tw = &s->tcp.tw[i];
        if (tw->used && tw->remote_ip == seg.src && tw->remote_port == seg.sport && tw->local_port == seg.dport &&
            tw_input(s, tw, &seg))
            return;
    }
    for (mamori_tcp_listener_t *l = s->tcp.listeners; l; l = l->next) {
        if (l->port == seg.dport) {
            listen_input(s, l, &seg);
            return;
        }
    }
    MAMORI_COUNT(s, tcp_rx_drop_noconn);
    if (s->tcp.rst_closed)
        mamori_tcp_reply_rst(s, &seg, true);
}

#endif
