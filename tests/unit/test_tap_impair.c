/* The TAP's impairment model (port/posix/tap_impair.c): pass-through when off,
 * the same seed giving the same run, the rates over 100k frames, and every
 * frame that is not lost handed on, held ones included. */
#include "check.h"
#include "mamori/error.h"
#include "posix/tap_impair.h"

#include <string.h>

#define FRAMES 100000u
#define FRAME_LEN 60

static void make_frame(uint8_t *f, uint32_t seq)
{
    memset(f, 0xa5, FRAME_LEN);
    memcpy(f, &seq, sizeof seq);
}

/* Runs FRAMES numbered frames through im (time standing still, then the hold
 * time passing at the end) and records the sequence numbers handed on. */
static size_t run(mamori_tap_impair_t *im, uint32_t *out, size_t cap)
{
    uint8_t f[FRAME_LEN], buf[MAMORI_TAP_IMPAIR_FRAME_MAX];
    size_t n = 0;
    int len;
    for (uint32_t seq = 0; seq < FRAMES; seq++) {
        make_frame(f, seq);
        CHECK(mamori_tap_impair_push(im, f, sizeof f, 1000));
        while ((len = mamori_tap_impair_pop(im, buf, sizeof buf, 1000)) > 0 && n < cap) {
            CHECK_EQ(len, FRAME_LEN);
            memcpy(&out[n++], buf, sizeof *out);
        }
    }
    while ((len = mamori_tap_impair_pop(im, buf, sizeof buf, 1000 + MAMORI_TAP_IMPAIR_HOLD_MS)) > 0 && n < cap)
        memcpy(&out[n++], buf, sizeof *out);
    return n;
}

static uint32_t out_a[2 * FRAMES], out_b[2 * FRAMES];

static void test_pass_through(void)
{
    static mamori_tap_impair_t im;
    mamori_tap_impair_init(&im, 0, 0, 0, 42);
    CHECK(!mamori_tap_impair_enabled(&im));
    size_t n = run(&im, out_a, 2 * FRAMES);
    CHECK_EQ(n, FRAMES);
    size_t in_order = 0;
    for (size_t i = 0; i < n; i++)
        in_order += out_a[i] == i;
    CHECK_EQ(in_order, FRAMES);
    CHECK_EQ(im.lost + im.duplicated + im.reordered, 0);
}

static void test_determinism(void)
{
    static mamori_tap_impair_t a, b, c;
    mamori_tap_impair_init(&a, 50, 10, 250, 7);
    mamori_tap_impair_init(&b, 50, 10, 250, 7);
    mamori_tap_impair_init(&c, 50, 10, 250, 8);
    size_t na = run(&a, out_a, 2 * FRAMES);
    size_t nb = run(&b, out_b, 2 * FRAMES);
    CHECK_EQ(na, nb);
    CHECK(memcmp(out_a, out_b, na * sizeof *out_a) == 0);
    CHECK_EQ(a.lost, b.lost);
    size_t nc = run(&c, out_b, 2 * FRAMES);
    CHECK(nc != na || memcmp(out_a, out_b, na * sizeof *out_a) != 0);
}

/* The counters agree with what came out, and the rates with the settings.
 * A frame is held only while none is, so the share of frames held is
 * r / (1 + r) of those not lost: 0.2 for r = 0.25. */
static void test_rates(void)
{
    static mamori_tap_impair_t im;
    static uint8_t seen[FRAMES];
    mamori_tap_impair_init(&im, 50, 10, 250, 12345);
    CHECK(mamori_tap_impair_enabled(&im));
    size_t n = run(&im, out_a, 2 * FRAMES);
    memset(seen, 0, sizeof seen);
    uint32_t late = 0, max = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(out_a[i] < FRAMES);
        seen[out_a[i]]++;
        late += i > 0 && out_a[i] < max;
        max = out_a[i] > max ? out_a[i] : max;
    }
    uint32_t absent = 0, twice = 0;
    for (size_t i = 0; i < FRAMES; i++) {
        absent += seen[i] == 0;
        twice += seen[i] == 2;
        CHECK(seen[i] <= 2);
    }
    CHECK_EQ(absent, im.lost);
    CHECK_EQ(twice, im.duplicated);
    CHECK_EQ(late, im.reordered); /* every held frame came out, after a later one */
    CHECK_EQ(n, FRAMES - im.lost + im.duplicated);
    CHECK(im.lost >= 4500 && im.lost <= 5500);
    uint32_t kept = FRAMES - im.lost;
    CHECK(im.reordered * 1000u / kept >= 190 && im.reordered * 1000u / kept <= 210);
    uint32_t fresh = kept - im.reordered; /* frames handed on when they came in */
    CHECK(im.duplicated * 10000u / fresh >= 80 && im.duplicated * 10000u / fresh <= 120);
}

/* A held frame leaves with the next one, or alone once the hold time passed. */
static void test_hold(void)
{
    static mamori_tap_impair_t im;
    uint8_t f[FRAME_LEN], buf[MAMORI_TAP_IMPAIR_FRAME_MAX];
    uint32_t seq;
    mamori_tap_impair_init(&im, 0, 0, 1000, 1);
    make_frame(f, 1);
    CHECK(mamori_tap_impair_push(&im, f, sizeof f, 500));
    CHECK_EQ(mamori_tap_impair_pop(&im, buf, sizeof buf, 500), 0);
    CHECK_EQ(mamori_tap_impair_due_ms(&im, 500), MAMORI_TAP_IMPAIR_HOLD_MS);
    CHECK_EQ(mamori_tap_impair_due_ms(&im, 501), MAMORI_TAP_IMPAIR_HOLD_MS - 1);
    CHECK_EQ(mamori_tap_impair_pop(&im, buf, sizeof buf, 500 + MAMORI_TAP_IMPAIR_HOLD_MS - 1), 0);
    CHECK_EQ(mamori_tap_impair_due_ms(&im, 500 + MAMORI_TAP_IMPAIR_HOLD_MS), 0);
    CHECK_EQ(mamori_tap_impair_pop(&im, buf, sizeof buf, 500 + MAMORI_TAP_IMPAIR_HOLD_MS), FRAME_LEN);
    memcpy(&seq, buf, sizeof seq);
    CHECK_EQ(seq, 1);
    CHECK_EQ(mamori_tap_impair_due_ms(&im, 600), UINT32_MAX);

    make_frame(f, 2);
    CHECK(mamori_tap_impair_push(&im, f, sizeof f, 700)); /* held */
    make_frame(f, 3);
    CHECK(mamori_tap_impair_push(&im, f, sizeof f, 700)); /* passes, releasing 2 */
    CHECK(!mamori_tap_impair_push(&im, f, sizeof f, 700)); /* output not yet taken */
    CHECK_EQ(mamori_tap_impair_pop(&im, buf, sizeof buf, 700), FRAME_LEN);
    memcpy(&seq, buf, sizeof seq);
    CHECK_EQ(seq, 3);
    CHECK_EQ(mamori_tap_impair_pop(&im, buf, 10, 700), MAMORI_ERR_BUFSIZE); /* too small: dropped */
    CHECK_EQ(mamori_tap_impair_pop(&im, buf, sizeof buf, 700), 0);
    CHECK_EQ(im.reordered, 2);

    static uint8_t big[MAMORI_TAP_IMPAIR_FRAME_MAX + 1];
    CHECK(!mamori_tap_impair_push(&im, big, sizeof big, 700));
}

int main(void)
{
    test_pass_through();
    test_determinism();
    test_rates();
    test_hold();
    return check_summary("test_tap_impair");
}
