/*
 * AES encryption (FIPS 197), bitsliced and constant-time.
 *
 * State layout: eight words q[0..7], word b holding bit b of every state
 * byte of B blocks at once (B = 4 with 64-bit words, 2 with 32-bit words).
 * The byte in row r, column c of block k sits at bit r*4B + c*B + k: each
 * row is a 4B-bit segment. So MixColumns reaches the next row with a plain
 * word rotation, ShiftRows rotates each row segment, and SubBytes is one
 * boolean circuit evaluated on all 8 words (no table is ever indexed by
 * secret data).
 *
 * MAMORI_AES_SMALL 0 skips ShiftRows in the rounds (fixslicing, see
 * encrypt_bitsliced; about 1.15x faster on x86-64), 1 applies it every
 * round (about 300 bytes smaller on a Cortex-M4). The default is 1 on
 * ARMv6-M/v7-M/v7E-M and whenever the compiler optimises for size, 0
 * elsewhere; define it to override.
 *
 * MAMORI_AES_VEC 1 makes the state word a pair of words, a GCC/Clang vector
 * (SSE2 or NEON code, no intrinsics): every step above is a bitwise or shift
 * operation, so it runs unchanged on each word of the pair, each holding its
 * own 4 blocks, and a pass encrypts 8 blocks. The default is 1 on
 * little-endian 64-bit hosts with MAMORI_AES_SMALL 0 and a compiler that
 * has __builtin_shufflevector (Clang, GCC 12+); 0 elsewhere, and the plain
 * word is used. On x86-64 with the baseline SSE2 it gives about 2x the CTR
 * speed of the plain word; pairs of pairs (AVX2 width) were slower there.
 */
#include "mamori/aes.h"

#include "mamori/config.h"

#if MAMORI_AES

#include "aes_ctr.h"
#include "stream_xor.h"
#include "mamori/crypto_backend.h"
#include "mamori/ct.h"
#include "mamori/error.h"

#include <string.h>

typedef mamori_aes_word_t aes_word_t;

/* state_t: the word, or two of them side by side (MAMORI_AES_VEC). */
#if MAMORI_AES_VEC
typedef aes_word_t state_t __attribute__((vector_size(2 * sizeof(aes_word_t))));
#else
typedef aes_word_t state_t;
#endif

/* Blocks per word, and per state word (aes_ctr.h). */
#define AES_LANES (sizeof(aes_word_t) / 2)
#define AES_BLOCKS MAMORI_AES_BATCH
#define WORD_BITS (8 * sizeof(aes_word_t))

/* A byte pattern repeated over the word. */
#define REP8(x) ((aes_word_t)(x) * (aes_word_t)0x0101010101010101u)

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void swap_move(state_t *a, state_t *b, aes_word_t mask, unsigned shift)
{
    state_t t = ((*a >> shift) ^ *b) & mask;
    *b ^= t;
    *a ^= t << shift;
}

/* Transposes the 8x8 bit matrix formed by byte i of each of the 8 words, for
 * every byte position i: afterwards bit 8i + j of word b is bit b of byte i
 * of word j. Its own inverse. */
static inline void transpose(state_t x[8])
{
    swap_move(&x[0], &x[1], REP8(0x55), 1);
    swap_move(&x[2], &x[3], REP8(0x55), 1);
    swap_move(&x[4], &x[5], REP8(0x55), 1);
    swap_move(&x[6], &x[7], REP8(0x55), 1);
    swap_move(&x[0], &x[2], REP8(0x33), 2);
    swap_move(&x[1], &x[3], REP8(0x33), 2);
    swap_move(&x[4], &x[6], REP8(0x33), 2);
    swap_move(&x[5], &x[7], REP8(0x33), 2);
    swap_move(&x[0], &x[4], REP8(0x0f), 4);
    swap_move(&x[1], &x[5], REP8(0x0f), 4);
    swap_move(&x[2], &x[6], REP8(0x0f), 4);
    swap_move(&x[3], &x[7], REP8(0x0f), 4);
}

#if MAMORI_AES_VEC
/* 8 blocks, block 4j + k as block k of element j (layout of the 4-block
 * case below). On a little-endian host a block is two 64-bit halves: lo
 * holds columns 0 and 1, hi columns 2 and 3. Word k of element j must
 * interleave the bytes of columns 0 and 2 of block 4j + k (even bytes
 * column 0), word 4 + k those of columns 1 and 3: the half-words are paired
 * up, then spread by two delta swaps. */
static inline state_t interleave(state_t x)
{
    state_t t = ((x >> 16) ^ x) & 0x00000000ffff0000u;
    x ^= t ^ (t << 16);
    t = ((x >> 8) ^ x) & 0x0000ff000000ff00u;
    return x ^ t ^ (t << 8);
}

static inline state_t deinterleave(state_t x)
{
    state_t t = ((x >> 8) ^ x) & 0x0000ff000000ff00u;
    x ^= t ^ (t << 8);
    t = ((x >> 16) ^ x) & 0x00000000ffff0000u;
    return x ^ t ^ (t << 16);
}

static void load_blocks(state_t q[8], const uint8_t *in, size_t n)
{
    uint8_t pad[16 * AES_BLOCKS];
    const aes_word_t low = 0xffffffffu;
    if (n < AES_BLOCKS) {
        memset(pad, 0, sizeof pad);
        memcpy(pad, in, 16 * n);
        in = pad;
    }
    for (unsigned k = 0; k < 4; k++) {
        state_t a, b;
        memcpy(&a, in + 16 * k, 16);
        memcpy(&b, in + 16 * (4 + k), 16);
        state_t lo = __builtin_shufflevector(a, b, 0, 2), hi = __builtin_shufflevector(a, b, 1, 3);
        q[k] = interleave((lo & low) | (hi << 32));
        q[4 + k] = interleave((lo >> 32) | (hi & ~low));
    }
    if (in == pad)
        mamori_zeroize(pad, sizeof pad);
    transpose(q);
}

static void store_blocks(uint8_t *out, state_t q[8], size_t n)
{
    uint8_t pad[16 * AES_BLOCKS];
    uint8_t *to = n < AES_BLOCKS ? pad : out;
    const aes_word_t low = 0xffffffffu;
    transpose(q);
    for (unsigned k = 0; k < 4; k++) {
        state_t even = deinterleave(q[k]), odd = deinterleave(q[4 + k]);
        state_t lo = (even & low) | (odd << 32), hi = (even >> 32) | (odd & ~low);
        state_t a = __builtin_shufflevector(lo, hi, 0, 2);
        state_t b = __builtin_shufflevector(lo, hi, 1, 3);
        memcpy(to + 16 * k, &a, 16);
        memcpy(to + 16 * (4 + k), &b, 16);
    }
    if (to == pad) {
        memcpy(out, pad, 16 * n);
        mamori_zeroize(pad, sizeof pad);
    }
}
#elif UINTPTR_MAX > 0xffffffffu
/* 4 blocks: byte (r, c) of block k must reach bit 16r + 4c + k, i.e. byte
 * 2r + c/2 of word 4(c%2) + k before the transpose. Word 4(c%2) + k thus
 * interleaves the bytes of columns c%2 (even bytes) and c%2 + 2 (odd). */
static inline aes_word_t spread_bytes(uint32_t col)
{
    uint64_t x = col;
    x = (x | (x << 16)) & 0x0000ffff0000ffffu;
    return (x | (x << 8)) & 0x00ff00ff00ff00ffu;
}

static inline uint32_t gather_bytes(aes_word_t x)
{
    x &= 0x00ff00ff00ff00ffu;
    x = (x | (x >> 8)) & 0x0000ffff0000ffffu;
    return (uint32_t)(x | (x >> 16));
}

static void load_blocks(state_t q[8], const uint8_t *in, size_t n)
{
    memset(q, 0, 8 * sizeof q[0]);
    for (size_t k = 0; k < n; k++) {
        const uint8_t *b = in + 16 * k;
        q[k] = spread_bytes(get_le32(b)) | (spread_bytes(get_le32(b + 8)) << 8);
        q[4 + k] = spread_bytes(get_le32(b + 4)) | (spread_bytes(get_le32(b + 12)) << 8);
    }
    transpose(q);
}

static void store_blocks(uint8_t *out, state_t q[8], size_t n)
{
    transpose(q);
    for (size_t k = 0; k < n; k++) {
        uint8_t *b = out + 16 * k;
        put_le32(b, gather_bytes(q[k]));
        put_le32(b + 8, gather_bytes(q[k] >> 8));
        put_le32(b + 4, gather_bytes(q[4 + k]));
        put_le32(b + 12, gather_bytes(q[4 + k] >> 8));
    }
}
#else
/* 2 blocks: byte (r, c) of block k must reach bit 8r + 2c + k, i.e. byte r
 * of word 2c + k before the transpose: word 2c + k is simply column c. */
static void load_blocks(state_t q[8], const uint8_t *in, size_t n)
{
    memset(q, 0, 8 * sizeof q[0]);
    for (size_t k = 0; k < n; k++)
        for (unsigned c = 0; c < 4; c++)
            q[2 * c + k] = get_le32(in + 16 * k + 4 * c);
    transpose(q);
}

static void store_blocks(uint8_t *out, state_t q[8], size_t n)
{
    transpose(q);
    for (size_t k = 0; k < n; k++)
        for (unsigned c = 0; c < 4; c++)
            put_le32(out + 16 * k + 4 * c, q[2 * c + k]);
}
#endif

/* SubBytes on every byte at once: the 113-gate circuit of Boyar and Peralta
 * ("A depth-16 circuit for the AES S-box", 2011). u0 is the most significant
 * bit, so u0 = q[7] ... u7 = q[0]. */
static inline void sub_bytes(state_t q[8])
{
    state_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
    state_t u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];

    /* Top linear layer. */
    state_t t1 = u0 ^ u3, t2 = u0 ^ u5, t3 = u0 ^ u6, t4 = u3 ^ u5;
    state_t t5 = u4 ^ u6, t6 = t1 ^ t5, t7 = u1 ^ u2, t8 = u7 ^ t6;
    state_t t9 = u7 ^ t7, t10 = t6 ^ t7, t11 = u1 ^ u5, t12 = u2 ^ u5;
    state_t t13 = t3 ^ t4, t14 = t6 ^ t11, t15 = t5 ^ t11, t16 = t5 ^ t12;
    state_t t17 = t9 ^ t16, t18 = u3 ^ u7, t19 = t7 ^ t18, t20 = t1 ^ t19;
    state_t t21 = u6 ^ u7, t22 = t7 ^ t21, t23 = t2 ^ t22, t24 = t2 ^ t10;
    state_t t25 = t20 ^ t17, t26 = t3 ^ t16, t27 = t1 ^ t12;

    /* Shared non-linear middle: inversion in GF(2^8). */
    state_t m1 = t13 & t6, m2 = t23 & t8, m3 = t14 ^ m1, m4 = t19 & u7;
    state_t m5 = m4 ^ m1, m6 = t3 & t16, m7 = t22 & t9, m8 = t26 ^ m6;
    state_t m9 = t20 & t17, m10 = m9 ^ m6, m11 = t1 & t15, m12 = t4 & t27;
    state_t m13 = m12 ^ m11, m14 = t2 & t10, m15 = m14 ^ m11, m16 = m3 ^ m2;
    state_t m17 = m5 ^ t24, m18 = m8 ^ m7, m19 = m10 ^ m15, m20 = m16 ^ m13;
    state_t m21 = m17 ^ m15, m22 = m18 ^ m13, m23 = m19 ^ t25, m24 = m22 ^ m23;
    state_t m25 = m22 & m20, m26 = m21 ^ m25, m27 = m20 ^ m21, m28 = m23 ^ m25;
    state_t m29 = m28 & m27, m30 = m26 & m24, m31 = m20 & m23, m32 = m27 & m31;
    state_t m33 = m27 ^ m25, m34 = m21 & m22, m35 = m24 & m34, m36 = m24 ^ m25;
    state_t m37 = m21 ^ m29, m38 = m32 ^ m33, m39 = m23 ^ m30, m40 = m35 ^ m36;
    state_t m41 = m38 ^ m40, m42 = m37 ^ m39, m43 = m37 ^ m38, m44 = m39 ^ m40;
    state_t m45 = m42 ^ m41, m46 = m44 & t6, m47 = m40 & t8, m48 = m39 & u7;
    state_t m49 = m43 & t16, m50 = m38 & t9, m51 = m37 & t17, m52 = m42 & t15;
    state_t m53 = m45 & t27, m54 = m41 & t10, m55 = m44 & t13, m56 = m40 & t23;
    state_t m57 = m39 & t19, m58 = m43 & t3, m59 = m38 & t22, m60 = m37 & t20;
    state_t m61 = m42 & t1, m62 = m45 & t4, m63 = m41 & t2;

    /* Bottom linear layer, including the affine map. */
    state_t l0 = m61 ^ m62, l1 = m50 ^ m56, l2 = m46 ^ m48, l3 = m47 ^ m55;
    state_t l4 = m54 ^ m58, l5 = m49 ^ m61, l6 = m62 ^ l5, l7 = m46 ^ l3;
    state_t l8 = m51 ^ m59, l9 = m52 ^ m53, l10 = m53 ^ l4, l11 = m60 ^ l2;
    state_t l12 = m48 ^ m51, l13 = m50 ^ l0, l14 = m52 ^ m61, l15 = m55 ^ l1;
    state_t l16 = m56 ^ l0, l17 = m57 ^ l1, l18 = m58 ^ l8, l19 = m63 ^ l4;
    state_t l20 = l0 ^ l1, l21 = l1 ^ l7, l22 = l3 ^ l12, l23 = l18 ^ l2;
    state_t l24 = l15 ^ l9, l25 = l6 ^ l10, l26 = l7 ^ l9, l27 = l8 ^ l10;
    state_t l28 = l11 ^ l14, l29 = l11 ^ l17;

    q[7] = l6 ^ l24;
    q[6] = ~(l16 ^ l26);
    q[5] = ~(l19 ^ l28);
    q[4] = l6 ^ l21;
    q[3] = l20 ^ l22;
    q[2] = l25 ^ l29;
    q[1] = ~(l13 ^ l27);
    q[0] = ~(l6 ^ l23);
}

/* Rotates right by s bits, within its segment, every row segment selected
 * by the mask rows (whole segments); other rows pass unchanged. */
static inline state_t rotr_rows(state_t x, aes_word_t rows, unsigned s)
{
    const unsigned seg = 4 * AES_LANES;
    const aes_word_t each_seg = (aes_word_t)~(aes_word_t)0 / (((aes_word_t)1 << seg) - 1);
    const aes_word_t lo = ((((aes_word_t)1 << (seg - s)) - 1) * each_seg) & rows;
    return (x & ~rows) | ((x >> s) & lo) | ((x << (seg - s)) & (rows & ~lo));
}

/* Row r rotates left by r columns (FIPS 197 5.1.2): within its segment,
 * row r moves right by r*B bits, done as B bits for rows 1 and 3, then 2B
 * bits for rows 2 and 3. */
static inline state_t shift_rows_word(state_t x)
{
    const unsigned b = AES_LANES, seg = 4 * AES_LANES;
    const aes_word_t row = ((aes_word_t)1 << seg) - 1;
    x = rotr_rows(x, (row << seg) | (row << 3 * seg), b);
    return rotr_rows(x, (row << 2 * seg) | (row << 3 * seg), 2 * b);
}

/* x with every row replaced by the row dr below it, rotated left by dc
 * columns: the value at (r, c) becomes the one at (r + dr, c + dc). */
#if MAMORI_AES_VEC
/* Here row r of element j is the 16-bit element 4j + r (little-endian), so
 * rows move by a shuffle of 16-bit elements (one or two SSE2 instructions)
 * and columns by 16-bit shifts that need no masks. dr is 1 or 2. */
typedef uint16_t rows_t __attribute__((vector_size(sizeof(state_t))));

static inline state_t row_col(state_t x, unsigned dr, unsigned dc)
{
    const unsigned s = (dc % 4) * AES_LANES;
    rows_t v = (rows_t)x;
    if (dr == 1)
        v = __builtin_shufflevector(v, v, 1, 2, 3, 0, 5, 6, 7, 4);
    else
        v = __builtin_shufflevector(v, v, 2, 3, 0, 1, 6, 7, 4, 5);
    if (s != 0)
        v = (v >> s) | (v << (16 - s));
    return (state_t)v;
}
#else
static inline state_t rotr(state_t x, unsigned n) { return (x >> n) | (x << (WORD_BITS - n)); }

static inline state_t row_col(state_t x, unsigned dr, unsigned dc)
{
    const unsigned seg = 4 * AES_LANES, s = (dc % 4) * AES_LANES;
    const aes_word_t each_seg = (aes_word_t)~(aes_word_t)0 / (((aes_word_t)1 << seg) - 1);
    x = rotr(x, dr * seg);
    if (s == 0)
        return x;
    const aes_word_t lo = (((aes_word_t)1 << (seg - s)) - 1) * each_seg;
    return ((x >> s) & lo) | ((x << (seg - s)) & ~lo);
}
#endif

/* MixColumns (FIPS 197 5.1.3) on a state whose last i ShiftRows were
 * skipped ("fixslicing", Adomnicai and Peyrin, 2020): the true state holds
 * at (r, c) what is stored at (r, c + ir), so the bytes b, c, d that sit 1,
 * 2, 3 rows below a in its true column are stored i, 2i, 3i columns on.
 * out = 2a + 3b + c + d is computed as 2(a + b) + b + (c + d), with c + d
 * the sum a + b taken 2 rows and 2i columns on. Doubling in GF(2^8) moves
 * each plane up one bit and folds bit 7 back in at bits 0, 1, 3 and 4. */
static inline void mix_columns(state_t q[8], unsigned i)
{
    state_t b0 = row_col(q[0], 1, i), b1 = row_col(q[1], 1, i), b2 = row_col(q[2], 1, i);
    state_t b3 = row_col(q[3], 1, i), b4 = row_col(q[4], 1, i), b5 = row_col(q[5], 1, i);
    state_t b6 = row_col(q[6], 1, i), b7 = row_col(q[7], 1, i);
    state_t t0 = q[0] ^ b0, t1 = q[1] ^ b1, t2 = q[2] ^ b2, t3 = q[3] ^ b3;
    state_t t4 = q[4] ^ b4, t5 = q[5] ^ b5, t6 = q[6] ^ b6, t7 = q[7] ^ b7;
    q[0] = t7 ^ b0 ^ row_col(t0, 2, 2 * i);
    q[1] = t0 ^ t7 ^ b1 ^ row_col(t1, 2, 2 * i);
    q[2] = t1 ^ b2 ^ row_col(t2, 2, 2 * i);
    q[3] = t2 ^ t7 ^ b3 ^ row_col(t3, 2, 2 * i);
    q[4] = t3 ^ t7 ^ b4 ^ row_col(t4, 2, 2 * i);
    q[5] = t4 ^ b5 ^ row_col(t5, 2, 2 * i);
    q[6] = t5 ^ b6 ^ row_col(t6, 2, 2 * i);
    q[7] = t6 ^ b7 ^ row_col(t7, 2, 2 * i);
}

static void shift_rows(state_t q[8], unsigned times)
{
    for (unsigned n = 0; n < times; n++)
        for (unsigned k = 0; k < 8; k++)
            q[k] = shift_rows_word(q[k]);
}

/* Unless MAMORI_AES_SMALL, rounds skip ShiftRows (fixslicing): round r's
 * MixColumns works on a state r ShiftRows behind, its round key was moved
 * back as many (mamori_aes_init), and the missing rounds % 4 ShiftRows are
 * applied once at the end. */
static void encrypt_bitsliced(const mamori_aes_ctx_t *ctx, state_t q[8])
{
    const aes_word_t *rk = ctx->round_keys;
    for (unsigned k = 0; k < 8; k++)
        q[k] ^= rk[k];
    for (unsigned r = 1; r <= ctx->rounds; r++) {
        sub_bytes(q);
        if (MAMORI_AES_SMALL) {
            shift_rows(q, 1);
            if (r != ctx->rounds)
                mix_columns(q, 0);
        } else if (r != ctx->rounds) {
            switch (r % 4) {
            case 0:
                mix_columns(q, 0);
                break;
            case 1:
                mix_columns(q, 1);
                break;
            case 2:
                mix_columns(q, 2);
                break;
            default:
                mix_columns(q, 3);
                break;
            }
        }
        for (unsigned k = 0; k < 8; k++)
            q[k] ^= rk[8 * r + k];
    }
    if (!MAMORI_AES_SMALL)
        shift_rows(q, ctx->rounds % 4);
}

/* SubWord of the key schedule, through the same circuit. */
static uint32_t sub_word(uint32_t w)
{
    uint8_t block[16] = {0};
    state_t q[8];
    put_le32(block, w);
    load_blocks(q, block, 1);
    sub_bytes(q);
    store_blocks(block, q, 1);
    w = get_le32(block);
    mamori_zeroize(block, sizeof block);
    mamori_zeroize(q, sizeof q);
    return w;
}

int mamori_aes_init(mamori_aes_ctx_t *ctx, const uint8_t *key, size_t key_len)
{
    if (key_len != 16 && key_len != 24 && key_len != 32)
        return MAMORI_ERR_INVAL;
    const unsigned nk = (unsigned)key_len / 4;
    ctx->rounds = nk + 6;
    const unsigned total = 4 * (ctx->rounds + 1);

    /* Key expansion, FIPS 197 5.2; words little-endian (byte 0 lowest). */
    uint32_t w[60];
    uint32_t rcon = 1;
    for (unsigned i = 0; i < nk; i++)
        w[i] = get_le32(key + 4 * i);
    for (unsigned i = nk; i < total; i++) {
        uint32_t t = w[i - 1];
        if (i % nk == 0) {
            t = sub_word((t >> 8) | (t << 24)) ^ rcon;
            rcon = (rcon << 1) ^ (0x11b & (0u - (rcon >> 7)));
        } else if (nk > 6 && i % nk == 4) {
            t = sub_word(t);
        }
        w[i] = w[i - nk] ^ t;
    }

    /* Bitsliced round keys: the round key loaded into every block lane (of
     * one word: encrypt_bitsliced applies it to every element), less the
     * ShiftRows the state will lack (encrypt_bitsliced; ShiftRows^4 is the
     * identity). */
    uint8_t copies[16 * AES_LANES];
    for (unsigned r = 0; r <= ctx->rounds; r++) {
        for (unsigned k = 0; k < AES_LANES; k++)
            for (unsigned c = 0; c < 4; c++)
                put_le32(copies + 16 * k + 4 * c, w[4 * r + c]);
#if MAMORI_AES_VEC
        state_t rk[8];
        load_blocks(rk, copies, AES_LANES);
        if (!MAMORI_AES_SMALL)
            shift_rows(rk, (4 - r % 4) % 4);
        for (unsigned k = 0; k < 8; k++)
            ctx->round_keys[8 * r + k] = rk[k][0];
        mamori_zeroize(rk, sizeof rk);
#else
        load_blocks(ctx->round_keys + 8 * r, copies, AES_LANES);
        if (!MAMORI_AES_SMALL)
            shift_rows(ctx->round_keys + 8 * r, (4 - r % 4) % 4);
#endif
    }
    mamori_zeroize(copies, sizeof copies);
    mamori_zeroize(w, sizeof w);
    memcpy(ctx->key, key, key_len);
    ctx->key_len = key_len;
    return MAMORI_OK;
}

/* Encrypts nblocks (at most AES_BLOCKS) blocks of buf in place, through the
 * hardware backend when one takes the key; q is scratch. */
static void encrypt_blocks(const mamori_aes_ctx_t *ctx, state_t q[8], uint8_t *buf,
                           size_t nblocks)
{
    const mamori_crypto_backend_t *be = mamori_crypto_backend();
    if (be && be->aes_ecb_encrypt && ctx->key_len != 24 &&
        be->aes_ecb_encrypt(be->ctx, ctx->key, ctx->key_len, buf, buf, nblocks) == MAMORI_OK)
        return;
    load_blocks(q, buf, nblocks);
    encrypt_bitsliced(ctx, q);
    store_blocks(buf, q, nblocks);
}

void mamori_aes_encrypt_block(const mamori_aes_ctx_t *ctx, const uint8_t in[16], uint8_t out[16])
{
    state_t q[8];
    memmove(out, in, 16);
    encrypt_blocks(ctx, q, out, 1);
    mamori_zeroize(q, sizeof q);
}

/* CTR keystream into in, to out; masked, out takes the result only where
 * keep is 0xff and is left as it was where keep is 0. */
static void ctr32_stream(const mamori_aes_ctx_t *ctx, uint8_t ctr[16], const uint8_t *in,
                         uint8_t *out, size_t len, int masked, uint8_t keep)
{
    uint8_t ks[16 * AES_BLOCKS];
    state_t q[8];
    uint32_t count = ((uint32_t)ctr[12] << 24) | ((uint32_t)ctr[13] << 16) |
                     ((uint32_t)ctr[14] << 8) | ctr[15];
    while (len > 0) {
        size_t n = len < sizeof ks ? len : sizeof ks;
        /* Always a full set of lanes: the counter may be secret (GCM with a
         * hashed IV), so no loop bound may be derived from it. */
        for (uint32_t k = 0; k < AES_BLOCKS; k++) {
            uint32_t c = count + k;
            memcpy(ks + 16 * k, ctr, 12);
            ks[16 * k + 12] = (uint8_t)(c >> 24);
            ks[16 * k + 13] = (uint8_t)(c >> 16);
            ks[16 * k + 14] = (uint8_t)(c >> 8);
            ks[16 * k + 15] = (uint8_t)c;
        }
        encrypt_blocks(ctx, q, ks, AES_BLOCKS);
        count += (uint32_t)((n + 15) / 16);
        stream_xor(out, in, ks, n, masked, keep);
        in += n;
        out += n;
        len -= n;
    }
    ctr[12] = (uint8_t)(count >> 24);
    ctr[13] = (uint8_t)(count >> 16);
    ctr[14] = (uint8_t)(count >> 8);
    ctr[15] = (uint8_t)count;
    mamori_zeroize(ks, sizeof ks);
    mamori_zeroize(q, sizeof q);
}

void mamori_aes_ctr32(const mamori_aes_ctx_t *ctx, uint8_t ctr[16], const uint8_t *in,
                      uint8_t *out, size_t len)
{
    ctr32_stream(ctx, ctr, in, out, len, 0, 0);
}

void mamori_aes_ctr32_if(const mamori_aes_ctx_t *ctx, uint8_t ctr[16], uint8_t keep,
                         const uint8_t *in, uint8_t *out, size_t len)
{
    ctr32_stream(ctx, ctr, in, out, len, 1, keep);
}

void mamori_aes_wipe(mamori_aes_ctx_t *ctx) { mamori_zeroize(ctx, sizeof *ctx); }

#endif
