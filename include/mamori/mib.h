/*
 * The stack's management view: MIB-II (RFC 1213) groups the stack implements
 * (interfaces with the 64-bit HC octet counters of RFC 2863, ip with the ARP
 * table as ipNetToMediaTable, icmp, tcp with tcpConnTable, udp with
 * udpTable) and a private group holding every mamori counter. An SNMP agent
 * walks it with mamori_mib_next(); values come straight from the live
 * counters and tables.
 *
 * The private group lives under the experimental arc 1.3.6.1.3.6176.1.N.0,
 * N being the counter's position in MAMORI_STATS_LIST plus one (provisional
 * until mamori has a registered enterprise number).
 */
#ifndef MAMORI_MIB_H
#define MAMORI_MIB_H

#include <stddef.h>
#include <stdint.h>

#define MAMORI_OID_MAX 20

typedef struct {
    uint32_t arc[MAMORI_OID_MAX];
    uint8_t len;
} mamori_oid_t;

/* SNMP application types, numbered as their BER tags (RFC 2578). */
typedef enum {
    MAMORI_MIB_INTEGER = 0x02,
    MAMORI_MIB_OCTETS = 0x04,
    MAMORI_MIB_IPADDR = 0x40,
    MAMORI_MIB_COUNTER32 = 0x41,
    MAMORI_MIB_GAUGE32 = 0x42,
    MAMORI_MIB_COUNTER64 = 0x46,
} mamori_mib_type_t;

typedef struct {
    mamori_mib_type_t type;
    uint64_t num;      /* INTEGER, counters, gauges; IPADDR as a host-order uint32 */
    uint8_t bytes[16]; /* OCTETS */
    uint8_t len;
} mamori_mib_value_t;

typedef struct mamori_stack mamori_stack_t;

/* Value of one instance; MAMORI_ERR_NOTFOUND if there is none. */
int mamori_mib_get(const mamori_stack_t *s, const mamori_oid_t *oid, mamori_mib_value_t *value);
/* The first instance after `after` in OID order (GetNext); MAMORI_ERR_NOTFOUND
 * at the end of the view. */
int mamori_mib_next(const mamori_stack_t *s, const mamori_oid_t *after, mamori_oid_t *next, mamori_mib_value_t *value);
/* Parses "1.3.6.1.2.1.4.3.0"; returns MAMORI_ERR_INVAL when malformed. */
int mamori_oid_parse(mamori_oid_t *oid, const char *text);

#endif
