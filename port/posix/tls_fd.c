/* TLS over a file descriptor: the engine's send/receive buffers driven by
 * poll(2), read(2) and write(2). */
#define _POSIX_C_SOURCE 200809L
#include "tls_fd.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "clock.h"
#include "mamori/error.h"

static int wait_fd(int fd, short events, uint32_t deadline)
{
    for (;;) {
        int32_t left = (int32_t)(deadline - mamori_posix_now_ms());
        struct pollfd p = {.fd = fd, .events = events};
        int r;
        if (left <= 0)
            return MAMORI_ERR_TIMEOUT;
        r = poll(&p, 1, left);
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return MAMORI_ERR_IO;
    }
}

static int flush(mamori_tls_t *t, int fd, uint32_t deadline)
{
    for (;;) {
        size_t n;
        const uint8_t *out = mamori_tls_send_buf(t, &n);
        ssize_t w;
        int err;
        if (n == 0)
            return 0;
        if ((err = wait_fd(fd, POLLOUT, deadline)) != 0)
            return err;
        w = write(fd, out, n);
        if (w < 0 && errno != EINTR && errno != EAGAIN)
            return MAMORI_ERR_IO;
        if (w > 0)
            mamori_tls_send_done(t, (size_t)w);
    }
}

/* One read from fd into the engine (after sending what it queued). */
static int fill(mamori_tls_t *t, int fd, uint32_t deadline)
{
    size_t cap;
    uint8_t *in;
    ssize_t r;
    int err = flush(t, fd, deadline);
    if (err)
        return err;
    in = mamori_tls_recv_buf(t, &cap);
    if (cap == 0)
        return mamori_tls_state(t) == MAMORI_TLS_ST_FAILED ? MAMORI_ERR_TLS_PROTOCOL : 0;
    if ((err = wait_fd(fd, POLLIN, deadline)) != 0)
        return err;
    r = read(fd, in, cap);
    if (r < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : MAMORI_ERR_IO;
    err = mamori_tls_recv_done(t, (size_t)r);
    /* Send the alert a failure queued before reporting it. */
    if (err)
        flush(t, fd, deadline);
    return err;
}

int mamori_tls_fd_handshake(mamori_tls_t *t, int fd, uint32_t timeout_ms)
{
    uint32_t deadline = mamori_posix_now_ms() + timeout_ms;
    int err = 0;
    mamori_tls_tick(t, mamori_posix_now_ms());
    while (err == 0 && mamori_tls_state(t) == MAMORI_TLS_ST_HANDSHAKE) {
        err = fill(t, fd, deadline);
        if (err == 0)
            err = mamori_tls_tick(t, mamori_posix_now_ms());
    }
    if (err == 0 && mamori_tls_state(t) != MAMORI_TLS_ST_OPEN)
        err = MAMORI_ERR_TLS_HANDSHAKE;
    if (err == 0)
        err = flush(t, fd, deadline);
    else
        flush(t, fd, deadline);
    return err;
}

int mamori_tls_fd_read(mamori_tls_t *t, int fd, void *buf, size_t len, uint32_t timeout_ms)
{
    uint32_t deadline = mamori_posix_now_ms() + timeout_ms;
    for (;;) {
        int n = mamori_tls_read(t, buf, len), err;
        if (n >= 0 || n == MAMORI_ERR_TLS_CLOSED)
            return n > 0 ? n : 0;
        if (n != MAMORI_ERR_WOULDBLOCK)
            return n;
        if ((err = fill(t, fd, deadline)) != 0)
            return err;
    }
}

int mamori_tls_fd_write(mamori_tls_t *t, int fd, const void *buf, size_t len, uint32_t timeout_ms)
{
    uint32_t deadline = mamori_posix_now_ms() + timeout_ms;
    const uint8_t *p = buf;
    while (len > 0) {
        int n = mamori_tls_write(t, p, len), err;
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n != MAMORI_ERR_WOULDBLOCK)
            return n;
        if ((err = flush(t, fd, deadline)) != 0)
            return err;
        /* Output drained: writing can only block outside the open state. */
        if (mamori_tls_state(t) != MAMORI_TLS_ST_OPEN)
            return MAMORI_ERR_STATE;
    }
    return flush(t, fd, deadline);
}

int mamori_tls_fd_flush(mamori_tls_t *t, int fd, uint32_t timeout_ms)
{
    return flush(t, fd, mamori_posix_now_ms() + timeout_ms);
}

int mamori_tls_fd_close(mamori_tls_t *t, int fd, uint32_t timeout_ms)
{
    uint32_t deadline = mamori_posix_now_ms() + timeout_ms;
    int err = flush(t, fd, deadline);
    if (err == 0)
        err = mamori_tls_close(t);
    if (err == 0)
        err = flush(t, fd, deadline);
    return err;
}
