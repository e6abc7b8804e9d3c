/*
 * The POSIX port's x86-64 crypto backend (port/posix/crypto_x86.c): it must
 * install exactly when the CPU has AES-NI, PCLMULQDQ and SSE4.1; once
 * installed, every Wycheproof AES-GCM vector runs through it by way of the
 * public API, and on random inputs it must agree with the software
 * implementation byte for byte, including a 32-bit counter that wraps.
 */
#include "mamori/aes.h"
#include "mamori/crypto_backend.h"
#include "mamori/error.h"
#include "mamori/gcm.h"
#include "posix/crypto_x86.h"

#include "crypto/ghash.h"

#include "check.h"
#include "gcm_wycheproof.h"

#include <stdlib.h>
#include <string.h>

static const mamori_crypto_backend_t *hw;
static unsigned hw_calls, hw_declined;

/* A table in front of the hardware one that counts the calls mamori makes
 * through the hook and those the hardware declines. */
static int note(int rc)
{
    hw_calls++;
    hw_declined += rc == MAMORI_ERR_UNSUPPORTED;
    return rc;
}

static int count_ecb(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *in,
                     uint8_t *out, size_t nblocks)
{
    (void)ctx;
    return note(hw->aes_ecb_encrypt(hw->ctx, key, key_len, in, out, nblocks));
}

static int count_seal(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                      size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                      size_t len, uint8_t *out, uint8_t tag[16])
{
    (void)ctx;
    return note(hw->gcm_seal(hw->ctx, key, key_len, iv, iv_len, aad, aad_len, in, len, out, tag));
}

static int count_open(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                      size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                      size_t len, const uint8_t tag[16], uint8_t *out)
{
    (void)ctx;
    return note(hw->gcm_open(hw->ctx, key, key_len, iv, iv_len, aad, aad_len, in, len, tag, out));
}

static const mamori_crypto_backend_t counting = {
    .aes_ecb_encrypt = count_ecb,
    .gcm_seal = count_seal,
    .gcm_open = count_open,
};

static uint64_t rng_state = 0x243f6a8885a308d3u;

static uint32_t rnd(uint32_t bound)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)((rng_state >> 32) % bound);
}

static void rnd_fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd(256);
}

static int cpu_has_features(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul") &&
           __builtin_cpu_supports("sse4.1");
#else
    return 0;
#endif
}

static void test_wycheproof(void)
{
    hw_calls = hw_declined = 0;
    mamori_crypto_set_backend(&counting);
    unsigned n = gcm_wycheproof_run("AES-NI backend");
    mamori_crypto_set_backend(NULL);
    /* One open per vector (bar the zero-length IVs the API rejects first)
     * and one seal per valid vector; every key size is taken. */
    CHECK(hw_calls >= n);
    CHECK_EQ(hw_declined, 0);
}

/* FIPS 197 Appendix C known answers straight through the hook, then ECB
 * against software AES for every key size, 0..17 blocks, in place too. */
static void test_ecb(void)
{
    static const char *const want_hex[3] = {"69c4e0d86a7b0430d8cdb78070b4c55a",
                                            "dda97ca4864cdfe06eaf70a0ec0d7191",
                                            "8ea2b7ca516745bfeafc49904b496089"};
    uint8_t key[32], pt[16], want[16], got[16];
    for (unsigned i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    hex_decode("00112233445566778899aabbccddeeff", pt, sizeof pt);
    for (unsigned s = 0; s < 3; s++) {
        hex_decode(want_hex[s], want, sizeof want);
        CHECK_EQ(hw->aes_ecb_encrypt(hw->ctx, key, 16 + 8 * s, pt, got, 1), MAMORI_OK);
        CHECK_MEM(got, want, 16);
    }
    CHECK_EQ(hw->aes_ecb_encrypt(hw->ctx, key, 20, pt, got, 1), MAMORI_ERR_UNSUPPORTED);

    uint8_t in[17 * 16], sw[17 * 16], out[17 * 16];
    for (unsigned s = 0; s < 3; s++) {
        size_t key_len = 16 + 8 * s;
        for (size_t nb = 0; nb <= 17; nb++) {
            mamori_aes_ctx_t aes;
            rnd_fill(key, key_len);
            rnd_fill(in, sizeof in);
            CHECK_EQ(mamori_aes_init(&aes, key, key_len), MAMORI_OK);
            for (size_t b = 0; b < nb; b++)
                mamori_aes_encrypt_block(&aes, in + 16 * b, sw + 16 * b);
            mamori_aes_wipe(&aes);
            CHECK_EQ(hw->aes_ecb_encrypt(hw->ctx, key, key_len, in, out, nb), MAMORI_OK);
            CHECK_MEM(out, sw, 16 * nb);
            CHECK_EQ(hw->aes_ecb_encrypt(hw->ctx, key, key_len, in, in, nb), MAMORI_OK);
            CHECK_MEM(in, sw, 16 * nb);
        }
    }
}

/* Seals with software and through the backend (public API both times) and
 * compares; opens through the backend, copying and in place; then a bad
 * tag, ciphertext or AAD must give MAMORI_ERR_AUTH and leave out as it
 * was. */
static void differential(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                         const uint8_t *aad, size_t aad_len, const uint8_t *msg, size_t len)
{
    mamori_gcm_ctx_t gcm;
    uint8_t *ct = malloc(len + 1), *out = malloc(len + 1), *fill = malloc(len + 1);
    uint8_t *mod_aad = malloc(aad_len + 1), tag[16], hw_tag[16], bad_tag[16];
    unsigned before = check_failed, calls = hw_calls;
    CHECK_EQ(mamori_gcm_init(&gcm, key, key_len), MAMORI_OK);
    CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, msg, len, ct, tag), MAMORI_OK);

    mamori_crypto_set_backend(&counting);
    CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, msg, len, out, hw_tag), MAMORI_OK);
    CHECK_MEM(out, ct, len);
    CHECK_MEM(hw_tag, tag, 16);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, len, tag, out), MAMORI_OK);
    CHECK_MEM(out, msg, len);
    memcpy(out, msg, len);
    CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, out, len, out, hw_tag), MAMORI_OK);
    CHECK_MEM(out, ct, len);
    CHECK_MEM(hw_tag, tag, 16);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, out, len, tag, out), MAMORI_OK);
    CHECK_MEM(out, msg, len);

    memcpy(bad_tag, tag, 16);
    bad_tag[rnd(16)] ^= (uint8_t)(1u << rnd(8));
    memset(fill, 0x5a, len + 1);
    memset(out, 0x5a, len + 1);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, len, bad_tag, out),
             MAMORI_ERR_AUTH);
    CHECK_MEM(out, fill, len);
    if (aad_len > 0) {
        memcpy(mod_aad, aad, aad_len);
        mod_aad[rnd((uint32_t)aad_len)] ^= 0x80;
        CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, mod_aad, aad_len, ct, len, tag, out),
                 MAMORI_ERR_AUTH);
        CHECK_MEM(out, fill, len);
    }
    if (len > 0) {
        memcpy(out, ct, len);
        out[rnd((uint32_t)len)] ^= 1;
        memcpy(fill, out, len);
        CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, out, len, tag, out),
                 MAMORI_ERR_AUTH);
        CHECK_MEM(out, fill, len);
    }
    mamori_crypto_set_backend(NULL);
    CHECK(hw_calls > calls);
    if (check_failed != before)
        fprintf(stderr, "  in differential case key %zu iv %zu aad %zu len %zu\n", key_len, iv_len,
                aad_len, len);
    mamori_gcm_wipe(&gcm);
    free(ct);
    free(out);
    free(fill);
    free(mod_aad);
}

static void test_differential(void)
{
    static uint8_t msg[16384 + 77], aad[301];
    uint8_t key[32], iv[80];
    hw_calls = hw_declined = 0;
    for (unsigned i = 0; i < 400; i++) {
        size_t key_len = 16 + 8 * rnd(3);
        /* Mostly 96-bit IVs (the fast path), else 1..80 bytes (hashed). */
        size_t iv_len = i % 4 ? 12 : 1 + rnd(80);
        size_t aad_len = rnd(301), len = rnd(301);
        rnd_fill(key, key_len);
        rnd_fill(iv, iv_len);
        rnd_fill(aad, aad_len);
        rnd_fill(msg, len);
        differential(key, key_len, iv, iv_len, aad, aad_len, msg, len);
    }
    static const size_t big[] = {16384, 16384 + 77};
    for (unsigned i = 0; i < 4; i++) {
        rnd_fill(key, 32);
        rnd_fill(iv, 16);
        rnd_fill(aad, 13);
        rnd_fill(msg, sizeof msg);
        differential(key, i < 2 ? 16 : 32, iv, i % 2 ? 16 : 12, aad, 13, msg, big[i % 2]);
    }
    CHECK_EQ(hw_declined, 0);
}

/* a * b in GHASH's field, by way of the software GHASH: (0 ^ a) * b. */
static void gf_mul(uint8_t out[16], const uint8_t a[16], const uint8_t b[16])
{
    uint8_t y[16] = {0};
    mamori_ghash(y, b, a, 16);
    memcpy(out, y, 16);
}

/* A 16-byte IV whose J0 ends in a counter of 0xfffffffa, so that a
 * 20-block message runs the 32-bit counter past 2^32 - 1 back to 0 (inc32,
 * SP 800-38D 6.2). With a 16-byte IV, J0 = ((IV * H) ^ L) * H for the
 * lengths block L, so IV = ((J0 * H^-1) ^ L) * H^-1, and
 * H^-1 = H^(2^128 - 2). */
static void test_counter_wrap(void)
{
    uint8_t key[16], h[16] = {0}, inv[16], j0[16], iv[16], msg[20 * 16 - 5], aad[7];
    mamori_aes_ctx_t aes;
    rnd_fill(key, sizeof key);
    CHECK_EQ(mamori_aes_init(&aes, key, sizeof key), MAMORI_OK);
    mamori_aes_encrypt_block(&aes, h, h);
    mamori_aes_wipe(&aes);
    memcpy(inv, h, 16);
    for (unsigned i = 0; i < 126; i++) {
        gf_mul(inv, inv, inv);
        gf_mul(inv, inv, h);
    }
    gf_mul(inv, inv, inv);
    uint8_t one[16] = {0x80}, check[16];
    gf_mul(check, inv, h);
    CHECK_MEM(check, one, 16);

    rnd_fill(j0, 12);
    memset(j0 + 12, 0xff, 4);
    j0[15] = 0xfa;
    static const uint8_t lens[16] = {[15] = 0x80}; /* L = 0^64 || [128]64 */
    gf_mul(iv, j0, inv);
    for (unsigned i = 0; i < 16; i++)
        iv[i] ^= lens[i];
    gf_mul(iv, iv, inv);
    uint8_t y[16] = {0};
    mamori_ghash(y, h, iv, 16);
    mamori_ghash(y, h, lens, 16);
    CHECK_MEM(y, j0, 16);
    rnd_fill(msg, sizeof msg);
    rnd_fill(aad, sizeof aad);
    hw_calls = hw_declined = 0;
    differential(key, sizeof key, iv, sizeof iv, aad, sizeof aad, msg, sizeof msg);
    CHECK_EQ(hw_declined, 0);
}

int main(void)
{
    int expected = cpu_has_features();
    int installed = mamori_posix_crypto_install();
    CHECK_EQ(installed, expected);
    if (!installed) {
        printf("crypto_x86: no AES-NI/PCLMULQDQ/SSE4.1 here (or not x86-64): backend not "
               "installed, its vectors NOT run\n");
        CHECK(mamori_crypto_backend() == NULL);
        return check_summary("crypto_x86");
    }
    hw = mamori_crypto_backend();
    CHECK(hw && hw->aes_ecb_encrypt && hw->gcm_seal && hw->gcm_open);
    if (!(hw && hw->aes_ecb_encrypt && hw->gcm_seal && hw->gcm_open))
        return check_summary("crypto_x86");
    mamori_crypto_set_backend(NULL);
    test_wycheproof();
    test_ecb();
    test_differential();
    test_counter_wrap();
    return check_summary("crypto_x86");
}
