/* P-256/P-384 against OpenSSL libcrypto: ECDH secrets agree, our signatures
 * verify under OpenSSL and OpenSSL's under ours, public keys match. Random
 * keys from a fixed seed. */
#include "check.h"
#include "mamori/ecc.h"
#include "mamori/error.h"

/* The EC_KEY interface is the shortest way to drive raw ECDH/ECDSA. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>

#include <stdlib.h>
#include <string.h>

#define ITERATIONS 200

static uint64_t seed = 0x6d616d6f72690001ull;

static int test_rng(void *ctx, void *out, size_t len)
{
    uint8_t *p = out;
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        p[i] = (uint8_t)seed;
    }
    return MAMORI_OK;
}

/* An OpenSSL key from our private scalar; checks the public key agrees. */
static EC_KEY *openssl_key(int nid, const uint8_t *priv, size_t len, const uint8_t *pub)
{
    EC_KEY *key = EC_KEY_new_by_curve_name(nid);
    const EC_GROUP *group = EC_KEY_get0_group(key);
    BIGNUM *d = BN_bin2bn(priv, (int)len, NULL);
    EC_POINT *q = EC_POINT_new(group);
    uint8_t enc[97];
    CHECK(EC_POINT_mul(group, q, d, NULL, NULL, NULL) == 1);
    CHECK(EC_KEY_set_private_key(key, d) == 1);
    CHECK(EC_KEY_set_public_key(key, q) == 1);
    CHECK_EQ(EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, enc, sizeof enc, NULL),
             1 + 2 * len);
    CHECK_MEM(enc, pub, 1 + 2 * len);
    BN_free(d);
    EC_POINT_free(q);
    return key;
}

static void run_curve(int curve, int nid)
{
    const size_t len = MAMORI_EC_BYTES(curve);
    unsigned agreed = 0, ours_ok = 0, theirs_ok = 0;
    for (int i = 0; i < ITERATIONS; i++) {
        uint8_t a_priv[48], a_pub[97], b_priv[48], b_pub[97], s1[48], s2[48];
        uint8_t digest[64], sig[96], der[MAMORI_ECDSA_DER_MAX_LEN(MAMORI_EC_P384)];
        size_t der_len, dlen = (i % 3 == 0) ? 32 : (i % 3 == 1) ? 48 : 64;
        CHECK_EQ(mamori_ec_keygen(curve, a_priv, a_pub, test_rng, NULL), MAMORI_OK);
        CHECK_EQ(mamori_ec_keygen(curve, b_priv, b_pub, test_rng, NULL), MAMORI_OK);
        EC_KEY *a = openssl_key(nid, a_priv, len, a_pub);
        EC_KEY *b = openssl_key(nid, b_priv, len, b_pub);

        /* ECDH: ours against OpenSSL's */
        CHECK_EQ(mamori_ecdh(curve, s1, a_priv, b_pub, 1 + 2 * len), MAMORI_OK);
        CHECK_EQ(ECDH_compute_key(s2, len, EC_KEY_get0_public_key(a), b, NULL), (int)len);
        agreed += memcmp(s1, s2, len) == 0;

        /* Our signature (deterministic or hedged) under OpenSSL */
        test_rng(NULL, digest, dlen);
        CHECK_EQ(mamori_ecdsa_sign(curve, sig, a_priv, digest, dlen, (i & 1) ? test_rng : NULL,
                                   NULL),
                 MAMORI_OK);
        CHECK_EQ(mamori_ecdsa_sig_to_der(curve, der, sizeof der, &der_len, sig), MAMORI_OK);
        ours_ok += ECDSA_verify(0, digest, (int)dlen, der, (int)der_len, a) == 1;

        /* OpenSSL's signature under ours, through DER */
        unsigned int olen = sizeof der;
        CHECK(ECDSA_sign(0, digest, (int)dlen, der, &olen, b) == 1);
        CHECK_EQ(mamori_ecdsa_sig_from_der(curve, sig, der, olen), MAMORI_OK);
        int v = mamori_ecdsa_verify(curve, b_pub, 1 + 2 * len, digest, dlen, sig);
        theirs_ok += v == MAMORI_OK;
        digest[0] ^= 0x80;
        CHECK_EQ(mamori_ecdsa_verify(curve, b_pub, 1 + 2 * len, digest, dlen, sig),
                 MAMORI_ERR_BADSIG);
        EC_KEY_free(a);
        EC_KEY_free(b);
    }
    CHECK_EQ(agreed, ITERATIONS);
    CHECK_EQ(ours_ok, ITERATIONS);
    CHECK_EQ(theirs_ok, ITERATIONS);
    printf("P-%zu: %u/%d ECDH agree, %u/%d ours verify in OpenSSL, %u/%d OpenSSL's verify in ours\n",
           8 * len, agreed, ITERATIONS, ours_ok, ITERATIONS, theirs_ok, ITERATIONS);
}

int main(void)
{
    run_curve(MAMORI_EC_P256, NID_X9_62_prime256v1);
    run_curve(MAMORI_EC_P384, NID_secp384r1);
    return check_summary("diff_ecc");
}
