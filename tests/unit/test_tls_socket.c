/*
 * TLS over mamori BSD-style sockets (port/posix/tls_socket.c): two stacks on
 * a virtual wire driven in real time by a thread (wire_pair.h), a mamori TLS
 * server thread on accepted sockets and the main thread as TLS client. Checks
 * a refused certificate name, a verified handshake, 1 MB echoed (SHA-256
 * compared), SO_RCVTIMEO and non-blocking reads, close_notify seen by both
 * ends, and a handshake against a peer that never answers timing out.
 *
 * With arguments it is the mamori end of tests/interop/test_tls_tap.sh: one
 * stack on a TAP device, a BSD socket and TLS client fetching "/" over
 * HTTP/1.0 and printing the answer until the server's close_notify:
 *
 *   test_tls_socket get TAP NODE_IP SERVER_IP PORT CA_DER SERVER_NAME
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "mamori/drbg.h"
#include "mamori/mamori.h"
#include "mamori/socket.h"
#include "mamori/tls_socket.h"
#include "posix/clock.h"
#include "posix/entropy.h"
#include "posix/tap.h"
#include "tls_test_keys.h"
#include "wire_pair.h"

#define NET 4 /* stacks A and B are 198.18.NET.1 and .2 (wire_pair.h) */
#define ADDR_B MAMORI_IP4(198, 18, NET, 2)
#define PORT_TLS 7100
#define PORT_SILENT 7101
#define BYTES (1u << 20)
#define CHUNK (64u * 1024u)
#define FIRST (384u * 1024u) /* more than the socket's send ring */

static wire_pair_t pair;
static volatile int stop_driver; /* of the TAP driver */
static mamori_drbg_t drbg_client, drbg_server;

/* Server results, checked by the main thread after joining. */
static int srv_bad_name_err, srv_hs_err, srv_last_read = 1, srv_close_err = 1;
static size_t srv_total;
static uint8_t srv_digest[32];

static int64_t wall_clock(void) { return (int64_t)time(NULL); }

static void *server(void *arg)
{
    static const uint8_t *chain[1] = {ec_cert};
    static const size_t chain_len[1] = {sizeof ec_cert};
    static const mamori_tls_identity_t id = {.chain = chain, .chain_lens = chain_len, .chain_count = 1,
                                             .sig_scheme = MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256,
                                             .key = ec_key, .key_len = sizeof ec_key};
    static uint8_t rx[MAMORI_TLS_RECORD_BUF(16384)], tx[MAMORI_TLS_RECORD_BUF(16384)], hs[8192];
    static uint8_t buf[16384];
    static mamori_tls_t t;
    mamori_tls_config_t cfg = {.is_server = 1, .rng = mamori_drbg_generate, .rng_ctx = &drbg_server,
                               .identity = &id};
    int lfd = *(int *)arg, n;
    uint32_t tmo = 10000; /* a failing client fails this thread instead of hanging it */

    /* First connection: the client refuses the certificate's name. */
    int fd = mamori_accept(lfd, NULL);
    mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_RCVTIMEO, &tmo, sizeof tmo);
    mamori_tls_init(&t, &cfg, rx, sizeof rx, tx, sizeof tx, hs, sizeof hs);
    srv_bad_name_err = mamori_tls_sock_accept(&t, fd);
    mamori_tls_wipe(&t);
    mamori_close(fd);

    /* Second: echo until close_notify, then answer it. */
    fd = mamori_accept(lfd, NULL);
    mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_RCVTIMEO, &tmo, sizeof tmo);
    mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_SNDTIMEO, &tmo, sizeof tmo);
    mamori_tls_init(&t, &cfg, rx, sizeof rx, tx, sizeof tx, hs, sizeof hs);
    if ((srv_hs_err = mamori_tls_sock_accept(&t, fd)) == 0) {
        mamori_sha256_t h;
        mamori_sha256_init(&h);
        while ((n = mamori_tls_sock_read(&t, fd, buf, sizeof buf)) > 0) {
            mamori_sha256_update(&h, buf, (size_t)n);
            srv_total += (size_t)n;
            if (mamori_tls_sock_write(&t, fd, buf, (size_t)n) != n)
                break;
        }
        mamori_sha256_final(&h, srv_digest);
        srv_last_read = n;
        srv_close_err = mamori_tls_sock_close(&t, fd);
    }
    mamori_tls_wipe(&t);
    mamori_close(fd);
    return NULL;
}

static uint8_t crx[MAMORI_TLS_RECORD_BUF(16384)], ctx_[MAMORI_TLS_RECORD_BUF(16384)], chs[8192];

static int client_socket(uint16_t port)
{
    mamori_sockaddr_in_t to = {.sin_family = MAMORI_AF_INET, .sin_port = port, .sin_addr = ADDR_B};
    int fd = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
    CHECK(fd >= 0);
    CHECK_EQ(mamori_connect(fd, &to), 0);
    return fd;
}

static void set_opt(int fd, int name, uint32_t v)
{
    CHECK_EQ(mamori_setsockopt(fd, MAMORI_SOL_SOCKET, name, &v, sizeof v), 0);
}

static uint8_t pattern(size_t i) { return (uint8_t)(i * 131 + (i >> 12)); }

static int wait_ready(int fd, short events)
{
    mamori_pollfd_t p = {.fd = fd, .events = events};
    return mamori_poll_sockets(&p, 1, 5000) == 1;
}

/* A non-blocking write: each call takes what fits (WOULDBLOCK when nothing
 * does); what the engine still holds goes out through flush. */
static int write_nonblocking(mamori_tls_t *t, int fd, const uint8_t *p, size_t len)
{
    size_t sent = 0;
    int r = 0, blocked = 0;
    set_opt(fd, MAMORI_SO_NONBLOCK, 1);
    while (sent < len && (r >= 0 || r == MAMORI_ERR_WOULDBLOCK)) {
        r = mamori_tls_sock_write(t, fd, p + sent, len - sent);
        if (r > 0)
            sent += (size_t)r;
        else if (r == MAMORI_ERR_WOULDBLOCK && (blocked++, !wait_ready(fd, MAMORI_POLLOUT)))
            break;
    }
    printf("non-blocking write of %zu bytes: %d WOULDBLOCK\n", len, blocked);
    while (sent == len && (r = mamori_tls_sock_flush(t, fd)) == MAMORI_ERR_WOULDBLOCK)
        wait_ready(fd, MAMORI_POLLOUT);
    set_opt(fd, MAMORI_SO_NONBLOCK, 0);
    return sent == len && r == 0;
}

/* 1 MB in rounds (one engine, one thread): write FIRST bytes non-blocking,
 * then CHUNK at a time blocking, reading each round's echo back. */
static void echo_1mb(mamori_tls_t *t, int fd)
{
    static uint8_t out[FIRST], in[FIRST];
    mamori_sha256_t hs_out, hs_in;
    uint8_t d_out[32], d_in[32];
    size_t total = 0;
    int ok = 1;
    mamori_sha256_init(&hs_out);
    mamori_sha256_init(&hs_in);
    while (ok && total < BYTES) {
        size_t got = 0, len = total == 0 ? FIRST : CHUNK;
        for (size_t i = 0; i < len; i++)
            out[i] = pattern(total + i);
        mamori_sha256_update(&hs_out, out, len);
        if (total == 0)
            ok = write_nonblocking(t, fd, out, len);
        else
            ok = mamori_tls_sock_write(t, fd, out, len) == (int)len;
        while (ok && got < len) {
            int n = mamori_tls_sock_read(t, fd, in + got, len - got);
            ok = n > 0;
            got += ok ? (size_t)n : 0;
        }
        mamori_sha256_update(&hs_in, in, got);
        total += got;
    }
    mamori_sha256_final(&hs_out, d_out);
    mamori_sha256_final(&hs_in, d_in);
    CHECK(ok);
    CHECK_EQ(total, BYTES);
    CHECK_MEM(d_in, d_out, 32);
}

static mamori_tap_t tap;

static void wake_tap(void *ctx) { mamori_tap_wake(ctx); }

/* Runs the TAP stack. The TAP's state is shared with the application
 * threads (which poll the stack too), so it is touched under the socket
 * lock; the sleep is a poll(2) on its descriptors. */
static void *tap_driver(void *arg)
{
    mamori_stack_t *s = arg;
    while (!stop_driver) {
        uint32_t wait = mamori_socket_poll(s, mamori_posix_now_ms());
        mamori_socket_lock(NULL);
        int ready = mamori_tap_wait(&tap, 0);
        mamori_socket_unlock(NULL);
        struct pollfd p[2] = {{.fd = tap.fd, .events = POLLIN}, {.fd = tap.wake_fd, .events = POLLIN}};
        if (ready == 0)
            poll(p, 2, wait < 20 ? (int)wait : 20);
    }
    return NULL;
}

static uint32_t ip_arg(const char *s)
{
    struct in_addr in = {0};
    inet_pton(AF_INET, s, &in);
    return ntohl(in.s_addr);
}

static int tap_get(char **argv)
{
    static const uint8_t mac[6] = {0x02, 0x6d, 0x61, 0x6d, 0x00, 0x02};
    static uint8_t der[8192], buf[4096];
    static mamori_port_t port;
    static mamori_stack_t s;
    static mamori_x509_anchor_t anchor;
    static mamori_x509_store_t store;
    static mamori_tls_t t;
    pthread_t drv;
    FILE *f = fopen(argv[5], "rb");
    size_t der_len = f ? fread(der, 1, sizeof der, f) : 0;
    int err, n, fd;
    uint32_t tmo = 10000;

    if (f)
        fclose(f);
    mamori_x509_store_init(&store, &anchor, 1);
    if (mamori_x509_store_add_der(&store, der, der_len) != 0 ||
        mamori_tap_open(&tap, argv[1], false) != 0)
        return 2;
    mamori_tap_port(&tap, &port);
    if (mamori_stack_init(&s, &port, mac, mamori_posix_now_ms()) != 0 ||
        mamori_ip4_set_addr(&s, ip_arg(argv[2]), 24, 0, false) != 0)
        return 2;
    mamori_socket_attach(&s, wake_tap, &tap);
    pthread_create(&drv, NULL, tap_driver, &s);

    mamori_tls_config_t cfg = {.rng = mamori_drbg_generate, .rng_ctx = &drbg_client,
                               .server_name = argv[6], .trust = &store, .unix_time = wall_clock};
    mamori_sockaddr_in_t to = {.sin_family = MAMORI_AF_INET, .sin_addr = ip_arg(argv[3]),
                               .sin_port = (uint16_t)atoi(argv[4])};
    fd = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
    mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_RCVTIMEO, &tmo, sizeof tmo);
    mamori_setsockopt(fd, MAMORI_SOL_SOCKET, MAMORI_SO_SNDTIMEO, &tmo, sizeof tmo);
    mamori_tls_init(&t, &cfg, crx, sizeof crx, ctx_, sizeof ctx_, chs, sizeof chs);
    if (mamori_connect(fd, &to) != 0)
        err = MAMORI_ERR_CONNREFUSED;
    else if ((err = mamori_tls_sock_connect(&t, fd)) == 0)
        err = mamori_tls_sock_write(&t, fd, "GET / HTTP/1.0\r\n\r\n", 18);
    if (err >= 0) {
        printf("tls-bsd: TLS 1.3 suite %04x group %04x\n", mamori_tls_suite(&t), mamori_tls_group(&t));
        while ((n = mamori_tls_sock_read(&t, fd, buf, sizeof buf)) > 0)
            fwrite(buf, 1, (size_t)n, stdout);
        printf("tls-bsd: %s\n", n == 0 ? "close_notify" : mamori_strerror(n));
        err = n == 0 ? mamori_tls_sock_close(&t, fd) : n;
    } else {
        printf("tls-bsd: handshake failed: %s\n", mamori_strerror(err));
    }
    mamori_tls_wipe(&t);
    mamori_close(fd);
    stop_driver = 1;
    pthread_join(drv, NULL);
    mamori_tap_close(&tap);
    return err < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    static mamori_x509_anchor_t anchor;
    static mamori_x509_store_t store;
    static mamori_tls_t t;
    pthread_t srv;
    mamori_sockaddr_in_t sa = {.sin_family = MAMORI_AF_INET, .sin_port = PORT_TLS};
    uint8_t buf[256], d_sent[32];
    uint32_t t0;
    (void)ec_pin, (void)ed_cert, (void)ed_key, (void)ed_pin, (void)rsa_cert, (void)rsa_key, (void)rsa_pin;

    CHECK_EQ(mamori_drbg_init(&drbg_client, mamori_posix_entropy, NULL, "tls_sock c", 10), 0);
    CHECK_EQ(mamori_drbg_init(&drbg_server, mamori_posix_entropy, NULL, "tls_sock s", 10), 0);
    if (argc == 8 && !strcmp(argv[1], "get"))
        return tap_get(argv + 1);
    CHECK_EQ(wire_pair_start(&pair, NET), MAMORI_OK);

    mamori_socket_attach(&pair.b, NULL, NULL);
    int lfd = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
    CHECK_EQ(mamori_bind(lfd, &sa), 0);
    CHECK_EQ(mamori_listen(lfd, 2), 0);
    /* Completes TCP handshakes but never accepts: a peer that never answers. */
    int silent = mamori_socket(MAMORI_AF_INET, MAMORI_SOCK_STREAM, 0);
    sa.sin_port = PORT_SILENT;
    CHECK_EQ(mamori_bind(silent, &sa), 0);
    CHECK_EQ(mamori_listen(silent, 2), 0);
    pthread_create(&srv, NULL, server, &lfd);
    mamori_socket_attach(&pair.a, NULL, NULL);

    /* The server's certificate verified by X.509 path validation (its
     * self-signed certificate is the anchor) and the name "localhost". */
    mamori_x509_store_init(&store, &anchor, 1);
    CHECK_EQ(mamori_x509_store_add_der(&store, ec_cert, sizeof ec_cert), 0);
    mamori_tls_config_t cfg = {.rng = mamori_drbg_generate, .rng_ctx = &drbg_client,
                               .server_name = "wrong.test", .trust = &store, .unix_time = wall_clock};

    /* A wrong name is refused (a certificate error), and the server fails too. */
    int fd = client_socket(PORT_TLS);
    CHECK_EQ(mamori_tls_init(&t, &cfg, crx, sizeof crx, ctx_, sizeof ctx_, chs, sizeof chs), 0);
    CHECK_EQ(mamori_tls_sock_accept(&t, fd), MAMORI_ERR_STATE); /* a client engine */
    int err = mamori_tls_sock_connect(&t, fd);
    CHECK(err <= MAMORI_ERR_CERT_EXPIRED && err >= MAMORI_ERR_CERT_CHAIN_TOO_LONG);
    mamori_tls_wipe(&t);
    mamori_close(fd);

    cfg.server_name = "localhost";
    fd = client_socket(PORT_TLS);
    CHECK_EQ(mamori_tls_init(&t, &cfg, crx, sizeof crx, ctx_, sizeof ctx_, chs, sizeof chs), 0);
    /* Non-blocking: WOULDBLOCK until the server's flight is in (usually;
     * the silent peer below checks it for sure), then done. */
    set_opt(fd, MAMORI_SO_NONBLOCK, 1);
    int rounds = 0;
    while ((err = mamori_tls_sock_connect(&t, fd)) == MAMORI_ERR_WOULDBLOCK && rounds++ < 100)
        wait_ready(fd, MAMORI_POLLIN);
    CHECK_EQ(err, 0);
    set_opt(fd, MAMORI_SO_NONBLOCK, 0);
    CHECK_EQ(mamori_tls_state(&t), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(mamori_tls_sig_scheme(&t), MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256);

    /* Nothing to read: SO_RCVTIMEO expires as MAMORI_ERR_TIMEOUT, and a
     * non-blocking socket answers WOULDBLOCK at once. */
    set_opt(fd, MAMORI_SO_RCVTIMEO, 200);
    t0 = mamori_posix_now_ms();
    CHECK_EQ(mamori_tls_sock_read(&t, fd, buf, sizeof buf), MAMORI_ERR_TIMEOUT);
    CHECK((uint32_t)(mamori_posix_now_ms() - t0) >= 195);
    CHECK((uint32_t)(mamori_posix_now_ms() - t0) < 2000);
    set_opt(fd, MAMORI_SO_NONBLOCK, 1);
    t0 = mamori_posix_now_ms();
    CHECK_EQ(mamori_tls_sock_read(&t, fd, buf, sizeof buf), MAMORI_ERR_WOULDBLOCK);
    CHECK((uint32_t)(mamori_posix_now_ms() - t0) < 150);
    set_opt(fd, MAMORI_SO_NONBLOCK, 0);
    set_opt(fd, MAMORI_SO_RCVTIMEO, 10000);
    set_opt(fd, MAMORI_SO_SNDTIMEO, 10000);

    echo_1mb(&t, fd);

    /* close_notify: the server's read returns 0, it answers, ours returns 0. */
    CHECK_EQ(mamori_tls_sock_close(&t, fd), 0);
    CHECK_EQ(mamori_tls_sock_read(&t, fd, buf, sizeof buf), 0);
    mamori_tls_wipe(&t);
    mamori_close(fd);
    pthread_join(srv, NULL);
    CHECK(srv_bad_name_err != 0);
    CHECK_EQ(srv_hs_err, 0);
    CHECK_EQ(srv_last_read, 0);
    CHECK_EQ(srv_close_err, 0);
    CHECK_EQ(srv_total, BYTES);
    {
        mamori_sha256_t h;
        mamori_sha256_init(&h);
        for (size_t i = 0; i < BYTES; i += sizeof buf) {
            for (size_t j = 0; j < sizeof buf; j++)
                buf[j] = pattern(i + j);
            mamori_sha256_update(&h, buf, sizeof buf);
        }
        mamori_sha256_final(&h, d_sent);
        CHECK_MEM(srv_digest, d_sent, 32);
    }

    /* A peer that completes TCP but never answers the ClientHello: the
     * handshake gives up at SO_RCVTIMEO; non-blocking, it returns at once. */
    fd = client_socket(PORT_SILENT);
    CHECK_EQ(mamori_tls_init(&t, &cfg, crx, sizeof crx, ctx_, sizeof ctx_, chs, sizeof chs), 0);
    set_opt(fd, MAMORI_SO_NONBLOCK, 1);
    CHECK_EQ(mamori_tls_sock_connect(&t, fd), MAMORI_ERR_WOULDBLOCK);
    set_opt(fd, MAMORI_SO_NONBLOCK, 0);
    set_opt(fd, MAMORI_SO_RCVTIMEO, 300);
    t0 = mamori_posix_now_ms();
    CHECK_EQ(mamori_tls_sock_connect(&t, fd), MAMORI_ERR_TIMEOUT);
    CHECK((uint32_t)(mamori_posix_now_ms() - t0) >= 295);
    CHECK((uint32_t)(mamori_posix_now_ms() - t0) < 3000);
    CHECK_EQ(mamori_tls_state(&t), MAMORI_TLS_ST_HANDSHAKE);
    mamori_tls_wipe(&t);
    mamori_close(fd);

    mamori_close(silent);
    mamori_close(lfd);
    wire_pair_stop(&pair);
    return check_summary("tls_socket");
}
