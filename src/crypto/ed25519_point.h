/*
 * Points of edwards25519 (RFC 8032 §5.1) in extended coordinates
 * (X:Y:Z:T) with x = X/Z, y = Y/Z, x y = T/Z.
 */
#ifndef MAMORI_ED25519_POINT_H
#define MAMORI_ED25519_POINT_H

#include <stdint.h>

#include "crypto/f25519.h"

/* 1: [k]B and the B half of verification use precomputed multiples of B in
 * rodata (src/crypto/ed25519_table.c, 27 KB: 256 entries for a signed
 * radix-16 comb plus 32 odd multiples for a width-7 NAF), about 8x faster
 * signing and key derivation. 0: the multiples are computed on the fly (no
 * table, less code). Default: 1 on 64-bit hosts (with a 128-bit product),
 * 0 on 32-bit targets, so microcontroller builds keep the small code. */
#ifndef MAMORI_ED25519_TABLE
#if defined(__SIZEOF_INT128__)
#define MAMORI_ED25519_TABLE 1
#else
#define MAMORI_ED25519_TABLE 0
#endif
#endif

typedef struct {
    f25519_t x, y, z, t;
} ed25519_point_t;

/* An affine point as (y + x, y - x, 2 d x y), the form a mixed addition
 * takes. */
typedef struct {
    f25519_t ypx, ymx, xy2d;
} ed25519_niels_t;

#if MAMORI_ED25519_TABLE
/* ed25519_btable[i][j] = (j + 1) 16^(2 i) B; ed25519_bodd[j] = (2 j + 1) B. */
extern const ed25519_niels_t ed25519_btable[32][8];
extern const ed25519_niels_t ed25519_bodd[32];
#endif

/* Decodes a 32-byte point encoding (RFC 8032 §5.1.3). Returns 0, or -1 for a
 * non-canonical y (y >= p), a y with no matching x, or x = 0 with the sign
 * bit set. Variable time: only for public points. */
int ed25519_point_decode(ed25519_point_t *p, const uint8_t in[32]);
/* 1 if the y field of an encoding is canonical (below p), else 0. */
int ed25519_point_y_canonical(const uint8_t in[32]);
/* Encodes p (RFC 8032 §5.1.2). Constant time. */
void ed25519_point_encode(uint8_t out[32], const ed25519_point_t *p);
/* Encodes two points with one field inversion. Constant time. */
void ed25519_point_encode2(uint8_t out_p[32], const ed25519_point_t *p, uint8_t out_q[32],
                           const ed25519_point_t *q);
/* p = -p. */
void ed25519_point_neg(ed25519_point_t *p);

/* r = [k]B for the base point B and any k < 2^255. Constant time: the
 * digits of k select table entries by masked scans, never by index. */
void ed25519_scalarmult_base(ed25519_point_t *r, const uint8_t k[32]);
/* r[0] = [k]B and r[1] = [j]B, as two calls to ed25519_scalarmult_base;
 * with the table the two combs run side by side and share their table
 * reads. */
void ed25519_scalarmult_base2(ed25519_point_t r[2], const uint8_t k[32], const uint8_t j[32]);
/* p = [a]p + [b]B for a, b < 2^253. Variable time: public inputs only. */
void ed25519_double_scalarmult_vartime(ed25519_point_t *p, const uint8_t a[32],
                                       const uint8_t b[32]);

#endif
