/*
 * Crypto benchmark of issue 4: mamori against OpenSSL libcrypto, Mbed TLS
 * (libmbedcrypto) and wolfSSL, side by side in one process on the same inputs.
 *
 * Every row is first run once per library and the result checked (digests,
 * ciphertexts, tags and shared secrets must agree across all libraries;
 * signatures must verify with an independent implementation; verifiers must
 * accept the reference signature and reject it under a different digest), so
 * the timing loop cannot silently measure a failure. Every timed call is also
 * checked for success.
 *
 * Timing: a short warm-up per implementation, then ROUNDS rounds in which each
 * library in turn runs the operation back to back for SECONDS; the best round
 * counts. Interleaving the libraries inside each round spreads the noise of a
 * shared machine evenly over them.
 *
 * Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so time the
 * process spends descheduled on a busy machine is not charged to the library
 * being measured; --wall uses the monotonic clock instead. The clock is read
 * once per batch of about a millisecond of work (sized during the warm-up), so
 * reading it costs nothing measurable even for the fastest rows.
 *
 * Usage: bench_crypto [--md] [--wall] [seconds-per-round [rounds]]   (default 0.3 5)
 * Build and run with bench/bench_crypto.sh.
 */
#define _POSIX_C_SOURCE 200809L

/* wolfSSL first: its headers depend on the build's options. */
#include <wolfssl/options.h>
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <mbedtls/chachapoly.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "mamori/chachapoly.h"
#include "mamori/crypto_backend.h"
#include "mamori/drbg.h"
#include "mamori/ecc.h"
#include "mamori/ed25519.h"
#include "mamori/gcm.h"
#include "mamori/rsa.h"
#include "mamori/sha2.h"
#include "mamori/x25519.h"
#include "posix/crypto_x86.h"

#define BENCH_NAME "bench_crypto"
#include "bench_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAM, OSSL, MBED, WOLF, NLIB };
static const char *const lib_name[NLIB] = {"mamori", "OpenSSL", "Mbed TLS", "wolfSSL"};

#define BULK 16384
#define AAD_LEN 13
#define EDMSG_LEN 128
#define RSA_BITS 2048
#define RSA_LEN (RSA_BITS / 8)
#define SIG_MAX 600

/* ---------------------------------------------------------------------- */
/* Shared inputs and per-library outputs                                  */

static uint8_t msg[BULK], key16[16], key32[32], iv12[12], aad[AAD_LEN];
static uint8_t edmsg[EDMSG_LEN];
static uint8_t digest[32], bad_digest[32];
static const uint8_t *cur_digest = digest; /* verifiers read this */

static uint8_t x_priv[32], x_priv_clamped[32], x_peer[32];
static uint8_t a_priv[32], a_pub[65], b_priv[32], b_pub[65];
static uint8_t ref_ecdsa_rs[64], ref_ecdsa_der[80];
static size_t ref_ecdsa_der_len;

/* NPEER more P-256 key pairs, each with a signature over digest, for the rows
 * that take a different peer or public key on every call, as every TLS 1.3
 * handshake brings a fresh ephemeral key share (RFC 8446 §4.2.8). Each
 * library walks the keys round robin with its own index.
 * There are many because wolfSSL built with FP_ECC caches the points it
 * meets and builds a table for a point met twice: its eviction always takes
 * the first least-used entry, so the other entries of points met once stay,
 * and their keys are fast from their second round on (about 20% of the calls
 * with 64 keys, about 1% with 1024). The checks use the first NPEER_CHECKED
 * keys. */
#define NPEER 1024
#define NPEER_CHECKED 64
static uint8_t peer_pub[NPEER][65], peer_rs[NPEER][64], peer_der[NPEER][80];
static size_t peer_der_len[NPEER];
static unsigned peer_i[NLIB];

/* Library l's next peer key index. */
static unsigned next_peer(int l)
{
    unsigned i = peer_i[l];
    peer_i[l] = (i + 1) % NPEER;
    return i;
}

static uint8_t ed_seed[32], ed_pub[32], ref_ed_sig[64];
static uint8_t rsa_der[2048];
static size_t rsa_der_len;
static uint8_t ref_pss[RSA_LEN], ref_pkcs1[RSA_LEN];

static uint8_t out[NLIB][BULK];
static uint8_t tag[NLIB][16];
static uint8_t small[NLIB][64]; /* digests and shared secrets */
static uint8_t sig[NLIB][SIG_MAX];
static size_t sig_len[NLIB];

/* Deterministic filler for the inputs (not a security RNG). */
static uint64_t fill_state = 0x9e3779b97f4a7c15u;
static void fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fill_state ^= fill_state << 13;
        fill_state ^= fill_state >> 7;
        fill_state ^= fill_state << 17;
        p[i] = (uint8_t)(fill_state >> 32);
    }
}

static const uint8_t sha256_digestinfo[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                              0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                              0x01, 0x05, 0x00, 0x04, 0x20};

/* ---------------------------------------------------------------------- */
/* mamori                                                                 */

static mamori_drbg_t m_drbg;
static mamori_gcm_ctx_t m_gcm;
static mamori_rsa_private_t m_rsa;
static mamori_rsa_public_t m_rsa_pub;
static uint8_t rsa_work[MAMORI_RSA_SIGN_WORK_SIZE(MAMORI_RSA_MAX_BITS)];

static int m_sha256(void)
{
    mamori_sha256(msg, BULK, small[MAM]);
    return 0;
}
static int m_gcm_seal(void)
{
    return mamori_gcm_seal(&m_gcm, iv12, 12, aad, AAD_LEN, msg, BULK, out[MAM], tag[MAM]);
}
/* The same seal on the POSIX port's AES-NI backend (port/posix/crypto_x86.c),
 * installed for this call only: every other row runs the portable code. */
static const mamori_crypto_backend_t *m_hw;
static int m_gcm_seal_hw(void)
{
    mamori_crypto_set_backend(m_hw);
    int rc = m_gcm_seal();
    mamori_crypto_set_backend(NULL);
    return rc;
}
static int m_chachapoly_seal(void)
{
    return mamori_chachapoly_seal(key32, iv12, aad, AAD_LEN, msg, BULK, out[MAM], tag[MAM]);
}
static int m_x25519(void)
{
    return mamori_x25519(small[MAM], x_priv, x_peer);
}
/* The same-key rows use prepared keys (mamori_ec_prepare, once in
 * m_setup), as wolfSSL's FP_ECC builds its cached table on the first call
 * with a point; the fresh-key rows must not (preparing costs more than one
 * call). */
static mamori_ec_prepared_t m_b_prepared, m_a_prepared;
static int m_ecdh(void)
{
    return mamori_ecdh_prepared(small[MAM], a_priv, &m_b_prepared);
}
static int m_ecdh_fresh(void)
{
    return mamori_ecdh(MAMORI_EC_P256, small[MAM], a_priv, peer_pub[next_peer(MAM)], 65);
}
static int m_ecdsa_sign(void)
{
    sig_len[MAM] = 64;
    return mamori_ecdsa_sign(MAMORI_EC_P256, sig[MAM], a_priv, digest, 32, mamori_drbg_generate,
                             &m_drbg);
}
static int m_ecdsa_verify(void)
{
    return mamori_ecdsa_verify_prepared(&m_a_prepared, cur_digest, 32, ref_ecdsa_rs);
}
static int m_ecdsa_verify_fresh(void)
{
    unsigned i = next_peer(MAM);
    return mamori_ecdsa_verify(MAMORI_EC_P256, peer_pub[i], 65, cur_digest, 32, peer_rs[i]);
}
/* Signing with a key expanded once, as the others sign with a loaded key
 * object; m_ed_sign_seed re-derives the key from the seed every time. */
static mamori_ed25519_key_t m_ed_key;
static int m_ed_sign(void)
{
    sig_len[MAM] = 64;
    return mamori_ed25519_sign_key(sig[MAM], edmsg, EDMSG_LEN, &m_ed_key);
}
static int m_ed_sign_seed(void)
{
    sig_len[MAM] = 64;
    return mamori_ed25519_sign(sig[MAM], edmsg, EDMSG_LEN, ed_seed, ed_pub);
}
static int m_ed_verify(void)
{
    /* The negative check flips the message instead of a digest. */
    if (cur_digest != digest)
        return mamori_ed25519_verify(ref_ed_sig, edmsg, EDMSG_LEN - 1, ed_pub);
    return mamori_ed25519_verify(ref_ed_sig, edmsg, EDMSG_LEN, ed_pub);
}
static int m_rsa_pkcs1_verify(void)
{
    return mamori_rsa_pkcs1_verify(&m_rsa_pub, MAMORI_HASH_SHA256, cur_digest, ref_pkcs1, RSA_LEN);
}
static int m_rsa_pss_verify(void)
{
    return mamori_rsa_pss_verify(&m_rsa_pub, MAMORI_HASH_SHA256, MAMORI_HASH_SHA256, 32, cur_digest,
                                 ref_pss, RSA_LEN);
}
static int m_rsa_pss_sign(void)
{
    sig_len[MAM] = RSA_LEN;
    return mamori_rsa_pss_sign(&m_rsa, MAMORI_HASH_SHA256, digest, 32, sig[MAM], SIG_MAX,
                               mamori_drbg_generate, &m_drbg, rsa_work, sizeof rsa_work);
}

/* ---------------------------------------------------------------------- */
/* OpenSSL                                                                */

static EVP_MD_CTX *o_md;
static const EVP_MD *o_sha256;
static EVP_CIPHER_CTX *o_gcm, *o_ccp;
static EVP_PKEY_CTX *o_x25519, *o_ecdh, *o_ecdsa_sign, *o_ecdsa_verify;
static EVP_PKEY_CTX *o_ecdh_peer[NPEER], *o_ecdsa_verify_peer[NPEER];
static EVP_MD_CTX *o_ed_sign, *o_ed_verify;
static EVP_PKEY *o_rsa;
static EVP_PKEY_CTX *o_pss_sign, *o_pss_verify, *o_pkcs1_verify;

static int o_sha256_run(void)
{
    unsigned n = 0;
    if (EVP_DigestInit_ex2(o_md, o_sha256, NULL) != 1 || EVP_DigestUpdate(o_md, msg, BULK) != 1 ||
        EVP_DigestFinal_ex(o_md, small[OSSL], &n) != 1 || n != 32)
        return -1;
    return 0;
}
static int o_aead(EVP_CIPHER_CTX *c, uint8_t *o, uint8_t *t)
{
    int l = 0, l2 = 0;
    if (EVP_EncryptInit_ex2(c, NULL, NULL, iv12, NULL) != 1 ||
        EVP_EncryptUpdate(c, NULL, &l, aad, AAD_LEN) != 1 ||
        EVP_EncryptUpdate(c, o, &l, msg, BULK) != 1 || EVP_EncryptFinal_ex(c, o + l, &l2) != 1 ||
        l + l2 != BULK || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, t) != 1)
        return -1;
    return 0;
}
static int o_gcm_seal(void)
{
    return o_aead(o_gcm, out[OSSL], tag[OSSL]);
}
static int o_chachapoly_seal(void)
{
    return o_aead(o_ccp, out[OSSL], tag[OSSL]);
}
static int o_derive(EVP_PKEY_CTX *c)
{
    size_t n = 32;
    return EVP_PKEY_derive(c, small[OSSL], &n) == 1 && n == 32 ? 0 : -1;
}
static int o_x25519_run(void)
{
    return o_derive(o_x25519);
}
static int o_ecdh_run(void)
{
    return o_derive(o_ecdh);
}
static int o_ecdh_fresh(void)
{
    return o_derive(o_ecdh_peer[next_peer(OSSL)]);
}
static int o_ecdsa_sign_run(void)
{
    size_t n = SIG_MAX;
    if (EVP_PKEY_sign(o_ecdsa_sign, sig[OSSL], &n, digest, 32) != 1)
        return -1;
    sig_len[OSSL] = n;
    return 0;
}
static int o_ecdsa_verify_run(void)
{
    return EVP_PKEY_verify(o_ecdsa_verify, ref_ecdsa_der, ref_ecdsa_der_len, cur_digest, 32) == 1
               ? 0
               : -1;
}
static int o_ecdsa_verify_fresh(void)
{
    unsigned i = next_peer(OSSL);
    int ok = EVP_PKEY_verify(o_ecdsa_verify_peer[i], peer_der[i], peer_der_len[i], cur_digest, 32);
    return ok == 1 ? 0 : -1;
}
static int o_ed_sign_run(void)
{
    size_t n = 64;
    if (EVP_DigestSign(o_ed_sign, sig[OSSL], &n, edmsg, EDMSG_LEN) != 1 || n != 64)
        return -1;
    sig_len[OSSL] = n;
    return 0;
}
static int o_ed_verify_run(void)
{
    size_t len = cur_digest == digest ? EDMSG_LEN : EDMSG_LEN - 1;
    return EVP_DigestVerify(o_ed_verify, ref_ed_sig, 64, edmsg, len) == 1 ? 0 : -1;
}
static int o_rsa_pkcs1_verify_run(void)
{
    return EVP_PKEY_verify(o_pkcs1_verify, ref_pkcs1, RSA_LEN, cur_digest, 32) == 1 ? 0 : -1;
}
static int o_rsa_pss_verify_run(void)
{
    return EVP_PKEY_verify(o_pss_verify, ref_pss, RSA_LEN, cur_digest, 32) == 1 ? 0 : -1;
}
static int o_rsa_pss_sign_run(void)
{
    size_t n = SIG_MAX;
    if (EVP_PKEY_sign(o_pss_sign, sig[OSSL], &n, digest, 32) != 1 || n != RSA_LEN)
        return -1;
    sig_len[OSSL] = n;
    return 0;
}

/* An EC P-256 key from raw bytes (priv may be NULL for a public key). */
static EVP_PKEY *o_ec_key(const uint8_t *priv, const uint8_t *pub)
{
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    BIGNUM *d = priv ? BN_bin2bn(priv, 32, NULL) : NULL;
    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub, 65);
    if (d)
        OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d);
    OSSL_PARAM *p = OSSL_PARAM_BLD_to_param(b);
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *k = NULL;
    if (p == NULL || c == NULL || EVP_PKEY_fromdata_init(c) != 1 ||
        EVP_PKEY_fromdata(c, &k, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, p) != 1)
        die("OpenSSL: EC key import failed");
    EVP_PKEY_CTX_free(c);
    OSSL_PARAM_free(p);
    OSSL_PARAM_BLD_free(b);
    BN_free(d);
    return k;
}

static EVP_PKEY_CTX *o_derive_ctx(EVP_PKEY *mine, EVP_PKEY *peer)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(mine, NULL);
    if (c == NULL || EVP_PKEY_derive_init(c) != 1 || EVP_PKEY_derive_set_peer(c, peer) != 1)
        die("OpenSSL: derive setup failed");
    return c;
}

static EVP_PKEY_CTX *o_rsa_ctx(int sign, int padding)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(o_rsa, NULL);
    if (c == NULL || (sign ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c)) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(c, padding) != 1 ||
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) != 1)
        die("OpenSSL: RSA context setup failed");
    if (padding == RSA_PKCS1_PSS_PADDING &&
        (EVP_PKEY_CTX_set_rsa_pss_saltlen(c, 32) != 1 ||
         EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) != 1))
        die("OpenSSL: PSS setup failed");
    return c;
}

/* Verifies an ECDSA P-256 DER signature over digest with OpenSSL. */
static int o_ecdsa_check(const uint8_t *der, size_t len)
{
    int ok = EVP_PKEY_verify(o_ecdsa_verify, der, len, digest, 32) == 1;
    return ok ? 0 : -1;
}

static void o_setup(void)
{
    o_md = EVP_MD_CTX_new();
    o_sha256 = EVP_sha256();
    o_gcm = EVP_CIPHER_CTX_new();
    o_ccp = EVP_CIPHER_CTX_new();
    if (EVP_EncryptInit_ex2(o_gcm, EVP_aes_128_gcm(), key16, iv12, NULL) != 1 ||
        EVP_EncryptInit_ex2(o_ccp, EVP_chacha20_poly1305(), key32, iv12, NULL) != 1)
        die("OpenSSL: cipher setup failed");

    EVP_PKEY *xk = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, x_priv, 32);
    EVP_PKEY *xp = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, x_peer, 32);
    if (xk == NULL || xp == NULL)
        die("OpenSSL: X25519 key import failed");
    o_x25519 = o_derive_ctx(xk, xp);

    EVP_PKEY *ak = o_ec_key(a_priv, a_pub), *apub = o_ec_key(NULL, a_pub);
    EVP_PKEY *bpub = o_ec_key(NULL, b_pub);
    o_ecdh = o_derive_ctx(ak, bpub);
    o_ecdsa_sign = EVP_PKEY_CTX_new(ak, NULL);
    o_ecdsa_verify = EVP_PKEY_CTX_new(apub, NULL);
    if (o_ecdsa_sign == NULL || o_ecdsa_verify == NULL ||
        EVP_PKEY_sign_init(o_ecdsa_sign) != 1 || EVP_PKEY_verify_init(o_ecdsa_verify) != 1)
        die("OpenSSL: ECDSA setup failed");
    for (unsigned i = 0; i < NPEER; i++) {
        EVP_PKEY *pub = o_ec_key(NULL, peer_pub[i]);
        o_ecdh_peer[i] = o_derive_ctx(ak, pub);
        o_ecdsa_verify_peer[i] = EVP_PKEY_CTX_new(pub, NULL);
        if (o_ecdsa_verify_peer[i] == NULL || EVP_PKEY_verify_init(o_ecdsa_verify_peer[i]) != 1)
            die("OpenSSL: ECDSA setup failed");
    }

    EVP_PKEY *ek = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, ed_seed, 32);
    EVP_PKEY *ep = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, ed_pub, 32);
    o_ed_sign = EVP_MD_CTX_new();
    o_ed_verify = EVP_MD_CTX_new();
    if (ek == NULL || ep == NULL || EVP_DigestSignInit(o_ed_sign, NULL, NULL, NULL, ek) != 1 ||
        EVP_DigestVerifyInit(o_ed_verify, NULL, NULL, NULL, ep) != 1)
        die("OpenSSL: Ed25519 setup failed");

    /* The RSA key all libraries share: generated here, exported as PKCS#1 DER. */
    o_rsa = EVP_RSA_gen(RSA_BITS);
    if (o_rsa == NULL)
        die("OpenSSL: RSA key generation failed");
    unsigned char *p = rsa_der;
    int n = i2d_PrivateKey(o_rsa, NULL);
    if (n <= 0 || (size_t)n > sizeof rsa_der || i2d_PrivateKey(o_rsa, &p) != n)
        die("OpenSSL: RSA key export failed");
    rsa_der_len = (size_t)n;
    o_pss_sign = o_rsa_ctx(1, RSA_PKCS1_PSS_PADDING);
    o_pss_verify = o_rsa_ctx(0, RSA_PKCS1_PSS_PADDING);
    o_pkcs1_verify = o_rsa_ctx(0, RSA_PKCS1_PADDING);
    /* The reference PKCS#1 v1.5 signature (mamori only verifies that scheme). */
    EVP_PKEY_CTX *c = o_rsa_ctx(1, RSA_PKCS1_PADDING);
    size_t len = sizeof ref_pkcs1;
    if (EVP_PKEY_sign(c, ref_pkcs1, &len, digest, 32) != 1 || len != RSA_LEN)
        die("OpenSSL: PKCS#1 v1.5 signing failed");
    EVP_PKEY_CTX_free(c);
}

/* ---------------------------------------------------------------------- */
/* Mbed TLS                                                               */

static mbedtls_entropy_context b_entropy;
static mbedtls_ctr_drbg_context b_drbg;
static mbedtls_gcm_context b_gcm;
static mbedtls_chachapoly_context b_ccp;
static mbedtls_ecp_group b_g25519, b_g256;
static mbedtls_mpi b_xd, b_z, b_ad, b_r, b_s, b_ref_r, b_ref_s;
static mbedtls_ecp_point b_xq, b_aq, b_bq;
static mbedtls_ecp_point b_peer[NPEER];
static mbedtls_mpi b_peer_r[NPEER], b_peer_s[NPEER];
static mbedtls_pk_context b_pk;

static int b_sha256(void)
{
    return mbedtls_sha256_ret(msg, BULK, small[MBED], 0);
}
static int b_gcm_seal(void)
{
    return mbedtls_gcm_crypt_and_tag(&b_gcm, MBEDTLS_GCM_ENCRYPT, BULK, iv12, 12, aad, AAD_LEN, msg,
                                     out[MBED], 16, tag[MBED]);
}
static int b_chachapoly_seal(void)
{
    return mbedtls_chachapoly_encrypt_and_tag(&b_ccp, BULK, iv12, aad, AAD_LEN, msg, out[MBED],
                                              tag[MBED]);
}
static int b_x25519(void)
{
    if (mbedtls_ecdh_compute_shared(&b_g25519, &b_z, &b_xq, &b_xd, mbedtls_ctr_drbg_random,
                                    &b_drbg) != 0)
        return -1;
    return mbedtls_mpi_write_binary_le(&b_z, small[MBED], 32);
}
static int b_ecdh(void)
{
    if (mbedtls_ecdh_compute_shared(&b_g256, &b_z, &b_bq, &b_ad, mbedtls_ctr_drbg_random,
                                    &b_drbg) != 0)
        return -1;
    return mbedtls_mpi_write_binary(&b_z, small[MBED], 32);
}
static int b_ecdh_fresh(void)
{
    if (mbedtls_ecdh_compute_shared(&b_g256, &b_z, &b_peer[next_peer(MBED)], &b_ad,
                                    mbedtls_ctr_drbg_random, &b_drbg) != 0)
        return -1;
    return mbedtls_mpi_write_binary(&b_z, small[MBED], 32);
}
static int b_ecdsa_sign(void)
{
    if (mbedtls_ecdsa_sign_det_ext(&b_g256, &b_r, &b_s, &b_ad, digest, 32, MBEDTLS_MD_SHA256,
                                   mbedtls_ctr_drbg_random, &b_drbg) != 0 ||
        mbedtls_mpi_write_binary(&b_r, sig[MBED], 32) != 0 ||
        mbedtls_mpi_write_binary(&b_s, sig[MBED] + 32, 32) != 0)
        return -1;
    sig_len[MBED] = 64;
    return 0;
}
static int b_ecdsa_verify(void)
{
    return mbedtls_ecdsa_verify(&b_g256, cur_digest, 32, &b_aq, &b_ref_r, &b_ref_s);
}
static int b_ecdsa_verify_fresh(void)
{
    unsigned i = next_peer(MBED);
    return mbedtls_ecdsa_verify(&b_g256, cur_digest, 32, &b_peer[i], &b_peer_r[i], &b_peer_s[i]);
}
static int b_rsa_pkcs1_verify(void)
{
    return mbedtls_rsa_rsassa_pkcs1_v15_verify(mbedtls_pk_rsa(b_pk), NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                               MBEDTLS_MD_SHA256, 32, cur_digest, ref_pkcs1);
}
static int b_rsa_pss_verify(void)
{
    return mbedtls_rsa_rsassa_pss_verify_ext(mbedtls_pk_rsa(b_pk), NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                             MBEDTLS_MD_SHA256, 32, cur_digest, MBEDTLS_MD_SHA256,
                                             32, ref_pss);
}
static int b_rsa_pss_sign(void)
{
    sig_len[MBED] = RSA_LEN;
    return mbedtls_rsa_rsassa_pss_sign_ext(mbedtls_pk_rsa(b_pk), mbedtls_ctr_drbg_random, &b_drbg,
                                           MBEDTLS_MD_SHA256, 32, digest, 32, sig[MBED]);
}

static void b_setup(void)
{
    mbedtls_entropy_init(&b_entropy);
    mbedtls_ctr_drbg_init(&b_drbg);
    if (mbedtls_ctr_drbg_seed(&b_drbg, mbedtls_entropy_func, &b_entropy,
                              (const unsigned char *)"bench", 5) != 0)
        die("Mbed TLS: DRBG seeding failed");
    mbedtls_gcm_init(&b_gcm);
    mbedtls_chachapoly_init(&b_ccp);
    if (mbedtls_gcm_setkey(&b_gcm, MBEDTLS_CIPHER_ID_AES, key16, 128) != 0 ||
        mbedtls_chachapoly_setkey(&b_ccp, key32) != 0)
        die("Mbed TLS: cipher setup failed");

    mbedtls_ecp_group_init(&b_g25519);
    mbedtls_ecp_group_init(&b_g256);
    mbedtls_mpi *mpis[] = {&b_xd, &b_z, &b_ad, &b_r, &b_s, &b_ref_r, &b_ref_s};
    for (size_t i = 0; i < sizeof mpis / sizeof mpis[0]; i++)
        mbedtls_mpi_init(mpis[i]);
    mbedtls_ecp_point_init(&b_xq);
    mbedtls_ecp_point_init(&b_aq);
    mbedtls_ecp_point_init(&b_bq);
    /* Mbed TLS expects an X25519 scalar already clamped (RFC 7748 §5). */
    if (mbedtls_ecp_group_load(&b_g25519, MBEDTLS_ECP_DP_CURVE25519) != 0 ||
        mbedtls_mpi_read_binary_le(&b_xd, x_priv_clamped, 32) != 0 ||
        mbedtls_ecp_point_read_binary(&b_g25519, &b_xq, x_peer, 32) != 0)
        die("Mbed TLS: X25519 setup failed");
    if (mbedtls_ecp_group_load(&b_g256, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_mpi_read_binary(&b_ad, a_priv, 32) != 0 ||
        mbedtls_ecp_point_read_binary(&b_g256, &b_aq, a_pub, 65) != 0 ||
        mbedtls_ecp_point_read_binary(&b_g256, &b_bq, b_pub, 65) != 0 ||
        mbedtls_mpi_read_binary(&b_ref_r, ref_ecdsa_rs, 32) != 0 ||
        mbedtls_mpi_read_binary(&b_ref_s, ref_ecdsa_rs + 32, 32) != 0)
        die("Mbed TLS: P-256 setup failed");
    for (unsigned i = 0; i < NPEER; i++) {
        mbedtls_ecp_point_init(&b_peer[i]);
        mbedtls_mpi_init(&b_peer_r[i]);
        mbedtls_mpi_init(&b_peer_s[i]);
        if (mbedtls_ecp_point_read_binary(&b_g256, &b_peer[i], peer_pub[i], 65) != 0 ||
            mbedtls_mpi_read_binary(&b_peer_r[i], peer_rs[i], 32) != 0 ||
            mbedtls_mpi_read_binary(&b_peer_s[i], peer_rs[i] + 32, 32) != 0)
            die("Mbed TLS: P-256 peer key setup failed");
    }

    mbedtls_pk_init(&b_pk);
    if (mbedtls_pk_parse_key(&b_pk, rsa_der, rsa_der_len, NULL, 0) != 0 ||
        mbedtls_pk_get_type(&b_pk) != MBEDTLS_PK_RSA)
        die("Mbed TLS: RSA key import failed");
    mbedtls_rsa_set_padding(mbedtls_pk_rsa(b_pk), MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
}

/* ---------------------------------------------------------------------- */
/* wolfSSL                                                                */

static WC_RNG w_rng;
static wc_Sha256 w_sha;
static Aes w_aes;
static curve25519_key w_xk, w_xp;
static ecc_key w_ak, w_apub, w_bpub;
static ecc_key w_peer[NPEER];
static ed25519_key w_ek, w_epub;
static RsaKey w_rsa;

static int w_sha256(void)
{
    if (wc_Sha256Update(&w_sha, msg, BULK) != 0)
        return -1;
    return wc_Sha256Final(&w_sha, small[WOLF]); /* Final also re-initialises */
}
static int w_gcm_seal(void)
{
    return wc_AesGcmEncrypt(&w_aes, out[WOLF], msg, BULK, iv12, 12, tag[WOLF], 16, aad, AAD_LEN);
}
static int w_chachapoly_seal(void)
{
    return wc_ChaCha20Poly1305_Encrypt(key32, iv12, aad, AAD_LEN, msg, BULK, out[WOLF], tag[WOLF]);
}
static int w_x25519(void)
{
    word32 n = 32;
    return wc_curve25519_shared_secret_ex(&w_xk, &w_xp, small[WOLF], &n, EC25519_LITTLE_ENDIAN);
}
static int w_ecdh(void)
{
    word32 n = 32;
    return wc_ecc_shared_secret(&w_ak, &w_bpub, small[WOLF], &n);
}
static int w_ecdh_fresh(void)
{
    word32 n = 32;
    return wc_ecc_shared_secret(&w_ak, &w_peer[next_peer(WOLF)], small[WOLF], &n);
}
static int w_ecdsa_sign(void)
{
    word32 n = SIG_MAX;
    int rc = wc_ecc_sign_hash(digest, 32, sig[WOLF], &n, &w_rng, &w_ak);
    sig_len[WOLF] = n;
    return rc;
}
static int w_ecdsa_verify(void)
{
    int res = 0;
    int rc = wc_ecc_verify_hash(ref_ecdsa_der, (word32)ref_ecdsa_der_len, cur_digest, 32, &res,
                                &w_apub);
    return rc == 0 && res == 1 ? 0 : -1;
}
static int w_ecdsa_verify_fresh(void)
{
    unsigned i = next_peer(WOLF);
    int res = 0;
    int rc = wc_ecc_verify_hash(peer_der[i], (word32)peer_der_len[i], cur_digest, 32, &res,
                                &w_peer[i]);
    return rc == 0 && res == 1 ? 0 : -1;
}
static int w_ed_sign(void)
{
    word32 n = 64;
    sig_len[WOLF] = 64;
    return wc_ed25519_sign_msg(edmsg, EDMSG_LEN, sig[WOLF], &n, &w_ek);
}
static int w_ed_verify(void)
{
    int res = 0;
    word32 len = cur_digest == digest ? EDMSG_LEN : EDMSG_LEN - 1;
    int rc = wc_ed25519_verify_msg(ref_ed_sig, 64, edmsg, len, &res, &w_epub);
    return rc == 0 && res == 1 ? 0 : -1;
}
static int w_rsa_pkcs1_verify(void)
{
    uint8_t em[RSA_LEN];
    int n = wc_RsaSSL_Verify(ref_pkcs1, RSA_LEN, em, sizeof em, &w_rsa);
    if (n != 51 || memcmp(em, sha256_digestinfo, 19) != 0 || memcmp(em + 19, cur_digest, 32) != 0)
        return -1;
    return 0;
}
static int w_rsa_pss_verify(void)
{
    uint8_t em[RSA_LEN], in[RSA_LEN];
    memcpy(in, ref_pss, RSA_LEN); /* the API's input is not const */
    int n = wc_RsaPSS_VerifyCheck(in, RSA_LEN, em, sizeof em, cur_digest, 32, WC_HASH_TYPE_SHA256,
                                  WC_MGF1SHA256, &w_rsa);
    return n > 0 ? 0 : -1;
}
static int w_rsa_pss_sign(void)
{
    int n = wc_RsaPSS_Sign_ex(digest, 32, sig[WOLF], SIG_MAX, WC_HASH_TYPE_SHA256, WC_MGF1SHA256, 32,
                              &w_rsa, &w_rng);
    sig_len[WOLF] = n > 0 ? (size_t)n : 0;
    return n == RSA_LEN ? 0 : -1;
}

static void w_setup(void)
{
    if (wolfCrypt_Init() != 0 || wc_InitRng(&w_rng) != 0 || wc_InitSha256(&w_sha) != 0 ||
        wc_AesInit(&w_aes, NULL, INVALID_DEVID) != 0 || wc_AesGcmSetKey(&w_aes, key16, 16) != 0)
        die("wolfSSL: setup failed");
    if (wc_curve25519_init(&w_xk) != 0 || wc_curve25519_init(&w_xp) != 0 ||
        wc_curve25519_import_private_ex(x_priv_clamped, 32, &w_xk, EC25519_LITTLE_ENDIAN) != 0 ||
        wc_curve25519_import_public_ex(x_peer, 32, &w_xp, EC25519_LITTLE_ENDIAN) != 0)
        die("wolfSSL: X25519 setup failed");
    if (wc_ecc_init(&w_ak) != 0 || wc_ecc_init(&w_apub) != 0 || wc_ecc_init(&w_bpub) != 0 ||
        wc_ecc_import_private_key_ex(a_priv, 32, a_pub, 65, &w_ak, ECC_SECP256R1) != 0 ||
        wc_ecc_import_x963_ex(a_pub, 65, &w_apub, ECC_SECP256R1) != 0 ||
        wc_ecc_import_x963_ex(b_pub, 65, &w_bpub, ECC_SECP256R1) != 0 ||
        wc_ecc_set_rng(&w_ak, &w_rng) != 0)
        die("wolfSSL: P-256 setup failed");
    for (unsigned i = 0; i < NPEER; i++)
        if (wc_ecc_init(&w_peer[i]) != 0 ||
            wc_ecc_import_x963_ex(peer_pub[i], 65, &w_peer[i], ECC_SECP256R1) != 0)
            die("wolfSSL: P-256 peer key setup failed");
    if (wc_ed25519_init(&w_ek) != 0 || wc_ed25519_init(&w_epub) != 0 ||
        wc_ed25519_import_private_key(ed_seed, 32, ed_pub, 32, &w_ek) != 0 ||
        wc_ed25519_import_public(ed_pub, 32, &w_epub) != 0)
        die("wolfSSL: Ed25519 setup failed");
    word32 idx = 0;
    if (wc_InitRsaKey(&w_rsa, NULL) != 0 ||
        wc_RsaPrivateKeyDecode(rsa_der, &idx, &w_rsa, (word32)rsa_der_len) != 0 ||
        wc_RsaSetRNG(&w_rsa, &w_rng) != 0)
        die("wolfSSL: RSA key import failed");
}

/* ---------------------------------------------------------------------- */
/* Reference values and correctness checks                                */

static void m_setup(void)
{
    fill(msg, sizeof msg);
    fill(key16, sizeof key16);
    fill(key32, sizeof key32);
    fill(iv12, sizeof iv12);
    fill(aad, sizeof aad);
    fill(edmsg, sizeof edmsg);
    mamori_sha256("mamori bench digest", 19, digest);
    memcpy(bad_digest, digest, 32);
    bad_digest[31] ^= 1;

    if (mamori_drbg_init(&m_drbg, urandom, NULL, "bench", 5) != 0)
        die("mamori: DRBG init failed");
    if (mamori_gcm_init(&m_gcm, key16, 16) != 0)
        die("mamori: GCM init failed");
    if (mamori_posix_crypto_install())
        m_hw = mamori_crypto_backend();
    mamori_crypto_set_backend(NULL);

    uint8_t peer_priv[32];
    fill(x_priv, 32);
    fill(peer_priv, 32);
    if (mamori_x25519_public(x_peer, peer_priv) != 0)
        die("mamori: X25519 public failed");
    memcpy(x_priv_clamped, x_priv, 32);
    x_priv_clamped[0] &= 248;
    x_priv_clamped[31] &= 127;
    x_priv_clamped[31] |= 64;

    if (mamori_ec_keygen(MAMORI_EC_P256, a_priv, a_pub, mamori_drbg_generate, &m_drbg) != 0 ||
        mamori_ec_keygen(MAMORI_EC_P256, b_priv, b_pub, mamori_drbg_generate, &m_drbg) != 0)
        die("mamori: P-256 keygen failed");
    if (mamori_ec_prepare(MAMORI_EC_P256, &m_a_prepared, a_pub, sizeof a_pub) != 0 ||
        mamori_ec_prepare(MAMORI_EC_P256, &m_b_prepared, b_pub, sizeof b_pub) != 0)
        die("mamori: P-256 prepare failed");
    if (mamori_ecdsa_sign(MAMORI_EC_P256, ref_ecdsa_rs, a_priv, digest, 32, NULL, NULL) != 0 ||
        mamori_ecdsa_sig_to_der(MAMORI_EC_P256, ref_ecdsa_der, sizeof ref_ecdsa_der,
                                &ref_ecdsa_der_len, ref_ecdsa_rs) != 0)
        die("mamori: reference ECDSA signature failed");
    for (unsigned i = 0; i < NPEER; i++) {
        uint8_t priv[32];
        if (mamori_ec_keygen(MAMORI_EC_P256, priv, peer_pub[i], mamori_drbg_generate, &m_drbg) !=
                0 ||
            mamori_ecdsa_sign(MAMORI_EC_P256, peer_rs[i], priv, digest, 32, NULL, NULL) != 0 ||
            mamori_ecdsa_sig_to_der(MAMORI_EC_P256, peer_der[i], sizeof peer_der[i],
                                    &peer_der_len[i], peer_rs[i]) != 0)
            die("mamori: P-256 peer key %u failed", i);
    }

    fill(ed_seed, 32);
    if (mamori_ed25519_public(ed_pub, ed_seed) != 0 ||
        mamori_ed25519_sign(ref_ed_sig, edmsg, EDMSG_LEN, ed_seed, ed_pub) != 0 ||
        mamori_ed25519_key_init(&m_ed_key, ed_seed) != 0)
        die("mamori: reference Ed25519 signature failed");
}

/* Needs the RSA key from o_setup(). */
static void m_setup_rsa(void)
{
    if (mamori_rsa_private_parse(&m_rsa, rsa_der, rsa_der_len) != 0)
        die("mamori: RSA key parse failed");
    m_rsa_pub.n = m_rsa.n;
    m_rsa_pub.n_len = m_rsa.n_len;
    m_rsa_pub.e = m_rsa.e;
    m_rsa_pub.e_len = m_rsa.e_len;
    if (mamori_rsa_pss_sign(&m_rsa, MAMORI_HASH_SHA256, digest, 32, ref_pss, sizeof ref_pss,
                            mamori_drbg_generate, &m_drbg, rsa_work, sizeof rsa_work) != 0)
        die("mamori: reference PSS signature failed");
}

typedef int (*op_fn)(void);

enum check_kind {
    SAME_SMALL,  /* small[] (digest or shared secret) equal across libraries */
    SAME_AEAD,   /* out[] and tag[] equal across libraries */
    ECDSA_SIGN,  /* sig[] verifies with OpenSSL */
    ED_SIGN,     /* sig[] equals the reference (Ed25519 is deterministic) */
    PSS_SIGN,    /* sig[] verifies with OpenSSL */
    VERIFY,      /* accepts the reference, rejects it under another digest/message */
    SAME_SMALL_PEERS, /* SAME_SMALL with each of the first NPEER_CHECKED peer keys */
    VERIFY_PEERS,     /* VERIFY with each of them and its signature */
};

typedef struct {
    const char *name;
    double bytes;     /* per operation for MB/s; 0 for ops/s */
    int public_key;   /* for the 3x-of-OpenSSL target */
    enum check_kind check;
    size_t small_len; /* for SAME_SMALL and SAME_SMALL_PEERS */
    op_fn fn[NLIB];
    const char *na[NLIB]; /* why a NULL fn is missing */
} row_t;

static const char NO_ED_MBED[] = "Mbed TLS 2.28 has no Ed25519";
static const char NO_AESNI[] = "this CPU lacks AES-NI/PCLMULQDQ";

static row_t rows[] = {
    {"SHA-256 16 KiB", BULK, 0, SAME_SMALL, 32, {m_sha256, o_sha256_run, b_sha256, w_sha256}, {0}},
    {"AES-128-GCM seal 16 KiB",
     BULK,
     0,
     SAME_AEAD,
     0,
     {m_gcm_seal, o_gcm_seal, b_gcm_seal, w_gcm_seal},
     {0}},
    {"AES-128-GCM seal 16 KiB (mamori: POSIX AES-NI backend)",
     BULK,
     0,
     SAME_AEAD,
     0,
     {m_gcm_seal_hw, o_gcm_seal, b_gcm_seal, w_gcm_seal},
     {0}},
    {"ChaCha20-Poly1305 seal 16 KiB",
     BULK,
     0,
     SAME_AEAD,
     0,
     {m_chachapoly_seal, o_chachapoly_seal, b_chachapoly_seal, w_chachapoly_seal},
     {0}},
    {"X25519 shared secret", 0, 1, SAME_SMALL, 32, {m_x25519, o_x25519_run, b_x25519, w_x25519}, {0}},
    {"P-256 ECDH shared secret, same peer key (mamori: prepared key)",
     0,
     1,
     SAME_SMALL,
     32,
     {m_ecdh, o_ecdh_run, b_ecdh, w_ecdh},
     {0}},
    {"P-256 ECDH, fresh peer key each call",
     0,
     1,
     SAME_SMALL_PEERS,
     32,
     {m_ecdh_fresh, o_ecdh_fresh, b_ecdh_fresh, w_ecdh_fresh},
     {0}},
    {"ECDSA P-256 sign",
     0,
     1,
     ECDSA_SIGN,
     0,
     {m_ecdsa_sign, o_ecdsa_sign_run, b_ecdsa_sign, w_ecdsa_sign},
     {0}},
    {"ECDSA P-256 verify, same public key (mamori: prepared key)",
     0,
     1,
     VERIFY,
     0,
     {m_ecdsa_verify, o_ecdsa_verify_run, b_ecdsa_verify, w_ecdsa_verify},
     {0}},
    {"ECDSA P-256 verify, a different public key each call",
     0,
     1,
     VERIFY_PEERS,
     0,
     {m_ecdsa_verify_fresh, o_ecdsa_verify_fresh, b_ecdsa_verify_fresh, w_ecdsa_verify_fresh},
     {0}},
    {"Ed25519 sign (128 B)",
     0,
     1,
     ED_SIGN,
     0,
     {m_ed_sign, o_ed_sign_run, NULL, w_ed_sign},
     {NULL, NULL, NO_ED_MBED, NULL}},
    {"Ed25519 sign from the seed (128 B)",
     0,
     1,
     ED_SIGN,
     0,
     {m_ed_sign_seed, o_ed_sign_run, NULL, w_ed_sign},
     {NULL, NULL, NO_ED_MBED, NULL}},
    {"Ed25519 verify (128 B)",
     0,
     1,
     VERIFY,
     0,
     {m_ed_verify, o_ed_verify_run, NULL, w_ed_verify},
     {NULL, NULL, NO_ED_MBED, NULL}},
    {"RSA-2048 verify PKCS#1 v1.5",
     0,
     1,
     VERIFY,
     0,
     {m_rsa_pkcs1_verify, o_rsa_pkcs1_verify_run, b_rsa_pkcs1_verify, w_rsa_pkcs1_verify},
     {0}},
    {"RSA-2048 verify PSS",
     0,
     1,
     VERIFY,
     0,
     {m_rsa_pss_verify, o_rsa_pss_verify_run, b_rsa_pss_verify, w_rsa_pss_verify},
     {0}},
    {"RSA-2048 PSS sign",
     0,
     1,
     PSS_SIGN,
     0,
     {m_rsa_pss_sign, o_rsa_pss_sign_run, b_rsa_pss_sign, w_rsa_pss_sign},
     {0}},
};
#define NROWS (sizeof rows / sizeof rows[0])

static int rotates_keys(const row_t *r)
{
    return r->check == SAME_SMALL_PEERS || r->check == VERIFY_PEERS;
}

static _Noreturn void check_failed(const row_t *r, int l, unsigned k, const char *what)
{
    if (rotates_keys(r))
        die("%s: %s %s with peer key %u", r->name, lib_name[l], what, k);
    die("%s: %s %s", r->name, lib_name[l], what);
}

/* Checks library l's result, with peer key k if the row rotates keys. */
static void check_one(const row_t *r, int l, unsigned k)
{
    peer_i[l] = k;
    cur_digest = digest;
    if (r->fn[l]() != 0)
        check_failed(r, l, k, "failed");
    int bad = 0;
    switch (r->check) {
    case SAME_SMALL:
    case SAME_SMALL_PEERS:
        bad = l != MAM && memcmp(small[l], small[MAM], r->small_len) != 0;
        break;
    case SAME_AEAD:
        bad = l != MAM && (memcmp(out[l], out[MAM], BULK) != 0 ||
                           memcmp(tag[l], tag[MAM], 16) != 0);
        break;
    case ECDSA_SIGN: {
        uint8_t der[80];
        size_t der_len = sig_len[l];
        if (l == MAM || l == MBED) { /* raw r|s */
            bad = mamori_ecdsa_sig_to_der(MAMORI_EC_P256, der, sizeof der, &der_len, sig[l]) != 0;
        } else {
            if (der_len > sizeof der)
                die("%s: %s signature too long", r->name, lib_name[l]);
            memcpy(der, sig[l], der_len);
        }
        bad = bad || o_ecdsa_check(der, der_len) != 0;
        break;
    }
    case ED_SIGN:
        bad = sig_len[l] != 64 || memcmp(sig[l], ref_ed_sig, 64) != 0;
        break;
    case PSS_SIGN:
        bad = sig_len[l] != RSA_LEN ||
              EVP_PKEY_verify(o_pss_verify, sig[l], RSA_LEN, digest, 32) != 1;
        break;
    case VERIFY:
    case VERIFY_PEERS:
        peer_i[l] = k; /* the same key and signature */
        cur_digest = bad_digest;
        bad = r->fn[l]() == 0; /* must reject */
        cur_digest = digest;
        break;
    }
    if (bad)
        check_failed(r, l, k, "gave a wrong result");
}

/* The rows that rotate keys are checked with NPEER_CHECKED of them. */
static void check_row(const row_t *r)
{
    unsigned keys = rotates_keys(r) ? NPEER_CHECKED : 1;
    for (unsigned k = 0; k < keys; k++)
        for (int l = 0; l < NLIB; l++)
            if (r->fn[l] != NULL)
                check_one(r, l, k);
}

/* ---------------------------------------------------------------------- */
/* Timing                                                                 */

static void run(const row_t *r, int l, long n)
{
    for (long i = 0; i < n; i++)
        if (r->fn[l]() != 0)
            die("%s: %s failed while timed", r->name, lib_name[l]);
}

/* Warm-up: runs for about secs and returns how many operations take about a
 * millisecond, the batch between two clock reads. */
static long warm_up(const row_t *r, int l, double secs)
{
    double t0 = now(), t;
    long n = 0;
    do {
        run(r, l, 1);
        n++;
        t = now();
    } while (t - t0 < secs);
    long batch = (long)((double)n * 1e-3 / (t - t0));
    return batch < 1 ? 1 : batch;
}

/* Operations per second over at least secs seconds. */
static double rate(const row_t *r, int l, long batch, double secs)
{
    double t0 = now(), t;
    long n = 0;
    do {
        run(r, l, batch);
        n += batch;
        t = now();
    } while (t - t0 < secs);
    return (double)n / (t - t0);
}

static double ratio(double a, double b)
{
    return a > 0 && b > 0 ? a / b : 0;
}

int main(int argc, char **argv)
{
    int md = 0;
    double secs = 0.3;
    int rounds = 5;
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--md") == 0)
            md = 1;
        else if (strcmp(argv[i], "--wall") == 0)
            clock_id = CLOCK_MONOTONIC;
        else if (pos++ == 0)
            secs = atof(argv[i]);
        else
            rounds = atoi(argv[i]);
    }
    if (secs <= 0 || rounds < 1)
        die("usage: bench_crypto [--md] [--wall] [seconds-per-round [rounds]]");

    m_setup();
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].fn[MAM] == m_gcm_seal_hw && !m_hw) {
            rows[i].fn[MAM] = NULL;
            rows[i].na[MAM] = NO_AESNI;
        }
    o_setup();
    m_setup_rsa();
    b_setup();
    w_setup();
    for (size_t i = 0; i < NROWS; i++)
        check_row(&rows[i]);

    printf("mamori crypto benchmark: %.2f s x %d rounds per cell (%s), best round; all "
           "results checked\n",
           secs, rounds, clock_id == CLOCK_MONOTONIC ? "wall clock" : "thread CPU time");
    printf("versions: %s, Mbed TLS %s, wolfSSL %s\n", OpenSSL_version(OPENSSL_VERSION),
           MBEDTLS_VERSION_STRING, LIBWOLFSSL_VERSION_STRING);
    printf("bulk rows in MB/s (10^6 bytes/s); public-key rows in operations/s; x = mamori "
           "speed / other speed\n\n");
    if (md) {
        printf("| operation | unit | mamori | OpenSSL | Mbed TLS | wolfSSL | mamori/OpenSSL | "
               "mamori/Mbed TLS | mamori/wolfSSL | target |\n");
        printf("|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
    } else {
        printf("%-30s %-5s %9s %9s %9s %9s %8s %8s %8s  %s\n", "operation", "unit", "mamori",
               "OpenSSL", "Mbed TLS", "wolfSSL", "/OpenSSL", "/Mbed", "/wolfSSL", "target");
    }
    fflush(stdout);

    for (size_t i = 0; i < NROWS; i++) {
        const row_t *r = &rows[i];
        double best[NLIB] = {0};
        long batch[NLIB] = {0};
        for (int l = 0; l < NLIB; l++)
            if (r->fn[l])
                batch[l] = warm_up(r, l, 0.05);
        for (int k = 0; k < rounds; k++)
            for (int l = 0; l < NLIB; l++)
                if (r->fn[l]) {
                    double v = rate(r, l, batch[l], secs);
                    if (v > best[l])
                        best[l] = v;
                }
        double val[NLIB];
        for (int l = 0; l < NLIB; l++)
            val[l] = r->bytes > 0 ? best[l] * r->bytes / 1e6 : best[l];

        /* Targets: faster than Mbed TLS and wolfSSL; public-key rows within
         * 3x of OpenSSL. */
        char target[96] = "";
        int met = 1;
        for (int l = MBED; l <= WOLF; l++)
            if (r->fn[l] && best[MAM] <= best[l]) {
                met = 0;
                snprintf(target + strlen(target), sizeof target - strlen(target), "%sslower than %s",
                         target[0] ? ", " : "", lib_name[l]);
            }
        if (r->public_key && best[MAM] * 3 < best[OSSL]) {
            met = 0;
            snprintf(target + strlen(target), sizeof target - strlen(target), "%s>3x OpenSSL",
                     target[0] ? ", " : "");
        }
        if (met)
            snprintf(target, sizeof target, "met");
        else {
            char tmp[sizeof target];
            snprintf(tmp, sizeof tmp, "MISSED: %s", target);
            memcpy(target, tmp, sizeof target);
        }

        char cell[NLIB][24], rat[NLIB][24];
        for (int l = 0; l < NLIB; l++) {
            if (r->fn[l] == NULL) {
                snprintf(cell[l], sizeof cell[l], "n/a");
                snprintf(rat[l], sizeof rat[l], "n/a");
            } else {
                snprintf(cell[l], sizeof cell[l], val[l] >= 100 ? "%.0f" : "%.1f", val[l]);
                snprintf(rat[l], sizeof rat[l], "%.2fx", ratio(best[MAM], best[l]));
            }
        }
        const char *unit = r->bytes > 0 ? "MB/s" : "op/s";
        if (md)
            printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r->name, unit,
                   cell[MAM], cell[OSSL], cell[MBED], cell[WOLF], rat[OSSL], rat[MBED], rat[WOLF],
                   target);
        else
            printf("%-30s %-5s %9s %9s %9s %9s %8s %8s %8s  %s\n", r->name, unit, cell[MAM],
                   cell[OSSL], cell[MBED], cell[WOLF], rat[OSSL], rat[MBED], rat[WOLF], target);
        fflush(stdout);
    }
    for (size_t i = 0; i < NROWS; i++)
        for (int l = 0; l < NLIB; l++)
            if (rows[i].fn[l] == NULL)
                printf("n/a: %s, %s: %s\n", rows[i].name, lib_name[l], rows[i].na[l]);
    return 0;
}
