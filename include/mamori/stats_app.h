/* DHCP, DNS and SNTP counters, part of MAMORI_STATS_LIST (see stats.h). */
#ifndef MAMORI_STATS_APP_H
#define MAMORI_STATS_APP_H

#include "mamori/config.h"

#if MAMORI_DHCP
#define MAMORI_STATS_DHCP(X)                                                   \
    X(dhcp_tx_discover)                                                        \
    X(dhcp_tx_request)                                                         \
    X(dhcp_tx_decline)                                                         \
    X(dhcp_tx_release)                                                         \
    X(dhcp_rx_offer)                                                           \
    X(dhcp_rx_ack)                                                             \
    X(dhcp_rx_nak)                                                             \
    X(dhcp_rx_drop_short)                                                      \
    X(dhcp_rx_drop_malformed)                                                  \
    X(dhcp_rx_drop_options)                                                    \
    X(dhcp_rx_drop_xid)                                                        \
    X(dhcp_rx_drop_port)                                                       \
    X(dhcp_rx_drop_unexpected)                                                 \
    X(dhcp_bound)                                                              \
    X(dhcp_renewed)                                                            \
    X(dhcp_rebound)                                                            \
    X(dhcp_lease_expired)                                                      \
    X(dhcp_conflicts)                                                          \
    X(dhcp_timeouts)
#else
#define MAMORI_STATS_DHCP(X)
#endif

#if MAMORI_DNS
#define MAMORI_STATS_DNS(X)                                                    \
    X(dns_tx_queries)                                                          \
    X(dns_tx_drop)                                                             \
    X(dns_rx_answers)                                                          \
    X(dns_rx_nxdomain)                                                         \
    X(dns_rx_servfail)                                                         \
    X(dns_rx_truncated)                                                        \
    X(dns_rx_drop_short)                                                       \
    X(dns_rx_drop_src)                                                         \
    X(dns_rx_drop_id)                                                          \
    X(dns_rx_drop_question)                                                    \
    X(dns_rx_drop_malformed)                                                   \
    X(dns_cname_too_long)                                                      \
    X(dns_cache_hits)                                                          \
    X(dns_cache_neg_hits)                                                      \
    X(dns_timeouts)                                                            \
    X(dns_failures)
#else
#define MAMORI_STATS_DNS(X)
#endif

#if MAMORI_SNTP
#define MAMORI_STATS_SNTP(X)                                                   \
    X(sntp_tx)                                                                 \
    X(sntp_sync)                                                               \
    X(sntp_kod)                                                                \
    X(sntp_timeouts)                                                           \
    X(sntp_rx_drop_short)                                                      \
    X(sntp_rx_drop_src)                                                        \
    X(sntp_rx_drop_mode)                                                       \
    X(sntp_rx_drop_origin)                                                     \
    X(sntp_rx_drop_unsync)                                                     \
    X(sntp_rx_drop_insane)
#else
#define MAMORI_STATS_SNTP(X)
#endif

#define MAMORI_STATS_APP(X) MAMORI_STATS_DHCP(X) MAMORI_STATS_DNS(X) MAMORI_STATS_SNTP(X)

#endif
