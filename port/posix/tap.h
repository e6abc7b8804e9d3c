/*
 * Linux TAP driver: the stack exchanges Ethernet frames with the host kernel
 * through /dev/net/tun. A host loop looks like
 *
 *     mamori_tap_t tap;
 *     mamori_port_t port;
 *     mamori_tap_open(&tap, "tap0");
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

#include <stdint.h>

#define MAMORI_TAP_IFNAME_MAX 16 /* IFNAMSIZ, including the terminating NUL */

typedef struct {
    int fd;      /* the TAP queue, non-blocking */
    int wake_fd; /* eventfd behind mamori_tap_wake() */
    char ifname[MAMORI_TAP_IFNAME_MAX];
    uint32_t rx_oversize;   /* frames dropped because they exceeded the caller's buffer */
    uint32_t tx_wouldblock; /* frames dropped because the kernel queue was full */
} mamori_tap_t;

/* Attaches to the TAP device ifname, or creates it when absent (this needs
 * CAP_NET_ADMIN; a device created here disappears on close). The device is
 * not configured or brought up: that is the host's job (ip link set up).
 * Returns 0, MAMORI_ERR_INVAL for a bad name or MAMORI_ERR_IO. */
int mamori_tap_open(mamori_tap_t *tap, const char *ifname);

void mamori_tap_close(mamori_tap_t *tap);

/* Fills a port table bound to tap: frame I/O on the TAP, getrandom() entropy,
 * CLOCK_MONOTONIC milliseconds and a stderr log. tap must outlive the port. */
void mamori_tap_port(mamori_tap_t *tap, mamori_port_t *port);

/* Sleeps until a frame is waiting, timeout_ms passes (UINT32_MAX waits
 * forever), a signal arrives or mamori_tap_wake() is called. Returns 1 when a
 * frame is waiting, 0 otherwise (timeout, signal, wake-up) or MAMORI_ERR_IO. */
int mamori_tap_wait(mamori_tap_t *tap, uint32_t timeout_ms);

/* Makes a concurrent or later mamori_tap_wait() return at once; safe from any
 * thread (a hosted socket layer calls it after queueing work for the stack). */
void mamori_tap_wake(mamori_tap_t *tap);

#endif
