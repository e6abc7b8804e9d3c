/* TLS 1.3 key schedule (RFC 8446 §7.1-§7.3) on HKDF-Expand-Label. */
#include "mamori/ct.h"
#include "mamori/error.h"
#include "mamori/hmac.h"
#include "tls/tls_internal.h"

mamori_hash_id_t mamori_tls_suite_hash(uint16_t suite)
{
    switch (suite) {
    case MAMORI_TLS_AES_128_GCM_SHA256:
    case MAMORI_TLS_CHACHA20_POLY1305_SHA256:
        return MAMORI_HASH_SHA256;
    case MAMORI_TLS_AES_256_GCM_SHA384:
        return MAMORI_HASH_SHA384;
    default:
        return (mamori_hash_id_t)0;
    }
}

size_t mamori_tls_suite_key_len(uint16_t suite)
{
    return suite == MAMORI_TLS_AES_128_GCM_SHA256 ? 16 : suite ? 32 : 0;
}

int mamori_tls_derive_secret(mamori_hash_id_t h, const uint8_t *secret, const char *label,
                             const uint8_t *transcript_hash, uint8_t *out)
{
    size_t hl = mamori_hash_len(h);
    if (hl == 0)
        return MAMORI_ERR_UNSUPPORTED;
    return mamori_hkdf_expand_label(h, secret, hl, label, transcript_hash, hl, out, hl);
}

int mamori_tls_ks_early(mamori_hash_id_t h, const uint8_t *psk, size_t psk_len, uint8_t *secret)
{
    static const uint8_t zeros[MAMORI_HASH_MAX_LEN];
    size_t hl = mamori_hash_len(h);
    if (hl == 0)
        return MAMORI_ERR_UNSUPPORTED;
    if (!psk) {
        psk = zeros;
        psk_len = hl;
    }
    return mamori_hkdf_extract(h, zeros, hl, psk, psk_len, secret);
}

int mamori_tls_ks_next(mamori_hash_id_t h, uint8_t *secret, const uint8_t *ikm, size_t ikm_len)
{
    static const uint8_t zeros[MAMORI_HASH_MAX_LEN];
    uint8_t empty_hash[MAMORI_HASH_MAX_LEN], salt[MAMORI_HASH_MAX_LEN];
    size_t hl = mamori_hash_len(h);
    int err;

    if (hl == 0)
        return MAMORI_ERR_UNSUPPORTED;
    mamori_hash(h, "", 0, empty_hash);
    err = mamori_tls_derive_secret(h, secret, "derived", empty_hash, salt);
    if (err == 0)
        err = mamori_hkdf_extract(h, salt, hl, ikm ? ikm : zeros, ikm ? ikm_len : hl, secret);
    mamori_zeroize(salt, sizeof salt);
    return err;
}

int mamori_tls_traffic_keys(mamori_hash_id_t h, const uint8_t *secret, size_t key_len, uint8_t *key,
                            uint8_t iv[12])
{
    size_t hl = mamori_hash_len(h);
    int err = mamori_hkdf_expand_label(h, secret, hl, "key", NULL, 0, key, key_len);
    if (err == 0)
        err = mamori_hkdf_expand_label(h, secret, hl, "iv", NULL, 0, iv, 12);
    return err;
}

int mamori_tls_finished(mamori_hash_id_t h, const uint8_t *base_key, const uint8_t *transcript_hash,
                        uint8_t *out)
{
    uint8_t fk[MAMORI_HASH_MAX_LEN];
    size_t hl = mamori_hash_len(h);
    int err = mamori_hkdf_expand_label(h, base_key, hl, "finished", NULL, 0, fk, hl);
    if (err == 0)
        err = mamori_hmac(h, fk, hl, transcript_hash, hl, out);
    mamori_zeroize(fk, sizeof fk);
    return err;
}

int mamori_tls_next_traffic_secret(mamori_hash_id_t h, uint8_t *secret)
{
    size_t hl = mamori_hash_len(h);
    return mamori_hkdf_expand_label(h, secret, hl, "traffic upd", NULL, 0, secret, hl);
}

int mamori_tls_resumption_psk(mamori_hash_id_t h, const uint8_t *rms, const uint8_t *nonce,
                              size_t nonce_len, uint8_t *psk)
{
    size_t hl = mamori_hash_len(h);
    return mamori_hkdf_expand_label(h, rms, hl, "resumption", nonce, nonce_len, psk, hl);
}

int mamori_tls_binder_key(mamori_hash_id_t h, const uint8_t *early, bool external, uint8_t *out)
{
    uint8_t empty_hash[MAMORI_HASH_MAX_LEN];
    mamori_hash(h, "", 0, empty_hash);
    return mamori_tls_derive_secret(h, early, external ? "ext binder" : "res binder", empty_hash,
                                    out);
}

int mamori_tls_binder(mamori_hash_id_t h, const uint8_t *psk, size_t psk_len, bool external,
                      const uint8_t *th, uint8_t *out)
{
    uint8_t early[MAMORI_HASH_MAX_LEN], key[MAMORI_HASH_MAX_LEN];
    int err = mamori_tls_ks_early(h, psk, psk_len, early);
    if (err == 0)
        err = mamori_tls_binder_key(h, early, external, key);
    if (err == 0)
        err = mamori_tls_finished(h, key, th, out);
    mamori_zeroize(early, sizeof early);
    mamori_zeroize(key, sizeof key);
    return err;
}

int mamori_tls_psk_binder(mamori_hash_id_t h, const uint8_t *psk, const uint8_t *th, uint8_t *out)
{
    return mamori_tls_binder(h, psk, mamori_hash_len(h), false, th, out);
}
