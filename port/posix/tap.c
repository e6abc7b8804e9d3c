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

/* Asks for 10-byte little-endian virtio headers and the offloads; a refusal
 * (an older kernel, a device without them) leaves the plain path. */
static bool enable_offload(int fd)
{
    int hdr_len = MAMORI_VNET_HDR_LEN, le = 1;
    return ioctl(fd, TUNSETVNETHDRSZ, &hdr_len) == 0 && ioctl(fd, TUNSETVNETLE, &le) == 0 &&
           ioctl(fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO4)) == 0;
}

static int attach(mamori_tap_t *tap, bool offload)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI; /* bare Ethernet frames, no packet info */
    if (offload)
        ifr.ifr_flags |= IFF_VNET_HDR;
    memcpy(ifr.ifr_name, tap->ifname, sizeof ifr.ifr_name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0 || (offload && !enable_offload(fd))) {
        close(fd);
        return -1;
    }
    /* A persistent device keeps the offloads of its last user: clear them. */
    if (!offload)
        (void)ioctl(fd, TUNSETOFFLOAD, 0UL);
    return fd;
}

int mamori_tap_open(mamori_tap_t *tap, const char *ifname, bool offload)
{
    memset(tap, 0, sizeof *tap);
    tap->fd = -1;
    tap->wake_fd = -1;
    size_t name_len = ifname ? strlen(ifname) : 0;
    if (name_len == 0 || name_len >= IFNAMSIZ)
        return MAMORI_ERR_INVAL;
    memcpy(tap->ifname, ifname, name_len + 1);

    int fd = offload ? attach(tap, true) : -1;
    tap->offload = fd >= 0;
    if (fd < 0)
        fd = attach(tap, false);
    if (fd < 0)
        return MAMORI_ERR_IO;
    int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) {
        close(fd);
        return MAMORI_ERR_IO;
    }
    tap->fd = fd;
    tap->wake_fd = wake_fd;
    return MAMORI_OK;
}

static int tap_write(mamori_tap_t *tap, const struct iovec *iov, int iovcnt, size_t len)
{
    for (;;) {
        ssize_t n = writev(tap->fd, iov, iovcnt);
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

/* Writes the held-back segments; a failure drops them like a lossy wire
 * (counted), and TCP retransmits. */
static void tap_flush(mamori_tap_t *tap)
{
    if (tap->tx.len == 0)
        return;
    size_t len = mamori_gso_tx_finish(&tap->tx);
    struct iovec iov = {.iov_base = tap->tx.buf, .iov_len = len};
    if (tap->tx.segments > 1)
        tap->tx_super++;
    int rc = tap_write(tap, &iov, 1, len);
    if (rc && rc != MAMORI_ERR_WOULDBLOCK)
        tap->tx_error++;
    mamori_gso_tx_reset(&tap->tx);
}

void mamori_tap_close(mamori_tap_t *tap)
{
    if (tap->fd >= 0) {
        tap_flush(tap);
        if (tap->offload)
            (void)ioctl(tap->fd, TUNSETOFFLOAD, 0UL);
        close(tap->fd);
    }
    if (tap->wake_fd >= 0)
        close(tap->wake_fd);
    tap->fd = -1;
    tap->wake_fd = -1;
}

void mamori_tap_impair(mamori_tap_t *tap, unsigned loss, unsigned dup, unsigned reorder, uint64_t seed)
{
    mamori_tap_impair_init(&tap->rx_impair, loss, dup, reorder, seed);
    mamori_tap_impair_init(&tap->tx_impair, loss, dup, reorder, ~seed);
}

static int tap_send_one(mamori_tap_t *tap, const uint8_t *frame, size_t len)
{
    if (len < ETH_HEADER_LEN)
        return MAMORI_ERR_INVAL;
    if (!tap->offload) {
        struct iovec iov = {.iov_base = (void *)frame, .iov_len = len};
        return tap_write(tap, &iov, 1, len);
    }
    /* TCP data segments wait for the next ones of their flow, to leave in
     * one write, and a pure ACK for a later one (tap_gso.h); any other frame
     * first flushes what is held, keeping the order. */
    if (mamori_gso_tx_add(&tap->tx, frame, len))
        return MAMORI_OK;
    tap_flush(tap);
    if (mamori_gso_tx_add(&tap->tx, frame, len))
        return MAMORI_OK;
    static const uint8_t plain[MAMORI_VNET_HDR_LEN]; /* no offload for this frame */
    struct iovec iov[2] = {{.iov_base = (void *)plain, .iov_len = sizeof plain},
                           {.iov_base = (void *)frame, .iov_len = len}};
    return tap_write(tap, iov, 2, sizeof plain + len);
}

/* Writes what the transmit impairment hands on; returns the first failure,
 * the frames after it still go. */
static int tap_send_impaired(mamori_tap_t *tap, uint32_t now)
{
    uint8_t frame[MAMORI_TAP_IMPAIR_FRAME_MAX];
    int n, rc = MAMORI_OK;
    while ((n = mamori_tap_impair_pop(&tap->tx_impair, frame, sizeof frame, now)) > 0) {
        int sent = tap_send_one(tap, frame, (size_t)n);
        rc = rc ? rc : sent;
    }
    return rc;
}

static int tap_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    mamori_tap_t *tap = ctx;
    if (!mamori_tap_impair_enabled(&tap->tx_impair) || len < ETH_HEADER_LEN)
        return tap_send_one(tap, frame, len);
    uint32_t now = mamori_posix_now_ms();
    if (!mamori_tap_impair_push(&tap->tx_impair, frame, len, now))
        return tap_send_one(tap, frame, len);
    return tap_send_impaired(tap, now);
}

/* One read from the TAP into buf (cap bytes): its length, 0 when nothing is
 * waiting, or a negative error. */
static int tap_read(mamori_tap_t *tap, uint8_t *buf, size_t cap)
{
    /* One spare byte after buf tells an oversize frame from one that fits
     * exactly; the kernel discards the rest of a frame that does not fit. */
    uint8_t spare;
    struct iovec iov[2] = {{.iov_base = buf, .iov_len = cap}, {.iov_base = &spare, .iov_len = 1}};
    if (cap > INT_MAX)
        iov[0].iov_len = INT_MAX;
    for (;;) {
        ssize_t n = readv(tap->fd, iov, 2);
        if (n >= 0) {
            tap->rx_more = n > 0;
            if ((size_t)n > iov[0].iov_len) {
                tap->rx_oversize++;
                return MAMORI_ERR_BUFSIZE;
            }
            return (int)n;
        }
        if (errno == EINTR)
            continue;
        tap->rx_more = false;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return MAMORI_ERR_IO;
    }
}

static int tap_recv_one(mamori_tap_t *tap, uint8_t *buf, size_t cap)
{
    if (!tap->offload)
        return tap_read(tap, buf, cap);
    int n = mamori_gso_rx_next(&tap->rx, buf, cap);
    if (n == 0) {
        /* The ACK for what the last read brought leaves before the next read
         * (like the kernel's own receive offload: one ACK per batch). */
        if (tap->tx.ack)
            tap_flush(tap);
        n = tap_read(tap, tap->rx_buf, sizeof tap->rx_buf);
        if (n <= 0)
            return n;
        int rc = mamori_gso_rx_start(&tap->rx, tap->rx_buf, (size_t)n);
        if (rc) {
            tap->rx_malformed++;
            return rc;
        }
        n = mamori_gso_rx_next(&tap->rx, buf, cap);
    }
    if (n == MAMORI_ERR_BUFSIZE)
        tap->rx_oversize++;
    return n;
}

/* The receive impairment sits between the segmented frames and the stack:
 * lost and held frames make it read on. */
static int tap_recv_frame(void *ctx, uint8_t *buf, size_t cap)
{
    mamori_tap_t *tap = ctx;
    if (!mamori_tap_impair_enabled(&tap->rx_impair))
        return tap_recv_one(tap, buf, cap);
    for (;;) {
        uint32_t now = mamori_posix_now_ms();
        int n = mamori_tap_impair_pop(&tap->rx_impair, buf, cap, now);
        if (n)
            return n;
        n = tap_recv_one(tap, buf, cap);
        if (n <= 0 || !mamori_tap_impair_push(&tap->rx_impair, buf, (size_t)n, now))
            return n;
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
    uint32_t now = mamori_posix_now_ms();
    (void)tap_send_impaired(tap, now); /* a held frame whose time has come */
    tap_flush(tap);
    /* Frames still in hand or likely queued: no need to ask the kernel. */
    uint32_t rx_due = mamori_tap_impair_due_ms(&tap->rx_impair, now);
    if (tap->rx_more || tap->rx.off < tap->rx.len || rx_due == 0)
        return 1;
    uint32_t tx_due = mamori_tap_impair_due_ms(&tap->tx_impair, now);
    timeout_ms = rx_due < timeout_ms ? rx_due : timeout_ms;
    timeout_ms = tx_due < timeout_ms ? tx_due : timeout_ms;
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
