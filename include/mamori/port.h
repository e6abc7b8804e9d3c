/*
 * What a port provides to a mamori stack: frame I/O, entropy, a clock and
 * optional hooks. The core never touches hardware or the OS except through
 * this table, so the same core runs on a microcontroller, on a Linux TAP
 * device and on the in-process virtual wire used by the simulation tests.
 */
#ifndef MAMORI_PORT_H
#define MAMORI_PORT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    MAMORI_LOG_ERROR = 1,
    MAMORI_LOG_WARN = 2,
    MAMORI_LOG_INFO = 3,
    MAMORI_LOG_DEBUG = 4,
} mamori_log_level_t;

typedef struct mamori_port {
    void *ctx; /* passed back to every function below */

    /* Transmits one Ethernet frame (destination MAC first, no FCS). Returns 0,
     * MAMORI_ERR_WOULDBLOCK when the driver's queue is full (the frame is
     * dropped and counted), or another negative error. */
    int (*send_frame)(void *ctx, const uint8_t *frame, size_t len);

    /* Copies the next received frame into buf. Returns its length, 0 when no
     * frame is waiting, or a negative error. Frames longer than cap are
     * dropped by the driver (and reported as MAMORI_ERR_BUFSIZE). */
    int (*recv_frame)(void *ctx, uint8_t *buf, size_t cap);

    /* Fills buf with len bytes from the hardware entropy source; returns 0 or
     * MAMORI_ERR_ENTROPY. Seeds the stack's DRBG. */
    int (*entropy)(void *ctx, void *buf, size_t len);

    /* Monotonic milliseconds. The core takes time only from mamori_poll();
     * this is for the hosted blocking socket layer and examples. */
    uint32_t (*now_ms)(void *ctx);

    /* Optional: receives log lines at or below MAMORI_LOG_LEVEL. */
    void (*log)(void *ctx, mamori_log_level_t level, const char *msg);

    /* Optional: asks the MAC to stop (block = 1) or resume receiving a
     * traffic class (a mamori_traffic_class_t) during a storm. */
    void (*rx_class_control)(void *ctx, int traffic_class, int block);

    /* Optional: a lock for the hosted socket layer (one stack, many threads). */
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);
} mamori_port_t;

#endif
