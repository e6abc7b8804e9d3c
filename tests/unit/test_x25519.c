/* X25519 known answers: RFC 7748 §5.2 and §6.1, and all of Wycheproof. */
#include "check.h"
#include "kv.h"
#include "mamori/error.h"
#include "mamori/x25519.h"

#include <stdlib.h>
#include <string.h>

static void hex32(const char *hex, uint8_t out[32]) { CHECK_EQ(hex_decode(hex, out, 32), 32); }

static void check_x25519(const char *k_hex, const char *u_hex, const char *out_hex)
{
    uint8_t k[32], u[32], want[32], got[32];
    hex32(k_hex, k);
    hex32(u_hex, u);
    hex32(out_hex, want);
    CHECK_EQ(mamori_x25519(got, k, u), MAMORI_OK);
    CHECK_MEM(got, want, 32);
}

static void test_rfc7748_vectors(void)
{
    /* RFC 7748 §5.2 */
    check_x25519("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                 "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                 "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    /* The u of this one has its top bit set, which must be ignored. */
    check_x25519("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                 "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
                 "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}

/* RFC 7748 §5.2: k = u = 9, then repeatedly (k, u) = (X25519(k, u), k). */
static void test_rfc7748_iterated(void)
{
    uint8_t k[32] = {9}, u[32] = {9}, next[32], want[32];
    for (int i = 1; i <= 1000; i++) {
        CHECK_EQ(mamori_x25519(next, k, u), MAMORI_OK);
        memcpy(u, k, 32);
        memcpy(k, next, 32);
        if (i == 1) {
            hex32("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", want);
            CHECK_MEM(k, want, 32);
        }
    }
    hex32("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", want);
    CHECK_MEM(k, want, 32);
}

/* RFC 7748 §6.1 Diffie-Hellman example. */
static void test_rfc7748_dh(void)
{
    uint8_t a[32], b[32], a_pub[32], b_pub[32], want[32], s1[32], s2[32];
    hex32("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a);
    hex32("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b);
    CHECK_EQ(mamori_x25519_public(a_pub, a), MAMORI_OK);
    hex32("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", want);
    CHECK_MEM(a_pub, want, 32);
    CHECK_EQ(mamori_x25519_public(b_pub, b), MAMORI_OK);
    hex32("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", want);
    CHECK_MEM(b_pub, want, 32);
    CHECK_EQ(mamori_x25519(s1, a, b_pub), MAMORI_OK);
    CHECK_EQ(mamori_x25519(s2, b, a_pub), MAMORI_OK);
    hex32("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", want);
    CHECK_MEM(s1, want, 32);
    CHECK_MEM(s2, want, 32);
}

static void test_small_order_rejected(void)
{
    uint8_t k[32], out[32];
    uint8_t zero[32] = {0}, one[32] = {1};
    memset(k, 0x5a, sizeof k);
    CHECK_EQ(mamori_x25519(out, k, zero), MAMORI_ERR_WEAKKEY);
    CHECK_MEM(out, zero, 32);
    CHECK_EQ(mamori_x25519(out, k, one), MAMORI_ERR_WEAKKEY);
}

/*
 * Wycheproof x25519_test. "valid" cases must produce the expected secret.
 * "acceptable" cases (twist points, non-canonical u, low-order u) follow
 * RFC 7748: we compute them like any other input, so each must give the
 * expected secret, except that an all-zero expected secret must be refused
 * with MAMORI_ERR_WEAKKEY (RFC 7748 §6.1 check; we count those as rejected).
 * The file has no "invalid" X25519 case; any would have to fail.
 */
static void test_wycheproof(void)
{
    kv_file_t f;
    unsigned valid = 0, acceptable_ok = 0, rejected_zero = 0, invalid = 0;
    kv_open(&f, MAMORI_VECTOR_DIR "/x25519_test.txt");
    while (kv_next(&f)) {
        size_t pub_len, priv_len, shared_len;
        uint8_t *pub = kv_hex(&f, "public", &pub_len);
        uint8_t *priv = kv_hex(&f, "private", &priv_len);
        uint8_t *shared = kv_hex(&f, "shared", &shared_len);
        const char *result = kv_get(&f, "result");
        CHECK(pub && priv && shared && result);
        if (!pub || !priv || !shared || !result || pub_len != 32 || priv_len != 32 ||
            shared_len != 32) {
            CHECK(0);
            free(pub), free(priv), free(shared);
            continue;
        }
        uint8_t out[32], zero[32] = {0};
        int rc = mamori_x25519(out, priv, pub);
        int zero_secret = memcmp(shared, zero, 32) == 0;
        if (strcmp(result, "invalid") == 0) {
            CHECK(rc != MAMORI_OK);
            invalid++;
        } else if (zero_secret) {
            CHECK_EQ(rc, MAMORI_ERR_WEAKKEY);
            rejected_zero++;
        } else {
            CHECK_EQ(rc, MAMORI_OK);
            CHECK_MEM(out, shared, 32);
            if (strcmp(result, "valid") == 0)
                valid++;
            else
                acceptable_ok++;
        }
        free(pub), free(priv), free(shared);
    }
    kv_close(&f);
    printf("wycheproof x25519: %u valid passed, %u acceptable computed, "
           "%u zero-secret rejected (WEAKKEY), %u invalid rejected\n",
           valid, acceptable_ok, rejected_zero, invalid);
    CHECK(valid > 0);
}

int main(void)
{
    test_rfc7748_vectors();
    test_rfc7748_iterated();
    test_rfc7748_dh();
    test_small_order_rejected();
    test_wycheproof();
    return check_summary("x25519");
}
