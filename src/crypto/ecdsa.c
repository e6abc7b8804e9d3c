/* ECDSA signing and verification (FIPS 186-4 6.4, SEC 1 4.1). */
#include "mamori/ecc.h"

#if MAMORI_P256 || MAMORI_P384

#include <string.h>

#include "crypto/ec_point.h"
#include "crypto/ec_prepared.h"
#include "crypto/rfc6979.h"
#include "mamori/crypto_backend.h"
#include "mamori/ct.h"
#include "mamori/error.h"

/* e = bits2int(digest) mod n (FIPS 186-4 6.4: the leftmost bits of the
 * digest, as many as the order has; both orders are whole bytes). */
static void digest_to_scalar(const ec_curve_t *c, ec_limb_t *e, const uint8_t *digest,
                             size_t digest_len)
{
    const size_t len = ec_curve_bytes(c);
    uint8_t buf[EC_MAX_BYTES];
    memset(buf, 0, sizeof buf);
    if (digest_len >= len)
        memcpy(buf, digest, len);
    else if (digest_len > 0)
        memcpy(buf + len - digest_len, digest, digest_len);
    ec_from_bytes(&c->n, e, buf);
    ec_mod_reduce_once(&c->n, e, e); /* e < 2^bits < 2n */
}

#if MAMORI_HMAC
int mamori_ecdsa_sign(int curve, uint8_t *sig_rs, const uint8_t *priv, const uint8_t *digest,
                      size_t digest_len, mamori_rng_fn rng, void *rng_ctx)
{
    const ec_curve_t *c = ec_curve(curve);
    uint8_t h[EC_MAX_BYTES], k[EC_MAX_BYTES], extra[EC_MAX_BYTES];
    ec_fe_t e, d, kinv, r, s;
    ec_point_t q;
    size_t extra_len = 0;
    int rc;
    if (c == NULL)
        return MAMORI_ERR_UNSUPPORTED;
    if (sig_rs == NULL || priv == NULL || (digest == NULL && digest_len > 0))
        return MAMORI_ERR_INVAL;
    const size_t len = ec_curve_bytes(c);

    const mamori_crypto_backend_t *be = mamori_crypto_backend();
    if (be != NULL && be->ecdsa_sign != NULL) {
        rc = be->ecdsa_sign(be->ctx, (int)(8 * len), priv, digest, digest_len, sig_rs);
        if (rc != MAMORI_ERR_UNSUPPORTED)
            return rc;
    }
    if (rng != NULL) {
        rc = rng(rng_ctx, extra, len);
        if (rc != MAMORI_OK) {
            mamori_zeroize(extra, sizeof extra);
            return rc < 0 ? rc : MAMORI_ERR_ENTROPY;
        }
        extra_len = len;
    }

    digest_to_scalar(c, e, digest, digest_len);
    ec_to_bytes(&c->n, h, e); /* bits2octets(H(m)) */
    uint32_t key_ok = ec_scalar_valid(c, priv);
    uint32_t ok = ec_rfc6979_nonce(c, k, priv, h, extra, extra_len);

    /* r = x(kG) mod n; x < p < 2n */
    ec_mul_base(c, &q, k);
    (void)ec_point_to_affine(c, sig_rs, NULL, &q); /* k in [1, n-1]: never the identity */
    ec_from_bytes(&c->n, r, sig_rs);
    ec_mod_reduce_once(&c->n, r, r);

    /* s = k^-1 (e + r d) mod n, using Montgomery products of a plain and a
     * Montgomery operand to land back in plain form. */
    ec_from_bytes(&c->n, d, priv);
    ec_to_mont(&c->n, d, d);
    ec_mont_mul(&c->n, s, r, d);
    ec_mod_add(&c->n, s, s, e);
    ec_from_bytes(&c->n, kinv, k);
    ec_to_mont(&c->n, kinv, kinv);
    ec_mont_inv(&c->n, kinv, kinv);
    ec_mont_mul(&c->n, s, s, kinv);

    ok &= (ec_is_zero(&c->n, r) | ec_is_zero(&c->n, s)) ^ 1; /* probability 2^-bits */
    ec_to_bytes(&c->n, sig_rs, r);
    ec_to_bytes(&c->n, sig_rs + len, s);
    uint8_t mask = (uint8_t)(0u - (ok & key_ok));
    for (size_t i = 0; i < 2 * len; i++)
        sig_rs[i] &= mask;

    mamori_zeroize(k, sizeof k);
    mamori_zeroize(extra, sizeof extra);
    mamori_zeroize(d, sizeof d);
    mamori_zeroize(kinv, sizeof kinv);
    mamori_zeroize(&q, sizeof q);
    mamori_zeroize(e, sizeof e);
    mamori_zeroize(h, sizeof h);
    rc = (int)mamori_ct_select32(ok ^ 1, (uint32_t)MAMORI_ERR_FAULT, MAMORI_OK);
    return (int)mamori_ct_select32(key_ok ^ 1, (uint32_t)MAMORI_ERR_BADKEY, (uint32_t)rc);
}
#endif

/* Loads a big-endian r or s and checks 1 <= v < n (public values). */
static int load_sig_scalar(const ec_curve_t *c, ec_limb_t *v, const uint8_t *in)
{
    ec_from_bytes(&c->n, v, in);
    return ec_lt_mod(&c->n, v) && !ec_is_zero(&c->n, v);
}

/* u1 = e s^-1 and u2 = r s^-1 mod n as bytes (SEC 1 4.1.4 steps 4-5),
 * using a not yet needed point as scratch to keep the stack small. */
EC_SHARED int verify_scalars(const ec_curve_t *c, uint8_t *u1, uint8_t *u2,
                             const uint8_t *sig_rs, const uint8_t *digest, size_t digest_len,
                             ec_point_t *scratch)
{
    const size_t len = ec_curve_bytes(c);
    ec_limb_t *r = scratch->x, *w = scratch->y, *u = scratch->z;
    if (!load_sig_scalar(c, r, sig_rs) || !load_sig_scalar(c, w, sig_rs + len))
        return MAMORI_ERR_BADSIG;
    ec_to_mont(&c->n, w, w);
    ec_mont_inv(&c->n, w, w); /* s^-1 in Montgomery form: products come out plain */
    digest_to_scalar(c, u, digest, digest_len);
    ec_mont_mul(&c->n, u, u, w);
    ec_to_bytes(&c->n, u1, u);
    ec_mont_mul(&c->n, u, r, w);
    ec_to_bytes(&c->n, u2, u);
    return MAMORI_OK;
}

/* x(R) mod n == r for Jacobian R = (X:Y:Z) without an inversion: as
 * x < p < 2n, it holds iff x = r or x = r + n (only possible when r + n < p),
 * i.e. X == r' Z^2 mod p for one of those r'. R = identity never matches.
 * Public values only; z2 and t are scratch. */
EC_SHARED int x_matches(const ec_curve_t *c, const ec_point_t *rp, const ec_limb_t *r,
                        ec_limb_t *z2, ec_limb_t *t)
{
    if (ec_is_zero(&c->p, rp->z))
        return 0;
    ec_mont_sqr(&c->p, z2, rp->z);
    ec_to_mont(&c->p, t, r);
    ec_mont_mul(&c->p, t, t, z2);
    if (ec_equal(&c->p, t, rp->x))
        return 1;
    ec_mod_add(&c->p, t, r, c->n.m); /* r + n mod p: below n iff r + n >= p */
    if (ec_lt_mod(&c->n, t))
        return 0;
    ec_to_mont(&c->p, t, t);
    ec_mont_mul(&c->p, t, t, z2);
    return ec_equal(&c->p, t, rp->x);
}

/* Verification with a validated key: the backend first, then R = u1 G + u2 Q
 * and its x against r. Q is the point q or, for a prepared key, its comb
 * table (q is then scratch). The signature, digest and key are all public,
 * so variable time is safe here. */
EC_SHARED int verify_with_key(const ec_curve_t *c, const uint8_t *pub, ec_point_t *q,
                              const ec_limb_t *table, const uint8_t *digest, size_t digest_len,
                              const uint8_t *sig_rs)
{
    ec_point_t g;
    uint8_t u1[EC_MAX_BYTES], u2[EC_MAX_BYTES];
    const mamori_crypto_backend_t *be = mamori_crypto_backend();
    if (be != NULL && be->ecdsa_verify != NULL) {
        int rc = be->ecdsa_verify(be->ctx, (int)(8 * ec_curve_bytes(c)), pub, digest, digest_len,
                                  sig_rs);
        if (rc != MAMORI_ERR_UNSUPPORTED)
            return rc;
    }

    int rc = verify_scalars(c, u1, u2, sig_rs, digest, digest_len, &g);
    if (rc != MAMORI_OK)
        return rc;
    if (table == NULL)
        ec_mul2_vartime(c, q, u1, u2, q);
#if MAMORI_EC_GTABLE
    else
        ec_mul2_comb_vartime(c, q, u1, u2, table);
#endif
    ec_from_bytes(&c->n, g.x, sig_rs); /* g's storage is free again */
    return x_matches(c, q, g.x, g.y, g.z) ? MAMORI_OK : MAMORI_ERR_BADSIG;
}

int mamori_ecdsa_verify(int curve, const uint8_t *pub, size_t pub_len, const uint8_t *digest,
                        size_t digest_len, const uint8_t *sig_rs)
{
    const ec_curve_t *c = ec_curve(curve);
    ec_point_t q;
    if (c == NULL)
        return MAMORI_ERR_UNSUPPORTED;
    if (sig_rs == NULL || (digest == NULL && digest_len > 0))
        return MAMORI_ERR_INVAL;
    int rc = ec_point_decode(c, &q, pub, pub_len);
    if (rc != MAMORI_OK)
        return rc;
    return verify_with_key(c, pub, &q, NULL, digest, digest_len, sig_rs);
}

#if MAMORI_EC_PREPARED && MAMORI_EC_GTABLE
int mamori_ecdsa_verify_prepared(const mamori_ec_prepared_t *pk, const uint8_t *digest,
                                 size_t digest_len, const uint8_t *sig_rs)
{
    const ec_curve_t *c;
    ec_point_t q; /* scratch */
    int rc = ec_prepared_check(pk, sig_rs != NULL && (digest != NULL || digest_len == 0), &c);
    if (rc != MAMORI_OK)
        return rc;
    return verify_with_key(c, pk->pub, &q, pk->table, digest, digest_len, sig_rs);
}
#endif

#endif
