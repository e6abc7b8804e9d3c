/* Constant-time evidence for P-256/P-384: private keys, nonces and random
 * inputs are marked undefined, so valgrind memcheck reports any branch or
 * table index that depends on them. Outputs are declared defined before
 * they are checked. */
#include <valgrind/memcheck.h>

#include "check.h"
#include "mamori/ecc.h"
#include "mamori/error.h"

#include <string.h>

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static uint8_t rng_state;

/* Deterministic bytes that memcheck treats as secret. */
static int secret_rng(void *ctx, void *out, size_t len)
{
    uint8_t *p = out;
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(++rng_state * 73u + 11u);
    SECRET(out, len);
    return MAMORI_OK;
}

static void run_curve(int curve)
{
    const size_t len = MAMORI_EC_BYTES(curve);
    uint8_t a_priv[48], a_pub[97], b_priv[48], b_pub[97], s1[48], s2[48], sig[96];
    uint8_t digest[48];
    int rc;
    memset(digest, 0x5a, sizeof digest);

    /* Key generation: random input secret. */
    rc = mamori_ec_keygen(curve, a_priv, a_pub, secret_rng, NULL);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(a_pub, 1 + 2 * len);
    CHECK_EQ(rc, MAMORI_OK);
    rc = mamori_ec_keygen(curve, b_priv, b_pub, secret_rng, NULL);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(b_pub, 1 + 2 * len);
    CHECK_EQ(rc, MAMORI_OK);

    /* Public key from a secret scalar. */
    uint8_t pub[97];
    SECRET(a_priv, len);
    rc = mamori_ec_public(curve, pub, a_priv);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(pub, 1 + 2 * len);
    CHECK_EQ(rc, MAMORI_OK);
    CHECK_MEM(pub, a_pub, 1 + 2 * len);

    /* ECDH with a secret scalar. */
    SECRET(a_priv, len);
    SECRET(b_priv, len);
    rc = mamori_ecdh(curve, s1, a_priv, b_pub, 1 + 2 * len);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(s1, len);
    CHECK_EQ(rc, MAMORI_OK);
    rc = mamori_ecdh(curve, s2, b_priv, a_pub, 1 + 2 * len);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(s2, len);
    CHECK_EQ(rc, MAMORI_OK);
    CHECK_MEM(s1, s2, len);

#if MAMORI_EC_PREPARED
    /* ECDH with a prepared peer key (the comb over the caller's table),
     * when the configuration's prepared keys hold this curve. */
    static mamori_ec_prepared_t peer;
    if (8 * len <= MAMORI_EC_PREPARED_MAX_BITS) {
        CHECK_EQ(mamori_ec_prepare(curve, &peer, b_pub, 1 + 2 * len), MAMORI_OK);
        SECRET(a_priv, len);
        rc = mamori_ecdh_prepared(s2, a_priv, &peer);
        PUBLIC(&rc, sizeof rc);
        PUBLIC(s2, len);
        CHECK_EQ(rc, MAMORI_OK);
        CHECK_MEM(s1, s2, len);
    }
#endif

    /* ECDSA: deterministic (nonce derived from the secret key) and hedged
     * (secret random input too). */
    rc = mamori_ecdsa_sign(curve, sig, a_priv, digest, len, NULL, NULL);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(sig, 2 * len);
    CHECK_EQ(rc, MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_verify(curve, a_pub, 1 + 2 * len, digest, len, sig), MAMORI_OK);
    rc = mamori_ecdsa_sign(curve, sig, a_priv, digest, len, secret_rng, NULL);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(sig, 2 * len);
    CHECK_EQ(rc, MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_verify(curve, a_pub, 1 + 2 * len, digest, len, sig), MAMORI_OK);
}

int main(void)
{
    run_curve(MAMORI_EC_P256);
    run_curve(MAMORI_EC_P384);
    return check_summary("ct_ecc");
}
