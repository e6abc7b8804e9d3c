/*
 * TCP against hand-built segments: the state transitions of RFC 9293
 * (§3.10 tables), the RFC 5961 RST/SYN/ACK rules, out-of-order and
 * overlapping segments, zero windows and probing, timers and timeouts, the
 * SYN backlog, RSTs for closed ports, and malformed segments.
 */
#include <string.h>

#include "capture_port.h"
#include "check.h"
#include "core/internal.h"
#include "net/tcp_internal.h"
#include "mamori/mamori.h"
#include "mamori/tcp.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)
#define PEER_PORT 40000
#define LPORT 80

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static uint32_t now;
static mamori_tcp_listener_t lis;
static mamori_tcp_t conn;
static uint8_t rxbuf[4096], txbuf[8192];
static int events[5], last_err;
static bool auto_accept;

typedef sent_tcp_t seg_t;

/* Builds a TCP segment with raw options; hdr_words overrides the data offset when non-zero. */
static size_t build_tcp_raw(uint8_t *f, uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
                            const uint8_t *opts, size_t opt_len, const void *data, size_t len, unsigned hdr_words,
                            uint16_t urp)
{
    uint8_t seg[1600];
    memset(seg, 0, 20);
    test_put16(seg, sport);
    test_put16(seg + 2, LPORT);
    test_put32(seg + 4, seq);
    test_put32(seg + 8, ack);
    seg[12] = (uint8_t)((hdr_words ? hdr_words : (20 + opt_len) / 4) << 4);
    seg[13] = flags;
    test_put16(seg + 14, wnd);
    test_put16(seg + 18, urp);
    if (opt_len)
        memcpy(seg + 20, opts, opt_len);
    if (len)
        memcpy(seg + 20 + opt_len, data, len);
    size_t n = 20 + opt_len + len;
    return build_tcp(f, our_mac, peer_mac, PEER_IP, OUR_IP, seg, n);
}

static void feed(const uint8_t *frame, size_t len)
{
    capture_port_queue_rx(&cap, frame, len);
    mamori_poll(&stack, now);
}

static void send_seg(uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd, const void *data,
                     size_t len)
{
    uint8_t f[1600];
    feed(f, build_tcp_raw(f, sport, seq, ack, flags, wnd, NULL, 0, data, len, 0, 0));
}

static void advance(uint32_t ms) { now = capture_stack_advance(&stack, now, ms); }

static seg_t sent(int i) { return capture_tcp(&cap, i); }

static void on_event(mamori_tcp_t *c, mamori_tcp_event_t ev, int err, void *user)
{
    (void)c;
    (void)user;
    events[ev]++;
    last_err = err;
}

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    if (auto_accept)
        mamori_tcp_accept(l, &conn);
}

static void setup(void)
{
    now = 1000;
    CHECK_EQ(capture_stack_start(&cap, &port, 7, &stack, now, our_mac, OUR_IP, peer_mac, PEER_IP), MAMORI_OK);
    memset(events, 0, sizeof events);
    last_err = 0;
    auto_accept = true;
    mamori_tcp_open(&stack, &conn, rxbuf, sizeof rxbuf, txbuf, sizeof txbuf);
    mamori_tcp_set_callback(&conn, on_event, NULL);
}

#define PEER_ISS 1000000u

/* Passive open through the listener; returns our ISS. No options: no scaling, no timestamps. */
static uint32_t establish_passive(void)
{
    CHECK_EQ(mamori_tcp_listen(&stack, &lis, LPORT, 4), MAMORI_OK);
    mamori_tcp_listener_set_callback(&lis, on_accept, NULL);
    uint8_t f[200];
    const uint8_t mss[] = {2, 4, 0x05, 0xb4};
    feed(f, build_tcp_raw(f, PEER_PORT, PEER_ISS, 0, F_SYN, 65535, mss, 4, NULL, 0, 0, 0));
    seg_t sa = sent(-1);
    CHECK_EQ(sa.flags, F_SYN | F_ACK);
    CHECK_EQ(sa.ack, PEER_ISS + 1);
    CHECK_EQ(sa.mss, 1460);
    CHECK_EQ(sa.wscale, -1); /* not offered by the peer: not sent */
    send_seg(PEER_PORT, PEER_ISS + 1, sa.seq + 1, F_ACK, 65535, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    capture_port_clear(&cap);
    return sa.seq + 1;
}

static void test_passive_open_and_data(void)
{
    setup();
    uint32_t iss1 = establish_passive();
    CHECK_EQ(stack.stats.tcp_passive_opens, 1);
    CHECK_EQ(stack.stats.tcp_curr_estab, 1);
    /* One segment: delayed ACK, sent by the timer. */
    send_seg(PEER_PORT, PEER_ISS + 1, iss1, F_ACK | F_PSH, 65535, "hello", 5);
    CHECK_EQ(events[MAMORI_TCP_EV_READABLE], 1);
    CHECK_EQ(cap.count, 0);
    advance(MAMORI_TCP_DELACK_MS);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 6);
    uint8_t buf[64];
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 5);
    CHECK_MEM(buf, "hello", 5);
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), MAMORI_ERR_WOULDBLOCK);
    /* Two full segments: the second is acknowledged at once (RFC 1122 §4.2.3.2). */
    static uint8_t big[1460];
    memset(big, 'x', sizeof big);
    capture_port_clear(&cap);
    send_seg(PEER_PORT, PEER_ISS + 6, iss1, F_ACK, 65535, big, 1460);
    CHECK_EQ(cap.count, 0);
    send_seg(PEER_PORT, PEER_ISS + 6 + 1460, iss1, F_ACK, 65535, big, 1460);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 6 + 2920);
    /* Sending: data goes out with a valid checksum; the ACK frees the ring. */
    while (mamori_tcp_recv(&conn, big, sizeof big) > 0) {
    }
    capture_port_clear(&cap);
    CHECK_EQ(mamori_tcp_send(&conn, "world", 5), 5);
    seg_t d = sent(-1);
    CHECK_EQ(d.flags, F_ACK | F_PSH);
    CHECK_EQ(d.seq, iss1);
    CHECK_EQ(d.len, 5);
    CHECK_MEM(d.data, "world", 5);
    /* Nagle: a second small write waits while the first is unacknowledged. */
    CHECK_EQ(mamori_tcp_send(&conn, "!", 1), 1);
    CHECK_EQ(cap.count, 1);
    send_seg(PEER_PORT, PEER_ISS + 6 + 2920, iss1 + 5, F_ACK, 65535, NULL, 0);
    CHECK_EQ(cap.count, 2);
    CHECK_EQ(sent(-1).seq, iss1 + 5);
    send_seg(PEER_PORT, PEER_ISS + 6 + 2920, iss1 + 6, F_ACK, 65535, NULL, 0);
    CHECK(mamori_tcp_send_idle(&conn));
    /* With no-delay, small writes go at once. */
    mamori_tcp_set_nodelay(&conn, true);
    CHECK_EQ(mamori_tcp_send(&conn, "a", 1), 1);
    CHECK_EQ(mamori_tcp_send(&conn, "b", 1), 1);
    CHECK_EQ(cap.count, 4);
    /* Passive close: FIN -> CLOSE-WAIT; close -> LAST-ACK; ACK -> CLOSED. */
    send_seg(PEER_PORT, PEER_ISS + 6 + 2920, iss1 + 8, F_ACK | F_FIN, 65535, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSE_WAIT);
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 0);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 6 + 2920 + 1);
    mamori_tcp_close(&conn);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_LAST_ACK);
    seg_t fin = sent(-1);
    CHECK_EQ(fin.flags, F_ACK | F_FIN);
    CHECK_EQ(fin.seq, iss1 + 8);
    send_seg(PEER_PORT, PEER_ISS + 6 + 2921, iss1 + 9, F_ACK, 65535, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(events[MAMORI_TCP_EV_CLOSED], 1);
    CHECK_EQ(stack.stats.tcp_curr_estab, 0);
    CHECK(stack.tcp.conns == NULL);
    mamori_tcp_unlisten(&lis);
}

static uint32_t establish_active(bool options)
{
    CHECK_EQ(mamori_tcp_connect(&conn, PEER_IP, 443), MAMORI_OK);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_SYN_SENT);
    seg_t syn = sent(-1);
    CHECK_EQ(syn.flags, F_SYN);
    CHECK_EQ(syn.mss, 1460);
    CHECK(syn.wscale >= 0);
    CHECK(syn.ts);
    CHECK(syn.sport >= 49152); /* RFC 6056 range */
    uint8_t f[200];
    const uint8_t opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 2};
    size_t n = build_tcp_raw(f, 443, PEER_ISS, syn.seq + 1, F_SYN | F_ACK, 65535, opts, options ? 8 : 4, NULL, 0,
                             0, 0);
    /* the builder uses LPORT as destination: patch to our ephemeral port and redo the checksum */
    uint8_t *t = f + 34;
    test_put16(t + 2, syn.sport);
    test_put16(t + 16, 0);
    test_put16(t + 16, tcp_csum(PEER_IP, OUR_IP, t, n - 34));
    feed(f, n);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    CHECK_EQ(events[MAMORI_TCP_EV_CONNECTED], 1);
    CHECK_EQ(sent(-1).flags, F_ACK);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 1);
    capture_port_clear(&cap);
    return syn.seq + 1;
}

/* Segments to the connection made by establish_active (port patched in). */
static void send_active(uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd, const void *data, size_t len)
{
    uint8_t f[1600];
    size_t n = build_tcp_raw(f, 443, seq, ack, flags, wnd, NULL, 0, data, len, 0, 0);
    uint8_t *t = f + 34;
    test_put16(t + 2, conn.local_port);
    test_put16(t + 16, 0);
    test_put16(t + 16, tcp_csum(PEER_IP, OUR_IP, t, n - 34));
    feed(f, n);
}

static void test_active_open_close(void)
{
    setup();
    uint32_t iss1 = establish_active(true);
    CHECK_EQ(stack.stats.tcp_active_opens, 1);
    CHECK_EQ(conn.snd_wscale, 2);
    /* Active close: FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT (a record; conn released). */
    mamori_tcp_shutdown(&conn);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_FIN_WAIT_1);
    CHECK_EQ(sent(-1).flags, F_ACK | F_FIN);
    send_active(PEER_ISS + 1, iss1 + 1, F_ACK, 1000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_FIN_WAIT_2);
    /* Half-close: data still arrives. */
    send_active(PEER_ISS + 1, iss1 + 1, F_ACK, 1000, "late", 4);
    CHECK_EQ(mamori_tcp_recv_avail(&conn), 4);
    send_active(PEER_ISS + 5, iss1 + 1, F_ACK | F_FIN, 1000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(events[MAMORI_TCP_EV_CLOSED], 1);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 6);
    uint8_t buf[16];
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 4); /* still readable after release */
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 0);
    int tw = 0;
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++)
        tw += stack.tcp.tw[i].used;
    CHECK_EQ(tw, 1);
    /* A retransmitted FIN in TIME-WAIT is acknowledged again; a RST is ignored (RFC 1337). */
    capture_port_clear(&cap);
    mamori_tcp_t probe;
    memset(&probe, 0, sizeof probe);
    conn.local_port = stack.tcp.tw[0].used ? stack.tcp.tw[0].local_port : conn.local_port;
    send_active(PEER_ISS + 5, iss1 + 1, F_ACK | F_FIN, 1000, NULL, 0);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 6);
    send_active(PEER_ISS + 6, 0, F_RST, 0, NULL, 0);
    CHECK_EQ(cap.count, 1);
    /* 2 MSL later the record is gone. */
    advance(2 * MAMORI_TCP_MSL_MS + 10);
    tw = 0;
    for (size_t i = 0; i < MAMORI_TCP_TIMEWAIT_SLOTS; i++)
        tw += stack.tcp.tw[i].used;
    CHECK_EQ(tw, 0);
}

static void test_simultaneous(void)
{
    /* Simultaneous close: FIN-WAIT-1 + FIN -> CLOSING; ACK -> TIME-WAIT. */
    setup();
    uint32_t iss1 = establish_active(false);
    mamori_tcp_shutdown(&conn);
    send_active(PEER_ISS + 1, iss1, F_ACK | F_FIN, 1000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSING);
    send_active(PEER_ISS + 2, iss1 + 1, F_ACK, 1000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(events[MAMORI_TCP_EV_CLOSED], 1);

    /* Simultaneous open: SYN-SENT + SYN -> SYN-RECEIVED (SYN-ACK sent); ACK -> ESTABLISHED. */
    setup();
    CHECK_EQ(mamori_tcp_connect(&conn, PEER_IP, 443), MAMORI_OK);
    uint32_t iss = sent(-1).seq;
    send_active(PEER_ISS, 0, F_SYN, 5000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_SYN_RECEIVED);
    seg_t sa = sent(-1);
    CHECK_EQ(sa.flags, F_SYN | F_ACK);
    CHECK_EQ(sa.seq, iss);
    CHECK_EQ(sa.ack, PEER_ISS + 1);
    send_active(PEER_ISS, iss + 1, F_SYN | F_ACK, 5000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    CHECK_EQ(events[MAMORI_TCP_EV_CONNECTED], 1);
}

static void test_rfc5961(void)
{
    setup();
    uint32_t iss1 = establish_active(false);
    /* RST out of window: silently dropped. */
    send_active(PEER_ISS + 1 + 100000, 0, F_RST, 0, NULL, 0);
    CHECK_EQ(cap.count, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    /* RST in window but not exact: challenge ACK, connection kept. */
    send_active(PEER_ISS + 10, 0, F_RST, 0, NULL, 0);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(-1).flags, F_ACK);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 1);
    CHECK_EQ(stack.stats.tcp_challenge_acks, 1);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    /* SYN in ESTABLISHED (any sequence number): challenge ACK. */
    send_active(PEER_ISS + 50, 0, F_SYN, 1000, NULL, 0);
    CHECK_EQ(cap.count, 2);
    CHECK_EQ(stack.stats.tcp_challenge_acks, 2);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    /* ACK of data never sent: challenge ACK, dropped (RFC 5961 §5.2). */
    send_active(PEER_ISS + 1, iss1 + 5000, F_ACK, 1000, "zz", 2);
    CHECK_EQ(mamori_tcp_recv_avail(&conn), 0);
    CHECK_EQ(stack.stats.tcp_rx_drop_ack, 1);
    /* Too old an ACK (below SND.UNA - MAX.SND.WND): dropped as well. */
    send_active(PEER_ISS + 1, iss1 - 70000, F_ACK, 1000, "zz", 2);
    CHECK_EQ(mamori_tcp_recv_avail(&conn), 0);
    CHECK_EQ(stack.stats.tcp_rx_drop_ack, 2);
    /* Challenge ACKs are rate-limited per connection. */
    for (int i = 0; i < 20; i++)
        send_active(PEER_ISS + 10, 0, F_RST, 0, NULL, 0);
    CHECK(stack.stats.tcp_challenge_acks_limited > 0);
    CHECK(stack.stats.tcp_challenge_acks <= MAMORI_TCP_CHALLENGE_ACK_BURST + 1);
    /* The exact RST resets. */
    send_active(PEER_ISS + 1, 0, F_RST, 0, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(events[MAMORI_TCP_EV_ERROR], 1);
    CHECK_EQ(last_err, MAMORI_ERR_CONNRESET);
    CHECK_EQ(stack.stats.tcp_estab_resets, 1);
    CHECK_EQ(mamori_tcp_send(&conn, "x", 1), MAMORI_ERR_CONNRESET);

    /* SYN-SENT: RST with an acceptable ACK is "connection refused"; without ACK ignored. */
    setup();
    CHECK_EQ(mamori_tcp_connect(&conn, PEER_IP, 443), MAMORI_OK);
    uint32_t iss = sent(-1).seq;
    send_active(0, 0, F_RST, 0, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_SYN_SENT);
    send_active(0, iss + 7, F_RST | F_ACK, 0, NULL, 0); /* unacceptable ACK */
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_SYN_SENT);
    send_active(0, iss + 1, F_RST | F_ACK, 0, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(last_err, MAMORI_ERR_CONNREFUSED);
    CHECK_EQ(stack.stats.tcp_attempt_fails, 1);
}

static void test_reassembly(void)
{
    setup();
    uint32_t iss1 = establish_active(false);
    uint32_t base = PEER_ISS + 1;
    /* Out of order: 3rd, then 2nd segment; each draws an immediate duplicate ACK. */
    send_active(base + 20, iss1, F_ACK, 1000, "CCCCCCCCCC", 10);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(-1).ack, base);
    send_active(base + 10, iss1, F_ACK, 1000, "BBBBBBBBBB", 10);
    CHECK_EQ(cap.count, 2);
    CHECK_EQ(sent(-1).ack, base);
    CHECK_EQ(mamori_tcp_recv_avail(&conn), 0);
    CHECK_EQ(conn.ooo_count, 1); /* the two ranges merged */
    /* Overlapping retransmission covering the hole and part of the held data. */
    send_active(base, iss1, F_ACK, 1000, "AAAAAAAAAABBBBB", 15);
    CHECK_EQ(cap.count, 3); /* a filled hole is acknowledged at once */
    CHECK_EQ(sent(-1).ack, base + 30);
    CHECK_EQ(conn.ooo_count, 0);
    uint8_t buf[64];
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 30);
    CHECK_MEM(buf, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC", 30);
    /* Old duplicate: ACK, nothing delivered; partial overlap: only the new part. */
    send_active(base, iss1, F_ACK, 1000, "AAAAAAAAAA", 10);
    CHECK_EQ(sent(-1).ack, base + 30);
    send_active(base + 25, iss1, F_ACK, 1000, "CCCCCDDDDD", 10);
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 5);
    CHECK_MEM(buf, "DDDDD", 5);
    CHECK(stack.stats.tcp_rx_dup >= 2);
    CHECK(stack.stats.tcp_rx_ooo >= 2);
}

static void test_zero_window(void)
{
    setup();
    uint32_t iss1 = establish_active(false);
    uint32_t seq = PEER_ISS + 1;
    static uint8_t chunk[1024];
    memset(chunk, 'q', sizeof chunk);
    /* Fill our 4096-byte ring: the window closes. */
    for (int i = 0; i < 4; i++) {
        send_active(seq, iss1, F_ACK, 1000, chunk, sizeof chunk);
        seq += sizeof chunk;
    }
    advance(MAMORI_TCP_DELACK_MS);
    CHECK_EQ(sent(-1).wnd, 0);
    CHECK_EQ(sent(-1).ack, seq);
    /* Data beyond a zero window is not taken (its ACK still counts). */
    send_active(seq, iss1, F_ACK, 1000, chunk, 100);
    CHECK_EQ(mamori_tcp_recv_avail(&conn), 4096);
    CHECK_EQ(sent(-1).ack, seq);
    CHECK(stack.stats.tcp_rx_drop_window >= 1);
    /* Reading reopens it with a window update. */
    capture_port_clear(&cap);
    uint8_t buf[4096];
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 4096);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(-1).wnd, 4096);

    /* Our side sending into a zero window: persist probes with backoff, then flow. */
    capture_port_clear(&cap);
    send_active(seq, iss1, F_ACK, 0, NULL, 0); /* peer window 0 */
    CHECK_EQ(mamori_tcp_send(&conn, "0123456789", 10), 10);
    CHECK_EQ(cap.count, 0);
    uint32_t rto = conn.rto;
    advance(rto);
    CHECK_EQ(cap.count, 1);
    CHECK_EQ(sent(-1).len, 1);
    CHECK_EQ(sent(-1).seq, iss1);
    CHECK_EQ(stack.stats.tcp_persist_probes, 1);
    send_active(seq, iss1, F_ACK, 0, NULL, 0); /* still closed */
    advance(2 * rto - 1);
    CHECK_EQ(stack.stats.tcp_persist_probes, 1); /* backoff */
    advance(1);
    CHECK_EQ(stack.stats.tcp_persist_probes, 2);
    for (int i = 0; i < 10; i++) { /* probing goes on while the peer answers */
        advance(MAMORI_TCP_PERSIST_MAX_MS / 2);
        send_active(seq, iss1, F_ACK, 0, NULL, 0);
    }
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    uint8_t arp[64]; /* minutes passed: refresh the peer's ARP entry */
    feed(arp, build_arp(arp, 2, peer_mac, PEER_IP, our_mac, OUR_IP));
    capture_port_clear(&cap);
    send_active(seq, iss1, F_ACK, 1000, NULL, 0); /* window opens */
    CHECK(cap.count >= 1);
    seg_t d = sent(-1);
    CHECK_EQ(d.seq, iss1);
    CHECK_EQ(d.len, 10);
    send_active(seq, iss1 + 10, F_ACK, 1000, NULL, 0);
    CHECK(mamori_tcp_send_idle(&conn));
}

static void test_retransmission(void)
{
    setup();
    uint32_t iss1 = establish_active(false);
    uint32_t ack = PEER_ISS + 1;
    static uint8_t data[1460 * 4];
    memset(data, 'r', sizeof data);
    /* Initial window: 4 segments of 1460 (RFC 5681 IW for MSS 1460: 3, here 4380/1460). */
    CHECK_EQ(mamori_tcp_send(&conn, data, sizeof data), (int)sizeof data);
    size_t first_burst = cap.count;
    CHECK_EQ(first_burst, 3);
    /* Fast retransmit on the third duplicate ACK. */
    send_active(ack, iss1 + 1460, F_ACK, 60000, NULL, 0);
    size_t c0 = cap.count;
    for (int i = 0; i < 3; i++)
        send_active(ack, iss1 + 1460, F_ACK, 60000, NULL, 0);
    CHECK_EQ(stack.stats.tcp_fast_retransmits, 1);
    bool found = false;
    for (size_t i = c0; i < cap.count; i++)
        if (sent((int)i).seq == iss1 + 1460 && sent((int)i).len == 1460)
            found = true;
    CHECK(found);
    send_active(ack, iss1 + sizeof data, F_ACK, 60000, NULL, 0); /* full ACK ends recovery */
    CHECK(mamori_tcp_send_idle(&conn));
    CHECK(!(conn.flags & TF_RECOVERY));

    /* RTO with exponential backoff (RFC 6298 5.5), then giving up (user timeout). */
    mamori_tcp_set_user_timeout(&conn, 20000);
    capture_port_clear(&cap);
    CHECK_EQ(mamori_tcp_send(&conn, "x", 1), 1);
    uint32_t rto = conn.rto;
    CHECK_EQ(cap.count, 1);
    advance(rto);
    CHECK_EQ(cap.count, 2);
    CHECK_EQ(conn.rto, rto * 2);
    advance(rto * 2 - 1);
    CHECK_EQ(cap.count, 2);
    advance(1);
    CHECK_EQ(cap.count, 3);
    CHECK_EQ(stack.stats.tcp_rto_timeouts, 2);
    advance(30000);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(last_err, MAMORI_ERR_TIMEOUT);
    CHECK_EQ(stack.stats.tcp_timeout_aborts, 1);

    /* Connect timeout: SYNs with backoff, then MAMORI_ERR_TIMEOUT. */
    setup();
    CHECK_EQ(mamori_tcp_connect(&conn, PEER_IP, 443), MAMORI_OK);
    advance(MAMORI_TCP_CONNECT_TIMEOUT_MS + 10);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(last_err, MAMORI_ERR_TIMEOUT);
    CHECK(cap.count >= 4 && cap.count <= 6);
    CHECK_EQ(sent(1).flags, F_SYN);
}

static void test_keepalive_and_idle(void)
{
    setup();
    uint32_t iss1 = establish_active(false);
    (void)iss1;
    mamori_tcp_set_keepalive(&conn, 10000, 1000, 3);
    advance(10000);
    CHECK_EQ(stack.stats.tcp_keepalive_probes, 1);
    CHECK_EQ(sent(-1).seq, iss1 - 1); /* SEG.SEQ = SND.NXT - 1 */
    send_active(PEER_ISS + 1, iss1, F_ACK, 1000, NULL, 0); /* answered: idle again */
    advance(9000);
    CHECK_EQ(stack.stats.tcp_keepalive_probes, 1);
    advance(1000 + 3000 + 10);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(last_err, MAMORI_ERR_TIMEOUT);

    setup();
    establish_active(false);
    mamori_tcp_set_idle_timeout(&conn, 5000);
    advance(4999);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    advance(2);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);

    /* FIN-WAIT-2 does not last forever after close(). */
    setup();
    uint32_t iss2 = establish_active(false);
    mamori_tcp_close(&conn);
    send_active(PEER_ISS + 1, iss2 + 1, F_ACK, 1000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_FIN_WAIT_2);
    advance(MAMORI_TCP_FIN_WAIT2_MS + 1);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK(stack.tcp.conns == NULL);
}

static void test_listener_limits(void)
{
    setup();
    auto_accept = false;
    CHECK_EQ(mamori_tcp_listen(&stack, &lis, LPORT, 4), MAMORI_OK);
    mamori_tcp_listener_set_callback(&lis, on_accept, NULL);
    /* A SYN flood keeps at most 4 half-open entries; the others get SYN
     * cookies (test_tcp_syncookie.c) or, without them, the oldest give way. */
    for (uint16_t p = 1; p <= 20; p++)
        send_seg((uint16_t)(30000 + p), 5000u * p, 0, F_SYN, 1000, NULL, 0);
    int used = 0;
    for (int i = 0; i < MAMORI_TCP_BACKLOG; i++)
        used += lis.syn[i].used;
    CHECK_EQ(used, 4);
#if MAMORI_TCP_SYN_COOKIES
    CHECK_EQ(stack.stats.tcp_syncookies_sent, 16);
#else
    CHECK_EQ(stack.stats.tcp_syn_evicted, 16);
#endif
    /* The half-open entries expire after the SYN-ACK retries. */
    advance(70000);
    used = 0;
    for (int i = 0; i < MAMORI_TCP_BACKLOG; i++)
        used += lis.syn[i].used;
    CHECK_EQ(used, 0);
    CHECK_EQ(stack.stats.tcp_synack_timeouts, 4);
    /* SYN with data: the data is not acknowledged. */
    capture_port_clear(&cap);
    send_seg(31000, 7000, 0, F_SYN, 1000, "early", 5);
    CHECK_EQ(sent(-1).ack, 7001);
    CHECK_EQ(stack.stats.tcp_rx_syn_data, 1);
    /* A completed but unaccepted handshake is reset after the accept timeout. */
    send_seg(31000, 7001, sent(-1).seq + 1, F_ACK, 1000, NULL, 0);
    CHECK_EQ(stack.stats.tcp_passive_opens, 1);
    advance(MAMORI_TCP_ACCEPT_TIMEOUT_MS + 1);
    CHECK_EQ(sent(-1).flags, F_RST);
    CHECK_EQ(stack.stats.tcp_accept_timeouts, 1);
    /* An ACK to the listener with no entry draws a RST <SEQ=SEG.ACK>. */
    send_seg(31001, 1, 777, F_ACK, 1000, NULL, 0);
    CHECK_EQ(sent(-1).flags, F_RST);
    CHECK_EQ(sent(-1).seq, 777);
    mamori_tcp_unlisten(&lis);
}

static void test_closed_port_and_isn(void)
{
    setup();
    /* RFC 9293 §3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> for a SYN. */
    send_seg(1234, 5555, 0, F_SYN, 1000, NULL, 0);
    seg_t r = sent(-1);
    CHECK_EQ(r.flags, F_RST | F_ACK);
    CHECK_EQ(r.seq, 0);
    CHECK_EQ(r.ack, 5556);
    CHECK_EQ(stack.stats.tcp_out_rsts, 1);
    /* Never a RST for a RST; rate limited; and switchable off. */
    capture_port_clear(&cap);
    send_seg(1234, 5555, 0, F_RST, 0, NULL, 0);
    CHECK_EQ(cap.count, 0);
    for (int i = 0; i < 200; i++)
        send_seg(1234, 5555, 1, F_ACK, 0, NULL, 0);
    CHECK(cap.count <= MAMORI_TCP_RST_BURST);
    CHECK(stack.stats.tcp_rst_limited > 0);
    capture_port_clear(&cap);
    now += 10000;
    mamori_tcp_set_rst_closed(&stack, false);
    uint32_t rsts = stack.stats.tcp_out_rsts;
    send_seg(1234, 5555, 0, F_SYN, 1000, NULL, 0);
    CHECK_EQ(stack.stats.tcp_out_rsts, rsts);
    /* ISNs differ per 4-tuple and are not predictable from the clock alone. */
    uint32_t i1 = mamori_tcp_isn(&stack, 1, PEER_IP, 2);
    uint32_t i2 = mamori_tcp_isn(&stack, 1, PEER_IP, 3);
    CHECK(i1 != i2);
}

static void test_bad_input(void)
{
    setup();
    uint32_t iss1 = establish_passive();
    uint8_t f[1600];
    uint32_t seq = PEER_ISS + 1;
    uint32_t drops = stack.stats.tcp_in_errs;
    /* Data offset below 5 and beyond the segment. */
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_ACK, 1000, NULL, 0, "abcd", 4, 4, 0));
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_ACK, 1000, NULL, 0, "abcd", 4, 15, 0));
    CHECK_EQ(stack.stats.tcp_rx_drop_offset, 2);
    /* Option lengths 0, 1 and overrunning the header. */
    const uint8_t o0[] = {2, 0, 0, 0}, o1[] = {8, 1, 0, 0}, o2[] = {1, 1, 8, 10};
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_ACK, 1000, o0, 4, "abcd", 4, 0, 0));
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_ACK, 1000, o1, 4, "abcd", 4, 0, 0));
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_ACK, 1000, o2, 4, "abcd", 4, 0, 0));
    CHECK_EQ(stack.stats.tcp_rx_drop_options, 3);
    /* Impossible flag combinations. */
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_SYN | F_FIN | F_ACK, 1000, NULL, 0, NULL, 0, 0, 0));
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_SYN | F_RST, 1000, NULL, 0, NULL, 0, 0, 0));
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, 0, 1000, NULL, 0, NULL, 0, 0, 0));
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_FIN, 1000, NULL, 0, NULL, 0, 0, 0));
    CHECK_EQ(stack.stats.tcp_rx_drop_flags, 4);
    /* Bad checksum. */
    size_t n = build_tcp_raw(f, PEER_PORT, seq, iss1, F_ACK, 1000, NULL, 0, "abcd", 4, 0, 0);
    f[n - 1] ^= 1;
    feed(f, n);
    CHECK_EQ(stack.stats.tcp_rx_drop_checksum, 1);
    CHECK_EQ(stack.stats.tcp_in_errs, drops + 10);
    CHECK_EQ(mamori_tcp_recv_avail(&conn), 0);
    /* Urgent pointer far beyond the segment: the pointer is ignored, data delivered inline. */
    feed(f, build_tcp_raw(f, PEER_PORT, seq, iss1, F_ACK | F_URG, 1000, NULL, 0, "abcd", 4, 0, 60000));
    CHECK_EQ(stack.stats.tcp_rx_urgent, 1);
    CHECK_EQ(mamori_tcp_recv_avail(&conn), 4);
    /* Truncated header. */
    uint8_t shortseg[10] = {0};
    feed(f, build_ip4(f, our_mac, peer_mac, PEER_IP, OUR_IP, 6, 1, 0x4000, shortseg, sizeof shortseg));
    CHECK_EQ(stack.stats.tcp_rx_drop_short, 1);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    /* Closing with unread data resets the connection (RFC 2525 §2.17). */
    capture_port_clear(&cap);
    mamori_tcp_close(&conn);
    CHECK_EQ(sent(-1).flags, F_RST | F_ACK);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    mamori_tcp_unlisten(&lis);
}

static void test_more_transitions(void)
{
    /* FIN-WAIT-1 + FIN acknowledging ours -> TIME-WAIT at once. */
    setup();
    uint32_t iss1 = establish_active(false);
    mamori_tcp_shutdown(&conn);
    send_active(PEER_ISS + 1, iss1 + 1, F_ACK | F_FIN, 1000, NULL, 0);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(events[MAMORI_TCP_EV_CLOSED], 1);
    CHECK_EQ(sent(-1).ack, PEER_ISS + 2);

    /* Data arriving after close() is answered with RST (RFC 1122 §4.2.2.13). */
    setup();
    iss1 = establish_active(false);
    mamori_tcp_close(&conn);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_FIN_WAIT_1);
    send_active(PEER_ISS + 1, iss1 + 1, F_ACK, 1000, "more", 4);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
    CHECK_EQ(sent(-1).flags, F_RST | F_ACK);
    CHECK_EQ(stack.stats.tcp_rx_drop_after_close, 1);

    /* A send that fills the ring is followed by EV_WRITABLE once data is acknowledged. */
    setup();
    iss1 = establish_active(false);
    static uint8_t fill[sizeof txbuf];
    CHECK_EQ(mamori_tcp_send(&conn, fill, sizeof fill), (int)sizeof fill);
    CHECK_EQ(mamori_tcp_send_space(&conn), 0);
    CHECK_EQ(mamori_tcp_send(&conn, fill, 1), MAMORI_ERR_WOULDBLOCK);
    send_active(PEER_ISS + 1, iss1 + 1460, F_ACK, 60000, NULL, 0);
    CHECK_EQ(events[MAMORI_TCP_EV_WRITABLE], 1);
    CHECK_EQ(mamori_tcp_send_space(&conn), 1460);

    /* Listener: an exact RST removes a half-open entry; a new SYN from the
     * same port with another ISN replaces a stale one. */
    setup();
    auto_accept = false;
    CHECK_EQ(mamori_tcp_listen(&stack, &lis, LPORT, 4), MAMORI_OK);
    send_seg(PEER_PORT, 100, 0, F_SYN, 1000, NULL, 0);
    CHECK_EQ(lis.syn[0].used, 1);
    send_seg(PEER_PORT, 500, 0, F_RST, 0, NULL, 0); /* not exact: ignored */
    CHECK_EQ(lis.syn[0].used, 1);
    send_seg(PEER_PORT, 101, 0, F_RST, 0, NULL, 0);
    CHECK_EQ(lis.syn[0].used, 0);
    send_seg(PEER_PORT, 100, 0, F_SYN, 1000, NULL, 0);
    send_seg(PEER_PORT, 90000, 0, F_SYN, 1000, NULL, 0);
    int used = 0;
    for (int i = 0; i < MAMORI_TCP_BACKLOG; i++)
        used += lis.syn[i].used;
    CHECK_EQ(used, 1);
    CHECK_EQ(sent(-1).ack, 90001);
    mamori_tcp_unlisten(&lis);
    CHECK_EQ(sent(-1).flags, F_RST);
}

int main(void)
{
    test_passive_open_and_data();
    test_active_open_close();
    test_simultaneous();
    test_rfc5961();
    test_reassembly();
    test_zero_window();
    test_retransmission();
    test_keepalive_and_idle();
    test_listener_limits();
    test_closed_port_and_isn();
    test_bad_input();
    test_more_transitions();
    return check_summary("tcp");
}
