/* Public-key checks and the RSA verification primitive (RFC 8017 §5.2.2). */
#include "crypto/rsa_internal.h"

#if MAMORI_RSA

#include "crypto/bignum.h"
#include "mamori/error.h"

#include <string.h>

int mamori_rsa_pub_info(mamori_rsa_pub_info_t *info, const uint8_t *n, size_t n_len,
                        const uint8_t *e, size_t e_len, size_t min_bits)
{
    if (!n || !e)
        return MAMORI_ERR_BADKEY;
    while (n_len > 0 && n[0] == 0) {
        n++;
        n_len--;
    }
    while (e_len > 0 && e[0] == 0) {
        e++;
        e_len--;
    }
    if (n_len == 0 || n_len > MAMORI_RSA_MAX_BYTES || e_len == 0 || e_len > 4)
        return MAMORI_ERR_BADKEY;
    size_t bits = 8 * n_len;
    for (uint8_t top = n[0]; !(top & 0x80); top = (uint8_t)(top << 1))
        bits--;
    uint32_t ev = 0;
    for (size_t i = 0; i < e_len; i++)
        ev = (ev << 8) | e[i];
    /* RFC 8017 §3.1: n odd (a product of odd primes), 3 <= e < n, e odd. */
    if (bits < min_bits || bits > MAMORI_RSA_MAX_BITS || !(n[n_len - 1] & 1) || ev < 3 ||
        !(ev & 1))
        return MAMORI_ERR_BADKEY;
    info->n = n;
    info->n_len = n_len;
    info->bits = bits;
    info->e = ev;
    return MAMORI_OK;
}

int mamori_rsa_public_op(const mamori_rsa_public_t *key, const uint8_t *sig, size_t sig_len,
                         mamori_limb_t *em, mamori_rsa_pub_info_t *info)
{
    mamori_limb_t n[MAMORI_BN_MAX_LIMBS], y[MAMORI_BN_MAX_LIMBS];
    mamori_bn_mont_t mm;

    int rc = mamori_rsa_pub_info(info, key->n, key->n_len, key->e, key->e_len, 1024);
    if (rc != MAMORI_OK)
        return rc;
    /* §8.1.2 / §8.2.2 step 1: the signature is exactly k bytes; §5.2.2
     * step 1: the representative must be less than n (both are k bytes,
     * big-endian, and public). */
    if (!sig || sig_len != info->n_len || memcmp(sig, info->n, sig_len) >= 0)
        return MAMORI_ERR_BADSIG;
    size_t limbs = MAMORI_BN_LIMBS(info->bits);
    mamori_bn_from_bytes(n, limbs, info->n, info->n_len);
    /* Everything here is public: no R^2, s goes to Montgomery form by
     * division steps. em is the accumulator, then receives the result. */
    mamori_bn_mont_init_public(&mm, n, limbs, info->bits, NULL, y);
    mamori_bn_from_bytes(em, limbs, sig, sig_len);
    mamori_bn_to_mont_public(em, em, &mm, info->bits, y);
    mamori_bn_mod_exp_public(y, em, sig, sig_len, info->e, info->bits, &mm);
    mamori_bn_to_bytes((uint8_t *)em, info->n_len, y, limbs);
    return MAMORI_OK;
}

#endif
