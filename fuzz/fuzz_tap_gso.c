/*
 * libFuzzer harness: what a Linux TAP opened with IFF_VNET_HDR hands over,
 * into port/posix/tap_gso.c. The first two input bytes (big-endian) are the
 * capacity of the stack's frame buffer; then come reads from the TAP, each
 * a length (2 bytes, big-endian) and that many bytes: the virtio-net header,
 * then a frame or a TCP super-segment. Every frame the receive side yields
 * goes through the transmit side's coalescing, as the stack's own segments
 * would, and each super-segment built there is cut again by the receive
 * side, which must give back as many frames as were joined, each with its
 * original length and sequence number.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "posix/tap_gso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t in[MAMORI_VNET_HDR_LEN + MAMORI_GSO_FRAME_MAX];
static uint8_t frame[MAMORI_GSO_FRAME_MAX], seg[MAMORI_GSO_FRAME_MAX];
static mamori_gso_tx_t tx;
static uint8_t again[sizeof tx.buf];
/* The frames joined in tx: each brings a payload byte at least. */
static struct {
    size_t len;
    uint32_t seq;
} joined[MAMORI_GSO_FRAME_MAX];

/* The sequence number of an Ethernet + IPv4 + TCP frame that tap_gso.c
 * accepted as such. */
static uint32_t seq_of(const uint8_t *f)
{
    const uint8_t *p = f + 14 + (f[14] & 0x0f) * 4 + 4;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Finishes tx and cuts the result as the kernel would (with room for any
 * segment); a super-segment must come apart into the frames that built it. */
static void flush(void)
{
    if (tx.len == 0)
        return;
    uint32_t segments = tx.segments;
    size_t len = mamori_gso_tx_finish(&tx);
    if (len > sizeof again)
        __builtin_trap();
    memcpy(again, tx.buf, len);
    mamori_gso_tx_reset(&tx);
    mamori_gso_rx_t g;
    if (mamori_gso_rx_start(&g, again, len) != 0)
        __builtin_trap();
    int n;
    uint32_t i = 0;
    while ((n = mamori_gso_rx_next(&g, seg, sizeof seg)) > 0) {
        if (segments > 1 && (i >= segments || (size_t)n != joined[i].len || seq_of(seg) != joined[i].seq))
            __builtin_trap();
        i++;
    }
    if (n < 0 || (segments > 1 && i != segments))
        __builtin_trap();
}

static void transmit(const uint8_t *f, size_t len)
{
    if (!mamori_gso_tx_add(&tx, f, len)) {
        flush();
        if (!mamori_gso_tx_add(&tx, f, len))
            return; /* sent on its own */
    }
    joined[tx.segments - 1].len = len;
    joined[tx.segments - 1].seq = seq_of(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t cap = (size_t)data[0] << 8 | data[1];
    size_t pos = 2;
    mamori_gso_tx_reset(&tx);
    while (size - pos >= 2) {
        size_t len = (size_t)data[pos] << 8 | data[pos + 1];
        pos += 2;
        if (len > size - pos)
            len = size - pos;
        memcpy(in, data + pos, len); /* the receive side completes checksums in place */
        pos += len;
        mamori_gso_rx_t g;
        if (mamori_gso_rx_start(&g, in, len) != 0)
            continue;
        int n;
        while ((n = mamori_gso_rx_next(&g, frame, cap)) > 0) {
            if ((size_t)n > cap)
                __builtin_trap();
            transmit(frame, (size_t)n);
        }
    }
    flush();
    return 0;
}
