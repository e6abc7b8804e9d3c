/* Constant-time evidence for RSA-PSS signing: the private key (d, p, q, dp,
 * dq, qinv) is marked undefined, so memcheck reports any branch or memory
 * index that depends on it, through blinding, both CRT exponentiations,
 * the inversions, Garner recombination and the fault check. */
#include "check.h"
#include "mamori/error.h"
#include "mamori/rsa.h"

#include <valgrind/memcheck.h>

#include <stdlib.h>
#include <string.h>

static uint8_t rsa_work[MAMORI_RSA_SIGN_WORK_SIZE(MAMORI_RSA_MAX_BITS)];

static int test_rng(void *ctx, void *out, size_t len)
{
    uint32_t *state = ctx;
    uint8_t *p = out;
    for (size_t i = 0; i < len; i++) {
        *state ^= *state << 13;
        *state ^= *state >> 17;
        *state ^= *state << 5;
        p[i] = (uint8_t)*state;
    }
    return 0;
}

static void sign_with_secret_key(const char *name)
{
    char path[512];
    uint8_t der[4096], digest[32] = {1, 2, 3}, sig[MAMORI_RSA_MAX_BYTES];
    snprintf(path, sizeof path, "%s/tests/vectors/rsa/%s", MAMORI_SOURCE_DIR, name);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t der_len = fread(der, 1, sizeof der, fp);
    fclose(fp);
    mamori_rsa_private_t key;
    CHECK_EQ(mamori_rsa_private_parse(&key, der, der_len), MAMORI_OK);
    mamori_rsa_public_t pub = {key.n, key.n_len, key.e, key.e_len};

    VALGRIND_MAKE_MEM_UNDEFINED(key.d, key.d_len);
    VALGRIND_MAKE_MEM_UNDEFINED(key.p, key.p_len);
    VALGRIND_MAKE_MEM_UNDEFINED(key.q, key.q_len);
    VALGRIND_MAKE_MEM_UNDEFINED(key.dp, key.dp_len);
    VALGRIND_MAKE_MEM_UNDEFINED(key.dq, key.dq_len);
    VALGRIND_MAKE_MEM_UNDEFINED(key.qinv, key.qinv_len);
    uint32_t seed = 99;
    int rc = mamori_rsa_pss_sign(&key, MAMORI_HASH_SHA256, digest, 32, sig, sizeof sig, test_rng,
                                 &seed, rsa_work, sizeof rsa_work);
    /* The signature and the fault-check verdict are public once released. */
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    VALGRIND_MAKE_MEM_DEFINED(sig, sizeof sig);
    CHECK_EQ(rc, MAMORI_OK);
    CHECK_EQ(mamori_rsa_pss_verify(&pub, MAMORI_HASH_SHA256, MAMORI_HASH_SHA256, 32, digest, sig,
                                   key.n_len),
             MAMORI_OK);
}

int main(void)
{
    sign_with_secret_key("rsa2048.der");
    sign_with_secret_key("rsa3072.der");
    return check_summary("ct_rsa");
}
