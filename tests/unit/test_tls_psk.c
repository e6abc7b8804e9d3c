/* External PSKs (RFC 8446 §4.2.11) and the TLS compile-time switches. Built
 * twice: as test_tls_psk with the default configuration, and as
 * test_tls_psk_only with the PSK-only configuration of
 * bench/footprint/tls_client_psk.c (no certificates, resumption,
 * HelloRetryRequest or ALPN; CMakeLists.txt), so that configuration is
 * compiled and run too. Without arguments: binder known answers and client
 * against server in memory. With arguments it is the mamori end of
 * tests/interop/test_tls_psk.sh:
 *   test_tls_psk client PORT IDENTITY HEXKEY [--sha384] [--rsl N] [--send S]
 *                [--pin SPKI-SHA256-HEX]
 *   test_tls_psk server PORT IDENTITY HEXKEY [--sha384]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "mamori/drbg.h"
#include "mamori/error.h"
#include "posix/entropy.h"
#include "posix/tls_fd.h"
#include "tls/tls_internal.h"
#if MAMORI_TLS_CERT
#include "../vectors/tls/certs.h"
#endif

typedef struct {
    mamori_tls_t tls;
    uint8_t rx[MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)];
    uint8_t tx[MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)];
    uint8_t hs[4096];
} end_t;

static end_t cli, srv;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* Deterministic randomness for the in-memory tests (xorshift64*). */
static int test_rng(void *ctx, void *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        rng_state ^= rng_state >> 12, rng_state ^= rng_state << 25, rng_state ^= rng_state >> 27;
        ((uint8_t *)out)[i] = (uint8_t)((rng_state * 0x2545f4914f6cdd1dull) >> 56);
    }
    return 0;
}

static const uint8_t key16[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const mamori_tls_psk_t psk256 = {(const uint8_t *)"device-17", 9, key16, 16,
                                        MAMORI_HASH_SHA256};

static mamori_tls_config_t client_cfg(const mamori_tls_psk_t *psk)
{
    mamori_tls_config_t c;
    memset(&c, 0, sizeof c);
    c.rng = test_rng;
    c.server_name = "device.example";
    c.psk = psk;
    return c;
}

static mamori_tls_config_t server_cfg(const mamori_tls_psk_t *psk)
{
    mamori_tls_config_t c;
    memset(&c, 0, sizeof c);
    c.is_server = 1;
    c.rng = test_rng;
    c.psk = psk;
    return c;
}

/* Moves what one end sends to the other, as far as it takes it. */
static void move(end_t *from, end_t *to)
{
    size_t n, room;
    const uint8_t *out = mamori_tls_send_buf(&from->tls, &n);
    uint8_t *in = mamori_tls_recv_buf(&to->tls, &room);
    if (n > room)
        n = room;
    if (n == 0)
        return;
    memcpy(in, out, n);
    mamori_tls_send_done(&from->tls, n);
    mamori_tls_recv_done(&to->tls, n);
}

static void run(void)
{
    for (int i = 0; i < 64; i++) {
        move(&cli, &srv);
        move(&srv, &cli);
    }
}

static void start(const mamori_tls_config_t *cc, const mamori_tls_config_t *sc)
{
    CHECK_EQ(mamori_tls_init(&srv.tls, sc, srv.rx, sizeof srv.rx, srv.tx, sizeof srv.tx, srv.hs,
                             sizeof srv.hs),
             0);
    CHECK_EQ(mamori_tls_init(&cli.tls, cc, cli.rx, sizeof cli.rx, cli.tx, sizeof cli.tx, cli.hs,
                             sizeof cli.hs),
             0);
}

/* Application data both ways after the handshake. */
static void exchange(void)
{
    uint8_t buf[16];
    CHECK_EQ(mamori_tls_write(&cli.tls, "ping", 4), 4);
    run();
    CHECK_EQ(mamori_tls_read(&srv.tls, buf, sizeof buf), 4);
    CHECK_MEM(buf, "ping", 4);
    CHECK_EQ(mamori_tls_write(&srv.tls, "pong!", 5), 5);
    run();
    CHECK_EQ(mamori_tls_read(&cli.tls, buf, sizeof buf), 5);
    CHECK_MEM(buf, "pong!", 5);
}

/* RFC 8448 §4 binder (resumption PSK) through the general binder function;
 * the "ext binder" variants of the same inputs and of a 16-byte key were
 * computed independently with Python's hmac/hashlib from RFC 8446 §7.1. */
static void test_binders(void)
{
    uint8_t psk[32], th[32], want[32], got[32];
    hex_decode("4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3", psk, 32);
    hex_decode("63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14", th, 32);

    hex_decode("3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d", want, 32);
    CHECK_EQ(mamori_tls_binder(MAMORI_HASH_SHA256, psk, 32, false, th, got), 0);
    CHECK_MEM(got, want, 32);
    hex_decode("2c43f20dd8a457f0a212dd9cd6fc13a201824436df3682166133bb1c1d3665c3", want, 32);
    CHECK_EQ(mamori_tls_binder(MAMORI_HASH_SHA256, psk, 32, true, th, got), 0);
    CHECK_MEM(got, want, 32);
    hex_decode("3d6a48d1e265abe30f17971cc36ef06a5a2a4ceb4d8fecd1b23312c3f2633184", want, 32);
    CHECK_EQ(mamori_tls_binder(MAMORI_HASH_SHA256, key16, 16, true, th, got), 0);
    CHECK_MEM(got, want, 32);
}

static void test_psk_handshake(void)
{
    mamori_tls_config_t cc = client_cfg(&psk256), sc = server_cfg(&psk256);
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(cli.tls.psk_mode, 1);
    CHECK_EQ(srv.tls.psk_mode, 1);
    CHECK_EQ(mamori_tls_suite(&cli.tls), MAMORI_TLS_AES_128_GCM_SHA256);
    CHECK_EQ(mamori_tls_group(&cli.tls), MAMORI_TLS_GROUP_X25519);
    CHECK_EQ(mamori_tls_sig_scheme(&cli.tls), 0);
    exchange();
    CHECK_EQ(mamori_tls_close(&cli.tls), 0);
    run();
    CHECK_EQ(mamori_tls_read(&srv.tls, cli.hs, 1), MAMORI_ERR_TLS_CLOSED);

    /* No server name is needed with a PSK; and a client without any way to
     * authenticate, or with a short key, is refused at once. */
    cc.server_name = NULL;
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    mamori_tls_config_t bad = client_cfg(NULL);
    bad.server_name = NULL;
    CHECK_EQ(mamori_tls_init(&cli.tls, &bad, cli.rx, sizeof cli.rx, cli.tx, sizeof cli.tx, cli.hs,
                             sizeof cli.hs),
             MAMORI_ERR_INVAL);
    mamori_tls_psk_t short_key = psk256;
    short_key.key_len = 15;
    bad = client_cfg(&short_key);
    CHECK_EQ(mamori_tls_init(&cli.tls, &bad, cli.rx, sizeof cli.rx, cli.tx, sizeof cli.tx, cli.hs,
                             sizeof cli.hs),
             MAMORI_ERR_INVAL);
    bad = server_cfg(NULL);
    CHECK_EQ(mamori_tls_init(&srv.tls, &bad, srv.rx, sizeof srv.rx, srv.tx, sizeof srv.tx, srv.hs,
                             sizeof srv.hs),
             MAMORI_ERR_INVAL);
#if MAMORI_SHA512
    /* A SHA-384 PSK: the server picks the suite of its hash although it
     * prefers AES-128-GCM-SHA256. */
    static const mamori_tls_psk_t psk384 = {(const uint8_t *)"device-17", 9, key16, 16,
                                            MAMORI_HASH_SHA384};
    cc = client_cfg(&psk384), sc = server_cfg(&psk384);
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(mamori_tls_suite(&srv.tls), MAMORI_TLS_AES_256_GCM_SHA384);
    exchange();
#endif
}

static void test_psk_failures(void)
{
    static const uint8_t other_key[16] = {1};
    mamori_tls_psk_t wrong = psk256;
    mamori_tls_config_t cc = client_cfg(&wrong), sc = server_cfg(&psk256);
    int by_us = 0;

    /* The same identity with another key: the binder does not verify. */
    wrong.key = other_key;
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_FAILED);
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, &by_us), MAMORI_TLS_ALERT_DECRYPT_ERROR);
    CHECK_EQ(by_us, 1);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, &by_us), MAMORI_TLS_ALERT_DECRYPT_ERROR);
    CHECK_EQ(by_us, 0);

    /* An identity the server does not know, and no certificate to fall
     * back to: unknown_psk_identity. */
    wrong = psk256;
    wrong.identity = (const uint8_t *)"device-18";
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_UNKNOWN_PSK_IDENTITY);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_FAILED);

#if MAMORI_SHA512
    /* A PSK of a hash no offered suite has is not offered. */
    static const uint16_t only_aes128[] = {MAMORI_TLS_AES_128_GCM_SHA256, 0};
    static const mamori_tls_psk_t psk384 = {(const uint8_t *)"device-17", 9, key16, 16,
                                            MAMORI_HASH_SHA384};
    cc = client_cfg(&psk384);
    cc.suites = only_aes128;
    start(&cc, &sc);
    CHECK_EQ(cli.tls.psk_offered, 0);
#endif
}

#if MAMORI_TLS_CERT
/* With certificates compiled in, a server that does not know the
 * client's identity answers with its certificate, which the client checks
 * as usual; a client with both takes the PSK. */
static void test_cert_fallback(void)
{
    static const uint8_t *const chain[] = {test_server_der};
    static const size_t chain_lens[] = {sizeof test_server_der};
    static const mamori_tls_identity_t id = {chain,          chain_lens, 1,
                                             MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256,
                                             test_server_key, sizeof test_server_key};
    static mamori_x509_anchor_t anchors[1];
    static mamori_x509_store_t store;
    mamori_tls_psk_t other = psk256;
    mamori_tls_config_t cc = client_cfg(&other), sc = server_cfg(&psk256);

    mamori_x509_store_init(&store, anchors, 1);
    CHECK_EQ(mamori_x509_store_add_der(&store, test_ca_der, sizeof test_ca_der), 0);
    cc.server_name = TEST_SERVER_NAME;
    cc.trust = &store;
    cc.allow_no_time = 1;
    sc.identity = &id;
    other.identity = (const uint8_t *)"device-18";
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(cli.tls.psk_mode, 0);
    CHECK_EQ(mamori_tls_sig_scheme(&cli.tls), MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256);
    exchange();

    other = psk256;
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(cli.tls.psk_mode, 1);
    CHECK_EQ(mamori_tls_sig_scheme(&cli.tls), 0);
    exchange();
}
#endif

/* A record from the server as the engine would protect it now. */
static void server_record(uint8_t type, const uint8_t *msg, size_t len)
{
    uint8_t rec[256];
    size_t room;
    uint8_t *in = mamori_tls_recv_buf(&cli.tls, &room);
    memcpy(rec + MAMORI_TLS_RECORD_HEADER, msg, len);
    int n = mamori_tls_seal(&srv.tls.wr, type, rec, sizeof rec, len, 0);
    CHECK(n > 0 && (size_t)n <= room);
    memcpy(in, rec, (size_t)n);
    mamori_tls_recv_done(&cli.tls, (size_t)n);
}

/* Peer features a configuration may lack: a NewSessionTicket is taken (and
 * with MAMORI_TLS_RESUMPTION=0 dropped); a HelloRetryRequest is followed,
 * or with MAMORI_TLS_HRR=0 fails with handshake_failure; a ClientHello
 * without a usable key share gets a HelloRetryRequest, or fails alike. */
static void test_switches(void)
{
    mamori_tls_config_t cc = client_cfg(&psk256), sc = server_cfg(&psk256);
    static mamori_tls_session_t session;
    uint8_t buf[8];

    cc.session = &session;
    start(&cc, &sc);
    run();
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    static const uint8_t nst[] = {TLS_HS_NEW_SESSION_TICKET, 0, 0, 18, 0, 0, 0x1c, 0x20, 1, 2, 3,
                                  4, 1, 0, 0, 4, 't', 'k', 't', '!', 0, 0};
    server_record(TLS_CT_HANDSHAKE, nst, sizeof nst);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(session.ticket_len, MAMORI_TLS_RESUMPTION ? 4 : 0);
    server_record(TLS_CT_APPDATA, (const uint8_t *)"after", 5);
    CHECK_EQ(mamori_tls_read(&cli.tls, buf, sizeof buf), 5);
    CHECK_MEM(buf, "after", 5);

    /* A HelloRetryRequest for secp256r1 (the session id echoed). */
    start(&cc, &sc);
    uint8_t hrr[128];
    size_t n = 0;
    hrr[n++] = TLS_CT_HANDSHAKE, hrr[n++] = 3, hrr[n++] = 3, n += 2;
    hrr[n++] = TLS_HS_SERVER_HELLO, n += 3;
    hrr[n++] = 3, hrr[n++] = 3;
    memcpy(hrr + n, tls_hrr_random, 32), n += 32;
    hrr[n++] = cli.tls.session_id_len;
    memcpy(hrr + n, cli.tls.session_id, cli.tls.session_id_len), n += cli.tls.session_id_len;
    memcpy(hrr + n, "\x13\x01\x00\x00\x0c\x00\x2b\x00\x02\x03\x04\x00\x33\x00\x02\x00\x17", 17);
    n += 17;
    hrr[3] = 0, hrr[4] = (uint8_t)(n - 5);
    hrr[6] = 0, hrr[7] = 0, hrr[8] = (uint8_t)(n - 9);
    size_t room;
    memcpy(mamori_tls_recv_buf(&cli.tls, &room), hrr, n);
    mamori_tls_recv_done(&cli.tls, n);
    if (MAMORI_TLS_HRR && MAMORI_P256) {
        CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_HANDSHAKE);
        CHECK_EQ(mamori_tls_group(&cli.tls), MAMORI_TLS_GROUP_SECP256R1);
    } else if (!MAMORI_TLS_HRR) {
        CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_FAILED);
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_HANDSHAKE_FAILURE);
        CHECK_EQ(cli.tls.err, MAMORI_ERR_UNSUPPORTED);
    }

    /* A ClientHello with X25519 supported but no key share, offering our
     * PSK (its binder is not looked at before the retry). */
    static const uint8_t ch[] =
        "\x16\x03\x03\x00\x82\x01\x00\x00\x7e\x03\x03RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR"
        "\x00\x00\x02\x13\x01\x01\x00\x00\x53"
        "\x00\x2b\x00\x03\x02\x03\x04"
        "\x00\x0a\x00\x04\x00\x02\x00\x1d"
        "\x00\x33\x00\x02\x00\x00"
        "\x00\x2d\x00\x02\x01\x01"
        "\x00\x29\x00\x34\x00\x0f\x00\x09"
        "device-17"
        "\x00\x00\x00\x00\x00\x21\x20"
        "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    CHECK_EQ(mamori_tls_init(&srv.tls, &sc, srv.rx, sizeof srv.rx, srv.tx, sizeof srv.tx, srv.hs,
                             sizeof srv.hs),
             0);
    memcpy(mamori_tls_recv_buf(&srv.tls, &room), ch, sizeof ch - 1);
    mamori_tls_recv_done(&srv.tls, sizeof ch - 1);
    if (MAMORI_TLS_HRR) {
        const uint8_t *out = mamori_tls_send_buf(&srv.tls, &n);
        CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_HANDSHAKE);
        CHECK(n > 43 && out[5] == TLS_HS_SERVER_HELLO && memcmp(out + 11, tls_hrr_random, 32) == 0);
    } else {
        CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_FAILED);
        CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_HANDSHAKE_FAILURE);
    }
}

/* ---- interop end ---------------------------------------------------------- */

static mamori_drbg_t drbg;

static int tool(int argc, char **argv)
{
    static uint8_t key[64], pin[32];
    static mamori_tls_psk_t psk;
    static uint16_t rsl;
    const char *send = NULL, *pin_hex = NULL;
    int is_server = strcmp(argv[1], "server") == 0, fd, err;
    struct sockaddr_in sa;
    mamori_tls_config_t cfg;
    long klen;
    uint8_t buf[4096];

    if (argc < 5 || (klen = hex_decode(argv[4], key, sizeof key)) < 0)
        return 2;
    psk.identity = (const uint8_t *)argv[3];
    psk.identity_len = strlen(argv[3]);
    psk.key = key;
    psk.key_len = (size_t)klen;
    psk.hash = MAMORI_HASH_SHA256;
    for (int i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--sha384"))
            psk.hash = MAMORI_HASH_SHA384;
        else if (!strcmp(argv[i], "--rsl") && i + 1 < argc)
            rsl = (uint16_t)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--send") && i + 1 < argc)
            send = argv[++i];
        else if (!strcmp(argv[i], "--pin") && i + 1 < argc)
            pin_hex = argv[++i];
    }
    if (mamori_drbg_init(&drbg, mamori_posix_entropy, NULL, "tls_psk", 7) != 0)
        return 2;
    cfg = is_server ? server_cfg(&psk) : client_cfg(&psk);
    cfg.rng = mamori_drbg_generate;
    cfg.rng_ctx = &drbg;
    cfg.record_size_limit = rsl;
    if (pin_hex) {
        if (hex_decode(pin_hex, pin, sizeof pin) != 32)
            return 2;
        cfg.server_name = "localhost";
        cfg.spki_pin = pin;
    }

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(argv[2]));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (is_server) {
        int one = 1, c;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 1))
            return perror("listen"), 2;
        c = accept(fd, NULL, NULL);
        close(fd);
        fd = c;
    } else if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        return perror("connect"), 2;
    }
    size_t rx_cap = rsl ? MAMORI_TLS_RECORD_BUF((size_t)rsl - 1) : sizeof cli.rx;
    err = mamori_tls_init(&cli.tls, &cfg, cli.rx, rx_cap, cli.tx, sizeof cli.tx, cli.hs,
                          sizeof cli.hs);
    if (err == 0)
        err = mamori_tls_fd_handshake(&cli.tls, fd, 10000);
    if (err) {
        int sent = 0, alert = mamori_tls_last_alert(&cli.tls, &sent);
        printf("handshake failed: %s, alert %d %s\n", mamori_strerror(err), alert,
               sent ? "sent" : "received");
        return 1;
    }
    printf("handshake ok, psk %d, suite %04x, group %04x, out limit %u\n", cli.tls.psk_mode,
           mamori_tls_suite(&cli.tls), mamori_tls_group(&cli.tls), cli.tls.out_limit);
    fflush(stdout);
    if (send && (err = mamori_tls_fd_write(&cli.tls, fd, send, strlen(send), 10000)) != 0)
        return printf("write: %s\n", mamori_strerror(err)), 1;
    /* Echo (server) or print (client) what arrives until close or quiet. */
    while ((err = mamori_tls_fd_read(&cli.tls, fd, buf, sizeof buf, 2000)) > 0) {
        fwrite(buf, 1, (size_t)err, stdout);
        fflush(stdout);
        if (is_server && mamori_tls_fd_write(&cli.tls, fd, buf, (size_t)err, 10000) != 0)
            break;
    }
    mamori_tls_fd_close(&cli.tls, fd, 2000);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return tool(argc, argv);
    test_binders();
    test_psk_handshake();
    test_psk_failures();
#if MAMORI_TLS_CERT
    test_cert_fallback();
#endif
    test_switches();
    printf("sizeof(mamori_tls_t) = %zu\n", sizeof(mamori_tls_t));
    return check_summary(MAMORI_TLS_CERT ? "tls_psk" : "tls_psk_only");
}
