/* Point arithmetic, decoding and encoding for P-256 and P-384. */
#include "crypto/ec_point.h"

#if MAMORI_P256 || MAMORI_P384

#include <string.h>

#include "crypto/p256_field.h"
#include "mamori/ct.h"
#include "mamori/ecc.h"
#include "mamori/error.h"

const ec_curve_t *ec_curve(int id)
{
#if MAMORI_P256
    if (id == MAMORI_EC_P256)
        return &ec_p256;
#endif
#if MAMORI_P384
    if (id == MAMORI_EC_P384)
        return &ec_p384;
#endif
    (void)id;
    return NULL;
}

/* Field operations mod p; the P-256 prime goes straight to its specialised
 * code on 64-bit hosts (the curve is public). */
static inline void fmul(const ec_curve_t *c, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
#if EC_P256_FAST
    if (c->p.p256) {
        p256_mul(r, a, b);
        return;
    }
#endif
    ec_mont_mul(&c->p, r, a, b);
}

static inline void fsqr(const ec_curve_t *c, ec_limb_t *r, const ec_limb_t *a)
{
#if EC_P256_FAST
    if (c->p.p256) {
        p256_sqr(r, a);
        return;
    }
#endif
    ec_mont_mul(&c->p, r, a, a);
}

static inline void fadd(const ec_curve_t *c, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
#if EC_P256_FAST
    if (c->p.p256) {
        p256_add(r, a, b);
        return;
    }
#endif
    ec_mod_add(&c->p, r, a, b);
}

static inline void fsub(const ec_curve_t *c, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
#if EC_P256_FAST
    if (c->p.p256) {
        p256_sub(r, a, b);
        return;
    }
#endif
    ec_mod_sub(&c->p, r, a, b);
}

void ec_point_identity(const ec_curve_t *c, ec_point_t *r)
{
    memset(r, 0, sizeof *r);
    ec_mont_one(&c->p, r->y);
}

void ec_point_generator(const ec_curve_t *c, ec_point_t *r)
{
    memcpy(r->x, c->gx, sizeof r->x);
    memcpy(r->y, c->gy, sizeof r->y);
    memset(r->z, 0, sizeof r->z);
    ec_mont_one(&c->p, r->z);
}

/* RCB Algorithm 4 (complete addition, a = -3): 12M + 2 mul by b. */
void ec_point_add(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, const ec_point_t *b)
{
    ec_fe_t t0, t1, t2, t3, t4, x3, y3, z3;
    fmul(c, t0, a->x, b->x);
    fmul(c, t1, a->y, b->y);
    fmul(c, t2, a->z, b->z);
    fadd(c, t3, a->x, a->y);
    fadd(c, t4, b->x, b->y);
    fmul(c, t3, t3, t4);
    fadd(c, t4, t0, t1);
    fsub(c, t3, t3, t4);
    fadd(c, t4, a->y, a->z);
    fadd(c, x3, b->y, b->z);
    fmul(c, t4, t4, x3);
    fadd(c, x3, t1, t2);
    fsub(c, t4, t4, x3);
    fadd(c, x3, a->x, a->z);
    fadd(c, y3, b->x, b->z);
    fmul(c, x3, x3, y3);
    fadd(c, y3, t0, t2);
    fsub(c, y3, x3, y3);
    fmul(c, z3, c->b, t2);
    fsub(c, x3, y3, z3);
    fadd(c, z3, x3, x3);
    fadd(c, x3, x3, z3);
    fsub(c, z3, t1, x3);
    fadd(c, x3, t1, x3);
    fmul(c, y3, c->b, y3);
    fadd(c, t1, t2, t2);
    fadd(c, t2, t1, t2);
    fsub(c, y3, y3, t2);
    fsub(c, y3, y3, t0);
    fadd(c, t1, y3, y3);
    fadd(c, y3, t1, y3);
    fadd(c, t1, t0, t0);
    fadd(c, t0, t1, t0);
    fsub(c, t0, t0, t2);
    fmul(c, t1, t4, y3);
    fmul(c, t2, t0, y3);
    fmul(c, y3, x3, z3);
    fadd(c, y3, y3, t2);
    fmul(c, x3, t3, x3);
    fsub(c, x3, x3, t1);
    fmul(c, z3, t4, z3);
    fmul(c, t1, t3, t0);
    fadd(c, z3, z3, t1);
    memcpy(r->x, x3, sizeof x3);
    memcpy(r->y, y3, sizeof y3);
    memcpy(r->z, z3, sizeof z3);
}

/* RCB Algorithm 5 (mixed addition, a = -3): complete for any projective a
 * and any affine (x, y) on the curve. */
void ec_point_add_affine(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a,
                         const ec_limb_t *x, const ec_limb_t *y)
{
    ec_fe_t t0, t1, t2, t3, t4, x3, y3, z3;
    fmul(c, t0, a->x, x);
    fmul(c, t1, a->y, y);
    fadd(c, t3, x, y);
    fadd(c, t4, a->x, a->y);
    fmul(c, t3, t3, t4);
    fadd(c, t4, t0, t1);
    fsub(c, t3, t3, t4);
    fmul(c, t4, y, a->z);
    fadd(c, t4, t4, a->y);
    fmul(c, y3, x, a->z);
    fadd(c, y3, y3, a->x);
    fmul(c, z3, c->b, a->z);
    fsub(c, x3, y3, z3);
    fadd(c, z3, x3, x3);
    fadd(c, x3, x3, z3);
    fsub(c, z3, t1, x3);
    fadd(c, x3, t1, x3);
    fmul(c, y3, c->b, y3);
    fadd(c, t1, a->z, a->z);
    fadd(c, t2, t1, a->z);
    fsub(c, y3, y3, t2);
    fsub(c, y3, y3, t0);
    fadd(c, t1, y3, y3);
    fadd(c, y3, t1, y3);
    fadd(c, t1, t0, t0);
    fadd(c, t0, t1, t0);
    fsub(c, t0, t0, t2);
    fmul(c, t1, t4, y3);
    fmul(c, t2, t0, y3);
    fmul(c, y3, x3, z3);
    fadd(c, y3, y3, t2);
    fmul(c, x3, t3, x3);
    fsub(c, x3, x3, t1);
    fmul(c, z3, t4, z3);
    fmul(c, t1, t3, t0);
    fadd(c, z3, z3, t1);
    memcpy(r->x, x3, sizeof x3);
    memcpy(r->y, y3, sizeof y3);
    memcpy(r->z, z3, sizeof z3);
}

/* r = 2^n a through Jacobian coordinates (x = X/Z^2, y = Y/Z^3), where a
 * doubling costs 4M + 4S instead of 8M + 3S + 2 mul by b: (X:Y:Z) maps to
 * (XZ : YZ^2 : Z) and back to (XZ : Y : Z^3). The identity (Z = 0) maps to
 * (1 : 1 : 0), selected without branching, which the doubling keeps at
 * (s^2 : s^3 : 0) and which maps back to (0 : s^3 : 0). No point of order 2
 * exists on these prime-order curves, so Y = 0 never meets the formula. */
void ec_point_double_n(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, unsigned n)
{
    ec_fe_t x, y, z, t0, t1, t2, one;
    fmul(c, x, a->x, a->z);
    fsqr(c, t0, a->z);
    fmul(c, y, a->y, t0);
    memcpy(z, a->z, sizeof z);
    uint32_t inf = ec_is_zero(&c->p, z);
    ec_mont_one(&c->p, one);
    ec_cmov(&c->p, x, one, inf);
    ec_cmov(&c->p, y, one, inf);
    while (n-- > 0) {
        /* dbl-2001-b (a = -3) with Z3 = 2 Y Z */
        fsqr(c, t0, z);        /* delta */
        fsub(c, t1, x, t0);
        fadd(c, t2, x, t0);
        fmul(c, t1, t1, t2);
        fadd(c, t2, t1, t1);
        fadd(c, t1, t1, t2);   /* alpha = 3 (X - delta)(X + delta) */
        fmul(c, z, y, z);
        fadd(c, z, z, z);      /* Z3 = 2 Y Z */
        fsqr(c, y, y);         /* gamma */
        fmul(c, t0, x, y);     /* beta */
        fadd(c, t0, t0, t0);
        fadd(c, t0, t0, t0);   /* 4 beta */
        fsqr(c, x, t1);
        fsub(c, x, x, t0);
        fsub(c, x, x, t0);     /* X3 = alpha^2 - 8 beta */
        fsub(c, t0, t0, x);
        fmul(c, t0, t1, t0);   /* alpha (4 beta - X3) */
        fsqr(c, y, y);
        fadd(c, y, y, y);
        fadd(c, y, y, y);
        fadd(c, y, y, y);      /* 8 gamma^2 */
        fsub(c, y, t0, y);
    }
    fmul(c, r->x, x, z);
    fsqr(c, t0, z);
    fmul(c, r->z, t0, z);
    memcpy(r->y, y, sizeof y);
}

void ec_point_cmov(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, uint32_t ctl)
{
    ec_cmov(&c->p, r->x, a->x, ctl);
    ec_cmov(&c->p, r->y, a->y, ctl);
    ec_cmov(&c->p, r->z, a->z, ctl);
}

int ec_point_decode(const ec_curve_t *c, ec_point_t *r, const uint8_t *in, size_t len)
{
    const size_t flen = ec_curve_bytes(c);
    ec_fe_t lhs, rhs, three;
    if (in == NULL || len != 1 + 2 * flen || in[0] != 0x04)
        return MAMORI_ERR_BADPOINT;
    ec_from_bytes(&c->p, r->x, in + 1);
    ec_from_bytes(&c->p, r->y, in + 1 + flen);
    if (!ec_lt_mod(&c->p, r->x) || !ec_lt_mod(&c->p, r->y))
        return MAMORI_ERR_BADPOINT;
    ec_to_mont(&c->p, r->x, r->x);
    ec_to_mont(&c->p, r->y, r->y);
    ec_mont_one(&c->p, r->z);
    /* y^2 == (x^2 - 3) x + b */
    fadd(c, three, r->z, r->z);
    fadd(c, three, three, r->z);
    fsqr(c, rhs, r->x);
    fsub(c, rhs, rhs, three);
    fmul(c, rhs, rhs, r->x);
    fadd(c, rhs, rhs, c->b);
    fsqr(c, lhs, r->y);
    if (!ec_equal(&c->p, lhs, rhs))
        return MAMORI_ERR_BADPOINT;
    return MAMORI_OK;
}

uint32_t ec_point_to_affine(const ec_curve_t *c, uint8_t *x, uint8_t *y, const ec_point_t *a)
{
    ec_fe_t zinv, t;
    uint32_t inf = ec_is_zero(&c->p, a->z);
    ec_mont_inv(&c->p, zinv, a->z); /* the identity's 0 maps to 0: outputs zero */
    fmul(c, t, a->x, zinv);
    ec_from_mont(&c->p, t, t);
    ec_to_bytes(&c->p, x, t);
    if (y != NULL) {
        fmul(c, t, a->y, zinv);
        ec_from_mont(&c->p, t, t);
        ec_to_bytes(&c->p, y, t);
    }
    mamori_zeroize(zinv, sizeof zinv);
    mamori_zeroize(t, sizeof t);
    return inf;
}

#endif
