/*
 * Counters. Every dropped frame or datagram increments exactly one named
 * counter saying why. The list is an X-macro so the struct, the name table
 * used by mamori_stats_name() and the JSON printer cannot drift apart.
 */
#ifndef MAMORI_STATS_H
#define MAMORI_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/stats_tcp.h"
#include "mamori/stats_app.h"

/* Every counter: the network layers here, then TCP and the applications. */
#define MAMORI_STATS_LIST(X)                                                   \
    MAMORI_STATS_NET(X) MAMORI_STATS_DEFENSE(X) MAMORI_STATS_TCP(X) MAMORI_STATS_APP(X)

/* Drops by the receive filter, the class rate limits and storm control. */
#define MAMORI_STATS_DEFENSE(X)                                                \
    X(filter_drop_mac)                                                         \
    X(filter_drop_ethertype)                                                   \
    X(filter_drop_src)                                                         \
    X(filter_drop_port)                                                        \
    X(rate_drop_total)                                                         \
    X(rate_drop_bcast)                                                         \
    X(rate_drop_arp)                                                           \
    X(rate_drop_icmp)                                                          \
    X(rate_drop_syn)                                                           \
    X(rate_drop_bare_syn)                                                      \
    X(rate_drop_udp)                                                           \
    X(storm_drop)                                                              \
    X(storm_events)

#define MAMORI_STATS_NET(X)                                                    \
    X(eth_rx_frames)                                                           \
    X(eth_rx_bytes)                                                            \
    X(eth_tx_frames)                                                           \
    X(eth_tx_bytes)                                                            \
    X(eth_rx_drop_short)                                                       \
    X(eth_rx_drop_not_for_us)                                                  \
    X(eth_rx_drop_ethertype)                                                   \
    X(eth_rx_drop_driver)                                                      \
    X(eth_tx_drop_driver)                                                      \
    X(eth_tx_drop_nobuf)                                                       \
    X(arp_rx)                                                                  \
    X(arp_rx_drop_malformed)                                                   \
    X(arp_rx_drop_op)                                                          \
    X(arp_tx_requests)                                                         \
    X(arp_tx_replies)                                                          \
    X(arp_tx_announce)                                                         \
    X(arp_tx_probe)                                                            \
    X(arp_cache_evictions)                                                     \
    X(arp_resolve_fail)                                                        \
    X(arp_queue_drop)                                                          \
    X(arp_conflicts)                                                           \
    X(ip_rx)                                                                   \
    X(ip_rx_delivered)                                                         \
    X(ip_rx_drop_short)                                                        \
    X(ip_rx_drop_version)                                                      \
    X(ip_rx_drop_ihl)                                                          \
    X(ip_rx_drop_len)                                                          \
    X(ip_rx_drop_checksum)                                                     \
    X(ip_rx_drop_ttl)                                                          \
    X(ip_rx_drop_src)                                                          \
    X(ip_rx_drop_not_for_us)                                                   \
    X(ip_rx_drop_proto)                                                        \
    X(ip_rx_options)                                                           \
    X(ip_frag_rx)                                                              \
    X(ip_frag_reassembled)                                                     \
    X(ip_frag_drop_overlap)                                                    \
    X(ip_frag_drop_too_long)                                                   \
    X(ip_frag_drop_timeout)                                                    \
    X(ip_frag_drop_nobuf)                                                      \
    X(ip_frag_drop_disabled)                                                   \
    X(ip_tx)                                                                   \
    X(ip_tx_drop_noroute)                                                      \
    X(ip_tx_drop_too_long)                                                     \
    X(icmp_rx)                                                                 \
    X(icmp_rx_echo)                                                            \
    X(icmp_rx_unreach)                                                         \
    X(icmp_rx_echo_reply)                                                      \
    X(icmp_rx_drop_short)                                                      \
    X(icmp_rx_drop_checksum)                                                   \
    X(icmp_rx_drop_type)                                                       \
    X(icmp_rx_echo_ignored)                                                    \
    X(icmp_tx_echo_reply)                                                      \
    X(icmp_tx_echo)                                                            \
    X(icmp_tx_unreach)                                                         \
    X(icmp_tx_ratelimited)                                                     \
    X(udp_rx)                                                                  \
    X(udp_rx_delivered)                                                        \
    X(udp_rx_drop_short)                                                       \
    X(udp_rx_drop_len)                                                         \
    X(udp_rx_drop_checksum)                                                    \
    X(udp_rx_drop_noport)                                                      \
    X(udp_rx_drop_queue_full)                                                  \
    X(udp_tx)                                                                  \
    X(udp_tx_drop)

typedef struct {
#define MAMORI_STATS_FIELD(name) uint32_t name;
    MAMORI_STATS_LIST(MAMORI_STATS_FIELD)
#undef MAMORI_STATS_FIELD
} mamori_stats_t;

#define MAMORI_STATS_COUNT (sizeof(mamori_stats_t) / sizeof(uint32_t))

/* Name and value of counter i (0 <= i < MAMORI_STATS_COUNT); NULL past the end. */
const char *mamori_stats_name(size_t i);
uint32_t mamori_stats_value(const mamori_stats_t *st, size_t i);

#endif
