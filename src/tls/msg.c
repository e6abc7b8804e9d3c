/* TLS 1.3 handshake message parsing (RFC 8446 §4). Each parser takes one
 * message body (after the 4-byte header), keeps pointers into it and
 * requires that every byte is consumed. */
#include "mamori/error.h"
#include "tls/tls_internal.h"

/* §4.1.3: SHA-256("HelloRetryRequest"). */
const uint8_t tls_hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

#define X_CH (TLS_XBIT(TLS_X_COUNT) - 1) /* every known extension may appear in a ClientHello */
#define X_SH                                                                                       \
    (TLS_XBIT(TLS_X_SUPPORTED_VERSIONS) | TLS_XBIT(TLS_X_KEY_SHARE) |                              \
     TLS_XBIT(TLS_X_PRE_SHARED_KEY))
#define X_HRR                                                                                      \
    (TLS_XBIT(TLS_X_SUPPORTED_VERSIONS) | TLS_XBIT(TLS_X_KEY_SHARE) | TLS_XBIT(TLS_X_COOKIE))
#define X_EE                                                                                       \
    (TLS_XBIT(TLS_X_SERVER_NAME) | TLS_XBIT(TLS_X_MAX_FRAGMENT_LENGTH) |                           \
     TLS_XBIT(TLS_X_SUPPORTED_GROUPS) | TLS_XBIT(TLS_X_ALPN) | TLS_XBIT(TLS_X_RECORD_SIZE_LIMIT) | \
     TLS_XBIT(TLS_X_EARLY_DATA))
#define X_CR                                                                                       \
    (TLS_XBIT(TLS_X_SIGNATURE_ALGORITHMS) | TLS_XBIT(TLS_X_SIGNATURE_ALGORITHMS_CERT) |            \
     TLS_XBIT(TLS_X_CERTIFICATE_AUTHORITIES))
#define X_NST TLS_XBIT(TLS_X_EARLY_DATA)

static tls_span_t rd_vec8(mamori_rd_t *rd)
{
    tls_span_t s;
    s.len = mamori_rd_u8(rd);
    s.p = mamori_rd_take(rd, s.len);
    return s;
}

int tls_parse_client_hello(const uint8_t *body, size_t len, tls_client_hello_t *ch)
{
    mamori_rd_t rd, comp;
    size_t n;
    int a;

    mamori_rd_init(&rd, body, len);
    (void)mamori_rd_be16(&rd); /* legacy_version: supported_versions decides */
    ch->random = mamori_rd_take(&rd, 32);
    ch->session_id = rd_vec8(&rd);
    n = mamori_rd_be16(&rd);
    ch->suites = mamori_rd_sub(&rd, n);
    comp = mamori_rd_sub(&rd, mamori_rd_u8(&rd));
    if (!mamori_rd_ok(&rd) || ch->session_id.len > 32 || n < 2 || (n & 1) ||
        mamori_rd_left(&comp) < 1)
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    /* §4.1.2: exactly one compression method, null. */
    if (mamori_rd_left(&comp) != 1 || mamori_rd_u8(&comp) != 0)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    /* A ClientHello without extensions is TLS 1.2 or older. */
    if (mamori_rd_left(&rd) == 0)
        return MAMORI_TLS_ALERT_PROTOCOL_VERSION;
    a = tls_exts_parse(&rd, X_CH, true, &ch->x);
    if (a == 0 && !mamori_rd_done(&rd))
        a = MAMORI_TLS_ALERT_DECODE_ERROR;
    return a;
}

int tls_parse_server_hello(const uint8_t *body, size_t len, tls_server_hello_t *sh)
{
    mamori_rd_t rd;
    uint16_t version;
    int a;

    mamori_rd_init(&rd, body, len);
    version = mamori_rd_be16(&rd);
    sh->random = mamori_rd_take(&rd, 32);
    sh->session_id = rd_vec8(&rd);
    sh->suite = mamori_rd_be16(&rd);
    uint8_t comp = mamori_rd_u8(&rd);
    if (!mamori_rd_ok(&rd) || sh->session_id.len > 32)
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    /* §4.1.3: legacy_version 0x0303; anything older is a downgrade we do
     * not speak. */
    if (version != 0x0303)
        return MAMORI_TLS_ALERT_PROTOCOL_VERSION;
    if (comp != 0)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    sh->is_hrr = true;
    for (int i = 0; i < 32; i++)
        if (sh->random[i] != tls_hrr_random[i])
            sh->is_hrr = false;
    a = tls_exts_parse(&rd, sh->is_hrr ? X_HRR : X_SH, false, &sh->x);
    if (a == 0 && !mamori_rd_done(&rd))
        a = MAMORI_TLS_ALERT_DECODE_ERROR;
    /* §4.1.3: supported_versions is what makes it TLS 1.3. Without it the
     * server negotiated TLS 1.2 or older, which we do not speak; if its
     * random carries the downgrade sentinel, that is an attack. */
    if (a == 0 && !(sh->x.seen & TLS_XBIT(TLS_X_SUPPORTED_VERSIONS))) {
        static const uint8_t downgrade[7] = {'D', 'O', 'W', 'N', 'G', 'R', 'D'};
        bool sentinel = (sh->random[31] == 0 || sh->random[31] == 1);
        for (int i = 0; i < 7; i++)
            if (sh->random[24 + i] != downgrade[i])
                sentinel = false;
        a = sentinel ? MAMORI_TLS_ALERT_ILLEGAL_PARAMETER : MAMORI_TLS_ALERT_PROTOCOL_VERSION;
    }
    if (a == 0)
        a = tls_ext_version_sh(&sh->x.v[TLS_X_SUPPORTED_VERSIONS]);
    return a;
}

int tls_parse_encrypted_extensions(const uint8_t *body, size_t len, tls_exts_t *x)
{
    mamori_rd_t rd;
    int a;
    mamori_rd_init(&rd, body, len);
    a = tls_exts_parse(&rd, X_EE, false, x);
    if (a == 0 && !mamori_rd_done(&rd))
        a = MAMORI_TLS_ALERT_DECODE_ERROR;
    return a;
}

#if MAMORI_TLS_CERT
int tls_parse_certificate_request(const uint8_t *body, size_t len, tls_span_t *context,
                                  tls_exts_t *x)
{
    mamori_rd_t rd;
    int a;
    mamori_rd_init(&rd, body, len);
    *context = rd_vec8(&rd);
    if (!mamori_rd_ok(&rd))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    /* §4.3.2: unknown extensions are ignored; signature_algorithms is
     * required. */
    a = tls_exts_parse(&rd, X_CR, true, x);
    if (a == 0 && !mamori_rd_done(&rd))
        a = MAMORI_TLS_ALERT_DECODE_ERROR;
    if (a == 0 && !(x->seen & TLS_XBIT(TLS_X_SIGNATURE_ALGORITHMS)))
        a = MAMORI_TLS_ALERT_MISSING_EXTENSION;
    return a;
}

int tls_parse_certificate(const uint8_t *body, size_t len, tls_certificate_t *c)
{
    mamori_rd_t rd, list;
    size_t n;

    mamori_rd_init(&rd, body, len);
    c->context = rd_vec8(&rd);
    n = mamori_rd_be24(&rd);
    list = mamori_rd_sub(&rd, n);
    if (!mamori_rd_done(&rd))
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    c->count = 0;
    while (mamori_rd_left(&list) > 0) {
        size_t cl = mamori_rd_be24(&list);
        const uint8_t *cert = mamori_rd_take(&list, cl);
        size_t el = mamori_rd_be16(&list);
        mamori_rd_skip(&list, el);
        if (!mamori_rd_ok(&list) || cl == 0)
            return MAMORI_TLS_ALERT_DECODE_ERROR;
        /* §4.4.2: entry extensions answer ClientHello extensions; we send
         * none that allow one. */
        if (el != 0)
            return MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION;
        if (c->count == MAMORI_TLS_MAX_CHAIN)
            return MAMORI_TLS_ALERT_BAD_CERTIFICATE;
        c->certs[c->count] = cert;
        c->lens[c->count] = cl;
        c->count++;
    }
    return 0;
}

int tls_parse_certificate_verify(const uint8_t *body, size_t len, uint16_t *scheme, tls_span_t *sig)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, body, len);
    *scheme = mamori_rd_be16(&rd);
    sig->len = mamori_rd_be16(&rd);
    sig->p = mamori_rd_take(&rd, sig->len);
    return mamori_rd_done(&rd) && sig->len > 0 ? 0 : MAMORI_TLS_ALERT_DECODE_ERROR;
}

#endif

int tls_parse_finished(const uint8_t *body, size_t len, size_t hash_len)
{
    (void)body;
    return len == hash_len ? 0 : MAMORI_TLS_ALERT_DECODE_ERROR;
}

#if MAMORI_TLS_RESUMPTION
int tls_parse_new_session_ticket(const uint8_t *body, size_t len, tls_ticket_t *t)
{
    mamori_rd_t rd;
    int a;
    mamori_rd_init(&rd, body, len);
    t->lifetime = mamori_rd_be32(&rd);
    t->age_add = mamori_rd_be32(&rd);
    t->nonce = rd_vec8(&rd);
    t->ticket.len = mamori_rd_be16(&rd);
    t->ticket.p = mamori_rd_take(&rd, t->ticket.len);
    if (!mamori_rd_ok(&rd) || t->ticket.len == 0)
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    /* §4.6.1: at most seven days. */
    if (t->lifetime > 604800u)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    a = tls_exts_parse(&rd, X_NST, true, &t->x);
    if (a == 0 && !mamori_rd_done(&rd))
        a = MAMORI_TLS_ALERT_DECODE_ERROR;
    return a;
}

#endif

int tls_parse_key_update(const uint8_t *body, size_t len, bool *update_requested)
{
    if (len != 1)
        return MAMORI_TLS_ALERT_DECODE_ERROR;
    if (body[0] > 1) /* §4.6.3 */
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    *update_requested = body[0] == 1;
    return 0;
}

size_t tls_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t tls_wr_open(mamori_wr_t *wr, size_t n)
{
    size_t at = wr->pos;
    mamori_wr_zeros(wr, n);
    return at;
}

void tls_wr_close(mamori_wr_t *wr, size_t at, size_t n)
{
    size_t len;
    if (!mamori_wr_ok(wr))
        return;
    len = wr->pos - at - n;
    for (size_t i = 0; i < n; i++)
        wr->buf[at + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    if (n < sizeof(size_t) && (len >> (8 * n)) != 0)
        wr->err = true;
}
