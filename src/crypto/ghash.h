/* GHASH, the universal hash of GCM (NIST SP 800-38D 6.4). Internal. */
#ifndef MAMORI_CRYPTO_GHASH_H
#define MAMORI_CRYPTO_GHASH_H

#include <stddef.h>
#include <stdint.h>

/* For each 16-byte block X of data (the last one zero-padded):
 * y = (y xor X) * h in GF(2^128). Constant-time in y and h. data must be
 * public (AAD, ciphertext, lengths, IV): on 64-bit hosts long inputs index
 * tables by it. */
void mamori_ghash(uint8_t y[16], const uint8_t h[16], const uint8_t *data, size_t len);

#endif
