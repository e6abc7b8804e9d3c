/*
 * TCP (RFC 9293) with the native non-blocking API.
 *
 * Connections and their buffers belong to the caller (no pool inside the
 * stack): mamori_tcp_open() binds a connection object to a receive and a
 * send ring. Unacknowledged data is retransmitted from the send ring, out-of-
 * order data waits in the receive ring, so the stack's frame pool is only
 * used transiently. Events are reported through one callback per connection:
 *
 *   MAMORI_TCP_EV_CONNECTED  an active open completed
 *   MAMORI_TCP_EV_READABLE   data (or the peer's FIN: recv returns 0) arrived
 *   MAMORI_TCP_EV_WRITABLE   send space freed after a send that was refused,
 *                            short, or filled the send ring
 *   MAMORI_TCP_EV_ERROR      the connection was aborted (err: CONNRESET,
 *                            CONNREFUSED, TIMEOUT); it is released
 *   MAMORI_TCP_EV_CLOSED     the connection ended gracefully; it is released
 *
 * A released connection (mamori_tcp_state() == MAMORI_TCP_CLOSED) is no
 * longer referenced by the stack: its memory and buffers may be reused.
 * TIME-WAIT is kept in small records inside the stack, so a connection object
 * is released as soon as its own work is done.
 *
 * Timers started by an API call count from the time of the stack's last
 * mamori_poll(): call the API from event callbacks or right after a poll.
 *
 * A listener keeps a bounded SYN cache (MAMORI_TCP_BACKLOG entries): half-open
 * connections cost one entry and no connection object until the handshake
 * completes and the application calls mamori_tcp_accept(). When the cache is
 * full, SYNs are answered with SYN cookies (MAMORI_TCP_SYN_COOKIES), which
 * keep no state; such a connection has no window scaling, timestamps or SACK.
 */
#ifndef MAMORI_TCP_H
#define MAMORI_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/net.h"

typedef enum {
    MAMORI_TCP_CLOSED = 0,
    MAMORI_TCP_SYN_SENT,
    MAMORI_TCP_SYN_RECEIVED,
    MAMORI_TCP_ESTABLISHED,
    MAMORI_TCP_FIN_WAIT_1,
    MAMORI_TCP_FIN_WAIT_2,
    MAMORI_TCP_CLOSE_WAIT,
    MAMORI_TCP_CLOSING,
    MAMORI_TCP_LAST_ACK,
    MAMORI_TCP_TIME_WAIT,
} mamori_tcp_state_id_t;

typedef enum {
    MAMORI_TCP_EV_CONNECTED,
    MAMORI_TCP_EV_READABLE,
    MAMORI_TCP_EV_WRITABLE,
    MAMORI_TCP_EV_ERROR,
    MAMORI_TCP_EV_CLOSED,
} mamori_tcp_event_t;

typedef struct mamori_tcp mamori_tcp_t;
typedef struct mamori_tcp_listener mamori_tcp_listener_t;
typedef void (*mamori_tcp_cb)(mamori_tcp_t *conn, mamori_tcp_event_t ev, int err, void *user);
/* A handshake completed on the listener: call mamori_tcp_accept(). */
typedef void (*mamori_tcp_accept_cb)(mamori_tcp_listener_t *l, void *user);

/* Timer slots of a connection. */
enum { MAMORI_TCP_T_RTX, MAMORI_TCP_T_DELACK, MAMORI_TCP_T_KEEP, MAMORI_TCP_T_STATE, MAMORI_TCP_T_COUNT };

typedef struct {
    uint32_t start, end; /* sequence numbers, end exclusive */
} mamori_tcp_range_t;

/* A connection. Fields are private to mamori. */
struct mamori_tcp {
    mamori_tcp_t *next;
    mamori_stack_t *stack;
    mamori_tcp_cb cb;
    void *user;
    uint32_t remote_ip;
    uint16_t local_port, remote_port;
    uint8_t state;
    uint8_t events;    /* pending callback events, bit per mamori_tcp_event_t */
    uint16_t flags;
    int16_t err;       /* reason for MAMORI_TCP_EV_ERROR */
    uint16_t mss;      /* payload bytes per segment we send (options excluded) */
    uint16_t rcv_mss;  /* the MSS we announced */
    uint8_t snd_wscale, rcv_wscale;
    uint8_t retries;   /* consecutive retransmission timeouts or probes */
    uint8_t dupacks;
    uint8_t ooo_count;
#if MAMORI_TCP_SACK
    uint8_t sacked_count;
#endif
    /* send sequence space (RFC 9293 §3.3.1) */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, max_sndwnd;
    uint32_t cwnd, ssthresh, recover, bytes_acked;
    /* RFC 6298 estimator: srtt x 8, rttvar x 4, all in ms */
    uint32_t srtt, rttvar, rto, rtt_seq, rtt_start;
    uint32_t rtx_since; /* when the oldest unacknowledged data was first retransmitted */
    /* receive sequence space */
    uint32_t irs, rcv_nxt, rcv_adv, rcv_unacked;
    uint32_t ts_recent, last_rx;
    /* per-connection settings */
    uint32_t user_timeout, idle_timeout, keep_idle, keep_intvl;
    uint8_t keep_cnt, keep_probes;
    uint8_t timers_armed; /* bit per MAMORI_TCP_T_* */
    uint32_t timer[MAMORI_TCP_T_COUNT];
    mamori_bucket_t challenge;
    /* caller's rings: rx holds in-order data from rx_head, then out-of-order data */
    uint8_t *rx, *tx;
    size_t rx_cap, rx_head, rx_len;
    size_t tx_cap, tx_head, tx_len; /* tx_head is the byte at snd_una */
    mamori_tcp_range_t ooo[MAMORI_TCP_OOO_RANGES]; /* most recently changed first (RFC 2018 §4) */
#if MAMORI_TCP_SACK
    /* RFC 6675 scoreboard: SACKed ranges above snd_una in ascending order,
     * and HighRxt, the end of the highest retransmission of this recovery */
    mamori_tcp_range_t sacked[MAMORI_TCP_SACK_RANGES];
    uint32_t high_rxt;
#endif
};

/* A SYN cache entry: a half-open or completed, not yet accepted connection. */
typedef struct {
    uint32_t remote_ip, iss, irs, ts_recent, deadline;
    uint16_t remote_port, peer_mss;
    uint8_t used, complete, retries, peer_wscale; /* peer_wscale 0xff: no scaling */
    uint8_t ts_ok, sack_ok;
    uint16_t peer_wnd;
} mamori_tcp_syn_t;

struct mamori_tcp_listener {
    mamori_tcp_listener_t *next;
    mamori_stack_t *stack;
    uint16_t port;
    uint8_t backlog;
    mamori_tcp_accept_cb cb;
    void *user;
    mamori_tcp_syn_t syn[MAMORI_TCP_BACKLOG];
};

typedef struct {
    uint32_t remote_ip, snd_nxt, rcv_nxt, ts_recent, deadline;
    uint16_t local_port, remote_port;
    uint8_t used, ts_ok;
} mamori_tcp_tw_t;

/* The TCP state of a stack (embedded as stack->tcp). */
typedef struct {
    mamori_tcp_t *conns;
    mamori_tcp_listener_t *listeners;
    mamori_tcp_tw_t tw[MAMORI_TCP_TIMEWAIT_SLOTS];
    uint8_t isn_key[32]; /* RFC 6528 secret, drawn from the DRBG on first use */
    bool ready;
    bool rst_closed;
    mamori_bucket_t rst_bucket;
#if MAMORI_TCP_SYN_COOKIES
    uint8_t cookie_key[16]; /* SYN cookie MAC key, drawn from the DRBG on first use */
    uint32_t cookie_sent;   /* when the last cookie went out */
#endif
} mamori_tcp_state_t;

/* Prepares conn with the caller's receive and send rings (each at least 64
 * bytes; the receive ring bounds the advertised window). */
int mamori_tcp_open(mamori_stack_t *s, mamori_tcp_t *conn, void *rxbuf, size_t rxlen, void *txbuf, size_t txlen);
void mamori_tcp_set_callback(mamori_tcp_t *conn, mamori_tcp_cb cb, void *user);
/* Optional local port before connect (0 or no call: random ephemeral, RFC 6056). */
int mamori_tcp_bind(mamori_tcp_t *conn, uint16_t port);
/* Starts an active open; completion is reported by MAMORI_TCP_EV_CONNECTED
 * (or MAMORI_TCP_EV_ERROR with CONNREFUSED or TIMEOUT). */
int mamori_tcp_connect(mamori_tcp_t *conn, uint32_t dst, uint16_t port);

/* Listens on port with up to backlog (<= MAMORI_TCP_BACKLOG) SYN cache entries. */
int mamori_tcp_listen(mamori_stack_t *s, mamori_tcp_listener_t *l, uint16_t port, unsigned backlog);
void mamori_tcp_listener_set_callback(mamori_tcp_listener_t *l, mamori_tcp_accept_cb cb, void *user);
/* Takes the oldest completed handshake into conn (prepared by mamori_tcp_open);
 * MAMORI_ERR_WOULDBLOCK when none is waiting. */
int mamori_tcp_accept(mamori_tcp_listener_t *l, mamori_tcp_t *conn);
/* Stops listening; pending handshakes are reset. */
void mamori_tcp_unlisten(mamori_tcp_listener_t *l);

/* Queues up to len bytes; returns the count queued (may be short), or
 * MAMORI_ERR_WOULDBLOCK when the send ring is full (EV_WRITABLE follows),
 * MAMORI_ERR_NOTCONN, MAMORI_ERR_CLOSED after shutdown, or the error that
 * ended the connection. */
int mamori_tcp_send(mamori_tcp_t *conn, const void *data, size_t len);
/* Copies up to cap received bytes; returns the count, 0 at end of stream,
 * MAMORI_ERR_WOULDBLOCK when nothing is waiting, or an error. */
int mamori_tcp_recv(mamori_tcp_t *conn, void *buf, size_t cap);
size_t mamori_tcp_send_space(const mamori_tcp_t *conn);
size_t mamori_tcp_recv_avail(const mamori_tcp_t *conn);
/* True when every queued byte (and the FIN, after shutdown) was acknowledged. */
bool mamori_tcp_send_idle(const mamori_tcp_t *conn);
/* Half-close: a FIN follows the queued data; receiving continues. */
int mamori_tcp_shutdown(mamori_tcp_t *conn);
/* Graceful close: as shutdown, and the application will read no more (data
 * still arriving is answered with RST, RFC 1122 §4.2.2.13). The connection is
 * released later with MAMORI_TCP_EV_CLOSED or _ERROR, or at once if it was
 * never connected. Unread received data makes it an abort. */
int mamori_tcp_close(mamori_tcp_t *conn);
/* Sends RST (when connected) and releases conn at once, without events. */
void mamori_tcp_abort(mamori_tcp_t *conn);

mamori_tcp_state_id_t mamori_tcp_state(const mamori_tcp_t *conn);
const char *mamori_tcp_state_name(mamori_tcp_state_id_t st);
void mamori_tcp_remote(const mamori_tcp_t *conn, uint32_t *ip, uint16_t *port);
uint16_t mamori_tcp_local_port(const mamori_tcp_t *conn);

/* Per-connection options. */
void mamori_tcp_set_nodelay(mamori_tcp_t *conn, bool nodelay);
/* idle_ms 0 turns keepalive off. */
void mamori_tcp_set_keepalive(mamori_tcp_t *conn, uint32_t idle_ms, uint32_t intvl_ms, uint8_t count);
/* Abort when sent data stays unacknowledged this long (0: MAMORI_TCP_USER_TIMEOUT_MS). */
void mamori_tcp_set_user_timeout(mamori_tcp_t *conn, uint32_t ms);
/* Abort when nothing is received for this long (0: never). */
void mamori_tcp_set_idle_timeout(mamori_tcp_t *conn, uint32_t ms);

/* Stack-wide: answer segments for closed ports with (rate-limited) RSTs. */
void mamori_tcp_set_rst_closed(mamori_stack_t *s, bool enabled);

#endif
