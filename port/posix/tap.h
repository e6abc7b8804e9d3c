/*
 * Linux TAP driver: the stack exchanges Ethernet frames with the host kernel
 * through /dev/net/tun. A host loop looks like
 *
 *     mamori_tap_t tap;
 *     mamori_port_t port;
 *     mamori_tap_open(&tap, "tap0", true);
 *     mamori_tap_port(&tap, &port);
 *     ... mamori_stack_init(&stack, &port, &config) ...
 *     while (!stop) {
 *         uint32_t next = mamori_poll(&stack, mamori_posix_now_ms());
 *         mamori_tap_wait(&tap, next);
 *     }
 *     mamori_tap_close(&tap);
 */
#ifndef MAMORI_POSIX_TAP_H
#define MAMORI_POSIX_TAP_H

#include "mamori/port.h"
#include "posix/tap_gso.h"
#include "posix/tap_impair.h"

#include <stdbool.h>
#include <stdint.h>

#define MAMORI_TAP_IFNAME_MAX 16 /* IFNAMSIZ, including the terminating NUL */

typedef struct {
    int fd;      /* the TAP queue, non-blocking */
    int wake_fd; /* eventfd behind mamori_tap_wake() */
    char ifname[MAMORI_TAP_IFNAME_MAX];
    bool offload; /* virtio headers: TCP segmentation and checksums offloaded */
    bool rx_more; /* the last read found a frame, so another may be waiting */
    uint32_t rx_oversize;   /* frames dropped because they exceeded the caller's buffer */
    uint32_t rx_malformed;  /* frames dropped for a bad virtio header or super-segment */
    uint32_t tx_wouldblock; /* frames dropped because the kernel queue was full */
    uint32_t tx_error;      /* held-back frames the kernel refused (offload only) */
    uint32_t tx_super;      /* super-segments written (offload only) */
    mamori_gso_rx_t rx;     /* the frame being handed out to the stack */
    uint8_t rx_buf[MAMORI_VNET_HDR_LEN + MAMORI_GSO_FRAME_MAX];
    mamori_gso_tx_t tx; /* the stack's TCP segments not yet written */
    mamori_tap_impair_t rx_impair; /* frames from the kernel (after segmentation) */
    mamori_tap_impair_t tx_impair; /* frames to the kernel (before coalescing) */
} mamori_tap_t;

/* Attaches to the TAP device ifname, or creates it when absent (this needs
 * CAP_NET_ADMIN; a device created here disappears on close). The device is
 * not configured or brought up: that is the host's job (ip link set up).
 * With offload, the kernel exchanges TCP super-segments of up to 64 KB and
 * leaves checksums to the driver (IFF_VNET_HDR, TUNSETOFFLOAD), one system
 * call for many frames; the driver segments and coalesces for the stack.
 * When the kernel refuses, the TAP is opened without (tap->offload tells).
 * Returns 0, MAMORI_ERR_INVAL for a bad name or MAMORI_ERR_IO. */
int mamori_tap_open(mamori_tap_t *tap, const char *ifname, bool offload);

void mamori_tap_close(mamori_tap_t *tap);

/* Impairs the link both ways with loss, duplication and reordering in
 * permille (tap_impair.h), for tests where the kernel cannot (no sch_netem);
 * each direction draws from its own sequence derived from seed. */
void mamori_tap_impair(mamori_tap_t *tap, unsigned loss, unsigned dup, unsigned reorder, uint64_t seed);

/* Fills a port table bound to tap: frame I/O on the TAP, getrandom() entropy,
 * CLOCK_MONOTONIC milliseconds and a stderr log. tap must outlive the port. */
void mamori_tap_port(mamori_tap_t *tap, mamori_port_t *port);

/* Writes the frames held back for coalescing, then sleeps until a frame is
 * waiting, timeout_ms passes (UINT32_MAX waits forever), a signal arrives or
 * mamori_tap_wake() is called; returns at once while the last read's frames
 * remain or the last read found one. With impairment, it also writes a held
 * frame whose time has come and wakes when a held one is due. Returns 1 when a frame is (or may be)
 * waiting, 0 otherwise (timeout, signal, wake-up) or MAMORI_ERR_IO. */
int mamori_tap_wait(mamori_tap_t *tap, uint32_t timeout_ms);

/* Makes a concurrent or later mamori_tap_wait() return at once; safe from any
 * thread (a hosted socket layer calls it after queueing work for the stack). */
void mamori_tap_wake(mamori_tap_t *tap);

#endif
