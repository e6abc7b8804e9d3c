/*
 * Bounded cursors: the only way mamori reads or writes wire formats.
 *
 * A reader holds a pointer, a length and a position. Every read checks the
 * remaining length; a read past the end sets a sticky error flag and yields
 * zeros, so a parser can read a whole header and check mamori_rd_ok() once.
 * Lengths taken from the wire are only ever used through mamori_rd_sub() or
 * mamori_rd_take(), which check them against what remains.
 */
#ifndef MAMORI_CURSOR_H
#define MAMORI_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    bool err;
} mamori_rd_t;

typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t pos;
    bool err;
} mamori_wr_t;

void mamori_rd_init(mamori_rd_t *rd, const void *buf, size_t len);
static inline size_t mamori_rd_left(const mamori_rd_t *rd) { return rd->err ? 0 : rd->len - rd->pos; }
static inline bool mamori_rd_ok(const mamori_rd_t *rd) { return !rd->err; }
/* True when the reader is error-free and fully consumed. */
static inline bool mamori_rd_done(const mamori_rd_t *rd) { return !rd->err && rd->pos == rd->len; }
static inline void mamori_rd_fail(mamori_rd_t *rd) { rd->err = true; }
uint8_t mamori_rd_u8(mamori_rd_t *rd);
uint16_t mamori_rd_be16(mamori_rd_t *rd);
uint32_t mamori_rd_be24(mamori_rd_t *rd);
uint32_t mamori_rd_be32(mamori_rd_t *rd);
void mamori_rd_copy(mamori_rd_t *rd, void *out, size_t n);
void mamori_rd_skip(mamori_rd_t *rd, size_t n);
/* Returns a pointer to the next n bytes and advances, or NULL (and sets the
 * error) when fewer than n remain. */
const uint8_t *mamori_rd_take(mamori_rd_t *rd, size_t n);
/* Splits off the next n bytes as an independent reader and advances. */
mamori_rd_t mamori_rd_sub(mamori_rd_t *rd, size_t n);
/* A reader over bytes [off, off+n) of rd's whole buffer, independent of its
 * position (used for DNS compression pointers and checksums). */
mamori_rd_t mamori_rd_at(const mamori_rd_t *rd, size_t off, size_t n);
/* The unread remainder as a pointer (valid for mamori_rd_left() bytes). */
static inline const uint8_t *mamori_rd_rest(const mamori_rd_t *rd) { return rd->buf ? rd->buf + rd->pos : rd->buf; }

void mamori_wr_init(mamori_wr_t *wr, void *buf, size_t cap);
static inline bool mamori_wr_ok(const mamori_wr_t *wr) { return !wr->err; }
static inline size_t mamori_wr_left(const mamori_wr_t *wr) { return wr->err ? 0 : wr->cap - wr->pos; }
void mamori_wr_u8(mamori_wr_t *wr, uint8_t v);
void mamori_wr_be16(mamori_wr_t *wr, uint16_t v);
void mamori_wr_be24(mamori_wr_t *wr, uint32_t v);
void mamori_wr_be32(mamori_wr_t *wr, uint32_t v);
void mamori_wr_bytes(mamori_wr_t *wr, const void *src, size_t n);
void mamori_wr_zeros(mamori_wr_t *wr, size_t n);
/* Reserves n bytes and returns a pointer to fill them, or NULL on overflow. */
uint8_t *mamori_wr_reserve(mamori_wr_t *wr, size_t n);

/* Byte order helpers for fixed-size fields in buffers we own. */
static inline uint16_t mamori_get_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t mamori_get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void mamori_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void mamori_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
