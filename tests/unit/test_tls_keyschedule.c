/* TLS 1.3 key schedule, transcript and record protection against the
 * RFC 8448 §3 "Simple 1-RTT Handshake" trace, and the PSK binder of the §4
 * resumed handshake (tests/vectors/rfc8448/). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kv.h"
#include "mamori/error.h"
#include "mamori/x25519.h"
#include "tls/tls_internal.h"

static kv_file_t kv;

static uint8_t *vec(const char *key, size_t *len) { return kv_need_hex(&kv, key, len); }

#define CHECK_VEC(got, key) CHECK_KV(&kv, got, key)

/* Seals plaintext as one record and checks the exact wire bytes, then opens
 * them again. */
static void record_roundtrip(const char *key_name, const char *iv_name, uint64_t seq,
                             uint8_t type, const uint8_t *plain, size_t plain_len,
                             const char *record_name)
{
    mamori_tls_dir_t d;
    size_t rec_len, off, plen;
    uint8_t *rec = vec(record_name, &rec_len);
    uint8_t *key = vec(key_name, NULL), *iv = vec(iv_name, NULL);
    uint8_t buf[1024], got_type;
    int alert = -1, n;

    memset(&d, 0, sizeof d);
    d.suite = MAMORI_TLS_AES_128_GCM_SHA256;
    d.key_len = 16;
    memcpy(d.key, key, 16);
    memcpy(d.iv, iv, 12);
    d.seq = seq;
    memcpy(buf + 5, plain, plain_len);
    n = mamori_tls_seal(&d, type, buf, sizeof buf, plain_len, 0);
    CHECK_EQ(n, rec_len);
    CHECK_MEM(buf, rec, rec_len);
    CHECK_EQ(d.seq, seq + 1);

    d.seq = seq;
    CHECK_EQ(mamori_tls_record_len(rec, rec_len, 16384, &alert), rec_len);
    CHECK_EQ(mamori_tls_open(&d, rec, rec_len, 16384, &got_type, &off, &plen, &alert), 0);
    CHECK_EQ(got_type, type);
    CHECK_EQ(plen, plain_len);
    CHECK_MEM(rec + off, plain, plain_len);
    free(rec);
    free(key);
    free(iv);
}

static void test_simple_1rtt(void)
{
    mamori_tls_transcript_t th;
    const mamori_hash_id_t h = MAMORI_HASH_SHA256;
    uint8_t secret[48], hash[48], out[48], key[16], iv[12], shared[32], fin[48];
    size_t ch_len, sh_len, ee_len, cert_len, cv_len, sf_len, cf_len;
    uint8_t *ch = vec("client_hello", &ch_len), *sh = vec("server_hello", &sh_len);
    uint8_t *ee = vec("encrypted_extensions", &ee_len), *cert = vec("certificate", &cert_len);
    uint8_t *cv = vec("certificate_verify", &cv_len), *sf = vec("server_finished", &sf_len);
    uint8_t *cf = vec("client_finished", &cf_len);
    uint8_t *cpriv = vec("client_x25519_priv", NULL), *spub = vec("server_x25519_pub", NULL);

    /* Early secret with no PSK. */
    CHECK_EQ(mamori_tls_ks_early(h, NULL, 0, secret), 0);
    CHECK_VEC(secret, "early_secret");

    /* (EC)DHE and the handshake secret. */
    CHECK_EQ(mamori_x25519(shared, cpriv, spub), 0);
    CHECK_VEC(shared, "ecdhe");
    CHECK_EQ(mamori_tls_ks_next(h, secret, shared, 32), 0);
    CHECK_VEC(secret, "handshake_secret");

    /* The transcript starts before the suite is known. */
    mamori_tls_th_init(&th);
    mamori_tls_th_update(&th, ch, ch_len);
    mamori_tls_th_update(&th, sh, sh_len);
    mamori_tls_th_choose(&th, h);
    mamori_tls_th_hash(&th, hash);
    CHECK_VEC(hash, "hello_hash");

    uint8_t c_hs[32], s_hs[32];
    CHECK_EQ(mamori_tls_derive_secret(h, secret, "c hs traffic", hash, c_hs), 0);
    CHECK_VEC(c_hs, "c_hs_traffic");
    CHECK_EQ(mamori_tls_derive_secret(h, secret, "s hs traffic", hash, s_hs), 0);
    CHECK_VEC(s_hs, "s_hs_traffic");
    CHECK_EQ(mamori_tls_traffic_keys(h, s_hs, 16, key, iv), 0);
    CHECK_VEC(key, "s_hs_key");
    CHECK_VEC(iv, "s_hs_iv");
    CHECK_EQ(mamori_tls_traffic_keys(h, c_hs, 16, key, iv), 0);
    CHECK_VEC(key, "c_hs_key");
    CHECK_VEC(iv, "c_hs_iv");

    /* Server Finished over CH..CV. */
    mamori_tls_th_update(&th, ee, ee_len);
    mamori_tls_th_update(&th, cert, cert_len);
    mamori_tls_th_update(&th, cv, cv_len);
    mamori_tls_th_hash(&th, hash);
    CHECK_EQ(mamori_tls_finished(h, s_hs, hash, fin), 0);
    CHECK_MEM(fin, sf + 4, 32);
    mamori_tls_th_update(&th, sf, sf_len);

    /* Master secret and application traffic secrets over CH..server Fin. */
    CHECK_EQ(mamori_tls_ks_next(h, secret, NULL, 0), 0);
    CHECK_VEC(secret, "master_secret");
    mamori_tls_th_hash(&th, hash);
    CHECK_EQ(mamori_tls_derive_secret(h, secret, "c ap traffic", hash, out), 0);
    CHECK_VEC(out, "c_ap_traffic");
    CHECK_EQ(mamori_tls_traffic_keys(h, out, 16, key, iv), 0);
    CHECK_VEC(key, "c_ap_key");
    CHECK_VEC(iv, "c_ap_iv");
    CHECK_EQ(mamori_tls_derive_secret(h, secret, "s ap traffic", hash, out), 0);
    CHECK_VEC(out, "s_ap_traffic");
    CHECK_EQ(mamori_tls_traffic_keys(h, out, 16, key, iv), 0);
    CHECK_VEC(key, "s_ap_key");
    CHECK_VEC(iv, "s_ap_iv");
    CHECK_EQ(mamori_tls_derive_secret(h, secret, "exp master", hash, out), 0);
    CHECK_VEC(out, "exp_master");

    /* Client Finished over CH..server Fin, then the resumption secret. */
    CHECK_EQ(mamori_tls_finished(h, c_hs, hash, fin), 0);
    CHECK_MEM(fin, cf + 4, 32);
    mamori_tls_th_update(&th, cf, cf_len);
    mamori_tls_th_hash(&th, hash);
    CHECK_EQ(mamori_tls_derive_secret(h, secret, "res master", hash, out), 0);
    CHECK_VEC(out, "res_master");
    uint8_t psk[32];
    CHECK_EQ(mamori_tls_resumption_psk(h, out, (const uint8_t *)"\0\0", 2, psk), 0);
    CHECK_VEC(psk, "resumption_psk");

    /* The server's encrypted flight (EE, Certificate, CV, Finished in one
     * record) and the client's Finished record, byte for byte. */
    uint8_t flight[1024];
    size_t fl = 0;
    memcpy(flight + fl, ee, ee_len), fl += ee_len;
    memcpy(flight + fl, cert, cert_len), fl += cert_len;
    memcpy(flight + fl, cv, cv_len), fl += cv_len;
    memcpy(flight + fl, sf, sf_len), fl += sf_len;
    CHECK_EQ(fl, 657);
    record_roundtrip("s_hs_key", "s_hs_iv", 0, 22, flight, fl, "server_hs_record");
    record_roundtrip("c_hs_key", "c_hs_iv", 0, 22, cf, cf_len, "client_finished_record");
    size_t app_len;
    uint8_t *app = vec("app_payload", &app_len);
    record_roundtrip("c_ap_key", "c_ap_iv", 0, 23, app, app_len, "client_app_record");
    record_roundtrip("s_ap_key", "s_ap_iv", 1, 23, app, app_len, "server_app_record");
    free(app);

    free(ch), free(sh), free(ee), free(cert), free(cv), free(sf), free(cf), free(cpriv);
    free(spub);
}

/* Record-layer rejections: tampering, all-zero inner plaintext, limits. */
static void test_record_errors(void)
{
    mamori_tls_dir_t d;
    uint8_t buf[2048], type, secret[32];
    size_t off, plen;
    int n, alert;

    memset(secret, 7, sizeof secret);
    CHECK_EQ(mamori_tls_dir_set(&d, MAMORI_TLS_CHACHA20_POLY1305_SHA256, secret), 0);
    mamori_tls_dir_t r = d;

    /* Padding is removed; the content type is the last non-zero byte. */
    memcpy(buf + 5, "hello", 5);
    n = mamori_tls_seal(&d, TLS_CT_APPDATA, buf, sizeof buf, 5, 100);
    CHECK_EQ(n, 5 + 5 + 1 + 100 + 16);
    CHECK_EQ(mamori_tls_open(&r, buf, (size_t)n, 16384, &type, &off, &plen, &alert), 0);
    CHECK_EQ(type, TLS_CT_APPDATA);
    CHECK_EQ(plen, 5);
    CHECK_MEM(buf + off, "hello", 5);

    /* A flipped bit: bad_record_mac. */
    n = mamori_tls_seal(&d, TLS_CT_APPDATA, buf, sizeof buf, 5, 0);
    buf[7] ^= 1;
    CHECK_EQ(mamori_tls_open(&r, buf, (size_t)n, 16384, &type, &off, &plen, &alert),
             MAMORI_ERR_AUTH);
    CHECK_EQ(alert, MAMORI_TLS_ALERT_BAD_RECORD_MAC);
    r.seq++; /* the failed record consumed no sequence number; resync */

    /* All-zero inner plaintext (no content type): unexpected_message. */
    memset(buf + 5, 0, 10);
    n = mamori_tls_seal(&d, 0, buf, sizeof buf, 9, 0);
    CHECK_EQ(mamori_tls_open(&r, buf, (size_t)n, 16384, &type, &off, &plen, &alert),
             MAMORI_ERR_TLS_PROTOCOL);
    CHECK_EQ(alert, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);

    /* Over the record_size_limit we announced (100 content bytes). */
    memset(buf + 5, 'x', 200);
    n = mamori_tls_seal(&d, TLS_CT_APPDATA, buf, sizeof buf, 101, 0);
    alert = -1;
    CHECK(mamori_tls_record_len(buf, (size_t)n, 100, &alert) < 0);
    CHECK_EQ(alert, MAMORI_TLS_ALERT_RECORD_OVERFLOW);
    /* Content within the limit but padded past it. */
    n = mamori_tls_seal(&d, TLS_CT_APPDATA, buf, sizeof buf, 10, 200);
    CHECK(mamori_tls_record_len(buf, (size_t)n, 100, &alert) < 0);
    /* Exactly at the limit is fine. */
    r.seq = d.seq;
    n = mamori_tls_seal(&d, TLS_CT_APPDATA, buf, sizeof buf, 100, 0);
    CHECK_EQ(mamori_tls_record_len(buf, (size_t)n, 100, &alert), n);
    CHECK_EQ(mamori_tls_open(&r, buf, (size_t)n, 100, &type, &off, &plen, &alert), 0);
    CHECK_EQ(plen, 100);

    /* A plaintext record over 2^14: record_overflow. */
    buf[0] = TLS_CT_HANDSHAKE, buf[1] = 3, buf[2] = 3, buf[3] = 0x40, buf[4] = 0x01;
    CHECK(mamori_tls_record_len(buf, 5, 16384, &alert) < 0);
    CHECK_EQ(alert, MAMORI_TLS_ALERT_RECORD_OVERFLOW);
    /* An unknown content type. */
    buf[0] = 24, buf[3] = 0, buf[4] = 1;
    CHECK(mamori_tls_record_len(buf, 5, 16384, &alert) < 0);
    CHECK_EQ(alert, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
    /* A protected record shorter than a tag. */
    buf[0] = TLS_CT_APPDATA, buf[4] = 16;
    CHECK_EQ(mamori_tls_open(&r, buf, 21, 16384, &type, &off, &plen, &alert), MAMORI_ERR_AUTH);

    /* Sequence exhaustion and the rekey signal. */
    CHECK(!mamori_tls_dir_rekey_due(&d));
    d.seq = MAMORI_TLS_REKEY_RECORDS;
    CHECK(mamori_tls_dir_rekey_due(&d));
    d.seq = UINT64_MAX;
    CHECK_EQ(mamori_tls_seal(&d, TLS_CT_APPDATA, buf, sizeof buf, 1, 0), MAMORI_ERR_LIMIT);

    /* KeyUpdate secret chain and the SHA-384 suite. */
    uint8_t s384[48];
    memset(s384, 1, sizeof s384);
    CHECK_EQ(mamori_tls_next_traffic_secret(MAMORI_HASH_SHA384, s384), 0);
    CHECK_EQ(mamori_tls_dir_set(&d, MAMORI_TLS_AES_256_GCM_SHA384, s384), 0);
    CHECK_EQ(d.key_len, 32);
    r = d;
    n = mamori_tls_seal(&d, TLS_CT_HANDSHAKE, buf, sizeof buf, 0, 3);
    CHECK_EQ(mamori_tls_open(&r, buf, (size_t)n, 16384, &type, &off, &plen, &alert), 0);
    CHECK_EQ(type, TLS_CT_HANDSHAKE);
    CHECK_EQ(plen, 0);
    /* Too small an output buffer. */
    CHECK_EQ(mamori_tls_seal(&d, TLS_CT_APPDATA, buf, 30, 10, 0), MAMORI_ERR_BUFSIZE);
}

/* RFC 8448 §4: the resumption ClientHello's PSK binder, through the same
 * parser and functions the server uses to check it. */
static void test_resumed_binder(void)
{
    const mamori_hash_id_t h = MAMORI_HASH_SHA256;
    size_t ch_len, binders_len;
    uint8_t *ch = vec("client_hello", &ch_len), *psk = vec("psk", NULL);
    uint8_t secret[32], key[32], hash[32], binder[32];
    tls_client_hello_t parsed;
    tls_span_t id, b;
    uint32_t age;
    mamori_tls_transcript_t th;

    CHECK_EQ(mamori_tls_ks_early(h, psk, 32, secret), 0);
    CHECK_VEC(secret, "early_secret");
    CHECK_EQ(mamori_tls_binder_key(h, secret, false, key), 0);
    CHECK_VEC(key, "binder_key");

    CHECK_EQ(tls_parse_client_hello(ch + 4, ch_len - 4, &parsed), 0);
    CHECK(parsed.x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY));
    CHECK(parsed.x.seen & TLS_XBIT(TLS_X_EARLY_DATA));
    CHECK_EQ(tls_ext_psk_ch(&parsed.x.v[TLS_X_PRE_SHARED_KEY], &id, &age, &b, &binders_len), 0);
    CHECK_EQ(id.len, 178);
    CHECK_EQ(b.len, 32);
    CHECK_EQ(binders_len, 35);
    mamori_tls_th_init(&th);
    mamori_tls_th_hash_with(&th, h, ch, ch_len - binders_len, hash);
    CHECK_VEC(hash, "binder_hash");
    CHECK_EQ(mamori_tls_psk_binder(h, psk, hash, binder), 0);
    CHECK_VEC(binder, "binder");
    CHECK_MEM(b.p, binder, 32);
    free(ch);
    free(psk);
}

int main(void)
{
    kv_open(&kv, MAMORI_SOURCE_DIR "/tests/vectors/rfc8448/simple_1rtt.txt");
    if (!kv_next(&kv))
        return 2;
    test_simple_1rtt();
    test_record_errors();
    kv_close(&kv);
    kv_open(&kv, MAMORI_SOURCE_DIR "/tests/vectors/rfc8448/resumed_0rtt.txt");
    if (!kv_next(&kv))
        return 2;
    test_resumed_binder();
    kv_close(&kv);
    return check_summary("tls_keyschedule");
}
