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
    ec_mont_one(&c->p, r->x);
    ec_mont_one(&c->p, r->y);
}

void ec_point_generator(const ec_curve_t *c, ec_point_t *r)
{
    memcpy(r->x, c->gx, sizeof r->x);
    memcpy(r->y, c->gy, sizeof r->y);
    memset(r->z, 0, sizeof r->z);
    ec_mont_one(&c->p, r->z);
}

/* 1 when a is not the identity and a == b (h = u2 - u1 and rr = s2 - s1 both
 * zero), in constant time. */
static uint32_t same_point(const ec_curve_t *c, uint32_t a_inf, uint32_t b_inf, const ec_limb_t *h,
                           const ec_limb_t *rr)
{
    return ec_is_zero(&c->p, h) & ec_is_zero(&c->p, rr) & (a_inf ^ 1) & (b_inf ^ 1);
}

/* Finishes an addition from U1 (in v), S1, H, R and Z3/H (in z):
 * X3 = R^2 - H^3 - 2 U1 H^2, Y3 = R (U1 H^2 - X3) - S1 H^3, Z3 = z H. v and
 * s1 are clobbered; y3 may alias v, z3 may alias h or z, x3 aliases none of
 * the inputs. */
static void add_finish(const ec_curve_t *c, ec_limb_t *x3, ec_limb_t *y3, ec_limb_t *z3,
                       ec_limb_t *v, ec_limb_t *s1, const ec_limb_t *h, const ec_limb_t *rr,
                       const ec_limb_t *z)
{
    ec_fe_t hhh;
    fsqr(c, x3, h);         /* H^2, x3 as scratch */
    fmul(c, hhh, x3, h);
    fmul(c, v, v, x3);      /* V = U1 H^2 */
    fmul(c, z3, z, h);
    fsqr(c, x3, rr);
    fsub(c, x3, x3, hhh);
    fsub(c, x3, x3, v);
    fsub(c, x3, x3, v);
    fsub(c, v, v, x3);
    fmul(c, v, v, rr);
    fmul(c, s1, s1, hhh);
    fsub(c, y3, v, s1);
}

/* add-1998-cmo-2: 12M + 4S. The result is built in locals (the inputs stay
 * readable for the identity cases), then written to r. */
uint32_t ec_point_add_partial(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a,
                              const ec_point_t *b)
{
    ec_fe_t u1, s1, h, rr, z1z1, z2z2;
    const uint32_t a_inf = ec_is_zero(&c->p, a->z), b_inf = ec_is_zero(&c->p, b->z);
    fsqr(c, z1z1, a->z);
    fsqr(c, z2z2, b->z);
    fmul(c, u1, a->x, z2z2);
    fmul(c, h, b->x, z1z1);
    fsub(c, h, h, u1);
    fmul(c, s1, a->y, b->z);
    fmul(c, s1, s1, z2z2);
    fmul(c, rr, b->y, a->z);
    fmul(c, rr, rr, z1z1);
    fsub(c, rr, rr, s1);
    const uint32_t same = same_point(c, a_inf, b_inf, h, rr);
    fmul(c, z1z1, a->z, b->z);
    add_finish(c, z2z2, u1, h, u1, s1, h, rr, z1z1); /* (X3, Y3, Z3) in (z2z2, u1, h) */
    ec_cmov(&c->p, z2z2, b->x, a_inf);
    ec_cmov(&c->p, u1, b->y, a_inf);
    ec_cmov(&c->p, h, b->z, a_inf);
    ec_cmov(&c->p, z2z2, a->x, b_inf);
    ec_cmov(&c->p, u1, a->y, b_inf);
    ec_cmov(&c->p, h, a->z, b_inf);
    memcpy(r->x, z2z2, sizeof r->x);
    memcpy(r->y, u1, sizeof r->y);
    memcpy(r->z, h, sizeof r->z);
    return same;
}

#if MAMORI_EC_GTABLE
/* The mixed form (Z2 = 1): 8M + 3S; for the table's affine points. */
uint32_t ec_point_add_affine_partial(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a,
                                     const ec_limb_t *x, const ec_limb_t *y)
{
    ec_fe_t u1, s1, h, rr, z1z1;
    const uint32_t a_inf = ec_is_zero(&c->p, a->z);
    fsqr(c, z1z1, a->z);
    fmul(c, h, x, z1z1);
    fsub(c, h, h, a->x);
    fmul(c, rr, y, a->z);
    fmul(c, rr, rr, z1z1);
    fsub(c, rr, rr, a->y);
    const uint32_t same = same_point(c, a_inf, 0, h, rr);
    memcpy(u1, a->x, sizeof u1);
    memcpy(s1, a->y, sizeof s1);
    add_finish(c, z1z1, u1, h, u1, s1, h, rr, a->z); /* (X3, Y3, Z3) in (z1z1, u1, h) */
    /* the identity plus (x, y) is (x : y : 1) */
    ec_mont_one(&c->p, s1);
    ec_cmov(&c->p, z1z1, x, a_inf);
    ec_cmov(&c->p, u1, y, a_inf);
    ec_cmov(&c->p, h, s1, a_inf);
    memcpy(r->x, z1z1, sizeof r->x);
    memcpy(r->y, u1, sizeof r->y);
    memcpy(r->z, h, sizeof r->z);
    return same;
}

/* Projective coordinates (x = X/Z, y = Y/Z; the identity is (0 : Y : 0)),
 * for the fixed-base comb, where the complete addition of Renes, Costello
 * and Batina (ePrint 2015/1060, Algorithm 5: mixed, a = -3; 11M and 2
 * products by b) costs less than the Jacobian one with its doubling case
 * selected. r = a + (x, y) for any projective a and affine (x, y) on the
 * curve; r may alias a. */
void ec_point_proj_add_affine(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a,
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
#endif

/* r = 2^n a by dbl-2001-b (a = -3) with Z3 = 2 Y Z: 4M + 4S each. The loop
 * keeps 2Y, which saves additions: 4 beta = X (2Y)^2, Z3 = (2Y) Z and
 * 2 Y3 = 2 alpha (4 beta - X3) - ((2Y)^2)^2. The identity (Z = 0) stays at
 * Z = 0; no point of order 2 exists on these prime-order curves, so Y = 0
 * never meets the formula. */
void ec_point_double_n(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, unsigned n)
{
    ec_fe_t x, y, z, t0, t1, t2;
    memcpy(x, a->x, sizeof x);
    fadd(c, y, a->y, a->y);
    memcpy(z, a->z, sizeof z);
    while (n-- > 0) {
        fsqr(c, t0, z);        /* delta */
        fsub(c, t1, x, t0);
        fadd(c, t2, x, t0);
        fmul(c, t1, t1, t2);
        fadd(c, t2, t1, t1);
        fadd(c, t1, t1, t2);   /* alpha = 3 (X - delta)(X + delta) */
        fmul(c, z, y, z);      /* Z3 = 2 Y Z */
        fsqr(c, y, y);         /* 4 gamma */
        fmul(c, t0, x, y);     /* 4 beta */
        fsqr(c, x, t1);
        fsub(c, x, x, t0);
        fsub(c, x, x, t0);     /* X3 = alpha^2 - 8 beta */
        fsub(c, t0, t0, x);
        fmul(c, t0, t1, t0);   /* alpha (4 beta - X3) */
        fsqr(c, y, y);         /* 16 gamma^2 */
        fadd(c, t0, t0, t0);
        fsub(c, y, t0, y);     /* 2 Y3 */
    }
    memcpy(r->x, x, sizeof x);
    ec_mod_half(&c->p, r->y, y);
    memcpy(r->z, z, sizeof z);
}

#if MAMORI_EC_GTABLE
/* Projective (X : Y : Z) to Jacobian (X Z : Y Z^2 : Z); the identity goes
 * to Z = 0. */
void ec_point_proj_to_jacobian(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a)
{
    ec_fe_t t;
    fsqr(c, t, a->z);
    fmul(c, r->y, a->y, t);
    fmul(c, r->x, a->x, a->z);
    memcpy(r->z, a->z, sizeof r->z);
}

/* r = 2^n a for projective a, through Jacobian coordinates: the identity
 * maps to (1 : 1 : 0), selected without branching, which the doublings
 * keep at Z = 0 and which maps back to (0 : s : 0); back by (X Z : Y : Z^3). */
void ec_point_proj_double_n(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, unsigned n)
{
    ec_point_t j;
    ec_fe_t one;
    const uint32_t inf = ec_is_zero(&c->p, a->z);
    ec_point_proj_to_jacobian(c, &j, a);
    ec_mont_one(&c->p, one);
    ec_cmov(&c->p, j.x, one, inf);
    ec_cmov(&c->p, j.y, one, inf);
    ec_point_double_n(c, &j, &j, n);
    fmul(c, r->x, j.x, j.z);
    fsqr(c, one, j.z);
    fmul(c, r->z, one, j.z);
    memcpy(r->y, j.y, sizeof r->y);
}
#endif

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
    ec_fe_t zinv, zinv2, t;
    uint32_t inf = ec_is_zero(&c->p, a->z);
    ec_mont_inv(&c->p, zinv, a->z); /* the identity's 0 maps to 0: outputs zero */
    fsqr(c, zinv2, zinv);
    fmul(c, t, a->x, zinv2);
    ec_from_mont(&c->p, t, t);
    ec_to_bytes(&c->p, x, t);
    if (y != NULL) {
        fmul(c, zinv, zinv, zinv2);
        fmul(c, t, a->y, zinv);
        ec_from_mont(&c->p, t, t);
        ec_to_bytes(&c->p, y, t);
    }
    mamori_zeroize(zinv, sizeof zinv);
    mamori_zeroize(zinv2, sizeof zinv2);
    mamori_zeroize(t, sizeof t);
    return inf;
}

#endif
