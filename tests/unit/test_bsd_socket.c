/*
 * The blocking BSD-style socket layer: two stacks on a perfect virtual wire
 * driven in real time by a thread (wire_pair.h), a server thread echoing one
 * connection, and the main thread as client (connect, send, recv, timeouts,
 * refused connection, non-blocking mode, poll, UDP).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "mamori/mamori.h"
#include "mamori/socket.h"
#include "wire_pair.h"

#define NET 3 /* stacks A and B are 198.18.NET.1 and .2 (wire_pair.h) */
#define ADDR_A MAMORI_IP4(198, 18, NET, 1)
#define ADDR_B MAMORI_IP4(198, 18, NET, 2)
#define BYTES (300 * 1024)

static wire_pair_t pair;
static int server_ok;

static void *server(void *arg)
{
    int lfd = *(int *)arg;
    mamori_sockaddr_in_t peer;
    int fd = mamori_accept(lfd, &peer);
    if (fd < 0 || peer.sin_addr != ADDR_A)
        return NULL;
    static uint8_t buf[8192];
    ssize_t n;
    size_t total = 0;
    while ((n = mamori_recv(fd, buf, sizeof buf, 0)) > 0) {
        if (mamori_send(fd, buf, (size_t)n, 0) != n)
            return NULL;
        total += (size_t)n;
    }
    server_ok = n == 0 && total == BYTES;
    mamori_close(fd);
    return NULL;
}

static void *client_writer(void *arg)
{
    int fd = *(int *)arg;
    static uint8_t data[BYTES];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + (i >> 10));
    if (mamori_send(fd, data, sizeof data, 0) == (ssize_t)sizeof data)
        mamori_shutdown(fd, MAMORI_SHUT_WR);
    return NULL;
}

int main(void)
{
    CHECK_EQ(wire_pair_start(&pair, NET), MAMORI_OK);
    pthread_t srv, wr;

    mamori_socket_attach(&pair.b, NULL, NULL);
    int lfd = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
    CHECK(lfd >= 0);
    mamori_sockaddr_in_t sa = {.sin_family = MAMORI_AF_INET, .sin_port = 7000};
    CHECK_EQ(mamori_bind(lfd, &sa), 0);
    CHECK_EQ(mamori_listen(lfd, 4), 0);
    int ufd_b = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_DGRAM, 0);
    mamori_sockaddr_in_t ua = {.sin_family = MAMORI_AF_INET, .sin_port = 7001};
    CHECK_EQ(mamori_bind(ufd_b, &ua), 0);
    pthread_create(&srv, NULL, server, &lfd);

    mamori_socket_attach(&pair.a, NULL, NULL);
    /* Refused: nothing listens on 7999. */
    int fd = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
    mamori_sockaddr_in_t to = {.sin_family = MAMORI_AF_INET, .sin_port = 7999, .sin_addr = ADDR_B};
    CHECK_EQ(mamori_connect(fd, &to), -1);
    CHECK_EQ(errno, ECONNREFUSED);
    mamori_close(fd);

    /* Echo of 300 KB through blocking send/recv (writer thread, reader here). */
    fd = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
    to.sin_port = 7000;
    CHECK_EQ(mamori_connect(fd, &to), 0);
    uint32_t tmo = 100;
    CHECK_EQ(mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_RCVTIMEO, &tmo, sizeof tmo), 0);
    uint8_t buf[4096];
    CHECK_EQ(mamori_recv(fd, buf, sizeof buf, 0), -1); /* nothing echoed yet: SO_RCVTIMEO */
    CHECK_EQ(errno, EAGAIN);
    int one = 1;
    CHECK_EQ(mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_NONBLOCK, &one, sizeof one), 0);
    CHECK_EQ(mamori_recv(fd, buf, sizeof buf, 0), -1);
    CHECK_EQ(errno, EAGAIN);
    int zero = 0;
    mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_NONBLOCK, &zero, sizeof zero);
    tmo = 5000;
    mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_RCVTIMEO, &tmo, sizeof tmo);
    pthread_create(&wr, NULL, client_writer, &fd);
    size_t got = 0;
    bool intact = true;
    ssize_t n;
    mamori_pollfd_t pfd = {.fd = fd, .events = MAMORI_POLLIN};
    CHECK_EQ(mamori_poll_sockets(&pfd, 1, 5000), 1);
    while ((n = mamori_recv(fd, buf, sizeof buf, 0)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            intact &= buf[i] == (uint8_t)((got + (size_t)i) * 7 + ((got + (size_t)i) >> 10));
        got += (size_t)n;
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(got, BYTES);
    CHECK(intact);
    pthread_join(wr, NULL);
    pthread_join(srv, NULL);
    CHECK(server_ok);
    CHECK_EQ(mamori_close(fd), 0);

    /* UDP through sendto/recvfrom. */
    int ufd = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_DGRAM, 0);
    mamori_sockaddr_in_t ut = {.sin_family = MAMORI_AF_INET, .sin_port = 7001, .sin_addr = ADDR_B}, from;
    CHECK_EQ(mamori_sendto(ufd, "ping", 4, 0, &ut), 4);
    mamori_setsockopt(ufd_b, MAMORI_SOL_SOCKET, MAMORI_SO_RCVTIMEO, &tmo, sizeof tmo);
    CHECK_EQ(mamori_recvfrom(ufd_b, buf, sizeof buf, 0, &from), 4);
    CHECK_EQ(from.sin_addr, ADDR_A);
    mamori_close(ufd);
    mamori_close(ufd_b);
    mamori_close(lfd);
    CHECK(pair.a.tcp.conns == NULL);
    wire_pair_stop(&pair);
    return check_summary("bsd_socket");
}
