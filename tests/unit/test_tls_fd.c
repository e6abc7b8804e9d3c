/* TLS over file descriptors (port/posix/tls_fd.c). Without arguments: a
 * client and a server in two processes over a socketpair, 1 MB each way.
 * With arguments it is the mamori end of the interop tests
 * (tests/interop/test_tls_*.sh):
 *
 *   test_tls_fd client HOST PORT [options]   connect, send --send, print reply
 *   test_tls_fd server PORT [options]        accept one connection
 *
 * Options: --name N, --pin HEX (SPKI SHA-256), --suite 1301|1302|1303,
 * --group x25519|p256, --hrr (no initial key share), --cert DER --key RAW
 * --scheme HEX (our identity), --rsl N (record_size_limit), --alpn P,
 * --send STR, --http (server: answer one HTTP request), --keyupdate,
 * --sink (read to close_notify, print byte count and SHA-256),
 * --source N (send N pattern bytes, then close_notify), --client-pin HEX,
 * --ca DER (X.509 trust anchor: path validation and host name check),
 * --sess FILE (client: resume from and save the session there),
 * --ticket-key HEX (server: 32-byte key sealing session tickets).
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "mamori/drbg.h"
#include "mamori/error.h"
#include "mamori/sha2.h"
#include "posix/entropy.h"
#include "posix/tls_fd.h"
#include "tls_test_keys.h"

#define TIMEOUT 20000u

static mamori_drbg_t drbg;
static uint8_t rx[MAMORI_TLS_RECORD_BUF(16384)], tx[MAMORI_TLS_RECORD_BUF(16384)], hs[8192];

typedef struct {
    const char *name, *pin_hex, *client_pin_hex, *cert, *key, *alpn, *send, *ca, *sess, *tkey;
    uint16_t suite, group, scheme, rsl;
    int hrr, http, keyupdate, sink;
    long source;
} opts_t;

static uint8_t *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    static uint8_t bufs[3][16384];
    static unsigned which;
    uint8_t *b = bufs[which++ % 3];
    if (!f) {
        perror(path);
        exit(2);
    }
    *len = fread(b, 1, sizeof bufs[0], f);
    fclose(f);
    return b;
}

static void hexpin(const char *hex, uint8_t out[32])
{
    if (hex_decode(hex, out, 32) != 32) {
        fprintf(stderr, "bad pin\n");
        exit(2);
    }
}

static void parse(opts_t *o, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--name")) o->name = v, i++;
        else if (!strcmp(a, "--pin")) o->pin_hex = v, i++;
        else if (!strcmp(a, "--client-pin")) o->client_pin_hex = v, i++;
        else if (!strcmp(a, "--cert")) o->cert = v, i++;
        else if (!strcmp(a, "--ca")) o->ca = v, i++;
        else if (!strcmp(a, "--sess")) o->sess = v, i++;
        else if (!strcmp(a, "--ticket-key")) o->tkey = v, i++;
        else if (!strcmp(a, "--key")) o->key = v, i++;
        else if (!strcmp(a, "--alpn")) o->alpn = v, i++;
        else if (!strcmp(a, "--send")) o->send = v, i++;
        else if (!strcmp(a, "--suite")) o->suite = (uint16_t)strtoul(v, NULL, 16), i++;
        else if (!strcmp(a, "--scheme")) o->scheme = (uint16_t)strtoul(v, NULL, 16), i++;
        else if (!strcmp(a, "--rsl")) o->rsl = (uint16_t)strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--source")) o->source = strtol(v, NULL, 10), i++;
        else if (!strcmp(a, "--group"))
            o->group = !strcmp(v, "p256") ? MAMORI_TLS_GROUP_SECP256R1 : MAMORI_TLS_GROUP_X25519, i++;
        else if (!strcmp(a, "--hrr")) o->hrr = 1;
        else if (!strcmp(a, "--http")) o->http = 1;
        else if (!strcmp(a, "--keyupdate")) o->keyupdate = 1;
        else if (!strcmp(a, "--sink")) o->sink = 1;
        else {
            fprintf(stderr, "unknown option %s\n", a);
            exit(2);
        }
    }
}

static void report(mamori_tls_t *t, const char *what, int err)
{
    int by_us = 0, alert = mamori_tls_last_alert(t, &by_us);
    fprintf(stderr, "%s: %s (alert %d %s)\n", what, mamori_strerror(err), alert,
            by_us ? "sent" : "received");
}

/* The application part shared by both roles once the handshake is done. */
static int converse(mamori_tls_t *t, int fd, const opts_t *o)
{
    static uint8_t buf[16384];
    int err, n;
    printf("handshake ok suite %04x group %04x alpn '%s'%s\n", mamori_tls_suite(t),
           mamori_tls_group(t), mamori_tls_alpn(t), t->psk_mode ? " resumed" : "");
    fflush(stdout);
    if (o->keyupdate) {
        if ((err = mamori_tls_key_update(t, 1)) != 0 || (err = mamori_tls_fd_flush(t, fd, TIMEOUT)))
            return report(t, "keyupdate", err), 1;
    }
    if (o->send && (err = mamori_tls_fd_write(t, fd, o->send, strlen(o->send), TIMEOUT)) != 0)
        return report(t, "write", err), 1;
    if (o->source > 0) {
        for (long sent = 0; sent < o->source;) {
            size_t chunk = (size_t)(o->source - sent) < sizeof buf ? (size_t)(o->source - sent)
                                                                   : sizeof buf;
            for (size_t i = 0; i < chunk; i++)
                buf[i] = (uint8_t)((sent + (long)i) * 131 >> 3);
            if ((err = mamori_tls_fd_write(t, fd, buf, chunk, TIMEOUT)) != 0)
                return report(t, "write", err), 1;
            sent += (long)chunk;
        }
        if ((err = mamori_tls_fd_close(t, fd, TIMEOUT)) != 0)
            return report(t, "close", err), 1;
        printf("sent %ld\n", o->source);
        fflush(stdout);
        return 0;
    }
    if (o->sink) {
        mamori_sha256_t h;
        uint8_t d[32];
        long total = 0;
        mamori_sha256_init(&h);
        while ((n = mamori_tls_fd_read(t, fd, buf, sizeof buf, TIMEOUT)) > 0) {
            mamori_sha256_update(&h, buf, (size_t)n);
            total += n;
        }
        mamori_sha256_final(&h, d);
        if (n < 0)
            return report(t, "read", n), 1;
        printf("received %ld sha256 ", total);
        for (int i = 0; i < 32; i++)
            printf("%02x", d[i]);
        printf("\n");
        mamori_tls_fd_close(t, fd, TIMEOUT);
        return 0;
    }
    if (o->http) {
        static const char resp[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                                   "Content-Length: 17\r\nConnection: close\r\n\r\n"
                                   "hello from mamori";
        n = mamori_tls_fd_read(t, fd, buf, sizeof buf - 1, TIMEOUT);
        if (n <= 0)
            return report(t, "read", n), 1;
        if ((err = mamori_tls_fd_write(t, fd, resp, sizeof resp - 1, TIMEOUT)) != 0)
            return report(t, "write", err), 1;
        mamori_tls_fd_close(t, fd, TIMEOUT);
        return 0;
    }
    /* Print what the peer sends until it closes or goes quiet. */
    while ((n = mamori_tls_fd_read(t, fd, buf, sizeof buf, 3000)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    fflush(stdout);
    if (n < 0 && n != MAMORI_ERR_TIMEOUT && n != MAMORI_ERR_CLOSED)
        return report(t, "read", n), 1;
    mamori_tls_fd_close(t, fd, TIMEOUT);
    return 0;
}

static int64_t wall_clock(void) { return (int64_t)time(NULL); }

static int run_end(int fd, int is_server, const opts_t *o)
{
    static mamori_x509_anchor_t anchor;
    static mamori_x509_store_t store;
    static mamori_tls_t t;
    static mamori_tls_identity_t id;
    static const uint8_t *chain[1];
    static size_t chain_len[1];
    static uint8_t pin[32];
    static uint16_t suites[2], groups[3];
    static mamori_tls_session_t session;
    static uint8_t ticket_key[32];
    mamori_tls_config_t cfg;
    int err;

    memset(&cfg, 0, sizeof cfg);
    cfg.is_server = is_server;
    cfg.rng = mamori_drbg_generate;
    cfg.rng_ctx = &drbg;
    cfg.server_name = o->name;
    cfg.alpn = o->alpn;
    cfg.record_size_limit = o->rsl;
    cfg.client_no_initial_share = (uint8_t)o->hrr;
    if (o->pin_hex || o->client_pin_hex) {
        hexpin(o->pin_hex ? o->pin_hex : o->client_pin_hex, pin);
        cfg.spki_pin = pin;
    }
    if (o->ca) {
        size_t len;
        const uint8_t *der = load(o->ca, &len);
        mamori_x509_store_init(&store, &anchor, 1);
        if (mamori_x509_store_add_der(&store, der, len) != 0) {
            fprintf(stderr, "bad CA certificate\n");
            return 1;
        }
        cfg.trust = &store;
        cfg.unix_time = wall_clock;
    }
    if (o->sess) {
        FILE *f = fopen(o->sess, "rb");
        if (f) {
            if (fread(&session, sizeof session, 1, f) != 1)
                memset(&session, 0, sizeof session);
            fclose(f);
        }
        cfg.session = &session;
    }
    if (o->tkey) {
        hexpin(o->tkey, ticket_key);
        cfg.ticket_key = ticket_key;
    }
    if (o->suite) {
        suites[0] = o->suite;
        cfg.suites = suites;
    }
    if (o->group) {
        groups[0] = o->group;
        cfg.groups = groups;
    }
    if (o->cert) {
        chain[0] = load(o->cert, &chain_len[0]);
        id.chain = chain;
        id.chain_lens = chain_len;
        id.chain_count = 1;
        id.key = load(o->key, &id.key_len);
        id.sig_scheme = o->scheme;
        cfg.identity = &id;
    }
    size_t rx_cap = o->rsl ? MAMORI_TLS_RECORD_BUF((size_t)o->rsl - 1) : sizeof rx;
    err = mamori_tls_init(&t, &cfg, rx, rx_cap, tx, sizeof tx, hs, sizeof hs);
    if (err) {
        fprintf(stderr, "init: %s\n", mamori_strerror(err));
        return 1;
    }
    err = mamori_tls_fd_handshake(&t, fd, TIMEOUT);
    if (err) {
        report(&t, "handshake", err);
        return 1;
    }
    err = converse(&t, fd, o);
    if (o->sess) {
        FILE *f = fopen(o->sess, "wb");
        if (f) {
            fwrite(&session, sizeof session, 1, f);
            fclose(f);
        }
    }
    mamori_tls_wipe(&t);
    return err;
}

static int tool(int argc, char **argv)
{
    opts_t o;
    struct sockaddr_in sa;
    int fd, is_server = !strcmp(argv[1], "server");
    int argi = is_server ? 3 : 4;

    memset(&o, 0, sizeof o);
    if (argc < argi)
        return 2;
    parse(&o, argc - argi, argv + argi);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (is_server) {
        int one = 1, c;
        sa.sin_port = htons((uint16_t)atoi(argv[2]));
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 1)) {
            perror("listen");
            return 2;
        }
        printf("ready\n");
        fflush(stdout);
        c = accept(fd, NULL, NULL);
        close(fd);
        fd = c;
    } else {
        sa.sin_port = htons((uint16_t)atoi(argv[3]));
        inet_pton(AF_INET, argv[2], &sa.sin_addr);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
            perror("connect");
            return 2;
        }
    }
    int rc = run_end(fd, is_server, &o);
    close(fd);
    return rc;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(p, 1, n, f);
    fclose(f);
}

static void pin_hex(const uint8_t *pin, char *out)
{
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", pin[i]);
}

/* Client and server processes over a socketpair: 1 MB each way. */
static void self_test(void)
{
    char dir[] = "/tmp/mamori-tlsfd-XXXXXX", cert[64], key[64], pin[65];
    int sv[2];
    pid_t pid;
    int status;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(cert, sizeof cert, "%s/cert.der", dir);
    snprintf(key, sizeof key, "%s/key.raw", dir);
    write_file(cert, ec_cert, sizeof ec_cert);
    write_file(key, ec_key, sizeof ec_key);
    pin_hex(ec_pin, pin);
    (void)ed_cert, (void)ed_key, (void)ed_pin, (void)rsa_cert, (void)rsa_key, (void)rsa_pin;

    for (int dirn = 0; dirn < 2; dirn++) {
        opts_t so, co;
        CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        memset(&so, 0, sizeof so);
        memset(&co, 0, sizeof co);
        so.cert = cert, so.key = key, so.scheme = MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256;
        co.pin_hex = pin, co.name = "localhost";
        co.rsl = 1024; /* small records from the server */
        if (dirn == 0)
            so.source = 1 << 20, co.sink = 1;
        else
            co.source = 1 << 20, so.sink = 1;
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
            close(sv[1]);
            _exit(run_end(sv[0], 1, &so));
        }
        close(sv[0]);
        CHECK_EQ(run_end(sv[1], 0, &co), 0);
        close(sv[1]);
        CHECK_EQ(waitpid(pid, &status, 0), pid);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    unlink(cert);
    unlink(key);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (mamori_drbg_init(&drbg, mamori_posix_entropy, NULL, "tls_fd", 6) != 0)
        return 2;
    if (argc > 1)
        return tool(argc, argv);
    self_test();
    return check_summary("tls_fd");
}
