/*
 * TLS benchmark of issue 6: mamori against OpenSSL, Mbed TLS and wolfSSL,
 * side by side in one process. Each library talks to itself: a client and a
 * server of the same library joined by two in-memory byte queues (no
 * sockets, no threads), with the same ECDSA P-256 server certificate issued
 * by the same CA, X25519 key exchange, and a client that validates the chain
 * and the host name.
 *
 * Rows:
 *  - full handshake: CPU time of the client's calls and of the server's calls
 *    per handshake, counted separately (connection object creation and
 *    release included; contexts and loaded certificates are set up once),
 *    and handshakes per second for the pair (1 / (client + server time));
 *  - bulk: one-way transfer in 16 KiB records, client to server; MB/s of the
 *    writer's plus the reader's CPU time (encrypt + decrypt), per suite.
 * No session tickets and no resumption: every handshake is a full one.
 *
 * Mbed TLS 2.28 as shipped by Debian has no TLS 1.3 (its
 * MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL prototype is off in config.h), so its
 * rows are TLS 1.2 ECDHE-ECDSA with the same AEAD, group, key and
 * certificate, and are marked so.
 *
 * Checks before timing: every library must complete a handshake with the
 * requested version, suite and group (X25519), move data intact, and its
 * client must refuse the same server under a wrong host name. Every timed
 * handshake must complete, and every transferred record is compared with
 * what was sent (outside the timed calls).
 *
 * Timing: ROUNDS rounds in which every library in turn runs handshakes back
 * to back for SECONDS; then, per suite, ROUNDS rounds in which every library
 * in turn transfers MIB MiB on a fresh connection. The best round counts.
 * Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), or the monotonic
 * clock with --wall.
 *
 * Usage: bench_tls [--md] [--wall] CA.pem CERT.pem KEY.pem [seconds [rounds [MiB]]]
 * Build and run with bench/bench_tls.sh, which makes the PKI.
 */
#define _POSIX_C_SOURCE 200809L

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "mamori/drbg.h"
#include "mamori/error.h"
#include "mamori/tls.h"
#include "mamori/x509.h"

#define BENCH_NAME "bench_tls"
#include "bench_common.h"
#include "bench_tls.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAM, OSSL, MBED, WOLF, NLIB };
static const char *const lib_name[NLIB] = {"mamori", "OpenSSL", "Mbed TLS", "wolfSSL"};

#define WRONG_HOST "other.mamori.test"
#define CHUNK 16384

const char *const suite_name[NSUITE] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                        "TLS_CHACHA20_POLY1305_SHA256"};
static const uint16_t suite_id[NSUITE] = {MAMORI_TLS_AES_128_GCM_SHA256,
                                          MAMORI_TLS_AES_256_GCM_SHA384,
                                          MAMORI_TLS_CHACHA20_POLY1305_SHA256};
/* Mbed TLS (TLS 1.2): the ECDHE-ECDSA suite with the same AEAD. */
static const int mbed_suite[NSUITE] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                       MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                       MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256};

const char *ca_path, *cert_path, *key_path;
const char *host = HOST;
int suite = AES128;

/* ---------------------------------------------------------------------- */
/* In-memory transport                                                    */

queue_t c2s, s2c;

size_t q_put(queue_t *q, const void *p, size_t n)
{
    if (q->r == q->w)
        q->r = q->w = 0;
    if (q->w + n > QCAP && q->r > 0) {
        memmove(q->buf, q->buf + q->r, q->w - q->r);
        q->w -= q->r;
        q->r = 0;
    }
    if (n > QCAP - q->w)
        n = QCAP - q->w;
    memcpy(q->buf + q->w, p, n);
    q->w += n;
    return n;
}

size_t q_get(queue_t *q, void *p, size_t n)
{
    if (n > q->w - q->r)
        n = q->w - q->r;
    memcpy(p, q->buf + q->r, n);
    q->r += n;
    return n;
}

static int64_t unix_now(void)
{
    return (int64_t)time(NULL);
}

/* ---------------------------------------------------------------------- */
/* mamori                                                                 */

typedef struct {
    mamori_tls_t tls;
    uint8_t rx[MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)];
    uint8_t tx[MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)];
    uint8_t hs[MAMORI_TLS_MAX_HANDSHAKE];
} m_end_t;

static m_end_t m_cli, m_srv;
static mamori_drbg_t m_drbg_c, m_drbg_s;
static uint8_t m_ca_der[2048], m_leaf_der[2048], m_key[32];
static size_t m_ca_len, m_leaf_len;
static const uint8_t *m_chain[1];
static size_t m_chain_lens[1];
static mamori_x509_anchor_t m_anchor[1];
static mamori_x509_store_t m_store;
static mamori_tls_identity_t m_id;
static uint16_t m_suites[2], m_groups[2] = {MAMORI_TLS_GROUP_X25519, 0};
static mamori_tls_config_t m_ccfg, m_scfg;

/* Moves what e has to send into q, and what q holds into e. */
static int m_pump(m_end_t *e, queue_t *out, queue_t *in)
{
    size_t n;
    const uint8_t *p = mamori_tls_send_buf(&e->tls, &n);
    if (n)
        mamori_tls_send_done(&e->tls, q_put(out, p, n));
    uint8_t *room = mamori_tls_recv_buf(&e->tls, &n);
    if (n && in->w > in->r) {
        n = q_get(in, room, n);
        if (mamori_tls_recv_done(&e->tls, n) != 0)
            return -1;
        p = mamori_tls_send_buf(&e->tls, &n);
        if (n)
            mamori_tls_send_done(&e->tls, q_put(out, p, n));
    }
    return 0;
}

static int m_step(m_end_t *e, queue_t *out, queue_t *in)
{
    if (m_pump(e, out, in) != 0)
        return -1;
    mamori_tls_state_t st = mamori_tls_state(&e->tls);
    if (st == MAMORI_TLS_ST_FAILED || st == MAMORI_TLS_ST_CLOSED)
        return -1;
    return st == MAMORI_TLS_ST_OPEN;
}

static void m_setup(void)
{
    if (mamori_drbg_init(&m_drbg_c, urandom, NULL, "bench c", 7) != 0 ||
        mamori_drbg_init(&m_drbg_s, urandom, NULL, "bench s", 7) != 0)
        die("mamori: DRBG init failed");
    mamori_x509_store_init(&m_store, m_anchor, 1);
    if (mamori_x509_store_add_der(&m_store, m_ca_der, m_ca_len) != 0)
        die("mamori: CA not accepted as an anchor");
    m_chain[0] = m_leaf_der;
    m_chain_lens[0] = m_leaf_len;
    m_id.chain = m_chain;
    m_id.chain_lens = m_chain_lens;
    m_id.chain_count = 1;
    m_id.sig_scheme = MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256;
    m_id.key = m_key;
    m_id.key_len = sizeof m_key;
}

static void m_init(m_end_t *e, const mamori_tls_config_t *cfg, const char *role)
{
    if (mamori_tls_init(&e->tls, cfg, e->rx, sizeof e->rx, e->tx, sizeof e->tx, e->hs, sizeof e->hs) != 0)
        die("mamori: %s init failed", role);
}

static void m_c_new(void)
{
    memset(&m_ccfg, 0, sizeof m_ccfg);
    m_suites[0] = suite_id[suite];
    m_ccfg.rng = mamori_drbg_generate;
    m_ccfg.rng_ctx = &m_drbg_c;
    m_ccfg.server_name = host;
    m_ccfg.trust = &m_store;
    m_ccfg.unix_time = unix_now;
    m_ccfg.suites = m_suites;
    m_ccfg.groups = m_groups;
    m_init(&m_cli, &m_ccfg, "client");
}

static void m_s_new(void)
{
    memset(&m_scfg, 0, sizeof m_scfg);
    m_scfg.is_server = 1;
    m_scfg.rng = mamori_drbg_generate;
    m_scfg.rng_ctx = &m_drbg_s;
    m_scfg.identity = &m_id;
    m_scfg.suites = m_suites;
    m_scfg.groups = m_groups;
    m_init(&m_srv, &m_scfg, "server");
}

static int m_c_step(void)
{
    return m_step(&m_cli, &c2s, &s2c);
}

static int m_s_step(void)
{
    return m_step(&m_srv, &s2c, &c2s);
}

static int m_c_write(const uint8_t *p, size_t n)
{
    int w = mamori_tls_write(&m_cli.tls, p, n);
    if (w == MAMORI_ERR_WOULDBLOCK)
        w = 0;
    if (m_pump(&m_cli, &c2s, &s2c) != 0)
        return -1;
    return w;
}

static int m_s_read(uint8_t *p, size_t n)
{
    if (m_pump(&m_srv, &s2c, &c2s) != 0)
        return -1;
    int r = mamori_tls_read(&m_srv.tls, p, n);
    return r == MAMORI_ERR_WOULDBLOCK ? 0 : r;
}

static void m_c_free(void)
{
    mamori_tls_wipe(&m_cli.tls);
}

static void m_s_free(void)
{
    mamori_tls_wipe(&m_srv.tls);
}

static int m_check(void)
{
    return mamori_tls_suite(&m_cli.tls) == suite_id[suite] &&
                   mamori_tls_suite(&m_srv.tls) == suite_id[suite] &&
                   mamori_tls_group(&m_cli.tls) == MAMORI_TLS_GROUP_X25519 &&
                   mamori_tls_sig_scheme(&m_cli.tls) == MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256
               ? 0
               : -1;
}

static const lib_t lib_mamori = {m_c_new,   m_s_new,  m_c_step, m_s_step, m_c_write,
                                 m_s_read,  m_c_free, m_s_free, m_check};

/* ---------------------------------------------------------------------- */
/* OpenSSL: a BIO pair per connection stands for the two queues           */

static SSL_CTX *o_cctx[NSUITE], *o_sctx[NSUITE];
static SSL *o_c, *o_s;
static BIO *o_cbio, *o_sbio;

static SSL_CTX *o_ctx(int server, int s)
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
        !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
        !SSL_CTX_set_ciphersuites(ctx, suite_name[s]) || !SSL_CTX_set1_groups_list(ctx, "X25519") ||
        !SSL_CTX_set1_sigalgs_list(ctx, "ECDSA+SHA256"))
        die("OpenSSL: context setup failed");
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (server) {
        SSL_CTX_set_num_tickets(ctx, 0);
        if (SSL_CTX_use_certificate_file(ctx, cert_path, SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1)
            die("OpenSSL: server certificate or key not loaded");
    } else {
        if (SSL_CTX_load_verify_locations(ctx, ca_path, NULL) != 1)
            die("OpenSSL: CA not loaded");
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }
    return ctx;
}

static void o_setup(void)
{
    for (int s = 0; s < NSUITE; s++) {
        o_cctx[s] = o_ctx(0, s);
        o_sctx[s] = o_ctx(1, s);
    }
}

static void o_c_new(void)
{
    o_c = SSL_new(o_cctx[suite]);
    if (o_c == NULL || !BIO_new_bio_pair(&o_cbio, QCAP, &o_sbio, QCAP) ||
        !SSL_set_tlsext_host_name(o_c, host) || !SSL_set1_host(o_c, host))
        die("OpenSSL: client setup failed");
    SSL_set_bio(o_c, o_cbio, o_cbio);
    SSL_set_connect_state(o_c);
}

static void o_s_new(void)
{
    o_s = SSL_new(o_sctx[suite]);
    if (o_s == NULL)
        die("OpenSSL: server setup failed");
    SSL_set_bio(o_s, o_sbio, o_sbio);
    SSL_set_accept_state(o_s);
}

static int o_step(SSL *ssl)
{
    int r = SSL_do_handshake(ssl);
    if (r == 1)
        return 1;
    int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return 0;
    ERR_clear_error();
    return -1;
}

static int o_c_step(void)
{
    return o_step(o_c);
}

static int o_s_step(void)
{
    return o_step(o_s);
}

static int o_io(SSL *ssl, int r)
{
    if (r > 0)
        return r;
    int e = SSL_get_error(ssl, r);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

static int o_c_write(const uint8_t *p, size_t n)
{
    return o_io(o_c, SSL_write(o_c, p, (int)n));
}

static int o_s_read(uint8_t *p, size_t n)
{
    return o_io(o_s, SSL_read(o_s, p, (int)n));
}

static void o_c_free(void)
{
    SSL_free(o_c); /* frees its half of the pair */
}

static void o_s_free(void)
{
    SSL_free(o_s);
}

static int o_check(void)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(o_c);
    return SSL_version(o_c) == TLS1_3_VERSION && c && strcmp(SSL_CIPHER_get_name(c), suite_name[suite]) == 0 &&
                   SSL_get_negotiated_group(o_s) == NID_X25519 &&
                   SSL_get_verify_result(o_c) == X509_V_OK
               ? 0
               : -1;
}

static const lib_t lib_openssl = {o_c_new,  o_s_new,  o_c_step, o_s_step, o_c_write,
                                  o_s_read, o_c_free, o_s_free, o_check};

/* ---------------------------------------------------------------------- */
/* Mbed TLS 2.28 (TLS 1.2)                                                */

static mbedtls_entropy_context b_entropy;
static mbedtls_ctr_drbg_context b_drbg_c, b_drbg_s;
static mbedtls_x509_crt b_ca, b_cert;
static mbedtls_pk_context b_key;
static mbedtls_ssl_config b_cconf[NSUITE], b_sconf[NSUITE];
static int b_suites[NSUITE][2];
/* X25519 first for ECDHE; P-256 must be listed too, or the server finds
 * its P-256 certificate unusable (Mbed TLS 2.28 checks the certificate's
 * curve against the client's supported_groups). */
static const mbedtls_ecp_group_id b_curves[] = {MBEDTLS_ECP_DP_CURVE25519, MBEDTLS_ECP_DP_SECP256R1,
                                                MBEDTLS_ECP_DP_NONE};
static const int b_hashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_NONE};
static mbedtls_ssl_context b_c, b_s;

/* An end's two queues, the context of its I/O callbacks. */
typedef struct {
    queue_t *out, *in;
} b_pipe_t;
static b_pipe_t b_c_pipe = {&c2s, &s2c}, b_s_pipe = {&s2c, &c2s};

static int b_send(void *ctx, const unsigned char *p, size_t n)
{
    size_t w = q_put(((b_pipe_t *)ctx)->out, p, n);
    return w ? (int)w : MBEDTLS_ERR_SSL_WANT_WRITE;
}

static int b_recv(void *ctx, unsigned char *p, size_t n)
{
    size_t r = q_get(((b_pipe_t *)ctx)->in, p, n);
    return r ? (int)r : MBEDTLS_ERR_SSL_WANT_READ;
}

static void b_conf(mbedtls_ssl_config *c, int server, int s)
{
    mbedtls_ssl_config_init(c);
    if (mbedtls_ssl_config_defaults(c, server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        die("Mbed TLS: config defaults failed");
    mbedtls_ssl_conf_rng(c, mbedtls_ctr_drbg_random, server ? &b_drbg_s : &b_drbg_c);
    mbedtls_ssl_conf_min_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    b_suites[s][0] = mbed_suite[s];
    b_suites[s][1] = 0;
    mbedtls_ssl_conf_ciphersuites(c, b_suites[s]);
    mbedtls_ssl_conf_curves(c, b_curves);
    mbedtls_ssl_conf_sig_hashes(c, b_hashes);
    mbedtls_ssl_conf_session_tickets(c, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    if (server) {
        if (mbedtls_ssl_conf_own_cert(c, &b_cert, &b_key) != 0)
            die("Mbed TLS: own certificate not set");
    } else {
        mbedtls_ssl_conf_ca_chain(c, &b_ca, NULL);
        mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_REQUIRED);
    }
}

static void b_setup(void)
{
    mbedtls_entropy_init(&b_entropy);
    mbedtls_ctr_drbg_init(&b_drbg_c);
    mbedtls_ctr_drbg_init(&b_drbg_s);
    if (mbedtls_ctr_drbg_seed(&b_drbg_c, mbedtls_entropy_func, &b_entropy,
                              (const unsigned char *)"c", 1) != 0 ||
        mbedtls_ctr_drbg_seed(&b_drbg_s, mbedtls_entropy_func, &b_entropy,
                              (const unsigned char *)"s", 1) != 0)
        die("Mbed TLS: DRBG seed failed");
    mbedtls_x509_crt_init(&b_ca);
    mbedtls_x509_crt_init(&b_cert);
    mbedtls_pk_init(&b_key);
    if (mbedtls_x509_crt_parse_file(&b_ca, ca_path) != 0 ||
        mbedtls_x509_crt_parse_file(&b_cert, cert_path) != 0 ||
        mbedtls_pk_parse_keyfile(&b_key, key_path, NULL) != 0)
        die("Mbed TLS: PKI files not loaded");
    for (int s = 0; s < NSUITE; s++) {
        b_conf(&b_cconf[s], 0, s);
        b_conf(&b_sconf[s], 1, s);
    }
}

static void b_c_new(void)
{
    mbedtls_ssl_init(&b_c);
    if (mbedtls_ssl_setup(&b_c, &b_cconf[suite]) != 0 || mbedtls_ssl_set_hostname(&b_c, host) != 0)
        die("Mbed TLS: client setup failed");
    mbedtls_ssl_set_bio(&b_c, &b_c_pipe, b_send, b_recv, NULL);
}

static void b_s_new(void)
{
    mbedtls_ssl_init(&b_s);
    if (mbedtls_ssl_setup(&b_s, &b_sconf[suite]) != 0)
        die("Mbed TLS: server setup failed");
    mbedtls_ssl_set_bio(&b_s, &b_s_pipe, b_send, b_recv, NULL);
}

static int b_step(mbedtls_ssl_context *ssl)
{
    int r = mbedtls_ssl_handshake(ssl);
    if (r == 0)
        return 1;
    return r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE ? 0 : -1;
}

static int b_c_step(void)
{
    return b_step(&b_c);
}

static int b_s_step(void)
{
    return b_step(&b_s);
}

static int b_io(int r)
{
    if (r > 0)
        return r;
    return r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE ? 0 : -1;
}

static int b_c_write(const uint8_t *p, size_t n)
{
    return b_io(mbedtls_ssl_write(&b_c, p, n));
}

static int b_s_read(uint8_t *p, size_t n)
{
    return b_io(mbedtls_ssl_read(&b_s, p, n));
}

static void b_c_free(void)
{
    mbedtls_ssl_free(&b_c);
}

static void b_s_free(void)
{
    mbedtls_ssl_free(&b_s);
}

/* Mbed TLS 2.28 does not report the group; both ends list X25519 first and
 * the server takes the first of the client's list it supports. */
static int b_check(void)
{
    return strcmp(mbedtls_ssl_get_version(&b_c), "TLSv1.2") == 0 &&
                   mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(&b_c)) ==
                       mbed_suite[suite] &&
                   mbedtls_ssl_get_verify_result(&b_c) == 0
               ? 0
               : -1;
}

static const lib_t lib_mbed = {b_c_new,  b_s_new,  b_c_step, b_s_step, b_c_write,
                               b_s_read, b_c_free, b_s_free, b_check};

static const lib_t *const libs[NLIB] = {&lib_mamori, &lib_openssl, &lib_mbed, &lib_wolf};

/* ---------------------------------------------------------------------- */
/* Timing                                                                 */

/* Creates a client and a server and runs the handshake; adds each side's
 * time to *tc and *ts. 0 once both ends completed with nothing left in
 * flight; the caller frees both either way. */
static int hs_open(const lib_t *l, double *tc, double *ts)
{
    double t0;
    int cd = 0, sd = 0;
    c2s.r = c2s.w = s2c.r = s2c.w = 0;
    t0 = now();
    l->c_new();
    *tc += now() - t0;
    t0 = now();
    l->s_new();
    *ts += now() - t0;
    for (int i = 0; i < 100; i++) {
        if (cd != 1) {
            t0 = now();
            cd = l->c_step();
            *tc += now() - t0;
        }
        if (sd != 1 && cd >= 0) {
            t0 = now();
            sd = l->s_step();
            *ts += now() - t0;
        }
        if (cd < 0 || sd < 0)
            return -1;
        if (cd == 1 && sd == 1)
            return c2s.r == c2s.w && s2c.r == s2c.w ? 0 : -1;
    }
    return -1;
}

/* One full handshake, objects released (timed too). */
static int handshake(const lib_t *l, double *tc, double *ts, int check)
{
    double t0;
    int ok = hs_open(l, tc, ts) == 0 && (!check || l->check() == 0);
    t0 = now();
    l->c_free();
    *tc += now() - t0;
    t0 = now();
    l->s_free();
    *ts += now() - t0;
    return ok ? 0 : -1;
}

static uint8_t bulk_src[CHUNK], bulk_dst[CHUNK];

/* Moves total bytes client to server in CHUNK writes on a connection that
 * is open; adds writer and reader time to *t. Every record is compared
 * outside the timed calls. */
static int transfer(const lib_t *l, size_t total, double *t)
{
    double t0, sum = 0;
    for (size_t sent = 0; sent < total;) {
        bulk_src[0] = (uint8_t)(sent >> 14);
        t0 = now();
        int w = l->c_write(bulk_src, CHUNK);
        sum += now() - t0;
        if (w != CHUNK)
            return -1;
        size_t got = 0;
        for (int guard = 0; got < CHUNK && guard < 64; guard++) {
            t0 = now();
            int r = l->s_read(bulk_dst + got, CHUNK - got);
            sum += now() - t0;
            if (r < 0)
                return -1;
            got += (size_t)r;
        }
        if (got != CHUNK || memcmp(bulk_src, bulk_dst, CHUNK) != 0)
            return -1;
        sent += CHUNK;
    }
    *t += sum;
    return 0;
}

/* Opens a connection (untimed) for the bulk rows. */
static void open_conn(int li)
{
    double t = 0;
    if (hs_open(libs[li], &t, &t) != 0 || libs[li]->check() != 0)
        die("%s: connection for %s did not open", lib_name[li], suite_name[suite]);
}

static void close_conn(int li)
{
    libs[li]->c_free();
    libs[li]->s_free();
}

static void checks(void)
{
    double tc = 0, ts = 0;
    for (int li = 0; li < NLIB; li++)
        for (suite = 0; suite < NSUITE; suite++) {
            host = HOST;
            if (handshake(libs[li], &tc, &ts, 1) != 0)
                die("%s: handshake with %s failed", lib_name[li], suite_name[suite]);
            open_conn(li);
            if (transfer(libs[li], 4 * CHUNK, &tc) != 0)
                die("%s: data did not arrive intact with %s", lib_name[li], suite_name[suite]);
            close_conn(li);
            host = WRONG_HOST;
            if (handshake(libs[li], &tc, &ts, 0) == 0)
                die("%s: client accepted a certificate for another host name", lib_name[li]);
            ERR_clear_error();
        }
    host = HOST;
    suite = AES128;
}

/* A PEM certificate file as DER (for mamori, through OpenSSL). */
static size_t load_der(const char *path, uint8_t *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    int n = x ? i2d_X509(x, NULL) : -1;
    if (n <= 0 || (size_t)n > cap)
        die("cannot read %s", path);
    n = i2d_X509(x, &out);
    X509_free(x);
    fclose(f);
    return (size_t)n;
}

/* mamori's certificates and raw P-256 scalar, exported with OpenSSL. */
static void load_pki(void)
{
    FILE *f;
    EVP_PKEY *k = NULL;
    BIGNUM *bn = NULL;

    m_ca_len = load_der(ca_path, m_ca_der, sizeof m_ca_der);
    m_leaf_len = load_der(cert_path, m_leaf_der, sizeof m_leaf_der);
    if ((f = fopen(key_path, "r")) == NULL ||
        (k = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL ||
        !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &bn) ||
        BN_bn2binpad(bn, m_key, sizeof m_key) != (int)sizeof m_key)
        die("cannot read the P-256 key %s", key_path);
    fclose(f);
    BN_clear_free(bn);
    EVP_PKEY_free(k);
}

static void cell(char *out, size_t cap, double v)
{
    snprintf(out, cap, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
}

static void print_row(int md, const char *name, const char *unit, const double v[NLIB],
                      int higher_better)
{
    char c[NLIB][24], r[NLIB][24];
    for (int l = 0; l < NLIB; l++) {
        cell(c[l], sizeof c[l], v[l]);
        double x = higher_better ? v[MAM] / v[l] : v[l] / v[MAM];
        snprintf(r[l], sizeof r[l], "%.2fx", x);
    }
    if (md)
        printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, unit, c[MAM], c[OSSL],
               c[MBED], c[WOLF], r[OSSL], r[MBED], r[WOLF]);
    else
        printf("%-40s %-5s %9s %9s %9s %9s %8s %8s %8s\n", name, unit, c[MAM], c[OSSL], c[MBED],
               c[WOLF], r[OSSL], r[MBED], r[WOLF]);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int md = 0, pos = 0;
    double secs = 1.0, mib = 16;
    int rounds = 4;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--md") == 0)
            md = 1;
        else if (strcmp(argv[i], "--wall") == 0)
            clock_id = CLOCK_MONOTONIC;
        else if (pos == 0)
            ca_path = argv[i], pos++;
        else if (pos == 1)
            cert_path = argv[i], pos++;
        else if (pos == 2)
            key_path = argv[i], pos++;
        else if (pos == 3)
            secs = atof(argv[i]), pos++;
        else if (pos == 4)
            rounds = atoi(argv[i]), pos++;
        else
            mib = atof(argv[i]), pos++;
    }
    if (pos < 3 || secs <= 0 || rounds < 1 || mib <= 0)
        die("usage: bench_tls [--md] [--wall] CA.pem CERT.pem KEY.pem [seconds [rounds [MiB]]]");

    load_pki();
    m_setup();
    o_setup();
    b_setup();
    w_setup();
    checks();

    printf("mamori TLS benchmark: in-memory client and server of each library, X25519, ECDSA "
           "P-256 certificate from one CA, chain and host name checked, no tickets\n");
    printf("handshakes: %.2f s x %d rounds per library (%s), best round; bulk: %.0f MiB x %d "
           "rounds one way in 16 KiB records, best round; all results checked\n",
           secs, rounds, clock_id == CLOCK_MONOTONIC ? "wall clock" : "thread CPU time", mib,
           rounds);
    printf("versions: %s, Mbed TLS %s (TLS 1.2: no TLS 1.3 in this build), wolfSSL %s\n",
           OpenSSL_version(OPENSSL_VERSION), MBEDTLS_VERSION_STRING, w_version());
    printf("x = how many times better mamori is (other time / mamori time, or mamori rate / "
           "other rate)\n\n");
    if (md) {
        printf("| row | unit | mamori | OpenSSL | Mbed TLS (1.2) | wolfSSL | mamori vs OpenSSL | "
               "vs Mbed TLS | vs wolfSSL |\n");
        printf("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    } else {
        printf("%-40s %-5s %9s %9s %9s %9s %8s %8s %8s\n", "row", "unit", "mamori", "OpenSSL",
               "MbedTLS*", "wolfSSL", "/OpenSSL", "/Mbed", "/wolfSSL");
    }
    fflush(stdout);

    /* Handshakes, suite TLS_AES_128_GCM_SHA256 (ECDHE-ECDSA-AES128-GCM for
     * Mbed TLS). */
    double best_c[NLIB], best_s[NLIB], best_pair[NLIB];
    for (int l = 0; l < NLIB; l++)
        best_c[l] = best_s[l] = best_pair[l] = 1e9;
    for (int k = 0; k < rounds; k++)
        for (int l = 0; l < NLIB; l++) {
            double tc = 0, ts = 0, t0 = now(), t;
            long n = 0;
            do {
                if (handshake(libs[l], &tc, &ts, 0) != 0)
                    die("%s: handshake failed while timed", lib_name[l]);
                n++;
                t = now();
            } while (t - t0 < secs);
            if ((tc + ts) / (double)n < best_pair[l]) {
                best_pair[l] = (tc + ts) / (double)n;
                best_c[l] = tc / (double)n;
                best_s[l] = ts / (double)n;
            }
        }
    double v[NLIB];
    for (int l = 0; l < NLIB; l++)
        v[l] = best_c[l] * 1e6;
    print_row(md, "full handshake, client CPU", "us", v, 0);
    for (int l = 0; l < NLIB; l++)
        v[l] = best_s[l] * 1e6;
    print_row(md, "full handshake, server CPU", "us", v, 0);
    for (int l = 0; l < NLIB; l++)
        v[l] = 1.0 / best_pair[l];
    print_row(md, "handshakes/s (client + server CPU)", "hs/s", v, 1);

    /* Bulk per suite. */
    size_t total = (size_t)(mib * 1048576.0) / CHUNK * CHUNK;
    for (int i = 0; i < CHUNK; i++)
        bulk_src[i] = (uint8_t)(i * 131 + 7);
    for (suite = 0; suite < NSUITE; suite++) {
        double best[NLIB] = {0};
        for (int k = 0; k < rounds; k++)
            for (int l = 0; l < NLIB; l++) {
                double t = 0;
                open_conn(l);
                if (transfer(libs[l], total, &t) != 0)
                    die("%s: transfer with %s failed", lib_name[l], suite_name[suite]);
                close_conn(l);
                double rate = (double)total / t / 1e6;
                if (rate > best[l])
                    best[l] = rate;
            }
        char name[64];
        snprintf(name, sizeof name, "bulk %s", suite_name[suite] + 4);
        print_row(md, name, "MB/s", best, 1);
    }
    return 0;
}
