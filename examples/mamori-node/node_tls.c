/*
 * TLS 1.3 services of mamori-node over mamori TCP (src/tls/tcp.c):
 *   --tls-echo PORT --cert F --key F [--client-ca F]
 *       TLS echo server: sends back everything received. F are PEM files
 *       (chain leaf first; key PKCS#8, SEC1 or PKCS#1). With --client-ca a
 *       client certificate issued under that CA is required.
 *   --tls-get HOST:PORT --ca F [--sni NAME] [--alpn P]
 *       connects, verifies the server against the CA file (name: --sni, else
 *       HOST), sends an HTTP/1.1 GET and prints the response, then the
 *       negotiated version, suite, group and signature scheme; stops the node.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "node.h"

#include "mamori/ct.h"
#include "mamori/pem.h"
#include "mamori/tcp.h"
#include "mamori/tls.h"
#include "posix/tls_key.h"

#define SLOTS 4
#define RING (64u * 1024u)
#define REC MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)
#define HS 8192
#define MAX_CHAIN 4
#define MAX_ANCHORS 8

typedef struct {
    mamori_tcp_t conn;
    mamori_tls_tcp_t tls;
    bool busy, closing;
    uint8_t rx[RING], tx[RING], trx[REC], ttx[REC], hs[HS];
    uint8_t pend[MAMORI_TLS_MAX_PLAINTEXT];
    size_t pend_len, pend_pos;
    uint64_t bytes;
} slot_t;

static mamori_stack_t *stack;
static slot_t *slots;
static mamori_tcp_listener_t listener;
static uint16_t echo_port, get_port;
static uint32_t get_addr;
static const char *cert_file, *key_file, *client_ca_file, *ca_file, *sni, *alpn;
static char get_host[64];
static mamori_tls_config_t server_cfg, client_cfg;
static mamori_tls_identity_t identity;
static const uint8_t *chain[MAX_CHAIN];
static size_t chain_lens[MAX_CHAIN];
static uint8_t chain_buf[16384], key_buf[4096], anchor_buf[32768];
static mamori_x509_anchor_t anchors[MAX_ANCHORS];
static mamori_x509_store_t store;
static bool got_open;
static mamori_tcp_t get_conn;
static mamori_tls_tcp_t get_tls;

static int64_t wall_clock(void) { return (int64_t)time(NULL); }

static const char *suite_name(uint16_t s)
{
    switch (s) {
    case MAMORI_TLS_AES_128_GCM_SHA256: return "TLS_AES_128_GCM_SHA256";
    case MAMORI_TLS_AES_256_GCM_SHA384: return "TLS_AES_256_GCM_SHA384";
    case MAMORI_TLS_CHACHA20_POLY1305_SHA256: return "TLS_CHACHA20_POLY1305_SHA256";
    default: return "?";
    }
}

static const char *group_name(uint16_t g)
{
    return g == MAMORI_TLS_GROUP_X25519 ? "x25519" : g == MAMORI_TLS_GROUP_SECP256R1 ? "secp256r1" : "?";
}

static const char *sig_name(uint16_t s)
{
    switch (s) {
    case MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256: return "ecdsa_secp256r1_sha256";
    case MAMORI_TLS_SIG_ECDSA_SECP384R1_SHA384: return "ecdsa_secp384r1_sha384";
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256: return "rsa_pss_rsae_sha256";
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA384: return "rsa_pss_rsae_sha384";
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA512: return "rsa_pss_rsae_sha512";
    case MAMORI_TLS_SIG_ED25519: return "ed25519";
    case 0: return "none (PSK)";
    default: return "?";
    }
}

static void report(const char *what, mamori_tls_tcp_t *s, int err)
{
    int by_us = 0, alert = mamori_tls_last_alert(&s->tls, &by_us);
    printf("%s: %s", what, mamori_strerror(err));
    if (alert >= 0)
        printf(" (alert %d %s)", alert, by_us ? "sent" : "received");
    printf("\n");
    fflush(stdout);
}

static void print_params(const char *who, mamori_tls_tcp_t *s)
{
    const mamori_tls_t *t = &s->tls;
    printf("%s: TLS 1.3 suite %s group %s signature %s alpn '%s'\n", who, suite_name(mamori_tls_suite(t)),
           group_name(mamori_tls_group(t)), sig_name(mamori_tls_sig_scheme(t)), mamori_tls_alpn(t));
    fflush(stdout);
}

/* Reads a PEM file (NUL-terminated) into a static buffer; NULL on error. */
static char *read_text(const char *path)
{
    static char text[65536];
    if (mamori_tls_read_file(path, text, sizeof text) < 0) {
        fprintf(stderr, "tls: cannot read %s\n", path);
        return NULL;
    }
    return text;
}

static int load_store(const char *path)
{
    size_t used;
    char *text = read_text(path);
    int n;
    if (!text)
        return MAMORI_ERR_NOTFOUND;
    mamori_x509_store_init(&store, anchors, MAX_ANCHORS);
    n = mamori_x509_store_add_pem(&store, text, strlen(text), anchor_buf, sizeof anchor_buf, &used);
    if (n < 0)
        fprintf(stderr, "tls: %s: %s\n", path, mamori_strerror(n));
    return n < 0 ? n : 0;
}

static int load_identity(void)
{
    size_t pos = 0, used = 0, len, n;
    char *text = read_text(cert_file);
    int err;
    if (!text)
        return MAMORI_ERR_NOTFOUND;
    len = strlen(text);
    while (identity.chain_count < MAX_CHAIN &&
           (err = mamori_pem_decode(text, len, &pos, "CERTIFICATE", chain_buf + used,
                                    sizeof chain_buf - used, &n)) == 0) {
        chain[identity.chain_count] = chain_buf + used;
        chain_lens[identity.chain_count++] = n;
        used += n;
    }
    if (identity.chain_count == 0) {
        fprintf(stderr, "tls: no certificate in %s\n", cert_file);
        return MAMORI_ERR_NOTFOUND;
    }
    if (!(text = read_text(key_file)))
        return MAMORI_ERR_NOTFOUND;
    err = mamori_tls_key_from_pem(text, strlen(text), key_buf, sizeof key_buf, &identity.key_len,
                                  &identity.sig_scheme);
    mamori_zeroize(text, strlen(text));
    if (err) {
        fprintf(stderr, "tls: %s: %s\n", key_file, mamori_strerror(err));
        return err;
    }
    identity.chain = chain;
    identity.chain_lens = chain_lens;
    identity.key = key_buf;
    return 0;
}

/* ---- echo server ---------------------------------------------------------- */

static void echo(slot_t *sl)
{
    int r;
    for (;;) {
        while (sl->pend_pos < sl->pend_len) {
            r = mamori_tls_tcp_write(&sl->tls, sl->pend + sl->pend_pos, sl->pend_len - sl->pend_pos);
            if (r <= 0)
                return;
            sl->pend_pos += (size_t)r;
        }
        if (sl->closing)
            return;
        r = mamori_tls_tcp_read(&sl->tls, sl->pend, sizeof sl->pend);
        if (r > 0) {
            sl->pend_len = (size_t)r;
            sl->pend_pos = 0;
            sl->bytes += (uint64_t)r;
            continue;
        }
        if (r == MAMORI_ERR_TLS_CLOSED) {
            sl->closing = true;
            mamori_tls_tcp_close(&sl->tls);
        }
        return;
    }
}

static void try_accept(void);

static void on_server(mamori_tls_tcp_t *s, mamori_tls_event_t ev, int err, void *user)
{
    slot_t *sl = user;
    switch (ev) {
    case MAMORI_TLS_EV_OPEN:
        print_params("tls-echo", s);
        echo(sl);
        break;
    case MAMORI_TLS_EV_READABLE:
    case MAMORI_TLS_EV_WRITABLE:
        echo(sl);
        break;
    case MAMORI_TLS_EV_ERROR:
        report("tls-echo: session failed", s, err);
        sl->busy = false;
        try_accept();
        break;
    case MAMORI_TLS_EV_CLOSED:
        printf("tls-echo: closed after %llu bytes\n", (unsigned long long)sl->bytes);
        fflush(stdout);
        sl->busy = false;
        try_accept();
        break;
    }
}

static void try_accept(void)
{
    for (unsigned i = 0; i < SLOTS; i++) {
        slot_t *sl = &slots[i];
        /* A failed session's connection may still be closing in the stack. */
        if (sl->busy || mamori_tcp_state(&sl->conn) != MAMORI_TCP_CLOSED)
            continue;
        if (mamori_tcp_open(stack, &sl->conn, sl->rx, RING, sl->tx, RING) != MAMORI_OK ||
            mamori_tcp_accept(&listener, &sl->conn) != MAMORI_OK)
            return;
        sl->busy = true;
        sl->closing = false;
        sl->pend_len = sl->pend_pos = 0;
        sl->bytes = 0;
        if (mamori_tls_tcp_init(&sl->tls, &sl->conn, &server_cfg, sl->trx, REC, sl->ttx, REC, sl->hs, HS) != 0) {
            mamori_tcp_abort(&sl->conn);
            sl->busy = false;
            continue;
        }
        mamori_tls_tcp_set_callback(&sl->tls, on_server, sl);
        mamori_tls_tcp_start(&sl->tls);
    }
}

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)l;
    (void)user;
    try_accept();
}

/* ---- client ------------------------------------------------------------------ */

static void get_pump(mamori_tls_tcp_t *s)
{
    static uint8_t buf[4096];
    int r;
    while ((r = mamori_tls_tcp_read(s, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)r, stdout);
    fflush(stdout);
    if (r == MAMORI_ERR_TLS_CLOSED)
        mamori_tls_tcp_close(s);
}

static void on_client(mamori_tls_tcp_t *s, mamori_tls_event_t ev, int err, void *user)
{
    char req[256];
    (void)user;
    switch (ev) {
    case MAMORI_TLS_EV_OPEN:
        got_open = true;
        print_params("tls-get", s);
        snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
                 client_cfg.server_name);
        if ((err = mamori_tls_tcp_write(s, req, strlen(req))) < 0)
            report("tls-get: write", s, err);
        break;
    case MAMORI_TLS_EV_READABLE:
    case MAMORI_TLS_EV_WRITABLE:
        get_pump(s);
        break;
    case MAMORI_TLS_EV_ERROR:
        report(got_open ? "tls-get: session ended" : "tls-get: handshake failed", s, err);
        raise(SIGTERM);
        break;
    case MAMORI_TLS_EV_CLOSED:
        printf("tls-get: closed\n");
        fflush(stdout);
        raise(SIGTERM);
        break;
    }
}

static int start(mamori_stack_t *s)
{
    int err;
    stack = s;
    if (echo_port) {
        if (!cert_file || !key_file) {
            fprintf(stderr, "--tls-echo needs --cert and --key\n");
            return MAMORI_ERR_INVAL;
        }
        if ((err = load_identity()) != 0)
            return err;
        server_cfg.is_server = 1;
        server_cfg.rng = mamori_drbg_generate;
        server_cfg.rng_ctx = &s->drbg;
        server_cfg.identity = &identity;
        server_cfg.unix_time = wall_clock;
        if (client_ca_file) {
            if ((err = load_store(client_ca_file)) != 0)
                return err;
            server_cfg.trust = &store;
        }
        slots = calloc(SLOTS, sizeof *slots);
        if (!slots)
            return MAMORI_ERR_NOMEM;
        if ((err = mamori_tcp_listen(s, &listener, echo_port, MAMORI_TCP_BACKLOG)) != 0)
            return err;
        mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    }
    if (get_port) {
        static uint8_t rx[RING], tx[RING], trx[REC], ttx[REC], hs[HS];
        if (!ca_file) {
            fprintf(stderr, "--tls-get needs --ca\n");
            return MAMORI_ERR_INVAL;
        }
        if ((err = load_store(ca_file)) != 0)
            return err;
        client_cfg.rng = mamori_drbg_generate;
        client_cfg.rng_ctx = &s->drbg;
        client_cfg.server_name = sni ? sni : get_host;
        client_cfg.trust = &store;
        client_cfg.unix_time = wall_clock;
        client_cfg.alpn = alpn;
        if ((err = mamori_tcp_open(s, &get_conn, rx, RING, tx, RING)) != 0 ||
            (err = mamori_tls_tcp_init(&get_tls, &get_conn, &client_cfg, trx, REC, ttx, REC, hs, HS)) != 0)
            return err;
        mamori_tls_tcp_set_callback(&get_tls, on_client, NULL);
        return mamori_tls_tcp_connect(&get_tls, get_addr, get_port);
    }
    return 0;
}

static uint32_t poll_hook(mamori_stack_t *s, uint32_t now_ms)
{
    (void)s;
    if (slots)
        for (unsigned i = 0; i < SLOTS; i++)
            if (slots[i].busy)
                mamori_tls_tcp_poll(&slots[i].tls, now_ms);
    if (get_port)
        mamori_tls_tcp_poll(&get_tls, now_ms);
    return 1000;
}

static bool opt_echo(const char *arg) { return node_parse_port(arg, &echo_port); }
static bool opt_cert(const char *arg) { return (cert_file = arg) != NULL; }
static bool opt_key(const char *arg) { return (key_file = arg) != NULL; }
static bool opt_client_ca(const char *arg) { return (client_ca_file = arg) != NULL; }
static bool opt_ca(const char *arg) { return (ca_file = arg) != NULL; }
static bool opt_sni(const char *arg) { return (sni = arg) != NULL; }
static bool opt_alpn(const char *arg) { return (alpn = arg) != NULL; }

static bool opt_get(const char *arg)
{
    const char *colon = strrchr(arg, ':');
    size_t n = colon ? (size_t)(colon - arg) : 0;
    if (!colon || n == 0 || n >= sizeof get_host)
        return false;
    memcpy(get_host, arg, n);
    get_host[n] = 0;
    return node_parse_ip(get_host, &get_addr) && node_parse_port(colon + 1, &get_port);
}

static const node_option_t options[] = {
    {"tls-echo", "PORT", "TLS 1.3 echo server on PORT (needs --cert, --key)", opt_echo},
    {"cert", "FILE", "PEM certificate chain of the TLS server, leaf first", opt_cert},
    {"key", "FILE", "PEM private key (PKCS#8, SEC1 EC or PKCS#1 RSA)", opt_key},
    {"client-ca", "FILE", "PEM CA: the TLS server requires client certificates under it", opt_client_ca},
    {"tls-get", "IP:PORT", "TLS 1.3 client: HTTP/1.1 GET /, print response and parameters", opt_get},
    {"ca", "FILE", "PEM trust anchors for --tls-get", opt_ca},
    {"sni", "NAME", "server name to send and verify (default: the IP)", opt_sni},
    {"alpn", "PROTO", "ALPN protocol to offer", opt_alpn},
    {NULL, NULL, NULL, NULL},
};

const node_module_t node_tls = {.options = options, .start = start, .poll = poll_hook};
