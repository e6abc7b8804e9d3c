/*
 * Points on the NIST prime curves y^2 = x^3 - 3x + b (FIPS 186-4 D.1.2) in
 * Jacobian coordinates (X:Y:Z), x = X/Z^2, y = Y/Z^3, coordinates in
 * Montgomery form; Z = 0 is the identity. Doubling (dbl-2001-b, a = -3) is
 * complete on these prime-order curves. The addition formulas (add-1998-cmo-2
 * and its mixed form, Cohen, Miyaji and Ono 1998) fail only when both inputs
 * are the same point: the _partial functions select the identity cases
 * without branching and report that one case.
 */
#ifndef MAMORI_EC_POINT_H
#define MAMORI_EC_POINT_H

#include "crypto/ec_field.h"

/* Keep the fixed-base tables for the generators (with 32-bit limbs 8.5 KB
 * of rodata for P-256, 18.75 KB for P-384; with 64-bit limbs 22 KB and
 * 51 KB); 0 computes k*G with the generic ladder instead. */
#ifndef MAMORI_EC_GTABLE
#define MAMORI_EC_GTABLE 1
#endif

/* The fixed-base comb: signed base-2^w digits combed in 4 groups, one table
 * row of 2^(w-1) multiples per group of 4 digits. w = 6 on 64-bit hosts
 * (a third fewer additions than w = 4, for a table 2.6x as large), 4 with
 * 32-bit limbs to keep microcontroller images small. */
#if EC_LIMB_BITS == 64
#define EC_COMB_WINDOW 6
#else
#define EC_COMB_WINDOW 4
#endif
#define EC_COMB_ENTRIES (1 << (EC_COMB_WINDOW - 1))
#define EC_COMB_DIGITS(bits) (((bits) + EC_COMB_WINDOW - 1) / EC_COMB_WINDOW + 1)
#define EC_GTABLE_ROWS(bits) ((EC_COMB_DIGITS(bits) + 3) / 4)

typedef struct {
    ec_mod_t p;             /* field prime */
    ec_mod_t n;             /* group order */
    ec_fe_t b, gx, gy;      /* Montgomery form mod p */
    const ec_limb_t *gtable; /* EC_GTABLE_ROWS rows of j * 2^(4 w row) * G,
                              * j = 1..EC_COMB_ENTRIES, w = EC_COMB_WINDOW,
                              * affine (x, y) Montgomery form; NULL if none */
} ec_curve_t;

typedef struct {
    ec_fe_t x, y, z;
} ec_point_t;

/* The curve for a MAMORI_EC_* id, or NULL if unknown or compiled out. */
const ec_curve_t *ec_curve(int id);
extern const ec_curve_t ec_p256;
extern const ec_curve_t ec_p384;
#if MAMORI_EC_GTABLE
extern const ec_limb_t ec_p256_gtable[];
extern const ec_limb_t ec_p384_gtable[];
#endif

static inline size_t ec_curve_bytes(const ec_curve_t *c) { return ec_mod_bytes(&c->p); }

void ec_point_identity(const ec_curve_t *c, ec_point_t *r);
void ec_point_generator(const ec_curve_t *c, ec_point_t *r);
/* r = a + b, r = a + (x, y) with (x, y) affine on the curve, in constant
 * time; r may alias a or b. Either input may be the identity. Both return 1
 * (and leave r meaningless) when a == b, not the identity, else 0: the
 * caller then takes the doubling, or shows that the case cannot occur. */
uint32_t ec_point_add_partial(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a,
                              const ec_point_t *b);
#if MAMORI_EC_GTABLE
uint32_t ec_point_add_affine_partial(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a,
                                     const ec_limb_t *x, const ec_limb_t *y);
#endif
/* r = 2^n a (n >= 0), complete, constant time for a given n; r may alias
 * a. */
void ec_point_double_n(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, unsigned n);
#if MAMORI_EC_GTABLE
/* The fixed-base comb's projective coordinates (x = X/Z, y = Y/Z): complete
 * mixed addition, 2^n-fold doubling and conversion to Jacobian; constant
 * time, r may alias a. */
void ec_point_proj_add_affine(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a,
                              const ec_limb_t *x, const ec_limb_t *y);
void ec_point_proj_double_n(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, unsigned n);
void ec_point_proj_to_jacobian(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a);
#endif
/* r = a when ctl is 1. */
void ec_point_cmov(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, uint32_t ctl);

/* Decodes an uncompressed point 0x04|X|Y (SEC 1 2.3.4) and validates it
 * fully (SEC 1 3.2.2.1: coordinates below p, on the curve; the cofactor is 1
 * and an uncompressed encoding cannot name the identity). MAMORI_ERR_BADPOINT
 * otherwise. Compressed points are not accepted (RFC 8446 4.2.8.2). */
int ec_point_decode(const ec_curve_t *c, ec_point_t *r, const uint8_t *in, size_t len);
/* Writes the affine x (and y unless NULL) as big-endian bytes, reduced from
 * Montgomery form; returns 1 if a is the identity (outputs then zero). */
uint32_t ec_point_to_affine(const ec_curve_t *c, uint8_t *x, uint8_t *y, const ec_point_t *a);

/* 1 if the big-endian scalar k (curve width) is in [1, n-1], else 0. */
uint32_t ec_scalar_valid(const ec_curve_t *c, const uint8_t *k);
/* r = k*a in constant time, for a big-endian scalar k below 2^bits; r may
 * alias a. */
void ec_mul(const ec_curve_t *c, ec_point_t *r, const uint8_t *k, const ec_point_t *a);
/* r = k*G in constant time. */
void ec_mul_base(const ec_curve_t *c, ec_point_t *r, const uint8_t *k);
#if MAMORI_EC_GTABLE
/* r = k*P in constant time for a big-endian scalar k below 2^bits, from
 * P's comb table (the layout of ec_curve_t.gtable with P for G). */
void ec_mul_comb(const ec_curve_t *c, ec_point_t *r, const uint8_t *k, const ec_limb_t *table);
/* r = u1*G + u2*P from P's comb table, in VARIABLE time: public inputs
 * only (ECDSA verification with a prepared key). */
void ec_mul2_comb_vartime(const ec_curve_t *c, ec_point_t *r, const uint8_t *u1,
                          const uint8_t *u2, const ec_limb_t *table);
#endif
/* r = u1*G + u2*a for big-endian scalars below 2^bits, in VARIABLE time:
 * for public inputs only (ECDSA verification). r may alias a. */
void ec_mul2_vartime(const ec_curve_t *c, ec_point_t *r, const uint8_t *u1, const uint8_t *u2,
                     const ec_point_t *a);

/* A static helper shared by a function and its prepared-key variant
 * (mamori/ecc.h) is inlined into both, so the function compiles as it
 * would alone, and a program that never uses the variant (dropped by
 * --gc-sections) pays nothing for it. */
#define EC_SHARED static inline __attribute__((always_inline))

#endif
