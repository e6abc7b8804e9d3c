/* TCP compile-time options (see config.h for how to override). */
#ifndef MAMORI_CONFIG_TCP_H
#define MAMORI_CONFIG_TCP_H

#ifndef MAMORI_TCP
#define MAMORI_TCP 1
#endif
#ifndef MAMORI_TCP_BACKLOG /* SYN cache entries per listener (half-open plus not yet accepted) */
#define MAMORI_TCP_BACKLOG 8
#endif
#ifndef MAMORI_TCP_SYN_COOKIES /* RFC 4987 §3.6 SYN cookies once a listener's SYN cache is full */
#define MAMORI_TCP_SYN_COOKIES 1
#endif
#ifndef MAMORI_TCP_TIMEWAIT_SLOTS /* compact TIME-WAIT records; the oldest is recycled when full */
#define MAMORI_TCP_TIMEWAIT_SLOTS 8
#endif
#ifndef MAMORI_TCP_OOO_RANGES /* out-of-order byte ranges held per connection */
#define MAMORI_TCP_OOO_RANGES 4
#endif
#ifndef MAMORI_TCP_WINDOW_SCALE /* RFC 7323 window scaling */
#define MAMORI_TCP_WINDOW_SCALE 1
#endif
#ifndef MAMORI_TCP_TIMESTAMPS /* RFC 7323 timestamps (RTT measurement and PAWS) */
#define MAMORI_TCP_TIMESTAMPS 1
#endif
/* RFC 2018 selective acknowledgments with RFC 6675 loss recovery. Costs about
 * 1.6 KB of code and 4 + 8 * MAMORI_TCP_SACK_RANGES bytes per connection on a
 * Cortex-M4 (docs/footprint.md); 0 removes all of it. */
#ifndef MAMORI_TCP_SACK
#define MAMORI_TCP_SACK 1
#endif
#ifndef MAMORI_TCP_SACK_RANGES /* SACKed ranges the sender remembers per connection (8 B each) */
#define MAMORI_TCP_SACK_RANGES 4
#endif
#ifndef MAMORI_TCP_MSL_MS /* maximum segment lifetime; TIME-WAIT lasts 2 MSL */
#define MAMORI_TCP_MSL_MS 30000u
#endif
#ifndef MAMORI_TCP_RTO_INIT_MS /* RFC 6298 (2.1) */
#define MAMORI_TCP_RTO_INIT_MS 1000u
#endif
#ifndef MAMORI_TCP_RTO_MIN_MS /* RFC 6298 (2.4) says 1 s; RFC 8961 permits less (Linux: 200 ms) */
#define MAMORI_TCP_RTO_MIN_MS 200u
#endif
#ifndef MAMORI_TCP_RTO_MAX_MS
#define MAMORI_TCP_RTO_MAX_MS 60000u
#endif
#ifndef MAMORI_TCP_CONNECT_TIMEOUT_MS /* active open gives up after this */
#define MAMORI_TCP_CONNECT_TIMEOUT_MS 20000u
#endif
#ifndef MAMORI_TCP_SYNACK_RETRIES /* SYN-ACK retransmissions before a half-open entry is dropped */
#define MAMORI_TCP_SYNACK_RETRIES 4
#endif
#ifndef MAMORI_TCP_ACCEPT_TIMEOUT_MS /* a completed handshake not accepted by then is reset */
#define MAMORI_TCP_ACCEPT_TIMEOUT_MS 10000u
#endif
#ifndef MAMORI_TCP_USER_TIMEOUT_MS /* unacknowledged data older than this aborts (RFC 9293 §3.8.3) */
#define MAMORI_TCP_USER_TIMEOUT_MS 60000u
#endif
#ifndef MAMORI_TCP_MAX_RETRIES /* retransmissions of one segment before giving up */
#define MAMORI_TCP_MAX_RETRIES 12
#endif
#ifndef MAMORI_TCP_FIN_WAIT2_MS /* FIN-WAIT-2 after mamori_tcp_close() ends after this */
#define MAMORI_TCP_FIN_WAIT2_MS 30000u
#endif
#ifndef MAMORI_TCP_DELACK_MS /* delayed ACK (RFC 1122 §4.2.3.2; at most 200 ms) */
#define MAMORI_TCP_DELACK_MS 40u
#endif
#ifndef MAMORI_TCP_PERSIST_MAX_MS /* longest interval between zero-window probes */
#define MAMORI_TCP_PERSIST_MAX_MS 60000u
#endif
#ifndef MAMORI_TCP_KEEPALIVE /* RFC 1122 §4.2.3.6 keepalive, off by default (per connection too) */
#define MAMORI_TCP_KEEPALIVE 0
#endif
#ifndef MAMORI_TCP_KEEPIDLE_MS
#define MAMORI_TCP_KEEPIDLE_MS 7200000u
#endif
#ifndef MAMORI_TCP_KEEPINTVL_MS
#define MAMORI_TCP_KEEPINTVL_MS 75000u
#endif
#ifndef MAMORI_TCP_KEEPCNT
#define MAMORI_TCP_KEEPCNT 9
#endif
#ifndef MAMORI_TCP_IDLE_TIMEOUT_MS /* abort a connection idle this long; 0 = never */
#define MAMORI_TCP_IDLE_TIMEOUT_MS 0u
#endif
#ifndef MAMORI_TCP_RST_CLOSED /* answer segments to closed ports with RST (runtime switch too) */
#define MAMORI_TCP_RST_CLOSED 1
#endif
#ifndef MAMORI_TCP_RST_RATE_PPS /* token bucket for those RSTs */
#define MAMORI_TCP_RST_RATE_PPS 100u
#endif
#ifndef MAMORI_TCP_RST_BURST
#define MAMORI_TCP_RST_BURST 20u
#endif
#ifndef MAMORI_TCP_CHALLENGE_ACK_PPS /* RFC 5961 §7 challenge ACKs, per connection */
#define MAMORI_TCP_CHALLENGE_ACK_PPS 10u
#endif
#ifndef MAMORI_TCP_CHALLENGE_ACK_BURST
#define MAMORI_TCP_CHALLENGE_ACK_BURST 5u
#endif

#endif
