/*
 * TCP selective acknowledgments against hand-built segments: SACK-permitted
 * negotiation both ways (RFC 2018 §2), the receiver's blocks for one to four
 * holes in the order of RFC 2018 §4, the sender retransmitting exactly the
 * holes under RFC 6675 recovery (and NewReno without SACK), invalid blocks
 * ignored and counted, a bounded scoreboard, and a retransmission timeout
 * forgetting the scoreboard (RFC 2018 §8). Built with MAMORI_TCP_SACK=0 it
 * checks that nothing of SACK is offered or sent.
 */
#include <string.h>

#include "capture_port.h"
#include "check.h"
#include "core/internal.h"
#include "mamori/mamori.h"
#include "mamori/tcp.h"
#include "net/tcp_internal.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)
#define LPORT 80
#define PEER_ISS 5000000u
#define PEER_MSS 1000

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static uint32_t now;
static mamori_tcp_listener_t lis;
static mamori_tcp_t conn;
static uint8_t rxbuf[16384], txbuf[16384];
static uint16_t our_port, peer_port; /* the connection's ports */

typedef sent_tcp_t seg_t;

/* A segment from the peer to dport, options given raw. */
static void peer_send(uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *opts, size_t opt_len,
                      size_t len)
{
    static uint8_t seg[1600], f[1700];
    memset(seg, 0, 20);
    test_put16(seg, peer_port);
    test_put16(seg + 2, dport);
    test_put32(seg + 4, seq);
    test_put32(seg + 8, ack);
    seg[12] = (uint8_t)(((20 + opt_len) / 4) << 4);
    seg[13] = flags;
    test_put16(seg + 14, 65535);
    if (opt_len)
        memcpy(seg + 20, opts, opt_len);
    memset(seg + 20 + opt_len, 'p', len);
    size_t n = 20 + opt_len + len;
    capture_port_queue_rx(&cap, f, build_tcp(f, our_mac, peer_mac, PEER_IP, OUR_IP, seg, n));
    mamori_poll(&stack, now);
}

/* An ACK from the peer with n SACK blocks (start, end pairs). */
static void peer_ack(uint32_t ack, const uint32_t *blocks, unsigned n)
{
    uint8_t opts[40] = {1, 1, 5, (uint8_t)(2 + 8 * n)};
    for (unsigned i = 0; i < 2 * n; i++)
        test_put32(opts + 4 + 4 * i, blocks[i]);
    peer_send(our_port, PEER_ISS + 1, ack, F_ACK, opts, n ? 4 + 8 * n : 0, 0);
}

/* Data from the peer at offset off of its stream (no options). */
static void peer_data(uint32_t off, size_t len, uint32_t ack)
{
    peer_send(our_port, PEER_ISS + 1 + off, ack, F_ACK | F_PSH, NULL, 0, len);
}

static seg_t sent(int i) { return capture_tcp(&cap, i); }

static void advance(uint32_t ms) { now = capture_stack_advance(&stack, now, ms); }

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    mamori_tcp_accept(l, &conn);
}

static void setup(void)
{
    now = 1000;
    CHECK_EQ(capture_stack_start(&cap, &port, 11, &stack, now, our_mac, OUR_IP, peer_mac, PEER_IP), MAMORI_OK);
    mamori_tcp_open(&stack, &conn, rxbuf, sizeof rxbuf, txbuf, sizeof txbuf);
}

/* The options of the peer's SYN or SYN-ACK: MSS, then SACK-permitted and
 * timestamps as asked; returns their length. */
static size_t syn_options(uint8_t *o, bool sack, bool ts)
{
    size_t n = 0;
    const uint8_t mss[] = {2, 4, PEER_MSS >> 8, PEER_MSS & 0xff};
    memcpy(o, mss, 4);
    n += 4;
    if (sack) {
        const uint8_t perm[] = {1, 1, 4, 2};
        memcpy(o + n, perm, 4);
        n += 4;
    }
    if (ts) {
        const uint8_t head[] = {1, 1, 8, 10};
        memcpy(o + n, head, 4);
        test_put32(o + n + 4, 777);
        test_put32(o + n + 8, 0);
        n += 12;
    }
    return n;
}

/* Active open to a peer that offers SACK-permitted and timestamps as asked;
 * returns our ISS + 1. */
static uint32_t open_active(bool sack, bool ts)
{
    CHECK_EQ(mamori_tcp_connect(&conn, PEER_IP, 443), MAMORI_OK);
    seg_t syn = sent(-1);
    CHECK_EQ(syn.flags, F_SYN);
    CHECK_EQ(syn.sack_ok, MAMORI_TCP_SACK != 0); /* offered by default (RFC 2018 §2) */
    our_port = conn.local_port;
    peer_port = 443;
    uint8_t o[40];
    size_t n = syn_options(o, sack, ts);
    peer_send(our_port, PEER_ISS, syn.seq + 1, F_SYN | F_ACK, o, n, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    capture_port_clear(&cap);
    return syn.seq + 1;
}

/* Compiled out (MAMORI_TCP_SACK=0), nothing is offered or answered. */
static void test_negotiation(void)
{
    /* Active: only when the SYN-ACK carries SACK-permitted too. */
    for (int offer = 0; offer < 2; offer++) {
        setup();
        open_active(offer, true);
        bool on = MAMORI_TCP_SACK && offer;
        CHECK_EQ((conn.flags & TF_SACK) != 0, on);
        /* Out-of-order data draws a duplicate ACK, with a block if SACK is on. */
        peer_data(100, 100, conn.snd_una);
        CHECK_EQ(sent(-1).ack, PEER_ISS + 1);
        CHECK_EQ(sent(-1).nblocks, on ? 1u : 0u);
    }

    /* Passive: the SYN-ACK answers SACK-permitted with SACK-permitted, also
     * when it is retransmitted, and accept() keeps the agreement. */
    for (int offer = 0; offer < 2; offer++) {
        setup();
        CHECK_EQ(mamori_tcp_listen(&stack, &lis, LPORT, 4), MAMORI_OK);
        mamori_tcp_listener_set_callback(&lis, on_accept, NULL);
        uint8_t o[40];
        size_t n = syn_options(o, offer, false);
        peer_port = 40000;
        peer_send(LPORT, PEER_ISS, 0, F_SYN, o, n, 0);
        seg_t sa = sent(-1);
        CHECK_EQ(sa.flags, F_SYN | F_ACK);
        bool on = MAMORI_TCP_SACK && offer;
        CHECK_EQ(sa.sack_ok, on);
        advance(MAMORI_TCP_RTO_INIT_MS);
        CHECK_EQ(sent(-1).flags, F_SYN | F_ACK);
        CHECK_EQ(sent(-1).sack_ok, on);
        peer_send(LPORT, PEER_ISS + 1, sa.seq + 1, F_ACK, NULL, 0, 0);
        CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
        CHECK_EQ((conn.flags & TF_SACK) != 0, on);
        mamori_tcp_unlisten(&lis);
    }
}

#if MAMORI_TCP_SACK
static void check_blocks(seg_t s, unsigned n, const uint32_t (*want)[2])
{
    CHECK_EQ(s.nblocks, n);
    for (unsigned i = 0; i < n && i < s.nblocks; i++) {
        CHECK_EQ(s.block[i][0], PEER_ISS + 1 + want[i][0]);
        CHECK_EQ(s.block[i][1], PEER_ISS + 1 + want[i][1]);
    }
}

/* Receiver: segments of 100 bytes at 100, 300, 500, 700 leave one to four
 * holes; each ACK leads with the block just received (RFC 2018 §4). */
static void test_receiver_blocks(void)
{
    for (int ts = 0; ts < 2; ts++) {
        setup();
        uint32_t una = open_active(true, ts);
        static const uint32_t r1[][2] = {{100, 200}};
        static const uint32_t r2[][2] = {{300, 400}, {100, 200}};
        static const uint32_t r3[][2] = {{500, 600}, {300, 400}, {100, 200}};
        static const uint32_t r4[][2] = {{700, 800}, {500, 600}, {300, 400}, {100, 200}};
        peer_data(100, 100, una);
        CHECK_EQ(sent(-1).ack, PEER_ISS + 1);
        check_blocks(sent(-1), 1, r1);
        peer_data(300, 100, una);
        check_blocks(sent(-1), 2, r2);
        peer_data(500, 100, una);
        check_blocks(sent(-1), 3, r3);
        peer_data(700, 100, una);
        seg_t a = sent(-1);
        CHECK_EQ(a.ts, ts == 1);
        check_blocks(a, ts ? 3 : 4, r4); /* 40 option bytes: 3 blocks beside a timestamp, else 4 */
        /* A repeated older range moves to the front. */
        peer_data(300, 100, una);
        static const uint32_t again[][2] = {{300, 400}, {700, 800}, {500, 600}, {100, 200}};
        check_blocks(sent(-1), ts ? 3 : 4, again);
        /* Filling 200..300 merges two ranges into the first block. */
        peer_data(200, 100, una);
        static const uint32_t merged[][2] = {{100, 400}, {700, 800}, {500, 600}};
        check_blocks(sent(-1), 3, merged);
        /* Filling the first hole acknowledges up to 400; the rest keep their order. */
        peer_data(0, 100, una);
        seg_t f = sent(-1);
        CHECK_EQ(f.ack, PEER_ISS + 1 + 400);
        static const uint32_t rest[][2] = {{700, 800}, {500, 600}};
        check_blocks(f, 2, rest);
        /* Our own data carries the blocks too, its payload shortened to fit the peer's MSS (RFC 6691). */
        static uint8_t out[2000];
        capture_port_clear(&cap);
        mamori_tcp_set_nodelay(&conn, true);
        CHECK_EQ(mamori_tcp_send(&conn, out, sizeof out), (int)sizeof out);
        seg_t d = sent(0);
        CHECK_EQ(d.nblocks, 2);
        CHECK_EQ(d.len, PEER_MSS - (ts ? 12u : 0u) - TCP_SACK_OPT_LEN(2));
        CHECK(d.flags != 0xff);
        /* All in: no blocks any more. */
        peer_data(400, 400, una);
        CHECK_EQ(sent(-1).ack, PEER_ISS + 1 + 800);
        CHECK_EQ(sent(-1).nblocks, 0);
    }
}

#endif

/* Sends eight segments of PEER_MSS with a congestion window that lets them
 * all go; returns the sequence number of the first. */
static uint32_t send_eight(uint32_t iss1)
{
    static uint8_t data[8 * PEER_MSS];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i / PEER_MSS);
    conn.cwnd = sizeof data;
    CHECK_EQ(mamori_tcp_send(&conn, data, sizeof data), (int)sizeof data);
    CHECK_EQ(cap.count, 8);
    CHECK_EQ(sent(0).seq, iss1);
    CHECK_EQ(sent(7).seq, iss1 + 7 * PEER_MSS);
    capture_port_clear(&cap);
    return iss1;
}

/* The retransmissions among the captured frames: their offsets in units of
 * PEER_MSS (data segments only), and their count. */
static unsigned retransmitted(uint32_t base, unsigned *which, unsigned max)
{
    unsigned n = 0;
    for (size_t i = 0; i < cap.count; i++) {
        seg_t s = sent((int)i);
        if (s.len && n < max)
            which[n++] = (s.seq - base) / PEER_MSS;
        CHECK(s.len == 0 || s.len == PEER_MSS);
    }
    return n;
}

#define S(k) (s0 + (k) * PEER_MSS)

/* Without SACK (not negotiated, or compiled out), the losses of S1 and S4
 * out of S0..S7: NewReno resends S1 on the third duplicate ACK and S4 only
 * after the partial ACK; SACK blocks the peer sends anyway are ignored. */
static void test_newreno_fallback(void)
{
    setup();
    uint32_t iss1 = open_active(false, false);
    uint32_t s0 = send_eight(iss1);
    const uint32_t b2[] = {S(2), S(3)}, b3[] = {S(2), S(4)}, b5[] = {S(5), S(6), S(2), S(4)};
    const uint32_t b6[] = {S(5), S(7), S(2), S(4)}, b7[] = {S(5), S(8), S(2), S(4)}, b8[] = {S(5), S(8)};
    unsigned which[8];
    peer_ack(S(1), NULL, 0);
    peer_ack(S(1), b2, 1);
    peer_ack(S(1), b3, 1);
    peer_ack(S(1), b5, 2);
    CHECK(conn.flags & TF_RECOVERY);
#if MAMORI_TCP_SACK
    CHECK_EQ(stack.stats.tcp_sack_recoveries, 0);
    CHECK_EQ(stack.stats.tcp_sack_rx_blocks, 0);
    CHECK_EQ(conn.sacked_count, 0);
#endif
    peer_ack(S(1), b6, 2);
    peer_ack(S(1), b7, 2);
    CHECK_EQ(retransmitted(s0, which, 8), 1);
    CHECK_EQ(which[0], 1);
    peer_ack(S(4), b8, 1);
    CHECK_EQ(retransmitted(s0, which, 8), 2);
    CHECK_EQ(which[1], 4);
    peer_ack(S(8), NULL, 0);
    CHECK(mamori_tcp_send_idle(&conn));
}

#if MAMORI_TCP_SACK
/* Sender: S1 and S4 of S0..S7 are lost. With SACK the scoreboard shows both
 * holes and both are retransmitted before any partial ACK; nothing else is. */
static void test_sender_holes(void)
{
    setup();
    uint32_t iss1 = open_active(true, false);
    CHECK_EQ(conn.mss, PEER_MSS);
    uint32_t s0 = send_eight(iss1);
    peer_ack(S(1), NULL, 0);
    const uint32_t b2[] = {S(2), S(3)};
    peer_ack(S(1), b2, 1);
    const uint32_t b3[] = {S(2), S(4)};
    peer_ack(S(1), b3, 1);
    CHECK_EQ(cap.count, 0);
    CHECK(!(conn.flags & TF_RECOVERY));
    const uint32_t b5[] = {S(5), S(6), S(2), S(4)};
    peer_ack(S(1), b5, 2); /* third ACK with new SACK information: recovery */
    CHECK(conn.flags & TF_RECOVERY);
    CHECK_EQ(stack.stats.tcp_sack_recoveries, 1);
    CHECK_EQ(stack.stats.tcp_fast_retransmits, 1);
    CHECK_EQ(conn.sacked_count, 2);
    unsigned which[8];
    CHECK_EQ(retransmitted(s0, which, 8), 1);
    CHECK_EQ(which[0], 1);
    CHECK_EQ(conn.cwnd, 3500u); /* FlightSize / 2 */
    const uint32_t b6[] = {S(5), S(7), S(2), S(4)};
    peer_ack(S(1), b6, 2);
    CHECK_EQ(retransmitted(s0, which, 8), 1); /* S4 is not lost yet: only 2 MSS SACKed above it */
    const uint32_t b7[] = {S(5), S(8), S(2), S(4)};
    peer_ack(S(1), b7, 2);
    CHECK_EQ(retransmitted(s0, which, 8), 2);
    CHECK_EQ(which[1], 4);
    CHECK_EQ(stack.stats.tcp_partial_acks, 0);
    /* The retransmitted S1 arrives: a partial ACK, nothing more to send. */
    const uint32_t b8[] = {S(5), S(8)};
    peer_ack(S(4), b8, 1);
    CHECK_EQ(stack.stats.tcp_partial_acks, 1);
    CHECK_EQ(conn.sacked_count, 1);
    peer_ack(S(8), NULL, 0);
    CHECK(!(conn.flags & TF_RECOVERY));
    CHECK(mamori_tcp_send_idle(&conn));
    CHECK_EQ(conn.sacked_count, 0);
    CHECK_EQ(retransmitted(s0, which, 8), 2);
    CHECK_EQ(stack.stats.tcp_retrans_segs, 2);
    CHECK_EQ(stack.stats.tcp_sack_rx_bad, 0);
}

/* Blocks outside SND.UNA..SND.MAX, empty or inverted ones, and blocks that
 * straddle the cumulative ACK are ignored and counted; a D-SACK below it is
 * ignored silently; a SACK option of a bad length is ignored. A full
 * scoreboard keeps the ranges nearest SND.UNA. */
static void test_invalid_blocks(void)
{
    setup();
    uint32_t iss1 = open_active(true, false);
    uint32_t s0 = send_eight(iss1);
    peer_ack(S(1), NULL, 0);
    const uint32_t bad[] = {S(8), S(9), S(3), S(2), S(0), S(2), S(2), S(2)};
    peer_ack(S(1), bad, 4);
    CHECK_EQ(stack.stats.tcp_sack_rx_bad, 4);
    CHECK_EQ(stack.stats.tcp_sack_rx_blocks, 0);
    CHECK_EQ(conn.sacked_count, 0);
    const uint32_t mixed[] = {S(0), S(1), S(7), S(8) + 1, S(2), S(3)};
    peer_ack(S(1), mixed, 3);
    CHECK_EQ(stack.stats.tcp_sack_rx_bad, 5);
    CHECK_EQ(stack.stats.tcp_sack_rx_blocks, 1);
    CHECK_EQ(conn.sacked_count, 1);
    CHECK_EQ(conn.sacked[0].start, S(2));
    uint8_t odd[] = {1, 1, 5, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
    test_put32(odd + 4, S(4));
    test_put32(odd + 8, S(5));
    peer_send(our_port, PEER_ISS + 1, S(1), F_ACK, odd, sizeof odd, 0);
    CHECK_EQ(stack.stats.tcp_sack_rx_blocks, 1);
    CHECK_EQ(conn.sacked_count, 1);
    CHECK_EQ(stack.stats.tcp_rx_drop_options, 0);
    /* Six disjoint ranges: the board keeps the lowest MAMORI_TCP_SACK_RANGES. */
    const uint32_t hi[] = {S(7), S(8), S(5), S(6)};
    peer_ack(S(1), hi, 2);
    const uint32_t lo[] = {S(1) + 100, S(1) + 200, S(1) + 400, S(1) + 500, S(3) + 100, S(3) + 200};
    peer_ack(S(1), lo, 3);
    CHECK_EQ(conn.sacked_count, MAMORI_TCP_SACK_RANGES);
    CHECK(stack.stats.tcp_sack_board_full >= 1);
    CHECK_EQ(conn.sacked[0].start, S(1) + 100);
    for (unsigned i = 1; i < conn.sacked_count; i++)
        CHECK(SEQ_GT(conn.sacked[i].start, conn.sacked[i - 1].end));
}

/* RFC 2018 §8: after a retransmission timeout the scoreboard is forgotten
 * and everything from SND.UNA goes again; SACKed data stayed in the ring. */
static void test_rto_clears(void)
{
    setup();
    uint32_t iss1 = open_active(true, false);
    uint32_t s0 = send_eight(iss1);
    peer_ack(S(1), NULL, 0);
    const uint32_t b[] = {S(2), S(4)};
    peer_ack(S(1), b, 1);
    CHECK_EQ(conn.sacked_count, 1);
    CHECK_EQ(conn.tx_len, 7u * PEER_MSS);
    advance(conn.rto);
    CHECK_EQ(stack.stats.tcp_rto_timeouts, 1);
    CHECK_EQ(conn.sacked_count, 0);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(0).seq, S(1));
    CHECK_EQ(sent(0).len, PEER_MSS);
    /* Go-back-N goes on over the formerly SACKed S2. */
    peer_ack(S(2), NULL, 0);
    CHECK(cap.count >= 2);
    CHECK_EQ(sent(1).seq, S(2));
}
#endif

int main(void)
{
    test_negotiation();
    test_newreno_fallback();
#if MAMORI_TCP_SACK
    test_receiver_blocks();
    test_sender_holes();
    test_invalid_blocks();
    test_rto_clears();
#endif
    return check_summary("tcp_sack");
}
