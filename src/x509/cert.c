/* Certificate parsing in place (RFC 5280 4.1 and 4.2). */
#include <string.h>

#include "mamori/error.h"
#include "mamori/sha2.h"
#include "x509/spki.h"
#include "x509/x509_internal.h"

#define OID(prefix, arc) MAMORI_OID(MAMORI_OID_##prefix, arc)

/* Records p[0..n) as a span of c (nothing after an error: p NULL). */
static void put(const mamori_x509_t *c, mamori_x509_span_t *s, const uint8_t *p, size_t n)
{
    if (p != NULL) {
        s->off = (uint16_t)(p - c->der);
        s->len = (uint16_t)n;
    }
}

/* Enters an element of tag and records the whole element as s. */
static mamori_der_t enter_span(const mamori_x509_t *c, mamori_der_t *d, uint8_t tag,
                               mamori_x509_span_t *s)
{
    const uint8_t *start = mamori_rd_rest(&d->rd);
    mamori_der_t v = mamori_der_enter(d, tag);
    if (mamori_der_ok(d))
        put(c, s, start, (size_t)(mamori_rd_rest(&d->rd) - start));
    return v;
}

/* X.690 11.5: a BOOLEAN whose DEFAULT is FALSE appears only as TRUE. */
static bool read_true(mamori_der_t *d)
{
    mamori_der_t b;
    if (!mamori_der_opt(d, MAMORI_DER_BOOLEAN, &b))
        return false;
    if (mamori_rd_u8(&b.rd) != 0xff || !mamori_rd_done(&b.rd))
        mamori_der_fail(d);
    return true;
}

#if MAMORI_RSA
/* RFC 4055 2.1: the HashAlgorithm that ends d, with absent or NULL
 * parameters; SHA-256, -384, -512 (arcs 1..3, as mamori_hash_id_t) or 0
 * (also for bad DER). */
static uint8_t read_hash_alg(mamori_der_t *d)
{
    mamori_der_t a = mamori_der_enter(d, MAMORI_DER_SEQUENCE);
    unsigned id = mamori_x509_oid(&a);
    if (mamori_der_peek(&a) == MAMORI_DER_NULL)
        mamori_der_null(&a);
    mamori_der_end(d, &a);
    return mamori_der_done(d) && id >= OID(SHA2, 1) && id <= OID(SHA2, 3) ? (uint8_t)id : 0;
}

/* RFC 4055 3.1 RSASSA-PSS-params with explicit SHA-2 hash, MGF1 over the
 * same hash and a salt length; the trailer field must take its default.
 * Other parameters (SHA-1 defaults, ...) leave the algorithm unsupported. */
static void read_pss_params(mamori_der_t *alg, mamori_x509_t *c)
{
    mamori_der_t a = *alg;
    mamori_der_t p = mamori_der_enter(&a, MAMORI_DER_SEQUENCE);
    mamori_der_t h = mamori_der_enter(&p, MAMORI_DER_CONTEXT(0));
    uint8_t hash = read_hash_alg(&h);
    mamori_der_t m = mamori_der_enter(&p, MAMORI_DER_CONTEXT(1));
    mamori_der_t mgf = mamori_der_enter(&m, MAMORI_DER_SEQUENCE);
    unsigned mgf_id = mamori_x509_oid(&mgf);
    uint8_t mgf_hash = read_hash_alg(&mgf);
    mamori_der_t s = mamori_der_enter(&p, MAMORI_DER_CONTEXT(2));
    uint32_t salt = mamori_der_uint32(&s);
    mamori_der_end(&p, &m);
    mamori_der_end(&p, &s);
    if (mamori_der_done(&p) && hash != 0 && mgf_hash == hash && mgf_id == OID(PKCS1, 8) &&
        salt <= MAMORI_HASH_MAX_LEN) {
        c->sig_type = MAMORI_X509_SIG_RSA_PSS;
        c->sig_hash = hash;
        c->pss_salt = (uint8_t)salt;
        *alg = a;
    }
}
#endif

/* RFC 4055 5, RFC 5758 3.2, RFC 8410 3: the signature algorithm. Unknown
 * algorithms leave sig_type 0 and their parameters unread. */
static void read_sig_alg(mamori_der_t *alg, mamori_x509_t *c)
{
    unsigned id = mamori_x509_oid(alg);
    if (id >= OID(PKCS1, 11) && id <= OID(PKCS1, 13)) { /* sha{256,384,512}WithRSAEncryption */
        if (mamori_der_peek(alg) == MAMORI_DER_NULL) /* RFC 4055 5: NULL (absent tolerated) */
            mamori_der_null(alg);
        c->sig_type = MAMORI_X509_SIG_RSA_PKCS1;
        c->sig_hash = (uint8_t)(id - OID(PKCS1, 10));
#if MAMORI_RSA /* else left unsupported: only RSA could verify it */
    } else if (id == OID(PKCS1, 10)) {
        read_pss_params(alg, c);
#endif
    } else if (id >= OID(ECDSA_SHA2, 2) && id <= OID(ECDSA_SHA2, 4)) { /* parameters absent */
        c->sig_type = MAMORI_X509_SIG_ECDSA;
        c->sig_hash = (uint8_t)(id - OID(ECDSA_SHA2, 1));
    } else if (id == OID(THAWTE, 112)) {
        c->sig_type = MAMORI_X509_SIG_ED25519;
    }
    if (c->sig_type != 0 && !mamori_der_done(alg))
        mamori_der_fail(alg);
}

/* 4.1.2.4: Name ::= SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { type, value }. */
static void read_name(mamori_x509_t *c, mamori_der_t *d, mamori_x509_span_t *s)
{
    mamori_x509_name_t it = {.name = enter_span(c, d, MAMORI_DER_SEQUENCE, s)};
    int kind;
    while ((kind = mamori_x509_name_next(&it)) > 0)
        ;
    if (kind < 0)
        mamori_der_fail(d);
}

/* 4.2.1.6: one GeneralName of a known form; dNSName must be IA5 and
 * iPAddress 4 or 16 octets (8 or 32 with a mask inside name constraints). */
static void check_general_name(mamori_der_t *d, unsigned subtree)
{
    /* The tags of the forms: [0], [3], [4], [5] constructed, the others
     * primitive ([1], [2], [6], [7], [8]). */
    static const uint8_t forms[] = {0xa0, 0x81, 0x82, 0xa3, 0xa4, 0xa5, 0x86, 0x87, 0x88};
    size_t n, i = 0;
    uint8_t tag = mamori_der_peek(d);
    const uint8_t *p = mamori_der_tlv(d, tag, &n);
    while (forms[i] != tag)
        if (++i == sizeof forms) {
            mamori_der_fail(d);
            break;
        }
    if (tag == MAMORI_DER_CONTEXT_PRIM(2))
        for (i = 0; i < n; i++)
            if (p[i] & 0x80)
                mamori_der_fail(d);
    /* iPAddress: 4 or 16 octets, twice that (address, mask) in subtrees;
     * scaled to 8 or 32 here (n < 64 KiB: no overflow). */
    n <<= 1 - subtree;
    if (tag == MAMORI_DER_CONTEXT_PRIM(7) && n != 8 && n != 32)
        mamori_der_fail(d);
}

/* GeneralNames, or GeneralSubtrees when subtree: SEQUENCE SIZE (1..MAX),
 * read from the sequence content seq; s records that content. */
static void read_general_names(mamori_x509_t *c, mamori_der_t *seq, mamori_x509_span_t *s,
                               unsigned subtree)
{
    put(c, s, mamori_rd_rest(&seq->rd), mamori_rd_left(&seq->rd));
    if (!mamori_der_more(seq))
        mamori_der_fail(seq);
    while (mamori_der_more(seq)) {
        if (!subtree) {
            check_general_name(seq, 0);
            continue;
        }
        /* 4.2.1.10: GeneralSubtree with minimum 0 (absent in DER), no maximum. */
        mamori_der_t st = mamori_der_enter(seq, MAMORI_DER_SEQUENCE);
        check_general_name(&st, 1);
        mamori_der_end(seq, &st);
    }
}

/* The id-ce extensions read here (RFC 5280 4.2.1), by arc, and the flag
 * their presence sets. */
static const uint8_t ext_arcs[] = {14, 15, 19, 37, 17, 30, 35};
static const uint16_t ext_flags[] = {MAMORI_X509_F_SKI, MAMORI_X509_F_KU,  MAMORI_X509_F_BC,
                                     MAMORI_X509_F_EKU, MAMORI_X509_F_SAN, MAMORI_X509_F_NC, 0};

/* Parses the value v of the id-ce extension arc; false when unknown. */
static bool read_extension(mamori_x509_t *c, unsigned arc, mamori_der_t *v)
{
    size_t n;
    unsigned unused, i = 0;
    const uint8_t *p;
    mamori_der_t k;
    while (ext_arcs[i] != arc)
        if (++i == sizeof ext_arcs)
            return false;
    c->flags |= ext_flags[i];
    if (i == 0) { /* 4.2.1.2 subjectKeyIdentifier */
        p = mamori_der_octets(v, &n);
        put(c, &c->ski, p, n);
        return true;
    }
    if (i == 1) { /* 4.2.1.3 keyUsage: at least one bit, nine defined */
        p = mamori_der_bits(v, &n, &unused);
        if (n > 2) /* n 0 fails below: no bit set */
            mamori_der_fail(v);
        for (unsigned b = 0; b < 8 * n; b++)
            if (p[b / 8] & (0x80u >> (b % 8)))
                c->key_usage |= (uint16_t)(1u << b);
        if (c->key_usage == 0)
            mamori_der_fail(v);
        return true;
    }
    mamori_der_t s = mamori_der_enter(v, MAMORI_DER_SEQUENCE);
    switch (i) {
    case 2: /* 4.2.1.9 basicConstraints */
        if (read_true(&s))
            c->flags |= MAMORI_X509_F_CA;
        if (mamori_der_peek(&s) == MAMORI_DER_INTEGER) {
            uint32_t len = mamori_der_uint32(&s);
            c->flags |= MAMORI_X509_F_PATHLEN;
            c->path_len = (uint8_t)(len > 255 ? 255 : len);
        }
        break;
    case 3: /* 4.2.1.12 extKeyUsage */
        if (!mamori_der_more(&s))
            mamori_der_fail(v);
        while (mamori_der_more(&s)) {
            unsigned id = mamori_x509_oid(&s);
            if (id == OID(KP, 1) || id == OID(KP, 2)) /* F_EKU_SERVER, F_EKU_CLIENT */
                c->flags |= (uint16_t)(MAMORI_X509_F_EKU << (id & 3));
            else if (id == OID(EKU, 0))
                c->flags |= MAMORI_X509_F_EKU_ANY;
        }
        break;
    case 4: /* 4.2.1.6 subjectAltName */
        read_general_names(c, &s, &c->san, 0);
        break;
    case 5: /* 4.2.1.10 nameConstraints: at least one of the two lists */
        if (!mamori_der_more(&s))
            mamori_der_fail(v);
        for (uint8_t t = 0; t < 2; t++)
            if (mamori_der_opt(&s, MAMORI_DER_CONTEXT(t), &k)) {
                read_general_names(c, &k, t ? &c->nc_excluded : &c->nc_permitted, 1);
                mamori_der_end(&s, &k);
            }
        break;
    default: /* 4.2.1.1 authorityKeyIdentifier */
        if (mamori_der_opt(&s, MAMORI_DER_CONTEXT_PRIM(0), &k)) {
            c->flags |= MAMORI_X509_F_AKI;
            put(c, &c->aki, mamori_rd_rest(&k.rd), mamori_rd_left(&k.rd));
        }
        (void)mamori_der_opt(&s, MAMORI_DER_CONTEXT(1), &k);
        (void)mamori_der_opt(&s, MAMORI_DER_CONTEXT_PRIM(2), &k);
        break;
    }
    mamori_der_end(v, &s);
    return true;
}

/* 4.1.2.9 and 4.2: Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, no
 * extension twice, critical unknown ones flagged. */
static void read_extensions(mamori_der_t *exts, mamori_x509_t *c)
{
    mamori_der_t seq = mamori_der_enter(exts, MAMORI_DER_SEQUENCE);
    const mamori_der_t start = seq;
    unsigned count = 0;
    if (!mamori_der_more(&seq))
        mamori_der_fail(exts);
    while (mamori_der_more(&seq)) {
        size_t n, pn;
        mamori_der_t ext = mamori_der_enter(&seq, MAMORI_DER_SEQUENCE);
        const uint8_t *oid = mamori_der_oid(&ext, &n);
        bool critical = read_true(&ext);
        mamori_der_t v = mamori_der_enter(&ext, MAMORI_DER_OCTET_STRING);
        if (!mamori_der_done(&ext) || ++count > MAMORI_X509_MAX_EXTENSIONS) {
            mamori_der_fail(exts);
            return;
        }
        mamori_der_t prev = start;
        for (unsigned i = 1; i < count; i++) {
            mamori_der_t e = mamori_der_enter(&prev, MAMORI_DER_SEQUENCE);
            const uint8_t *po = mamori_der_oid(&e, &pn);
            if (mamori_der_oid_equal(po, pn, oid, n))
                mamori_der_fail(exts);
        }
        unsigned id = mamori_x509_oid_id(oid, n);
        v.depth = seq.depth; /* the value is parsed as if it were the extension */
        if (id >> 8 == MAMORI_OID_CE && read_extension(c, id & 0xff, &v))
            mamori_der_end(exts, &v);
        else if (critical)
            c->flags |= MAMORI_X509_F_UNKNOWN_CRIT;
    }
    mamori_der_end(exts, &seq);
}

static void read_tbs(mamori_der_t *tbs, mamori_x509_t *c)
{
    const uint8_t *p;
    size_t n;
    mamori_spki_t spki;
    c->version = 1;
    mamori_der_t v;
    if (mamori_der_opt(tbs, MAMORI_DER_CONTEXT(0), &v)) { /* v1 is DEFAULT: only v2, v3 appear */
        uint32_t ver = mamori_der_uint32(&v);
        mamori_der_end(tbs, &v);
        if (ver - 1 > 1)
            mamori_der_fail(tbs);
        c->version = (uint8_t)(ver + 1);
    }
    p = mamori_der_uint(tbs, &n);
    put(c, &c->serial, p, n);
    if (n > 20) /* 4.1.2.2 */
        mamori_der_fail(tbs);
    /* 4.1.1.2: the signature field must equal signatureAlgorithm. */
    mamori_x509_span_t inner = {0, 0};
    (void)enter_span(c, tbs, MAMORI_DER_SEQUENCE, &inner);
    if (inner.len != c->sig_alg.len ||
        memcmp(mamori_x509_at(c, inner), mamori_x509_at(c, c->sig_alg), inner.len) != 0)
        mamori_der_fail(tbs);
    read_name(c, tbs, &c->issuer);
    mamori_der_t val = mamori_der_enter(tbs, MAMORI_DER_SEQUENCE);
    c->not_before = mamori_der_time(&val);
    c->not_after = mamori_der_time(&val);
    mamori_der_end(tbs, &val);
    if (c->issuer.len <= 2) /* 4.1.2.4: non-empty issuer */
        mamori_der_fail(tbs);
    read_name(c, tbs, &c->subject);
    if (mamori_spki_read(tbs, &spki) == MAMORI_OK) {
        c->key.alg = (uint8_t)spki.alg;
        c->key.key.off = (uint16_t)(spki.key - c->der); /* present on success */
        c->key.key.len = (uint16_t)spki.key_len;
        put(c, &c->key.rsa_n, spki.rsa_n, spki.rsa_n_len);
        put(c, &c->key.rsa_e, spki.rsa_e, spki.rsa_e_len);
    }
    /* 4.1.2.8, 4.1.2.9: unique identifiers in v2 and v3 only, extensions
     * in v3 only; in other versions they stay unread, and tbs not done. */
    for (uint8_t t = 1; t <= 2 && c->version >= 2; t++)
        (void)mamori_der_opt(tbs, MAMORI_DER_CONTEXT_PRIM(t), &v);
    if (c->version == 3 && mamori_der_opt(tbs, MAMORI_DER_CONTEXT(3), &v)) {
        read_extensions(&v, c);
        mamori_der_end(tbs, &v);
    }
    /* 4.1.2.6: an empty subject needs a subjectAltName. */
    if (c->subject.len <= 2 && !(c->flags & MAMORI_X509_F_SAN))
        mamori_der_fail(tbs);
}

int mamori_x509_parse(mamori_x509_t *c, const uint8_t *der, size_t len)
{
    mamori_der_t top;
    size_t n;
    memset(c, 0, sizeof *c);
    if (len > UINT16_MAX) /* (der NULL: the cursor reads nothing and fails) */
        return MAMORI_ERR_CERT_MALFORMED;
    c->der = der;
    c->der_len = (uint16_t)len;
    mamori_der_init(&top, der, len);
    mamori_der_t cert = mamori_der_enter(&top, MAMORI_DER_SEQUENCE);
    mamori_der_t tbs = enter_span(c, &cert, MAMORI_DER_SEQUENCE, &c->tbs);
    mamori_der_t alg = enter_span(c, &cert, MAMORI_DER_SEQUENCE, &c->sig_alg);
    read_sig_alg(&alg, c);
    const uint8_t *sig = mamori_der_bit_octets(&cert, &n);
    put(c, &c->sig, sig, n);
    mamori_der_end(&top, &cert);
    bool outer_ok = mamori_der_ok(&alg) && mamori_der_done(&top); /* unknown parameters unread */
    read_tbs(&tbs, c);
    if (!outer_ok || !mamori_der_done(&tbs)) {
        memset(c, 0, sizeof *c);
        return MAMORI_ERR_CERT_MALFORMED;
    }
    return MAMORI_OK;
}
