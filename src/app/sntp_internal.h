/* SNTP reply parsing, shared with the unit tests and the fuzz harness. Not
 * part of the public API. */
#ifndef MAMORI_SNTP_INTERNAL_H
#define MAMORI_SNTP_INTERNAL_H

#include "mamori/sntp.h"

typedef enum {
    SNTP_PARSE_OK = 0,
    SNTP_PARSE_SHORT,
    SNTP_PARSE_MODE,   /* not a server reply of version 3 or 4 */
    SNTP_PARSE_ORIGIN, /* does not echo our transmit timestamp */
    SNTP_PARSE_KOD,    /* Kiss-o'-Death: kiss holds the code */
    SNTP_PARSE_UNSYNC, /* leap indicator 3, stratum 16+, zero timestamps */
    SNTP_PARSE_INSANE, /* root delay/dispersion or time out of bounds */
} mamori_sntp_parse_t;

/* What a reply says. */
typedef struct {
    uint32_t unix_s; /* Unix time at reception: unix_s seconds and ms */
    uint32_t ms;     /* milliseconds (may exceed 999) */
    uint32_t kiss;   /* the reference ID: the kiss code at stratum 0 */
} mamori_sntp_reply_t;

/* Parses a reply to a request with transmit timestamp origin, received rtt_ms
 * after it was sent. r->kiss is set unless the reply is short, the time only
 * on success. */
mamori_sntp_parse_t mamori_sntp_parse(const uint8_t *msg, size_t len, const uint8_t origin[8], uint32_t rtt_ms,
                                      mamori_sntp_reply_t *r);

#endif
