/* DHCP message parsing, shared with the unit tests and the fuzz harness.
 * Not part of the public API. */
#ifndef MAMORI_DHCP_INTERNAL_H
#define MAMORI_DHCP_INTERNAL_H

#include "mamori/dhcp.h"

/* RFC 2132 §9.6 message types */
enum {
    DHCP_DISCOVER = 1,
    DHCP_OFFER,
    DHCP_REQUEST,
    DHCP_DECLINE,
    DHCP_ACK,
    DHCP_NAK,
    DHCP_RELEASE,
};

/* What the client uses of a server message; 0 where the option was absent.
 * The option values are 32-bit words so that one table decodes them all. */
typedef struct {
    uint32_t type, overload, mask, router, ntp, lease, server, t1, t2;
    uint32_t dns[MAMORI_DHCP_DNS_MAX];
    uint32_t yiaddr;
    uint8_t dns_count;
} mamori_dhcp_msg_t;

/* Parses a BOOTREPLY for transaction xid and hardware address mac. Returns
 * 0, MAMORI_ERR_TRUNCATED (short header), MAMORI_ERR_MALFORMED (bad header
 * fields), MAMORI_ERR_NOTFOUND (another transaction) or MAMORI_ERR_LIMIT
 * (bad options: overrun, bad length or value, missing END, no message type). */
int mamori_dhcp_parse(const uint8_t *msg, size_t len, uint32_t xid, const uint8_t mac[6], mamori_dhcp_msg_t *m);

#endif
