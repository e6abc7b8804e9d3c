/*
 * Selective acknowledgments (RFC 2018) and SACK-based loss recovery
 * (RFC 6675). The receiver reports the out-of-order ranges it holds, which
 * tcp_in.c keeps most recently changed first. The sender keeps a bounded
 * scoreboard of SACKed ranges above SND.UNA in ascending order; from it come
 * the pipe estimate and the holes to retransmit. SACKed data stays in the
 * send ring until it is cumulatively acknowledged (RFC 2018 §8: the receiver
 * may renege), and a retransmission timeout forgets the scoreboard.
 */
#include <string.h>

#include "net/tcp_internal.h"

#if MAMORI_TCP && MAMORI_TCP_SACK

#define DUP_THRESH 3u /* RFC 6675 DupThresh */

unsigned mamori_tcp_sack_blocks(const mamori_tcp_t *c, size_t room)
{
    if (!(c->flags & TF_SACK) || c->ooo_count == 0 || room < TCP_SACK_OPT_LEN(1))
        return 0;
    size_t n = (room - TCP_SACK_OPT_LEN(0)) / 8;
    return n < c->ooo_count ? (unsigned)n : c->ooo_count;
}

static void board_remove(mamori_tcp_t *c, unsigned i)
{
    c->sacked_count--;
    memmove(&c->sacked[i], &c->sacked[i + 1], (c->sacked_count - i) * sizeof c->sacked[0]);
}

/* Adds [start, end) to the scoreboard, merging what it overlaps or touches;
 * true when it covers bytes not SACKed before. When the board is full the
 * highest range gives way: the holes near SND.UNA are the ones to repair. */
static bool board_add(mamori_tcp_t *c, uint32_t start, uint32_t end)
{
    unsigned i = 0;
    while (i < c->sacked_count && SEQ_LT(c->sacked[i].end, start))
        i++;
    if (i < c->sacked_count && SEQ_LEQ(c->sacked[i].start, start) && SEQ_GEQ(c->sacked[i].end, end))
        return false;
    while (i < c->sacked_count && SEQ_LEQ(c->sacked[i].start, end)) {
        if (SEQ_LT(c->sacked[i].start, start))
            start = c->sacked[i].start;
        if (SEQ_GT(c->sacked[i].end, end))
            end = c->sacked[i].end;
        board_remove(c, i);
    }
    if (c->sacked_count == MAMORI_TCP_SACK_RANGES) {
        MAMORI_COUNT(c->stack, tcp_sack_board_full);
        if (i == c->sacked_count)
            return true;
        c->sacked_count--;
    }
    memmove(&c->sacked[i + 1], &c->sacked[i], (c->sacked_count - i) * sizeof c->sacked[0]);
    c->sacked[i].start = start;
    c->sacked[i].end = end;
    c->sacked_count++;
    return true;
}

bool mamori_tcp_sack_input(mamori_tcp_t *c, const tcp_seg_t *seg)
{
    mamori_stack_t *s = c->stack;
    if (!(c->flags & TF_SACK))
        return false;
    uint32_t una = SEQ_GT(seg->ack, c->snd_una) ? seg->ack : c->snd_una;
    while (c->sacked_count && SEQ_LEQ(c->sacked[0].end, una))
        board_remove(c, 0);
    if (c->sacked_count && SEQ_LT(c->sacked[0].start, una))
        c->sacked[0].start = una;
    bool fresh = false;
    mamori_rd_t rd = seg->sack;
    while (mamori_rd_left(&rd) >= 8) {
        uint32_t start = mamori_rd_be32(&rd);
        uint32_t end = mamori_rd_be32(&rd);
        if (SEQ_LT(start, end) && SEQ_LEQ(end, una))
            continue; /* a D-SACK (RFC 2883) or an old block: nothing to learn */
        if (!SEQ_LT(start, end) || SEQ_LT(start, una) || SEQ_GT(end, c->snd_max)) {
            MAMORI_COUNT(s, tcp_sack_rx_bad);
            continue;
        }
        MAMORI_COUNT(s, tcp_sack_rx_blocks);
        fresh |= board_add(c, start, end);
    }
    return fresh;
}

void mamori_tcp_sack_clear(mamori_tcp_t *c) { c->sacked_count = 0; }

/* RFC 6675 IsLost() for the whole scoreboard: every unSACKed byte below the
 * returned sequence number has more than (DupThresh - 1) * SMSS bytes or
 * DupThresh ranges SACKed above it. SND.UNA when nothing is lost. */
static uint32_t lost_below(const mamori_tcp_t *c)
{
    uint32_t above = 0;
    for (unsigned i = c->sacked_count; i-- > 0;) {
        above += c->sacked[i].end - c->sacked[i].start;
        if (above > (DUP_THRESH - 1) * c->mss || c->sacked_count - i >= DUP_THRESH)
            return c->sacked[i].start;
    }
    return c->snd_una;
}

bool mamori_tcp_sack_una_lost(const mamori_tcp_t *c) { return SEQ_GT(lost_below(c), c->snd_una); }

/* The bytes of [from, to) not SACKed. */
static uint32_t unsacked(const mamori_tcp_t *c, uint32_t from, uint32_t to)
{
    if (!SEQ_LT(from, to))
        return 0;
    uint32_t n = to - from;
    for (unsigned i = 0; i < c->sacked_count; i++) {
        uint32_t a = SEQ_GT(c->sacked[i].start, from) ? c->sacked[i].start : from;
        uint32_t b = SEQ_LT(c->sacked[i].end, to) ? c->sacked[i].end : to;
        if (SEQ_LT(a, b))
            n -= b - a;
    }
    return n;
}

static uint32_t high_rxt(const mamori_tcp_t *c) { return SEQ_GT(c->high_rxt, c->snd_una) ? c->high_rxt : c->snd_una; }

/* Octets not SACKed count once unless lost, and once more if retransmitted. */
uint32_t mamori_tcp_sack_pipe(const mamori_tcp_t *c)
{
    return unsacked(c, lost_below(c), c->snd_max) + unsacked(c, c->snd_una, high_rxt(c));
}

bool mamori_tcp_sack_next(const mamori_tcp_t *c, bool any_hole, uint32_t *seq, uint32_t *len)
{
    if (c->sacked_count == 0)
        return false;
    uint32_t limit = any_hole ? c->sacked[c->sacked_count - 1].start : lost_below(c);
    uint32_t from = high_rxt(c);
    for (unsigned i = 0; i < c->sacked_count && SEQ_LT(from, limit); i++) {
        const mamori_tcp_range_t *r = &c->sacked[i];
        if (SEQ_LT(from, r->start)) {
            uint32_t end = SEQ_LT(r->start, limit) ? r->start : limit;
            *seq = from;
            *len = mamori_min_u32(end - from, c->mss);
            return true;
        }
        if (SEQ_LT(from, r->end))
            from = r->end;
    }
    return false;
}

void mamori_tcp_sack_enter(mamori_tcp_t *c)
{
    MAMORI_COUNT(c->stack, tcp_sack_recoveries);
    c->cwnd = c->ssthresh; /* (4.2): the pipe, not inflation, paces the recovery */
    c->high_rxt = c->snd_una;
    uint32_t seq = c->snd_una, len = c->mss;
    (void)mamori_tcp_sack_next(c, true, &seq, &len);
    c->high_rxt = seq + (uint32_t)mamori_tcp_retransmit(c, seq, len); /* (4.3): the first hole, whatever the pipe */
}

/* RFC 6675 §5.1: the SACK information that arrives after a timeout is used. */
uint32_t mamori_tcp_sack_skip(mamori_tcp_t *c)
{
    for (unsigned i = 0; i < c->sacked_count; i++) {
        const mamori_tcp_range_t *r = &c->sacked[i];
        if (SEQ_LEQ(r->end, c->snd_nxt))
            continue;
        if (SEQ_GT(r->start, c->snd_nxt))
            return r->start - c->snd_nxt;
        c->snd_nxt = r->end;
    }
    return UINT32_MAX;
}

void mamori_tcp_sack_output(mamori_tcp_t *c, bool any_hole)
{
    uint32_t seq, len;
    while (c->cwnd >= mamori_tcp_sack_pipe(c) + c->mss && mamori_tcp_sack_next(c, any_hole, &seq, &len)) {
        size_t n = mamori_tcp_retransmit(c, seq, len);
        if (!n)
            break;
        c->high_rxt = seq + (uint32_t)n;
    }
}

#endif
