/* Interfaces between the network layers. Not part of the public API. */
#ifndef MAMORI_NET_INTERNAL_H
#define MAMORI_NET_INTERNAL_H

#include "core/cursor.h"
#include "core/internal.h"

#define MAMORI_ETHERTYPE_IP4 0x0800
#define MAMORI_ETHERTYPE_ARP 0x0806
#define MAMORI_IPPROTO_ICMP 1
#define MAMORI_IPPROTO_TCP 6
#define MAMORI_IPPROTO_UDP 17
/* Where an IPv4 payload starts in a transmit pbuf. */
#define MAMORI_IP4_PAYLOAD_OFF (MAMORI_ETH_HDR_LEN + MAMORI_IP4_HDR_LEN)

extern const uint8_t mamori_eth_broadcast[6];

/* Ethernet */
void mamori_eth_input(mamori_stack_t *s, mamori_rd_t *frame);
/* Writes the Ethernet header into pb (pb->len covers the whole frame),
 * transmits and frees pb. */
int mamori_eth_output(mamori_stack_t *s, mamori_pbuf_t *pb, const uint8_t dst[6], uint16_t ethertype);
void mamori_ip4_multicast_mac(uint32_t group, uint8_t mac[6]);

/* ARP */
enum { MAMORI_ARP_FREE = 0, MAMORI_ARP_INCOMPLETE, MAMORI_ARP_REACHABLE }; /* entry states */
void mamori_arp_input(mamori_stack_t *s, mamori_rd_t *rd);
/* Sends pb (an IPv4 frame without Ethernet addresses) to next_hop,
 * resolving it first if needed; takes ownership of pb. */
int mamori_arp_output(mamori_stack_t *s, mamori_pbuf_t *pb, uint32_t next_hop);
uint32_t mamori_arp_timer(mamori_stack_t *s);
/* Starts probing (RFC 5227 §2.1) or announcing the interface address. */
void mamori_arp_start_acd(mamori_stack_t *s, bool probe);
void mamori_arp_flush(mamori_stack_t *s);

/* IPv4 */
void mamori_ip4_input(mamori_stack_t *s, mamori_rd_t *rd);
/* Takes a pbuf for an outgoing datagram and points wr at its payload area
 * (MTU minus the IPv4 header). NULL, counted, when the pool is empty. */
mamori_pbuf_t *mamori_ip4_alloc(mamori_stack_t *s, mamori_wr_t *wr);
/* Completes the IPv4 header of pb, whose payload of payload_len bytes is at
 * MAMORI_IP4_PAYLOAD_OFF, and sends it; takes ownership of pb. */
int mamori_ip4_output(mamori_stack_t *s, mamori_pbuf_t *pb, uint32_t dst, uint8_t proto, size_t payload_len);
/* Delivers a complete datagram payload to its transport protocol. */
void mamori_ip4_deliver(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *payload);
bool mamori_ip4_is_broadcast(const mamori_stack_t *s, uint32_t addr);
#if MAMORI_IP4_REASSEMBLY
/* Takes one fragment; delivers the datagram when it is complete. */
void mamori_ip4_reass_input(mamori_stack_t *s, const mamori_ip4_info_t *info, uint16_t id,
                            uint16_t frag_field, mamori_rd_t *payload);
uint32_t mamori_ip4_reass_timer(mamori_stack_t *s);
#endif

/* ICMP */
void mamori_icmp4_input(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *rd);
/* Sends a destination unreachable message about a received datagram
 * (RFC 792; suppressed for broadcasts, as RFC 1122 §3.2.2 requires). */
void mamori_icmp4_unreachable(mamori_stack_t *s, const mamori_ip4_info_t *info, uint8_t code,
                              const mamori_rd_t *payload);
#define MAMORI_ICMP_UNREACH_PROTO 2
#define MAMORI_ICMP_UNREACH_PORT 3

#if MAMORI_TCP
/* TCP */
void mamori_tcp_input(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *rd);
uint32_t mamori_tcp_timer(mamori_stack_t *s);
#endif

/* Defences (src/net/defense.c): each returns false when the frame must be
 * dropped, having counted why. */
#if MAMORI_DEFENSE
bool mamori_defense_frame(mamori_stack_t *s, const uint8_t src[6], const uint8_t dst[6], uint16_t ethertype);
bool mamori_defense_source(mamori_stack_t *s, uint32_t src);
bool mamori_defense_transport(mamori_stack_t *s, const mamori_ip4_info_t *info, const mamori_rd_t *payload);
/* The SYN budgets, for a valid SYN without ACK; TCP calls it once the
 * options are parsed. */
bool mamori_defense_syn(mamori_stack_t *s, bool has_mss);
uint32_t mamori_defense_timer(mamori_stack_t *s);
void mamori_defense_init(mamori_stack_t *s);
#else
#define mamori_defense_frame(s, src, dst, type) ((void)(src), true)
#define mamori_defense_source(s, src) true
#define mamori_defense_transport(s, info, payload) true
#define mamori_defense_syn(s, has_mss) true
#define mamori_defense_timer(s) MAMORI_NO_DEADLINE
#define mamori_defense_init(s) ((void)0)
#endif

/* UDP */
void mamori_udp_input(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *rd);

#endif
