/* RFC 8448 known answers beyond the simple 1-RTT handshake (that one and the
 * §4 binder are in test_tls_keyschedule.c): the §5 HelloRetryRequest
 * handshake and the §4 resumed handshake, through the engine's parsers, key
 * schedule, transcript and record layer, with the traces' ephemeral keys.
 *
 * Every secret the RFC prints is compared, and every encrypted record is
 * opened with the derived keys and sealed again byte for byte. The
 * plaintext records (hellos) are inputs: their key shares must be the
 * public keys of the injected private keys. The traces' own clients and
 * servers (NSS) send extensions, cookies and tickets in formats of their
 * own, so the engine cannot replay whole flights; RSA-PSS CertificateVerify
 * signatures are randomized and not reproducible either.
 *
 * §4 sends 0-RTT data. mamori never sends or accepts it (docs/tls.md), so
 * its client_early_traffic_secret, early exporter secret, early data
 * record and EndOfEarlyData record are checked with the same primitives
 * only, as a test of the key schedule; no engine path uses them. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kv.h"
#include "mamori/ecc.h"
#include "mamori/sha2.h"
#include "mamori/x25519.h"
#include "tls/tls_internal.h"

static kv_file_t kv;

static uint8_t *vec(const char *key, size_t *len) { return kv_need_hex(&kv, key, len); }

#define CHECK_VEC(got, key) CHECK_KV(&kv, got, key)

static const mamori_hash_id_t H = MAMORI_HASH_SHA256;

/* A TLS_AES_128_GCM_SHA256 direction with the keys of a traffic secret at
 * sequence seq. */
static mamori_tls_dir_t dir_of(const uint8_t *secret, uint64_t seq)
{
    mamori_tls_dir_t d;
    memset(&d, 0, sizeof d);
    CHECK_EQ(mamori_tls_dir_set(&d, MAMORI_TLS_AES_128_GCM_SHA256, secret), 0);
    d.seq = seq;
    return d;
}

/* Opens the record named rec with d (which advances) into out. */
static size_t open_rec(mamori_tls_dir_t *d, const char *rec, uint8_t type, uint8_t *out)
{
    size_t len, off = 0, plen = 0;
    uint8_t *r = vec(rec, &len), got_type = 0;
    int alert = -1;
    CHECK_EQ(mamori_tls_record_len(r, len, 16384, &alert), len);
    CHECK_EQ(mamori_tls_open(d, r, len, 16384, &got_type, &off, &plen, &alert), 0);
    CHECK_EQ(got_type, type);
    memcpy(out, r + off, plen);
    free(r);
    return plen;
}

/* Seals plain as one record with d (which advances): the record named rec,
 * byte for byte. */
static void seal_rec(mamori_tls_dir_t *d, uint8_t type, const uint8_t *plain, size_t len,
                     const char *rec)
{
    uint8_t buf[1024];
    size_t n;
    uint8_t *want = vec(rec, &n);
    memcpy(buf + 5, plain, len);
    CHECK_EQ(mamori_tls_seal(d, type, buf, sizeof buf, len, 0), n);
    CHECK_MEM(buf, want, n);
    free(want);
}

/* The message of type at p (bounded by end); its length with header. */
static size_t msg_len(const uint8_t *p, const uint8_t *end, uint8_t type)
{
    CHECK(end - p >= 4);
    CHECK_EQ(p[0], type);
    size_t n = 4 + ((size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3]);
    CHECK(n <= (size_t)(end - p));
    return n;
}

static const uint8_t close_notify[2] = {1, 0};

/* The traffic key and IV of secret. */
static void check_keys(const uint8_t *secret, const char *key_name, const char *iv_name)
{
    uint8_t key[16], iv[12];
    CHECK_EQ(mamori_tls_traffic_keys(H, secret, 16, key, iv), 0);
    CHECK_VEC(key, key_name);
    CHECK_VEC(iv, iv_name);
}

/* Derives label from secret over hash into out and checks it against key. */
static void derive(const uint8_t *secret, const char *label, const uint8_t *hash, uint8_t *out, const char *key)
{
    CHECK_EQ(mamori_tls_derive_secret(H, secret, label, hash, out), 0);
    CHECK_VEC(out, key);
}

/* From the handshake secret (in place) over the transcript hash through the
 * server's Finished: "derived", the master secret, both application traffic
 * secrets with their keys, and the exporter master secret. */
static void master_secrets(uint8_t *secret, const uint8_t *hash, uint8_t *c_ap, uint8_t *s_ap)
{
    uint8_t empty[32], out[32];
    mamori_sha256("", 0, empty);
    derive(secret, "derived", empty, out, "derived_hs");
    CHECK_EQ(mamori_tls_ks_next(H, secret, NULL, 0), 0);
    CHECK_VEC(secret, "master_secret");
    derive(secret, "c ap traffic", hash, c_ap, "c_ap_traffic");
    derive(secret, "s ap traffic", hash, s_ap, "s_ap_traffic");
    derive(secret, "exp master", hash, out, "exp_master");
    check_keys(s_ap, "s_ap_key", "s_ap_iv");
    check_keys(c_ap, "c_ap_key", "c_ap_iv");
}

/* From the secret before it (early), the handshake secret with shared, its
 * two traffic secrets over hash, and their keys. */
static void handshake_secrets(uint8_t *secret, const uint8_t *shared, const uint8_t *hash, uint8_t *c_hs,
                              uint8_t *s_hs)
{
    CHECK_EQ(mamori_tls_ks_next(H, secret, shared, 32), 0);
    CHECK_VEC(secret, "handshake_secret");
    derive(secret, "c hs traffic", hash, c_hs, "c_hs_traffic");
    derive(secret, "s hs traffic", hash, s_hs, "s_hs_traffic");
    check_keys(s_hs, "s_hs_key", "s_hs_iv");
    check_keys(c_hs, "c_hs_key", "c_hs_iv");
}

/* §5: ClientHello (X25519 share), HelloRetryRequest for secp256r1 with a
 * cookie, second ClientHello (P-256 share, the cookie), ServerHello; then
 * the server's EncryptedExtensions..Finished record and the client's
 * Finished record. */
static void test_hello_retry(const uint8_t *cert3, size_t cert3_len)
{
    size_t ch1_len, hrr_len, ch2_len, sh_len;
    uint8_t *ch1 = vec("client_hello1", &ch1_len), *hrr = vec("hello_retry_request", &hrr_len);
    uint8_t *ch2 = vec("client_hello2", &ch2_len), *sh = vec("server_hello", &sh_len);
    uint8_t *xpriv = vec("client_x25519_priv", NULL), *ppriv = vec("client_p256_priv", NULL);
    tls_client_hello_t c1, c2;
    tls_server_hello_t s;
    tls_span_t share, cookie, cookie2;
    uint16_t group;
    uint8_t pub[65], shared[32], secret[32], hash[32], c_hs[32], s_hs[32], fin[32];

    /* The first ClientHello offers the injected X25519 key. */
    CHECK_EQ(tls_parse_client_hello(ch1 + 4, ch1_len - 4, &c1), 0);
    CHECK_EQ(tls_ext_key_share_ch(&c1.x.v[TLS_X_KEY_SHARE], MAMORI_TLS_GROUP_X25519, &share), 0);
    CHECK_EQ(mamori_x25519_public(pub, xpriv), 0);
    CHECK_EQ(share.len, 32);
    CHECK_MEM(share.p, pub, 32);

    /* The HelloRetryRequest: secp256r1 and a cookie. */
    CHECK_EQ(tls_parse_server_hello(hrr + 4, hrr_len - 4, &s), 0);
    CHECK(s.is_hrr);
    CHECK_EQ(s.suite, MAMORI_TLS_AES_128_GCM_SHA256);
    CHECK_EQ(tls_ext_key_share_hrr(&s.x.v[TLS_X_KEY_SHARE], &group), 0);
    CHECK_EQ(group, MAMORI_TLS_GROUP_SECP256R1);
    CHECK_EQ(tls_ext_cookie(&s.x.v[TLS_X_COOKIE], &cookie), 0);
    CHECK_EQ(cookie.len, 114);

    /* The second ClientHello: the injected P-256 key and the cookie back. */
    CHECK_EQ(tls_parse_client_hello(ch2 + 4, ch2_len - 4, &c2), 0);
    CHECK_MEM(c2.random, c1.random, 32);
    CHECK_EQ(tls_ext_key_share_ch(&c2.x.v[TLS_X_KEY_SHARE], MAMORI_TLS_GROUP_SECP256R1, &share), 0);
    CHECK_EQ(mamori_ec_public(MAMORI_EC_P256, pub, ppriv), 0);
    CHECK_VEC(pub, "client_p256_pub");
    CHECK_EQ(share.len, 65);
    CHECK_MEM(share.p, pub, 65);
    CHECK_EQ(tls_ext_cookie(&c2.x.v[TLS_X_COOKIE], &cookie2), 0);
    CHECK_EQ(cookie2.len, cookie.len);
    CHECK_MEM(cookie2.p, cookie.p, cookie.len);

    /* ServerHello and the P-256 shared secret through the group code. */
    CHECK_EQ(tls_parse_server_hello(sh + 4, sh_len - 4, &s), 0);
    CHECK(!s.is_hrr);
    CHECK_EQ(tls_ext_key_share_sh(&s.x.v[TLS_X_KEY_SHARE], &group, &share), 0);
    CHECK_EQ(group, MAMORI_TLS_GROUP_SECP256R1);
    CHECK_EQ(tls_group_shared(group, ppriv, &share, shared), 0);
    CHECK_VEC(shared, "ecdhe");

    /* Transcript: message_hash(CH1), HRR, CH2, SH (§4.4.1). */
    mamori_tls_transcript_t th;
    mamori_tls_th_init(&th);
    mamori_tls_th_update(&th, ch1, ch1_len);
    mamori_tls_th_choose(&th, H);
    mamori_tls_th_hrr(&th);
    mamori_tls_th_update(&th, hrr, hrr_len);
    mamori_tls_th_update(&th, ch2, ch2_len);
    mamori_tls_th_update(&th, sh, sh_len);
    mamori_tls_th_hash(&th, hash);
    CHECK_VEC(hash, "hello_hash");

    CHECK_EQ(mamori_tls_ks_early(H, NULL, 0, secret), 0);
    CHECK_VEC(secret, "early_secret");
    handshake_secrets(secret, shared, hash, c_hs, s_hs);

    /* The server's flight: EE, Certificate (the §3 one), CertificateVerify,
     * Finished, which must be ours over the transcript. */
    uint8_t flight[1024];
    mamori_tls_dir_t rd = dir_of(s_hs, 0), wr = dir_of(s_hs, 0);
    size_t fl = open_rec(&rd, "server_hs_record", TLS_CT_HANDSHAKE, flight);
    const uint8_t *p = flight, *end = flight + fl;
    size_t n = msg_len(p, end, 8);
    tls_exts_t ee;
    CHECK_EQ(tls_parse_encrypted_extensions(p + 4, n - 4, &ee), 0);
    mamori_tls_th_update(&th, p, n), p += n;
    n = msg_len(p, end, 11);
    CHECK_EQ(n, cert3_len);
    CHECK_MEM(p, cert3, cert3_len);
    mamori_tls_th_update(&th, p, n), p += n;
    n = msg_len(p, end, 15);
    mamori_tls_th_update(&th, p, n), p += n;
    n = msg_len(p, end, 20);
    CHECK_EQ(n, 36);
    CHECK_EQ((size_t)(end - p), n);
    mamori_tls_th_hash(&th, hash);
    CHECK_EQ(mamori_tls_finished(H, s_hs, hash, fin), 0);
    CHECK_MEM(p + 4, fin, 32);
    mamori_tls_th_update(&th, p, n);
    seal_rec(&wr, TLS_CT_HANDSHAKE, flight, fl, "server_hs_record");

    /* Master and application secrets over CH1..server Finished. */
    uint8_t c_ap[32], s_ap[32], out[32];
    mamori_tls_th_hash(&th, hash);
    master_secrets(secret, hash, c_ap, s_ap);

    /* The client's Finished over the same transcript, sealed, then the
     * resumption master secret. */
    uint8_t cf[36] = {20, 0, 0, 32};
    CHECK_EQ(mamori_tls_finished(H, c_hs, hash, cf + 4), 0);
    wr = dir_of(c_hs, 0);
    seal_rec(&wr, TLS_CT_HANDSHAKE, cf, sizeof cf, "client_finished_record");
    mamori_tls_th_update(&th, cf, sizeof cf);
    mamori_tls_th_hash(&th, hash);
    derive(secret, "res master", hash, out, "res_master");

    /* close_notify each way, the first records under the application keys. */
    wr = dir_of(c_ap, 0);
    seal_rec(&wr, TLS_CT_ALERT, close_notify, 2, "client_alert_record");
    wr = dir_of(s_ap, 0);
    seal_rec(&wr, TLS_CT_ALERT, close_notify, 2, "server_alert_record");

    free(ch1), free(hrr), free(ch2), free(sh), free(xpriv), free(ppriv);
}

/* §4 after the ClientHello (ch, psk from the first block of the file). */
static void test_resumed(const uint8_t *ch, size_t ch_len, const uint8_t *psk)
{
    size_t sh_len, ee_len, sf_len, cf_len, eoed_len;
    uint8_t *sh = vec("server_hello", &sh_len), *ee = vec("encrypted_extensions", &ee_len);
    uint8_t *sf = vec("server_finished", &sf_len), *cf = vec("client_finished", &cf_len);
    uint8_t *eoed = vec("end_of_early_data", &eoed_len), *cpriv = vec("client_x25519_priv", NULL);
    uint8_t early[32], secret[32], hash[32], out[32], key[16], iv[12], pub[32], shared[32];
    uint8_t c_e[32], c_hs[32], s_hs[32], c_ap[32], s_ap[32], fin[32], buf[1024];
    tls_client_hello_t c;
    tls_server_hello_t s;
    tls_span_t share;
    uint16_t group, selected;
    mamori_tls_transcript_t th;

    CHECK_EQ(mamori_tls_ks_early(H, psk, 32, early), 0);
    mamori_tls_th_init(&th);
    mamori_tls_th_update(&th, ch, ch_len);
    mamori_tls_th_choose(&th, H);
    mamori_tls_th_hash(&th, hash);

    /* 0-RTT secrets and the early data record ("ABCDEF"): primitives only. */
    static const uint8_t early_data[6] = {'A', 'B', 'C', 'D', 'E', 'F'};
    derive(early, "c e traffic", hash, c_e, "c_e_traffic");
    derive(early, "e exp master", hash, out, "e_exp_master");
    CHECK_EQ(mamori_tls_traffic_keys(H, c_e, 16, key, iv), 0);
    CHECK_VEC(key, "early_key");
    CHECK_VEC(iv, "early_iv");
    mamori_tls_dir_t rd = dir_of(c_e, 0), early_wr = dir_of(c_e, 0);
    CHECK_EQ(open_rec(&rd, "early_app_record", TLS_CT_APPDATA, buf), sizeof early_data);
    CHECK_MEM(buf, early_data, sizeof early_data);
    seal_rec(&early_wr, TLS_CT_APPDATA, early_data, sizeof early_data, "early_app_record");

    /* The client's share is the injected key; the server took PSK 0 and
     * answered with X25519. */
    CHECK_EQ(tls_parse_client_hello(ch + 4, ch_len - 4, &c), 0);
    CHECK_EQ(tls_ext_key_share_ch(&c.x.v[TLS_X_KEY_SHARE], MAMORI_TLS_GROUP_X25519, &share), 0);
    CHECK_EQ(mamori_x25519_public(pub, cpriv), 0);
    CHECK_MEM(share.p, pub, 32);
    CHECK_EQ(tls_parse_server_hello(sh + 4, sh_len - 4, &s), 0);
    CHECK_EQ(tls_ext_psk_sh(&s.x.v[TLS_X_PRE_SHARED_KEY], &selected), 0);
    CHECK_EQ(selected, 0);
    CHECK_EQ(tls_ext_key_share_sh(&s.x.v[TLS_X_KEY_SHARE], &group, &share), 0);
    CHECK_EQ(group, MAMORI_TLS_GROUP_X25519);
    CHECK_EQ(tls_group_shared(group, cpriv, &share, shared), 0);
    CHECK_VEC(shared, "ecdhe");

    /* Handshake secrets over CH..SH. */
    mamori_tls_th_update(&th, sh, sh_len);
    mamori_tls_th_hash(&th, hash);
    uint8_t empty[32];
    mamori_sha256("", 0, empty);
    derive(early, "derived", empty, out, "derived_early");
    memcpy(secret, early, 32);
    handshake_secrets(secret, shared, hash, c_hs, s_hs);

    /* The server's EncryptedExtensions (accepting early_data) and Finished. */
    rd = dir_of(s_hs, 0);
    CHECK_EQ(open_rec(&rd, "server_hs_record", TLS_CT_HANDSHAKE, buf), ee_len + sf_len);
    CHECK_MEM(buf, ee, ee_len);
    CHECK_MEM(buf + ee_len, sf, sf_len);
    tls_exts_t x;
    CHECK_EQ(tls_parse_encrypted_extensions(ee + 4, ee_len - 4, &x), 0);
    CHECK(x.seen & TLS_XBIT(TLS_X_EARLY_DATA));
    mamori_tls_th_update(&th, ee, ee_len);
    mamori_tls_th_hash(&th, hash);
    CHECK_EQ(mamori_tls_finished(H, s_hs, hash, fin), 0);
    CHECK_MEM(sf + 4, fin, 32);
    mamori_tls_th_update(&th, sf, sf_len);
    mamori_tls_dir_t wr = dir_of(s_hs, 0);
    seal_rec(&wr, TLS_CT_HANDSHAKE, buf, ee_len + sf_len, "server_hs_record");

    /* Master and application secrets over CH..server Finished. */
    mamori_tls_th_hash(&th, hash);
    master_secrets(secret, hash, c_ap, s_ap);

    /* EndOfEarlyData under the early keys (0-RTT, primitives only), then the
     * client's Finished over CH..EndOfEarlyData. */
    seal_rec(&early_wr, TLS_CT_HANDSHAKE, eoed, eoed_len, "eoed_record");
    mamori_tls_th_update(&th, eoed, eoed_len);
    mamori_tls_th_hash(&th, hash);
    CHECK_EQ(mamori_tls_finished(H, c_hs, hash, fin), 0);
    CHECK_MEM(cf + 4, fin, 32);
    wr = dir_of(c_hs, 0);
    seal_rec(&wr, TLS_CT_HANDSHAKE, cf, cf_len, "client_finished_record");
    mamori_tls_th_update(&th, cf, cf_len);
    mamori_tls_th_hash(&th, hash);
    derive(secret, "res master", hash, out, "res_master");

    /* Application data (the §3 payload, 0..49) and close_notify each way. */
    uint8_t app[50];
    for (size_t i = 0; i < sizeof app; i++)
        app[i] = (uint8_t)i;
    wr = dir_of(c_ap, 0);
    seal_rec(&wr, TLS_CT_APPDATA, app, sizeof app, "client_app_record");
    seal_rec(&wr, TLS_CT_ALERT, close_notify, 2, "client_alert_record");
    wr = dir_of(s_ap, 0);
    seal_rec(&wr, TLS_CT_APPDATA, app, sizeof app, "server_app_record");
    seal_rec(&wr, TLS_CT_ALERT, close_notify, 2, "server_alert_record");

    free(sh), free(ee), free(sf), free(cf), free(eoed), free(cpriv);
}

int main(void)
{
    size_t cert_len, ch_len;
    kv_open(&kv, MAMORI_SOURCE_DIR "/tests/vectors/rfc8448/simple_1rtt.txt");
    if (!kv_next(&kv))
        return 2;
    uint8_t *cert = vec("certificate", &cert_len);
    kv_close(&kv);

    kv_open(&kv, MAMORI_SOURCE_DIR "/tests/vectors/rfc8448/hello_retry.txt");
    if (!kv_next(&kv))
        return 2;
    test_hello_retry(cert, cert_len);
    kv_close(&kv);

    kv_open(&kv, MAMORI_SOURCE_DIR "/tests/vectors/rfc8448/resumed_0rtt.txt");
    if (!kv_next(&kv))
        return 2;
    uint8_t *ch = vec("client_hello", &ch_len), *psk = vec("psk", NULL);
    if (!kv_next(&kv))
        return 2;
    test_resumed(ch, ch_len, psk);
    kv_close(&kv);
    free(cert), free(ch), free(psk);
    return check_summary("tls_rfc8448");
}
