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
    if (mamori_rd_left(&d->rd) == 0)
        return 0;
    return mamori_rd_rest(&d->rd)[0];
}

/* X.690 8.1.3 with 10.1: definite form, as few octets as possible. */
static size_t read_length(mamori_rd_t *rd)
{
    uint8_t first = mamori_rd_u8(rd);
    if (first < 0x80)
        return first;
    size_t count = first & 0x7f, len = 0;
    if (count == 0 || count > MAMORI_DER_MAX_LEN_BYTES) { /* indefinite, or too long */
        mamori_rd_fail(rd);
        return 0;
    }
    for (size_t i = 0; i < count; i++)
        len = (len << 8) | mamori_rd_u8(rd);
    if (len < 0x80 || (len >> (8 * (count - 1))) == 0) /* short form fits, or a zero octet leads */
        mamori_rd_fail(rd);
    return len;
}

mamori_der_t mamori_der_any(mamori_der_t *d, uint8_t *tag)
{
    mamori_der_t child;
    uint8_t t = mamori_rd_u8(&d->rd);
    if ((t & 0x1f) == 0x1f) /* high tag numbers: never used by X.509 */
        mamori_rd_fail(&d->rd);
    size_t len = read_length(&d->rd);
    child.rd = mamori_rd_sub(&d->rd, mamori_rd_ok(&d->rd) ? len : 0);
    child.depth = d->depth + 1;
    if (child.depth > MAMORI_DER_MAX_DEPTH || !mamori_rd_ok(&d->rd)) {
        mamori_rd_fail(&d->rd);
        mamori_rd_fail(&child.rd);
    }
    *tag = t;
    return child;
}

mamori_der_t mamori_der_enter(mamori_der_t *d, uint8_t tag)
{
    uint8_t got;
    mamori_der_t child = mamori_der_any(d, &got);
    if (got != tag) {
        mamori_rd_fail(&d->rd);
        mamori_rd_fail(&child.rd);
    }
    return child;
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

/* The whole content of a primitive element of the given tag. */
static const uint8_t *primitive(mamori_der_t *d, uint8_t tag, size_t *len)
{
    uint8_t got;
    mamori_der_t c = mamori_der_any(d, &got); /* not mamori_der_enter: one frame less */
    if (got != tag) {
        mamori_der_fail(d);
        mamori_rd_fail(&c.rd);
    }
    *len = mamori_rd_left(&c.rd);
    const uint8_t *p = mamori_rd_take(&c.rd, *len);
    if (p == NULL)
        *len = 0;
    return p;
}

const uint8_t *mamori_der_uint(mamori_der_t *d, size_t *len)
{
    size_t n;
    const uint8_t *p = primitive(d, MAMORI_DER_INTEGER, &n);
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
    const uint8_t *p = primitive(d, MAMORI_DER_OID, &n);
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
    const uint8_t *p = primitive(d, MAMORI_DER_BIT_STRING, &n);
    *len = 0;
    *unused = 0;
    /* 8.6.2 and 11.2.1: 0..7 unused bits, none for an empty string, and
     * the unused bits are zero. */
    if (p == NULL || n == 0 || p[0] > 7 || (n == 1 && p[0] != 0) ||
        (p[0] != 0 && (p[n - 1] & ((1u << p[0]) - 1)) != 0)) {
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
    return primitive(d, MAMORI_DER_OCTET_STRING, len);
}

void mamori_der_null(mamori_der_t *d)
{
    size_t n;
    (void)primitive(d, MAMORI_DER_NULL, &n);
    if (n != 0)
        mamori_der_fail(d);
}
