/* Certificate parsing in place (RFC 5280 4.1 and 4.2). */
#include <string.h>

#include "mamori/error.h"
#include "mamori/sha2.h"
#include "x509/spki.h"
#include "x509/x509_internal.h"

/* OID content octets. */
static const uint8_t oid_rsa_pkcs1_prefix[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01};
static const uint8_t oid_ecdsa_sha2_prefix[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03};
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};
static const uint8_t oid_mgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};
static const uint8_t oid_sha2_prefix[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02};
static const uint8_t oid_kp_prefix[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03};
static const uint8_t oid_any_eku[] = {0x55, 0x1d, 0x25, 0x00};

/* The last arc of an OID that is prefix + one byte, or -1. */
static int oid_arc(const uint8_t *oid, size_t n, const uint8_t *prefix, size_t plen)
{
    if (oid == NULL || n != plen + 1 || memcmp(oid, prefix, plen) != 0)
        return -1;
    return oid[plen];
}
#define ARC(oid, n, prefix) oid_arc((oid), (n), (prefix), sizeof(prefix))

/* sha256 = 1, sha384 = 2, sha512 = 3 under 2.16.840.1.101.3.4.2 match
 * mamori_hash_id_t; others give 0. */
static uint8_t sha2_id(int arc) { return arc >= 1 && arc <= 3 ? (uint8_t)arc : 0; }

/* RFC 4055 2.1: a HashAlgorithm with absent or NULL parameters. */
static uint8_t read_hash_alg(mamori_der_t *d)
{
    size_t n;
    mamori_der_t a = mamori_der_enter(d, MAMORI_DER_SEQUENCE);
    const uint8_t *oid = mamori_der_oid(&a, &n);
    uint8_t id = sha2_id(ARC(oid, n, oid_sha2_prefix));
    if (mamori_der_peek(&a) == MAMORI_DER_NULL)
        mamori_der_null(&a);
    if (!mamori_der_done(&a))
        mamori_der_fail(d);
    return id;
}

/* RFC 4055 3.1 RSASSA-PSS-params with explicit SHA-2 hash, MGF1 over the
 * same hash and a salt length; the trailer field must take its default.
 * Other parameters (SHA-1 defaults, ...) leave the algorithm unsupported. */
static void read_pss_params(mamori_der_t *alg, mamori_x509_t *c)
{
    size_t n;
    mamori_der_t a = *alg;
    mamori_der_t p = mamori_der_enter(&a, MAMORI_DER_SEQUENCE);
    mamori_der_t h = mamori_der_enter(&p, MAMORI_DER_CONTEXT(0));
    uint8_t hash = read_hash_alg(&h);
    mamori_der_t m = mamori_der_enter(&p, MAMORI_DER_CONTEXT(1));
    mamori_der_t mgf = mamori_der_enter(&m, MAMORI_DER_SEQUENCE);
    const uint8_t *oid = mamori_der_oid(&mgf, &n);
    uint8_t mgf_hash = read_hash_alg(&mgf);
    mamori_der_t s = mamori_der_enter(&p, MAMORI_DER_CONTEXT(2));
    uint32_t salt = mamori_der_uint32(&s);
    if (mamori_der_done(&h) && mamori_der_done(&mgf) && mamori_der_done(&m) &&
        mamori_der_done(&s) && mamori_der_done(&p) && hash != 0 && mgf_hash == hash &&
        mamori_der_oid_equal(oid, n, oid_mgf1, sizeof oid_mgf1) && salt <= MAMORI_HASH_MAX_LEN) {
        c->sig_type = MAMORI_X509_SIG_RSA_PSS;
        c->sig_hash = hash;
        c->pss_salt = (uint8_t)salt;
        *alg = a;
    }
}

/* RFC 4055 5, RFC 5758 3.2, RFC 8410 3: the signature algorithm. Unknown
 * algorithms leave sig_type 0 and their parameters unread. */
static void read_sig_alg(mamori_der_t *alg, mamori_x509_t *c)
{
    size_t n;
    const uint8_t *oid = mamori_der_oid(alg, &n);
    int arc = ARC(oid, n, oid_rsa_pkcs1_prefix);
    if (arc >= 11 && arc <= 13) { /* sha{256,384,512}WithRSAEncryption */
        if (mamori_der_peek(alg) == MAMORI_DER_NULL) /* RFC 4055 5: NULL (absent tolerated) */
            mamori_der_null(alg);
        c->sig_type = MAMORI_X509_SIG_RSA_PKCS1;
        c->sig_hash = sha2_id(arc - 10);
    } else if (arc == 10) {
        read_pss_params(alg, c);
    } else if ((arc = ARC(oid, n, oid_ecdsa_sha2_prefix)) >= 2 && arc <= 4) {
        c->sig_type = MAMORI_X509_SIG_ECDSA; /* parameters absent */
        c->sig_hash = sha2_id(arc - 1);
    } else if (mamori_der_oid_equal(oid, n, oid_ed25519, sizeof oid_ed25519)) {
        c->sig_type = MAMORI_X509_SIG_ED25519;
    }
    if (c->sig_type != 0 && !mamori_der_done(alg)) {
        c->sig_type = 0;
        mamori_der_fail(alg);
    }
}

/* 4.1.2.4: Name ::= SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { type, value }. */
static void read_name(mamori_der_t *d, const uint8_t **raw, size_t *raw_len)
{
    size_t n;
    uint8_t tag;
    mamori_der_t name = mamori_der_enter_raw(d, MAMORI_DER_SEQUENCE, raw, raw_len);
    while (mamori_der_more(&name)) {
        mamori_der_t rdn = mamori_der_enter(&name, MAMORI_DER_SET);
        if (!mamori_der_more(&rdn))
            mamori_der_fail(&name);
        while (mamori_der_more(&rdn)) {
            mamori_der_t atv = mamori_der_enter(&rdn, MAMORI_DER_SEQUENCE);
            (void)mamori_der_oid(&atv, &n);
            (void)mamori_der_any(&atv, &tag);
            if (!mamori_der_done(&atv))
                mamori_der_fail(&rdn);
        }
        if (!mamori_der_ok(&rdn))
            mamori_der_fail(&name);
    }
    if (!mamori_der_ok(&name))
        mamori_der_fail(d);
}

/* 4.2.1.6: one GeneralName; dNSName must be IA5 and iPAddress 4 or 16
 * octets (8 or 32 with a mask inside name constraints). */
static void check_general_name(mamori_der_t *d, bool subtree)
{
    uint8_t tag;
    mamori_der_t v = mamori_der_any(d, &tag);
    size_t n = mamori_rd_left(&v.rd);
    switch (tag) {
    case MAMORI_DER_CONTEXT_PRIM(2):
        for (size_t i = 0; i < n; i++)
            if (mamori_rd_u8(&v.rd) & 0x80)
                mamori_der_fail(d);
        break;
    case MAMORI_DER_CONTEXT_PRIM(7):
        if (n != (subtree ? 8u : 4u) && n != (subtree ? 32u : 16u))
            mamori_der_fail(d);
        break;
    case MAMORI_DER_CONTEXT(0): case MAMORI_DER_CONTEXT_PRIM(1): case MAMORI_DER_CONTEXT(3):
    case MAMORI_DER_CONTEXT(4): case MAMORI_DER_CONTEXT(5): case MAMORI_DER_CONTEXT_PRIM(6):
    case MAMORI_DER_CONTEXT_PRIM(8):
        break;
    default:
        mamori_der_fail(d);
    }
}

/* GeneralNames / GeneralSubtrees: SEQUENCE SIZE (1..MAX); returns the
 * content of the sequence d holds (d is the sequence content reader). */
static void read_general_names(mamori_der_t *seq, const uint8_t **p, size_t *n, bool subtree)
{
    *n = mamori_rd_left(&seq->rd);
    *p = *n > 0 ? mamori_rd_rest(&seq->rd) : NULL;
    if (*n == 0)
        mamori_der_fail(seq);
    while (mamori_der_more(seq)) {
        if (!subtree) {
            check_general_name(seq, false);
            continue;
        }
        /* 4.2.1.10: GeneralSubtree with minimum 0 (absent in DER), no maximum. */
        mamori_der_t st = mamori_der_enter(seq, MAMORI_DER_SEQUENCE);
        check_general_name(&st, true);
        if (!mamori_der_done(&st))
            mamori_der_fail(seq);
    }
}

/* Parses one extension value (a complete DER element in val). */
static void read_extension(mamori_x509_t *c, int id, mamori_der_t *v)
{
    size_t n;
    unsigned unused;
    const uint8_t *p;
    mamori_der_t s;
    switch (id) {
    case 19: /* 4.2.1.9 basicConstraints */
        c->flags |= MAMORI_X509_F_BC;
        s = mamori_der_enter(v, MAMORI_DER_SEQUENCE);
        if (mamori_der_peek(&s) == MAMORI_DER_BOOLEAN) {
            mamori_der_t b = mamori_der_enter(&s, MAMORI_DER_BOOLEAN);
            if (mamori_rd_u8(&b.rd) != 0xff || !mamori_rd_done(&b.rd)) /* FALSE is DEFAULT */
                mamori_der_fail(v);
            c->flags |= MAMORI_X509_F_CA;
        }
        if (mamori_der_peek(&s) == MAMORI_DER_INTEGER) {
            uint32_t len = mamori_der_uint32(&s);
            c->flags |= MAMORI_X509_F_PATHLEN;
            c->path_len = (uint8_t)(len > 255 ? 255 : len);
        }
        break;
    case 15: /* 4.2.1.3 keyUsage: at least one bit, nine defined */
        c->flags |= MAMORI_X509_F_KU;
        p = mamori_der_bits(v, &n, &unused);
        if (p == NULL || n == 0 || n > 2)
            mamori_der_fail(v);
        for (unsigned i = 0; p != NULL && i < 8 * n; i++)
            if (p[i / 8] & (0x80u >> (i % 8)))
                c->key_usage |= (uint16_t)(1u << i);
        if (c->key_usage == 0)
            mamori_der_fail(v);
        return;
    case 37: /* 4.2.1.12 extKeyUsage */
        c->flags |= MAMORI_X509_F_EKU;
        s = mamori_der_enter(v, MAMORI_DER_SEQUENCE);
        if (!mamori_der_more(&s))
            mamori_der_fail(v);
        while (mamori_der_more(&s)) {
            p = mamori_der_oid(&s, &n);
            int arc = ARC(p, n, oid_kp_prefix);
            if (arc == 1)
                c->flags |= MAMORI_X509_F_EKU_SERVER;
            else if (arc == 2)
                c->flags |= MAMORI_X509_F_EKU_CLIENT;
            else if (mamori_der_oid_equal(p, n, oid_any_eku, sizeof oid_any_eku))
                c->flags |= MAMORI_X509_F_EKU_ANY;
        }
        break;
    case 17: /* 4.2.1.6 subjectAltName */
        c->flags |= MAMORI_X509_F_SAN;
        s = mamori_der_enter(v, MAMORI_DER_SEQUENCE);
        read_general_names(&s, &c->san, &c->san_len, false);
        break;
    case 30: { /* 4.2.1.10 nameConstraints: at least one of the two lists */
        c->flags |= MAMORI_X509_F_NC;
        s = mamori_der_enter(v, MAMORI_DER_SEQUENCE);
        if (!mamori_der_more(&s))
            mamori_der_fail(v);
        if (mamori_der_peek(&s) == MAMORI_DER_CONTEXT(0)) {
            mamori_der_t t = mamori_der_enter(&s, MAMORI_DER_CONTEXT(0));
            read_general_names(&t, &c->nc_permitted, &c->nc_permitted_len, true);
            if (!mamori_der_ok(&t))
                mamori_der_fail(v);
        }
        if (mamori_der_peek(&s) == MAMORI_DER_CONTEXT(1)) {
            mamori_der_t t = mamori_der_enter(&s, MAMORI_DER_CONTEXT(1));
            read_general_names(&t, &c->nc_excluded, &c->nc_excluded_len, true);
            if (!mamori_der_ok(&t))
                mamori_der_fail(v);
        }
        break;
    }
    case 14: /* 4.2.1.2 subjectKeyIdentifier */
        c->ski = mamori_der_octets(v, &c->ski_len);
        return;
    case 35: /* 4.2.1.1 authorityKeyIdentifier */
        s = mamori_der_enter(v, MAMORI_DER_SEQUENCE);
        if (mamori_der_peek(&s) == MAMORI_DER_CONTEXT_PRIM(0)) {
            mamori_der_t k = mamori_der_enter(&s, MAMORI_DER_CONTEXT_PRIM(0));
            c->aki_len = mamori_rd_left(&k.rd);
            c->aki = mamori_rd_take(&k.rd, c->aki_len);
        }
        if (mamori_der_peek(&s) == MAMORI_DER_CONTEXT(1))
            mamori_der_skip(&s, MAMORI_DER_CONTEXT(1));
        if (mamori_der_peek(&s) == MAMORI_DER_CONTEXT_PRIM(2))
            mamori_der_skip(&s, MAMORI_DER_CONTEXT_PRIM(2));
        break;
    default:
        return;
    }
    if (!mamori_der_done(&s))
        mamori_der_fail(v);
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
        size_t n, vn, pn;
        bool critical = false;
        mamori_der_t ext = mamori_der_enter(&seq, MAMORI_DER_SEQUENCE);
        const uint8_t *oid = mamori_der_oid(&ext, &n);
        if (mamori_der_peek(&ext) == MAMORI_DER_BOOLEAN) { /* DEFAULT FALSE: only TRUE appears */
            mamori_der_t b = mamori_der_enter(&ext, MAMORI_DER_BOOLEAN);
            if (mamori_rd_u8(&b.rd) != 0xff || !mamori_rd_done(&b.rd))
                mamori_der_fail(&ext);
            critical = true;
        }
        const uint8_t *val = mamori_der_octets(&ext, &vn);
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
        int id = n == 3 && oid[0] == 0x55 && oid[1] == 0x1d ? oid[2] : -1; /* id-ce */
        mamori_der_t v;
        mamori_der_init(&v, val, vn);
        v.depth = seq.depth;
        switch (id) {
        case 14: case 15: case 17: case 19: case 30: case 35: case 37:
            read_extension(c, id, &v);
            if (!mamori_der_done(&v))
                mamori_der_fail(exts);
            break;
        default:
            if (critical)
                c->flags |= MAMORI_X509_F_UNKNOWN_CRIT;
        }
    }
    if (!mamori_der_ok(&seq))
        mamori_der_fail(exts);
}

static void read_tbs(mamori_der_t *tbs, mamori_x509_t *c)
{
    const uint8_t *inner;
    size_t inner_len;
    mamori_spki_t spki;
    c->version = 1;
    if (mamori_der_peek(tbs) == MAMORI_DER_CONTEXT(0)) { /* v1 is DEFAULT: only v2, v3 appear */
        mamori_der_t v = mamori_der_enter(tbs, MAMORI_DER_CONTEXT(0));
        uint32_t ver = mamori_der_uint32(&v);
        if (!mamori_der_done(&v) || ver < 1 || ver > 2)
            mamori_der_fail(tbs);
        c->version = (uint8_t)(ver + 1);
    }
    c->serial = mamori_der_uint(tbs, &c->serial_len);
    if (c->serial_len > 20) /* 4.1.2.2 */
        mamori_der_fail(tbs);
    /* 4.1.1.2: the signature field must equal signatureAlgorithm. */
    (void)mamori_der_enter_raw(tbs, MAMORI_DER_SEQUENCE, &inner, &inner_len);
    if (!mamori_der_ok(tbs) || inner_len != c->sig_alg_len || memcmp(inner, c->sig_alg, inner_len))
        mamori_der_fail(tbs);
    read_name(tbs, &c->issuer, &c->issuer_len);
    mamori_der_t val = mamori_der_enter(tbs, MAMORI_DER_SEQUENCE);
    c->not_before = mamori_der_time(&val);
    c->not_after = mamori_der_time(&val);
    if (!mamori_der_done(&val) || c->issuer_len <= 2) /* 4.1.2.4: non-empty issuer */
        mamori_der_fail(tbs);
    read_name(tbs, &c->subject, &c->subject_len);
    if (mamori_spki_read(tbs, &spki) == MAMORI_OK) {
        c->key.alg = (int)spki.alg;
        c->key.key = spki.key;
        c->key.key_len = spki.key_len;
        c->key.rsa_n = spki.rsa_n;
        c->key.rsa_n_len = spki.rsa_n_len;
        c->key.rsa_e = spki.rsa_e;
        c->key.rsa_e_len = spki.rsa_e_len;
    }
    /* 4.1.2.8: unique identifiers in v2 and v3 only. */
    for (uint8_t t = 1; t <= 2; t++)
        if (mamori_der_peek(tbs) == MAMORI_DER_CONTEXT_PRIM(t)) {
            if (c->version < 2)
                mamori_der_fail(tbs);
            mamori_der_skip(tbs, MAMORI_DER_CONTEXT_PRIM(t));
        }
    if (mamori_der_peek(tbs) == MAMORI_DER_CONTEXT(3)) {
        mamori_der_t exts = mamori_der_enter(tbs, MAMORI_DER_CONTEXT(3));
        read_extensions(&exts, c);
        if (!mamori_der_done(&exts) || c->version != 3)
            mamori_der_fail(tbs);
    }
    /* 4.1.2.6: an empty subject needs a subjectAltName. */
    if (c->subject_len <= 2 && !(c->flags & MAMORI_X509_F_SAN))
        mamori_der_fail(tbs);
}

int mamori_x509_parse(mamori_x509_t *c, const uint8_t *der, size_t len)
{
    mamori_der_t top, cert, tbs, alg;
    memset(c, 0, sizeof *c);
    if (der == NULL) /* also keeps NULL + 0 out of the cursor */
        return MAMORI_ERR_CERT_MALFORMED;
    mamori_der_init(&top, der, len);
    cert = mamori_der_enter_raw(&top, MAMORI_DER_SEQUENCE, &c->der, &c->der_len);
    tbs = mamori_der_enter_raw(&cert, MAMORI_DER_SEQUENCE, &c->tbs, &c->tbs_len);
    alg = mamori_der_enter_raw(&cert, MAMORI_DER_SEQUENCE, &c->sig_alg, &c->sig_alg_len);
    read_sig_alg(&alg, c);
    c->sig = mamori_der_bit_octets(&cert, &c->sig_len);
    if (mamori_der_ok(&alg) && mamori_der_done(&cert) && mamori_der_done(&top))
        read_tbs(&tbs, c);
    if (!mamori_der_done(&tbs) || !mamori_der_ok(&alg) || !mamori_der_done(&cert) ||
        !mamori_der_done(&top)) {
        memset(c, 0, sizeof *c);
        return MAMORI_ERR_CERT_MALFORMED;
    }
    return MAMORI_OK;
}
