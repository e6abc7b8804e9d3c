/*
 * TLS 1.3 over a mamori BSD-style socket (mamori/socket.h, hosted ports):
 * blocking calls in the manner of the socket API on a mamori_tls_t engine.
 *
 *   int s = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
 *   mamori_connect(s, &addr);                  // or s = mamori_accept(...)
 *   mamori_tls_init(&t, &cfg, rx, .., tx, .., hs, ..);
 *   mamori_tls_sock_connect(&t, s);            // server: mamori_tls_sock_accept
 *   mamori_tls_sock_write(&t, s, req, len);
 *   n = mamori_tls_sock_read(&t, s, buf, sizeof buf);
 *   mamori_tls_sock_close(&t, s);              // close_notify
 *   mamori_close(s);
 *
 * Every call honours the socket's options: SO_RCVTIMEO bounds a handshake
 * (never beyond MAMORI_TLS_HANDSHAKE_TIMEOUT_MS) and a read, SO_SNDTIMEO a
 * write, flush or close, each as a whole; MAMORI_ERR_TIMEOUT when it passes.
 * In non-blocking mode (SO_NONBLOCK) a call that cannot finish returns
 * MAMORI_ERR_WOULDBLOCK (a write: the bytes it took, if any); call it again
 * once mamori_poll_sockets() reports the socket ready. Output a call could
 * not send goes with the next call, or mamori_tls_sock_flush().
 *
 * Errors are negative mamori errors (mamori/error.h), not errno: a TLS
 * failure keeps its own code and mamori_tls_last_alert() tells the alert.
 */
#ifndef MAMORI_TLS_SOCKET_H
#define MAMORI_TLS_SOCKET_H

#include <stddef.h>

#include "mamori/tls.h"

/* Run the handshake on a connected (client) or accepted (server) socket;
 * the engine's role must match. Returns 0 or an error. */
int mamori_tls_sock_connect(mamori_tls_t *t, int sock);
int mamori_tls_sock_accept(mamori_tls_t *t, int sock);
/* Application data read: bytes (> 0), 0 once the peer sent close_notify,
 * or an error. */
int mamori_tls_sock_read(mamori_tls_t *t, int sock, void *buf, size_t len);
/* Writes len bytes (blocking mode: all of them, sent). Returns the count
 * taken or an error. */
int mamori_tls_sock_write(mamori_tls_t *t, int sock, const void *buf, size_t len);
/* Sends what the engine has queued (e.g. after mamori_tls_key_update). */
int mamori_tls_sock_flush(mamori_tls_t *t, int sock);
/* Sends close_notify; the socket stays open for mamori_close(). */
int mamori_tls_sock_close(mamori_tls_t *t, int sock);

#endif
