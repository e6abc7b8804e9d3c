/* RFC 6979 3.2 nonce generation (HMAC_DRBG-like), with 3.6 extra input. */
#include "crypto/rfc6979.h"

#if (MAMORI_P256 || MAMORI_P384) && MAMORI_HMAC

#include <string.h>

#include "mamori/ct.h"
#include "mamori/hmac.h"

/* K = HMAC_K(V || sep || x || h || extra) (RFC 6979 3.2 d and f); one
 * caller-provided HMAC context serves every step to keep the stack small. */
static void rekey(mamori_hmac_t *mac, mamori_hash_id_t id, uint8_t *kk, const uint8_t *v,
                  size_t len, uint8_t sep, const uint8_t *x, const uint8_t *h,
                  const uint8_t *extra, size_t extra_len)
{
    (void)mamori_hmac_init(mac, id, kk, len);
    mamori_hmac_update(mac, v, len);
    mamori_hmac_update(mac, &sep, 1);
    if (x != NULL) {
        mamori_hmac_update(mac, x, len);
        mamori_hmac_update(mac, h, len);
        if (extra_len > 0)
            mamori_hmac_update(mac, extra, extra_len);
    }
    mamori_hmac_final(mac, kk);
}

/* V = HMAC_K(V) */
static void next_v(mamori_hmac_t *mac, mamori_hash_id_t id, const uint8_t *kk, uint8_t *v,
                   size_t len)
{
    (void)mamori_hmac_init(mac, id, kk, len);
    mamori_hmac_update(mac, v, len);
    mamori_hmac_final(mac, v);
}

uint32_t ec_rfc6979_nonce(const ec_curve_t *c, uint8_t *k, const uint8_t *x, const uint8_t *h,
                          const uint8_t *extra, size_t extra_len)
{
    const size_t len = ec_curve_bytes(c);
    const mamori_hash_id_t id = len == 32 ? MAMORI_HASH_SHA256 : MAMORI_HASH_SHA384;
    uint8_t kk[EC_MAX_BYTES], v[EC_MAX_BYTES];
    mamori_hmac_t mac;
    uint32_t found = 0;

    memset(k, 0, len);
    if (mamori_hash_len(id) != len)
        return 0;
    memset(v, 0x01, len);
    memset(kk, 0x00, len);
    for (uint8_t round = 0; round < 2; round++) { /* steps d-g */
        rekey(&mac, id, kk, v, len, round, x, h, extra, extra_len);
        next_v(&mac, id, kk, v, len);
    }
    for (int t = 0; t < EC_NONCE_TRIES; t++) { /* step h */
        next_v(&mac, id, kk, v, len);
        uint32_t take = ec_scalar_valid(c, v) & (found ^ 1);
        mamori_ct_copy(take, k, v, len);
        found |= take;
        rekey(&mac, id, kk, v, len, 0x00, NULL, NULL, NULL, 0);
        next_v(&mac, id, kk, v, len);
    }
    mamori_zeroize(kk, sizeof kk);
    mamori_zeroize(v, sizeof v);
    return found;
}

#endif
