/* ECDH (SEC 1 3.3.1) and key generation on P-256 and P-384. */
#include "mamori/ecc.h"

#if MAMORI_P256 || MAMORI_P384

#include "crypto/ec_point.h"
#include "crypto/ec_prepared.h"
#include "mamori/crypto_backend.h"
#include "mamori/ct.h"
#include "mamori/error.h"

/* Keeps buf when ok is 1, zeroes it when ok is 0, without branching. */
static void keep_if(uint32_t ok, uint8_t *buf, size_t len)
{
    uint8_t mask = (uint8_t)(0u - ok);
    for (size_t i = 0; i < len; i++)
        buf[i] &= mask;
}

/* err when bad is 1, else the running code rc (both without branching:
 * the verdict derives from secret data). */
static int ct_error(uint32_t bad, int err, int rc)
{
    return (int)mamori_ct_select32(bad, (uint32_t)err, (uint32_t)rc);
}

/* ECDH with a validated peer key: the backend first, then shared_x = x(priv Q),
 * zeroed with an error unless priv is valid and the product is not the
 * identity. Q is the point q or, for a prepared key, its comb table (q is
 * then scratch); q is wiped. */
EC_SHARED int ecdh_with_key(const ec_curve_t *c, uint8_t *shared_x, const uint8_t *priv,
                            const uint8_t *pub, ec_point_t *q, const ec_limb_t *table)
{
    const size_t len = ec_curve_bytes(c);
    const mamori_crypto_backend_t *be = mamori_crypto_backend();
    if (be != NULL && be->ecdh != NULL) {
        int rc = be->ecdh(be->ctx, (int)(8 * len), priv, pub, shared_x);
        if (rc != MAMORI_ERR_UNSUPPORTED)
            return rc;
    }

    uint32_t key_ok = ec_scalar_valid(c, priv);
    if (table == NULL)
        ec_mul(c, q, priv, q);
#if MAMORI_EC_GTABLE
    else
        ec_mul_comb(c, q, priv, table);
#endif
    uint32_t inf = ec_point_to_affine(c, shared_x, NULL, q);
    keep_if(key_ok & (inf ^ 1), shared_x, len);
    mamori_zeroize(q, sizeof *q);
    return ct_error(key_ok ^ 1, MAMORI_ERR_BADKEY, ct_error(inf, MAMORI_ERR_WEAKKEY, MAMORI_OK));
}

int mamori_ecdh(int curve, uint8_t *shared_x, const uint8_t *priv, const uint8_t *peer_pub,
                size_t peer_pub_len)
{
    const ec_curve_t *c = ec_curve(curve);
    ec_point_t q; /* the peer's point, then the shared point */
    if (c == NULL)
        return MAMORI_ERR_UNSUPPORTED;
    if (shared_x == NULL || priv == NULL)
        return MAMORI_ERR_INVAL;
    int rc = ec_point_decode(c, &q, peer_pub, peer_pub_len);
    if (rc != MAMORI_OK)
        return rc;
    return ecdh_with_key(c, shared_x, priv, peer_pub, &q, NULL);
}

#if MAMORI_EC_PREPARED && MAMORI_EC_GTABLE
int mamori_ecdh_prepared(uint8_t *shared_x, const uint8_t *priv, const mamori_ec_prepared_t *peer)
{
    const ec_curve_t *c;
    ec_point_t q; /* scratch */
    int rc = ec_prepared_check(peer, shared_x != NULL && priv != NULL, &c);
    if (rc != MAMORI_OK)
        return rc;
    return ecdh_with_key(c, shared_x, priv, peer->pub, &q, peer->table);
}
#endif

/* pub = k*G for a scalar already known to be valid when ok is 1. */
static int public_from_scalar(const ec_curve_t *c, uint8_t *pub, const uint8_t *priv, uint32_t ok)
{
    const size_t len = ec_curve_bytes(c);
    ec_point_t q;
    ec_mul_base(c, &q, priv);
    uint32_t inf = ec_point_to_affine(c, pub + 1, pub + 1 + len, &q);
    pub[0] = 0x04;
    keep_if(ok & (inf ^ 1), pub, 1 + 2 * len);
    mamori_zeroize(&q, sizeof q);
    return ct_error(ok ^ 1, MAMORI_ERR_BADKEY, ct_error(inf, MAMORI_ERR_FAULT, MAMORI_OK));
}

int mamori_ec_public(int curve, uint8_t *pub, const uint8_t *priv)
{
    const ec_curve_t *c = ec_curve(curve);
    if (c == NULL)
        return MAMORI_ERR_UNSUPPORTED;
    if (pub == NULL || priv == NULL)
        return MAMORI_ERR_INVAL;
    return public_from_scalar(c, pub, priv, ec_scalar_valid(c, priv));
}

int mamori_ec_keygen(int curve, uint8_t *priv, uint8_t *pub, mamori_rng_fn rng, void *rng_ctx)
{
    const ec_curve_t *c = ec_curve(curve);
    uint8_t buf[2 * EC_MAX_BYTES];
    ec_fe_t hi, lo;
    if (c == NULL)
        return MAMORI_ERR_UNSUPPORTED;
    if (priv == NULL || pub == NULL || rng == NULL)
        return MAMORI_ERR_INVAL;
    const size_t len = ec_curve_bytes(c);
    int rc = rng(rng_ctx, buf, 2 * len);
    if (rc != MAMORI_OK) {
        mamori_zeroize(buf, sizeof buf);
        return rc < 0 ? rc : MAMORI_ERR_ENTROPY;
    }
    /* priv = buf mod n = (hi R + lo) mod n with R = 2^bits: the 2*bits
     * random bits leave a bias below 2^-bits (FIPS 186-4 B.4.1). */
    ec_from_bytes(&c->n, hi, buf);
    ec_from_bytes(&c->n, lo, buf + len);
    ec_to_mont(&c->n, hi, hi);
    ec_mod_reduce_once(&c->n, lo, lo);
    ec_mod_add(&c->n, hi, hi, lo);
    ec_to_bytes(&c->n, priv, hi);
    uint32_t ok = ec_is_zero(&c->n, hi) ^ 1; /* zero: probability 2^-bits */
    rc = public_from_scalar(c, pub, priv, ok);
    keep_if(ok, priv, len);
    mamori_zeroize(buf, sizeof buf);
    mamori_zeroize(hi, sizeof hi);
    mamori_zeroize(lo, sizeof lo);
    return rc;
}

#endif
