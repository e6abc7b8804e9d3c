/*
 * Blocking name resolution for the BSD-style socket layer (hosted ports):
 * the counterpart of getaddrinfo() for IPv4. The resolver is the native one
 * (include/mamori/dns.h); this call starts a query and waits while the
 * socket layer's driver thread runs the stack.
 */
#ifndef MAMORI_NETDB_H
#define MAMORI_NETDB_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/dns.h"

/* Resolves name to at most max IPv4 addresses (host byte order). Returns the
 * count (>= 1), or MAMORI_ERR_NOTFOUND (no such name or no address),
 * MAMORI_ERR_TIMEOUT (no answer within timeout_ms or the resolver's own
 * retries), MAMORI_ERR_INVAL, MAMORI_ERR_NOMEM (too many queries in flight).
 * dns must have been initialised on the stack attached to the socket layer
 * (mamori_socket_attach) and given servers. */
int mamori_getaddrinfo(mamori_dns_t *dns, const char *name, uint32_t *addrs, size_t max, uint32_t timeout_ms);

#endif
