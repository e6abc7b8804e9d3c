/*
 * The loop that moves bytes between a mamori_tls_t engine and a byte-stream
 * transport, shared by TLS over a file descriptor (tls_fd.c) and over a
 * mamori BSD-style socket (tls_socket.c). The transport is three callbacks;
 * every call runs until its deadline (mamori_posix_now_ms() clock).
 */
#ifndef MAMORI_POSIX_TLS_IO_H
#define MAMORI_POSIX_TLS_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/tls.h"

typedef struct {
    /* Move up to len bytes without blocking: bytes moved (> 0), 0 at end of
     * stream (read), MAMORI_ERR_WOULDBLOCK, or another mamori error. */
    int (*read)(void *ctx, void *buf, size_t len);
    int (*write)(void *ctx, const void *buf, size_t len);
    /* Waits up to wait_ms (-1: no limit) for the transport to become
     * readable (or writable). Returns 0 to retry, MAMORI_ERR_WOULDBLOCK if
     * the transport must not block (non-blocking mode), or an error. */
    int (*wait)(void *ctx, bool for_write, int32_t wait_ms);
    void *ctx;
    uint32_t deadline;
    bool forever; /* no deadline */
} mamori_tls_io_t;

/* Each returns MAMORI_ERR_TIMEOUT past the deadline and passes on
 * MAMORI_ERR_WOULDBLOCK from wait(). */

/* Runs the handshake to completion: 0 or an error. */
int mamori_tls_io_handshake(mamori_tls_t *t, mamori_tls_io_t *io);
/* Bytes read (> 0), 0 at close_notify, or an error. */
int mamori_tls_io_read(mamori_tls_t *t, mamori_tls_io_t *io, void *buf, size_t len);
/* Queues and sends len bytes: returns len, or the bytes queued before
 * MAMORI_ERR_WOULDBLOCK (if any; they go out with the next call), or an
 * error. */
int mamori_tls_io_write(mamori_tls_t *t, mamori_tls_io_t *io, const void *buf, size_t len);
/* Sends what the engine has queued: 0 or an error. */
int mamori_tls_io_flush(mamori_tls_t *t, mamori_tls_io_t *io);
/* Sends close_notify (RFC 8446 §6.1): 0 or an error; safe to call again
 * after MAMORI_ERR_WOULDBLOCK. */
int mamori_tls_io_close(mamori_tls_t *t, mamori_tls_io_t *io);

#endif
