/*
 * GHASH against the bit-at-a-time multiply of NIST SP 800-38D 6.3
 * (Algorithm 1): random and extreme hash keys, states and data, every length
 * around the block-count threshold and group size of the table-aided path
 * for long inputs (ghash.c), random lengths up to 4 KiB, and the same data
 * hashed in one call and in pieces split at block boundaries.
 */
#include "crypto/ghash.h"

#include "check.h"
#include "rng.h"

#include <string.h>

#define MAX_LEN 4096

static uint64_t rng_state = 0x6768617368212121u;

static uint32_t rnd(void) { return test_rng_next(&rng_state); }

static void rnd_bytes(uint8_t *p, size_t n) { test_rng_bytes(&rng_state, p, n); }

/* z = x * y in GF(2^128), SP 800-38D Algorithm 1. */
static void ref_mul(uint8_t z[16], const uint8_t x[16], const uint8_t y[16])
{
    uint8_t v[16], acc[16] = {0};
    memcpy(v, y, 16);
    for (unsigned i = 0; i < 128; i++) {
        if (x[i / 8] >> (7 - i % 8) & 1)
            for (unsigned j = 0; j < 16; j++)
                acc[j] ^= v[j];
        unsigned lsb = v[15] & 1;
        for (unsigned j = 15; j > 0; j--)
            v[j] = (uint8_t)(v[j] >> 1 | v[j - 1] << 7);
        v[0] >>= 1;
        if (lsb)
            v[0] ^= 0xe1;
    }
    memcpy(z, acc, 16);
}

static void ref_ghash(uint8_t y[16], const uint8_t h[16], const uint8_t *data, size_t len)
{
    for (size_t off = 0; off < len; off += 16) {
        uint8_t block[16] = {0};
        memcpy(block, data + off, len - off < 16 ? len - off : 16);
        for (unsigned j = 0; j < 16; j++)
            block[j] ^= y[j];
        ref_mul(y, block, h);
    }
}

/* One call, the reference, and pieces of random whole-block sizes agree. */
static void check_one(const uint8_t h[16], const uint8_t y0[16], const uint8_t *data, size_t len)
{
    uint8_t got[16], want[16], pieces[16];
    memcpy(got, y0, 16);
    memcpy(want, y0, 16);
    memcpy(pieces, y0, 16);
    mamori_ghash(got, h, data, len);
    ref_ghash(want, h, data, len);
    size_t done = 0;
    while (done < len) {
        size_t piece = 16 * (1 + rnd() % 40);
        if (piece > len - done)
            piece = len - done;
        mamori_ghash(pieces, h, data + done, piece);
        done += piece;
    }
    unsigned before = check_failed;
    CHECK_MEM(got, want, 16);
    CHECK_MEM(pieces, want, 16);
    if (check_failed != before)
        fprintf(stderr, "  length %zu\n", len);
}

static void test_lengths(void)
{
    static uint8_t data[MAX_LEN];
    uint8_t h[16], y[16];
    for (size_t len = 0; len <= 600; len++) {
        rnd_bytes(h, 16);
        rnd_bytes(y, 16);
        rnd_bytes(data, len);
        check_one(h, y, data, len);
    }
    for (unsigned it = 0; it < 300; it++) {
        size_t len = rnd() % (MAX_LEN + 1);
        rnd_bytes(h, 16);
        rnd_bytes(y, 16);
        rnd_bytes(data, len);
        check_one(h, y, data, len);
    }
}

/* Keys and data with every bit set, or one bit at either end, drive each
 * reduction (and each table entry) as far as it goes. */
static void test_extremes(void)
{
    static uint8_t data[1024];
    static const uint8_t fills[] = {0x00, 0xff, 0x01, 0x80};
    for (unsigned hk = 0; hk < 4; hk++) {
        for (unsigned dk = 0; dk < 4; dk++) {
            uint8_t h[16] = {0}, y[16];
            if (hk == 0 || hk == 1)
                memset(h, fills[hk], 16);
            else
                h[hk == 2 ? 15 : 0] = fills[hk];
            memset(y, 0xff, 16);
            memset(data, fills[dk], sizeof data);
            check_one(h, y, data, sizeof data);
            check_one(h, y, data, sizeof data - 5);
        }
    }
}

int main(void)
{
    test_lengths();
    test_extremes();
    return check_summary("ghash");
}
