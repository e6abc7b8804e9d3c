/* Key exchange groups (RFC 8446 §4.2.7, §4.2.8, §7.4): ephemeral keys and
 * shared secrets for X25519 and secp256r1, as far as they are compiled in. */
#include <string.h>

#include "mamori/ecc.h"
#include "mamori/error.h"
#include "mamori/x25519.h"
#include "tls/tls_internal.h"

int tls_group_public(uint16_t group, const uint8_t *priv, uint8_t *pub, size_t *pub_len)
{
#if MAMORI_X25519
    if (group == MAMORI_TLS_GROUP_X25519) {
        *pub_len = MAMORI_X25519_LEN;
        return mamori_x25519_public(pub, priv);
    }
#endif
#if MAMORI_P256
    if (group == MAMORI_TLS_GROUP_SECP256R1) {
        *pub_len = MAMORI_EC_PUB_LEN(MAMORI_EC_P256);
        return mamori_ec_public(MAMORI_EC_P256, pub, priv);
    }
#endif
    (void)priv, (void)pub, (void)pub_len;
    return MAMORI_ERR_UNSUPPORTED;
}

int tls_group_keygen(const mamori_tls_config_t *cfg, uint16_t group, uint8_t *priv, uint8_t *pub,
                     size_t *pub_len)
{
#if MAMORI_X25519
    if (group == MAMORI_TLS_GROUP_X25519) {
        int err = 0;
        if (cfg->test_x25519_priv)
            memcpy(priv, cfg->test_x25519_priv, MAMORI_X25519_LEN);
        else
            err = cfg->rng(cfg->rng_ctx, priv, MAMORI_X25519_LEN);
        return err ? err : tls_group_public(group, priv, pub, pub_len);
    }
#endif
#if MAMORI_P256
    if (group == MAMORI_TLS_GROUP_SECP256R1) {
        *pub_len = MAMORI_EC_PUB_LEN(MAMORI_EC_P256);
        return mamori_ec_keygen(MAMORI_EC_P256, priv, pub, cfg->rng, cfg->rng_ctx);
    }
#endif
    (void)cfg, (void)priv, (void)pub, (void)pub_len;
    return MAMORI_ERR_UNSUPPORTED;
}

int tls_group_shared(uint16_t group, const uint8_t *priv, const tls_span_t *peer, uint8_t *shared)
{
#if MAMORI_X25519
    /* §7.4.2: mamori_x25519 refuses the all-zero result. */
    if (group == MAMORI_TLS_GROUP_X25519)
        return peer->len == MAMORI_X25519_LEN ? mamori_x25519(shared, priv, peer->p)
                                              : MAMORI_ERR_BADPOINT;
#endif
#if MAMORI_P256
    /* §4.2.8.2: an uncompressed point, checked to be on the curve. */
    if (group == MAMORI_TLS_GROUP_SECP256R1)
        return mamori_ecdh(MAMORI_EC_P256, shared, priv, peer->p, peer->len);
#endif
    (void)priv, (void)peer, (void)shared;
    return MAMORI_ERR_BADPOINT;
}
