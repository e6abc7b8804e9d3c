/*
 * SYN cookies (RFC 4987 §3.6) against hand-built segments: a full SYN cache
 * answers with a cookie and stays as it is; the returning ACK restores the
 * peer's MSS (rounded down to the cookie's table) and becomes a connection
 * that carries data; a wrong ACK, an altered 4-tuple or peer sequence
 * number and an expired time slot are rejected and counted; the previous
 * time slot is still accepted, also across the wrap of the millisecond
 * clock. With MAMORI_TCP_SYN_COOKIES=0 the oldest half-open entry gives way
 * instead.
 */
#include <string.h>

#include "capture_port.h"
#include "check.h"
#include "mamori/mamori.h"
#include "mamori/tcp.h"
#include "net/tcp_internal.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)
#define OTHER_IP MAMORI_IP4(198, 18, 0, 3)
#define LPORT 7
#define BACKLOG 2
#define SLOT_MS 65536u

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static uint32_t now;
static mamori_tcp_listener_t lis;
static mamori_tcp_t conn;
static uint8_t rxbuf[4096], txbuf[4096];
static bool auto_accept;
static int accepted;

typedef sent_tcp_t seg_t;

/* Feeds a segment from src:sport to our LPORT; mss 0: no option; full: MSS,
 * SACK-permitted, timestamps and window scale, as Linux sends them. */
static void feed(uint32_t src, uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t mss, bool full,
                 const char *data)
{
    uint8_t seg[200], f[300];
    size_t len = data ? strlen(data) : 0, o = 20;
    memset(seg, 0, sizeof seg);
    test_put16(seg, sport);
    test_put16(seg + 2, LPORT);
    test_put32(seg + 4, seq);
    test_put32(seg + 8, ack);
    seg[13] = flags;
    test_put16(seg + 14, 64240);
    if (mss) {
        seg[o] = 2;
        seg[o + 1] = 4;
        test_put16(seg + o + 2, mss);
        o += 4;
    }
    if (full) {
        static const uint8_t opts[16] = {4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
        memcpy(seg + o, opts, sizeof opts);
        o += sizeof opts;
    }
    seg[12] = (uint8_t)(o / 4 << 4);
    memcpy(seg + o, data ? data : "", len);
    size_t n = o + len;
    capture_port_queue_rx(&cap, f, build_tcp(f, our_mac, peer_mac, src, OUR_IP, seg, n));
    mamori_poll(&stack, now);
}

/* The last frame sent, parsed as TCP. */
static seg_t last(void) { return capture_tcp(&cap, -1); }

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    if (auto_accept && mamori_tcp_accept(l, &conn) == MAMORI_OK)
        accepted++;
}

/* Moves the clock (timers run) and refreshes the peers' ARP entries. */
static void at(uint32_t t)
{
    now = t;
    mamori_poll(&stack, now);
    uint8_t f[64];
    capture_port_queue_rx(&cap, f, build_arp(f, 1, peer_mac, PEER_IP, (const uint8_t[6]){0}, OUR_IP));
    capture_port_queue_rx(&cap, f, build_arp(f, 1, peer_mac, OTHER_IP, (const uint8_t[6]){0}, OUR_IP));
    mamori_poll(&stack, now);
    capture_port_clear(&cap);
}

static void setup(void)
{
    capture_port_init(&cap, &port, 11);
    CHECK_EQ(mamori_stack_init(&stack, &port, our_mac, 1000), MAMORI_OK);
    CHECK_EQ(mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, false), MAMORI_OK);
    at(1000);
    auto_accept = true;
    accepted = 0;
    CHECK_EQ(mamori_tcp_listen(&stack, &lis, LPORT, BACKLOG), MAMORI_OK);
    mamori_tcp_listener_set_callback(&lis, on_accept, NULL);
    CHECK_EQ(mamori_tcp_open(&stack, &conn, rxbuf, sizeof rxbuf, txbuf, sizeof txbuf), MAMORI_OK);
}

static int cache_used(void)
{
    int used = 0;
    for (int i = 0; i < MAMORI_TCP_BACKLOG; i++)
        used += lis.syn[i].used;
    return used;
}

/* Half-open entries from a flood filling the SYN cache. */
static void fill_cache(uint16_t first_port)
{
    for (uint16_t p = 0; p < BACKLOG; p++)
        feed(PEER_IP, (uint16_t)(first_port + p), 7000u * p, 0, F_SYN, 0, false, NULL);
    CHECK_EQ(cache_used(), BACKLOG);
}

#if MAMORI_TCP_SYN_COOKIES

/* A SYN while the cache is full: returns the cookie (our ISS). */
static uint32_t syn_for_cookie(uint32_t src, uint16_t sport, uint32_t seq, uint16_t mss, bool full)
{
    uint32_t sent = stack.stats.tcp_syncookies_sent;
    capture_port_clear(&cap);
    feed(src, sport, seq, 0, F_SYN, mss, full, NULL);
    seg_t sa = last();
    CHECK_EQ(sa.flags, F_SYN | F_ACK);
    CHECK_EQ(sa.ack, seq + 1);
    CHECK_EQ(sa.dport, sport);
    CHECK_EQ(stack.stats.tcp_syncookies_sent, sent + 1);
    return sa.seq;
}

static void test_cache_full_answers_with_cookie(void)
{
    setup();
    fill_cache(20000);
    CHECK_EQ(stack.stats.tcp_syncookies_sent, 0); /* room in the cache: no cookie */
    uint8_t before[sizeof lis.syn];
    memcpy(before, lis.syn, sizeof before);
    uint32_t cookie = syn_for_cookie(PEER_IP, 40000, 123456, 1460, true);
    /* Nothing kept, nothing evicted; only MSS offered (RFC 4987 §3.6). */
    CHECK_MEM(lis.syn, before, sizeof before);
    CHECK_EQ(stack.stats.tcp_syn_evicted, 0);
    seg_t sa = last();
    CHECK_EQ(sa.mss, MAMORI_MTU - 40);
    CHECK(sa.wscale < 0 && !sa.ts && !sa.sack_ok);
    /* A retransmitted SYN gets the same cookie in the same time slot. */
    at(now + 500);
    CHECK_EQ(syn_for_cookie(PEER_IP, 40000, 123456, 1460, true), cookie);
    /* A cache of completed, unaccepted handshakes drops new SYNs: a cookie
     * could not become a connection either. */
    setup();
    auto_accept = false;
    for (uint16_t p = 0; p < BACKLOG; p++) {
        capture_port_clear(&cap);
        feed(PEER_IP, (uint16_t)(21000 + p), 100, 0, F_SYN, 1460, false, NULL);
        feed(PEER_IP, (uint16_t)(21000 + p), 101, last().seq + 1, F_ACK, 0, false, NULL);
    }
    CHECK_EQ(stack.stats.tcp_passive_opens, BACKLOG);
    capture_port_clear(&cap);
    feed(PEER_IP, 21100, 100, 0, F_SYN, 1460, false, NULL);
    CHECK_EQ(cap.count, 0);
    CHECK_EQ(stack.stats.tcp_rx_drop_backlog, 1);
    CHECK_EQ(stack.stats.tcp_syncookies_sent, 0);
}

/* Completes a handshake from a cookie and checks the connection's MSS. */
static void mss_round_trip(uint16_t sport, uint16_t peer_mss, uint16_t want)
{
    uint32_t cookie = syn_for_cookie(PEER_IP, sport, 5000, peer_mss, false);
    int before = accepted;
    feed(PEER_IP, sport, 5001, cookie + 1, F_ACK, 0, false, NULL);
    CHECK_EQ(accepted, before + 1);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    CHECK_EQ(conn.mss, want);
    mamori_tcp_abort(&conn);
    CHECK_EQ(mamori_tcp_open(&stack, &conn, rxbuf, sizeof rxbuf, txbuf, sizeof txbuf), MAMORI_OK);
}

static void test_mss_round_trip(void)
{
    setup();
    static const uint16_t cases[][2] = {{1460, 1460}, {9000, 1460}, {1452, 1440}, {1400, 1400}, {1380, 1360},
                                        {1300, 1220}, {1200, 1024}, {600, 536},   {0, 536},     {100, 64}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fill_cache((uint16_t)(30000 + 10 * i)); /* the previous round's ACK evicted one entry */
        mss_round_trip((uint16_t)(41000 + i), cases[i][0], cases[i][1]);
    }
    CHECK_EQ(stack.stats.tcp_syncookies_accepted, sizeof cases / sizeof cases[0]);
    CHECK_EQ(stack.stats.tcp_syncookies_rejected, 0);
}

static void test_connection_from_cookie(void)
{
    setup();
    fill_cache(20000);
    uint32_t cookie = syn_for_cookie(PEER_IP, 40001, 900000, 1460, true);
    /* The first data segment may complete the handshake (the ACK was lost). */
    feed(PEER_IP, 40001, 900001, cookie + 1, F_ACK | F_PSH, 0, false, "hello");
    CHECK_EQ(accepted, 1);
    CHECK_EQ(stack.stats.tcp_syncookies_accepted, 1);
    CHECK_EQ(stack.stats.tcp_syn_evicted, 1); /* a half-open flood entry gave way */
    CHECK_EQ(cache_used(), BACKLOG - 1);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_ESTABLISHED);
    CHECK(!(conn.flags & (TF_WS | TF_TS)) && conn.snd_wscale == 0 && conn.rcv_wscale == 0);
    uint8_t buf[16];
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 5);
    CHECK_MEM(buf, "hello", 5);
    capture_port_clear(&cap);
    CHECK_EQ(mamori_tcp_send(&conn, "world", 5), 5);
    seg_t d = last();
    CHECK_EQ(d.seq, cookie + 1);
    CHECK_EQ(d.ack, 900006);
    CHECK_EQ(d.len, 5);
    CHECK_MEM(d.data, "world", 5);
    CHECK(!d.ts);
    feed(PEER_IP, 40001, 900006, cookie + 6, F_ACK | F_FIN, 0, false, NULL);
    CHECK(mamori_tcp_send_idle(&conn));
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSE_WAIT);
    CHECK_EQ(mamori_tcp_recv(&conn, buf, sizeof buf), 0);
    mamori_tcp_close(&conn);
    feed(PEER_IP, 40001, 900007, cookie + 7, F_ACK, 0, false, NULL);
    CHECK_EQ(mamori_tcp_state(&conn), MAMORI_TCP_CLOSED);
}

/* An ACK that must not complete a handshake: rejected, counted, and
 * answered with the usual LISTEN RST <SEQ=SEG.ACK>. */
static void reject(uint32_t src, uint16_t sport, uint32_t seq, uint32_t ack)
{
    uint32_t rejected = stack.stats.tcp_syncookies_rejected;
    capture_port_clear(&cap);
    feed(src, sport, seq, ack, F_ACK, 0, false, NULL);
    CHECK_EQ(stack.stats.tcp_syncookies_rejected, rejected + 1);
    CHECK_EQ(last().flags, F_RST);
    CHECK_EQ(last().seq, ack);
    CHECK_EQ(accepted, 0);
}

static void test_rejects(void)
{
    setup();
    fill_cache(20000);
    uint32_t cookie = syn_for_cookie(PEER_IP, 40002, 777, 1460, false);
    reject(PEER_IP, 40002, 778, cookie + 2);         /* wrong ACK */
    reject(PEER_IP, 40002, 778, cookie ^ 0x08000000u); /* MSS bits changed */
    reject(PEER_IP, 40003, 778, cookie + 1);         /* other port */
    reject(OTHER_IP, 40002, 778, cookie + 1);        /* other address */
    reject(PEER_IP, 40002, 779, cookie + 1);         /* other peer ISS */
    CHECK_EQ(stack.stats.tcp_syncookies_accepted, 0);
    /* The previous time slot is accepted: a SYN at the start of one slot,
     * its ACK at the end of the next (131 s later). */
    at(2 * SLOT_MS + 10);
    fill_cache(20100);
    cookie = syn_for_cookie(PEER_IP, 40004, 1000, 1460, false);
    at(4 * SLOT_MS - 20);
    feed(PEER_IP, 40004, 1001, cookie + 1, F_ACK, 0, false, NULL);
    CHECK_EQ(accepted, 1);
    mamori_tcp_abort(&conn);
    CHECK_EQ(mamori_tcp_open(&stack, &conn, rxbuf, sizeof rxbuf, txbuf, sizeof txbuf), MAMORI_OK);
    at(now + 40000); /* the half-open entries expire */
    accepted = 0;
    /* Two slots later it has expired, even though newer cookies are out. */
    fill_cache(20200);
    cookie = syn_for_cookie(PEER_IP, 40005, 2000, 1460, false);
    at(now + 2 * SLOT_MS);
    fill_cache(20300);
    (void)syn_for_cookie(PEER_IP, 40006, 3000, 1460, false);
    reject(PEER_IP, 40005, 2001, cookie + 1);
    CHECK_EQ(stack.stats.tcp_syncookies_accepted, 1);
    /* Once no cookie has gone out for their lifetime, an ACK is checked as
     * a plain ACK in LISTEN: RST, no cookie counted. */
    at(now + 2 * SLOT_MS);
    uint32_t rejected = stack.stats.tcp_syncookies_rejected;
    capture_port_clear(&cap);
    feed(PEER_IP, 40005, 2001, cookie + 1, F_ACK, 0, false, NULL);
    CHECK_EQ(last().flags, F_RST);
    CHECK_EQ(stack.stats.tcp_syncookies_rejected, rejected);
}

/* A cookie sent just before the 32-bit millisecond clock wraps is accepted
 * just after it. */
static void test_clock_wrap(void)
{
    setup();
    for (uint32_t t = 0x40000000u; t; t += 0x40000000u)
        at(t); /* steps below 2^31: every timer stays comparable */
    at(0u - 1000u);
    fill_cache(20000);
    uint32_t cookie = syn_for_cookie(PEER_IP, 40007, 1500, 1460, false);
    at(1000);
    feed(PEER_IP, 40007, 1501, cookie + 1, F_ACK, 0, false, NULL);
    CHECK_EQ(accepted, 1);
    CHECK_EQ(stack.stats.tcp_syncookies_rejected, 0);
}

#else

static void test_without_cookies(void)
{
    setup();
    fill_cache(20000);
    capture_port_clear(&cap);
    feed(PEER_IP, 40000, 123456, 0, F_SYN, 1460, true, NULL);
    CHECK_EQ(last().flags, F_SYN | F_ACK);
    CHECK_EQ(stack.stats.tcp_syn_evicted, 1); /* the oldest half-open entry gave way */
    CHECK_EQ(cache_used(), BACKLOG);
    feed(PEER_IP, 40000, 123457, last().seq + 1, F_ACK, 0, false, NULL);
    CHECK_EQ(accepted, 1);
}

#endif

int main(void)
{
#if MAMORI_TCP_SYN_COOKIES
    test_cache_full_answers_with_cookie();
    test_mss_round_trip();
    test_connection_from_cookie();
    test_rejects();
    test_clock_wrap();
#else
    test_without_cookies();
#endif
    return check_summary("tcp_syncookie");
}
