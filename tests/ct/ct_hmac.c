/* Constant-time evidence under valgrind memcheck: secrets are marked undefined,
 * so any branch or memory index that depends on them is reported. Covers
 * HMAC-SHA-256/384/512 with a secret key (short and longer than a block) and
 * secret data, HKDF extract/expand/Expand-Label with secret keying material,
 * the HMAC_DRBG core with a secret seed, and mamori_ct_equal. */
#include "check.h"
#include "mamori/ct.h"
#include "mamori/drbg.h"
#include "mamori/error.h"
#include "mamori/hmac.h"

#include <string.h>
#include <valgrind/memcheck.h>

static void secret(void *p, size_t n) { VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
static void public(void *p, size_t n) { VALGRIND_MAKE_MEM_DEFINED(p, n); }

static void test_hmac_secret_key(void)
{
    /* RFC 4231 test case 2 ("Jefe"), then a key longer than the block. */
    uint8_t key[131], out[64], want[32];
    hex_decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", want,
               sizeof want);
    memcpy(key, "Jefe", 4);
    secret(key, 4);
    CHECK_EQ(mamori_hmac(MAMORI_HASH_SHA256, key, 4, "what do ya want for nothing?", 28, out),
             MAMORI_OK);
    public(out, 32);
    CHECK_MEM(out, want, 32);

    static const mamori_hash_id_t ids[3] = {MAMORI_HASH_SHA256, MAMORI_HASH_SHA384,
                                            MAMORI_HASH_SHA512};
    uint8_t data[200];
    for (int i = 0; i < 3; i++) {
        memset(key, 0xaa, sizeof key);
        memset(data, 0x5c, sizeof data);
        secret(key, sizeof key);
        secret(data, sizeof data);
        mamori_hmac_t ctx;
        CHECK_EQ(mamori_hmac_init(&ctx, ids[i], key, sizeof key), MAMORI_OK);
        mamori_hmac_update(&ctx, data, 77);
        mamori_hmac_update(&ctx, data + 77, sizeof data - 77);
        mamori_hmac_final(&ctx, out);
        public(out, sizeof out);
        CHECK_EQ(mamori_hmac(ids[i], key, 20, data, sizeof data, out), MAMORI_OK);
        public(out, sizeof out);
    }
}

static void test_hkdf_secret(void)
{
    uint8_t ikm[32], prk[48], okm[100];
    memset(ikm, 0x0b, sizeof ikm);
    secret(ikm, sizeof ikm);
    CHECK_EQ(mamori_hkdf_extract(MAMORI_HASH_SHA384, "salt", 4, ikm, sizeof ikm, prk), MAMORI_OK);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA384, prk, sizeof prk, "info", 4, okm, sizeof okm),
             MAMORI_OK);
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA384, prk, sizeof prk, "c hs traffic", "ctx", 3,
                                      prk, sizeof prk),
             MAMORI_OK);
    public(okm, sizeof okm);
    public(prk, sizeof prk);
}

static void test_drbg_secret_seed(void)
{
    mamori_drbg_t d;
    uint8_t seed[48], out[100];
    memset(seed, 0x11, sizeof seed);
    secret(seed, sizeof seed);
    CHECK_EQ(mamori_drbg_instantiate(&d, seed, 32, seed + 32, 16, NULL, 0), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate_ad(&d, out, sizeof out, "ad", 2), MAMORI_OK);
    CHECK_EQ(mamori_drbg_reseed_with(&d, seed, 32, NULL, 0), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    public(out, sizeof out);
    mamori_drbg_wipe(&d);
}

static void test_ct_equal(void)
{
    uint8_t a[64], b[64];
    memset(a, 0x33, sizeof a);
    memcpy(b, a, sizeof b);
    b[63] ^= 1;
    secret(a, sizeof a);
    secret(b, sizeof b);
    int same = mamori_ct_equal(a, a, sizeof a);
    int differ = mamori_ct_equal(a, b, sizeof a);
    public(&same, sizeof same);
    public(&differ, sizeof differ);
    CHECK_EQ(same, 1);
    CHECK_EQ(differ, 0);
}

int main(void)
{
    test_hmac_secret_key();
    test_hkdf_secret();
    test_drbg_secret_seed();
    test_ct_equal();
    return check_summary("ct_hmac");
}
