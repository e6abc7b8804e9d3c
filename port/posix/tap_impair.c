#include "posix/tap_impair.h"

#include "mamori/error.h"

#include <string.h>

/* splitmix64: a seeded, statistically sound sequence; not for secrets. */
static uint64_t next64(mamori_tap_impair_t *im)
{
    uint64_t z = (im->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static bool roll(mamori_tap_impair_t *im, uint16_t permille)
{
    return permille && next64(im) % 1000 < permille;
}

static uint16_t clamp(unsigned permille) { return (uint16_t)(permille > 1000 ? 1000 : permille); }

void mamori_tap_impair_init(mamori_tap_impair_t *im, unsigned loss, unsigned dup, unsigned reorder, uint64_t seed)
{
    memset(im, 0, sizeof *im);
    im->loss = clamp(loss);
    im->dup = clamp(dup);
    im->reorder = clamp(reorder);
    im->state = seed;
}

bool mamori_tap_impair_enabled(const mamori_tap_impair_t *im) { return im->loss || im->dup || im->reorder; }

static void queue(mamori_tap_impair_t *im, const uint8_t *frame, size_t len)
{
    mamori_tap_impair_frame_t *f = &im->out[(im->out_head + im->out_count++) % MAMORI_TAP_IMPAIR_OUT_MAX];
    f->len = (uint16_t)len;
    memcpy(f->data, frame, len);
}

bool mamori_tap_impair_push(mamori_tap_impair_t *im, const uint8_t *frame, size_t len, uint32_t now_ms)
{
    if (len > MAMORI_TAP_IMPAIR_FRAME_MAX || im->out_count)
        return false;
    if (roll(im, im->loss)) {
        im->lost++;
        return true;
    }
    if (!im->holding && roll(im, im->reorder)) {
        im->reordered++;
        im->holding = true;
        im->held_at = now_ms;
        im->held.len = (uint16_t)len;
        memcpy(im->held.data, frame, len);
        return true;
    }
    queue(im, frame, len);
    if (roll(im, im->dup)) {
        im->duplicated++;
        queue(im, frame, len);
    }
    if (im->holding) {
        im->holding = false;
        queue(im, im->held.data, im->held.len);
    }
    return true;
}

static bool held_due(const mamori_tap_impair_t *im, uint32_t now_ms)
{
    return im->holding && now_ms - im->held_at >= MAMORI_TAP_IMPAIR_HOLD_MS;
}

int mamori_tap_impair_pop(mamori_tap_impair_t *im, uint8_t *buf, size_t cap, uint32_t now_ms)
{
    if (!im->out_count && held_due(im, now_ms)) {
        im->holding = false;
        queue(im, im->held.data, im->held.len);
    }
    if (!im->out_count)
        return 0;
    const mamori_tap_impair_frame_t *f = &im->out[im->out_head];
    im->out_head = (uint8_t)((im->out_head + 1) % MAMORI_TAP_IMPAIR_OUT_MAX);
    im->out_count--;
    if (f->len > cap)
        return MAMORI_ERR_BUFSIZE;
    memcpy(buf, f->data, f->len);
    return f->len;
}

uint32_t mamori_tap_impair_due_ms(const mamori_tap_impair_t *im, uint32_t now_ms)
{
    if (im->out_count || held_due(im, now_ms))
        return 0;
    if (!im->holding)
        return UINT32_MAX;
    return MAMORI_TAP_IMPAIR_HOLD_MS - (now_ms - im->held_at);
}
