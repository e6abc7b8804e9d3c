/* Name comparison (RFC 5280 7.1): RDN by RDN, attribute types equal, and
 * values equal either byte for byte or, for PrintableString, UTF8String and
 * IA5String, after ASCII case folding and whitespace trimming/collapsing
 * (the RFC 4518 steps that matter for ASCII names). */
#include <string.h>

#include "x509/x509_internal.h"

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
    uint8_t ch = s[(*i)++];
    return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

static bool value_equal(uint8_t ta, const mamori_der_t *a, uint8_t tb, const mamori_der_t *b)
{
    const uint8_t *pa = mamori_rd_rest(&a->rd), *pb = mamori_rd_rest(&b->rd);
    size_t na = mamori_rd_left(&a->rd), nb = mamori_rd_left(&b->rd), i = 0, j = 0;
    if (ta == tb && na == nb && memcmp(pa, pb, na) == 0)
        return true;
    if (!is_string(ta) || !is_string(tb))
        return false;
    for (;;) {
        int ca = next_folded(pa, na, &i), cb = next_folded(pb, nb, &j);
        if (ca != cb)
            return false;
        if (ca < 0)
            return true;
    }
}

bool mamori_x509_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    mamori_der_t da, db;
    if (alen == blen && memcmp(a, b, alen) == 0)
        return true;
    mamori_der_init(&da, a, alen);
    mamori_der_init(&db, b, blen);
    mamori_der_t na = mamori_der_enter(&da, MAMORI_DER_SEQUENCE);
    mamori_der_t nb = mamori_der_enter(&db, MAMORI_DER_SEQUENCE);
    while (mamori_der_more(&na) && mamori_der_more(&nb)) {
        mamori_der_t ra = mamori_der_enter(&na, MAMORI_DER_SET);
        mamori_der_t rb = mamori_der_enter(&nb, MAMORI_DER_SET);
        while (mamori_der_more(&ra) && mamori_der_more(&rb)) {
            size_t oa, ob;
            uint8_t ta, tb;
            mamori_der_t aa = mamori_der_enter(&ra, MAMORI_DER_SEQUENCE);
            mamori_der_t ab = mamori_der_enter(&rb, MAMORI_DER_SEQUENCE);
            const uint8_t *ida = mamori_der_oid(&aa, &oa), *idb = mamori_der_oid(&ab, &ob);
            mamori_der_t va = mamori_der_any(&aa, &ta), vb = mamori_der_any(&ab, &tb);
            if (!mamori_der_done(&aa) || !mamori_der_done(&ab) ||
                !mamori_der_oid_equal(ida, oa, idb, ob) || !value_equal(ta, &va, tb, &vb))
                return false;
        }
        if (!mamori_der_done(&ra) || !mamori_der_done(&rb))
            return false;
    }
    return mamori_der_done(&na) && mamori_der_done(&nb);
}
