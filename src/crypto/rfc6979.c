/* RFC 6979 3.2 nonce generation (HMAC_DRBG-like), with 3.6 extra input. */
#include "crypto/rfc6979.h"

#if (MAMORI_P256 || MAMORI_P384) && MAMORI_HMAC

#include <string.h>

#include "mamori/ct.h"
#include "mamori/hmac.h"

/* Hosts keep the HMAC state after the key is absorbed and copy it for each
 * message under that key, saving the two compressions of the key pads;
 * microcontrollers re-key instead, which needs no second context on the
 * stack. */
#define KEEP_KEYED (EC_LIMB_BITS == 64)

/* The generator state K, V and the HMAC_K contexts. */
typedef struct {
    mamori_hmac_t mac;
#if KEEP_KEYED
    mamori_hmac_t keyed;
#endif
    mamori_hash_id_t id;
    size_t len;
    uint8_t k[EC_MAX_BYTES], v[EC_MAX_BYTES];
} gen_t;

/* Starts HMAC_K in s->mac. */
static void start(gen_t *s)
{
#if KEEP_KEYED
    s->mac = s->keyed;
#else
    (void)mamori_hmac_init(&s->mac, s->id, s->k, s->len);
#endif
}

/* K = HMAC_K(V || sep || x || h || extra) (RFC 6979 3.2 d and f; 3.2 h.3
 * without x, h and extra). */
static void rekey(gen_t *s, uint8_t sep, const uint8_t *x, const uint8_t *h, const uint8_t *extra,
                  size_t extra_len)
{
    start(s);
    mamori_hmac_update(&s->mac, s->v, s->len);
    mamori_hmac_update(&s->mac, &sep, 1);
    if (x != NULL) {
        mamori_hmac_update(&s->mac, x, s->len);
        mamori_hmac_update(&s->mac, h, s->len);
        if (extra_len > 0)
            mamori_hmac_update(&s->mac, extra, extra_len);
    }
    mamori_hmac_final(&s->mac, s->k);
#if KEEP_KEYED
    (void)mamori_hmac_init(&s->keyed, s->id, s->k, s->len);
#endif
}

/* V = HMAC_K(V) */
static void next_v(gen_t *s)
{
    start(s);
    mamori_hmac_update(&s->mac, s->v, s->len);
    mamori_hmac_final(&s->mac, s->v);
}

uint32_t ec_rfc6979_nonce(const ec_curve_t *c, uint8_t *k, const uint8_t *x, const uint8_t *h,
                          const uint8_t *extra, size_t extra_len)
{
    gen_t s;
    uint32_t found = 0;

    s.len = ec_curve_bytes(c);
    s.id = s.len == 32 ? MAMORI_HASH_SHA256 : MAMORI_HASH_SHA384;
    memset(k, 0, s.len);
    if (mamori_hash_len(s.id) != s.len)
        return 0;
    memset(s.v, 0x01, s.len);
    memset(s.k, 0x00, s.len);
#if KEEP_KEYED
    (void)mamori_hmac_init(&s.keyed, s.id, s.k, s.len);
#endif
    for (uint8_t round = 0; round < 2; round++) { /* steps d-g */
        rekey(&s, round, x, h, extra, extra_len);
        next_v(&s);
    }
    for (int t = 0; t < EC_NONCE_TRIES; t++) { /* step h */
        next_v(&s);
        uint32_t take = ec_scalar_valid(c, s.v) & (found ^ 1);
        mamori_ct_copy(take, k, s.v, s.len);
        found |= take;
        if (t + 1 < EC_NONCE_TRIES) { /* h.3 for the next candidate */
            rekey(&s, 0x00, NULL, NULL, NULL, 0);
            next_v(&s);
        }
    }
    mamori_zeroize(&s, sizeof s);
    return found;
}

#endif
