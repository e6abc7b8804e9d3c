/*
 * TCP services of mamori-node over the native API:
 *   --tcp-echo PORT       sends back everything received
 *   --tcp-discard PORT    reads and discards; prints bytes and SHA-256 at close
 *   --tcp-source H:P:N    connects and sends N bytes of a fixed pattern; prints
 *                         their SHA-256
 * Connections come from a pool of --max-conn slots, each with its own rings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

#include "mamori/sha2.h"
#include "mamori/tcp.h"

#define RING_BYTES (512u * 1024u)
#define PATTERN_LEN 65521u /* prime: the pattern does not line up with segments */

typedef enum { MODE_ECHO, MODE_DISCARD, MODE_SOURCE } node_tcp_mode_t;

typedef struct {
    mamori_tcp_t conn;
    bool busy;
    node_tcp_mode_t mode;
    uint64_t bytes, total;
    bool shut, eof;
    mamori_sha256_t sha;
    uint8_t *rx, *tx;
} slot_t;

static mamori_stack_t *stack;
static slot_t *slots;
static unsigned slot_count;
static mamori_tcp_listener_t echo_listener, discard_listener;
static uint8_t pattern[PATTERN_LEN];
static uint32_t tcp_timeout_ms;
static uint16_t echo_port, discard_port, source_port;
static uint32_t source_addr;
static uint64_t source_bytes;
static unsigned max_conn = 8;
static bool no_digest;

static void hex(const uint8_t *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void print_digest(const char *what, slot_t *sl)
{
    uint8_t digest[MAMORI_SHA256_LEN];
    char text[2 * MAMORI_SHA256_LEN + 1];
    mamori_sha256_final(&sl->sha, digest);
    hex(digest, sizeof digest, text);
    printf("%s: %llu bytes sha256 %s\n", what, (unsigned long long)sl->bytes, text);
    fflush(stdout);
}

static void try_accept(void);

static void release(slot_t *sl)
{
    sl->busy = false;
    try_accept();
}

static void pump(slot_t *sl)
{
    static uint8_t buf[65536];
    mamori_tcp_t *c = &sl->conn;
    if (sl->mode == MODE_SOURCE) {
        while (sl->bytes < sl->total) {
            size_t off = (size_t)(sl->bytes % PATTERN_LEN);
            size_t n = PATTERN_LEN - off;
            if (n > sl->total - sl->bytes)
                n = (size_t)(sl->total - sl->bytes);
            int r = mamori_tcp_send(c, pattern + off, n);
            if (r <= 0)
                break;
            if (!no_digest)
                mamori_sha256_update(&sl->sha, pattern + off, (size_t)r);
            sl->bytes += (uint64_t)r;
        }
        if (sl->bytes == sl->total && !sl->shut) {
            sl->shut = true;
            print_digest("tcp-source", sl);
            mamori_tcp_shutdown(c);
        }
    }
    for (;;) {
        size_t cap = sizeof buf;
        if (sl->mode == MODE_ECHO) {
            size_t space = mamori_tcp_send_space(c);
            cap = space < cap ? space : cap;
            if (cap == 0 && mamori_tcp_recv_avail(c))
                break; /* wait for WRITABLE */
        }
        int r = mamori_tcp_recv(c, buf, cap ? cap : 1);
        if (r > 0) {
            if (sl->mode == MODE_ECHO)
                (void)mamori_tcp_send(c, buf, (size_t)r);
            else if (sl->mode == MODE_DISCARD && !no_digest)
                mamori_sha256_update(&sl->sha, buf, (size_t)r);
            if (sl->mode != MODE_SOURCE)
                sl->bytes += (uint64_t)r;
            continue;
        }
        if (r == 0 && !sl->eof) {
            sl->eof = true;
            if (sl->mode == MODE_DISCARD)
                print_digest("tcp-discard", sl);
            mamori_tcp_close(c);
            if (mamori_tcp_state(c) == MAMORI_TCP_CLOSED)
                release(sl);
        }
        break;
    }
}

static void on_event(mamori_tcp_t *c, mamori_tcp_event_t ev, int err, void *user)
{
    slot_t *sl = user;
    (void)c;
    switch (ev) {
    case MAMORI_TCP_EV_CONNECTED:
    case MAMORI_TCP_EV_READABLE:
    case MAMORI_TCP_EV_WRITABLE:
        pump(sl);
        break;
    case MAMORI_TCP_EV_ERROR:
        printf("tcp: connection error: %s\n", mamori_strerror(err));
        fflush(stdout);
        release(sl);
        break;
    case MAMORI_TCP_EV_CLOSED:
        if (sl->mode == MODE_SOURCE) {
            printf("tcp-source: closed\n");
            fflush(stdout);
        }
        release(sl);
        break;
    }
}

static slot_t *free_slot(void)
{
    for (unsigned i = 0; i < slot_count; i++)
        if (!slots[i].busy)
            return &slots[i];
    return NULL;
}

static bool prepare(slot_t *sl, node_tcp_mode_t mode)
{
    if (mamori_tcp_open(stack, &sl->conn, sl->rx, RING_BYTES, sl->tx, RING_BYTES) != MAMORI_OK)
        return false;
    mamori_tcp_set_callback(&sl->conn, on_event, sl);
    if (tcp_timeout_ms) {
        mamori_tcp_set_user_timeout(&sl->conn, tcp_timeout_ms);
        mamori_tcp_set_idle_timeout(&sl->conn, tcp_timeout_ms);
    }
    sl->busy = true;
    sl->mode = mode;
    sl->bytes = sl->total = 0;
    sl->shut = sl->eof = false;
    mamori_sha256_init(&sl->sha);
    return true;
}

static bool accept_from(mamori_tcp_listener_t *l, node_tcp_mode_t mode)
{
    slot_t *sl = free_slot();
    if (!sl || !prepare(sl, mode))
        return false;
    if (mamori_tcp_accept(l, &sl->conn) != MAMORI_OK) {
        sl->busy = false;
        return false;
    }
    return true;
}

static void try_accept(void)
{
    if (echo_listener.stack)
        while (accept_from(&echo_listener, MODE_ECHO)) {
        }
    if (discard_listener.stack)
        while (accept_from(&discard_listener, MODE_DISCARD)) {
        }
}

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)l;
    (void)user;
    try_accept();
}

static int start(mamori_stack_t *s)
{
    stack = s;
    slot_count = max_conn;
    if (!echo_port && !discard_port && !source_bytes)
        return MAMORI_OK;
    slots = calloc(slot_count, sizeof *slots);
    if (!slots)
        return MAMORI_ERR_NOMEM;
    for (unsigned i = 0; i < slot_count; i++) {
        slots[i].rx = malloc(RING_BYTES);
        slots[i].tx = malloc(RING_BYTES);
        if (!slots[i].rx || !slots[i].tx)
            return MAMORI_ERR_NOMEM;
    }
    for (size_t i = 0; i < PATTERN_LEN; i++)
        pattern[i] = (uint8_t)(i * 131u + (i >> 9));
    int rc;
    if (echo_port) {
        rc = mamori_tcp_listen(s, &echo_listener, echo_port, MAMORI_TCP_BACKLOG);
        if (rc)
            return rc;
        mamori_tcp_listener_set_callback(&echo_listener, on_accept, NULL);
    }
    if (discard_port) {
        rc = mamori_tcp_listen(s, &discard_listener, discard_port, MAMORI_TCP_BACKLOG);
        if (rc)
            return rc;
        mamori_tcp_listener_set_callback(&discard_listener, on_accept, NULL);
    }
    if (source_bytes) {
        slot_t *sl = free_slot();
        if (!sl || !prepare(sl, MODE_SOURCE))
            return MAMORI_ERR_NOMEM;
        sl->total = source_bytes;
        rc = mamori_tcp_connect(&sl->conn, source_addr, source_port);
        if (rc)
            return rc;
    }
    return MAMORI_OK;
}

static void finish(mamori_stack_t *s)
{
    (void)s;
    if (!slots)
        return;
    for (unsigned i = 0; i < slot_count; i++) {
        if (slots[i].busy)
            mamori_tcp_abort(&slots[i].conn);
        free(slots[i].rx);
        free(slots[i].tx);
    }
    free(slots);
    slots = NULL;
}

static bool opt_echo(const char *arg) { return node_parse_port(arg, &echo_port); }
static bool opt_discard(const char *arg) { return node_parse_port(arg, &discard_port); }

static bool opt_source(const char *arg)
{
    char host[32];
    unsigned port;
    unsigned long long bytes;
    char tail;
    if (sscanf(arg, "%31[0-9.]:%u:%llu%c", host, &port, &bytes, &tail) != 3 || port == 0 || port > 65535 ||
        bytes == 0 || !node_parse_ip(host, &source_addr))
        return false;
    source_port = (uint16_t)port;
    source_bytes = bytes;
    return true;
}

static bool opt_max_conn(const char *arg)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (*end || v < 1 || v > 1024)
        return false;
    max_conn = (unsigned)v;
    return true;
}

static bool opt_timeout(const char *arg)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (*end || v < 100 || v > 86400000ul)
        return false;
    tcp_timeout_ms = (uint32_t)v;
    return true;
}

static bool opt_no_digest(const char *arg)
{
    (void)arg;
    no_digest = true;
    return true;
}

static const node_option_t options[] = {
    {"tcp-echo", "PORT", "echo everything received on TCP PORT", opt_echo},
    {"tcp-discard", "PORT", "read and discard TCP PORT; print bytes and SHA-256 at close", opt_discard},
    {"tcp-source", "H:P:N", "connect to H:P, send N pattern bytes, print their SHA-256", opt_source},
    {"max-conn", "N", "TCP connections at once (default 8; 512 KB rings each)", opt_max_conn},
    {"tcp-no-digest", NULL, "skip SHA-256 in --tcp-discard/--tcp-source (benchmarks)", opt_no_digest},
    {"tcp-timeout", "MS", "TCP user and idle timeout (default: none idle, 60 s user)", opt_timeout},
    {NULL, NULL, NULL, NULL},
};

const node_module_t node_tcp = {.options = options, .start = start, .finish = finish};
