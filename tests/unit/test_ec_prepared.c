/* Prepared public keys (mamori_ec_prepare) against the unprepared functions
 * and the internal multiplications: random keys and scalars, edge scalars
 * (1, 2, n-2, n-1, n+j, out of range), edge verification inputs, the result
 * codes, and the crypto backend hooks. The Wycheproof vectors go through
 * prepared keys in test_ecc.c. */
#include "check.h"
#include "crypto/ec_point.h"
#include "mamori/crypto_backend.h"
#include "mamori/ecc.h"
#include "mamori/error.h"
#include "rng.h"

#include <string.h>

#if MAMORI_EC_PREPARED
static mamori_ec_prepared_t pk; /* large: not on the stack */
static uint64_t seed = 0x707265706172u;

static void random_bytes(uint8_t *p, size_t n) { test_rng_bytes(&seed, p, n); }

static int test_rng(void *ctx, void *out, size_t len)
{
    (void)ctx;
    random_bytes(out, len);
    return MAMORI_OK;
}

/* k = n + j as bytes (j may be negative; 0 if n + j overflows the width). */
static int order_plus(const ec_curve_t *c, uint8_t *k, int j)
{
    const size_t len = ec_curve_bytes(c);
    ec_to_bytes(&c->n, k, c->n.m);
    int carry = j;
    for (size_t i = len; i-- > 0 && carry != 0;) {
        int v = k[i] + carry;
        k[i] = (uint8_t)v;
        carry = (v - k[i]) / 256; /* -1 borrows */
    }
    return carry == 0;
}

/* Jacobian a and b are the same point (or both the identity). */
static int same_point(const ec_curve_t *c, const ec_point_t *a, const ec_point_t *b)
{
    uint8_t x1[EC_MAX_BYTES], y1[EC_MAX_BYTES], x2[EC_MAX_BYTES], y2[EC_MAX_BYTES];
    const size_t len = ec_curve_bytes(c);
    uint32_t i1 = ec_point_to_affine(c, x1, y1, a), i2 = ec_point_to_affine(c, x2, y2, b);
    return i1 == i2 && memcmp(x1, x2, len) == 0 && memcmp(y1, y2, len) == 0;
}

/* The scalar of case i: random for most, else an edge. */
static void pick_scalar(const ec_curve_t *c, uint8_t *k, unsigned i)
{
    const size_t len = ec_curve_bytes(c);
    static const int near_order[] = {-1, -2, -3, -32, -33, 1, 2, 31, 32, 33};
    random_bytes(k, len);
    if (i < 2) {
        memset(k, 0, len);
        k[len - 1] = (uint8_t)(i + 1); /* 1, 2 */
    } else if (i < 2 + sizeof near_order / sizeof near_order[0]) {
        if (!order_plus(c, k, near_order[i - 2]))
            memset(k, 0xff, len);
    } else if (i % 5 == 0) {
        memset(k + len / 2, 0, len / 2); /* leading bits kept, low half zero */
    }
}

/* k P through the table against ec_mul, for edge and random k, including
 * scalars at and above n (the comb takes any k below 2^bits). */
static void test_mul_comb(const ec_curve_t *c, const ec_point_t *q)
{
    uint8_t k[EC_MAX_BYTES];
    ec_point_t want, got;
    unsigned bad = 0;
    for (unsigned i = 0; i < 24; i++) {
        pick_scalar(c, k, i);
        ec_mul(c, &want, k, q);
        ec_mul_comb(c, &got, k, pk.table);
        bad += !same_point(c, &want, &got);
    }
    CHECK_EQ(bad, 0);
}

/* u1 G + u2 P through both combs against ec_mul2_vartime: random, zero
 * scalars, the identity (P = G, u2 = n - u1), equal summands (P = G,
 * u1 = u2), all-ones and order edges. */
static void test_mul2_comb(const ec_curve_t *c, const ec_point_t *q, int q_is_g)
{
    const size_t len = ec_curve_bytes(c);
    uint8_t u1[EC_MAX_BYTES], u2[EC_MAX_BYTES];
    ec_point_t want, got;
    unsigned bad = 0;
    for (unsigned i = 0; i < 24; i++) {
        pick_scalar(c, u1, i);
        pick_scalar(c, u2, 23 - i);
        if (i == 3)
            memset(u1, 0, len);
        if (i == 4)
            memset(u2, 0, len);
        if (q_is_g && i % 3 == 0) { /* u2 = n - u1 */
            ec_fe_t v, zero = {0};
            random_bytes(u1, len);
            u1[0] &= 0x7f; /* below n */
            ec_from_bytes(&c->n, v, u1);
            ec_mod_sub(&c->n, v, zero, v);
            ec_to_bytes(&c->n, u2, v);
        }
        if (q_is_g && i % 3 == 1)
            memcpy(u2, u1, len);
        ec_mul2_vartime(c, &want, u1, u2, q);
        ec_mul2_comb_vartime(c, &got, u1, u2, pk.table);
        bad += !same_point(c, &want, &got);
        if (q_is_g && i % 3 == 0)
            bad += !ec_is_zero(&c->p, got.z);
    }
    CHECK_EQ(bad, 0);
}

/* ECDH and verification through the public API, prepared against
 * unprepared, for one key. */
static void test_api_key(int curve, const uint8_t *pub, const uint8_t *priv)
{
    const ec_curve_t *c = ec_curve(curve);
    const size_t len = MAMORI_EC_BYTES(curve), pub_len = 1 + 2 * len;
    uint8_t k[48], s1[48], s2[48], digest[64], sig[96];
    unsigned bad = 0;
    for (unsigned i = 0; i < 16; i++) {
        pick_scalar(c, k, i);
        int rc1 = mamori_ecdh(curve, s1, k, pub, pub_len);
        int rc2 = mamori_ecdh_prepared(s2, k, &pk);
        bad += rc1 != rc2 || memcmp(s1, s2, len) != 0;
    }
    /* scalars outside [1, n-1]: 0, n, all ones */
    memset(k, 0, len);
    CHECK_EQ(mamori_ecdh_prepared(s2, k, &pk), MAMORI_ERR_BADKEY);
    ec_to_bytes(&c->n, k, c->n.m);
    CHECK_EQ(mamori_ecdh_prepared(s2, k, &pk), MAMORI_ERR_BADKEY);
    memset(k, 0xff, len);
    CHECK_EQ(mamori_ecdh_prepared(s2, k, &pk), MAMORI_ERR_BADKEY);

    for (unsigned i = 0; i < 8; i++) {
        random_bytes(digest, sizeof digest);
        size_t dlen = i == 0 ? 0 : i == 1 ? 20 : i == 2 ? 64 : len;
        CHECK_EQ(mamori_ecdsa_sign(curve, sig, priv, digest, dlen, NULL, NULL), MAMORI_OK);
        bad += mamori_ecdsa_verify_prepared(&pk, digest, dlen, sig) != MAMORI_OK;
        sig[i % (2 * len)] ^= (uint8_t)(1u << (i % 8)); /* a wrong r or s */
        bad += mamori_ecdsa_verify_prepared(&pk, digest, dlen, sig) != MAMORI_ERR_BADSIG ||
               mamori_ecdsa_verify(curve, pub, pub_len, digest, dlen, sig) != MAMORI_ERR_BADSIG;
    }
    /* r or s zero, n, all ones: BADSIG from both */
    for (unsigned i = 0; i < 6; i++) {
        CHECK_EQ(mamori_ecdsa_sign(curve, sig, priv, digest, len, NULL, NULL), MAMORI_OK);
        uint8_t *v = sig + (i & 1) * len;
        if (i < 2)
            memset(v, 0, len);
        else if (i < 4)
            ec_to_bytes(&c->n, v, c->n.m);
        else
            memset(v, 0xff, len);
        bad += mamori_ecdsa_verify_prepared(&pk, digest, len, sig) != MAMORI_ERR_BADSIG ||
               mamori_ecdsa_verify(curve, pub, pub_len, digest, len, sig) != MAMORI_ERR_BADSIG;
    }
    CHECK_EQ(bad, 0);
}

/* Result codes: a rejected key keeps failing as the unprepared calls do. */
static void test_codes(int curve, const uint8_t *pub)
{
    const size_t len = MAMORI_EC_BYTES(curve), pub_len = 1 + 2 * len;
    uint8_t bad_pub[97], k[48] = {1}, s[48], sig[96] = {1}, digest[32] = {0};
    CHECK_EQ(mamori_ec_prepare(curve, NULL, pub, pub_len), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_ecdsa_verify_prepared(NULL, digest, 32, sig), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_ecdh_prepared(s, k, NULL), MAMORI_ERR_INVAL);

    memcpy(bad_pub, pub, pub_len);
    bad_pub[pub_len - 1] ^= 1; /* off the curve */
    CHECK_EQ(mamori_ec_prepare(curve, &pk, bad_pub, pub_len), MAMORI_ERR_BADPOINT);
    CHECK_EQ(mamori_ecdsa_verify_prepared(&pk, digest, 32, sig), MAMORI_ERR_BADPOINT);
    CHECK_EQ(mamori_ecdh_prepared(s, k, &pk), MAMORI_ERR_BADPOINT);
    CHECK_EQ(mamori_ecdsa_verify_prepared(&pk, digest, 32, NULL), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_ecdh_prepared(NULL, k, &pk), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_ec_prepare(curve, &pk, pub, pub_len - 1), MAMORI_ERR_BADPOINT);
    CHECK_EQ(mamori_ec_prepare(curve, &pk, NULL, pub_len), MAMORI_ERR_BADPOINT);
    bad_pub[0] = 0x02;
    CHECK_EQ(mamori_ec_prepare(curve, &pk, bad_pub, 1 + len), MAMORI_ERR_BADPOINT);

    CHECK_EQ(mamori_ec_prepare(99, &pk, pub, pub_len), MAMORI_ERR_UNSUPPORTED);
    CHECK_EQ(mamori_ecdsa_verify_prepared(&pk, digest, 32, NULL), MAMORI_ERR_UNSUPPORTED);
    CHECK_EQ(mamori_ecdh_prepared(s, k, &pk), MAMORI_ERR_UNSUPPORTED);

    CHECK_EQ(mamori_ec_prepare(curve, &pk, pub, pub_len), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_verify_prepared(&pk, NULL, 32, sig), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_ecdh_prepared(s, NULL, &pk), MAMORI_ERR_INVAL);
}

static int hook_calls;
static const uint8_t *hook_pub;

static int hook_ecdh(void *ctx, int curve_bits, const uint8_t *priv, const uint8_t *peer_pub,
                     uint8_t *shared_x)
{
    (void)ctx;
    (void)priv;
    (void)shared_x;
    hook_calls++;
    return curve_bits == 256 && memcmp(peer_pub, hook_pub, 65) == 0 ? 7 : -1;
}

static int hook_verify(void *ctx, int curve_bits, const uint8_t *pub, const uint8_t *digest,
                       size_t digest_len, const uint8_t *sig_rs)
{
    (void)ctx;
    (void)digest;
    (void)digest_len;
    (void)sig_rs;
    hook_calls++;
    return curve_bits == 256 && memcmp(pub, hook_pub, 65) == 0 ? 8 : -1;
}

/* The backend gets the key as the unprepared calls pass it. */
static void test_backend(const uint8_t *pub)
{
    static const mamori_crypto_backend_t be = {.ecdh = hook_ecdh, .ecdsa_verify = hook_verify};
    uint8_t k[32] = {1}, s[32], sig[64] = {1}, digest[32] = {0};
    hook_pub = pub;
    CHECK_EQ(mamori_ec_prepare(MAMORI_EC_P256, &pk, pub, 65), MAMORI_OK);
    mamori_crypto_set_backend(&be);
    CHECK_EQ(mamori_ecdh_prepared(s, k, &pk), 7);
    CHECK_EQ(mamori_ecdsa_verify_prepared(&pk, digest, 32, sig), 8);
    mamori_crypto_set_backend(NULL);
    CHECK_EQ(hook_calls, 2);
}

static void test_curve(int curve, unsigned keys)
{
    const ec_curve_t *c = ec_curve(curve);
    const size_t len = MAMORI_EC_BYTES(curve), pub_len = 1 + 2 * len;
    uint8_t priv[48], pub[97];
    ec_point_t q;
    if (8 * len > MAMORI_EC_PREPARED_MAX_BITS) {
        CHECK_EQ(mamori_ec_keygen(curve, priv, pub, test_rng, NULL), MAMORI_OK);
        CHECK_EQ(mamori_ec_prepare(curve, &pk, pub, pub_len), MAMORI_ERR_UNSUPPORTED);
        CHECK_EQ(mamori_ecdsa_verify_prepared(&pk, priv, len, priv), MAMORI_ERR_UNSUPPORTED);
        CHECK_EQ(mamori_ecdh_prepared(priv, priv, &pk), MAMORI_ERR_UNSUPPORTED);
        printf("curve %d: above MAMORI_EC_PREPARED_MAX_BITS, unsupported as documented\n", curve);
        return;
    }
    for (unsigned key = 0; key < keys; key++) {
        if (key == 0) { /* G itself: the combs then meet equal and opposite points */
            memset(priv, 0, len);
            priv[len - 1] = 1;
            CHECK_EQ(mamori_ec_public(curve, pub, priv), MAMORI_OK);
        } else {
            CHECK_EQ(mamori_ec_keygen(curve, priv, pub, test_rng, NULL), MAMORI_OK);
        }
        CHECK_EQ(mamori_ec_prepare(curve, &pk, pub, pub_len), MAMORI_OK);
        CHECK_EQ(ec_point_decode(c, &q, pub, pub_len), MAMORI_OK);
        test_mul_comb(c, &q);
        test_mul2_comb(c, &q, key == 0);
        test_api_key(curve, pub, priv);
    }
    test_codes(curve, pub);
    if (curve == MAMORI_EC_P256)
        test_backend(pub);
    printf("curve %d: %u keys, prepared == unprepared\n", curve, keys);
}

int main(void)
{
    printf("prepared key: %zu bytes (table for up to %d bits)\n", sizeof pk,
           MAMORI_EC_PREPARED_MAX_BITS);
    test_curve(MAMORI_EC_P256, 12);
    test_curve(MAMORI_EC_P384, 6);
    return check_summary("ec_prepared");
}
#else
int main(void)
{
    printf("ec_prepared: MAMORI_EC_PREPARED=0, nothing to test\n");
    return 0;
}
#endif
