/* TCP counters, part of MAMORI_STATS_LIST (see stats.h). The first ten follow
 * the MIB-II tcp group (RFC 4022); tcp_curr_estab is a gauge. */
#ifndef MAMORI_STATS_TCP_H
#define MAMORI_STATS_TCP_H

#include "mamori/config_tcp.h"

#if MAMORI_TCP
#define MAMORI_STATS_TCP(X)                                                    \
    X(tcp_active_opens)                                                        \
    X(tcp_passive_opens)                                                       \
    X(tcp_attempt_fails)                                                       \
    X(tcp_estab_resets)                                                        \
    X(tcp_curr_estab)                                                          \
    X(tcp_in_segs)                                                             \
    X(tcp_out_segs)                                                            \
    X(tcp_retrans_segs)                                                        \
    X(tcp_in_errs)                                                             \
    X(tcp_out_rsts)                                                            \
    X(tcp_rx_drop_short)                                                       \
    X(tcp_rx_drop_offset)                                                      \
    X(tcp_rx_drop_checksum)                                                    \
    X(tcp_rx_drop_options)                                                     \
    X(tcp_rx_drop_flags)                                                       \
    X(tcp_rx_drop_addr)                                                        \
    X(tcp_rx_drop_noconn)                                                      \
    X(tcp_rx_drop_seq)                                                         \
    X(tcp_rx_drop_ack)                                                         \
    X(tcp_rx_drop_rst)                                                         \
    X(tcp_rx_drop_syn)                                                         \
    X(tcp_rx_drop_paws)                                                        \
    X(tcp_rx_drop_noack)                                                       \
    X(tcp_rx_drop_backlog)                                                     \
    X(tcp_rx_drop_unaccepted)                                                  \
    X(tcp_rx_drop_ooo)                                                         \
    X(tcp_rx_drop_window)                                                      \
    X(tcp_rx_drop_after_close)                                                 \
    X(tcp_rx_syn_data)                                                         \
    X(tcp_rx_urgent)                                                           \
    X(tcp_rx_ooo)                                                              \
    X(tcp_rx_dup)                                                              \
    X(tcp_rx_rst)                                                              \
    X(tcp_challenge_acks)                                                      \
    X(tcp_challenge_acks_limited)                                              \
    X(tcp_rst_limited)                                                         \
    X(tcp_syn_evicted)                                                         \
    X(tcp_synack_timeouts)                                                     \
    X(tcp_accept_timeouts)                                                     \
    X(tcp_tw_recycled)                                                         \
    X(tcp_fast_retransmits)                                                    \
    X(tcp_partial_acks)                                                        \
    X(tcp_rto_timeouts)                                                        \
    X(tcp_persist_probes)                                                      \
    X(tcp_keepalive_probes)                                                    \
    X(tcp_timeout_aborts)                                                      \
    X(tcp_tx_drop_nobuf)
#else
#define MAMORI_STATS_TCP(X)
#endif

#endif
