/* TLS 1.3 engine, client against server in memory: every suite and group,
 * Ed25519/ECDSA/RSA-PSS certificates, HelloRetryRequest with cookie, mutual
 * TLS, record_size_limit, KeyUpdate, close_notify, byte-at-a-time delivery,
 * and failures that must end in the right alert. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "mamori/error.h"
#include "mamori/sha2.h"
#include "tls/tls_internal.h"
#include "tls_test_keys.h"

/* Deterministic test randomness: SHA-256 of a counter. */
static int test_rng(void *ctx, void *out, size_t len)
{
    uint64_t *ctr = ctx;
    uint8_t block[32], *o = out;
    while (len > 0) {
        size_t n = len < 32 ? len : 32;
        (*ctr)++;
        mamori_sha256(ctr, sizeof *ctr, block);
        memcpy(o, block, n);
        o += n;
        len -= n;
    }
    return 0;
}

typedef struct {
    mamori_tls_t tls;
    uint8_t rx[MAMORI_TLS_RECORD_BUF(16384)];
    uint8_t tx[MAMORI_TLS_RECORD_BUF(16384)];
    uint8_t hs[4096];
    size_t max_record_seen;
} end_t;

static end_t cli, srv;
static uint64_t rng_c = 1, rng_s = 1000;

static const uint8_t *const ed_chain[] = {ed_cert};
static const size_t ed_lens[] = {sizeof ed_cert};
static const uint8_t *const ec_chain[] = {ec_cert};
static const size_t ec_lens[] = {sizeof ec_cert};
static const uint8_t *const rsa_chain[] = {rsa_cert};
static const size_t rsa_lens[] = {sizeof rsa_cert};

static const mamori_tls_identity_t id_ed = {ed_chain, ed_lens, 1, MAMORI_TLS_SIG_ED25519,
                                            ed_key, sizeof ed_key};
static const mamori_tls_identity_t id_ec = {ec_chain, ec_lens, 1,
                                            MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256, ec_key,
                                            sizeof ec_key};
static const mamori_tls_identity_t id_rsa = {rsa_chain, rsa_lens, 1,
                                             MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256, rsa_key,
                                             sizeof rsa_key};

/* Moves up to chunk bytes from a's output to b's input. */
static size_t shuttle(end_t *a, end_t *b, size_t chunk)
{
    size_t out_len, in_len, n;
    const uint8_t *out = mamori_tls_send_buf(&a->tls, &out_len);
    uint8_t *in = mamori_tls_recv_buf(&b->tls, &in_len);
    n = out_len < in_len ? out_len : in_len;
    if (n > chunk)
        n = chunk;
    if (n == 0)
        return 0;
    /* Track the largest record header a sends (record_size_limit test). */
    if (out_len >= 5 && n == out_len) {
        size_t pos = 0;
        while (pos + 5 <= out_len) {
            size_t rl = (size_t)((out[pos + 3] << 8) | out[pos + 4]);
            if (rl > a->max_record_seen)
                a->max_record_seen = rl;
            pos += 5 + rl;
        }
    }
    memcpy(in, out, n);
    mamori_tls_send_done(&a->tls, n);
    mamori_tls_recv_done(&b->tls, n);
    return n;
}

static void run(size_t chunk)
{
    for (int i = 0; i < 100000; i++) {
        size_t moved = shuttle(&cli, &srv, chunk) + shuttle(&srv, &cli, chunk);
        if (moved == 0)
            break;
    }
}

static int start(const mamori_tls_config_t *cc, const mamori_tls_config_t *sc, size_t rx_c,
                 size_t rx_s)
{
    int err;
    memset(&cli, 0, sizeof cli);
    memset(&srv, 0, sizeof srv);
    err = mamori_tls_init(&srv.tls, sc, srv.rx, rx_s, srv.tx, sizeof srv.tx, srv.hs, sizeof srv.hs);
    if (err)
        return err;
    return mamori_tls_init(&cli.tls, cc, cli.rx, rx_c, cli.tx, sizeof cli.tx, cli.hs,
                           sizeof cli.hs);
}

static mamori_tls_config_t client_cfg(const uint8_t *pin)
{
    mamori_tls_config_t c;
    memset(&c, 0, sizeof c);
    c.rng = test_rng;
    c.rng_ctx = &rng_c;
    c.server_name = "localhost";
    c.spki_pin = pin;
    return c;
}

static mamori_tls_config_t server_cfg(const mamori_tls_identity_t *id)
{
    mamori_tls_config_t c;
    memset(&c, 0, sizeof c);
    c.is_server = 1;
    c.rng = test_rng;
    c.rng_ctx = &rng_s;
    c.identity = id;
    return c;
}

/* Sends len bytes each way and checks they arrive intact. */
static void exchange(size_t len)
{
    static uint8_t msg[70000], got[70000];
    for (size_t i = 0; i < len; i++)
        msg[i] = (uint8_t)(i * 7 + 3);
    for (int dir = 0; dir < 2; dir++) {
        end_t *a = dir ? &srv : &cli, *b = dir ? &cli : &srv;
        size_t sent = 0, recv = 0;
        for (int guard = 0; guard < 100000 && recv < len; guard++) {
            if (sent < len) {
                int n = mamori_tls_write(&a->tls, msg + sent, len - sent);
                if (n > 0)
                    sent += (size_t)n;
            }
            run(1 << 20);
            int n = mamori_tls_read(&b->tls, got + recv, len - recv);
            if (n > 0)
                recv += (size_t)n;
            else if (n != MAMORI_ERR_WOULDBLOCK)
                break;
        }
        CHECK_EQ(recv, len);
        CHECK(memcmp(got, msg, len) == 0);
    }
}

static void test_matrix(void)
{
    static const uint16_t suites[] = {MAMORI_TLS_AES_128_GCM_SHA256, MAMORI_TLS_AES_256_GCM_SHA384,
                                      MAMORI_TLS_CHACHA20_POLY1305_SHA256};
    static const uint16_t groups[] = {MAMORI_TLS_GROUP_X25519, MAMORI_TLS_GROUP_SECP256R1};
    const mamori_tls_identity_t *ids[] = {&id_ed, &id_ec, &id_rsa};
    const uint8_t *pins[] = {ed_pin, ec_pin, rsa_pin};

    for (int s = 0; s < 3; s++)
        for (int g = 0; g < 2; g++)
            for (int k = 0; k < 3; k++) {
                uint16_t suite_list[2] = {suites[s], 0}, group_list[2] = {groups[g], 0};
                mamori_tls_config_t cc = client_cfg(pins[k]), sc = server_cfg(ids[k]);
                cc.suites = suite_list;
                cc.groups = group_list;
                CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
                run(1 << 20);
                CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
                CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_OPEN);
                CHECK_EQ(mamori_tls_suite(&cli.tls), suites[s]);
                CHECK_EQ(mamori_tls_group(&srv.tls), groups[g]);
                exchange(3000);
            }
}

static void test_hrr_and_fragments(void)
{
    mamori_tls_config_t cc = client_cfg(ec_pin), sc = server_cfg(&id_ec);
    /* No initial key share: the server asks again with a cookie. */
    cc.client_no_initial_share = 1;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1); /* one byte at a time: handshake messages split everywhere */
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_OPEN);
    CHECK(cli.tls.hrr_done && srv.tls.hrr_done);
    CHECK_EQ(srv.tls.cookie_len, 32);
    exchange(20000);

    /* A client preferring P-256 gets it without a retry. */
    static const uint16_t p256_first[] = {MAMORI_TLS_GROUP_SECP256R1, MAMORI_TLS_GROUP_X25519, 0};
    cc = client_cfg(ec_pin);
    cc.groups = p256_first;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK(!srv.tls.hrr_done);
    CHECK_EQ(mamori_tls_group(&cli.tls), MAMORI_TLS_GROUP_SECP256R1);
}

static void test_mutual_and_alpn(void)
{
    mamori_tls_config_t cc = client_cfg(rsa_pin), sc = server_cfg(&id_rsa);
    cc.identity = &id_ed;
    cc.alpn = "h2";
    sc.spki_pin = ed_pin; /* client certificate required and pinned */
    sc.alpn = "h2";
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_OPEN);
    CHECK(strcmp(mamori_tls_alpn(&cli.tls), "h2") == 0);
    CHECK(strcmp(mamori_tls_alpn(&srv.tls), "h2") == 0);
    exchange(100);

    /* No client certificate: certificate_required. */
    cc.identity = NULL;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    int by_us = -1;
    CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_FAILED);
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, &by_us), MAMORI_TLS_ALERT_CERTIFICATE_REQUIRED);
    CHECK_EQ(by_us, 1);
    /* The client may already consider itself done; the alert reaches it. */
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, &by_us), MAMORI_TLS_ALERT_CERTIFICATE_REQUIRED);
    CHECK_EQ(by_us, 0);

    /* The wrong client key. */
    cc.identity = &id_ec;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_UNKNOWN_CA);

    /* ALPN with nothing in common. */
    cc = client_cfg(rsa_pin);
    cc.alpn = "http/1.1";
    sc = server_cfg(&id_rsa);
    sc.alpn = "h2";
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_NO_APPLICATION_PROTOCOL);
}

static void test_small_records_and_key_update(void)
{
    mamori_tls_config_t cc = client_cfg(ed_pin), sc = server_cfg(&id_ed);
    /* 1024-byte records both ways (RFC 8449). */
    cc.record_size_limit = 1024;
    sc.record_size_limit = 1024;
    CHECK_EQ(start(&cc, &sc, MAMORI_TLS_RECORD_BUF(1023), MAMORI_TLS_RECORD_BUF(1023)), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK_EQ(cli.tls.out_limit, 1023);
    CHECK_EQ(srv.tls.out_limit, 1023);
    exchange(65536);
    CHECK(cli.max_record_seen <= 1024 + 16);
    CHECK(srv.max_record_seen <= 1024 + 16);

    /* KeyUpdate asking for one back: both directions rekey. */
    uint8_t c_before[12], s_before[12];
    memcpy(c_before, cli.tls.wr.iv, 12);
    memcpy(s_before, srv.tls.wr.iv, 12);
    CHECK_EQ(mamori_tls_key_update(&cli.tls, 1), 0);
    run(1 << 20);
    exchange(5000);
    CHECK(memcmp(c_before, cli.tls.wr.iv, 12) != 0);
    CHECK(memcmp(s_before, srv.tls.wr.iv, 12) != 0);
    CHECK(memcmp(cli.tls.wr.iv, srv.tls.rd.iv, 12) == 0);
    CHECK(memcmp(srv.tls.wr.iv, cli.tls.rd.iv, 12) == 0);

    /* close_notify: the server reads the end. */
    uint8_t b[10];
    CHECK_EQ(mamori_tls_close(&cli.tls), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_read(&srv.tls, b, sizeof b), MAMORI_ERR_TLS_CLOSED);
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_CLOSE_NOTIFY);
    CHECK_EQ(mamori_tls_write(&cli.tls, "x", 1), MAMORI_ERR_TLS_CLOSED);

    /* A record over our announced limit: record_overflow. */
    CHECK_EQ(start(&cc, &sc, MAMORI_TLS_RECORD_BUF(1023), MAMORI_TLS_RECORD_BUF(1023)), 0);
    run(1 << 20);
    srv.tls.out_limit = 2000; /* a server that ignores our limit */
    static uint8_t big[2000];
    CHECK_EQ(mamori_tls_write(&srv.tls, big, sizeof big), 2000);
    run(1 << 20);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_RECORD_OVERFLOW);
}

static void test_failures(void)
{
    mamori_tls_config_t cc = client_cfg(ec_pin), sc = server_cfg(&id_ed);
    int by_us;

    /* The wrong server key: the client refuses it. */
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_FAILED);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, &by_us), MAMORI_TLS_ALERT_UNKNOWN_CA);
    CHECK_EQ(by_us, 1);
    CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_FAILED);
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, &by_us), MAMORI_TLS_ALERT_UNKNOWN_CA);
    CHECK_EQ(by_us, 0);

    /* Fail closed: no server name and no pin. */
    cc.spki_pin = NULL;
    cc.server_name = NULL;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), MAMORI_ERR_INVAL);
    /* A name but nothing to check it with (no X.509 verifier): refused. */
    cc.server_name = "localhost";
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_FAILED);

    /* A flipped bit in the server's encrypted flight: bad_record_mac. */
    cc = client_cfg(ed_pin);
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    shuttle(&cli, &srv, 1 << 20);
    {
        size_t n;
        uint8_t *p = (uint8_t *)mamori_tls_send_buf(&srv.tls, &n);
        CHECK(n > 200);
        p[n - 20] ^= 0x40; /* inside the last (encrypted) record */
    }
    run(1 << 20);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, &by_us), MAMORI_TLS_ALERT_BAD_RECORD_MAC);
    CHECK_EQ(by_us, 1);

    /* No common suite: handshake_failure. */
    static const uint16_t only384[] = {MAMORI_TLS_AES_256_GCM_SHA384, 0};
    static const uint16_t only128[] = {MAMORI_TLS_AES_128_GCM_SHA256, 0};
    cc.suites = only384;
    sc.suites = only128;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_HANDSHAKE_FAILURE);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, &by_us), MAMORI_TLS_ALERT_HANDSHAKE_FAILURE);
    CHECK_EQ(by_us, 0);

    /* Application data before the handshake: unexpected_message. */
    cc = client_cfg(ed_pin);
    sc = server_cfg(&id_ed);
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    {
        size_t n;
        uint8_t *in = mamori_tls_recv_buf(&cli.tls, &n);
        memcpy(in, "\x17\x03\x03\x00\x20", 5);
        memset(in + 5, 0, 0x20);
        mamori_tls_recv_done(&cli.tls, 5 + 0x20);
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
    }

    /* Two change_cipher_spec records: the second is unexpected. */
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    {
        size_t n;
        shuttle(&cli, &srv, 1 << 20); /* ClientHello */
        uint8_t *in = mamori_tls_recv_buf(&srv.tls, &n);
        memcpy(in, "\x14\x03\x03\x00\x01\x01\x14\x03\x03\x00\x01\x01", 12);
        mamori_tls_recv_done(&srv.tls, 12);
        CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
    }

    /* Handshake timeout. */
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    CHECK_EQ(mamori_tls_tick(&cli.tls, 1000), 0);
    CHECK_EQ(mamori_tls_tick(&cli.tls, 1000 + MAMORI_TLS_HANDSHAKE_TIMEOUT_MS + 1),
             MAMORI_ERR_TIMEOUT);
}

static int64_t wall_clock(void) { return (int64_t)time(NULL); }

/* X.509 path validation through include/mamori/x509.h: the self-signed
 * leaf is its own anchor; the name must match its subjectAltName. */
static void test_x509(void)
{
    static mamori_x509_anchor_t anchors[2];
    mamori_x509_store_t store;
    mamori_tls_config_t cc = client_cfg(NULL), sc = server_cfg(&id_ec);
    int by_us;

    mamori_x509_store_init(&store, anchors, 2);
    CHECK_EQ(mamori_x509_store_add_der(&store, ec_cert, sizeof ec_cert), 0);
    cc.trust = &store;
    cc.unix_time = wall_clock;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);

    cc.server_name = "other.example";
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, &by_us), MAMORI_TLS_ALERT_CERTIFICATE_UNKNOWN);
    CHECK_EQ(by_us, 1);

    /* No trusted time: refused unless allowed explicitly. */
    cc.server_name = "localhost";
    cc.unix_time = NULL;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_FAILED);
    cc.allow_no_time = 1;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);

    /* An unrelated anchor: unknown_ca. */
    mamori_x509_store_init(&store, anchors, 2);
    CHECK_EQ(mamori_x509_store_add_der(&store, rsa_cert, sizeof rsa_cert), 0);
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_UNKNOWN_CA);
}

/* NewSessionTicket, then PSK resumption with (EC)DHE (§2.2, §4.2.11):
 * no certificates the second time; a bad binder, a foreign ticket and a
 * suite of another hash fall back or fail as they must. */
static void test_resumption(void)
{
    static const uint8_t ticket_key[32] = {9, 9, 9};
    static mamori_tls_session_t session;
    mamori_tls_config_t cc = client_cfg(ec_pin), sc = server_cfg(&id_ec);
    static uint8_t hold[8192];
    size_t n;

    memset(&session, 0, sizeof session);
    cc.session = &session;
    sc.ticket_key = ticket_key;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    exchange(10); /* the client reads the ticket along with data */
    CHECK(session.ticket_len > 0);
    CHECK_EQ(session.suite, MAMORI_TLS_AES_128_GCM_SHA256);
    CHECK(!cli.tls.psk_mode);

    /* Resumed: no Certificate; works with HRR and one byte at a time too. */
    for (int hrr = 0; hrr < 2; hrr++) {
        cc.client_no_initial_share = (uint8_t)hrr;
        CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
        run(hrr ? 1 : 1 << 20);
        CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
        CHECK_EQ(mamori_tls_state(&srv.tls), MAMORI_TLS_ST_OPEN);
        CHECK(cli.tls.psk_mode && srv.tls.psk_mode);
        CHECK_EQ(cli.tls.peer_spki_len, 0);
        exchange(1000);
    }
    cc.client_no_initial_share = 0;

    /* A server with another ticket key: full handshake instead. */
    static const uint8_t other_key[32] = {1};
    sc.ticket_key = other_key;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
    CHECK(!cli.tls.psk_mode && !srv.tls.psk_mode);
    exchange(10); /* and a new ticket under the new key */
    sc.ticket_key = other_key;

    /* A corrupted binder: decrypt_error. */
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    {
        uint8_t *p = (uint8_t *)mamori_tls_send_buf(&cli.tls, &n);
        memcpy(hold, p, n);
        hold[n - 1] ^= 1; /* the binder is the ClientHello's last byte */
        uint8_t *in = mamori_tls_recv_buf(&srv.tls, &n);
        size_t cl;
        mamori_tls_send_buf(&cli.tls, &cl);
        memcpy(in, hold, cl);
        mamori_tls_recv_done(&srv.tls, cl);
    }
    CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_DECRYPT_ERROR);

    /* A suite of another hash: the ticket is not offered; full handshake. */
    static const uint16_t only384[] = {MAMORI_TLS_AES_256_GCM_SHA384, 0};
    cc.suites = only384;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    CHECK(!cli.tls.psk_offered);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
}

/* Message parsers: the §4.1.3 downgrade sentinel, strict framing, and
 * extension rules of §4.2. */
static void test_parsers(void)
{
    uint8_t sh[2 + 32 + 1 + 2 + 1 + 2 + 6];
    tls_server_hello_t out;
    tls_client_hello_t ch;
    memset(sh, 0, sizeof sh);
    sh[0] = 3, sh[1] = 3;
    memcpy(sh + 2 + 24, "DOWNGRD\x01", 8);
    sh[35] = 0x13, sh[36] = 0x01;
    /* A TLS 1.2 ServerHello (no supported_versions) with the sentinel. */
    CHECK_EQ(tls_parse_server_hello(sh, 2 + 32 + 1 + 2 + 1 + 2, &out),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    sh[2 + 31] = 0x00;
    CHECK_EQ(tls_parse_server_hello(sh, 2 + 32 + 1 + 2 + 1 + 2, &out),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    sh[2 + 24] = 'X';
    CHECK_EQ(tls_parse_server_hello(sh, 2 + 32 + 1 + 2 + 1 + 2, &out),
             MAMORI_TLS_ALERT_PROTOCOL_VERSION);
    /* supported_versions 0x0304, then trailing garbage. */
    memcpy(sh + 38, "\x00\x06\x00\x2b\x00\x02\x03\x04", 8);
    CHECK_EQ(tls_parse_server_hello(sh, sizeof sh, &out), 0);
    CHECK(!out.is_hrr);
    /* A duplicated extension and an unknown one in a ServerHello. */
    static const uint8_t dup[] = {0x03, 0x03, [34] = 0, 0x13, 0x01, 0, 0, 12, 0, 0x2b, 0, 2, 3, 4,
                                  0, 0x2b, 0, 2, 3, 4};
    CHECK_EQ(tls_parse_server_hello(dup, sizeof dup, &out), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    static const uint8_t unknown[] = {0x03, 0x03, [34] = 0, 0x13, 0x01, 0, 0, 10, 0, 0x2b, 0, 2, 3,
                                      4, 0x12, 0x34, 0, 0};
    CHECK_EQ(tls_parse_server_hello(unknown, sizeof unknown, &out),
             MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION);
    /* ClientHello: compression other than null; pre_shared_key not last. */
    static const uint8_t comp[] = {3, 3, [34] = 0, 0, 2, 0x13, 0x01, 1, 1, 0, 0};
    CHECK_EQ(tls_parse_client_hello(comp, sizeof comp, &ch), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    static const uint8_t psk_first[] = {3, 3, [34] = 0, 0, 2, 0x13, 0x01, 1, 0, 0, 8, 0, 41, 0, 0,
                                        0, 43, 0, 0};
    CHECK_EQ(tls_parse_client_hello(psk_first, sizeof psk_first, &ch),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    /* A ServerHello may carry pre_shared_key first (RFC 8448 §4 does). */
    static const uint8_t sh_psk_first[] = {3, 3, [34] = 0, 0x13, 0x01, 0, 0, 12, 0, 41, 0, 2, 0,
                                           0, 0, 43, 0, 2, 3, 4};
    CHECK_EQ(tls_parse_server_hello(sh_psk_first, sizeof sh_psk_first, &out), 0);
    CHECK(out.x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY));
    /* A truncated list length. */
    static const uint8_t trunc[] = {3, 3, [34] = 0, 0, 4, 0x13, 0x01};
    CHECK_EQ(tls_parse_client_hello(trunc, sizeof trunc, &ch), MAMORI_TLS_ALERT_DECODE_ERROR);
    /* KeyUpdate values other than 0 and 1. */
    bool req;
    CHECK_EQ(tls_parse_key_update((const uint8_t *)"\x02", 1, &req), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    CHECK_EQ(tls_parse_key_update((const uint8_t *)"\x01", 1, &req), 0);
    CHECK(req);
    /* record_size_limit below 64. */
    tls_span_t rsl = {(const uint8_t *)"\x00\x3f", 2};
    uint16_t lim;
    CHECK_EQ(tls_ext_record_size_limit(&rsl, &lim), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
}

/* The test hooks that inject the RFC 8448 §3 client random and X25519 key:
 * the ClientHello carries exactly those, and the key schedule that follows
 * is the one test_tls_keyschedule checks. */
static void test_injected_randoms(void)
{
    static const uint8_t random[32] = {0xcb, 0x34, 0xec, 0xb1, 0xe7, 0x81, 0x63, 0xba,
                                       0x1c, 0x38, 0xc6, 0xda, 0xcb, 0x19, 0x6a, 0x6d,
                                       0xff, 0xa2, 0x1a, 0x8d, 0x99, 0x12, 0xec, 0x18,
                                       0xa2, 0xef, 0x62, 0x83, 0x02, 0x4d, 0xec, 0xe7};
    static const uint8_t priv[32] = {0x49, 0xaf, 0x42, 0xba, 0x7f, 0x79, 0x94, 0x85,
                                     0x2d, 0x71, 0x3e, 0xf2, 0x78, 0x4b, 0xcb, 0xca,
                                     0xa7, 0x91, 0x1d, 0xe2, 0x6a, 0xdc, 0x56, 0x42,
                                     0xcb, 0x63, 0x45, 0x40, 0xe7, 0xea, 0x50, 0x05};
    static const uint8_t share[8 + 32] = {0x00, 0x1d, 0x00, 0x20, 0x99, 0x38, 0x1d, 0xe5,
                                          0x60, 0xe4, 0xbd, 0x43, 0xd2, 0x3d, 0x8e, 0x43,
                                          0x5a, 0x7d, 0xba, 0xfe, 0xb3, 0xc0, 0x6e, 0x51,
                                          0xc1, 0x3c, 0xae, 0x4d, 0x54, 0x13, 0x69, 0x1e,
                                          0x52, 0x9a, 0xaf, 0x2c};
    mamori_tls_config_t cc = client_cfg(ed_pin), sc = server_cfg(&id_ed);
    const uint8_t *ch;
    size_t n;
    bool found = false;

    cc.test_random = random;
    cc.test_x25519_priv = priv;
    CHECK_EQ(start(&cc, &sc, sizeof cli.rx, sizeof srv.rx), 0);
    ch = mamori_tls_send_buf(&cli.tls, &n);
    CHECK(n > 11 + 32);
    CHECK_MEM(ch + 11, random, 32);
    for (size_t i = 0; i + 36 <= n; i++)
        if (memcmp(ch + i, share, 36) == 0)
            found = true;
    CHECK(found);
    run(1 << 20);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_OPEN);
}

/* ---- a scriptable peer: hand-made records against one engine ---------- */

static size_t put_rec(uint8_t *out, uint8_t type, const uint8_t *body, size_t n)
{
    out[0] = type, out[1] = 3, out[2] = 3, out[3] = (uint8_t)(n >> 8), out[4] = (uint8_t)n;
    memcpy(out + 5, body, n);
    return 5 + n;
}

/* A ServerHello (or HRR) handshake message answering the client's hello:
 * its session id, the given suite, and the given extensions. */
static size_t server_hello(uint8_t *out, int hrr, uint16_t suite, const uint8_t *ext, size_t ext_len)
{
    size_t n = 4;
    out[n++] = 3, out[n++] = 3;
    if (hrr)
        memcpy(out + n, tls_hrr_random, 32);
    else
        memset(out + n, 0x42, 32);
    n += 32;
    out[n++] = cli.tls.session_id_len;
    memcpy(out + n, cli.tls.session_id, cli.tls.session_id_len);
    n += cli.tls.session_id_len;
    out[n++] = (uint8_t)(suite >> 8), out[n++] = (uint8_t)suite, out[n++] = 0;
    out[n++] = (uint8_t)(ext_len >> 8), out[n++] = (uint8_t)ext_len;
    memcpy(out + n, ext, ext_len);
    n += ext_len;
    out[0] = 2, out[1] = 0, out[2] = (uint8_t)((n - 4) >> 8), out[3] = (uint8_t)(n - 4);
    return n;
}

static void feed(end_t *e, const uint8_t *p, size_t n)
{
    size_t cap;
    uint8_t *in = mamori_tls_recv_buf(&e->tls, &cap);
    if (n > cap)
        n = cap;
    memcpy(in, p, n);
    mamori_tls_recv_done(&e->tls, n);
}

/* Starts a client (nothing sent to a server) and answers with msg. */
static int client_gets(const uint8_t *ext, size_t ext_len, int hrr, uint16_t suite)
{
    static mamori_tls_config_t cc, sc; /* the engine keeps pointing at them */
    cc = client_cfg(ed_pin);
    sc = server_cfg(&id_ed);
    uint8_t msg[600], rec[700];
    size_t n;
    start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
    n = server_hello(msg, hrr, suite, ext, ext_len);
    feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, n));
    return mamori_tls_last_alert(&cli.tls, NULL);
}

#define SV "\x00\x2b\x00\x02\x03\x04"
#define KS_X25519                                                                                  \
    "\x00\x33\x00\x24\x00\x1d\x00\x20\xc9\x82\x88\x76\x11\x20\x95\xfe\x66\x76\x2b\xdb\xf7\xc6"  \
    "\x72\xe1\x56\xd6\xcc\x25\x3b\x83\x3d\xf1\xdd\x69\xb1\xb0\x4e\x75\x1f\x0f"
#define KS_P256_HRR "\x00\x33\x00\x02\x00\x17"
#define KS_X25519_HRR "\x00\x33\x00\x02\x00\x1d"
#define E(s) (const uint8_t *)(s), sizeof(s) - 1

static void test_scripted_peer(void)
{
    /* The good case first: the client takes it and waits for more. */
    CHECK_EQ(client_gets(E(SV KS_X25519), 0, MAMORI_TLS_AES_128_GCM_SHA256), -1);
    CHECK_EQ(mamori_tls_state(&cli.tls), MAMORI_TLS_ST_HANDSHAKE);
    /* A suite we did not offer, or an unknown one. */
    CHECK_EQ(client_gets(E(SV KS_X25519), 0, 0x1304), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    CHECK_EQ(client_gets(E(SV KS_X25519), 0, 0x00ff), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    /* No key_share, a share for a group we did not send, a short key. */
    CHECK_EQ(client_gets(E(SV), 0, MAMORI_TLS_AES_128_GCM_SHA256), MAMORI_TLS_ALERT_MISSING_EXTENSION);
    CHECK_EQ(client_gets(E(SV "\x00\x33\x00\x06\x00\x17\x00\x02\x04\x01"), 0,
                         MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    CHECK_EQ(client_gets(E(SV "\x00\x33\x00\x06\x00\x1d\x00\x02\x04\x01"), 0,
                         MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    /* An all-zero X25519 share (small order): refused. */
    static const uint8_t zero_share[] = SV "\x00\x33\x00\x24\x00\x1d\x00\x20";
    uint8_t ext[64];
    memcpy(ext, zero_share, sizeof zero_share - 1);
    memset(ext + sizeof zero_share - 1, 0, 32);
    CHECK_EQ(client_gets(ext, sizeof zero_share - 1 + 32, 0, MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    /* TLS 1.2 (supported_versions 0x0303), or none at all. */
    CHECK_EQ(client_gets(E("\x00\x2b\x00\x02\x03\x03" KS_X25519), 0,
                         MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    CHECK_EQ(client_gets(E(KS_X25519), 0, MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_PROTOCOL_VERSION);
    /* Extensions a ServerHello must not carry / we did not ask for. */
    CHECK_EQ(client_gets(E(SV KS_X25519 "\x00\x00\x00\x00"), 0, MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    CHECK_EQ(client_gets(E(SV KS_X25519 "\x00\x29\x00\x02\x00\x00"), 0,
                         MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION);
    /* HelloRetryRequest: for the group we already sent, with no change at
     * all, then a second one. */
    CHECK_EQ(client_gets(E(SV KS_X25519_HRR), 1, MAMORI_TLS_AES_128_GCM_SHA256),
             MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    CHECK_EQ(client_gets(E(SV), 1, MAMORI_TLS_AES_128_GCM_SHA256), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    CHECK_EQ(client_gets(E(SV KS_P256_HRR), 1, MAMORI_TLS_AES_128_GCM_SHA256), -1);
    {
        uint8_t msg[600], rec[700];
        size_t n = server_hello(msg, 1, MAMORI_TLS_AES_128_GCM_SHA256, E(SV KS_X25519_HRR));
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, n));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
    }
    /* HRR then a ServerHello with another suite. */
    CHECK_EQ(client_gets(E(SV KS_P256_HRR), 1, MAMORI_TLS_AES_128_GCM_SHA256), -1);
    {
        uint8_t msg[600], rec[700];
        size_t n = server_hello(msg, 0, MAMORI_TLS_CHACHA20_POLY1305_SHA256, E(SV KS_X25519));
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, n));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    }
    /* A wrong session id echo. */
    {
        mamori_tls_config_t cc = client_cfg(ed_pin), sc = server_cfg(&id_ed);
        uint8_t msg[600], rec[700];
        size_t n;
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        n = server_hello(msg, 0, MAMORI_TLS_AES_128_GCM_SHA256, E(SV KS_X25519));
        msg[4 + 2 + 32 + 1] ^= 1;
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, n));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    }
    /* Messages out of order: EncryptedExtensions first; a ServerHello split
     * over two records still works; a message with trailing bytes. */
    {
        mamori_tls_config_t cc = client_cfg(ed_pin), sc = server_cfg(&id_ed);
        uint8_t msg[600], rec[700];
        size_t n;
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, (const uint8_t *)"\x08\x00\x00\x02\x00\x00", 6));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);

        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        n = server_hello(msg, 0, MAMORI_TLS_AES_128_GCM_SHA256, E(SV KS_X25519));
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, 10));
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg + 10, n - 10));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), -1);
        CHECK(cli.tls.rd.suite != 0); /* now reading with handshake keys */

        /* The key change must end the record: ServerHello + more bytes. */
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        n = server_hello(msg, 0, MAMORI_TLS_AES_128_GCM_SHA256, E(SV KS_X25519));
        memcpy(msg + n, "\x08\x00\x00\x02\x00\x00", 6);
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, n + 6));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);

        /* A zero-length handshake record; an alert record of 3 bytes. */
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, 0));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        feed(&cli, rec, put_rec(rec, TLS_CT_ALERT, (const uint8_t *)"\x02\x28\x00", 3));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_DECODE_ERROR);
        /* A fatal alert from the peer is reported as received. */
        int by_us = 1;
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        feed(&cli, rec, put_rec(rec, TLS_CT_ALERT, (const uint8_t *)"\x02\x28", 2));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, &by_us), MAMORI_TLS_ALERT_HANDSHAKE_FAILURE);
        CHECK_EQ(by_us, 0);
        CHECK_EQ(cli.tls.err, MAMORI_ERR_TLS_ALERT);
        /* A handshake message longer than MAMORI_TLS_MAX_HANDSHAKE. */
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        feed(&cli, rec, put_rec(rec, TLS_CT_HANDSHAKE, (const uint8_t *)"\x02\x7f\xff\xff", 4));
        CHECK_EQ(mamori_tls_last_alert(&cli.tls, NULL), MAMORI_TLS_ALERT_HANDSHAKE_FAILURE);
    }

    /* The server side: ClientHellos without what TLS 1.3 needs. */
    {
        mamori_tls_config_t cc = client_cfg(ed_pin), sc = server_cfg(&id_ed);
        static const uint8_t base[] = "\x01\x00\x00\x00\x03\x03"
                                      "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR"
                                      "\x00\x00\x02\x13\x01\x01\x00";
        static const struct {
            const char *ext;
            size_t len;
            int alert;
        } cases[] = {
            {"\x00\x0d\x00\x04\x00\x02\x08\x07", 8, MAMORI_TLS_ALERT_PROTOCOL_VERSION},
            {SV "\x00\x0d\x00\x04\x00\x02\x08\x07", 14, MAMORI_TLS_ALERT_DECODE_ERROR},
            {"\x00\x2b\x00\x03\x02\x03\x04", 7, MAMORI_TLS_ALERT_MISSING_EXTENSION},
            {"\x00\x2b\x00\x03\x02\x03\x04\x00\x0d\x00\x04\x00\x02\x04\x03", 15,
             MAMORI_TLS_ALERT_HANDSHAKE_FAILURE},
            {"\x00\x2b\x00\x03\x02\x03\x04\x00\x0d\x00\x04\x00\x02\x08\x07", 15,
             MAMORI_TLS_ALERT_MISSING_EXTENSION},
            {"\x00\x2b\x00\x03\x02\x03\x04\x00\x0d\x00\x04\x00\x02\x08\x07"
             "\x00\x0a\x00\x04\x00\x02\x00\x17\x00\x33\x00\x08\x00\x06\x00\x1d\x00\x02\x01\x02",
             35, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            uint8_t msg[300], rec[400];
            size_t n = sizeof base - 1;
            memcpy(msg, base, n);
            msg[n++] = 0, msg[n++] = (uint8_t)cases[i].len;
            memcpy(msg + n, cases[i].ext, cases[i].len);
            n += cases[i].len;
            msg[3] = (uint8_t)(n - 4);
            start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
            feed(&srv, rec, put_rec(rec, TLS_CT_HANDSHAKE, msg, n));
            CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), cases[i].alert);
        }
        /* Application data and a CCS before any ClientHello. */
        uint8_t rec[64];
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        feed(&srv, rec, put_rec(rec, TLS_CT_CCS, (const uint8_t *)"\x01", 1));
        CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        feed(&srv, rec, put_rec(rec, TLS_CT_APPDATA, (const uint8_t *)"xyz", 3));
        CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
        /* A CCS with another value. */
        start(&cc, &sc, sizeof cli.rx, sizeof srv.rx);
        shuttle(&cli, &srv, 1 << 20);
        feed(&srv, rec, put_rec(rec, TLS_CT_CCS, (const uint8_t *)"\x02", 1));
        CHECK_EQ(mamori_tls_last_alert(&srv.tls, NULL), MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
    }
}

int main(void)
{
    test_scripted_peer();
    test_injected_randoms();
    test_parsers();
    test_resumption();
    test_x509();
    test_matrix();
    test_hrr_and_fragments();
    test_mutual_and_alpn();
    test_small_records_and_key_update();
    test_failures();
    printf("sizeof(mamori_tls_t) = %zu\n", sizeof(mamori_tls_t));
    return check_summary("tls_engine");
}
