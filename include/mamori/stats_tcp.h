/* TCP counters, part of MAMORI_STATS_LIST (see stats.h). The first ten follow
 * the MIB-II tcp group (RFC 4022); tcp_curr_estab is a gauge. */
#ifndef MAMORI_STATS_TCP_H
#define MAMORI_STATS_TCP_H

#include "mamori/config_tcp.h"

/* Selective acknowledgments (RFC 2018, RFC 6675): blocks sent and accepted,
 * blocks ignored as invalid (outside SND.UNA..SND.MAX, empty or straddling
 * the cumulative ACK), ranges the full scoreboard could not keep, and loss
 * recoveries driven by the scoreboard. */
#if MAMORI_TCP && MAMORI_TCP_SACK
#define MAMORI_STATS_TCP_SACK(X)                                               \
    X(tcp_sack_tx_blocks)                                                      \
    X(tcp_sack_rx_blocks)                                                      \
    X(tcp_sack_rx_bad)                                                         \
    X(tcp_sack_board_full)                                                     \
    X(tcp_sack_recoveries)
#else
#define MAMORI_STATS_TCP_SACK(X)
#endif

/* SYN cookies (RFC 4987 §3.6): SYN-ACKs that carried a cookie, returning
 * ACKs that validated one, and ACKs that failed validation while cookies
 * were in use (wrong MAC, altered tuple or sequence, expired time slot). */
#if MAMORI_TCP && MAMORI_TCP_SYN_COOKIES
#define MAMORI_STATS_TCP_SYNCOOKIES(X)                                         \
    X(tcp_syncookies_sent)                                                     \
    X(tcp_syncookies_accepted)                                                 \
    X(tcp_syncookies_rejected)
#else
#define MAMORI_STATS_TCP_SYNCOOKIES(X)
#endif

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
    MAMORI_STATS_TCP_SYNCOOKIES(X)                                             \
    X(tcp_synack_timeouts)                                                     \
    X(tcp_accept_timeouts)                                                     \
    X(tcp_tw_recycled)                                                         \
    X(tcp_fast_retransmits)                                                    \
    X(tcp_partial_acks)                                                        \
    X(tcp_rto_timeouts)                                                        \
    X(tcp_persist_probes)                                                      \
    X(tcp_keepalive_probes)                                                    \
    X(tcp_timeout_aborts)                                                      \
    X(tcp_tx_drop_nobuf)                                                       \
    MAMORI_STATS_TCP_SACK(X)
#else
#define MAMORI_STATS_TCP(X)
#endif

#endif
