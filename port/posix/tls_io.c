/* The engine's send/receive buffers driven through a transport's read,
 * write and wait callbacks (see tls_io.h). */
#include "tls_io.h"

#include <limits.h>

#include "clock.h"
#include "mamori/error.h"

static int wait_io(mamori_tls_io_t *io, bool for_write)
{
    int32_t left = -1;
    if (!io->forever) {
        left = (int32_t)(io->deadline - mamori_posix_now_ms());
        if (left <= 0)
            return MAMORI_ERR_TIMEOUT;
    }
    return io->wait(io->ctx, for_write, left);
}

int mamori_tls_io_flush(mamori_tls_t *t, mamori_tls_io_t *io)
{
    for (;;) {
        size_t n;
        const uint8_t *out = mamori_tls_send_buf(t, &n);
        int w, err;
        if (n == 0)
            return 0;
        w = io->write(io->ctx, out, n);
        if (w > 0)
            mamori_tls_send_done(t, (size_t)w);
        else if (w != MAMORI_ERR_WOULDBLOCK)
            return w < 0 ? w : MAMORI_ERR_IO;
        else if ((err = wait_io(io, true)) != 0)
            return err;
    }
}

/* One read from the transport into the engine, after sending what it
 * queued (all of it, unless the transport would block). */
static int fill(mamori_tls_t *t, mamori_tls_io_t *io)
{
    size_t cap;
    uint8_t *in;
    int r, err = mamori_tls_io_flush(t, io);
    if (err && err != MAMORI_ERR_WOULDBLOCK)
        return err;
    in = mamori_tls_recv_buf(t, &cap);
    if (cap == 0)
        return mamori_tls_state(t) == MAMORI_TLS_ST_FAILED ? MAMORI_ERR_TLS_PROTOCOL : err;
    while ((r = io->read(io->ctx, in, cap)) == MAMORI_ERR_WOULDBLOCK) {
        if ((err = wait_io(io, false)) != 0)
            return err;
    }
    if (r < 0)
        return r;
    err = mamori_tls_recv_done(t, (size_t)r);
    /* Send the alert a failure queued before reporting it. */
    if (err)
        mamori_tls_io_flush(t, io);
    return err;
}

int mamori_tls_io_handshake(mamori_tls_t *t, mamori_tls_io_t *io)
{
    int err = mamori_tls_tick(t, mamori_posix_now_ms()), ferr;
    while (err == 0 && mamori_tls_state(t) == MAMORI_TLS_ST_HANDSHAKE) {
        err = fill(t, io);
        if (err == 0)
            err = mamori_tls_tick(t, mamori_posix_now_ms());
    }
    if (err == 0 && mamori_tls_state(t) != MAMORI_TLS_ST_OPEN)
        err = MAMORI_ERR_TLS_HANDSHAKE;
    /* Our Finished, or the alert of a failure. */
    ferr = mamori_tls_io_flush(t, io);
    return err ? err : ferr;
}

int mamori_tls_io_read(mamori_tls_t *t, mamori_tls_io_t *io, void *buf, size_t len)
{
    if (len > INT_MAX)
        len = INT_MAX;
    for (;;) {
        int n = mamori_tls_read(t, buf, len), err;
        if (n >= 0 || n == MAMORI_ERR_TLS_CLOSED)
            return n > 0 ? n : 0;
        if (n != MAMORI_ERR_WOULDBLOCK)
            return n;
        if ((err = fill(t, io)) != 0)
            return err;
    }
}

int mamori_tls_io_write(mamori_tls_t *t, mamori_tls_io_t *io, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    size_t done = 0;
    int err;
    if (len > INT_MAX)
        len = INT_MAX;
    while (done < len) {
        int n = mamori_tls_write(t, p + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n != MAMORI_ERR_WOULDBLOCK)
            return n;
        if ((err = mamori_tls_io_flush(t, io)) != 0)
            return err == MAMORI_ERR_WOULDBLOCK && done ? (int)done : err;
        /* Output drained: writing can only block outside the open state. */
        if (mamori_tls_state(t) != MAMORI_TLS_ST_OPEN)
            return MAMORI_ERR_STATE;
    }
    err = mamori_tls_io_flush(t, io);
    return err == 0 || err == MAMORI_ERR_WOULDBLOCK ? (int)done : err;
}

int mamori_tls_io_close(mamori_tls_t *t, mamori_tls_io_t *io)
{
    int err = mamori_tls_io_flush(t, io);
    if (err == 0)
        err = mamori_tls_close(t);
    if (err == 0)
        err = mamori_tls_io_flush(t, io);
    return err;
}
