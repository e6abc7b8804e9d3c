/*
 * Arithmetic modulo the Ed25519 group order
 * L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1).
 * Scalars are 32-byte little-endian strings. Constant-time throughout.
 */
#ifndef MAMORI_SCALAR25519_H
#define MAMORI_SCALAR25519_H

#include <stdint.h>

/* out = in mod L for a 64-byte little-endian value (a SHA-512 digest). */
void sc25519_reduce(uint8_t out[32], const uint8_t in[64]);
/* out = (a * b + c) mod L, for a and c below L and any 256-bit b. */
void sc25519_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32]);
/* 1 if s < L (a canonical scalar), else 0. */
uint32_t sc25519_is_canonical(const uint8_t s[32]);

#endif
