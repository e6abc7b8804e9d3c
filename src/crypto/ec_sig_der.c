/*
 * ECDSA signatures between raw r|s and DER (RFC 3279 2.2.3 Ecdsa-Sig-Value,
 * X.690 10 distinguished encoding). The largest valid encoding (P-384) has
 * 102 content bytes, so every length is in the short form: a long form
 * would either be non-minimal or too large for the curve.
 */
#include "mamori/ecc.h"

#if MAMORI_P256 || MAMORI_P384

#include <string.h>

#include "core/cursor.h"
#include "crypto/ec_point.h"
#include "mamori/error.h"

#define DER_INTEGER 0x02
#define DER_SEQUENCE 0x30

/* A short-form length; anything else fails the reader. */
static size_t read_short_len(mamori_rd_t *rd)
{
    uint8_t b = mamori_rd_u8(rd);
    if (b & 0x80)
        mamori_rd_fail(rd);
    return b & 0x7f;
}

/* A positive, minimally encoded INTEGER of at most width bytes, written
 * right-aligned over width bytes of out. */
static void read_uint(mamori_rd_t *rd, uint8_t *out, size_t width)
{
    if (mamori_rd_u8(rd) != DER_INTEGER)
        mamori_rd_fail(rd);
    size_t n = read_short_len(rd);
    const uint8_t *v = mamori_rd_take(rd, n);
    if (v == NULL || n == 0 || (v[0] & 0x80)) {
        mamori_rd_fail(rd);
        return;
    }
    if (n > 1 && v[0] == 0x00) {
        if (!(v[1] & 0x80)) { /* the zero byte is not a needed sign byte */
            mamori_rd_fail(rd);
            return;
        }
        v++;
        n--;
    }
    if (n > width) {
        mamori_rd_fail(rd);
        return;
    }
    memset(out, 0, width - n);
    memcpy(out + width - n, v, n);
}

int mamori_ecdsa_sig_from_der(int curve, uint8_t *sig_rs, const uint8_t *der, size_t der_len)
{
    const ec_curve_t *c = ec_curve(curve);
    mamori_rd_t rd, seq;
    if (c == NULL)
        return MAMORI_ERR_UNSUPPORTED;
    if (sig_rs == NULL || der == NULL)
        return MAMORI_ERR_INVAL;
    const size_t len = ec_curve_bytes(c);
    mamori_rd_init(&rd, der, der_len);
    if (mamori_rd_u8(&rd) != DER_SEQUENCE)
        mamori_rd_fail(&rd);
    seq = mamori_rd_sub(&rd, read_short_len(&rd));
    read_uint(&seq, sig_rs, len);
    read_uint(&seq, sig_rs + len, len);
    if (!mamori_rd_done(&seq) || !mamori_rd_done(&rd)) {
        memset(sig_rs, 0, 2 * len);
        return MAMORI_ERR_MALFORMED;
    }
    return MAMORI_OK;
}

/* The minimal INTEGER content length of a big-endian unsigned value. */
static size_t uint_content_len(const uint8_t *v, size_t width, size_t *skip)
{
    size_t i = 0;
    while (i + 1 < width && v[i] == 0)
        i++;
    *skip = i;
    return width - i + ((v[i] & 0x80) ? 1 : 0);
}

static void write_uint(mamori_wr_t *wr, const uint8_t *v, size_t width)
{
    size_t skip, n = uint_content_len(v, width, &skip);
    mamori_wr_u8(wr, DER_INTEGER);
    mamori_wr_u8(wr, (uint8_t)n);
    if (n > width - skip)
        mamori_wr_u8(wr, 0x00);
    mamori_wr_bytes(wr, v + skip, width - skip);
}

int mamori_ecdsa_sig_to_der(int curve, uint8_t *der, size_t cap, size_t *der_len,
                            const uint8_t *sig_rs)
{
    const ec_curve_t *c = ec_curve(curve);
    mamori_wr_t wr;
    size_t skip;
    if (c == NULL)
        return MAMORI_ERR_UNSUPPORTED;
    if (der == NULL || der_len == NULL || sig_rs == NULL)
        return MAMORI_ERR_INVAL;
    const size_t len = ec_curve_bytes(c);
    size_t body = 4 + uint_content_len(sig_rs, len, &skip) +
                  uint_content_len(sig_rs + len, len, &skip);
    mamori_wr_init(&wr, der, cap);
    mamori_wr_u8(&wr, DER_SEQUENCE);
    mamori_wr_u8(&wr, (uint8_t)body);
    write_uint(&wr, sig_rs, len);
    write_uint(&wr, sig_rs + len, len);
    if (!mamori_wr_ok(&wr))
        return MAMORI_ERR_BUFSIZE;
    *der_len = wr.pos;
    return MAMORI_OK;
}

#endif
