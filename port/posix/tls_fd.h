/*
 * TLS over a file descriptor for hosted use and tests: blocking helpers that
 * move bytes between a mamori_tls_t engine and a socket (or pipe) with
 * poll(2) and a deadline per call.
 */
#ifndef MAMORI_POSIX_TLS_FD_H
#define MAMORI_POSIX_TLS_FD_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/tls.h"

/* Runs the handshake to completion. Returns 0, MAMORI_ERR_TIMEOUT, or the
 * engine's error (mamori_tls_last_alert() tells which alert). */
int mamori_tls_fd_handshake(mamori_tls_t *t, int fd, uint32_t timeout_ms);
/* Reads application data: bytes read (> 0), 0 at close_notify, or an error. */
int mamori_tls_fd_read(mamori_tls_t *t, int fd, void *buf, size_t len, uint32_t timeout_ms);
/* Writes all len bytes (and sends them). Returns 0 or an error. */
int mamori_tls_fd_write(mamori_tls_t *t, int fd, const void *buf, size_t len, uint32_t timeout_ms);
/* Sends whatever the engine has queued (e.g. after mamori_tls_key_update). */
int mamori_tls_fd_flush(mamori_tls_t *t, int fd, uint32_t timeout_ms);
/* Sends close_notify and flushes it. */
int mamori_tls_fd_close(mamori_tls_t *t, int fd, uint32_t timeout_ms);

#endif
