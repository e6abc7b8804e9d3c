/*
 * Differential tests against OpenSSL 3.0: AES-GCM (all key sizes, 12-byte
 * and other IV lengths), ChaCha20-Poly1305, raw ChaCha20 and streaming
 * Poly1305 on random inputs from a fixed seed. OpenSSL is fed in random
 * pieces; mamori's Poly1305 stream is split at random points too.
 */
#include "mamori/chachapoly.h"
#include "mamori/error.h"
#include "mamori/gcm.h"

#include "check.h"
#include "rng.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define ITERATIONS 3000
#define MAX_LEN 2048

static uint64_t rng_state = 0x6d616d6f72692121u;

static uint32_t rnd(void) { return test_rng_next(&rng_state); }

static void rnd_bytes(uint8_t *p, size_t n) { test_rng_bytes(&rng_state, p, n); }

/* Lengths biased towards block boundaries and small values. */
static size_t rnd_len(size_t max)
{
    switch (rnd() % 4) {
    case 0:
        return rnd() % 40;
    case 1:
        return (rnd() % (max / 16 + 1)) * 16;
    default:
        return rnd() % (max + 1);
    }
}

/* Runs an EVP AEAD encryption with the input in random pieces. */
static void evp_seal(const EVP_CIPHER *cipher, const uint8_t *key, const uint8_t *iv,
                     size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                     size_t len, uint8_t *out, uint8_t tag[16])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0;
    CHECK(EVP_EncryptInit_ex(c, cipher, NULL, NULL, NULL) == 1);
    CHECK(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, (int)iv_len, NULL) == 1);
    CHECK(EVP_EncryptInit_ex(c, NULL, NULL, key, iv) == 1);
    size_t done = 0;
    while (done < aad_len) {
        size_t piece = 1 + rnd() % (aad_len - done);
        CHECK(EVP_EncryptUpdate(c, NULL, &n, aad + done, (int)piece) == 1);
        done += piece;
    }
    size_t written = 0;
    done = 0;
    while (done < len) {
        size_t piece = 1 + rnd() % (len - done);
        CHECK(EVP_EncryptUpdate(c, out + written, &n, in + done, (int)piece) == 1);
        written += (size_t)n;
        done += piece;
    }
    CHECK(EVP_EncryptFinal_ex(c, out + written, &n) == 1);
    CHECK_EQ(written + (size_t)n, len);
    CHECK(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, tag) == 1);
    EVP_CIPHER_CTX_free(c);
}

static const EVP_CIPHER *gcm_cipher(size_t key_len)
{
    return key_len == 16 ? EVP_aes_128_gcm() : key_len == 24 ? EVP_aes_192_gcm() : EVP_aes_256_gcm();
}

/* Checks open of (ct, tag) and that a one-bit change anywhere is refused
 * without touching the output buffer. mode 0 = GCM, 1 = ChaCha20-Poly1305. */
static void check_open(int mode, const mamori_gcm_ctx_t *gcm, const uint8_t *key,
                       const uint8_t *iv, size_t iv_len, uint8_t *aad, size_t aad_len,
                       uint8_t *ct, size_t len, uint8_t tag[16], const uint8_t *pt)
{
    static uint8_t buf[MAX_LEN], before[MAX_LEN];
    memcpy(buf, ct, len);
    int err = mode == 0 ? mamori_gcm_open(gcm, iv, iv_len, aad, aad_len, buf, len, tag, buf)
                        : mamori_chachapoly_open(key, iv, aad, aad_len, buf, len, tag, buf);
    CHECK_EQ(err, MAMORI_OK);
    CHECK_MEM(buf, pt, len);

    /* Flip one bit of the aad, ciphertext or tag. */
    size_t total_bits = 8 * (aad_len + len + 16);
    size_t bit = rnd() % total_bits;
    uint8_t *target = bit < 8 * aad_len           ? aad + bit / 8
                      : bit < 8 * (aad_len + len) ? ct + (bit / 8 - aad_len)
                                                  : tag + (bit / 8 - aad_len - len);
    *target ^= (uint8_t)(1u << (bit % 8));
    rnd_bytes(buf, len);
    memcpy(before, buf, len);
    err = mode == 0 ? mamori_gcm_open(gcm, iv, iv_len, aad, aad_len, ct, len, tag, buf)
                    : mamori_chachapoly_open(key, iv, aad, aad_len, ct, len, tag, buf);
    CHECK_EQ(err, MAMORI_ERR_AUTH);
    CHECK_MEM(buf, before, len);
    *target ^= (uint8_t)(1u << (bit % 8));
}

static void diff_gcm(void)
{
    static uint8_t pt[MAX_LEN], ct[MAX_LEN], want[MAX_LEN];
    uint8_t key[32], iv[64], aad[300], tag[16], want_tag[16];
    for (unsigned it = 0; it < ITERATIONS; it++) {
        size_t key_len = 16 + 8 * (rnd() % 3);
        size_t iv_len = rnd() % 4 ? 12 : 1 + rnd() % sizeof iv;
        size_t aad_len = rnd_len(sizeof aad - 1), len = rnd_len(MAX_LEN);
        rnd_bytes(key, key_len);
        rnd_bytes(iv, iv_len);
        rnd_bytes(aad, aad_len);
        rnd_bytes(pt, len);
        unsigned before = check_failed;

        mamori_gcm_ctx_t gcm;
        CHECK_EQ(mamori_gcm_init(&gcm, key, key_len), MAMORI_OK);
        evp_seal(gcm_cipher(key_len), key, iv, iv_len, aad, aad_len, pt, len, want, want_tag);
        if (it % 2) {
            memcpy(ct, pt, len);
            CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, ct, len, ct, tag), MAMORI_OK);
        } else {
            CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, pt, len, ct, tag), MAMORI_OK);
        }
        CHECK_MEM(ct, want, len);
        CHECK_MEM(tag, want_tag, 16);
        check_open(0, &gcm, key, iv, iv_len, aad, aad_len, ct, len, tag, pt);
        mamori_gcm_wipe(&gcm);
        if (check_failed != before) {
            fprintf(stderr, "  gcm iteration %u: key %zu iv %zu aad %zu len %zu\n", it, key_len,
                    iv_len, aad_len, len);
            return;
        }
    }
}

/* Every length up to 10 blocks: seal and open take a short message through
 * the AES pass that makes E(K, J0) (7 blocks on 64-bit hosts, start() in
 * gcm.c) and a longer one through passes of its own. */
static void diff_gcm_lengths(void)
{
    static uint8_t pt[160], ct[160], want[160];
    uint8_t key[16], iv[12], aad[13], tag[16], want_tag[16];
    for (size_t len = 0; len <= sizeof pt; len++) {
        rnd_bytes(key, sizeof key);
        rnd_bytes(iv, sizeof iv);
        rnd_bytes(aad, sizeof aad);
        rnd_bytes(pt, len);
        unsigned before = check_failed;
        mamori_gcm_ctx_t gcm;
        CHECK_EQ(mamori_gcm_init(&gcm, key, sizeof key), MAMORI_OK);
        evp_seal(gcm_cipher(sizeof key), key, iv, sizeof iv, aad, sizeof aad, pt, len, want,
                 want_tag);
        CHECK_EQ(mamori_gcm_seal(&gcm, iv, sizeof iv, aad, sizeof aad, pt, len, ct, tag),
                 MAMORI_OK);
        CHECK_MEM(ct, want, len);
        CHECK_MEM(tag, want_tag, 16);
        check_open(0, &gcm, key, iv, sizeof iv, aad, sizeof aad, ct, len, tag, pt);
        mamori_gcm_wipe(&gcm);
        if (check_failed != before) {
            fprintf(stderr, "  gcm length %zu\n", len);
            return;
        }
    }
}

/* Long messages and AAD, at random lengths up to 20 KiB: GHASH hashes whole
 * groups of 8 blocks through its tables on 64-bit hosts (from 24 blocks on,
 * ghash.c) and the rest block by block. */
static void diff_gcm_long(void)
{
    static uint8_t pt[20480], ct[20480], want[20480], aad[2048];
    uint8_t key[32], iv[12], tag[16], want_tag[16];
    for (unsigned it = 0; it < 200; it++) {
        size_t key_len = 16 + 8 * (rnd() % 3);
        size_t len = rnd() % 4 ? rnd() % (sizeof pt + 1) : 128 * (rnd() % (sizeof pt / 128 + 1));
        size_t aad_len = rnd() % 2 ? rnd() % 40 : rnd() % (sizeof aad + 1);
        rnd_bytes(key, key_len);
        rnd_bytes(iv, sizeof iv);
        rnd_bytes(aad, aad_len);
        rnd_bytes(pt, len);
        unsigned before = check_failed;
        mamori_gcm_ctx_t gcm;
        CHECK_EQ(mamori_gcm_init(&gcm, key, key_len), MAMORI_OK);
        evp_seal(gcm_cipher(key_len), key, iv, sizeof iv, aad, aad_len, pt, len, want, want_tag);
        CHECK_EQ(mamori_gcm_seal(&gcm, iv, sizeof iv, aad, aad_len, pt, len, ct, tag), MAMORI_OK);
        CHECK_MEM(ct, want, len);
        CHECK_MEM(tag, want_tag, 16);
        CHECK_EQ(mamori_gcm_open(&gcm, iv, sizeof iv, aad, aad_len, ct, len, tag, want),
                 MAMORI_OK);
        CHECK_MEM(want, pt, len);
        /* One flipped bit of the ciphertext (of the tag when there is none). */
        uint8_t *target = len > 0 ? ct + rnd() % len : tag;
        *target ^= (uint8_t)(1u << rnd() % 8);
        CHECK_EQ(mamori_gcm_open(&gcm, iv, sizeof iv, aad, aad_len, ct, len, tag, want),
                 MAMORI_ERR_AUTH);
        mamori_gcm_wipe(&gcm);
        if (check_failed != before) {
            fprintf(stderr, "  gcm long iteration %u: key %zu aad %zu len %zu\n", it, key_len,
                    aad_len, len);
            return;
        }
    }
}

static void diff_chachapoly(void)
{
    static uint8_t pt[MAX_LEN], ct[MAX_LEN], want[MAX_LEN];
    uint8_t key[32], nonce[12], aad[300], tag[16], want_tag[16];
    for (unsigned it = 0; it < ITERATIONS; it++) {
        size_t aad_len = rnd_len(sizeof aad - 1), len = rnd_len(MAX_LEN);
        rnd_bytes(key, sizeof key);
        rnd_bytes(nonce, sizeof nonce);
        rnd_bytes(aad, aad_len);
        rnd_bytes(pt, len);
        unsigned before = check_failed;

        evp_seal(EVP_chacha20_poly1305(), key, nonce, 12, aad, aad_len, pt, len, want, want_tag);
        if (it % 2) {
            memcpy(ct, pt, len);
            CHECK_EQ(mamori_chachapoly_seal(key, nonce, aad, aad_len, ct, len, ct, tag), MAMORI_OK);
        } else {
            CHECK_EQ(mamori_chachapoly_seal(key, nonce, aad, aad_len, pt, len, ct, tag), MAMORI_OK);
        }
        CHECK_MEM(ct, want, len);
        CHECK_MEM(tag, want_tag, 16);
        check_open(1, NULL, key, nonce, 12, aad, aad_len, ct, len, tag, pt);
        if (check_failed != before) {
            fprintf(stderr, "  chachapoly iteration %u: aad %zu len %zu\n", it, aad_len, len);
            return;
        }
    }
}

/* Raw ChaCha20 from a random counter (OpenSSL's IV is counter || nonce,
 * counter little-endian), without crossing the 32-bit counter wrap where
 * OpenSSL carries into the nonce. */
static void diff_chacha20(void)
{
    static uint8_t pt[MAX_LEN], ct[MAX_LEN], want[MAX_LEN];
    uint8_t key[32], iv[16];
    for (unsigned it = 0; it < ITERATIONS; it++) {
        size_t len = rnd_len(MAX_LEN);
        uint32_t counter = rnd() % 0xffff0000u;
        rnd_bytes(key, sizeof key);
        rnd_bytes(iv + 4, 12);
        rnd_bytes(pt, len);
        for (unsigned i = 0; i < 4; i++)
            iv[i] = (uint8_t)(counter >> (8 * i));
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
        int n = 0;
        CHECK(EVP_EncryptInit_ex(c, EVP_chacha20(), NULL, key, iv) == 1);
        CHECK(EVP_EncryptUpdate(c, want, &n, pt, (int)len) == 1);
        EVP_CIPHER_CTX_free(c);
        mamori_chacha20_xor(key, iv + 4, counter, pt, ct, len);
        CHECK_MEM(ct, want, len);
    }
}

static void diff_poly1305(void)
{
    static uint8_t msg[MAX_LEN];
    uint8_t key[32], tag[16], want[16];
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "POLY1305", NULL);
    CHECK(mac != NULL);
    if (!mac)
        return;
    for (unsigned it = 0; it < ITERATIONS; it++) {
        size_t len = rnd_len(MAX_LEN), out_len = 0;
        rnd_bytes(key, sizeof key);
        rnd_bytes(msg, len);
        /* Push the accumulator towards its edge cases now and then. */
        if (it % 8 == 0)
            memset(msg, 0xff, len);
        /* ... and with r at its clamped maximum and s all ones, so every
         * limb product and the final h + s carry as far as they can. */
        if (it % 8 == 4) {
            memset(key, 0xff, sizeof key);
            memset(msg, 0xff, len);
        }
        EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac);
        CHECK(EVP_MAC_init(c, key, sizeof key, NULL) == 1);
        CHECK(EVP_MAC_update(c, msg, len) == 1);
        CHECK(EVP_MAC_final(c, want, &out_len, sizeof want) == 1);
        EVP_MAC_CTX_free(c);

        mamori_poly1305_t st;
        mamori_poly1305_init(&st, key);
        size_t done = 0;
        while (done < len) {
            size_t piece = rnd() % (len - done + 1);
            mamori_poly1305_update(&st, msg + done, piece);
            done += piece;
        }
        mamori_poly1305_finish(&st, tag);
        CHECK_MEM(tag, want, 16);
    }
    EVP_MAC_free(mac);
}

int main(void)
{
    diff_gcm();
    diff_gcm_lengths();
    diff_gcm_long();
    diff_chachapoly();
    diff_chacha20();
    diff_poly1305();
    return check_summary("diff_aead");
}
