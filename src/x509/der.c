/* Strict DER reader (X.690 8.1-8.19 with the 10.x distinguished rules). */
#include "x509/der.h"

#include <string.h>

void mamori_der_init(mamori_der_t *d, const void *buf, size_t len)
{
    mamori_rd_init(&d->rd, buf, len);
    d->depth = 0;
}

bool mamori_der_done(const mamori_der_t *d) { return mamori_rd_done(&d->rd); }

bool mamori_der_more(const mamori_der_t *d) { return mamori_rd_left(&d->rd) > 0; }

uint8_t mamori_der_peek(const mamori_der_t *d)
{
    mamori_rd_t rd = d->rd; /* reading a copy yields 0 at the end or after an error */
    return mamori_rd_u8(&rd);
}

const uint8_t *mamori_der_tlv(mamori_der_t *d, uint8_t tag, size_t *len)
{
    uint8_t t = mamori_rd_u8(&d->rd);
    /* High tag numbers are never used by X.509. */
    if ((t & 0x1f) == 0x1f || (tag != 0 && t != tag) || d->depth >= MAMORI_DER_MAX_DEPTH)
        mamori_rd_fail(&d->rd);
    /* X.690 8.1.3 with 10.1: definite form, as few octets as possible. */
    size_t n = mamori_rd_u8(&d->rd), count = n & 0x7f;
    if (n >= 0x80) {
        n = 0;
        if (count - 1 >= MAMORI_DER_MAX_LEN_BYTES) { /* indefinite, or too long */
            mamori_rd_fail(&d->rd);
        } else {
            for (size_t i = 0; i < count; i++)
                n = (n << 8) | mamori_rd_u8(&d->rd);
            if (n < 0x80 || (n >> (8 * (count - 1))) == 0) /* short form fits, or a zero octet leads */
                mamori_rd_fail(&d->rd);
        }
    }
    const uint8_t *p = mamori_rd_take(&d->rd, n); /* NULL once d has failed */
    *len = p != NULL ? n : 0;
    return p;
}

mamori_der_t mamori_der_enter(mamori_der_t *d, uint8_t tag)
{
    mamori_der_t child;
    size_t n;
    const uint8_t *p = mamori_der_tlv(d, tag, &n);
    mamori_rd_init(&child.rd, p, n);
    child.rd.err = p == NULL;
    child.depth = d->depth + 1;
    return child;
}

mamori_der_t mamori_der_any(mamori_der_t *d, uint8_t *tag)
{
    *tag = mamori_der_peek(d); /* 0 at the end or after an error: then enter fails */
    return mamori_der_enter(d, *tag);
}

mamori_der_t mamori_der_enter_raw(mamori_der_t *d, uint8_t tag, const uint8_t **raw,
                                  size_t *raw_len)
{
    const uint8_t *start = mamori_der_ok(d) ? mamori_rd_rest(&d->rd) : NULL; /* no NULL + 0 */
    size_t before = mamori_rd_left(&d->rd);
    mamori_der_t child = mamori_der_enter(d, tag);
    *raw = mamori_der_ok(d) ? start : NULL;
    *raw_len = mamori_der_ok(d) ? before - mamori_rd_left(&d->rd) : 0;
    return child;
}

bool mamori_der_opt(mamori_der_t *d, uint8_t tag, mamori_der_t *child)
{
    if (mamori_der_peek(d) != tag)
        return false;
    *child = mamori_der_enter(d, tag);
    return true;
}

void mamori_der_end(mamori_der_t *d, const mamori_der_t *child)
{
    if (!mamori_der_done(child))
        mamori_der_fail(d);
}

void mamori_der_skip(mamori_der_t *d, uint8_t tag) { (void)mamori_der_enter(d, tag); }

const uint8_t *mamori_der_uint(mamori_der_t *d, size_t *len)
{
    size_t n;
    const uint8_t *p = mamori_der_tlv(d, MAMORI_DER_INTEGER, &n);
    *len = 0;
    /* 8.3.2: no redundant leading octet; here also no negative value. */
    if (p == NULL || n == 0 || (p[0] & 0x80) || (n > 1 && p[0] == 0 && !(p[1] & 0x80))) {
        mamori_der_fail(d);
        return NULL;
    }
    if (n > 1 && p[0] == 0) {
        p++;
        n--;
    }
    *len = n;
    return p;
}

uint32_t mamori_der_uint32(mamori_der_t *d)
{
    size_t n;
    const uint8_t *p = mamori_der_uint(d, &n);
    uint32_t v = 0;
    if (p == NULL || n > 4) {
        mamori_der_fail(d);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

const uint8_t *mamori_der_oid(mamori_der_t *d, size_t *len)
{
    size_t n;
    const uint8_t *p = mamori_der_tlv(d, MAMORI_DER_OID, &n);
    bool ok = p != NULL && n > 0 && !(p[n - 1] & 0x80); /* 8.19.2: last octet ends */
    for (size_t i = 0; ok && i < n; i++)
        if (p[i] == 0x80 && (i == 0 || !(p[i - 1] & 0x80))) /* sub-identifier led by 0x80 */
            ok = false;
    if (!ok) {
        mamori_der_fail(d);
        *len = 0;
        return NULL;
    }
    *len = n;
    return p;
}

bool mamori_der_oid_equal(const uint8_t *got, size_t got_len, const uint8_t *oid, size_t oid_len)
{
    return got != NULL && got_len == oid_len && memcmp(got, oid, oid_len) == 0;
}

const uint8_t *mamori_der_bits(mamori_der_t *d, size_t *len, unsigned *unused)
{
    size_t n;
    const uint8_t *p = mamori_der_tlv(d, MAMORI_DER_BIT_STRING, &n);
    *len = 0;
    *unused = 0;
    /* 8.6.2 and 11.2.1: 0..7 unused bits, none for an empty string, and
     * the unused bits are zero (for an empty string that test reads the
     * count octet itself, which passes only for 0). */
    if (p == NULL || n == 0 || p[0] > 7 || (p[n - 1] & ((1u << p[0]) - 1)) != 0) {
        mamori_der_fail(d);
        return NULL;
    }
    *unused = p[0];
    *len = n - 1;
    return p + 1;
}

const uint8_t *mamori_der_bit_octets(mamori_der_t *d, size_t *len)
{
    unsigned unused;
    const uint8_t *p = mamori_der_bits(d, len, &unused);
    if (unused != 0) {
        mamori_der_fail(d);
        *len = 0;
        return NULL;
    }
    return p;
}

const uint8_t *mamori_der_octets(mamori_der_t *d, size_t *len)
{
    return mamori_der_tlv(d, MAMORI_DER_OCTET_STRING, len);
}

void mamori_der_null(mamori_der_t *d)
{
    size_t n;
    (void)mamori_der_tlv(d, MAMORI_DER_NULL, &n);
    if (n != 0)
        mamori_der_fail(d);
}
