#include "core/cursor.h"

#include <string.h>

void mamori_rd_init(mamori_rd_t *rd, const void *buf, size_t len)
{
    rd->buf = buf;
    rd->len = buf ? len : 0;
    rd->pos = 0;
    rd->err = false;
}

const uint8_t *mamori_rd_take(mamori_rd_t *rd, size_t n)
{
    if (rd->err || n > rd->len - rd->pos) {
        rd->err = true;
        return NULL;
    }
    const uint8_t *p = rd->buf + rd->pos;
    rd->pos += n;
    return p;
}

uint8_t mamori_rd_u8(mamori_rd_t *rd)
{
    const uint8_t *p = mamori_rd_take(rd, 1);
    return p ? p[0] : 0;
}

uint16_t mamori_rd_be16(mamori_rd_t *rd)
{
    const uint8_t *p = mamori_rd_take(rd, 2);
    return p ? mamori_get_be16(p) : 0;
}

uint32_t mamori_rd_be24(mamori_rd_t *rd)
{
    const uint8_t *p = mamori_rd_take(rd, 3);
    return p ? ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2] : 0;
}

uint32_t mamori_rd_be32(mamori_rd_t *rd)
{
    const uint8_t *p = mamori_rd_take(rd, 4);
    return p ? mamori_get_be32(p) : 0;
}

void mamori_rd_copy(mamori_rd_t *rd, void *out, size_t n)
{
    const uint8_t *p = mamori_rd_take(rd, n);
    if (p)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

void mamori_rd_skip(mamori_rd_t *rd, size_t n) { (void)mamori_rd_take(rd, n); }

mamori_rd_t mamori_rd_sub(mamori_rd_t *rd, size_t n)
{
    mamori_rd_t sub;
    const uint8_t *p = mamori_rd_take(rd, n);
    mamori_rd_init(&sub, p, p ? n : 0);
    sub.err = (p == NULL);
    return sub;
}

mamori_rd_t mamori_rd_at(const mamori_rd_t *rd, size_t off, size_t n)
{
    mamori_rd_t sub;
    if (rd->err || off > rd->len || n > rd->len - off) {
        mamori_rd_init(&sub, NULL, 0);
        sub.err = true;
    } else {
        mamori_rd_init(&sub, rd->buf + off, n);
    }
    return sub;
}

void mamori_wr_init(mamori_wr_t *wr, void *buf, size_t cap)
{
    wr->buf = buf;
    wr->cap = buf ? cap : 0;
    wr->pos = 0;
    wr->err = false;
}

uint8_t *mamori_wr_reserve(mamori_wr_t *wr, size_t n)
{
    if (wr->err || n > wr->cap - wr->pos) {
        wr->err = true;
        return NULL;
    }
    uint8_t *p = wr->buf + wr->pos;
    wr->pos += n;
    return p;
}

void mamori_wr_u8(mamori_wr_t *wr, uint8_t v)
{
    uint8_t *p = mamori_wr_reserve(wr, 1);
    if (p)
        p[0] = v;
}

void mamori_wr_be16(mamori_wr_t *wr, uint16_t v)
{
    uint8_t *p = mamori_wr_reserve(wr, 2);
    if (p)
        mamori_put_be16(p, v);
}

void mamori_wr_be24(mamori_wr_t *wr, uint32_t v)
{
    uint8_t *p = mamori_wr_reserve(wr, 3);
    if (p) {
        p[0] = (uint8_t)(v >> 16);
        p[1] = (uint8_t)(v >> 8);
        p[2] = (uint8_t)v;
    }
}

void mamori_wr_be32(mamori_wr_t *wr, uint32_t v)
{
    uint8_t *p = mamori_wr_reserve(wr, 4);
    if (p)
        mamori_put_be32(p, v);
}

void mamori_wr_bytes(mamori_wr_t *wr, const void *src, size_t n)
{
    uint8_t *p = mamori_wr_reserve(wr, n);
    if (p && n)
        memcpy(p, src, n);
}

void mamori_wr_zeros(mamori_wr_t *wr, size_t n)
{
    uint8_t *p = mamori_wr_reserve(wr, n);
    if (p)
        memset(p, 0, n);
}
