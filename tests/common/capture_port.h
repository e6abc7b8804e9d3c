/* A test port that records every frame the stack sends and hands it frames
 * queued by the test, with deterministic entropy. */
#ifndef MAMORI_TEST_CAPTURE_PORT_H
#define MAMORI_TEST_CAPTURE_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/mamori.h"
#include "mamori/port.h"

#define CAPTURE_MAX_FRAMES 64
#define CAPTURE_FRAME_MAX 1600

typedef struct {
    uint8_t frame[CAPTURE_MAX_FRAMES][CAPTURE_FRAME_MAX];
    size_t len[CAPTURE_MAX_FRAMES];
    size_t count; /* frames sent by the stack */
    uint8_t rx[CAPTURE_MAX_FRAMES][CAPTURE_FRAME_MAX];
    size_t rx_len[CAPTURE_MAX_FRAMES];
    size_t rx_head, rx_count;
    uint64_t rng; /* xorshift state for entropy */
} capture_port_t;

void capture_port_init(capture_port_t *cp, mamori_port_t *port, uint64_t seed);
void capture_port_queue_rx(capture_port_t *cp, const uint8_t *frame, size_t len);
void capture_port_clear(capture_port_t *cp);
/* Starts stack at time now on a capture port (seed) with mac and ip/24, and
 * with the peer (peer_mac, peer_ip) in its ARP cache; then clears the
 * capture. Returns MAMORI_OK or the first error. */
int capture_stack_start(capture_port_t *cp, mamori_port_t *port, uint64_t seed, mamori_stack_t *stack,
                        uint32_t now, const uint8_t mac[6], uint32_t ip, const uint8_t peer_mac[6],
                        uint32_t peer_ip);
/* Polls stack from now through now + ms as its timers ask; returns the
 * new time. */
uint32_t capture_stack_advance(mamori_stack_t *stack, uint32_t now, uint32_t ms);

/* TCP header flags (RFC 9293 §3.1). */
#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10
#define F_URG 0x20

/* A TCP segment the stack sent. */
typedef struct {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags; /* 0xff: bad checksum */
    uint16_t wnd;
    size_t len; /* payload */
    const uint8_t *data;
    uint16_t mss; /* 0: no option */
    int wscale;   /* -1: no option */
    bool ts, sack_ok;
    unsigned nblocks; /* SACK blocks (RFC 2018 §3), the first four kept */
    uint32_t block[4][2];
} sent_tcp_t;

/* Frame i sent by the stack (negative: from the end) parsed as TCP; all
 * zero but wscale (-1) if there is no such TCP frame. */
sent_tcp_t capture_tcp(const capture_port_t *cp, int i);

/* Builders for test frames (checksums filled in). They return the frame length. */
size_t build_ip4(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint8_t proto, uint16_t id, uint16_t frag, const uint8_t *payload, size_t len);
size_t build_udp(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint16_t sport, uint16_t dport, const uint8_t *data, size_t len);
size_t build_ping(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                  uint16_t ident, uint16_t seq, const uint8_t *data, size_t len);
size_t build_arp(uint8_t *out, uint16_t op, const uint8_t src_mac[6], uint32_t sip, const uint8_t tmac[6],
                 uint32_t tip);
/* Fills in seg's TCP checksum and wraps it in an IPv4 frame (ID 1, DF). */
size_t build_tcp(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint8_t *seg, size_t len);
uint16_t test_csum(const uint8_t *p, size_t len, uint32_t sum);
/* The TCP checksum over seg with the pseudo-header of RFC 9293 §3.1: 0 for a
 * segment that carries a correct one. */
uint16_t tcp_csum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);

/* Big-endian field access. */
void test_put16(uint8_t *p, uint16_t v);
void test_put32(uint8_t *p, uint32_t v);
uint32_t test_get32(const uint8_t *p);

#endif
