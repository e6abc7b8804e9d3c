/*
 * A lossy link in software, for interop tests where the kernel has no
 * sch_netem: each frame passed through the model may be lost, duplicated or
 * held back and released after the next frame (reordering), with rates in
 * permille drawn from a seeded PRNG, so a run is reproducible. One frame at
 * a time is held, so a reorder rate r holds r / (1 + r) of the frames not
 * lost (0.2 for 250 permille). A held frame
 * is also released MAMORI_TAP_IMPAIR_HOLD_MS after it arrived: nothing is held
 * forever on an idle link.
 */
#ifndef MAMORI_POSIX_TAP_IMPAIR_H
#define MAMORI_POSIX_TAP_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAMORI_TAP_IMPAIR_FRAME_MAX 1518 /* Ethernet with an 802.1Q tag at MTU 1500 */
#define MAMORI_TAP_IMPAIR_HOLD_MS 3
#define MAMORI_TAP_IMPAIR_OUT_MAX 3 /* one push hands out a frame, its copy and a held one */

typedef struct {
    uint16_t len;
    uint8_t data[MAMORI_TAP_IMPAIR_FRAME_MAX];
} mamori_tap_impair_frame_t;

typedef struct {
    uint16_t loss, dup, reorder; /* permille */
    uint64_t state;              /* splitmix64 */
    bool holding;
    uint32_t held_at;
    mamori_tap_impair_frame_t held;
    mamori_tap_impair_frame_t out[MAMORI_TAP_IMPAIR_OUT_MAX];
    uint8_t out_head, out_count;
    uint32_t lost, duplicated, reordered;
} mamori_tap_impair_t;

/* Rates above 1000 are taken as 1000. All zero: every frame passes as is. */
void mamori_tap_impair_init(mamori_tap_impair_t *im, unsigned loss, unsigned dup, unsigned reorder, uint64_t seed);

bool mamori_tap_impair_enabled(const mamori_tap_impair_t *im);

/* Runs one frame through the model; the frames to hand on come out of
 * mamori_tap_impair_pop(). Returns false, leaving the frame to the caller, when
 * it is longer than MAMORI_TAP_IMPAIR_FRAME_MAX or the output still holds frames. */
bool mamori_tap_impair_push(mamori_tap_impair_t *im, const uint8_t *frame, size_t len, uint32_t now_ms);

/* The next frame to hand on, copied into buf (a held frame once its time has
 * passed): its length, 0 when none, or MAMORI_ERR_BUFSIZE (the frame is
 * dropped) when cap is too small. */
int mamori_tap_impair_pop(mamori_tap_impair_t *im, uint8_t *buf, size_t cap, uint32_t now_ms);

/* Milliseconds until mamori_tap_impair_pop() has a frame: 0 when it has one now,
 * UINT32_MAX when none is queued or held. */
uint32_t mamori_tap_impair_due_ms(const mamori_tap_impair_t *im, uint32_t now_ms);

#endif
