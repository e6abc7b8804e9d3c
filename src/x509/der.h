/*
 * Strict DER reader (X.690 10) on top of the bounded cursor. Only the
 * distinguished encoding is accepted: low-form tags, definite lengths in
 * their shortest form, minimal INTEGERs and OID sub-identifiers, BIT STRING
 * padding bits that are zero. Errors are sticky, like mamori_rd_t: parse a
 * whole structure, then check mamori_der_ok() once.
 */
#ifndef MAMORI_DER_H
#define MAMORI_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cursor.h"

#define MAMORI_DER_INTEGER 0x02
#define MAMORI_DER_BIT_STRING 0x03
#define MAMORI_DER_OCTET_STRING 0x04
#define MAMORI_DER_NULL 0x05
#define MAMORI_DER_OID 0x06
#define MAMORI_DER_UTF8_STRING 0x0c
#define MAMORI_DER_PRINTABLE_STRING 0x13
#define MAMORI_DER_IA5_STRING 0x16
#define MAMORI_DER_UTC_TIME 0x17
#define MAMORI_DER_GENERALIZED_TIME 0x18
#define MAMORI_DER_SEQUENCE 0x30
#define MAMORI_DER_SET 0x31
/* Context-specific tags: [n] constructed and [n] primitive. */
#define MAMORI_DER_CONTEXT(n) (0xa0 | (n))
#define MAMORI_DER_CONTEXT_PRIM(n) (0x80 | (n))

/* Deepest nesting mamori_der_enter() allows (certificates need about 8). */
#ifndef MAMORI_DER_MAX_DEPTH
#define MAMORI_DER_MAX_DEPTH 16
#endif
/* Longest length field accepted: 4 bytes, so lengths below 4 GiB. */
#define MAMORI_DER_MAX_LEN_BYTES 4

typedef struct {
    mamori_rd_t rd;
    unsigned depth;
} mamori_der_t;

void mamori_der_init(mamori_der_t *d, const void *buf, size_t len);
static inline bool mamori_der_ok(const mamori_der_t *d) { return mamori_rd_ok(&d->rd); }
/* True when error-free and every byte was consumed. */
bool mamori_der_done(const mamori_der_t *d);
/* True when error-free with bytes left to read. */
bool mamori_der_more(const mamori_der_t *d);
static inline void mamori_der_fail(mamori_der_t *d) { mamori_rd_fail(&d->rd); }
/* The next tag without consuming it, or 0 at the end or after an error. */
uint8_t mamori_der_peek(const mamori_der_t *d);

/* Reads one element that must carry tag (0: any tag) and returns its
 * content, *len bytes (NULL and 0 on error). Fails d on a different tag, a
 * bad length or an element deeper than MAMORI_DER_MAX_DEPTH. */
const uint8_t *mamori_der_tlv(mamori_der_t *d, uint8_t tag, size_t *len);
/* Reads one element of any tag: *tag, and its content as a child reader.
 * The child is one level deeper. */
mamori_der_t mamori_der_any(mamori_der_t *d, uint8_t *tag);
/* Reads one element that must carry tag; returns its content. Fails d on a
 * different tag, a bad length or exceeding MAMORI_DER_MAX_DEPTH. */
mamori_der_t mamori_der_enter(mamori_der_t *d, uint8_t tag);
/* Like mamori_der_enter, but also returns the whole element (header and
 * content) in *raw and *raw_len, e.g. the signed part of a certificate. */
mamori_der_t mamori_der_enter_raw(mamori_der_t *d, uint8_t tag, const uint8_t **raw,
                                  size_t *raw_len);
/* An OPTIONAL element: enters it into *child when the next tag is tag. */
bool mamori_der_opt(mamori_der_t *d, uint8_t tag, mamori_der_t *child);
/* Fails d unless child (read from d) is error-free and fully consumed. */
void mamori_der_end(mamori_der_t *d, const mamori_der_t *child);
/* Skips one element that must carry tag. */
void mamori_der_skip(mamori_der_t *d, uint8_t tag);

/* A non-negative minimal INTEGER: the big-endian magnitude without the
 * sign byte (zero is one 0x00 byte). Negative values fail. */
const uint8_t *mamori_der_uint(mamori_der_t *d, size_t *len);
/* A non-negative INTEGER that fits 32 bits. */
uint32_t mamori_der_uint32(mamori_der_t *d);
/* An OBJECT IDENTIFIER's content octets (validated sub-identifiers). */
const uint8_t *mamori_der_oid(mamori_der_t *d, size_t *len);
/* 1 if the OID content equals oid[0..oid_len). */
bool mamori_der_oid_equal(const uint8_t *got, size_t got_len, const uint8_t *oid,
                          size_t oid_len);
/* A BIT STRING: the content after the unused-bits octet, and that count
 * (0..7; the padding bits must be zero). */
const uint8_t *mamori_der_bits(mamori_der_t *d, size_t *len, unsigned *unused);
/* A BIT STRING holding whole octets (unused bits 0), as keys are. */
const uint8_t *mamori_der_bit_octets(mamori_der_t *d, size_t *len);
/* An OCTET STRING's content. */
const uint8_t *mamori_der_octets(mamori_der_t *d, size_t *len);
/* A NULL (05 00). */
void mamori_der_null(mamori_der_t *d);

#endif
