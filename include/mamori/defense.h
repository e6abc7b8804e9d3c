/*
 * Device-side defences: receive filters, per-class token buckets, storm
 * control and the one-call stealth profile. Everything here runs before any
 * protocol processing of the frame it judges, and every rejection increments
 * a counter named after its reason (include/mamori/stats.h).
 */
#ifndef MAMORI_DEFENSE_H
#define MAMORI_DEFENSE_H

#include <stdbool.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/net.h"

/* Traffic classes for rate limits and storm control. A frame counts
 * against TOTAL and against the first of the others that fits it.
 *
 * SYNs without an MSS option have their own budget: every TCP in use sends
 * MSS in its SYNs (RFC 9293 §3.7.1 asks for it whenever the MSS differs from
 * 536, i.e. on every Ethernet), while flood tools send bare 20-byte headers.
 * A flood of bare SYNs then cannot starve clients' SYNs, even from the
 * clients' own address. It is a heuristic: a flood that adds the option
 * shares the SYN budget with the clients (docs/security.md). */
typedef enum {
    MAMORI_CLASS_TOTAL = 0, /* every frame accepted by the MAC check */
    MAMORI_CLASS_BCAST,     /* broadcast or multicast destination MAC */
    MAMORI_CLASS_ARP,
    MAMORI_CLASS_ICMP,
    MAMORI_CLASS_SYN,       /* TCP segments with SYN and without ACK */
    MAMORI_CLASS_BARE_SYN,  /* the same without an MSS option (see below) */
    MAMORI_CLASS_UDP,
    MAMORI_CLASS_COUNT
} mamori_traffic_class_t;

typedef struct {
    uint32_t prefix, mask;
    bool allow;
} mamori_ip_rule_t;

typedef struct {
    uint8_t proto; /* 6 TCP, 17 UDP */
    uint16_t port;
    uint32_t prefix, mask; /* sources allowed to reach the port */
} mamori_port_rule_t;

typedef struct {
    uint32_t rising, falling; /* frames per window; rising 0 = off */
    uint32_t window_start, count;
    bool storming;
} mamori_storm_t;

typedef struct {
    uint8_t mac_allow[MAMORI_FILTER_MACS][6];
    uint8_t mac_allow_count;      /* 0: any source MAC */
    mamori_ip_rule_t ip_rules[MAMORI_FILTER_IP_RULES];
    uint8_t ip_rule_count;        /* first match decides; see mamori_filter_add_src */
    bool ip_default_deny;         /* set once an allow rule exists */
    mamori_port_rule_t port_rules[MAMORI_FILTER_PORT_RULES];
    uint8_t port_rule_count;
    bool accept_arp, accept_ip4;  /* ethertype allow list */
    mamori_bucket_t bucket[MAMORI_CLASS_COUNT];
    mamori_storm_t storm[MAMORI_CLASS_COUNT];
    bool stealth;
} mamori_defense_t;

/* Accepts frames only from these source MACs (up to MAMORI_FILTER_MACS). */
int mamori_filter_allow_mac(mamori_stack_t *s, const uint8_t mac[6]);
/* Adds a source prefix rule; the first matching rule decides. Once any
 * allow rule exists, sources matching no rule are denied. */
int mamori_filter_add_src(mamori_stack_t *s, uint32_t prefix, uint8_t prefix_len, bool allow);
/* Restricts a local TCP (6) or UDP (17) port to sources in a prefix. */
int mamori_filter_add_port(mamori_stack_t *s, uint8_t proto, uint16_t port, uint32_t prefix, uint8_t prefix_len);
/* Ethertype allow list: ARP and IPv4 (both on by default). */
void mamori_filter_ethertypes(mamori_stack_t *s, bool arp, bool ip4);
void mamori_filter_clear(mamori_stack_t *s);

/* Rate limit for a class in frames per second with a burst; 0 = unlimited. */
int mamori_rate_set(mamori_stack_t *s, mamori_traffic_class_t cls, uint32_t per_second, uint32_t burst);
/* Storm control for a class: above `rising` frames per
 * MAMORI_STORM_WINDOW_MS the class is dropped (and the port's
 * rx_class_control hook asked to block it) until a whole window stays
 * below `falling`. rising 0 turns it off. */
int mamori_storm_set(mamori_stack_t *s, mamori_traffic_class_t cls, uint32_t rising, uint32_t falling);
bool mamori_storm_active(const mamori_stack_t *s, mamori_traffic_class_t cls);

/* The stealth profile: no ICMP echo replies, no ICMP unreachables, no TCP
 * RST for closed ports (and none of those about broadcasts, which mamori
 * never answers anyway). A scan then sees only the ports open to it. */
void mamori_stealth(mamori_stack_t *s, bool on);

/* Parses a class name ("total", "bcast", "arp", "icmp", "syn", "bare_syn",
 * "udp"). */
int mamori_traffic_class_parse(const char *name);

#endif
