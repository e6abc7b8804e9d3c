/*
 * AES (FIPS 197) and AES-GCM (NIST SP 800-38D) on x86-64 with AES-NI and
 * PCLMULQDQ, as the POSIX port's crypto backend. Only the functions that use
 * the instructions are compiled for them (the target attribute), so the rest
 * of the build keeps generic flags, and the table is installed only when
 * CPUID reports the features. The instructions run in data-independent time
 * and no memory index depends on a secret.
 *
 * The hook passes the raw key on every call, so each call expands the key
 * schedule and the powers of H afresh and wipes them before it returns.
 */
#include "posix/crypto_x86.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include "mamori/crypto_backend.h"
#include "mamori/ct.h"
#include "mamori/error.h"

#include <immintrin.h>
#include <string.h>

#define X86_HW __attribute__((target("aes,pclmul,sse4.1")))

/* Blocks per pass: independent AESENC chains that overlap in the pipeline,
 * and GHASH blocks summed before one reduction. */
#define LANES 8

typedef struct {
    __m128i rk[15];
    unsigned rounds;
} aes_key_t;

typedef struct {
    aes_key_t aes;
    __m128i h[LANES]; /* H^1 .. H^LANES, byte-reversed (see load_rev) */
} gcm_key_t;

/* SubWord (FIPS 197 5.2): AESKEYGENASSIST returns SubWord of its second
 * dword in its first. */
X86_HW static uint32_t sub_word(uint32_t w)
{
    return (uint32_t)_mm_cvtsi128_si32(_mm_aeskeygenassist_si128(_mm_set1_epi32((int)w), 0));
}

/* FIPS 197 5.2 on little-endian words (the x86 byte order), where RotWord
 * is a right rotation by 8 and Rcon sits in the low byte. */
X86_HW static int expand_key(aes_key_t *k, const uint8_t *key, size_t key_len)
{
    if (key_len != 16 && key_len != 24 && key_len != 32)
        return 0;
    uint32_t w[60], rcon = 1;
    unsigned nk = (unsigned)key_len / 4;
    k->rounds = nk + 6;
    memcpy(w, key, key_len);
    for (unsigned i = nk; i < 4 * (k->rounds + 1); i++) {
        uint32_t t = w[i - 1];
        if (i % nk == 0) {
            t = sub_word(t);
            t = ((t >> 8) | (t << 24)) ^ rcon;
            rcon = (rcon << 1) ^ (0x11b & (0u - (rcon >> 7)));
        } else if (nk > 6 && i % nk == 4) {
            t = sub_word(t);
        }
        w[i] = w[i - nk] ^ t;
    }
    for (unsigned r = 0; r <= k->rounds; r++)
        k->rk[r] = _mm_loadu_si128((const __m128i *)(w + 4 * r));
    mamori_zeroize(w, sizeof w);
    return 1;
}

X86_HW static __m128i encrypt_block(const aes_key_t *k, __m128i b)
{
    b = _mm_xor_si128(b, k->rk[0]);
    for (unsigned r = 1; r < k->rounds; r++)
        b = _mm_aesenc_si128(b, k->rk[r]);
    return _mm_aesenclast_si128(b, k->rk[k->rounds]);
}

/* LANES blocks round by round, so that their rounds overlap. */
X86_HW static void encrypt_lanes(const aes_key_t *k, __m128i b[LANES])
{
    for (unsigned j = 0; j < LANES; j++)
        b[j] = _mm_xor_si128(b[j], k->rk[0]);
    for (unsigned r = 1; r < k->rounds; r++)
        for (unsigned j = 0; j < LANES; j++)
            b[j] = _mm_aesenc_si128(b[j], k->rk[r]);
    for (unsigned j = 0; j < LANES; j++)
        b[j] = _mm_aesenclast_si128(b[j], k->rk[k->rounds]);
}

X86_HW static int x86_aes_ecb(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *in,
                              uint8_t *out, size_t nblocks)
{
    (void)ctx;
    aes_key_t k;
    if (!expand_key(&k, key, key_len))
        return MAMORI_ERR_UNSUPPORTED;
    for (size_t i = 0; i < nblocks; i++) {
        __m128i b = _mm_loadu_si128((const __m128i *)(in + 16 * i));
        _mm_storeu_si128((__m128i *)(out + 16 * i), encrypt_block(&k, b));
    }
    mamori_zeroize(&k, sizeof k);
    return MAMORI_OK;
}

/* GHASH (SP 800-38D 6.4) works on byte-reversed blocks: loaded that way,
 * the first bit of a block (the coefficient of x^0, SP 800-38D 6.3) is the
 * top bit of the 128-bit integer, and x^127 its bottom bit. */
X86_HW static __m128i byte_reverse(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

X86_HW static __m128i load_rev(const uint8_t *p)
{
    return byte_reverse(_mm_loadu_si128((const __m128i *)p));
}

/* An unreduced 256-bit carry-less product: lo ^ mid << 64 ^ hi << 128. */
typedef struct {
    __m128i lo, mid, hi;
} wide_t;

X86_HW static void mul_acc(wide_t *w, __m128i a, __m128i b)
{
    w->lo = _mm_xor_si128(w->lo, _mm_clmulepi64_si128(a, b, 0x00));
    w->hi = _mm_xor_si128(w->hi, _mm_clmulepi64_si128(a, b, 0x11));
    w->mid = _mm_xor_si128(w->mid, _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01),
                                                  _mm_clmulepi64_si128(a, b, 0x10)));
}

/* 128-bit logical shifts of x by k bits, 0 < k < 64. */
#define SHL128(x, k) _mm_or_si128(_mm_slli_epi64(x, k), _mm_bslli_si128(_mm_srli_epi64(x, 64 - (k)), 8))
#define SHR128(x, k) _mm_or_si128(_mm_srli_epi64(x, k), _mm_bsrli_si128(_mm_slli_epi64(x, 64 - (k)), 8))

/* Reduces modulo x^128 + x^7 + x^2 + x + 1. The carry-less product of two
 * byte-reversed elements is their polynomial product (degree <= 254)
 * bit-reversed within 255 bits; one more left shift makes it the 256-bit
 * reversal, whose high half holds x^0..x^127 and low half L holds
 * x^128..x^255. With x^128 = 1 + x + x^2 + x^7, and multiplication by x^k
 * being a right shift by k in reversed order, L folds in as
 * L ^ L>>1 ^ L>>2 ^ L>>7; the bits those shifts push out stand for x^128
 * and up again, and are folded first (they land in the top 7 bits of L,
 * which fold without further overflow). */
X86_HW static __m128i reduce(wide_t w)
{
    __m128i lo = _mm_xor_si128(w.lo, _mm_bslli_si128(w.mid, 8));
    __m128i hi = _mm_xor_si128(w.hi, _mm_bsrli_si128(w.mid, 8));
    hi = _mm_or_si128(SHL128(hi, 1), _mm_bsrli_si128(_mm_srli_epi64(lo, 63), 8));
    lo = SHL128(lo, 1);
    __m128i spill = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(lo, 63), _mm_slli_epi64(lo, 62)),
                                  _mm_slli_epi64(lo, 57));
    lo = _mm_xor_si128(lo, _mm_bslli_si128(spill, 8));
    __m128i fold = _mm_xor_si128(_mm_xor_si128(lo, SHR128(lo, 1)),
                                 _mm_xor_si128(SHR128(lo, 2), SHR128(lo, 7)));
    return _mm_xor_si128(hi, fold);
}

X86_HW static __m128i gf_mul(__m128i a, __m128i b)
{
    wide_t w = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
    mul_acc(&w, a, b);
    return reduce(w);
}

X86_HW static int gcm_setup(gcm_key_t *g, const uint8_t *key, size_t key_len)
{
    if (!expand_key(&g->aes, key, key_len))
        return 0;
    g->h[0] = byte_reverse(encrypt_block(&g->aes, _mm_setzero_si128()));
    for (unsigned i = 1; i < LANES; i++)
        g->h[i] = gf_mul(g->h[i - 1], g->h[0]);
    return 1;
}

/* For each block X of data (the last one zero-padded): y = (y ^ X) * H.
 * LANES blocks at a time as (y ^ X1) * H^LANES ^ X2 * H^(LANES-1) ^ ...,
 * reduced once. */
X86_HW static __m128i ghash(const gcm_key_t *g, __m128i y, const uint8_t *p, size_t len)
{
    for (; len >= 16 * LANES; p += 16 * LANES, len -= 16 * LANES) {
        wide_t w = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
        mul_acc(&w, _mm_xor_si128(y, load_rev(p)), g->h[LANES - 1]);
        for (unsigned j = 1; j < LANES; j++)
            mul_acc(&w, load_rev(p + 16 * j), g->h[LANES - 1 - j]);
        y = reduce(w);
    }
    for (; len >= 16; p += 16, len -= 16)
        y = gf_mul(_mm_xor_si128(y, load_rev(p)), g->h[0]);
    if (len > 0) {
        uint8_t last[16] = {0};
        memcpy(last, p, len);
        y = gf_mul(_mm_xor_si128(y, load_rev(last)), g->h[0]);
    }
    return y;
}

/* Folds in the block [a_bytes * 8]64 || [b_bytes * 8]64; byte-reversed,
 * the first half is the high qword. */
X86_HW static __m128i ghash_lengths(const gcm_key_t *g, __m128i y, uint64_t a_bytes, uint64_t b_bytes)
{
    __m128i lens = _mm_set_epi64x((long long)(a_bytes << 3), (long long)(b_bytes << 3));
    return gf_mul(_mm_xor_si128(y, lens), g->h[0]);
}

/* Pre-counter block J0 (SP 800-38D 7.1 step 2), in block byte order. */
X86_HW static __m128i derive_j0(const gcm_key_t *g, const uint8_t *iv, size_t iv_len)
{
    if (iv_len == 12) {
        uint8_t b[16] = {0};
        memcpy(b, iv, 12);
        b[15] = 1;
        return _mm_loadu_si128((const __m128i *)b);
    }
    __m128i y = ghash(g, _mm_setzero_si128(), iv, iv_len);
    return byte_reverse(ghash_lengths(g, y, 0, iv_len));
}

/* j0 with its last 32 bits replaced by ctr, big-endian: inc32 (SP 800-38D
 * 6.2) is then ctr + 1 in uint32_t. */
X86_HW static __m128i counter_block(__m128i j0, uint32_t ctr)
{
    return _mm_insert_epi32(j0, (int)__builtin_bswap32(ctr), 3);
}

X86_HW static uint32_t counter_of(__m128i j0)
{
    return __builtin_bswap32((uint32_t)_mm_extract_epi32(j0, 3));
}

/* GCTR (SP 800-38D 6.5) from counter block j0 with counter ctr; out == in
 * is fine. When masked, out takes the result only where keep is all ones
 * and is read and written back unchanged where it is zero, so no branch
 * depends on keep. */
X86_HW static void gctr(const aes_key_t *k, __m128i j0, uint32_t ctr, int masked, __m128i keep,
                        const uint8_t *in, uint8_t *out, size_t len)
{
    __m128i b[LANES];
    for (; len >= 16 * LANES; in += 16 * LANES, out += 16 * LANES, len -= 16 * LANES) {
        for (unsigned j = 0; j < LANES; j++)
            b[j] = counter_block(j0, ctr + j);
        ctr += LANES;
        encrypt_lanes(k, b);
        for (unsigned j = 0; j < LANES; j++) {
            __m128i x = _mm_xor_si128(b[j], _mm_loadu_si128((const __m128i *)(in + 16 * j)));
            if (masked) {
                __m128i old = _mm_loadu_si128((const __m128i *)(out + 16 * j));
                x = _mm_or_si128(_mm_and_si128(keep, x), _mm_andnot_si128(keep, old));
            }
            _mm_storeu_si128((__m128i *)(out + 16 * j), x);
        }
    }
    if (len > 0) {
        uint8_t ks[16 * LANES], keep8 = (uint8_t)(masked ? _mm_cvtsi128_si32(keep) : 0xff);
        for (unsigned j = 0; j < LANES; j++)
            b[j] = counter_block(j0, ctr + j);
        encrypt_lanes(k, b);
        for (unsigned j = 0; j < LANES; j++)
            _mm_storeu_si128((__m128i *)(ks + 16 * j), b[j]);
        for (size_t i = 0; i < len; i++)
            out[i] ^= keep8 & (out[i] ^ in[i] ^ ks[i]);
        mamori_zeroize(ks, sizeof ks);
    }
}

/* GHASH over aad and the ciphertext, xored with E(K, J0) (SP 800-38D 7.1
 * steps 5-6), in block byte order. */
X86_HW static __m128i gcm_tag(const gcm_key_t *g, __m128i j0, const uint8_t *aad, size_t aad_len,
                              const uint8_t *ct, size_t len)
{
    __m128i y = ghash(g, _mm_setzero_si128(), aad, aad_len);
    y = ghash_lengths(g, ghash(g, y, ct, len), aad_len, len);
    return _mm_xor_si128(byte_reverse(y), encrypt_block(&g->aes, j0));
}

/* The lengths were checked by mamori_gcm_seal/open before the hook. */
X86_HW static int x86_gcm_seal(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                               size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                               size_t len, uint8_t *out, uint8_t tag[16])
{
    (void)ctx;
    gcm_key_t g;
    if (!gcm_setup(&g, key, key_len))
        return MAMORI_ERR_UNSUPPORTED;
    __m128i j0 = derive_j0(&g, iv, iv_len);
    gctr(&g.aes, j0, counter_of(j0) + 1, 0, _mm_setzero_si128(), in, out, len);
    _mm_storeu_si128((__m128i *)tag, gcm_tag(&g, j0, aad, aad_len, out, len));
    mamori_zeroize(&g, sizeof g);
    return MAMORI_OK;
}

X86_HW static int x86_gcm_open(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                               size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                               size_t len, const uint8_t tag[16], uint8_t *out)
{
    (void)ctx;
    gcm_key_t g;
    uint8_t expect[16];
    if (!gcm_setup(&g, key, key_len))
        return MAMORI_ERR_UNSUPPORTED;
    __m128i j0 = derive_j0(&g, iv, iv_len);
    _mm_storeu_si128((__m128i *)expect, gcm_tag(&g, j0, aad, aad_len, in, len));
    int ok = mamori_ct_equal(expect, tag, 16);
    mamori_zeroize(expect, sizeof expect);
    /* SP 800-38D 7.2: no plaintext unless the tag verifies. As in the
     * software open, the decryption runs masked by the verdict instead of
     * branching on it, and out is left as it was on a bad tag. */
    gctr(&g.aes, j0, counter_of(j0) + 1, 1, _mm_set1_epi32(-ok), in, out, len);
    mamori_zeroize(&g, sizeof g);
    return -(1 - ok) & MAMORI_ERR_AUTH;
}

static const mamori_crypto_backend_t x86_backend = {
    .aes_ecb_encrypt = x86_aes_ecb,
    .gcm_seal = x86_gcm_seal,
    .gcm_open = x86_gcm_open,
};

bool mamori_posix_crypto_install(void)
{
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("aes") || !__builtin_cpu_supports("pclmul") ||
        !__builtin_cpu_supports("sse4.1"))
        return false;
    mamori_crypto_set_backend(&x86_backend);
    return true;
}

#else

bool mamori_posix_crypto_install(void) { return false; }

#endif
