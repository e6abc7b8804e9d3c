#define _DEFAULT_SOURCE

#include "posix/tap.h"

#include "mamori/error.h"
#include "posix/clock.h"
#include "posix/entropy.h"
#include "posix/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#define ETH_HEADER_LEN 14

_Static_assert(MAMORI_TAP_IFNAME_MAX == IFNAMSIZ, "ifname buffer must match IFNAMSIZ");

int mamori_tap_open(mamori_tap_t *tap, const char *ifname)
{
    memset(tap, 0, sizeof *tap);
    tap->fd = -1;
    tap->wake_fd = -1;
    size_t name_len = ifname ? strlen(ifname) : 0;
    if (name_len == 0 || name_len >= IFNAMSIZ)
        return MAMORI_ERR_INVAL;
    memcpy(tap->ifname, ifname, name_len + 1);

    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return MAMORI_ERR_IO;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI; /* bare Ethernet frames, no packet info */
    memcpy(ifr.ifr_name, ifname, name_len + 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        close(fd);
        return MAMORI_ERR_IO;
    }
    int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) {
        close(fd);
        return MAMORI_ERR_IO;
    }
    tap->fd = fd;
    tap->wake_fd = wake_fd;
    return MAMORI_OK;
}

void mamori_tap_close(mamori_tap_t *tap)
{
    if (tap->fd >= 0)
        close(tap->fd);
    if (tap->wake_fd >= 0)
        close(tap->wake_fd);
    tap->fd = -1;
    tap->wake_fd = -1;
}

static int tap_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    mamori_tap_t *tap = ctx;
    if (len < ETH_HEADER_LEN)
        return MAMORI_ERR_INVAL;
    for (;;) {
        ssize_t n = write(tap->fd, frame, len);
        if (n == (ssize_t)len)
            return MAMORI_OK;
        if (n >= 0)
            return MAMORI_ERR_IO; /* the TAP takes whole frames; a partial write is a fault */
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            tap->tx_wouldblock++;
            return MAMORI_ERR_WOULDBLOCK;
        }
        return MAMORI_ERR_IO;
    }
}

static int tap_recv_frame(void *ctx, uint8_t *buf, size_t cap)
{
    mamori_tap_t *tap = ctx;
    /* One spare byte after buf tells an oversize frame from one that fits
     * exactly; the kernel discards the rest of a frame that does not fit. */
    uint8_t spare;
    struct iovec iov[2] = {{.iov_base = buf, .iov_len = cap}, {.iov_base = &spare, .iov_len = 1}};
    if (cap > INT_MAX)
        iov[0].iov_len = INT_MAX;
    for (;;) {
        ssize_t n = readv(tap->fd, iov, 2);
        if (n >= 0) {
            if ((size_t)n > iov[0].iov_len) {
                tap->rx_oversize++;
                return MAMORI_ERR_BUFSIZE;
            }
            return (int)n;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return MAMORI_ERR_IO;
    }
}

void mamori_tap_port(mamori_tap_t *tap, mamori_port_t *port)
{
    memset(port, 0, sizeof *port);
    port->ctx = tap;
    port->send_frame = tap_send_frame;
    port->recv_frame = tap_recv_frame;
    port->entropy = mamori_posix_entropy;
    port->now_ms = mamori_posix_port_now_ms;
    port->log = mamori_posix_log;
}

int mamori_tap_wait(mamori_tap_t *tap, uint32_t timeout_ms)
{
    struct pollfd fds[2] = {{.fd = tap->fd, .events = POLLIN}, {.fd = tap->wake_fd, .events = POLLIN}};
    int timeout = timeout_ms == UINT32_MAX ? -1 : timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms;
    int ready = poll(fds, 2, timeout);
    if (ready < 0)
        return errno == EINTR ? 0 : MAMORI_ERR_IO;
    if (fds[1].revents & POLLIN) {
        uint64_t count;
        if (read(tap->wake_fd, &count, sizeof count) < 0 && errno != EAGAIN)
            return MAMORI_ERR_IO;
    }
    if (fds[0].revents & (POLLERR | POLLNVAL))
        return MAMORI_ERR_IO;
    return (fds[0].revents & POLLIN) ? 1 : 0;
}

void mamori_tap_wake(mamori_tap_t *tap)
{
    uint64_t one = 1;
    /* Only fails when the counter would overflow, i.e. a wake-up is already pending. */
    ssize_t n = write(tap->wake_fd, &one, sizeof one);
    (void)n;
}
