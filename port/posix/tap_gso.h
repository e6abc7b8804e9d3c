/*
 * The virtio-net header that a Linux TAP opened with IFF_VNET_HDR puts in
 * front of every frame (virtio 1.2 §5.1.6 "struct virtio_net_hdr", legacy
 * 10-byte layout, little-endian). With TUNSETOFFLOAD the kernel then hands
 * over TCP super-segments of up to 64 KB and frames whose checksum it left
 * for the device to complete; this module turns those into the ordinary
 * MSS-sized, fully checksummed Ethernet frames the stack expects, and packs
 * runs of the stack's TCP segments into one super-segment for transmission
 * (a pure ACK is held back too, and replaced by a later one of its flow).
 */
#ifndef MAMORI_POSIX_TAP_GSO_H
#define MAMORI_POSIX_TAP_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAMORI_VNET_HDR_LEN 10
#define MAMORI_GSO_FRAME_MAX (14 + 65535) /* Ethernet header and the largest IPv4 packet */

/* One frame read from the TAP, handed out as one or more frames. */
typedef struct {
    const uint8_t *frame; /* after the virtio header */
    size_t len;
    size_t hdr_len;   /* Ethernet, IPv4 and TCP headers repeated in each segment */
    size_t mss;       /* payload bytes per segment; 0 for a plain frame */
    size_t off;       /* next payload byte of a super-segment; len when done */
    uint32_t segment; /* segments handed out so far */
} mamori_gso_rx_t;

/* Parses buf (virtio header, then the frame) as read from the TAP and
 * completes a checksum the kernel left partial, in place. Returns 0, or
 * MAMORI_ERR_MALFORMED / MAMORI_ERR_UNSUPPORTED (the frame is to be dropped);
 * g is then empty. */
int mamori_gso_rx_start(mamori_gso_rx_t *g, uint8_t *buf, size_t len);

/* Copies the next frame into out. Returns its length, 0 when g is empty, or
 * MAMORI_ERR_BUFSIZE when a segment does not fit in cap (g is then empty). */
int mamori_gso_rx_next(mamori_gso_rx_t *g, uint8_t *out, size_t cap);

/* A super-segment being assembled for transmission: the virtio header, the
 * first segment's headers and the payload of every segment appended. */
typedef struct {
    uint8_t buf[MAMORI_VNET_HDR_LEN + MAMORI_GSO_FRAME_MAX];
    size_t len;      /* bytes in buf, virtio header included; 0 when empty */
    bool ack;        /* buf holds a pure ACK, to be replaced by a later one */
    size_t hdr_len;  /* Ethernet, IPv4 and TCP header bytes (ACK: up to TCP) */
    size_t mss;      /* payload of the first segment */
    size_t last;     /* payload of the latest segment */
    uint32_t segments;
    uint32_t next_seq; /* sequence number the next segment must carry */
} mamori_gso_tx_t;

/* Appends one frame from the stack. Returns 1 when it joined (or started)
 * the super-segment or replaced the held ACK, 0 when it cannot: the caller
 * then flushes g (if not empty) and calls this again on the empty g, or
 * sends frame on its own when that fails too. */
int mamori_gso_tx_add(mamori_gso_tx_t *g, const uint8_t *frame, size_t len);

/* Finishes the super-segment for writing (virtio header, IPv4 length and
 * checksum, TCP checksum seed) and returns its length with the virtio
 * header; g must then be reset with mamori_gso_tx_reset() after the write. */
size_t mamori_gso_tx_finish(mamori_gso_tx_t *g);

void mamori_gso_tx_reset(mamori_gso_tx_t *g);

#endif
