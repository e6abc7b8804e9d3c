/* X25519 (RFC 7748 §5): the Montgomery ladder on x-coordinates only. */
#include "mamori/config.h"

#if MAMORI_X25519

#include "mamori/x25519.h"

#include <string.h>

#include "crypto/f25519.h"
#include "mamori/ct.h"
#include "mamori/error.h"

/* (A - 2) / 4 for Curve25519's A = 486662 (RFC 7748 §5). */
#define X25519_A24 121665u

typedef struct {
    f25519_t x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d;
} ladder_t;

/* One ladder step: (x2:z2) doubles, (x3:z3) becomes the differential sum. */
static void ladder_step(ladder_t *l)
{
    f25519_add(&l->a, &l->x2, &l->z2);
    f25519_sqr(&l->aa, &l->a);
    f25519_sub(&l->b, &l->x2, &l->z2);
    f25519_sqr(&l->bb, &l->b);
    f25519_sub(&l->e, &l->aa, &l->bb);
    f25519_add(&l->c, &l->x3, &l->z3);
    f25519_sub(&l->d, &l->x3, &l->z3);
    f25519_mul(&l->d, &l->d, &l->a);  /* DA */
    f25519_mul(&l->c, &l->c, &l->b);  /* CB */
    f25519_add(&l->x3, &l->d, &l->c);
    f25519_sqr(&l->x3, &l->x3);
    f25519_sub(&l->z3, &l->d, &l->c);
    f25519_sqr(&l->z3, &l->z3);
    f25519_mul(&l->z3, &l->z3, &l->x1);
    f25519_mul(&l->x2, &l->aa, &l->bb);
    f25519_mul_small(&l->z2, &l->e, X25519_A24);
    f25519_add(&l->z2, &l->z2, &l->aa);
    f25519_mul(&l->z2, &l->z2, &l->e);
}

int mamori_x25519(uint8_t out[MAMORI_X25519_LEN], const uint8_t scalar[MAMORI_X25519_LEN],
                  const uint8_t u[MAMORI_X25519_LEN])
{
    uint8_t k[32];
    ladder_t l;
    memcpy(k, scalar, sizeof k);
    k[0] &= 248; /* clamping, RFC 7748 §5 */
    k[31] &= 127;
    k[31] |= 64;

    f25519_frombytes(&l.x1, u);
    f25519_set_u32(&l.x2, 1);
    f25519_set_u32(&l.z2, 0);
    l.x3 = l.x1;
    f25519_set_u32(&l.z3, 1);
    uint32_t swap = 0;
    for (int t = 254; t >= 0; t--) {
        uint32_t bit = (k[t >> 3] >> (t & 7)) & 1u;
        swap ^= bit;
        f25519_cswap(&l.x2, &l.x3, swap);
        f25519_cswap(&l.z2, &l.z3, swap);
        swap = bit;
        ladder_step(&l);
    }
    f25519_cswap(&l.x2, &l.x3, swap);
    f25519_cswap(&l.z2, &l.z3, swap);

    f25519_invert(&l.z2, &l.z2);
    f25519_mul(&l.x2, &l.x2, &l.z2);
    f25519_tobytes(out, &l.x2);
    mamori_zeroize(k, sizeof k);
    mamori_zeroize(&l, sizeof l);

    /* RFC 7748 §6.1: an all-zero secret means a small-order peer point.
     * The check and the choice of return value are branch-free. */
    uint32_t acc = 0;
    for (int i = 0; i < MAMORI_X25519_LEN; i++)
        acc |= out[i];
    return (int)(0u - mamori_ct_is_zero32(acc)) & MAMORI_ERR_WEAKKEY;
}

int mamori_x25519_public(uint8_t pub[MAMORI_X25519_LEN], const uint8_t priv[MAMORI_X25519_LEN])
{
    static const uint8_t base[MAMORI_X25519_LEN] = {9};
    return mamori_x25519(pub, priv, base);
}

#endif
