/* RSA against OpenSSL libcrypto: OpenSSL's PKCS#1 v1.5 and PSS signatures
 * verify under mamori, mamori's PSS signatures verify under OpenSSL, for the
 * fixed test keys and freshly generated ones (e = 65537, 3 and 65539), random
 * messages, SHA-256/384/512 and salt lengths 32/48/64. Fixed seed. */
#include "check.h"
#include "mamori/error.h"
#include "mamori/rsa.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdlib.h>
#include <string.h>

static uint8_t rsa_work[MAMORI_RSA_SIGN_WORK_SIZE(MAMORI_RSA_MAX_BITS)];

#define ITERATIONS 8

static uint32_t rng_state = 0x12345678;

static int test_rng(void *ctx, void *out, size_t len)
{
    (void)ctx;
    uint8_t *p = out;
    for (size_t i = 0; i < len; i++) {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 17;
        rng_state ^= rng_state << 5;
        p[i] = (uint8_t)rng_state;
    }
    return 0;
}

/* Big-endian components of an OpenSSL key, owned by this struct. */
typedef struct {
    uint8_t buf[9][MAMORI_RSA_MAX_BYTES];
    mamori_rsa_private_t priv;
    mamori_rsa_public_t pub;
} key_copy_t;

static const uint8_t *get_param(EVP_PKEY *pkey, const char *name, uint8_t *out, size_t *len)
{
    BIGNUM *bn = NULL;
    CHECK(EVP_PKEY_get_bn_param(pkey, name, &bn) == 1);
    *len = (size_t)BN_bn2bin(bn, out);
    BN_free(bn);
    return out;
}

static void copy_key(EVP_PKEY *pkey, key_copy_t *k)
{
    mamori_rsa_private_t *p = &k->priv;
    p->n = get_param(pkey, OSSL_PKEY_PARAM_RSA_N, k->buf[0], &p->n_len);
    p->e = get_param(pkey, OSSL_PKEY_PARAM_RSA_E, k->buf[1], &p->e_len);
    p->d = get_param(pkey, OSSL_PKEY_PARAM_RSA_D, k->buf[2], &p->d_len);
    p->p = get_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1, k->buf[3], &p->p_len);
    p->q = get_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2, k->buf[4], &p->q_len);
    p->dp = get_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1, k->buf[5], &p->dp_len);
    p->dq = get_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2, k->buf[6], &p->dq_len);
    p->qinv = get_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, k->buf[7], &p->qinv_len);
    k->pub.n = p->n;
    k->pub.n_len = p->n_len;
    k->pub.e = p->e;
    k->pub.e_len = p->e_len;
}

static const EVP_MD *md_of(mamori_hash_id_t h)
{
    return h == MAMORI_HASH_SHA256 ? EVP_sha256() : h == MAMORI_HASH_SHA384 ? EVP_sha384() : EVP_sha512();
}

static EVP_PKEY_CTX *pkey_ctx(EVP_PKEY *pkey, int sign, mamori_hash_id_t hash, int pss,
                              int salt_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    CHECK(ctx != NULL);
    CHECK((sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) == 1);
    CHECK(EVP_PKEY_CTX_set_rsa_padding(ctx, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) == 1);
    CHECK(EVP_PKEY_CTX_set_signature_md(ctx, md_of(hash)) == 1);
    if (pss) {
        CHECK(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md_of(hash)) == 1);
        CHECK(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, salt_len) == 1);
    }
    return ctx;
}

static void exercise(EVP_PKEY *pkey, const char *label)
{
    static const mamori_hash_id_t hashes[] = {MAMORI_HASH_SHA256, MAMORI_HASH_SHA384,
                                              MAMORI_HASH_SHA512};
    static const size_t salts[] = {32, 48, 64};
    key_copy_t *k = calloc(1, sizeof *k);
    copy_key(pkey, k);
    unsigned ours_ok = 0, theirs_ok = 0;
    for (int it = 0; it < ITERATIONS; it++) {
        mamori_hash_id_t hash = hashes[it % 3];
        size_t salt = salts[(it / 3) % 3], hlen = mamori_hash_len(hash);
        uint8_t msg[100], digest[MAMORI_HASH_MAX_LEN], sig[MAMORI_RSA_MAX_BYTES];
        size_t msg_len = (size_t)(it * 13 % 100), sig_len = sizeof sig;
        test_rng(NULL, msg, msg_len);
        CHECK_EQ(mamori_hash(hash, msg, msg_len, digest), MAMORI_OK);

        /* OpenSSL PKCS#1 v1.5 -> mamori. */
        EVP_PKEY_CTX *ctx = pkey_ctx(pkey, 1, hash, 0, 0);
        CHECK(EVP_PKEY_sign(ctx, sig, &sig_len, digest, hlen) == 1);
        EVP_PKEY_CTX_free(ctx);
        CHECK_EQ(mamori_rsa_pkcs1_verify(&k->pub, hash, digest, sig, sig_len), MAMORI_OK);
        sig[it % sig_len] ^= 0x40;
        CHECK_EQ(mamori_rsa_pkcs1_verify(&k->pub, hash, digest, sig, sig_len), MAMORI_ERR_BADSIG);

        /* OpenSSL PSS -> mamori. */
        sig_len = sizeof sig;
        ctx = pkey_ctx(pkey, 1, hash, 1, (int)salt);
        CHECK(EVP_PKEY_sign(ctx, sig, &sig_len, digest, hlen) == 1);
        EVP_PKEY_CTX_free(ctx);
        int rc = mamori_rsa_pss_verify(&k->pub, hash, hash, salt, digest, sig, sig_len);
        CHECK_EQ(rc, MAMORI_OK);
        theirs_ok += rc == MAMORI_OK;

        /* mamori PSS -> OpenSSL. */
        CHECK_EQ(mamori_rsa_pss_sign(&k->priv, hash, digest, salt, sig, sizeof sig, test_rng,
                                     NULL, rsa_work, sizeof rsa_work),
                 MAMORI_OK);
        ctx = pkey_ctx(pkey, 0, hash, 1, (int)salt);
        rc = EVP_PKEY_verify(ctx, sig, k->pub.n_len, digest, hlen);
        CHECK_EQ(rc, 1);
        ours_ok += rc == 1;
        sig[0] ^= 1;
        CHECK(EVP_PKEY_verify(ctx, sig, k->pub.n_len, digest, hlen) != 1);
        EVP_PKEY_CTX_free(ctx);
    }
    printf("%s: %u/%d OpenSSL PSS verified by mamori, %u/%d mamori PSS verified by OpenSSL\n",
           label, theirs_ok, ITERATIONS, ours_ok, ITERATIONS);
    free(k);
}

static EVP_PKEY *load_fixed(const char *name)
{
    char path[512];
    uint8_t der[4096];
    snprintf(path, sizeof path, "%s/tests/vectors/rsa/%s", MAMORI_SOURCE_DIR, name);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t len = fread(der, 1, sizeof der, fp);
    fclose(fp);
    const unsigned char *p = der;
    EVP_PKEY *pkey = d2i_PrivateKey(EVP_PKEY_RSA, NULL, &p, (long)len);
    CHECK(pkey != NULL);
    /* Our parser must see the same key. */
    mamori_rsa_private_t key;
    CHECK_EQ(mamori_rsa_private_parse(&key, der, len), MAMORI_OK);
    uint8_t n[MAMORI_RSA_MAX_BYTES];
    size_t n_len;
    get_param(pkey, OSSL_PKEY_PARAM_RSA_N, n, &n_len);
    CHECK(n_len == key.n_len && memcmp(n, key.n, n_len) == 0);
    return pkey;
}

static EVP_PKEY *generate(unsigned bits, unsigned e)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
    BIGNUM *bn_e = BN_new();
    BN_set_word(bn_e, e);
    CHECK(EVP_PKEY_keygen_init(ctx) == 1);
    CHECK(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) == 1);
    CHECK(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, bn_e) == 1);
    CHECK(EVP_PKEY_keygen(ctx, &pkey) == 1);
    BN_free(bn_e);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

int main(void)
{
    static const char *const fixed[] = {"rsa2048.der", "rsa3072.der"};
    for (size_t i = 0; i < 2; i++) {
        EVP_PKEY *pkey = load_fixed(fixed[i]);
        exercise(pkey, fixed[i]);
        EVP_PKEY_free(pkey);
    }
    /* e = 65539 has a set bit between its top and bottom ones. */
    static const unsigned gen[][2] = {{2048, 65537}, {2048, 3}, {3072, 65537}, {2056, 65537},
                                      {2048, 65539}};
    for (size_t i = 0; i < sizeof gen / sizeof gen[0]; i++) {
        char label[64];
        EVP_PKEY *pkey = generate(gen[i][0], gen[i][1]);
        snprintf(label, sizeof label, "generated %u-bit e=%u", gen[i][0], gen[i][1]);
        exercise(pkey, label);
        EVP_PKEY_free(pkey);
    }
    return check_summary("diff_rsa");
}
