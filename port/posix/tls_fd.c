/* TLS over a file descriptor: tls_io.c's loop over poll(2), read(2) and
 * write(2). */
#define _POSIX_C_SOURCE 200809L
#include "tls_fd.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "clock.h"
#include "mamori/error.h"
#include "tls_io.h"

static int poll_fd(int fd, short events, int wait_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    int r = poll(&p, 1, wait_ms);
    if (r < 0 && errno != EINTR)
        return MAMORI_ERR_IO;
    return r > 0 ? 1 : 0;
}

/* read(2) or write(2), only once poll(2) says it will not block. */
static int fd_transfer(int fd, bool for_write, void *buf, size_t len)
{
    int r = poll_fd(fd, for_write ? POLLOUT : POLLIN, 0);
    ssize_t n;
    if (r <= 0)
        return r < 0 ? r : MAMORI_ERR_WOULDBLOCK;
    n = for_write ? write(fd, buf, len) : read(fd, buf, len);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? MAMORI_ERR_WOULDBLOCK : MAMORI_ERR_IO;
    return n > 0 || !for_write ? (int)n : MAMORI_ERR_WOULDBLOCK;
}

static int fd_read(void *ctx, void *buf, size_t len) { return fd_transfer(*(int *)ctx, false, buf, len); }

static int fd_write(void *ctx, const void *buf, size_t len)
{
    return fd_transfer(*(int *)ctx, true, (void *)(uintptr_t)buf, len);
}

static int fd_wait(void *ctx, bool for_write, int32_t wait_ms)
{
    int r = poll_fd(*(int *)ctx, for_write ? POLLOUT : POLLIN, (int)wait_ms);
    return r < 0 ? r : 0;
}

static mamori_tls_io_t fd_io(int *fd, uint32_t timeout_ms)
{
    mamori_tls_io_t io = {.read = fd_read, .write = fd_write, .wait = fd_wait, .ctx = fd,
                          .deadline = mamori_posix_now_ms() + timeout_ms};
    return io;
}

int mamori_tls_fd_handshake(mamori_tls_t *t, int fd, uint32_t timeout_ms)
{
    mamori_tls_io_t io = fd_io(&fd, timeout_ms);
    return mamori_tls_io_handshake(t, &io);
}

int mamori_tls_fd_read(mamori_tls_t *t, int fd, void *buf, size_t len, uint32_t timeout_ms)
{
    mamori_tls_io_t io = fd_io(&fd, timeout_ms);
    return mamori_tls_io_read(t, &io, buf, len);
}

int mamori_tls_fd_write(mamori_tls_t *t, int fd, const void *buf, size_t len, uint32_t timeout_ms)
{
    mamori_tls_io_t io = fd_io(&fd, timeout_ms);
    const uint8_t *p = buf;
    /* Blocking transport: a short count only comes from a large len. */
    while (len > 0) {
        int n = mamori_tls_io_write(t, &io, p, len);
        if (n < 0)
            return n;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int mamori_tls_fd_flush(mamori_tls_t *t, int fd, uint32_t timeout_ms)
{
    mamori_tls_io_t io = fd_io(&fd, timeout_ms);
    return mamori_tls_io_flush(t, &io);
}

int mamori_tls_fd_close(mamori_tls_t *t, int fd, uint32_t timeout_ms)
{
    mamori_tls_io_t io = fd_io(&fd, timeout_ms);
    return mamori_tls_io_close(t, &io);
}
