/* The random-source callback every randomised crypto operation takes
 * (ECDSA/RSA blinding, key generation). mamori_drbg_generate() fits it. */
#ifndef MAMORI_RNG_H
#define MAMORI_RNG_H

#include <stddef.h>

/* Fills out with len random bytes; returns 0 or a negative mamori error. */
typedef int (*mamori_rng_fn)(void *ctx, void *out, size_t len);

#endif
