/* TCP output: segment construction, the send decision (windows, Nagle,
 * sender SWS avoidance) and retransmission. */
#include <string.h>

#include "net/tcp_internal.h"

#if MAMORI_TCP

int mamori_tcp_emit(mamori_stack_t *s, const tcp_tx_t *t)
{
    mamori_pbuf_t *pb = mamori_pbuf_alloc(s);
    if (!pb) {
        MAMORI_COUNT(s, tcp_tx_drop_nobuf);
        return MAMORI_ERR_NOMEM;
    }
    uint8_t *seg = pb->data + MAMORI_IP4_PAYLOAD_OFF;
    mamori_wr_t wr;
    mamori_wr_init(&wr, seg, MAMORI_MTU - MAMORI_IP4_HDR_LEN);
    size_t opt_len = (t->mss ? 4u : 0u) + (t->wscale != TCP_NO_WSCALE ? 4u : 0u) + (t->ts ? TCP_TS_OPT_LEN : 0u);
#if MAMORI_TCP_SACK
    opt_len += (t->sack_ok ? 4u : 0u) + (t->sack_n ? TCP_SACK_OPT_LEN(t->sack_n) : 0u);
#endif
    mamori_wr_be16(&wr, t->sport);
    mamori_wr_be16(&wr, t->dport);
    mamori_wr_be32(&wr, t->seq);
    mamori_wr_be32(&wr, t->ack);
    mamori_wr_u8(&wr, (uint8_t)(((TCP_HDR_LEN + opt_len) / 4) << 4));
    mamori_wr_u8(&wr, t->flags);
    mamori_wr_be16(&wr, t->wnd);
    mamori_wr_be16(&wr, 0); /* checksum, below */
    mamori_wr_be16(&wr, 0); /* urgent pointer: never sent (RFC 6093) */
    if (t->mss) {
        mamori_wr_u8(&wr, 2);
        mamori_wr_u8(&wr, 4);
        mamori_wr_be16(&wr, t->mss);
    }
    if (t->wscale != TCP_NO_WSCALE) {
        mamori_wr_u8(&wr, 1);
        mamori_wr_u8(&wr, 3);
        mamori_wr_u8(&wr, 3);
        mamori_wr_u8(&wr, t->wscale);
    }
    if (t->ts) {
        mamori_wr_u8(&wr, 1);
        mamori_wr_u8(&wr, 1);
        mamori_wr_u8(&wr, 8);
        mamori_wr_u8(&wr, 10);
        mamori_wr_be32(&wr, t->tsval);
        mamori_wr_be32(&wr, t->tsecr);
    }
#if MAMORI_TCP_SACK
    if (t->sack_ok)
        mamori_wr_be32(&wr, 0x01010402u); /* NOP NOP SACK-permitted (RFC 2018 §2) */
    if (t->sack_n) {
        mamori_wr_be32(&wr, 0x01010500u | (TCP_SACK_OPT_LEN(t->sack_n) - 2u)); /* NOP NOP SACK length */
        for (unsigned i = 0; i < t->sack_n; i++) {
            mamori_wr_be32(&wr, t->sack[i].start);
            mamori_wr_be32(&wr, t->sack[i].end);
        }
        s->stats.tcp_sack_tx_blocks += t->sack_n;
    }
#endif
    mamori_wr_bytes(&wr, t->d1, t->n1);
    mamori_wr_bytes(&wr, t->d2, t->n2);
    if (!mamori_wr_ok(&wr)) {
        mamori_pbuf_free(pb);
        return MAMORI_ERR_MSGSIZE;
    }
    uint16_t len = (uint16_t)wr.pos;
    uint32_t sum = mamori_csum_pseudo(s->ip4.addr, t->dst, MAMORI_IPPROTO_TCP, len);
    mamori_put_be16(seg + 16, mamori_csum_finish(mamori_csum_add(sum, seg, len)));
    MAMORI_COUNT(s, tcp_out_segs);
    if (t->flags & TCP_RST)
        MAMORI_COUNT(s, tcp_out_rsts);
    return mamori_ip4_output(s, pb, t->dst, MAMORI_IPPROTO_TCP, len);
}

/* The window to announce, with receiver SWS avoidance (RFC 1122 §4.2.3.3):
 * the right edge only moves on by at least min(half the ring, one MSS). */
static uint32_t announce_window(const mamori_tcp_t *c)
{
    uint32_t space = (uint32_t)(c->rx_cap - c->rx_len);
    uint32_t cur = SEQ_GT(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    uint32_t step = mamori_min_u32((uint32_t)c->rx_cap / 2, c->rcv_mss);
    if (space >= cur + step)
        return space;
    return mamori_min_u32(cur, space);
}

int mamori_tcp_send_seg(mamori_tcp_t *c, uint32_t seq, size_t len, uint8_t flags)
{
    mamori_stack_t *s = c->stack;
    tcp_tx_t t = {.dst = c->remote_ip, .sport = c->local_port, .dport = c->remote_port, .seq = seq,
                  .ack = c->rcv_nxt, .flags = flags, .wscale = TCP_NO_WSCALE};
    if (c->state == MAMORI_TCP_SYN_SENT)
        t.flags &= (uint8_t)~TCP_ACK;
    uint32_t wnd = announce_window(c);
    if (flags & TCP_SYN) {
        /* RFC 7323 §2.2: the window of a SYN is never scaled. */
        t.wnd = (uint16_t)mamori_min_u32(wnd, 0xffff);
        t.mss = c->rcv_mss;
        if (c->flags & TF_WS)
            t.wscale = c->rcv_wscale;
        t.sack_ok = mamori_tcp_sack_on(c);
        c->rcv_adv = c->rcv_nxt + t.wnd;
    } else {
        uint32_t field = mamori_min_u32(wnd >> c->rcv_wscale, 0xffff);
        t.wnd = (uint16_t)field;
        uint32_t edge = c->rcv_nxt + (field << c->rcv_wscale);
        if (SEQ_GT(edge, c->rcv_adv))
            c->rcv_adv = edge;
    }
    if (c->flags & TF_TS) {
        t.ts = true;
        t.tsval = s->now;
        t.tsecr = c->ts_recent;
    }
#if MAMORI_TCP_SACK
    /* RFC 2018 §4: every ACK reports the out-of-order data held; the blocks
     * count against the peer's MSS like the data (RFC 6691). */
    if ((t.flags & (TCP_ACK | TCP_SYN | TCP_RST)) == TCP_ACK) {
        uint32_t room = TCP_OPT_MAX - (t.ts ? TCP_TS_OPT_LEN : 0u);
        uint32_t mss_left = c->mss > len ? c->mss - (uint32_t)len : 0;
        t.sack_n = (uint8_t)mamori_tcp_sack_blocks(c, mamori_min_u32(room, mss_left));
        t.sack = c->ooo;
    }
#endif
    if (len) {
        size_t pos = (c->tx_head + (seq - c->snd_una)) % c->tx_cap;
        size_t first = c->tx_cap - pos < len ? c->tx_cap - pos : len;
        t.d1 = c->tx + pos;
        t.n1 = first;
        t.d2 = c->tx;
        t.n2 = len - first;
    }
    if (t.flags & TCP_ACK) {
        c->flags &= (uint16_t)~(TF_ACK_NOW | TF_DELACK);
        c->rcv_unacked = 0;
        mamori_tcp_clear_timer(c, MAMORI_TCP_T_DELACK);
    }
    return mamori_tcp_emit(s, &t);
}

/* A pure ACK carries SND.MAX, not a SND.NXT pulled back by a retransmission
 * timeout: a sequence number below the peer's RCV.NXT would be unacceptable. */
void mamori_tcp_send_ack(mamori_tcp_t *c) { (void)mamori_tcp_send_seg(c, c->snd_max, 0, TCP_ACK); }

/* Whether the FIN goes at sequence number seq + len (after the last queued byte). */
static bool fin_at(const mamori_tcp_t *c, uint32_t off, size_t len)
{
    if (!(c->flags & TF_SHUT_WR) || off + len != c->tx_len)
        return false;
    return c->state == MAMORI_TCP_ESTABLISHED || c->state == MAMORI_TCP_CLOSE_WAIT ||
           c->state == MAMORI_TCP_FIN_WAIT_1 || c->state == MAMORI_TCP_CLOSING || c->state == MAMORI_TCP_LAST_ACK;
}

static void arm_rtx(mamori_tcp_t *c)
{
    if (!mamori_tcp_timer_on(c, MAMORI_TCP_T_RTX) || (c->flags & TF_PERSIST)) {
        c->flags &= (uint16_t)~TF_PERSIST;
        mamori_tcp_set_timer(c, MAMORI_TCP_T_RTX, c->rto);
    }
}

/* Never beyond SND.MAX: the peer would acknowledge data we count as unsent
 * and every later ACK would be unacceptable. */
size_t mamori_tcp_retransmit(mamori_tcp_t *c, uint32_t seq, size_t n)
{
    uint32_t off = seq - c->snd_una;
    size_t sent = mamori_min_u32(c->snd_max - c->snd_una, (uint32_t)c->tx_len);
    if (off > sent)
        return 0;
    if (n > sent - off)
        n = sent - off;
    if (n > c->mss)
        n = c->mss;
    bool fin = (c->flags & TF_FIN_SENT) && fin_at(c, off, n);
    if (!n && !fin)
        return 0;
    MAMORI_COUNT(c->stack, tcp_retrans_segs);
    (void)mamori_tcp_send_seg(c, seq, n, (uint8_t)(TCP_ACK | TCP_PSH | (fin ? TCP_FIN : 0)));
    arm_rtx(c);
    return n;
}

void mamori_tcp_retransmit_first(mamori_tcp_t *c) { (void)mamori_tcp_retransmit(c, c->snd_una, c->mss); }

/* Bytes the windows let go beyond SND.NXT: cwnd limits the flight, or in
 * SACK-based recovery the pipe estimate (RFC 6675 §5 (C)). */
static uint32_t send_room(const mamori_tcp_t *c, uint32_t off)
{
    uint32_t used = off;
    if (mamori_tcp_sack_on(c) && (c->flags & TF_RECOVERY))
        used = mamori_tcp_sack_pipe(c);
    uint32_t wnd = c->snd_wnd > off ? c->snd_wnd - off : 0;
    return mamori_min_u32(wnd, c->cwnd > used ? c->cwnd - used : 0);
}

void mamori_tcp_output(mamori_tcp_t *c)
{
    mamori_stack_t *s = c->stack;
    if (c->state < MAMORI_TCP_ESTABLISHED)
        return;
    bool may_send = c->state != MAMORI_TCP_FIN_WAIT_2 && c->state != MAMORI_TCP_TIME_WAIT;
    bool sack_recovery = may_send && mamori_tcp_sack_on(c) && (c->flags & TF_RECOVERY);
    if (sack_recovery)
        mamori_tcp_sack_output(c, false); /* NextSeg rule 1: lost holes before new data */
    /* New data makes room for the SACK blocks an ACK now carries (RFC 6691:
     * options count against the peer's MSS); a retransmission keeps the
     * size of the original and the blocks that still fit. */
    unsigned blocks = mamori_tcp_sack_blocks(c, TCP_OPT_MAX - ((c->flags & TF_TS) ? TCP_TS_OPT_LEN : 0u));
    size_t new_mss = c->mss - (blocks ? TCP_SACK_OPT_LEN(blocks) : 0u);
    while (may_send) {
        uint32_t span = SEQ_LT(c->snd_nxt, c->snd_max) ? mamori_tcp_sack_skip(c) : UINT32_MAX;
        bool retrans = SEQ_LT(c->snd_nxt, c->snd_max);
        size_t mss = retrans ? c->mss : new_mss;
        uint32_t off = c->snd_nxt - c->snd_una;
        if (off > c->tx_len)
            break; /* the FIN is out */
        size_t avail = c->tx_len - off;
        uint32_t room = mamori_min_u32(send_room(c, off), span);
        size_t n = avail;
        if (n > room)
            n = room;
        if (n > mss)
            n = mss;
        bool fin = fin_at(c, off, n);
        bool send;
        if (n == mss || (n && retrans))
            send = true;
        else if (n && n == avail && ((c->flags & TF_NODELAY) || off == 0))
            send = true; /* Nagle (RFC 896): a short segment only with nothing in flight */
        else if (n && c->max_sndwnd && n >= c->max_sndwnd / 2)
            send = true; /* sender SWS avoidance (RFC 1122 §4.2.3.4) */
        else
            send = fin && n == avail;
        if (!send)
            break;
        uint8_t flags = (uint8_t)(TCP_ACK | (n && n == avail ? TCP_PSH : 0) | (fin ? TCP_FIN : 0));
        (void)mamori_tcp_send_seg(c, c->snd_nxt, n, flags); /* a frame lost here is recovered like one lost on the wire */
        if (retrans) {
            MAMORI_COUNT(s, tcp_retrans_segs);
        } else if (!(c->flags & TF_RTT) && n) {
            c->flags |= TF_RTT; /* Karn: only never-retransmitted data is timed */
            c->rtt_seq = c->snd_nxt;
            c->rtt_start = s->now;
        }
        if (!mamori_tcp_timer_on(c, MAMORI_TCP_T_RTX) || (c->flags & TF_PERSIST))
            c->rtx_since = s->now;
        c->snd_nxt += (uint32_t)n + (fin ? 1u : 0u);
        if (fin)
            c->flags |= TF_FIN_SENT;
        if (SEQ_GT(c->snd_nxt, c->snd_max))
            c->snd_max = c->snd_nxt;
        arm_rtx(c);
    }
    if (sack_recovery)
        mamori_tcp_sack_output(c, true); /* rule 3: no new data went, any hole may */
    if (c->flags & TF_ACK_NOW)
        mamori_tcp_send_ack(c);
    /* Persist timer (RFC 9293 §3.8.6.1): probe a zero window while data waits. */
    uint32_t off = c->snd_nxt - c->snd_una;
    if (may_send && c->snd_wnd == 0 && off < c->tx_len && c->snd_una == c->snd_max &&
        !mamori_tcp_timer_on(c, MAMORI_TCP_T_RTX)) {
        c->flags |= TF_PERSIST;
        c->retries = 0;
        mamori_tcp_set_timer(c, MAMORI_TCP_T_RTX, c->rto);
    }
}

void mamori_tcp_reply_rst(mamori_stack_t *s, const tcp_seg_t *seg, bool rate_limited)
{
    if (seg->flags & TCP_RST)
        return; /* never answer a RST */
    if (rate_limited && !mamori_bucket_take(&s->tcp.rst_bucket, s->now)) {
        MAMORI_COUNT(s, tcp_rst_limited);
        return;
    }
    tcp_tx_t t = {.dst = seg->src, .sport = seg->dport, .dport = seg->sport, .wscale = TCP_NO_WSCALE};
    if (seg->flags & TCP_ACK) {
        t.seq = seg->ack;
        t.flags = TCP_RST;
    } else {
        t.ack = seg->seq + seg->len + ((seg->flags & TCP_SYN) ? 1u : 0u) + ((seg->flags & TCP_FIN) ? 1u : 0u);
        t.flags = TCP_RST | TCP_ACK;
    }
    (void)mamori_tcp_emit(s, &t);
}

#endif
