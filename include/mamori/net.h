/*
 * Network layer types and the native API for Ethernet, ARP, IPv4, ICMP and
 * UDP. IPv4 addresses are uint32_t in host byte order: MAMORI_IP4(198,18,0,1).
 * The state structs are public only so a stack can be allocated statically;
 * their fields are private to mamori.
 */
#ifndef MAMORI_NET_H
#define MAMORI_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"

#define MAMORI_IP4(a, b, c, d)                                                 \
    (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define MAMORI_ETH_HDR_LEN 14
#define MAMORI_IP4_HDR_LEN 20
#define MAMORI_UDP_HDR_LEN 8
#define MAMORI_FRAME_MAX (MAMORI_MTU + MAMORI_ETH_HDR_LEN)
#define MAMORI_UDP_MAX_PAYLOAD (MAMORI_MTU - MAMORI_IP4_HDR_LEN - MAMORI_UDP_HDR_LEN)

typedef struct mamori_stack mamori_stack_t;

/* ---- packet buffers --------------------------------------------------- */
typedef struct {
    uint16_t len; /* bytes of data in use, from data[0] (the Ethernet header) */
    uint8_t in_use;
    uint8_t data[MAMORI_FRAME_MAX];
} mamori_pbuf_t;

/* ---- ARP cache ---------------------------------------------------------- */
typedef struct {
    uint32_t ip;
    uint8_t mac[6];
    uint8_t state; /* free, incomplete, reachable */
    uint8_t tries; /* requests sent while incomplete */
    uint32_t deadline; /* expiry (reachable) or next retry (incomplete) */
} mamori_arp_entry_t;

typedef struct {
    mamori_pbuf_t *pbuf;
    uint32_t next_hop;
} mamori_arp_pending_t;

/* Address state of the interface, with RFC 5227 conflict detection. */
typedef enum {
    MAMORI_ADDR_NONE = 0,  /* no address */
    MAMORI_ADDR_PROBING,   /* probing a candidate before use */
    MAMORI_ADDR_BOUND,     /* in use */
} mamori_addr_state_t;

typedef enum {
    MAMORI_ADDR_EVENT_BOUND,    /* probing finished: the address is in use */
    MAMORI_ADDR_EVENT_CONFLICT, /* another host uses it: it was given up */
} mamori_addr_event_t;

typedef void (*mamori_addr_cb)(mamori_stack_t *stack, mamori_addr_event_t ev, uint32_t addr,
                               const uint8_t other_mac[6]);

typedef struct {
    mamori_arp_entry_t cache[MAMORI_ARP_CACHE_SIZE];
    mamori_arp_pending_t pending[MAMORI_ARP_QUEUE_LEN];
    uint8_t acd_probes_left;
    uint8_t acd_announces_left;
    uint32_t acd_deadline;
    uint32_t last_defend;
    bool defended;
} mamori_arp_state_t;

/* ---- IPv4 --------------------------------------------------------------- */
typedef struct {
    uint32_t src, dst;
    uint16_t id;
    uint8_t proto;
    uint8_t used;
    uint16_t total;     /* payload length once the last fragment arrived, else 0 */
    uint16_t received;  /* payload bytes received so far */
    uint32_t deadline;
    uint8_t hdr[MAMORI_IP4_HDR_LEN]; /* first fragment's header, for ICMP errors */
    uint8_t have_first;
    uint8_t map[(MAMORI_IP4_REASS_MAX + 63) / 64]; /* one bit per 8-byte block */
    uint8_t data[MAMORI_IP4_REASS_MAX];
} mamori_ip4_reass_t;

typedef struct {
    uint32_t addr, mask, gw;
    uint32_t candidate; /* address being probed */
    mamori_addr_state_t state;
    mamori_addr_cb on_addr_event;
    uint32_t groups[MAMORI_ETH_MCAST_GROUPS]; /* joined IPv4 multicast groups */
#if MAMORI_IP4_REASSEMBLY
    mamori_ip4_reass_t reass[MAMORI_IP4_REASS_SLOTS];
#endif
} mamori_ip4_state_t;

/* Facts about a received datagram passed to the transport layers. */
typedef struct {
    uint32_t src, dst;
    uint8_t proto, ttl;
    bool to_broadcast; /* limited or subnet broadcast, or multicast */
    const uint8_t *hdr; /* the IPv4 header, for ICMP errors */
    size_t hdr_len;
} mamori_ip4_info_t;

/* ---- token bucket ------------------------------------------------------ */
typedef struct {
    uint32_t rate_per_s; /* 0 = unlimited */
    uint32_t burst;
    uint32_t tokens_milli; /* tokens x 1000 */
    uint32_t last;
} mamori_bucket_t;

/* ---- ICMP ----------------------------------------------------------------- */
typedef void (*mamori_ping_cb)(mamori_stack_t *s, uint32_t from, uint16_t ident, uint16_t seq,
                               const uint8_t *data, size_t len);

typedef struct {
    mamori_ping_cb on_echo_reply;
    bool echo_enabled;
    bool unreach_enabled;
    mamori_bucket_t bucket;
} mamori_icmp_state_t;

/* ---- UDP ------------------------------------------------------------------ */
typedef struct mamori_udp mamori_udp_t;
typedef void (*mamori_udp_cb)(mamori_udp_t *sock, void *user);

/* A UDP socket owned by the caller; received datagrams are kept in the
 * caller-provided ring buffer (each costs its length plus 8 bytes). */
struct mamori_udp {
    mamori_udp_t *next;
    mamori_stack_t *stack;
    uint16_t local_port;
    uint8_t *ring;
    size_t ring_cap, ring_head, ring_used;
    uint32_t queued; /* datagrams waiting */
    mamori_udp_cb on_readable;
    void *user;
};

/* ---- API ------------------------------------------------------------------ */

/* Sets the interface address, prefix length and default gateway (0 = none).
 * With probe set, the address is first checked with RFC 5227 ARP probes and
 * only used once no other host claims it (the event callback reports
 * MAMORI_ADDR_EVENT_BOUND or _CONFLICT); without, it is used at once and
 * announced with gratuitous ARP. addr 0 removes the address. */
int mamori_ip4_set_addr(mamori_stack_t *s, uint32_t addr, uint8_t prefix_len, uint32_t gw, bool probe);
void mamori_ip4_set_addr_callback(mamori_stack_t *s, mamori_addr_cb cb);
uint32_t mamori_ip4_addr(const mamori_stack_t *s);
/* Joins/leaves an IPv4 multicast group (receive side; IGMP is not sent). */
int mamori_ip4_join(mamori_stack_t *s, uint32_t group);
int mamori_ip4_leave(mamori_stack_t *s, uint32_t group);

/* Runtime ICMP switches (both on by default when compiled in). */
void mamori_icmp_set_echo(mamori_stack_t *s, bool enabled);
void mamori_icmp_set_unreach(mamori_stack_t *s, bool enabled);
/* Rate limit for every ICMP message sent; rate 0 = unlimited. */
void mamori_icmp_set_rate(mamori_stack_t *s, uint32_t per_second, uint32_t burst);

/* Sends an ICMP echo request (ping); replies are reported to the callback. */
int mamori_icmp_ping(mamori_stack_t *s, uint32_t dst, uint16_t ident, uint16_t seq, const void *data, size_t len);
void mamori_icmp_set_ping_callback(mamori_stack_t *s, mamori_ping_cb cb);

/* Looks up a resolved ARP entry; returns 0 and fills mac, or MAMORI_ERR_NOTFOUND. */
int mamori_arp_lookup(const mamori_stack_t *s, uint32_t ip, uint8_t mac[6]);

int mamori_udp_open(mamori_stack_t *s, mamori_udp_t *sock, void *ring, size_t ring_cap);
/* Binds to a local port; port 0 picks a random ephemeral port (RFC 6056). */
int mamori_udp_bind(mamori_udp_t *sock, uint16_t port);
/* Sends one datagram (at most MAMORI_UDP_MAX_PAYLOAD bytes). An unbound
 * socket is bound to an ephemeral port first. */
int mamori_udp_sendto(mamori_udp_t *sock, uint32_t dst, uint16_t dst_port, const void *data, size_t len);
/* Copies the next datagram into buf; returns its length (truncated to cap,
 * the rest discarded) or MAMORI_ERR_WOULDBLOCK. src/src_port may be NULL. */
int mamori_udp_recvfrom(mamori_udp_t *sock, void *buf, size_t cap, uint32_t *src, uint16_t *src_port);
void mamori_udp_set_callback(mamori_udp_t *sock, mamori_udp_cb cb, void *user);
void mamori_udp_close(mamori_udp_t *sock);

#endif
