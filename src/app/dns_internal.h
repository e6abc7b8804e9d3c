/* DNS message parsing, shared with the unit tests and the fuzz harness.
 * Not part of the public API. */
#ifndef MAMORI_DNS_INTERNAL_H
#define MAMORI_DNS_INTERNAL_H

#include "core/cursor.h"
#include "mamori/dns.h"

typedef enum {
    DNS_PARSE_OK = 0,   /* res filled: status MAMORI_OK or MAMORI_ERR_NOTFOUND */
    DNS_PARSE_SHORT,    /* shorter than a header */
    DNS_PARSE_ID,       /* another ID */
    DNS_PARSE_QUESTION, /* another question */
    DNS_PARSE_MALFORMED,
    DNS_PARSE_SERVFAIL, /* an RCODE other than NOERROR/NXDOMAIN */
    DNS_PARSE_TRUNCATED,
    DNS_PARSE_CNAME_LIMIT,
} mamori_dns_parse_t;

/* Reads the (possibly compressed) name at offset off of msg, whose first
 * part must end before end, into out (wire format, lower case). Pointers
 * must go strictly backwards and the name must fit in 255 bytes. Returns
 * the name length and sets *next to the offset after it, or returns 0. */
size_t mamori_dns_read_name(const mamori_rd_t *msg, size_t off, size_t end, uint8_t out[MAMORI_DNS_NAME_MAX],
                            size_t *next);
/* Parses a response to question (qname, qtype) sent with id. */
mamori_dns_parse_t mamori_dns_parse(const uint8_t *msg, size_t len, uint16_t id, const uint8_t *qname,
                                    size_t qname_len, uint16_t qtype, uint32_t neg_ttl, mamori_dns_result_t *res);
/* Encodes a dotted name to lower-case wire format; returns its length or 0. */
size_t mamori_dns_encode_name(const char *name, uint8_t out[MAMORI_DNS_NAME_MAX]);

#endif
