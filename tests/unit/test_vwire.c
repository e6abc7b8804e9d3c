#include "check.h"
#include "mamori/error.h"
#include "posix/vwire.h"

#include <stdlib.h>
#include <string.h>

/* Wires hold megabytes of queue: static storage, reused by each test. */
static mamori_vwire_t wire, wire2;

#define TEST_FRAME_LEN 100

/* Test frames carry their sequence number in the source MAC, which the wire
 * never corrupts, and a payload derived from it, so the receiver can tell
 * exactly what happened to each copy. */
static void make_frame(uint8_t *f, uint32_t seq)
{
    memset(f, 0xff, 6);
    f[6] = 0x02;
    f[7] = 0;
    f[8] = (uint8_t)(seq >> 24);
    f[9] = (uint8_t)(seq >> 16);
    f[10] = (uint8_t)(seq >> 8);
    f[11] = (uint8_t)seq;
    f[12] = 0x08; /* IPv4: the only frames the wire corrupts */
    f[13] = 0x00;
    for (size_t i = 14; i < TEST_FRAME_LEN; i++)
        f[i] = (uint8_t)(seq * 31u + i);
    f[14] = 0x45;
    f[16] = 0;
    f[17] = TEST_FRAME_LEN - 14; /* total length: the whole rest of the frame */
}

static uint32_t frame_seq(const uint8_t *f)
{
    return (uint32_t)f[8] << 24 | (uint32_t)f[9] << 16 | (uint32_t)f[10] << 8 | f[11];
}

static unsigned bits_differing(const uint8_t *a, const uint8_t *b, size_t n)
{
    unsigned count = 0;
    for (size_t i = 0; i < n; i++)
        for (uint8_t x = a[i] ^ b[i]; x; x &= (uint8_t)(x - 1))
            count++;
    return count;
}

/* True when observed is within tolerance_permille (of the frame count) of
 * the expected per-mille rate applied to trials. */
static int near_rate(uint32_t observed, uint32_t trials, unsigned permille, unsigned tolerance_permille)
{
    long expected = (long)trials * (long)permille / 1000;
    long slack = (long)trials * (long)tolerance_permille / 1000;
    return labs((long)observed - expected) <= slack;
}

typedef struct {
    uint32_t delivered, corrupted_seen, overtaken, max_seq;
    uint32_t times_seen[20000];
    int any_delivered;
} observed_t;

static observed_t obs;

static void drain(const mamori_port_t *rx)
{
    uint8_t buf[MAMORI_VWIRE_FRAME_MAX], expect[TEST_FRAME_LEN];
    int n;
    while ((n = rx->recv_frame(rx->ctx, buf, sizeof buf)) > 0) {
        CHECK_EQ(n, TEST_FRAME_LEN);
        uint32_t seq = frame_seq(buf);
        make_frame(expect, seq);
        unsigned flipped = bits_differing(buf, expect, TEST_FRAME_LEN);
        CHECK(flipped <= 1);
        CHECK_MEM(buf, expect, 14); /* never the Ethernet header */
        obs.corrupted_seen += flipped;
        if (seq < sizeof obs.times_seen / sizeof obs.times_seen[0])
            obs.times_seen[seq]++;
        if (obs.any_delivered && seq < obs.max_seq)
            obs.overtaken++;
        if (!obs.any_delivered || seq > obs.max_seq)
            obs.max_seq = seq;
        obs.any_delivered = 1;
        obs.delivered++;
    }
    CHECK_EQ(n, 0);
}

/* Sends count frames from tx, per_ms of them per simulated millisecond,
 * draining rx as time passes and until the wire is empty. */
static void run_one_way(const mamori_port_t *tx, const mamori_port_t *rx, uint32_t count, uint32_t per_ms)
{
    uint8_t f[TEST_FRAME_LEN];
    uint32_t now = 0;
    memset(&obs, 0, sizeof obs);
    for (uint32_t seq = 0; seq < count; seq++) {
        if (seq % per_ms == 0) {
            mamori_vwire_set_time(&wire, ++now);
            drain(rx);
        }
        make_frame(f, seq);
        CHECK_EQ(tx->send_frame(tx->ctx, f, sizeof f), MAMORI_OK);
    }
    for (uint32_t wait; (wait = mamori_vwire_next_delivery(&wire, now)) != UINT32_MAX;) {
        now += wait;
        mamori_vwire_set_time(&wire, now);
        drain(rx);
    }
}

static void test_impairment_rates(void)
{
    const mamori_impair_t impair = {.loss_permille = 100,
                                    .dup_permille = 50,
                                    .reorder_permille = 100,
                                    .corrupt_permille = 50,
                                    .delay_min_ms = 1,
                                    .delay_max_ms = 5};
    mamori_port_t a, b;
    const uint32_t frames = 20000;
    CHECK_EQ(mamori_vwire_init(&wire, 42, &impair), MAMORI_OK);
    CHECK_EQ(mamori_vwire_attach(&wire, &a), 0);
    CHECK_EQ(mamori_vwire_attach(&wire, &b), 1);
    run_one_way(&a, &b, frames, 1);

    const mamori_vwire_counters_t *ca = mamori_vwire_counters(&wire, 0);
    const mamori_vwire_counters_t *cb = mamori_vwire_counters(&wire, 1);
    CHECK_EQ(ca->sent, frames);
    CHECK_EQ(ca->delivered, 0); /* the sender never hears itself */
    CHECK_EQ(cb->overflowed, 0);
    /* Tolerances are about 5 standard deviations for these counts. */
    CHECK(near_rate(cb->lost, frames, 100, 11));
    CHECK(near_rate(cb->duplicated, frames - cb->lost, 50, 8));
    uint32_t copies = frames - cb->lost + cb->duplicated;
    CHECK(near_rate(cb->reordered, copies, 100, 11));
    CHECK(near_rate(cb->corrupted, copies, 50, 8));

    /* What the receiver saw agrees with the counters. */
    CHECK_EQ(cb->delivered, copies);
    CHECK_EQ(obs.delivered, copies);
    CHECK_EQ(obs.corrupted_seen, cb->corrupted);
    uint32_t missing = 0, twice = 0;
    for (uint32_t s = 0; s < frames; s++) {
        CHECK(obs.times_seen[s] <= 2);
        missing += obs.times_seen[s] == 0;
        twice += obs.times_seen[s] == 2;
    }
    CHECK_EQ(missing, cb->lost);
    CHECK_EQ(twice, cb->duplicated);
    CHECK(obs.overtaken > cb->reordered / 2);
}

static void test_reordering_overtakes(void)
{
    /* With no delay, only reordered copies can arrive after a later frame,
     * and with several frames per millisecond nearly all of them are (the
     * exception: held back 1 ms, the last frame of a millisecond ties with
     * the next millisecond's frames and ties go in send order). */
    const mamori_impair_t impair = {.reorder_permille = 200};
    mamori_port_t a, b;
    CHECK_EQ(mamori_vwire_init(&wire, 7, &impair), MAMORI_OK);
    mamori_vwire_attach(&wire, &a);
    mamori_vwire_attach(&wire, &b);
    run_one_way(&a, &b, 5000, 4);
    const mamori_vwire_counters_t *cb = mamori_vwire_counters(&wire, 1);
    CHECK(near_rate(cb->reordered, 5000, 200, 28));
    CHECK(obs.overtaken <= cb->reordered);
    CHECK(obs.overtaken * 100 >= cb->reordered * 95);
    CHECK_EQ(obs.delivered, 5000);
}

static void test_delay_honoured(void)
{
    const mamori_impair_t impair = {.delay_min_ms = 30, .delay_max_ms = 50};
    mamori_port_t a, b;
    uint8_t f[TEST_FRAME_LEN], buf[MAMORI_VWIRE_FRAME_MAX];
    CHECK_EQ(mamori_vwire_init(&wire, 99, &impair), MAMORI_OK);
    mamori_vwire_attach(&wire, &a);
    mamori_vwire_attach(&wire, &b);
    CHECK_EQ(mamori_vwire_next_delivery(&wire, 0), UINT32_MAX);

    uint32_t shortest = UINT32_MAX, longest = 0;
    for (uint32_t seq = 0; seq < 500; seq++) {
        uint32_t sent_at = 1000 + seq * 100;
        mamori_vwire_set_time(&wire, sent_at);
        CHECK_EQ(a.now_ms(a.ctx), sent_at);
        make_frame(f, seq);
        CHECK_EQ(a.send_frame(a.ctx, f, sizeof f), MAMORI_OK);
        uint32_t wait = mamori_vwire_next_delivery(&wire, sent_at);
        CHECK(wait >= 30 && wait <= 50);
        mamori_vwire_set_time(&wire, sent_at + wait - 1);
        CHECK_EQ(b.recv_frame(b.ctx, buf, sizeof buf), 0); /* not a millisecond early */
        CHECK_EQ(mamori_vwire_next_delivery(&wire, sent_at + wait - 1), 1);
        mamori_vwire_set_time(&wire, sent_at + wait);
        CHECK_EQ(b.recv_frame(b.ctx, buf, sizeof buf), TEST_FRAME_LEN);
        CHECK_MEM(buf, f, TEST_FRAME_LEN);
        shortest = wait < shortest ? wait : shortest;
        longest = wait > longest ? wait : longest;
    }
    CHECK(shortest <= 32);
    CHECK(longest >= 48);
    CHECK_EQ(mamori_vwire_next_delivery(&wire, 0), UINT32_MAX);
}

static void test_queue_overflow_and_limits(void)
{
    mamori_port_t a, b;
    uint8_t f[TEST_FRAME_LEN], buf[MAMORI_VWIRE_FRAME_MAX + 1];
    CHECK_EQ(mamori_vwire_init(&wire, 1, NULL), MAMORI_OK);
    mamori_vwire_attach(&wire, &a);
    mamori_vwire_attach(&wire, &b);
    for (uint32_t seq = 0; seq < MAMORI_VWIRE_QUEUE_FRAMES + 44; seq++) {
        make_frame(f, seq);
        CHECK_EQ(a.send_frame(a.ctx, f, sizeof f), MAMORI_OK);
    }
    const mamori_vwire_counters_t *cb = mamori_vwire_counters(&wire, 1);
    CHECK_EQ(cb->overflowed, 44);
    uint32_t got = 0;
    while (b.recv_frame(b.ctx, buf, sizeof buf) > 0) {
        CHECK_EQ(frame_seq(buf), got); /* a perfect wire keeps order */
        got++;
    }
    CHECK_EQ(got, MAMORI_VWIRE_QUEUE_FRAMES);
    CHECK_EQ(cb->delivered, MAMORI_VWIRE_QUEUE_FRAMES);

    /* Too short, too long, and a receive buffer that is too small. */
    CHECK_EQ(a.send_frame(a.ctx, f, 13), MAMORI_ERR_INVAL);
    CHECK_EQ(a.send_frame(a.ctx, buf, MAMORI_VWIRE_FRAME_MAX + 1), MAMORI_ERR_MSGSIZE);
    CHECK_EQ(a.send_frame(a.ctx, f, sizeof f), MAMORI_OK);
    CHECK_EQ(b.recv_frame(b.ctx, buf, TEST_FRAME_LEN - 1), MAMORI_ERR_BUFSIZE);
    CHECK_EQ(cb->oversized, 1);
    CHECK_EQ(b.recv_frame(b.ctx, buf, sizeof buf), 0); /* the oversize frame is gone */

    /* Attach limit and bad impairments. */
    for (int i = 2; i < MAMORI_VWIRE_MAX_ENDPOINTS; i++)
        CHECK_EQ(mamori_vwire_attach(&wire, &b), i);
    CHECK_EQ(mamori_vwire_attach(&wire, &b), MAMORI_ERR_LIMIT);
    CHECK(mamori_vwire_counters(&wire, MAMORI_VWIRE_MAX_ENDPOINTS) == NULL);
    CHECK(mamori_vwire_counters(&wire, -1) == NULL);
    mamori_impair_t bad = {.loss_permille = 1001};
    CHECK_EQ(mamori_vwire_init(&wire, 1, &bad), MAMORI_ERR_INVAL);
    bad = (mamori_impair_t){.delay_min_ms = 10, .delay_max_ms = 9};
    CHECK_EQ(mamori_vwire_init(&wire, 1, &bad), MAMORI_ERR_INVAL);
    bad = (mamori_impair_t){.delay_max_ms = UINT32_MAX};
    CHECK_EQ(mamori_vwire_set_impair(&wire, &bad), MAMORI_ERR_INVAL);
}

static void test_hub_broadcast(void)
{
    mamori_port_t p[3];
    uint8_t f[TEST_FRAME_LEN], buf[MAMORI_VWIRE_FRAME_MAX];
    CHECK_EQ(mamori_vwire_init(&wire, 5, NULL), MAMORI_OK);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(mamori_vwire_attach(&wire, &p[i]), i);
    make_frame(f, 77);
    CHECK_EQ(p[1].send_frame(p[1].ctx, f, sizeof f), MAMORI_OK);
    CHECK_EQ(p[0].recv_frame(p[0].ctx, buf, sizeof buf), TEST_FRAME_LEN);
    CHECK_MEM(buf, f, TEST_FRAME_LEN);
    CHECK_EQ(p[1].recv_frame(p[1].ctx, buf, sizeof buf), 0);
    CHECK_EQ(p[2].recv_frame(p[2].ctx, buf, sizeof buf), TEST_FRAME_LEN);
    CHECK_MEM(buf, f, TEST_FRAME_LEN);
}

/* Corruption models an error that escaped the FCS in an IPv4 datagram: ARP
 * frames and Ethernet padding are never touched. */
static void test_corruption_scope(void)
{
    mamori_port_t p[2];
    uint8_t f[TEST_FRAME_LEN], buf[MAMORI_VWIRE_FRAME_MAX];
    const mamori_impair_t always = {.corrupt_permille = 1000};
    CHECK_EQ(mamori_vwire_init(&wire, 9, &always), MAMORI_OK);
    mamori_vwire_attach(&wire, &p[0]);
    mamori_vwire_attach(&wire, &p[1]);
    make_frame(f, 5);
    f[12] = 0x08;
    f[13] = 0x06; /* ARP */
    for (int i = 0; i < 50; i++) {
        p[0].send_frame(p[0].ctx, f, sizeof f);
        CHECK_EQ(p[1].recv_frame(p[1].ctx, buf, sizeof buf), TEST_FRAME_LEN);
        CHECK_MEM(buf, f, TEST_FRAME_LEN);
    }
    make_frame(f, 6);
    f[17] = 40; /* a 40-byte datagram followed by padding */
    for (int i = 0; i < 50; i++) {
        p[0].send_frame(p[0].ctx, f, sizeof f);
        CHECK_EQ(p[1].recv_frame(p[1].ctx, buf, sizeof buf), TEST_FRAME_LEN);
        CHECK(memcmp(buf, f, 14 + 40) != 0);
        CHECK_MEM(buf + 14 + 40, f + 14 + 40, TEST_FRAME_LEN - 14 - 40);
    }
}

/* FNV-1a over everything a simulation observed. */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* Three endpoints chatter over a lossy wire; returns a digest of every
 * delivery (time, endpoint, bytes), the counters and the endpoints' entropy. */
static uint64_t simulate(mamori_vwire_t *w, uint64_t seed)
{
    const mamori_impair_t impair = {.loss_permille = 150,
                                    .dup_permille = 100,
                                    .reorder_permille = 150,
                                    .corrupt_permille = 100,
                                    .delay_min_ms = 0,
                                    .delay_max_ms = 20};
    mamori_port_t p[3];
    uint8_t f[TEST_FRAME_LEN], buf[MAMORI_VWIRE_FRAME_MAX];
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    mamori_vwire_init(w, seed, &impair);
    for (int i = 0; i < 3; i++)
        mamori_vwire_attach(w, &p[i]);
    for (uint32_t now = 0; now < 3000; now++) {
        mamori_vwire_set_time(w, now);
        make_frame(f, now);
        p[now % 3].send_frame(p[now % 3].ctx, f, sizeof f);
        for (int i = 0; i < 3; i++) {
            int n;
            while ((n = p[i].recv_frame(p[i].ctx, buf, sizeof buf)) > 0) {
                h = fnv1a(h, &now, sizeof now);
                h = fnv1a(h, &i, sizeof i);
                h = fnv1a(h, buf, (size_t)n);
            }
        }
    }
    for (int i = 0; i < 3; i++) {
        uint8_t random[48];
        CHECK_EQ(p[i].entropy(p[i].ctx, random, sizeof random), MAMORI_OK);
        h = fnv1a(h, random, sizeof random);
        h = fnv1a(h, mamori_vwire_counters(w, i), sizeof(mamori_vwire_counters_t));
    }
    return h;
}

static void test_replay(void)
{
    uint64_t first = simulate(&wire, 0x5eed);
    CHECK_EQ(simulate(&wire2, 0x5eed), first);
    CHECK(simulate(&wire2, 0x5eee) != first);

    /* Entropy: reproducible per seed, distinct per endpoint and per seed. */
    mamori_port_t a, b, c;
    uint8_t ra[32], rb[32], rc[32], again[32];
    mamori_vwire_init(&wire, 1234, NULL);
    mamori_vwire_attach(&wire, &a);
    mamori_vwire_attach(&wire, &b);
    a.entropy(a.ctx, ra, sizeof ra);
    b.entropy(b.ctx, rb, sizeof rb);
    CHECK(memcmp(ra, rb, sizeof ra) != 0);
    mamori_vwire_init(&wire2, 1234, NULL);
    mamori_vwire_attach(&wire2, &c);
    c.entropy(c.ctx, again, 5); /* odd sizes continue the same stream */
    c.entropy(c.ctx, again + 5, sizeof again - 5);
    CHECK_MEM(again, ra, sizeof ra);
    mamori_vwire_init(&wire2, 1235, NULL);
    mamori_vwire_attach(&wire2, &c);
    c.entropy(c.ctx, rc, sizeof rc);
    CHECK(memcmp(ra, rc, sizeof ra) != 0);
}

int main(void)
{
    test_impairment_rates();
    test_reordering_overtakes();
    test_delay_honoured();
    test_queue_overflow_and_limits();
    test_hub_broadcast();
    test_corruption_scope();
    test_replay();
    return check_summary("vwire");
}
