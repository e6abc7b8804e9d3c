/* Differential tests against OpenSSL libcrypto: SHA-256/384/512 (one-shot and
 * streamed with random split points), HMAC, HKDF extract/expand and TLS 1.3
 * HKDF-Expand-Label (its HkdfLabel built here and expanded by OpenSSL). Random
 * inputs from a fixed seed. */
#include "check.h"
#include "mamori/error.h"
#include "mamori/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <string.h>

#define ITERATIONS 3000
#define MAX_MSG 1200

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static size_t rnd_below(size_t n) { return n ? rnd() % n : 0; }

static void rnd_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd();
}

static const mamori_hash_id_t ids[3] = {MAMORI_HASH_SHA256, MAMORI_HASH_SHA384,
                                        MAMORI_HASH_SHA512};

static const EVP_MD *openssl_md(mamori_hash_id_t id)
{
    return id == MAMORI_HASH_SHA256 ? EVP_sha256() : id == MAMORI_HASH_SHA384 ? EVP_sha384()
                                                                                : EVP_sha512();
}

static const char *openssl_md_name(mamori_hash_id_t id)
{
    return id == MAMORI_HASH_SHA256 ? "SHA256" : id == MAMORI_HASH_SHA384 ? "SHA384" : "SHA512";
}

/* Feeds data to update() in pieces cut at random points (some empty). */
typedef void (*update_fn)(void *ctx, const void *data, size_t len);

static void feed_randomly(update_fn update, void *ctx, const uint8_t *data, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        size_t piece = rnd_below(4) == 0 ? rnd_below(3) : rnd_below(len - pos + 1);
        if (piece > len - pos)
            piece = len - pos;
        update(ctx, data + pos, piece);
        pos += piece;
    }
}

static void hash_update_cb(void *ctx, const void *data, size_t len)
{
    mamori_hash_update(ctx, data, len);
}

static void hmac_update_cb(void *ctx, const void *data, size_t len)
{
    mamori_hmac_update(ctx, data, len);
}

static void test_hashes(void)
{
    static uint8_t msg[MAX_MSG];
    unsigned runs = 0;
    for (int it = 0; it < ITERATIONS; it++) {
        mamori_hash_id_t id = ids[it % 3];
        size_t len = it < 300 ? (size_t)it : rnd_below(MAX_MSG + 1);
        size_t n = mamori_hash_len(id);
        uint8_t want[64], one_shot[64], streamed[64];
        unsigned int want_len = 0;
        rnd_bytes(msg, len);

        CHECK(EVP_Digest(msg, len, want, &want_len, openssl_md(id), NULL) == 1);
        CHECK_EQ(want_len, n);
        CHECK_EQ(mamori_hash(id, msg, len, one_shot), MAMORI_OK);
        CHECK_MEM(one_shot, want, n);

        mamori_hash_t ctx;
        CHECK_EQ(mamori_hash_init(&ctx, id), MAMORI_OK);
        feed_randomly(hash_update_cb, &ctx, msg, len);
        mamori_hash_final(&ctx, streamed);
        CHECK_MEM(streamed, want, n);
        runs++;
    }
    printf("hash: %u random messages x (one-shot + random split) vs EVP_Digest\n", runs);
}

static void test_hmac(void)
{
    static uint8_t msg[MAX_MSG];
    uint8_t key[300];
    unsigned runs = 0;
    for (int it = 0; it < ITERATIONS; it++) {
        mamori_hash_id_t id = ids[it % 3];
        size_t key_len = it < 260 ? (size_t)it : rnd_below(sizeof key + 1);
        size_t len = rnd_below(MAX_MSG + 1);
        size_t n = mamori_hash_len(id);
        uint8_t want[64], got[64];
        unsigned int want_len = 0;
        rnd_bytes(key, key_len);
        rnd_bytes(msg, len);

        CHECK(HMAC(openssl_md(id), key, (int)key_len, msg, len, want, &want_len) != NULL);
        CHECK_EQ(want_len, n);
        CHECK_EQ(mamori_hmac(id, key, key_len, msg, len, got), MAMORI_OK);
        CHECK_MEM(got, want, n);

        mamori_hmac_t ctx;
        CHECK_EQ(mamori_hmac_init(&ctx, id, key, key_len), MAMORI_OK);
        feed_randomly(hmac_update_cb, &ctx, msg, len);
        memset(got, 0, sizeof got);
        mamori_hmac_final(&ctx, got);
        CHECK_MEM(got, want, n);
        runs++;
    }
    printf("hmac: %u random keys/messages x (one-shot + random split) vs HMAC()\n", runs);
}

/* OpenSSL HKDF in one of the EVP_KDF_HKDF_MODE_* modes. */
static int openssl_hkdf(mamori_hash_id_t id, int mode, const uint8_t *salt, size_t salt_len,
                        const uint8_t *key, size_t key_len, const uint8_t *info, size_t info_len,
                        uint8_t *out, size_t out_len)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
    OSSL_PARAM params[6], *p = params;
    uint8_t empty = 0;
    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)openssl_md_name(id), 0);
    *p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key_len ? (void *)key : &empty,
                                             key_len);
    if (salt_len)
        *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len);
    if (info_len)
        *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len);
    *p = OSSL_PARAM_construct_end();
    int ok = EVP_KDF_derive(kctx, out, out_len, params) == 1;
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
    return ok;
}

static void test_hkdf(void)
{
    static uint8_t want[255 * 64], got[255 * 64];
    uint8_t salt[200], ikm[200], info[300], prk[64], want_prk[64];
    unsigned runs = 0;
    for (int it = 0; it < ITERATIONS / 3; it++) {
        mamori_hash_id_t id = ids[it % 3];
        size_t n = mamori_hash_len(id);
        size_t salt_len = rnd_below(sizeof salt + 1), ikm_len = rnd_below(sizeof ikm + 1);
        size_t info_len = rnd_below(sizeof info + 1);
        size_t out_len = it % 25 == 0 ? 255 * n : 1 + rnd_below(rnd_below(8) ? 3 * n : 255 * n);
        if (it % 7 == 0)
            salt_len = 0;
        rnd_bytes(salt, salt_len);
        rnd_bytes(ikm, ikm_len);
        rnd_bytes(info, info_len);

        CHECK(openssl_hkdf(id, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, salt, salt_len, ikm, ikm_len, NULL,
                           0, want_prk, n));
        CHECK_EQ(mamori_hkdf_extract(id, salt_len ? salt : NULL, salt_len, ikm, ikm_len, prk),
                 MAMORI_OK);
        CHECK_MEM(prk, want_prk, n);

        CHECK(openssl_hkdf(id, EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, salt, salt_len, ikm, ikm_len,
                           info, info_len, want, out_len));
        CHECK_EQ(mamori_hkdf_expand(id, prk, n, info, info_len, got, out_len), MAMORI_OK);
        CHECK_MEM(got, want, out_len);

        /* Expand-Label: HkdfLabel (RFC 8446 §7.1) built here, expanded by OpenSSL. */
        char label[250];
        size_t label_len = 1 + rnd_below(rnd_below(2) ? 20 : 249);
        size_t context_len = rnd_below(rnd_below(2) ? 65 : 256);
        size_t label_out = 1 + rnd_below(rnd_below(8) ? 64 : 255 * n);
        uint8_t context[255], hkdf_label[2 + 1 + 255 + 1 + 255];
        for (size_t i = 0; i < label_len; i++)
            label[i] = (char)('a' + rnd_below(26));
        label[label_len] = 0;
        rnd_bytes(context, context_len);
        size_t pos = 0;
        hkdf_label[pos++] = (uint8_t)(label_out >> 8);
        hkdf_label[pos++] = (uint8_t)label_out;
        hkdf_label[pos++] = (uint8_t)(6 + label_len);
        memcpy(hkdf_label + pos, "tls13 ", 6);
        memcpy(hkdf_label + pos + 6, label, label_len);
        pos += 6 + label_len;
        hkdf_label[pos++] = (uint8_t)context_len;
        memcpy(hkdf_label + pos, context, context_len);
        pos += context_len;
        CHECK(openssl_hkdf(id, EVP_KDF_HKDF_MODE_EXPAND_ONLY, NULL, 0, prk, n, hkdf_label, pos, want,
                           label_out));
        CHECK_EQ(mamori_hkdf_expand_label(id, prk, n, label, context, context_len, got, label_out),
                 MAMORI_OK);
        CHECK_MEM(got, want, label_out);
        runs++;
    }
    printf("hkdf: %u random extract + expand + expand-label vs EVP_KDF HKDF\n", runs);
}

int main(void)
{
    test_hashes();
    test_hmac();
    test_hkdf();
    return check_summary("diff_hash");
}
