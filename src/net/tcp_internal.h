/* Interfaces between the TCP modules. Not part of the public API. */
#ifndef MAMORI_TCP_INTERNAL_H
#define MAMORI_TCP_INTERNAL_H

#include "mamori/tcp_wire.h"
#include "net/net_internal.h"

#if MAMORI_TCP

#define TCP_FIN MAMORI_TCP_F_FIN
#define TCP_SYN MAMORI_TCP_F_SYN
#define TCP_RST MAMORI_TCP_F_RST
#define TCP_PSH MAMORI_TCP_F_PSH
#define TCP_ACK MAMORI_TCP_F_ACK
#define TCP_URG MAMORI_TCP_F_URG
#define TCP_HDR_LEN 20
#define TCP_TS_OPT_LEN 12 /* NOP NOP kind len tsval tsecr */
#define TCP_MSS_MIN 64    /* smaller peer MSS values are raised to this */
#define TCP_NO_WSCALE 0xff
#define TCP_LISTEN_WSCALE 7 /* announced by listeners, which do not know the buffer yet */

/* Connection flags. */
#define TF_ACK_NOW 0x0001
#define TF_DELACK 0x0002
#define TF_SHUT_WR 0x0004
#define TF_FIN_SENT 0x0008
#define TF_RX_FIN 0x0010
#define TF_ORPHAN 0x0020
#define TF_NODELAY 0x0040
#define TF_RTT 0x0080
#define TF_RECOVERY 0x0100
#define TF_WS 0x0200
#define TF_TS 0x0400
#define TF_PERSIST 0x0800
#define TF_WANT_WRITE 0x1000
#define TF_KEEP_PROBE 0x2000
#define TF_SACK 0x4000 /* both ends sent SACK-permitted (RFC 2018 §2) */

/* Sequence number comparisons modulo 2^32 (RFC 9293 §3.4). */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

#define TCP_EV(ev) ((uint8_t)(1u << (ev)))

/* A parsed, checksum-verified segment. */
typedef struct {
    uint32_t src;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *data;
    uint32_t len;
    uint16_t mss;   /* 0: no option */
    uint8_t wscale; /* TCP_NO_WSCALE: no option */
    bool ts;
    uint32_t tsval, tsecr;
    bool sack_ok; /* SACK-permitted option */
#if MAMORI_TCP_SACK
    mamori_rd_t sack; /* the blocks of a SACK option, 8 bytes each; empty: none */
#endif
} tcp_seg_t;

/* Everything needed to emit one segment. */
typedef struct {
    uint32_t dst;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    uint16_t mss;   /* 0: no option */
    uint8_t wscale; /* TCP_NO_WSCALE: no option */
    bool ts;
    uint32_t tsval, tsecr;
    bool sack_ok;
#if MAMORI_TCP_SACK
    uint8_t sack_n; /* SACK blocks, taken from sack */
    const mamori_tcp_range_t *sack;
#endif
    const uint8_t *d1, *d2; /* payload in up to two pieces (a ring that wraps) */
    size_t n1, n2;
} tcp_tx_t;

/* tcp_out.c */
int mamori_tcp_emit(mamori_stack_t *s, const tcp_tx_t *t);
/* Sends len bytes of the send ring from seq (or a SYN/FIN) with our ACK and window. */
int mamori_tcp_send_seg(mamori_tcp_t *c, uint32_t seq, size_t len, uint8_t flags);
void mamori_tcp_send_ack(mamori_tcp_t *c);
/* Retransmits the first unacknowledged segment. */
void mamori_tcp_retransmit_first(mamori_tcp_t *c);
/* Retransmits up to n bytes from seq (with the FIN if they end the stream);
 * returns how many went. */
size_t mamori_tcp_retransmit(mamori_tcp_t *c, uint32_t seq, size_t n);
/* Sends whatever the windows, Nagle and pending ACKs allow. */
void mamori_tcp_output(mamori_tcp_t *c);
/* RST in answer to a segment that belongs to no connection (RFC 9293 §3.10.7.1). */
void mamori_tcp_reply_rst(mamori_stack_t *s, const tcp_seg_t *seg, bool rate_limited);

/* tcp.c */
void mamori_tcp_ready(mamori_stack_t *s);
uint32_t mamori_tcp_isn(mamori_stack_t *s, uint16_t lport, uint32_t rip, uint16_t rport);
void mamori_tcp_set_timer(mamori_tcp_t *c, unsigned which, uint32_t ms);
void mamori_tcp_clear_timer(mamori_tcp_t *c, unsigned which);
static inline bool mamori_tcp_timer_on(const mamori_tcp_t *c, unsigned which)
{
    return (c->timers_armed >> which) & 1u;
}
void mamori_tcp_set_state(mamori_tcp_t *c, uint8_t st);
/* Unlinks c and queues its final event. */
void mamori_tcp_release(mamori_tcp_t *c, mamori_tcp_event_t ev, int err);
/* Delivers queued events; c must not be touched afterwards. */
void mamori_tcp_notify(mamori_tcp_t *c);
void mamori_tcp_enter_timewait(mamori_tcp_t *c);
void mamori_tcp_rtt_sample(mamori_tcp_t *c, uint32_t rtt);
void mamori_tcp_rto_reset(mamori_tcp_t *c);
uint16_t mamori_tcp_mss_for(uint16_t peer_mss, bool ts);
uint32_t mamori_tcp_initial_cwnd(uint16_t mss);

/* tcp_sack.c: selective acknowledgments (RFC 2018) and the RFC 6675
 * scoreboard. Without MAMORI_TCP_SACK the hooks fold away. */
#define TCP_OPT_MAX 40                       /* option space of a header (RFC 9293 §3.1) */
#define TCP_SACK_OPT_LEN(n) (4u + 8u * (n)) /* NOP NOP kind len, then the blocks */
#if MAMORI_TCP_SACK
static inline bool mamori_tcp_sack_on(const mamori_tcp_t *c) { return (c->flags & TF_SACK) != 0; }
/* How many out-of-order ranges an ACK with room option bytes left reports. */
unsigned mamori_tcp_sack_blocks(const mamori_tcp_t *c, size_t room);
/* Takes the SACK blocks of an acceptable ACK into the scoreboard and drops
 * what the ACK covers; true when a block SACKed data not SACKed before. */
bool mamori_tcp_sack_input(mamori_tcp_t *c, const tcp_seg_t *seg);
/* Forgets the scoreboard (RFC 2018 §8: after a retransmission timeout). */
void mamori_tcp_sack_clear(mamori_tcp_t *c);
/* RFC 6675 IsLost(SND.UNA). */
bool mamori_tcp_sack_una_lost(const mamori_tcp_t *c);
/* RFC 6675 SetPipe: the estimate of the bytes still in the network. */
uint32_t mamori_tcp_sack_pipe(const mamori_tcp_t *c);
/* RFC 6675 NextSeg() rule 1 (lost holes), or rule 3 (any hole below the
 * highest SACKed byte) when any_hole: the next range to retransmit. */
bool mamori_tcp_sack_next(const mamori_tcp_t *c, bool any_hole, uint32_t *seq, uint32_t *len);
/* RFC 6675 §5 step (4): cwnd and HighRxt for a new recovery, and its first retransmission. */
void mamori_tcp_sack_enter(mamori_tcp_t *c);
/* RFC 6675 §5 (C): retransmits holes (NextSeg rule 1, or rule 3 when any_hole)
 * while cwnd - pipe leaves a segment. */
void mamori_tcp_sack_output(mamori_tcp_t *c, bool any_hole);
/* Go-back-N after a timeout resends only what is not SACKed: moves SND.NXT
 * past SACKed bytes and returns how many may follow before the next range. */
uint32_t mamori_tcp_sack_skip(mamori_tcp_t *c);
#else
static inline bool mamori_tcp_sack_on(const mamori_tcp_t *c) { return (void)c, false; }
static inline unsigned mamori_tcp_sack_blocks(const mamori_tcp_t *c, size_t room) { return (void)c, (void)room, 0; }
static inline bool mamori_tcp_sack_input(mamori_tcp_t *c, const tcp_seg_t *seg) { return (void)c, (void)seg, false; }
static inline void mamori_tcp_sack_clear(mamori_tcp_t *c) { (void)c; }
static inline bool mamori_tcp_sack_una_lost(const mamori_tcp_t *c) { return (void)c, false; }
static inline uint32_t mamori_tcp_sack_pipe(const mamori_tcp_t *c) { return (void)c, 0; }
static inline void mamori_tcp_sack_enter(mamori_tcp_t *c) { (void)c; }
static inline void mamori_tcp_sack_output(mamori_tcp_t *c, bool any_hole) { (void)c, (void)any_hole; }
static inline uint32_t mamori_tcp_sack_skip(mamori_tcp_t *c) { return (void)c, UINT32_MAX; }
#endif

/* tcp_syncookie.c: SYN cookies (RFC 4987 §3.6) for a full SYN cache. */
#if MAMORI_TCP_SYN_COOKIES
void mamori_tcp_syncookie_init(mamori_stack_t *s);
/* Answers seg's SYN with a SYN-ACK whose ISS is a cookie; keeps no state. */
void mamori_tcp_syncookie_send(mamori_stack_t *s, const mamori_tcp_listener_t *l, const tcp_seg_t *seg);
/* For an ACK matching no SYN cache entry: true, with e filled in, when it
 * returns a valid cookie; counts the rejects while cookies are in use. */
bool mamori_tcp_syncookie_check(mamori_stack_t *s, const mamori_tcp_listener_t *l, const tcp_seg_t *seg,
                                mamori_tcp_syn_t *e);
#endif

/* tcp_in.c */
void mamori_tcp_conn_input(mamori_tcp_t *c, tcp_seg_t *seg);
/* After accept(): lets the segment that completed the handshake carry data in. */
mamori_tcp_t *mamori_tcp_find(mamori_stack_t *s, uint32_t rip, uint16_t rport, uint16_t lport);

#endif /* MAMORI_TCP */

#endif
