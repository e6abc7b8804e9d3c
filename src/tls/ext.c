/* TLS 1.3 extension parsing (RFC 8446 §4.2, RFC 6066, RFC 7301, RFC 8449).
 * Every read goes through the bounded cursor; lengths from the wire are
 * checked against what remains and against each field's own bounds. */
#include "mamori/error.h"
#include "tls/tls_internal.h"

static int ext_index(uint16_t type)
{
    switch (type) {
    case TLS_EXT_SERVER_NAME:
        return TLS_X_SERVER_NAME;
    case TLS_EXT_MAX_FRAGMENT_LENGTH:
        return TLS_X_MAX_FRAGMENT_LENGTH;
    case TLS_EXT_SUPPORTED_GROUPS:
        return TLS_X_SUPPORTED_GROUPS;
    case TLS_EXT_SIGNATURE_ALGORITHMS:
        return TLS_X_SIGNATURE_ALGORITHMS;
    case TLS_EXT_ALPN:
        return TLS_X_ALPN;
    case TLS_EXT_RECORD_SIZE_LIMIT:
        return TLS_X_RECORD_SIZE_LIMIT;
    case TLS_EXT_PRE_SHARED_KEY:
        return TLS_X_PRE_SHARED_KEY;
    case TLS_EXT_EARLY_DATA:
        return TLS_X_EARLY_DATA;
    case TLS_EXT_SUPPORTED_VERSIONS:
        return TLS_X_SUPPORTED_VERSIONS;
    case TLS_EXT_COOKIE:
        return TLS_X_COOKIE;
    case TLS_EXT_PSK_KEY_EXCHANGE_MODES:
        return TLS_X_PSK_KEY_EXCHANGE_MODES;
    case TLS_EXT_CERTIFICATE_AUTHORITIES:
        return TLS_X_CERTIFICATE_AUTHORITIES;
    case TLS_EXT_SIGNATURE_ALGORITHMS_CERT:
        return TLS_X_SIGNATURE_ALGORITHMS_CERT;
    case TLS_EXT_KEY_SHARE:
        return TLS_X_KEY_SHARE;
    default:
        return -1;
    }
}

int tls_exts_parse(mamori_rd_t *rd, uint32_t allowed, bool ignore_unknown, tls_exts_t *x)
{
    mamori_rd_t block;
    size_t n;

    x->seen = 0;
    n = mamori_rd_be16(rd);
    block = mamori_rd_sub(rd, n);
    if (!mamori_rd_ok(&block))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    while (mamori_rd_left(&block) > 0) {
        uint16_t type = mamori_rd_be16(&block);
        size_t len = mamori_rd_be16(&block);
        const uint8_t *data = mamori_rd_take(&block, len);
        int idx;

        if (!mamori_rd_ok(&block))
            return MAMORI_TLS_ALERT_DECODE_ERROR;
        /* §4.2.11: pre_shared_key must be the last extension of a
         * ClientHello (the one message allowing psk_key_exchange_modes); a
         * ServerHello may carry it anywhere (RFC 8448 §4 has it first). */
        if ((allowed & TLS_XBIT(TLS_X_PSK_KEY_EXCHANGE_MODES)) &&
            (x->seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)))
            return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        idx = ext_index(type);
        if (idx < 0) {
            if (ignore_unknown)
                continue;
            return MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION;
        }
        if (!(allowed & TLS_XBIT(idx)))
            return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        if (x->seen & TLS_XBIT(idx)) /* §4.2: at most one of each */
            return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        x->seen |= TLS_XBIT(idx);
        x->v[idx].p = data;
        x->v[idx].len = len;
    }
    return 0;
}

static mamori_rd_t span_rd(const tls_span_t *s)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, s->p, s->len);
    return rd;
}

/* A vector<min..> with a length prefix of lenbytes that fills the whole
 * extension. */
static int whole_vector(const tls_span_t *s, size_t lenbytes, size_t min_len, mamori_rd_t *out)
{
    mamori_rd_t rd = span_rd(s);
    size_t n = lenbytes == 1 ? mamori_rd_u8(&rd) : mamori_rd_be16(&rd);
    *out = mamori_rd_sub(&rd, n);
    if (!mamori_rd_done(&rd) || n < min_len)
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    return 0;
}

int tls_ext_u16_list(const tls_span_t *s, size_t min_len, mamori_rd_t *list)
{
    int a = whole_vector(s, 2, min_len, list);
    if (a == 0 && (mamori_rd_left(list) & 1))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    return a;
}

int tls_ext_versions_ch(const tls_span_t *s, bool *has_tls13)
{
    mamori_rd_t list;
    int a = whole_vector(s, 1, 2, &list);
    if (a || (mamori_rd_left(&list) & 1))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    *has_tls13 = false;
    while (mamori_rd_left(&list) > 0)
        if (mamori_rd_be16(&list) == 0x0304)
            *has_tls13 = true;
    return 0;
}

int tls_ext_version_sh(const tls_span_t *s)
{
    mamori_rd_t rd = span_rd(s);
    uint16_t v = mamori_rd_be16(&rd);
    if (!mamori_rd_done(&rd))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    /* §4.2.1: a version we did not offer. */
    return v == 0x0304 ? 0 : MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
}

int tls_ext_key_share_ch(const tls_span_t *s, uint16_t group, tls_span_t *key)
{
    mamori_rd_t list;
    uint16_t seen[16];
    size_t nseen = 0;
    int a = whole_vector(s, 2, 0, &list);

    key->p = NULL;
    key->len = 0;
    if (a)
        return a;
    while (mamori_rd_left(&list) > 0) {
        uint16_t g = mamori_rd_be16(&list);
        size_t n = mamori_rd_be16(&list);
        const uint8_t *p = mamori_rd_take(&list, n);
        if (!mamori_rd_ok(&list) || n == 0)
            return MAMORI_TLS_ALERT_DECODE_ERROR;
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == g)
                return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        if (nseen < sizeof seen / sizeof seen[0])
            seen[nseen++] = g;
        if (g == group) {
            key->p = p;
            key->len = n;
        }
    }
    return 0;
}

int tls_ext_key_share_sh(const tls_span_t *s, uint16_t *group, tls_span_t *key)
{
    mamori_rd_t rd = span_rd(s);
    *group = mamori_rd_be16(&rd);
    key->len = mamori_rd_be16(&rd);
    key->p = mamori_rd_take(&rd, key->len);
    if (!mamori_rd_done(&rd) || key->len == 0)
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    return 0;
}

int tls_ext_key_share_hrr(const tls_span_t *s, uint16_t *group)
{
    mamori_rd_t rd = span_rd(s);
    *group = mamori_rd_be16(&rd);
    return mamori_rd_done(&rd) ? 0 : MAMORI_TLS_ALERT_DECODE_ERROR;
}

int tls_ext_server_name(const tls_span_t *s, tls_span_t *host)
{
    mamori_rd_t list;
    int a = whole_vector(s, 2, 1, &list);
    host->p = NULL;
    host->len = 0;
    if (a)
        return a;
    while (mamori_rd_left(&list) > 0) {
        uint8_t type = mamori_rd_u8(&list);
        size_t n = mamori_rd_be16(&list);
        const uint8_t *p = mamori_rd_take(&list, n);
        if (!mamori_rd_ok(&list) || n == 0)
            return MAMORI_TLS_ALERT_DECODE_ERROR;
        if (type != 0)
            continue;
        /* RFC 6066 §3: one host_name, no trailing dot, no NUL. */
        if (host->p || p[n - 1] == '.')
            return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        for (size_t i = 0; i < n; i++)
            if (p[i] == 0)
                return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        host->p = p;
        host->len = n;
    }
    return 0;
}

int tls_ext_alpn(const tls_span_t *s, mamori_rd_t *list, tls_span_t *one)
{
    mamori_rd_t walk;
    size_t count = 0;
    int a = whole_vector(s, 2, 2, list);
    if (a)
        return a;
    walk = *list;
    while (mamori_rd_left(&walk) > 0) {
        size_t n = mamori_rd_u8(&walk);
        one->p = mamori_rd_take(&walk, n);
        one->len = n;
        if (!mamori_rd_ok(&walk) || n == 0) /* RFC 7301 §3.1: non-empty names */
            return MAMORI_TLS_ALERT_DECODE_ERROR;
        count++;
    }
    if (count != 1)
        one->p = NULL;
    return 0;
}

int tls_ext_record_size_limit(const tls_span_t *s, uint16_t *limit)
{
    mamori_rd_t rd = span_rd(s);
    *limit = mamori_rd_be16(&rd);
    if (!mamori_rd_done(&rd))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    return *limit < 64 ? MAMORI_TLS_ALERT_ILLEGAL_PARAMETER : 0; /* RFC 8449 §4 */
}

int tls_ext_max_fragment_length(const tls_span_t *s, uint16_t *limit)
{
    mamori_rd_t rd = span_rd(s);
    uint8_t code = mamori_rd_u8(&rd);
    if (!mamori_rd_done(&rd))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    if (code < 1 || code > 4)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    *limit = (uint16_t)(256u << code);
    return 0;
}

int tls_ext_cookie(const tls_span_t *s, tls_span_t *cookie)
{
    mamori_rd_t v;
    int a = whole_vector(s, 2, 1, &v);
    cookie->p = NULL;
    cookie->len = 0;
    if (a)
        return a;
    cookie->p = mamori_rd_rest(&v);
    cookie->len = mamori_rd_left(&v);
    return 0;
}

int tls_ext_psk_modes(const tls_span_t *s, bool *psk_dhe_ke)
{
    mamori_rd_t list;
    int a = whole_vector(s, 1, 1, &list);
    *psk_dhe_ke = false;
    if (a)
        return a;
    while (mamori_rd_left(&list) > 0)
        if (mamori_rd_u8(&list) == 1)
            *psk_dhe_ke = true;
    return 0;
}

int tls_ext_psk_ch(const tls_span_t *s, tls_span_t *identity, uint32_t *age, tls_span_t *binder,
                   size_t *binders_len)
{
    mamori_rd_t rd = span_rd(s), ids, binders;
    size_t n_ids = 0, n_binders = 0;

    ids = mamori_rd_sub(&rd, mamori_rd_be16(&rd));
    *binders_len = mamori_rd_left(&rd);
    binders = mamori_rd_sub(&rd, mamori_rd_be16(&rd));
    if (!mamori_rd_done(&rd) || mamori_rd_left(&ids) < 7 || mamori_rd_left(&binders) < 33)
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    while (mamori_rd_left(&ids) > 0) {
        size_t n = mamori_rd_be16(&ids);
        const uint8_t *p = mamori_rd_take(&ids, n);
        uint32_t a = mamori_rd_be32(&ids);
        if (!mamori_rd_ok(&ids) || n == 0)
            return MAMORI_TLS_ALERT_DECODE_ERROR;
        if (n_ids++ == 0) {
            identity->p = p;
            identity->len = n;
            *age = a;
        }
    }
    while (mamori_rd_left(&binders) > 0) {
        size_t n = mamori_rd_u8(&binders);
        const uint8_t *p = mamori_rd_take(&binders, n);
        if (!mamori_rd_ok(&binders) || n < 32)
            return MAMORI_TLS_ALERT_DECODE_ERROR;
        if (n_binders++ == 0) {
            binder->p = p;
            binder->len = n;
        }
    }
    /* §4.2.11: one binder per identity. */
    return n_ids == n_binders ? 0 : MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
}

int tls_ext_psk_sh(const tls_span_t *s, uint16_t *selected)
{
    mamori_rd_t rd = span_rd(s);
    *selected = mamori_rd_be16(&rd);
    return mamori_rd_done(&rd) ? 0 : MAMORI_TLS_ALERT_DECODE_ERROR;
}
