/*
 * BSD-style blocking sockets for hosted ports (POSIX threads). One mutex
 * guards every stack used through this layer; a driver thread runs the stack
 * with mamori_socket_poll() instead of mamori_poll(), and application threads
 * block in the calls below on a condition variable signalled after each poll.
 * The port's lock/unlock hooks can be set to mamori_socket_lock/unlock so
 * other code touching the stack shares the same mutex.
 *
 * Errors follow the BSD convention: -1 with errno set (EAGAIN, ETIMEDOUT,
 * ECONNREFUSED, ECONNRESET, ENOTCONN, EADDRINUSE, EINVAL, EMFILE, ...). As
 * in POSIX, an SO_RCVTIMEO/SO_SNDTIMEO expiry is EAGAIN; a connect that
 * times out is ETIMEDOUT.
 * Addresses and ports in mamori_sockaddr_in are in host byte order, like
 * the rest of mamori.
 */
#ifndef MAMORI_SOCKET_H
#define MAMORI_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mamori/stack.h"

#define MAMORI_AF_INET 2
#define MAMORI_SOCK_STREAM 1
#define MAMORI_SOCK_DGRAM 2
#define MAMORI_SHUT_RD 0
#define MAMORI_SHUT_WR 1
#define MAMORI_SHUT_RDWR 2
#define MAMORI_MSG_DONTWAIT 0x40

/* setsockopt/getsockopt levels and names. */
#define MAMORI_SOL_SOCKET 1
#define MAMORI_IPPROTO_TCP 6
#define MAMORI_SO_ERROR 4
#define MAMORI_SO_KEEPALIVE 9
#define MAMORI_SO_RCVTIMEO 20 /* value: uint32_t milliseconds, 0 = forever */
#define MAMORI_SO_SNDTIMEO 21
#define MAMORI_SO_NONBLOCK 0x800 /* value: int, non-zero for non-blocking mode */
#define MAMORI_TCP_NODELAY 1

#define MAMORI_POLLIN 0x001
#define MAMORI_POLLOUT 0x004
#define MAMORI_POLLERR 0x008
#define MAMORI_POLLHUP 0x010

#ifndef MAMORI_SOCKET_MAX
#define MAMORI_SOCKET_MAX 32
#endif
#ifndef MAMORI_SOCKET_BUF /* per-socket receive and send ring */
#define MAMORI_SOCKET_BUF (256u * 1024u)
#endif

typedef struct {
    uint16_t sin_family;
    uint16_t sin_port;
    uint32_t sin_addr;
} mamori_sockaddr_in_t;

typedef struct {
    int fd;
    short events;
    short revents;
} mamori_pollfd_t;

/* Selects the stack that later mamori_socket() calls create sockets on, and
 * how to wake its driver thread when an application queued work (may be NULL). */
void mamori_socket_attach(mamori_stack_t *s, void (*wake)(void *ctx), void *wake_ctx);
/* The driver thread's replacement for mamori_poll(). */
uint32_t mamori_socket_poll(mamori_stack_t *s, uint32_t now_ms);
void mamori_socket_lock(void *ctx);
void mamori_socket_unlock(void *ctx);

int mamori_socket(int domain, int type, int protocol);
int mamori_bind(int fd, const mamori_sockaddr_in_t *addr);
int mamori_listen(int fd, int backlog);
int mamori_accept(int fd, mamori_sockaddr_in_t *addr);
int mamori_connect(int fd, const mamori_sockaddr_in_t *addr);
ssize_t mamori_send(int fd, const void *buf, size_t len, int flags);
ssize_t mamori_recv(int fd, void *buf, size_t len, int flags);
ssize_t mamori_sendto(int fd, const void *buf, size_t len, int flags, const mamori_sockaddr_in_t *to);
ssize_t mamori_recvfrom(int fd, void *buf, size_t len, int flags, mamori_sockaddr_in_t *from);
int mamori_shutdown(int fd, int how);
int mamori_close(int fd);
int mamori_setsockopt(int fd, int level, int name, const void *val, size_t len);
int mamori_getsockopt(int fd, int level, int name, void *val, size_t *len);
/* Waits up to timeout_ms (-1: forever) for any of the events; returns the
 * number of entries with revents set. */
int mamori_poll_sockets(mamori_pollfd_t *fds, size_t n, int timeout_ms);

#endif
