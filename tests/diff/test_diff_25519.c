/* X25519 and Ed25519 against OpenSSL libcrypto on random inputs (fixed seed). */
#include "check.h"
#include "mamori/ed25519.h"
#include "mamori/error.h"
#include "mamori/x25519.h"

#include <openssl/evp.h>
#include <string.h>

static uint64_t rng_state = 0x25519c0ffee25519ull;

/* splitmix64: reproducible test inputs, not for keys. */
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void random_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)next_u64();
}

static int ossl_x25519_public(uint8_t pub[32], const uint8_t priv[32])
{
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
    size_t len = 32;
    int ok = k && EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 && len == 32;
    EVP_PKEY_free(k);
    return ok;
}

/* Returns 1 and fills out, or 0 when OpenSSL refuses (all-zero secret). */
static int ossl_x25519(uint8_t out[32], const uint8_t priv[32], const uint8_t peer[32])
{
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
    EVP_PKEY *p = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, 32);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
    size_t len = 32;
    int ok = k && p && ctx && EVP_PKEY_derive_init(ctx) == 1 &&
             EVP_PKEY_derive_set_peer(ctx, p) == 1 && EVP_PKEY_derive(ctx, out, &len) == 1 &&
             len == 32;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(p);
    EVP_PKEY_free(k);
    return ok;
}

static void diff_x25519(int iterations)
{
    for (int i = 0; i < iterations; i++) {
        uint8_t a[32], b[32], pub_a[32], pub_b[32], want[32], got[32], u[32];
        random_bytes(a, 32);
        random_bytes(b, 32);
        CHECK(ossl_x25519_public(want, a));
        CHECK_EQ(mamori_x25519_public(pub_a, a), MAMORI_OK);
        CHECK_MEM(pub_a, want, 32);
        CHECK(ossl_x25519_public(pub_b, b));
        CHECK(ossl_x25519(want, a, pub_b));
        CHECK_EQ(mamori_x25519(got, a, pub_b), MAMORI_OK);
        CHECK_MEM(got, want, 32);

        /* Arbitrary u: twist points, top bit set, non-canonical values. */
        random_bytes(u, 32);
        if (i % 8 == 0)
            memset(u + 1, 0xff, 31); /* u in [2^255 - 256, 2^256): mostly >= p */
        int ok = ossl_x25519(want, a, u);
        int rc = mamori_x25519(got, a, u);
        CHECK_EQ(rc, ok ? MAMORI_OK : MAMORI_ERR_WEAKKEY);
        if (ok)
            CHECK_MEM(got, want, 32);
    }
}

static int ossl_ed25519_sign(uint8_t sig[64], uint8_t pub[32], const uint8_t seed[32],
                             const uint8_t *msg, size_t len)
{
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t sig_len = 64, pub_len = 32;
    int ok = k && md && EVP_PKEY_get_raw_public_key(k, pub, &pub_len) == 1 &&
             EVP_DigestSignInit(md, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestSign(md, sig, &sig_len, msg, len) == 1 && sig_len == 64;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(k);
    return ok;
}

static int ossl_ed25519_verify(const uint8_t sig[64], const uint8_t pub[32], const uint8_t *msg,
                               size_t len)
{
    EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = k && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestVerify(md, sig, 64, msg, len) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(k);
    return ok;
}

static void diff_ed25519(int iterations)
{
    static uint8_t msg[512];
    unsigned mutated_agree = 0;
    for (int i = 0; i < iterations; i++) {
        uint8_t seed[32], pub[32], sig[64], want_pub[32], want_sig[64];
        size_t len = (size_t)(next_u64() % sizeof msg);
        random_bytes(seed, 32);
        random_bytes(msg, len);
        CHECK(ossl_ed25519_sign(want_sig, want_pub, seed, msg, len));
        CHECK_EQ(mamori_ed25519_public(pub, seed), MAMORI_OK);
        CHECK_MEM(pub, want_pub, 32);
        CHECK_EQ(mamori_ed25519_sign(sig, msg, len, seed, pub), MAMORI_OK);
        CHECK_MEM(sig, want_sig, 64);
        CHECK_EQ(mamori_ed25519_verify(want_sig, msg, len, want_pub), MAMORI_OK);

        /* Flip one bit of the signature, key or message: both must agree. */
        uint64_t r = next_u64();
        size_t bit = (size_t)(r >> 8) % ((64 + 32 + len) * 8);
        uint8_t *target = bit < 512 ? sig : bit < 768 ? pub : msg;
        size_t off = bit < 512 ? bit : bit < 768 ? bit - 512 : bit - 768;
        target[off / 8] ^= (uint8_t)(1u << (off % 8));
        int theirs = ossl_ed25519_verify(sig, pub, msg, len);
        int ours = mamori_ed25519_verify(sig, msg, len, pub);
        CHECK_EQ(ours == MAMORI_OK, theirs);
        CHECK(ours != MAMORI_OK);
        mutated_agree += (ours == MAMORI_OK) == theirs;
    }
    printf("ed25519: %d random keys/messages matched OpenSSL; %u mutations rejected by both\n",
           iterations, mutated_agree);
}

int main(void)
{
    diff_x25519(500);
    printf("x25519: 500 random key pairs and 500 arbitrary u values matched OpenSSL\n");
    diff_ed25519(500);
    return check_summary("diff_25519");
}
