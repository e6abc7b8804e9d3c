/* TLS 1.3 handshake message and extension parsers (src/tls/msg.c, ext.c).
 * The first input byte picks the parser; the rest is its input. Every span
 * a parser returns must lie inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "tls/tls_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *lo, *hi;

static void inside(const uint8_t *p, size_t len)
{
    if (p && (p < lo || p + len > hi))
        abort();
}

static void check_exts(const tls_exts_t *x)
{
    for (int i = 0; i < TLS_X_COUNT; i++)
        if (x->seen & TLS_XBIT(i))
            inside(x->v[i].p, x->v[i].len);
}

/* Runs every extension-body parser on each extension present. */
static void ext_bodies(const tls_exts_t *x)
{
    mamori_rd_t list;
    tls_span_t s;
    uint16_t u;
    bool b;
    for (int i = 0; i < TLS_X_COUNT; i++) {
        const tls_span_t *v = &x->v[i];
        if (!(x->seen & TLS_XBIT(i)))
            continue;
        (void)tls_ext_u16_list(v, 2, &list);
        (void)tls_ext_versions_ch(v, &b);
        (void)tls_ext_version_sh(v);
        if (tls_ext_key_share_ch(v, MAMORI_TLS_GROUP_X25519, &s) == 0)
            inside(s.p, s.len);
        if (tls_ext_key_share_sh(v, &u, &s) == 0)
            inside(s.p, s.len);
        (void)tls_ext_key_share_hrr(v, &u);
        if (tls_ext_server_name(v, &s) == 0)
            inside(s.p, s.len);
        if (tls_ext_alpn(v, &list, &s) == 0 && s.p)
            inside(s.p, s.len);
        (void)tls_ext_record_size_limit(v, &u);
        (void)tls_ext_max_fragment_length(v, &u);
        if (tls_ext_cookie(v, &s) == 0)
            inside(s.p, s.len);
        (void)tls_ext_psk_modes(v, &b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tls_client_hello_t ch;
    tls_server_hello_t sh;
    tls_certificate_t cert;
    tls_ticket_t nst;
    tls_exts_t x;
    tls_span_t s;
    uint16_t u;
    bool b;

    if (size < 1)
        return 0;
    lo = data + 1;
    hi = data + size;
    switch (data[0] % 9) {
    case 0:
        if (tls_parse_client_hello(lo, size - 1, &ch) == 0) {
            inside(ch.random, 32);
            inside(ch.session_id.p, ch.session_id.len);
            check_exts(&ch.x);
            ext_bodies(&ch.x);
        }
        break;
    case 1:
        if (tls_parse_server_hello(lo, size - 1, &sh) == 0) {
            check_exts(&sh.x);
            ext_bodies(&sh.x);
        }
        break;
    case 2:
        if (tls_parse_encrypted_extensions(lo, size - 1, &x) == 0) {
            check_exts(&x);
            ext_bodies(&x);
        }
        break;
    case 3:
        if (tls_parse_certificate_request(lo, size - 1, &s, &x) == 0)
            check_exts(&x);
        break;
    case 4:
        if (tls_parse_certificate(lo, size - 1, &cert) == 0)
            for (size_t i = 0; i < cert.count; i++)
                inside(cert.certs[i], cert.lens[i]);
        break;
    case 5:
        if (tls_parse_certificate_verify(lo, size - 1, &u, &s) == 0)
            inside(s.p, s.len);
        break;
    case 6:
        if (tls_parse_new_session_ticket(lo, size - 1, &nst) == 0) {
            inside(nst.ticket.p, nst.ticket.len);
            inside(nst.nonce.p, nst.nonce.len);
        }
        break;
    case 7:
        (void)tls_parse_key_update(lo, size - 1, &b);
        break;
    default: {
        /* A raw extensions block, as a ClientHello would carry it. */
        mamori_rd_t rd;
        mamori_rd_init(&rd, lo, size - 1);
        if (tls_exts_parse(&rd, TLS_XBIT(TLS_X_COUNT) - 1, true, &x) == 0) {
            check_exts(&x);
            ext_bodies(&x);
        }
        break;
    }
    }
    return 0;
}
