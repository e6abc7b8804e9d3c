/* A test port that records every frame the stack sends and hands it frames
 * queued by the test, with deterministic entropy. */
#ifndef MAMORI_TEST_CAPTURE_PORT_H
#define MAMORI_TEST_CAPTURE_PORT_H

#include <stddef.h>
#include <stdint.h>

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

/* Builders for test frames (checksums filled in). They return the frame length. */
size_t build_ip4(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint8_t proto, uint16_t id, uint16_t frag, const uint8_t *payload, size_t len);
size_t build_udp(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint16_t sport, uint16_t dport, const uint8_t *data, size_t len);
size_t build_ping(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                  uint16_t ident, uint16_t seq, const uint8_t *data, size_t len);
size_t build_arp(uint8_t *out, uint16_t op, const uint8_t src_mac[6], uint32_t sip, const uint8_t tmac[6],
                 uint32_t tip);
uint16_t test_csum(const uint8_t *p, size_t len, uint32_t sum);

#endif
