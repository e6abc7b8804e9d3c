#define _GNU_SOURCE
/*
 * BSD-style blocking sockets over the native TCP and UDP APIs (see
 * mamori/socket.h). Every call takes the one mutex, works on the core, and
 * waits on the condition variable (broadcast after each driver poll) until
 * it can finish, its timeout passes or the socket is non-blocking.
 */
#include "mamori/socket.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/error.h"
#include "mamori/tcp.h"

typedef enum { SK_FREE = 0, SK_TCP, SK_LISTEN, SK_UDP } sk_kind_t;

typedef struct {
    sk_kind_t kind;
    bool nonblock;
    bool connecting;
    uint16_t bound_port;
    int error;
    uint32_t rcvtimeo, sndtimeo;
    mamori_stack_t *stack;
    mamori_tcp_t tcp;
    mamori_tcp_listener_t listener;
    mamori_udp_t udp;
    uint8_t *rx, *tx;
} sock_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static sock_t socks[MAMORI_SOCKET_MAX];
static mamori_stack_t *current;
static void (*wake_fn)(void *);
static void *wake_ctx;

void mamori_socket_lock(void *ctx)
{
    (void)ctx;
    pthread_mutex_lock(&lock);
}

void mamori_socket_unlock(void *ctx)
{
    (void)ctx;
    pthread_mutex_unlock(&lock);
}

void mamori_socket_attach(mamori_stack_t *s, void (*wake)(void *ctx), void *ctx)
{
    pthread_mutex_lock(&lock);
    current = s;
    wake_fn = wake;
    wake_ctx = ctx;
    pthread_mutex_unlock(&lock);
}

uint32_t mamori_socket_poll(mamori_stack_t *s, uint32_t now_ms)
{
    pthread_mutex_lock(&lock);
    uint32_t next = mamori_poll(s, now_ms);
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return next;
}

static void kick(void)
{
    pthread_cond_broadcast(&cond);
    if (wake_fn)
        wake_fn(wake_ctx);
}

/* Maps a mamori error to errno; returns -1. */
static int fail(int err)
{
    switch (err) {
    case MAMORI_ERR_WOULDBLOCK: errno = EAGAIN; break;
    case MAMORI_ERR_TIMEOUT: errno = ETIMEDOUT; break;
    case MAMORI_ERR_CONNREFUSED: errno = ECONNREFUSED; break;
    case MAMORI_ERR_CONNRESET: errno = ECONNRESET; break;
    case MAMORI_ERR_NOTCONN: errno = ENOTCONN; break;
    case MAMORI_ERR_ADDRINUSE: errno = EADDRINUSE; break;
    case MAMORI_ERR_ISCONN: errno = EISCONN; break;
    case MAMORI_ERR_ALREADY: errno = EALREADY; break;
    case MAMORI_ERR_CLOSED: errno = EPIPE; break;
    case MAMORI_ERR_NOMEM: errno = ENOBUFS; break;
    case MAMORI_ERR_MSGSIZE: errno = EMSGSIZE; break;
    case MAMORI_ERR_NOROUTE: errno = ENETUNREACH; break;
    case MAMORI_ERR_HOSTUNREACH: errno = EHOSTUNREACH; break;
    case MAMORI_ERR_STATE: errno = EINVAL; break;
    default: errno = EINVAL; break;
    }
    return -1;
}

/* The socket, after bringing its stack's clock up to date: the driver may
 * be asleep until its next timer, and timers the call starts count from the
 * last poll. */
static sock_t *get(int fd)
{
    if (fd < 0 || fd >= MAMORI_SOCKET_MAX || socks[fd].kind == SK_FREE)
        return NULL;
    mamori_stack_t *s = socks[fd].stack;
    if (s->port->now_ms)
        (void)mamori_poll(s, s->port->now_ms(s->port->ctx));
    return &socks[fd];
}

static struct timespec deadline_after(uint32_t ms)
{
    struct timespec ts; /* the condition variable's clock */
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* One wait on the condition; false once the deadline (if any) passed. */
static bool wait_once(const struct timespec *deadline)
{
    if (!deadline) {
        pthread_cond_wait(&cond, &lock);
        return true;
    }
    return pthread_cond_timedwait(&cond, &lock, deadline) != ETIMEDOUT;
}

static void on_tcp(mamori_tcp_t *c, mamori_tcp_event_t ev, int err, void *user)
{
    sock_t *sk = user;
    (void)c;
    if (ev == MAMORI_TCP_EV_ERROR)
        sk->error = err;
    if (ev == MAMORI_TCP_EV_CONNECTED || ev == MAMORI_TCP_EV_ERROR)
        sk->connecting = false;
    pthread_cond_broadcast(&cond);
}

static int alloc_sock(sk_kind_t kind, mamori_stack_t *s)
{
    for (int fd = 0; fd < MAMORI_SOCKET_MAX; fd++) {
        sock_t *sk = &socks[fd];
        if (sk->kind != SK_FREE)
            continue;
        if (!sk->rx)
            sk->rx = malloc(MAMORI_SOCKET_BUF);
        if (!sk->tx)
            sk->tx = malloc(MAMORI_SOCKET_BUF);
        if (!sk->rx || !sk->tx)
            return -1;
        sk->kind = kind;
        sk->stack = s;
        sk->nonblock = sk->connecting = false;
        sk->bound_port = 0;
        sk->error = 0;
        sk->rcvtimeo = sk->sndtimeo = 0;
        if (kind == SK_TCP) {
            mamori_tcp_open(s, &sk->tcp, sk->rx, MAMORI_SOCKET_BUF, sk->tx, MAMORI_SOCKET_BUF);
            mamori_tcp_set_callback(&sk->tcp, on_tcp, sk);
        } else {
            mamori_udp_open(s, &sk->udp, sk->rx, MAMORI_SOCKET_BUF);
        }
        return fd;
    }
    return -1;
}

int mamori_socket(int domain, int type, int protocol)
{
    (void)protocol;
    if (domain != MAMORI_AF_INET || (type != MAMORI_SOCK_STREAM && type != MAMORI_SOCK_DGRAM)) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    pthread_mutex_lock(&lock);
    int fd = current ? alloc_sock(type == MAMORI_SOCK_STREAM ? SK_TCP : SK_UDP, current) : -1;
    pthread_mutex_unlock(&lock);
    if (fd < 0)
        errno = current ? EMFILE : ENETDOWN;
    return fd;
}

int mamori_bind(int fd, const mamori_sockaddr_in_t *addr)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    int rc = MAMORI_OK;
    if (!sk || !addr)
        rc = MAMORI_ERR_INVAL;
    else if (sk->kind == SK_UDP)
        rc = mamori_udp_bind(&sk->udp, addr->sin_port);
    else if (sk->kind == SK_TCP)
        sk->bound_port = addr->sin_port;
    else
        rc = MAMORI_ERR_STATE;
    pthread_mutex_unlock(&lock);
    return rc ? fail(rc) : 0;
}

int mamori_listen(int fd, int backlog)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    int rc = MAMORI_OK;
    if (!sk || sk->kind != SK_TCP || !sk->bound_port) {
        rc = MAMORI_ERR_INVAL;
    } else {
        rc = mamori_tcp_listen(sk->stack, &sk->listener, sk->bound_port,
                               backlog < 1 ? 1u : (unsigned)backlog);
        if (rc == MAMORI_OK)
            sk->kind = SK_LISTEN;
    }
    pthread_mutex_unlock(&lock);
    return rc ? fail(rc) : 0;
}

int mamori_accept(int fd, mamori_sockaddr_in_t *addr)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    if (!sk || sk->kind != SK_LISTEN) {
        pthread_mutex_unlock(&lock);
        return fail(MAMORI_ERR_INVAL);
    }
    struct timespec dl = deadline_after(sk->rcvtimeo);
    int nfd = -1, rc = MAMORI_OK;
    for (;;) {
        nfd = alloc_sock(SK_TCP, sk->stack);
        if (nfd < 0) {
            rc = MAMORI_ERR_NOMEM;
            break;
        }
        rc = mamori_tcp_accept(&sk->listener, &socks[nfd].tcp);
        if (rc == MAMORI_OK)
            break;
        socks[nfd].kind = SK_FREE;
        nfd = -1;
        if (rc != MAMORI_ERR_WOULDBLOCK || sk->nonblock || !wait_once(sk->rcvtimeo ? &dl : NULL)) {
            break; /* EAGAIN for non-blocking mode and SO_RCVTIMEO alike (POSIX) */
        }
    }
    if (nfd >= 0 && addr) {
        addr->sin_family = MAMORI_AF_INET;
        mamori_tcp_remote(&socks[nfd].tcp, &addr->sin_addr, &addr->sin_port);
    }
    pthread_mutex_unlock(&lock);
    if (nfd >= 0)
        kick();
    return nfd >= 0 ? nfd : fail(rc);
}

int mamori_connect(int fd, const mamori_sockaddr_in_t *addr)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    int rc = MAMORI_OK;
    if (!sk || !addr || (sk->kind != SK_TCP && sk->kind != SK_UDP)) {
        rc = MAMORI_ERR_INVAL;
    } else if (sk->kind == SK_TCP) {
        if (sk->bound_port && mamori_tcp_state(&sk->tcp) == MAMORI_TCP_CLOSED && !sk->tcp.local_port)
            rc = mamori_tcp_bind(&sk->tcp, sk->bound_port);
        if (rc == MAMORI_OK)
            rc = mamori_tcp_connect(&sk->tcp, addr->sin_addr, addr->sin_port);
        if (rc == MAMORI_OK) {
            sk->connecting = true;
            kick();
            if (sk->nonblock) {
                rc = MAMORI_ERR_WOULDBLOCK;
                errno = EINPROGRESS;
                pthread_mutex_unlock(&lock);
                return -1;
            }
            struct timespec dl = deadline_after(sk->sndtimeo);
            while (sk->connecting && wait_once(sk->sndtimeo ? &dl : NULL)) {
            }
            if (sk->connecting) {
                mamori_tcp_abort(&sk->tcp);
                sk->connecting = false;
                rc = MAMORI_ERR_TIMEOUT;
            } else if (sk->error) {
                rc = sk->error;
            }
        }
    } else {
        rc = MAMORI_ERR_UNSUPPORTED;
    }
    pthread_mutex_unlock(&lock);
    return rc ? fail(rc) : 0;
}

ssize_t mamori_send(int fd, const void *buf, size_t len, int flags)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    if (!sk || sk->kind != SK_TCP) {
        pthread_mutex_unlock(&lock);
        return fail(sk ? MAMORI_ERR_NOTCONN : MAMORI_ERR_INVAL);
    }
    bool nb = sk->nonblock || (flags & MAMORI_MSG_DONTWAIT);
    struct timespec dl = deadline_after(sk->sndtimeo);
    size_t done = 0;
    int rc = MAMORI_OK;
    while (done < len) {
        int n = mamori_tcp_send(&sk->tcp, (const uint8_t *)buf + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            kick();
            continue;
        }
        if (n < 0 && n != MAMORI_ERR_WOULDBLOCK) {
            rc = n;
            break;
        }
        if (nb || !wait_once(sk->sndtimeo ? &dl : NULL)) {
            rc = MAMORI_ERR_WOULDBLOCK; /* non-blocking or SO_SNDTIMEO expired: EAGAIN */
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    if (done)
        return (ssize_t)done;
    return fail(rc);
}

ssize_t mamori_recv(int fd, void *buf, size_t len, int flags)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    if (!sk || (sk->kind != SK_TCP && sk->kind != SK_UDP)) {
        pthread_mutex_unlock(&lock);
        return fail(MAMORI_ERR_INVAL);
    }
    pthread_mutex_unlock(&lock);
    if (sk->kind == SK_UDP)
        return mamori_recvfrom(fd, buf, len, flags, NULL);
    pthread_mutex_lock(&lock);
    bool nb = sk->nonblock || (flags & MAMORI_MSG_DONTWAIT);
    struct timespec dl = deadline_after(sk->rcvtimeo);
    int n;
    for (;;) {
        n = mamori_tcp_recv(&sk->tcp, buf, len);
        if (n != MAMORI_ERR_WOULDBLOCK)
            break;
        if (nb || !wait_once(sk->rcvtimeo ? &dl : NULL)) {
            n = MAMORI_ERR_WOULDBLOCK; /* non-blocking or SO_RCVTIMEO expired: EAGAIN */
            break;
        }
    }
    if (n > 0)
        kick(); /* a window update may be due */
    pthread_mutex_unlock(&lock);
    return n >= 0 ? (ssize_t)n : fail(n);
}

ssize_t mamori_sendto(int fd, const void *buf, size_t len, int flags, const mamori_sockaddr_in_t *to)
{
    (void)flags;
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    int rc = !sk || sk->kind != SK_UDP || !to ? MAMORI_ERR_INVAL
                                               : mamori_udp_sendto(&sk->udp, to->sin_addr, to->sin_port, buf, len);
    if (rc == MAMORI_OK)
        kick();
    pthread_mutex_unlock(&lock);
    return rc ? fail(rc) : (ssize_t)len;
}

ssize_t mamori_recvfrom(int fd, void *buf, size_t len, int flags, mamori_sockaddr_in_t *from)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    if (!sk || sk->kind != SK_UDP) {
        pthread_mutex_unlock(&lock);
        return fail(MAMORI_ERR_INVAL);
    }
    bool nb = sk->nonblock || (flags & MAMORI_MSG_DONTWAIT);
    struct timespec dl = deadline_after(sk->rcvtimeo);
    uint32_t src = 0;
    uint16_t sport = 0;
    int n;
    for (;;) {
        n = mamori_udp_recvfrom(&sk->udp, buf, len, &src, &sport);
        if (n != MAMORI_ERR_WOULDBLOCK)
            break;
        if (nb || !wait_once(sk->rcvtimeo ? &dl : NULL)) {
            n = MAMORI_ERR_WOULDBLOCK; /* non-blocking or SO_RCVTIMEO expired: EAGAIN */
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    if (n >= 0 && from) {
        from->sin_family = MAMORI_AF_INET;
        from->sin_addr = src;
        from->sin_port = sport;
    }
    return n >= 0 ? (ssize_t)n : fail(n);
}

int mamori_shutdown(int fd, int how)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    int rc = !sk || sk->kind != SK_TCP ? MAMORI_ERR_INVAL : MAMORI_OK;
    if (rc == MAMORI_OK && how != MAMORI_SHUT_RD)
        rc = mamori_tcp_shutdown(&sk->tcp);
    kick();
    pthread_mutex_unlock(&lock);
    return rc ? fail(rc) : 0;
}

int mamori_close(int fd)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    if (!sk) {
        pthread_mutex_unlock(&lock);
        return fail(MAMORI_ERR_INVAL);
    }
    if (sk->kind == SK_TCP) {
        /* Graceful close; a connection not finished within its own timers is
         * reset here, so the socket slot and its rings can be reused at once. */
        mamori_tcp_close(&sk->tcp);
        struct timespec dl = deadline_after(2000);
        while (mamori_tcp_state(&sk->tcp) != MAMORI_TCP_CLOSED && wait_once(&dl)) {
        }
        mamori_tcp_abort(&sk->tcp);
    } else if (sk->kind == SK_LISTEN) {
        mamori_tcp_unlisten(&sk->listener);
    } else {
        mamori_udp_close(&sk->udp);
    }
    sk->kind = SK_FREE;
    kick();
    pthread_mutex_unlock(&lock);
    return 0;
}

int mamori_setsockopt(int fd, int level, int name, const void *val, size_t len)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    int rc = MAMORI_OK;
    int v = val && len >= sizeof(int) ? *(const int *)val : 0;
    uint32_t ms = val && len >= sizeof(uint32_t) ? *(const uint32_t *)val : 0;
    if (!sk || !val) {
        rc = MAMORI_ERR_INVAL;
    } else if (level == MAMORI_SOL_SOCKET && name == MAMORI_SO_RCVTIMEO) {
        sk->rcvtimeo = ms;
    } else if (level == MAMORI_SOL_SOCKET && name == MAMORI_SO_SNDTIMEO) {
        sk->sndtimeo = ms;
    } else if (level == MAMORI_SOL_SOCKET && name == MAMORI_SO_NONBLOCK) {
        sk->nonblock = v != 0;
    } else if (level == MAMORI_SOL_SOCKET && name == MAMORI_SO_KEEPALIVE && sk->kind == SK_TCP) {
        mamori_tcp_set_keepalive(&sk->tcp, v ? MAMORI_TCP_KEEPIDLE_MS : 0, MAMORI_TCP_KEEPINTVL_MS, MAMORI_TCP_KEEPCNT);
    } else if (level == MAMORI_IPPROTO_TCP && name == MAMORI_TCP_NODELAY && sk->kind == SK_TCP) {
        mamori_tcp_set_nodelay(&sk->tcp, v != 0);
    } else {
        rc = MAMORI_ERR_UNSUPPORTED;
    }
    pthread_mutex_unlock(&lock);
    if (rc == MAMORI_ERR_UNSUPPORTED) {
        errno = ENOPROTOOPT;
        return -1;
    }
    return rc ? fail(rc) : 0;
}

int mamori_getsockopt(int fd, int level, int name, void *val, size_t *len)
{
    pthread_mutex_lock(&lock);
    sock_t *sk = get(fd);
    int rc = MAMORI_OK;
    if (!sk || !val || !len || *len < sizeof(int)) {
        rc = MAMORI_ERR_INVAL;
    } else if (level == MAMORI_SOL_SOCKET && name == MAMORI_SO_ERROR) {
        int e = 0;
        if (sk->error) {
            int saved = errno;
            fail(sk->error);
            e = errno;
            errno = saved;
            sk->error = 0;
        }
        *(int *)val = e;
        *len = sizeof(int);
    } else if (level == MAMORI_SOL_SOCKET && (name == MAMORI_SO_RCVTIMEO || name == MAMORI_SO_SNDTIMEO)) {
        *(uint32_t *)val = name == MAMORI_SO_RCVTIMEO ? sk->rcvtimeo : sk->sndtimeo;
        *len = sizeof(uint32_t);
    } else if (level == MAMORI_SOL_SOCKET && name == MAMORI_SO_NONBLOCK) {
        *(int *)val = sk->nonblock;
        *len = sizeof(int);
    } else {
        rc = MAMORI_ERR_UNSUPPORTED;
    }
    pthread_mutex_unlock(&lock);
    if (rc == MAMORI_ERR_UNSUPPORTED) {
        errno = ENOPROTOOPT;
        return -1;
    }
    return rc ? fail(rc) : 0;
}

static short ready_events(sock_t *sk)
{
    short ev = 0;
    if (!sk)
        return MAMORI_POLLERR;
    switch (sk->kind) {
    case SK_LISTEN:
        for (unsigned i = 0; i < sk->listener.backlog; i++)
            if (sk->listener.syn[i].used && sk->listener.syn[i].complete)
                ev |= MAMORI_POLLIN;
        break;
    case SK_TCP: {
        uint8_t probe;
        if (mamori_tcp_recv(&sk->tcp, &probe, 0) != MAMORI_ERR_WOULDBLOCK) /* data, end of stream or error */
            ev |= MAMORI_POLLIN;
        if (mamori_tcp_send_space(&sk->tcp))
            ev |= MAMORI_POLLOUT;
        if (sk->error)
            ev |= MAMORI_POLLERR;
        if (mamori_tcp_state(&sk->tcp) == MAMORI_TCP_CLOSED && !sk->connecting)
            ev |= MAMORI_POLLHUP;
        break;
    }
    case SK_UDP:
        if (sk->udp.queued)
            ev |= MAMORI_POLLIN;
        ev |= MAMORI_POLLOUT;
        break;
    default:
        ev = MAMORI_POLLERR;
    }
    return ev;
}

int mamori_poll_sockets(mamori_pollfd_t *fds, size_t n, int timeout_ms)
{
    pthread_mutex_lock(&lock);
    struct timespec dl = deadline_after(timeout_ms > 0 ? (uint32_t)timeout_ms : 0);
    int count;
    for (;;) {
        count = 0;
        for (size_t i = 0; i < n; i++) {
            short ev = ready_events(get(fds[i].fd));
            fds[i].revents = (short)(ev & (fds[i].events | MAMORI_POLLERR | MAMORI_POLLHUP));
            count += fds[i].revents != 0;
        }
        if (count || timeout_ms == 0 || !wait_once(timeout_ms < 0 ? NULL : &dl))
            break;
    }
    pthread_mutex_unlock(&lock);
    return count;
}
