/* PEM decoding (RFC 7468 2 and 3, base64 of RFC 4648 4). */
#include <string.h>

#include "core/cursor.h"
#include "mamori/error.h"
#include "mamori/pem.h"

#define LABEL_MAX 64

static bool is_space(uint8_t ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

/* All ones when lo <= ch <= hi, else zero, without branching on ch. */
static uint32_t in_range(uint32_t ch, uint32_t lo, uint32_t hi)
{
    return 0u - (((lo - 1u - ch) & (ch - hi - 1u)) >> 31);
}

/* The 6-bit value of a base64 character, or 0xffffffff. */
static uint32_t b64_value(uint8_t c)
{
    uint32_t ch = c;
    uint32_t v = (in_range(ch, 'A', 'Z') & (ch - 'A' + 1)) |
                 (in_range(ch, 'a', 'z') & (ch - 'a' + 27)) |
                 (in_range(ch, '0', '9') & (ch - '0' + 53)) | (in_range(ch, '+', '+') & 63) |
                 (in_range(ch, '/', '/') & 64);
    return v - 1;
}

/* The next line (without its '\n') as a sub-reader. */
static mamori_rd_t next_line(mamori_rd_t *rd)
{
    size_t n = 0, left = mamori_rd_left(rd);
    const uint8_t *p = mamori_rd_rest(rd);
    while (n < left && p[n] != '\n')
        n++;
    mamori_rd_t line = mamori_rd_sub(rd, n);
    if (n < left)
        mamori_rd_skip(rd, 1);
    return line;
}

/* Whether line is "-----<kind><label>-----" plus trailing whitespace. */
static bool is_boundary(mamori_rd_t line, const char *kind, size_t kind_len, const char *label,
                        size_t label_len)
{
    static const char dashes[] = "-----";
    const uint8_t *p;
    if ((p = mamori_rd_take(&line, 5)) == NULL || memcmp(p, dashes, 5) != 0 ||
        (p = mamori_rd_take(&line, kind_len)) == NULL || memcmp(p, kind, kind_len) != 0 ||
        (p = mamori_rd_take(&line, label_len)) == NULL || memcmp(p, label, label_len) != 0 ||
        (p = mamori_rd_take(&line, 5)) == NULL || memcmp(p, dashes, 5) != 0)
        return false;
    while (mamori_rd_left(&line) > 0)
        if (!is_space(mamori_rd_u8(&line)))
            return false;
    return true;
}

int mamori_pem_decode(const char *pem, size_t len, size_t *pos, const char *label, uint8_t *out,
                      size_t cap, size_t *out_len)
{
    mamori_rd_t rd;
    mamori_wr_t wr;
    size_t label_len = 0;
    uint32_t acc = 0, bad = 0;
    unsigned count = 0, pad = 0;
    *out_len = 0;
    while (label_len <= LABEL_MAX && label[label_len] != 0)
        label_len++;
    if (pem == NULL || label_len > LABEL_MAX || *pos > len)
        return MAMORI_ERR_INVAL;
    mamori_rd_init(&rd, pem, len);
    mamori_rd_skip(&rd, *pos);
    for (;;) {
        if (mamori_rd_left(&rd) == 0)
            return MAMORI_ERR_NOTFOUND;
        if (is_boundary(next_line(&rd), "BEGIN ", 6, label, label_len))
            break;
    }
    mamori_wr_init(&wr, out, cap);
    for (;;) {
        if (mamori_rd_left(&rd) == 0)
            return MAMORI_ERR_MALFORMED; /* no END line */
        mamori_rd_t line = next_line(&rd);
        if (mamori_rd_left(&line) > 0 && mamori_rd_rest(&line)[0] == '-') {
            if (!is_boundary(line, "END ", 4, label, label_len))
                return MAMORI_ERR_MALFORMED;
            break;
        }
        while (mamori_rd_left(&line) > 0) {
            uint8_t ch = mamori_rd_u8(&line);
            if (is_space(ch))
                continue;
            if (ch == '=') { /* RFC 4648 4: one or two, ending the last quantum */
                if (++pad > 2 || count % 4 < 2)
                    return MAMORI_ERR_MALFORMED;
                acc <<= 6;
                if (++count % 4 == 0) {
                    uint8_t *q = mamori_wr_reserve(&wr, 3 - pad);
                    if (q != NULL) {
                        q[0] = (uint8_t)(acc >> 16);
                        if (pad == 1)
                            q[1] = (uint8_t)(acc >> 8);
                    }
                    bad |= (acc & (pad == 1 ? 0xffu : 0xffffu)) != 0; /* unused bits zero */
                }
                continue;
            }
            uint32_t v = b64_value(ch);
            bad |= v >> 31;
            if (pad != 0)
                return MAMORI_ERR_MALFORMED;
            acc = (acc << 6) | (v & 63);
            if (++count % 4 == 0) {
                uint8_t *q = mamori_wr_reserve(&wr, 3);
                if (q != NULL) {
                    q[0] = (uint8_t)(acc >> 16);
                    q[1] = (uint8_t)(acc >> 8);
                    q[2] = (uint8_t)acc;
                }
                acc = 0;
            }
        }
    }
    if (bad || count % 4 != 0 || count == 0)
        return MAMORI_ERR_MALFORMED;
    if (!mamori_wr_ok(&wr))
        return MAMORI_ERR_BUFSIZE;
    *out_len = wr.pos;
    *pos = rd.pos;
    return MAMORI_OK;
}
