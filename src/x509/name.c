/* Name walking and comparison (RFC 5280 7.1): RDN by RDN, attribute types
 * equal, and values equal either byte for byte or, for PrintableString,
 * UTF8String and IA5String, after ASCII case folding and whitespace
 * trimming/collapsing (the RFC 4518 steps that matter for ASCII names). */
#include <string.h>

#include "x509/x509_internal.h"

uint8_t mamori_x509_lower(uint8_t ch) { return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch + 32) : ch; }

int mamori_x509_name_next(mamori_x509_name_t *it)
{
    int kind = 2;
    if (!mamori_der_more(&it->rdn)) {
        if (!mamori_der_more(&it->name))
            return mamori_der_done(&it->name) ? 0 : -1;
        if (!mamori_der_opt(&it->name, MAMORI_DER_SET, &it->rdn))
            return -1;
        kind = 1;
    }
    /* An empty SET fails here: RDNs have SIZE (1..MAX). */
    mamori_der_t atv = mamori_der_enter(&it->rdn, MAMORI_DER_SEQUENCE);
    it->oid = mamori_der_oid(&atv, &it->oid_len);
    it->tag = mamori_der_peek(&atv);
    it->val = mamori_der_tlv(&atv, it->tag, &it->val_len);
    return mamori_der_done(&atv) ? kind : -1;
}

static bool is_space(uint8_t ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r'); }

static bool is_string(uint8_t tag)
{
    return tag == MAMORI_DER_UTF8_STRING || tag == MAMORI_DER_PRINTABLE_STRING ||
           tag == MAMORI_DER_IA5_STRING;
}

/* The next character of s[*i..n) after folding, or -1 at the end: leading
 * and trailing space dropped, an inner run of space read as one ' '. */
static int next_folded(const uint8_t *s, size_t n, size_t *i)
{
    size_t start = *i;
    while (*i < n && is_space(s[*i]))
        (*i)++;
    if (*i == n)
        return -1;
    if (*i > start && start > 0)
        return ' ';
    return mamori_x509_lower(s[(*i)++]);
}

/* Strings compare folded (which equal bytes also pass), other values
 * byte for byte. */
static bool value_equal(const mamori_x509_name_t *a, const mamori_x509_name_t *b)
{
    size_t i = 0, j = 0;
    if (!is_string(a->tag) || !is_string(b->tag))
        return a->tag == b->tag && a->val_len == b->val_len &&
               memcmp(a->val, b->val, a->val_len) == 0;
    for (;;) {
        int ca = next_folded(a->val, a->val_len, &i), cb = next_folded(b->val, b->val_len, &j);
        if (ca != cb)
            return false;
        if (ca < 0)
            return true;
    }
}

static void start(mamori_x509_name_t *it, const uint8_t *p, size_t n)
{
    mamori_der_t d;
    mamori_der_init(&d, p, n);
    memset(it, 0, sizeof *it);
    if (!mamori_der_opt(&d, MAMORI_DER_SEQUENCE, &it->name))
        mamori_der_fail(&it->name);
}

bool mamori_x509_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    mamori_x509_name_t x, y;
    if (alen == blen && memcmp(a, b, alen) == 0)
        return true;
    start(&x, a, alen);
    start(&y, b, blen);
    for (;;) {
        /* Equal kinds keep the RDN boundaries aligned. */
        int kind = mamori_x509_name_next(&x);
        if (kind != mamori_x509_name_next(&y) || kind < 0)
            return false;
        if (kind == 0)
            return true;
        if (!mamori_der_oid_equal(x.oid, x.oid_len, y.oid, y.oid_len) || !value_equal(&x, &y))
            return false;
    }
}
