/*
 * Points of edwards25519 (RFC 8032 §5.1) in extended coordinates
 * (X:Y:Z:T) with x = X/Z, y = Y/Z, x y = T/Z.
 */
#ifndef MAMORI_ED25519_POINT_H
#define MAMORI_ED25519_POINT_H

#include <stdint.h>

#include "crypto/f25519.h"

typedef struct {
    f25519_t x, y, z, t;
} ed25519_point_t;

/* Decodes a 32-byte point encoding (RFC 8032 §5.1.3). Returns 0, or -1 for a
 * non-canonical y (y >= p), a y with no matching x, or x = 0 with the sign
 * bit set. Variable time: only for public points. */
int ed25519_point_decode(ed25519_point_t *p, const uint8_t in[32]);
/* 1 if the y field of an encoding is canonical (below p), else 0. */
int ed25519_point_y_canonical(const uint8_t in[32]);
/* Encodes p (RFC 8032 §5.1.2). Constant time. */
void ed25519_point_encode(uint8_t out[32], const ed25519_point_t *p);
/* p = -p. */
void ed25519_point_neg(ed25519_point_t *p);

/* r = [k]B for the base point B and any k < 2^255. Constant time: the
 * digits of k select table entries by masked scans, never by index. */
void ed25519_scalarmult_base(ed25519_point_t *r, const uint8_t k[32]);
/* p = [a]p + [b]B for a, b < 2^253. Variable time: public inputs only. */
void ed25519_double_scalarmult_vartime(ed25519_point_t *p, const uint8_t a[32],
                                       const uint8_t b[32]);

#endif
