/* TLS over a mamori BSD-style socket (mamori/tls_socket.h): tls_io.c's loop
 * over mamori_recv/mamori_send with MSG_DONTWAIT and mamori_poll_sockets,
 * with deadlines and blocking mode taken from the socket's options. */
#include "mamori/tls_socket.h"

#include <errno.h>

#include "clock.h"
#include "mamori/error.h"
#include "mamori/socket.h"
#include "tls_io.h"

typedef struct {
    int sock;
    int nonblock;
} sock_ctx_t;

/* Socket errno back to a mamori error. */
static int sock_err(void)
{
    switch (errno) {
    case EAGAIN: return MAMORI_ERR_WOULDBLOCK;
    case ECONNRESET: return MAMORI_ERR_CONNRESET;
    case ENOTCONN: return MAMORI_ERR_NOTCONN;
    case EPIPE: return MAMORI_ERR_CLOSED;
    case ETIMEDOUT: return MAMORI_ERR_TIMEOUT;
    case EINVAL: return MAMORI_ERR_INVAL;
    default: return MAMORI_ERR_IO;
    }
}

static int sock_read(void *ctx, void *buf, size_t len)
{
    ssize_t n = mamori_recv(((sock_ctx_t *)ctx)->sock, buf, len, MAMORI_MSG_DONTWAIT);
    return n >= 0 ? (int)n : sock_err();
}

static int sock_write(void *ctx, const void *buf, size_t len)
{
    ssize_t n = mamori_send(((sock_ctx_t *)ctx)->sock, buf, len, MAMORI_MSG_DONTWAIT);
    return n > 0 ? (int)n : n == 0 ? MAMORI_ERR_WOULDBLOCK : sock_err();
}

static int sock_wait(void *ctx, bool for_write, int32_t wait_ms)
{
    sock_ctx_t *c = ctx;
    mamori_pollfd_t p = {.fd = c->sock, .events = for_write ? MAMORI_POLLOUT : MAMORI_POLLIN};
    if (c->nonblock)
        return MAMORI_ERR_WOULDBLOCK;
    /* Ready, error or hang-up alike: the next read or write tells which. */
    mamori_poll_sockets(&p, 1, wait_ms);
    return 0;
}

/* The transport for one call: deadline from SO_RCVTIMEO (reading) or
 * SO_SNDTIMEO (0 = none), capped at cap_ms when that is non-zero. */
static int sock_io(mamori_tls_io_t *io, sock_ctx_t *c, int sock, int timeo_opt, uint32_t cap_ms)
{
    uint32_t ms = 0;
    size_t len = sizeof c->nonblock;
    c->sock = sock;
    if (mamori_getsockopt(sock, MAMORI_SOL_SOCKET, MAMORI_SO_NONBLOCK, &c->nonblock, &len) != 0)
        return MAMORI_ERR_INVAL;
    len = sizeof ms;
    if (mamori_getsockopt(sock, MAMORI_SOL_SOCKET, timeo_opt, &ms, &len) != 0)
        return MAMORI_ERR_INVAL;
    if (cap_ms && (ms == 0 || ms > cap_ms))
        ms = cap_ms;
    io->read = sock_read;
    io->write = sock_write;
    io->wait = sock_wait;
    io->ctx = c;
    io->deadline = mamori_posix_now_ms() + ms;
    io->forever = ms == 0;
    return 0;
}

static int handshake(mamori_tls_t *t, int sock, int is_server)
{
    mamori_tls_io_t io;
    sock_ctx_t c;
    int err;
    if (t->cfg->is_server != is_server)
        return MAMORI_ERR_STATE;
    if ((err = sock_io(&io, &c, sock, MAMORI_SO_RCVTIMEO, MAMORI_TLS_HANDSHAKE_TIMEOUT_MS)) != 0)
        return err;
    return mamori_tls_io_handshake(t, &io);
}

int mamori_tls_sock_connect(mamori_tls_t *t, int sock) { return handshake(t, sock, 0); }

int mamori_tls_sock_accept(mamori_tls_t *t, int sock) { return handshake(t, sock, 1); }

int mamori_tls_sock_read(mamori_tls_t *t, int sock, void *buf, size_t len)
{
    mamori_tls_io_t io;
    sock_ctx_t c;
    int err = sock_io(&io, &c, sock, MAMORI_SO_RCVTIMEO, 0);
    return err ? err : mamori_tls_io_read(t, &io, buf, len);
}

int mamori_tls_sock_write(mamori_tls_t *t, int sock, const void *buf, size_t len)
{
    mamori_tls_io_t io;
    sock_ctx_t c;
    int err = sock_io(&io, &c, sock, MAMORI_SO_SNDTIMEO, 0);
    return err ? err : mamori_tls_io_write(t, &io, buf, len);
}

int mamori_tls_sock_flush(mamori_tls_t *t, int sock)
{
    mamori_tls_io_t io;
    sock_ctx_t c;
    int err = sock_io(&io, &c, sock, MAMORI_SO_SNDTIMEO, 0);
    return err ? err : mamori_tls_io_flush(t, &io);
}

int mamori_tls_sock_close(mamori_tls_t *t, int sock)
{
    mamori_tls_io_t io;
    sock_ctx_t c;
    int err = sock_io(&io, &c, sock, MAMORI_SO_SNDTIMEO, 0);
    return err ? err : mamori_tls_io_close(t, &io);
}
