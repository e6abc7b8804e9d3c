/* TLS 1.3 record protection (RFC 8446 §5.2-§5.5). Keys are expanded per
 * record on the stack, so a connection keeps only key, IV and sequence. */
#include <string.h>

#include "mamori/chachapoly.h"
#include "mamori/ct.h"
#include "mamori/error.h"
#include "mamori/gcm.h"
#include "tls/tls_internal.h"

int mamori_tls_dir_set(mamori_tls_dir_t *d, uint16_t suite, const uint8_t *secret)
{
    size_t kl = mamori_tls_suite_key_len(suite);
    int err = mamori_tls_traffic_keys(mamori_tls_suite_hash(suite), secret, kl, d->key, d->iv);
    if (err) {
        mamori_tls_dir_wipe(d);
        return err;
    }
    d->suite = suite;
    d->key_len = (uint8_t)kl;
    d->seq = 0;
    return 0;
}

void mamori_tls_dir_wipe(mamori_tls_dir_t *d) { mamori_zeroize(d, sizeof *d); }

bool mamori_tls_dir_rekey_due(const mamori_tls_dir_t *d)
{
    return d->suite != 0 && d->seq >= MAMORI_TLS_REKEY_RECORDS;
}

/* §5.3: the 64-bit sequence number, big-endian, XORed into the IV's end. */
static void make_nonce(const mamori_tls_dir_t *d, uint8_t nonce[12])
{
    memcpy(nonce, d->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

static int aead(const mamori_tls_dir_t *d, bool seal, const uint8_t *aad, uint8_t *data, size_t len,
                uint8_t *tag)
{
    uint8_t nonce[12];
    int err;

    make_nonce(d, nonce);
    if (d->suite == MAMORI_TLS_CHACHA20_POLY1305_SHA256) {
#if MAMORI_CHACHAPOLY
        err = seal ? mamori_chachapoly_seal(d->key, nonce, aad, 5, data, len, data, tag)
                   : mamori_chachapoly_open(d->key, nonce, aad, 5, data, len, tag, data);
#else
        err = MAMORI_ERR_UNSUPPORTED;
#endif
    } else {
        mamori_gcm_ctx_t gcm;
        err = mamori_gcm_init(&gcm, d->key, d->key_len);
        if (err == 0)
            err = seal ? mamori_gcm_seal(&gcm, nonce, 12, aad, 5, data, len, data, tag)
                       : mamori_gcm_open(&gcm, nonce, 12, aad, 5, data, len, tag, data);
        mamori_gcm_wipe(&gcm);
    }
    return err;
}

static void put_header(uint8_t *buf, uint8_t type, size_t len)
{
    buf[0] = type;
    buf[1] = 3;
    buf[2] = 3; /* legacy_record_version 0x0303 (§5.1) */
    mamori_put_be16(buf + 3, (uint16_t)len);
}

int mamori_tls_seal(mamori_tls_dir_t *d, uint8_t type, uint8_t *buf, size_t cap, size_t len,
                    size_t pad)
{
    size_t body;
    int err;

    if (d->suite == 0) {
        if (len > MAMORI_TLS_MAX_PLAINTEXT || cap < MAMORI_TLS_RECORD_HEADER + len)
            return MAMORI_ERR_BUFSIZE;
        put_header(buf, type, len);
        return (int)(MAMORI_TLS_RECORD_HEADER + len);
    }
    /* §5.2: TLSInnerPlaintext = content | type | zeros, at most 2^14 + 1. */
    body = len + 1 + pad + MAMORI_TLS_AEAD_TAG;
    if (len + 1 + pad > MAMORI_TLS_MAX_PLAINTEXT + 1 || cap < MAMORI_TLS_RECORD_HEADER + body)
        return MAMORI_ERR_BUFSIZE;
    /* §5.3: the sequence number must not wrap. */
    if (d->seq == UINT64_MAX)
        return MAMORI_ERR_LIMIT;
    buf[MAMORI_TLS_RECORD_HEADER + len] = type;
    memset(buf + MAMORI_TLS_RECORD_HEADER + len + 1, 0, pad);
    put_header(buf, TLS_CT_APPDATA, body);
    err = aead(d, true, buf, buf + MAMORI_TLS_RECORD_HEADER, len + 1 + pad,
               buf + MAMORI_TLS_RECORD_HEADER + len + 1 + pad);
    if (err)
        return err;
    d->seq++;
    return (int)(MAMORI_TLS_RECORD_HEADER + body);
}

/* Largest record body accepted: §5.1/§5.2 limits, narrowed by the
 * record_size_limit we announced (RFC 8449 §4: it counts the inner content
 * type and padding). */
static size_t body_limit(bool protected_rec, size_t max_plain)
{
    if (!protected_rec)
        return MAMORI_TLS_MAX_PLAINTEXT;
    if (max_plain >= MAMORI_TLS_MAX_PLAINTEXT)
        return MAMORI_TLS_MAX_PLAINTEXT + 256;
    return max_plain + 1 + MAMORI_TLS_AEAD_TAG;
}

int mamori_tls_record_len(const uint8_t *buf, size_t have, size_t max_plain, int *alert)
{
    size_t body;
    if (have < MAMORI_TLS_RECORD_HEADER)
        return 0;
    if (buf[0] < TLS_CT_CCS || buf[0] > TLS_CT_APPDATA) {
        *alert = MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE;
        return MAMORI_ERR_TLS_PROTOCOL;
    }
    /* The major version is 3 in every TLS record; anything else is not TLS. */
    if (buf[1] != 3) {
        *alert = MAMORI_TLS_ALERT_DECODE_ERROR;
        return MAMORI_ERR_TLS_PROTOCOL;
    }
    body = mamori_get_be16(buf + 3);
    if (body > body_limit(buf[0] == TLS_CT_APPDATA, max_plain)) {
        *alert = MAMORI_TLS_ALERT_RECORD_OVERFLOW;
        return MAMORI_ERR_TLS_PROTOCOL;
    }
    return (int)(MAMORI_TLS_RECORD_HEADER + body);
}

int mamori_tls_open(mamori_tls_dir_t *d, uint8_t *buf, size_t len, size_t max_plain, uint8_t *type,
                    size_t *plain, size_t *plain_len, int *alert)
{
    size_t body = len - MAMORI_TLS_RECORD_HEADER, n;
    uint8_t *p = buf + MAMORI_TLS_RECORD_HEADER;

    *plain = MAMORI_TLS_RECORD_HEADER;
    /* Unprotected records: plaintext epoch, or a change_cipher_spec. */
    if (d->suite == 0 || buf[0] != TLS_CT_APPDATA) {
        if (d->suite != 0 && buf[0] != TLS_CT_CCS) {
            *alert = MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE;
            return MAMORI_ERR_TLS_PROTOCOL;
        }
        *type = buf[0];
        *plain_len = body;
        return 0;
    }
    if (body < 1 + MAMORI_TLS_AEAD_TAG) {
        *alert = MAMORI_TLS_ALERT_BAD_RECORD_MAC;
        return MAMORI_ERR_AUTH;
    }
    if (d->seq == UINT64_MAX) {
        *alert = MAMORI_TLS_ALERT_INTERNAL_ERROR;
        return MAMORI_ERR_LIMIT;
    }
    n = body - MAMORI_TLS_AEAD_TAG;
    if (aead(d, false, buf, p, n, p + n) != 0) {
        *alert = MAMORI_TLS_ALERT_BAD_RECORD_MAC; /* §5.2 */
        return MAMORI_ERR_AUTH;
    }
    d->seq++;
    if (n > max_plain + 1 || n > MAMORI_TLS_MAX_PLAINTEXT + 1) {
        *alert = MAMORI_TLS_ALERT_RECORD_OVERFLOW;
        return MAMORI_ERR_TLS_PROTOCOL;
    }
    /* §5.4: the content type is the last non-zero byte; none at all is an
     * unexpected_message. */
    while (n > 0 && p[n - 1] == 0)
        n--;
    if (n == 0) {
        *alert = MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE;
        return MAMORI_ERR_TLS_PROTOCOL;
    }
    *type = p[n - 1];
    *plain_len = n - 1;
    return 0;
}
