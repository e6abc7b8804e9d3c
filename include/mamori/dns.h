/*
 * DNS stub resolver (RFC 1035) hardened per RFC 5452: every query has a
 * random 16-bit ID and its own random source port, and a response is only
 * accepted from the server and port asked, with the same ID and question.
 * Names are decompressed with loop and bounds protection, CNAME chains are
 * bounded, answers (and NXDOMAIN/NODATA) are cached within their TTL.
 *
 *   static mamori_dns_t dns;
 *   mamori_dns_init(&dns, &stack);
 *   mamori_dns_set_servers(&dns, servers, 2);
 *   mamori_dns_query(&dns, "example.com", MAMORI_DNS_TYPE_A, on_answer, NULL);
 *   ... in the poll loop, right after mamori_poll():
 *   wait = min(wait, mamori_dns_poll(&dns, now));
 *
 * Callbacks run from mamori_dns_poll(), never from mamori_dns_query(). The
 * poll returns the milliseconds to its next deadline, or 0 when it sent a
 * query (so the loop goes round and mamori_poll() sees the ARP timers).
 */
#ifndef MAMORI_DNS_H
#define MAMORI_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/net.h"

#define MAMORI_DNS_TYPE_A 1
#define MAMORI_DNS_TYPE_AAAA 28
#define MAMORI_DNS_NAME_MAX 255 /* wire format, RFC 1035 §2.3.4 */
#if MAMORI_DNS_IPV6
#define MAMORI_DNS_ADDR_BYTES 16
#else
#define MAMORI_DNS_ADDR_BYTES 4
#endif

typedef struct {
    /* MAMORI_OK (count >= 1), MAMORI_ERR_NOTFOUND (NXDOMAIN or no address),
     * MAMORI_ERR_TIMEOUT (no server gave a usable answer), MAMORI_ERR_LIMIT
     * (CNAME chain too long), MAMORI_ERR_STATE (no servers configured). */
    int status;
    uint16_t qtype;
    uint8_t count;
    uint32_t ttl_s;
    uint8_t addr[MAMORI_DNS_ADDRS_MAX][MAMORI_DNS_ADDR_BYTES]; /* network byte order */
} mamori_dns_result_t;

typedef struct mamori_dns mamori_dns_t;
typedef void (*mamori_dns_cb)(mamori_dns_t *dns, const mamori_dns_result_t *res, void *user);

typedef struct {
    mamori_udp_t sock;
    mamori_dns_cb cb;
    void *user;
    uint32_t deadline;
    uint32_t server; /* where the current try went */
    uint16_t id;
    uint16_t qtype;
    uint8_t tries;
    uint8_t active;
    uint8_t name_len;
    uint8_t name[MAMORI_DNS_NAME_MAX]; /* wire format, lower case */
    uint8_t ring[MAMORI_DNS_RING_SIZE];
} mamori_dns_query_t;

typedef struct {
    uint32_t expires; /* ms */
    uint16_t qtype;
    uint8_t name_len; /* 0: free */
    uint8_t count;    /* 0: negative entry */
    uint8_t name[MAMORI_DNS_CACHE_NAME_MAX];
    uint8_t addr[MAMORI_DNS_ADDRS_MAX][MAMORI_DNS_ADDR_BYTES];
} mamori_dns_cache_t;

struct mamori_dns {
    mamori_stack_t *stack;
    uint32_t now;
    uint32_t servers[MAMORI_DNS_SERVERS];
    uint8_t server_count;
    uint8_t preferred; /* the server that answered last */
    mamori_dns_query_t queries[MAMORI_DNS_QUERIES];
#if MAMORI_DNS_CACHE_SIZE
    mamori_dns_cache_t cache[MAMORI_DNS_CACHE_SIZE];
#endif
};

void mamori_dns_init(mamori_dns_t *dns, mamori_stack_t *s);
/* Sets the servers, tried in order (at most MAMORI_DNS_SERVERS are kept). */
void mamori_dns_set_servers(mamori_dns_t *dns, const uint32_t *servers, size_t n);
/* Starts resolving name (dotted, trailing dot optional) for MAMORI_DNS_TYPE_A (or
 * MAMORI_DNS_TYPE_AAAA when compiled in). Returns a handle >= 0 for
 * mamori_dns_cancel(), MAMORI_ERR_INVAL for a bad name or type, or
 * MAMORI_ERR_NOMEM when MAMORI_DNS_QUERIES are in flight. */
int mamori_dns_query(mamori_dns_t *dns, const char *name, uint16_t qtype, mamori_dns_cb cb, void *user);
void mamori_dns_cancel(mamori_dns_t *dns, int handle);
uint32_t mamori_dns_poll(mamori_dns_t *dns, uint32_t now_ms);
void mamori_dns_flush_cache(mamori_dns_t *dns);

/* The i-th IPv4 address of an A answer, host byte order. */
static inline uint32_t mamori_dns_ip4(const mamori_dns_result_t *res, size_t i)
{
    const uint8_t *a = res->addr[i];
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

#endif
