/* Prepared public keys (mamori/ecc.h): the comb table of a validated point. */
#include "mamori/ecc.h"

#if MAMORI_EC_PREPARED && (MAMORI_P256 || MAMORI_P384)

#include <string.h>

#include "crypto/ec_prepared.h"
#include "mamori/error.h"

#if MAMORI_EC_GTABLE
_Static_assert(sizeof(mamori_ec_limb_t) == sizeof(ec_limb_t), "ecc.h limb width");
_Static_assert(MAMORI_EC_COMB_WINDOW == EC_COMB_WINDOW, "ecc.h comb window");
_Static_assert(MAMORI_EC_PREPARED_TABLE_BYTES(256) ==
                       EC_GTABLE_ROWS(256) * EC_COMB_ENTRIES * 2 * 32 &&
                   MAMORI_EC_PREPARED_TABLE_BYTES(384) ==
                       EC_GTABLE_ROWS(384) * EC_COMB_ENTRIES * 2 * 48,
               "ecc.h table size");

/* Points converted to affine per field inversion (divides EC_COMB_ENTRIES;
 * bounds the stack). */
#define BATCH (EC_COMB_ENTRIES < 16 ? EC_COMB_ENTRIES : 16)

/* Converts the BATCH entries from e on, Jacobian (X', Y') with their Z in
 * z[], to affine, by one inversion of acc = prod Z (Montgomery's trick).
 * Each entry was stored premultiplied, X' = X p^2 and Y' = Y p^3 with p the
 * product of the Z before it, so x = X' / (p Z)^2: the running inverse of
 * p Z is all the backward pass needs. */
static void batch_to_affine(const ec_curve_t *c, ec_limb_t *e, ec_fe_t *z, const ec_limb_t *acc)
{
    const unsigned nl = c->p.n;
    ec_fe_t inv, t;
    ec_mont_inv(&c->p, inv, acc);
    for (size_t k = BATCH; k-- > 0;) {
        ec_limb_t *x = e + k * 2 * nl, *y = x + nl;
        ec_mont_sqr(&c->p, t, inv);
        ec_mont_mul(&c->p, x, x, t);
        ec_mont_mul(&c->p, t, t, inv);
        ec_mont_mul(&c->p, y, y, t);
        ec_mont_mul(&c->p, inv, inv, z[k]);
    }
}

/* Row r of the table holds j B_r at j - 1, j = 1..EC_COMB_ENTRIES, with
 * B_r = 2^(4 w r) Q: 2 B_r by a doubling, j B_r = (j - 1) B_r + B_r for
 * j >= 3 (never the doubling case of the partial addition: Q has prime
 * order n > j), and B_(r+1) = 2^(3w+1) (2^(w-1) B_r) from the row's last
 * entry. */
static void build_table(const ec_curve_t *c, ec_limb_t *table, const ec_point_t *q)
{
    const unsigned nl = c->p.n;
    const size_t total = EC_GTABLE_ROWS(8 * ec_curve_bytes(c)) * EC_COMB_ENTRIES;
    ec_point_t b = *q, p;
    ec_fe_t z[BATCH], acc, t;
    for (size_t i = 0; i < total; i++) {
        const size_t j = i % EC_COMB_ENTRIES, k = i % BATCH;
        ec_limb_t *e = table + i * 2 * nl;
        if (j == 0 && i != 0)
            ec_point_double_n(c, &b, &p, 3 * EC_COMB_WINDOW + 1);
        if (j == 0)
            p = b;
        else if (j == 1)
            ec_point_double_n(c, &p, &b, 1);
        else
            (void)ec_point_add_partial(c, &p, &p, &b);
        if (k == 0)
            ec_mont_one(&c->p, acc);
        ec_mont_sqr(&c->p, t, acc);
        ec_mont_mul(&c->p, e, p.x, t);
        ec_mont_mul(&c->p, t, t, acc);
        ec_mont_mul(&c->p, e + nl, p.y, t);
        memcpy(z[k], p.z, sizeof z[k]);
        ec_mont_mul(&c->p, acc, acc, p.z);
        if (k == BATCH - 1)
            batch_to_affine(c, e - (BATCH - 1) * 2 * nl, z, acc);
    }
}

int ec_prepared_check(const mamori_ec_prepared_t *pk, int args_ok, const ec_curve_t **c)
{
    if (pk == NULL)
        return MAMORI_ERR_INVAL;
    *c = ec_curve(pk->curve);
    if (*c == NULL || pk->status == MAMORI_ERR_UNSUPPORTED)
        return MAMORI_ERR_UNSUPPORTED;
    return args_ok ? pk->status : MAMORI_ERR_INVAL;
}

int mamori_ec_prepare(int curve, mamori_ec_prepared_t *pk, const uint8_t *pub, size_t pub_len)
{
    const ec_curve_t *c = ec_curve(curve);
    ec_point_t q;
    if (pk == NULL)
        return MAMORI_ERR_INVAL;
    pk->curve = curve;
    pk->status = MAMORI_ERR_UNSUPPORTED;
    if (c == NULL || ec_curve_bytes(c) > MAMORI_EC_PREPARED_MAX_BITS / 8)
        return MAMORI_ERR_UNSUPPORTED;
    pk->status = ec_point_decode(c, &q, pub, pub_len);
    if (pk->status != MAMORI_OK)
        return pk->status;
    memcpy(pk->pub, pub, pub_len);
    build_table(c, pk->table, &q);
    return MAMORI_OK;
}

#else /* the comb code comes with the generator table */
int mamori_ec_prepare(int curve, mamori_ec_prepared_t *pk, const uint8_t *pub, size_t pub_len)
{
    (void)curve;
    (void)pk;
    (void)pub;
    (void)pub_len;
    return MAMORI_ERR_UNSUPPORTED;
}

int mamori_ecdsa_verify_prepared(const mamori_ec_prepared_t *pk, const uint8_t *digest,
                                 size_t digest_len, const uint8_t *sig_rs)
{
    (void)pk;
    (void)digest;
    (void)digest_len;
    (void)sig_rs;
    return MAMORI_ERR_UNSUPPORTED;
}

int mamori_ecdh_prepared(uint8_t *shared_x, const uint8_t *priv, const mamori_ec_prepared_t *peer)
{
    (void)shared_x;
    (void)priv;
    (void)peer;
    return MAMORI_ERR_UNSUPPORTED;
}
#endif

#endif
