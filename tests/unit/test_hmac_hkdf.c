/* HMAC and HKDF known answers: RFC 4231 (HMAC-SHA-256/384/512 test cases
 * 1-7), RFC 5869 (HKDF-SHA-256 test cases 1-3), RFC 8448 §3 (TLS 1.3
 * HKDF-Extract / Expand-Label values of the simple 1-RTT handshake) and the
 * Wycheproof HMAC and HKDF files. */
#include "check.h"
#include "kv.h"
#include "mamori/ct.h"
#include "mamori/error.h"
#include "mamori/hmac.h"

#include <stdlib.h>
#include <string.h>

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    /* Accepts the RFC's spaced hex ("1d c8 26 ...") as well as plain hex. */
    char plain[1024];
    size_t n = 0;
    for (; *hex && n + 1 < sizeof plain; hex++)
        if (*hex != ' ')
            plain[n++] = *hex;
    plain[n] = 0;
    long len = hex_decode(plain, out, cap);
    CHECK(len >= 0);
    return len < 0 ? 0 : (size_t)len;
}

static void fill(uint8_t *p, uint8_t v, size_t n) { memset(p, v, n); }

/* ---- RFC 4231 §4 ------------------------------------------------------ */

typedef struct {
    const char *sha256, *sha384, *sha512;
} rfc4231_tags_t;

static const rfc4231_tags_t rfc4231[7] = {
    {"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
     "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
    {"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
    /* Test case 5 is truncated to 128 bits. */
    {"a3b6167473100ee06e0c796c2955552b", "3abf34c3503b2a23a46efc619baef897",
     "415fad6271580a531d4179bc891d87a6"},
    {"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
     "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
    {"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
     "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

static void rfc4231_case(int tc, uint8_t *key, size_t *key_len, uint8_t *data, size_t *data_len)
{
    static const char case6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    static const char case7[] = "This is a test using a larger than block-size key and a larger "
                                "than block-size data. The key needs to be hashed before being "
                                "used by the HMAC algorithm.";
    switch (tc) {
    case 1:
        fill(key, 0x0b, *key_len = 20);
        memcpy(data, "Hi There", *data_len = 8);
        break;
    case 2:
        memcpy(key, "Jefe", *key_len = 4);
        memcpy(data, "what do ya want for nothing?", *data_len = 28);
        break;
    case 3:
        fill(key, 0xaa, *key_len = 20);
        fill(data, 0xdd, *data_len = 50);
        break;
    case 4:
        for (size_t i = 0; i < 25; i++)
            key[i] = (uint8_t)(i + 1);
        *key_len = 25;
        fill(data, 0xcd, *data_len = 50);
        break;
    case 5:
        fill(key, 0x0c, *key_len = 20);
        memcpy(data, "Test With Truncation", *data_len = 20);
        break;
    case 6:
        fill(key, 0xaa, *key_len = 131);
        memcpy(data, case6, *data_len = strlen(case6));
        break;
    default:
        fill(key, 0xaa, *key_len = 131);
        memcpy(data, case7, *data_len = strlen(case7));
        break;
    }
}

static void test_rfc4231(void)
{
    static const mamori_hash_id_t ids[3] = {MAMORI_HASH_SHA256, MAMORI_HASH_SHA384,
                                            MAMORI_HASH_SHA512};
    uint8_t key[131], data[160], want[64], got[64];
    size_t key_len, data_len;
    for (int tc = 1; tc <= 7; tc++) {
        rfc4231_case(tc, key, &key_len, data, &data_len);
        const char *hex[3] = {rfc4231[tc - 1].sha256, rfc4231[tc - 1].sha384,
                              rfc4231[tc - 1].sha512};
        for (int h = 0; h < 3; h++) {
            size_t n = unhex(hex[h], want, sizeof want);
            CHECK_EQ(mamori_hmac(ids[h], key, key_len, data, data_len, got), MAMORI_OK);
            CHECK_MEM(got, want, n);

            /* Streaming in uneven pieces gives the same tag. */
            mamori_hmac_t ctx;
            CHECK_EQ(mamori_hmac_init(&ctx, ids[h], key, key_len), MAMORI_OK);
            size_t split = data_len / 3;
            mamori_hmac_update(&ctx, data, split);
            mamori_hmac_update(&ctx, data + split, 0);
            mamori_hmac_update(&ctx, data + split, data_len - split);
            memset(got, 0, sizeof got);
            mamori_hmac_final(&ctx, got);
            CHECK_MEM(got, want, n);
        }
    }
}

static void test_hmac_edges(void)
{
    uint8_t out[64], buf[64], want[32];
    mamori_hmac_t ctx;
    CHECK_EQ(mamori_hmac_init(&ctx, (mamori_hash_id_t)7, "k", 1), MAMORI_ERR_UNSUPPORTED);
    CHECK_EQ(mamori_hmac((mamori_hash_id_t)0, "k", 1, "m", 1, out), MAMORI_ERR_UNSUPPORTED);

    /* Output over the key (in place) is allowed. */
    memcpy(buf, "Jefe", 4);
    CHECK_EQ(mamori_hmac(MAMORI_HASH_SHA256, buf, 4, "what do ya want for nothing?", 28, buf),
             MAMORI_OK);
    unhex(rfc4231[1].sha256, want, sizeof want);
    CHECK_MEM(buf, want, 32);

    /* Final wipes the context. */
    uint8_t zero[sizeof ctx];
    memset(zero, 0, sizeof zero);
    mamori_hmac_init(&ctx, MAMORI_HASH_SHA256, "k", 1);
    mamori_hmac_final(&ctx, out);
    CHECK_MEM(&ctx, zero, sizeof ctx);
}

/* ---- RFC 5869 appendix A.1-A.3 ----------------------------------------- */

static void test_rfc5869(void)
{
    static const struct {
        const char *ikm, *salt, *info, *prk, *okm;
    } cases[] = {
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
         "f0f1f2f3f4f5f6f7f8f9", "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
         "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
         "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
         "404142434445464748494a4b4c4d4e4f",
         "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
         "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
         "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
         "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
         "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
         "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
         "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
         "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
         "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
         "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
         "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
         "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t ikm[80], salt[80], info[80], prk[32], okm[82], want_prk[32], want_okm[82];
        size_t ikm_len = unhex(cases[i].ikm, ikm, sizeof ikm);
        size_t salt_len = unhex(cases[i].salt, salt, sizeof salt);
        size_t info_len = unhex(cases[i].info, info, sizeof info);
        unhex(cases[i].prk, want_prk, sizeof want_prk);
        size_t okm_len = unhex(cases[i].okm, want_okm, sizeof want_okm);
        /* Test case 3 has no salt: pass NULL to exercise the default. */
        CHECK_EQ(mamori_hkdf_extract(MAMORI_HASH_SHA256, salt_len ? salt : NULL, salt_len, ikm,
                                     ikm_len, prk),
                 MAMORI_OK);
        CHECK_MEM(prk, want_prk, 32);
        CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA256, prk, 32, info_len ? info : NULL, info_len,
                                    okm, okm_len),
                 MAMORI_OK);
        CHECK_MEM(okm, want_okm, okm_len);
    }
}

static void test_hkdf_edges(void)
{
    uint8_t prk[64], out[64 * 255 + 1];
    memset(prk, 0x11, sizeof prk);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA256, prk, 32, "", 0, out, 255 * 32), MAMORI_OK);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA256, prk, 32, "", 0, out, 255 * 32 + 1),
             MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA512, prk, 64, "", 0, out, 255 * 64), MAMORI_OK);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA384, prk, 47, "", 0, out, 16), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_hkdf_expand((mamori_hash_id_t)9, prk, 32, "", 0, out, 16),
             MAMORI_ERR_UNSUPPORTED);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA256, prk, 32, "", 0, out, 0), MAMORI_OK);

    /* Expanding over the PRK itself gives the same bytes as out of place. */
    uint8_t in_place[64];
    memcpy(in_place, prk, 64);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA256, prk, 32, "x", 1, out, 64), MAMORI_OK);
    CHECK_EQ(mamori_hkdf_expand(MAMORI_HASH_SHA256, in_place, 32, "x", 1, in_place, 64), MAMORI_OK);
    CHECK_MEM(in_place, out, 64);

    /* Label limits: "tls13 " + label must fit in 255 bytes and not be bare. */
    char label[252];
    memset(label, 'a', sizeof label);
    label[249] = 0;
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA256, prk, 32, label, NULL, 0, out, 32),
             MAMORI_OK);
    label[249] = 'a';
    label[250] = 0;
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA256, prk, 32, label, NULL, 0, out, 32),
             MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA256, prk, 32, "", NULL, 0, out, 32),
             MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA256, prk, 32, "key", out, 256, out, 32),
             MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA256, prk, 32, "key", out, 255, out, 32),
             MAMORI_OK);
}

/* ---- RFC 8448 §3 ------------------------------------------------------ */

static void expect_label(const char *secret_hex, const char *label, const char *context_hex,
                         const char *want_hex)
{
    uint8_t secret[32], context[32], want[32], out[32];
    unhex(secret_hex, secret, sizeof secret);
    size_t context_len = unhex(context_hex, context, sizeof context);
    size_t n = unhex(want_hex, want, sizeof want);
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA256, secret, 32, label, context, context_len,
                                      out, n),
             MAMORI_OK);
    CHECK_MEM(out, want, n);
}

static void test_rfc8448(void)
{
    static const char handshake_secret[] = "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01"
                                           "04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac";
    static const char hello_hash[] = "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed"
                                     "d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8";
    static const char client_hs[] = "b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f"
                                    "3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21";
    static const char server_hs[] = "b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4"
                                    "e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38";
    static const char empty_hash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /* {server} extract secret "handshake": salt = derived early secret, IKM = (EC)DHE. */
    uint8_t salt[32], ikm[32], prk[32], want[32];
    unhex("6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba",
          salt, sizeof salt);
    unhex("8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d",
          ikm, sizeof ikm);
    unhex(handshake_secret, want, sizeof want);
    CHECK_EQ(mamori_hkdf_extract(MAMORI_HASH_SHA256, salt, 32, ikm, 32, prk), MAMORI_OK);
    CHECK_MEM(prk, want, 32);

    /* Derive-Secret(handshake, "c hs traffic" / "s hs traffic", hello hash). */
    expect_label(handshake_secret, "c hs traffic", hello_hash, client_hs);
    expect_label(handshake_secret, "s hs traffic", hello_hash, server_hs);
    /* derive secret for master "tls13 derived" (context = Hash("")). */
    expect_label(handshake_secret, "derived", empty_hash,
                 "43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5"
                 "31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c e2 54 b4");
    /* Handshake traffic keys and IVs (empty context). */
    expect_label(client_hs, "key", "", "db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01");
    expect_label(client_hs, "iv", "", "5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f");
    expect_label(server_hs, "key", "", "3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc");
    expect_label(server_hs, "iv", "", "5d 31 3e b2 67 12 76 ee 13 00 0b 30");

    /* Deriving a secret in place, as a key schedule does. */
    uint8_t secret[32];
    unhex(handshake_secret, secret, sizeof secret);
    unhex(client_hs, want, sizeof want);
    uint8_t hash[32];
    unhex(hello_hash, hash, sizeof hash);
    CHECK_EQ(mamori_hkdf_expand_label(MAMORI_HASH_SHA256, secret, 32, "c hs traffic", hash, 32,
                                      secret, 32),
             MAMORI_OK);
    CHECK_MEM(secret, want, 32);
}

/* ---- Wycheproof ------------------------------------------------------- */

/* Wycheproof MAC tests may truncate the tag to tagSize bits: a tag is valid
 * when it equals the first tagSize/8 bytes of the full HMAC. */
static void test_wycheproof_hmac(const char *file, mamori_hash_id_t id)
{
    kv_file_t f;
    unsigned valid = 0, invalid = 0;
    kv_open(&f, file);
    while (kv_next(&f)) {
        size_t key_len, msg_len, tag_len;
        uint8_t *key = kv_hex(&f, "key", &key_len);
        uint8_t *msg = kv_hex(&f, "msg", &msg_len);
        uint8_t *tag = kv_hex(&f, "tag", &tag_len);
        size_t tag_size = (size_t)atoi(kv_get(&f, "group.tagSize")) / 8;
        int expect_valid = strcmp(kv_get(&f, "result"), "valid") == 0;
        uint8_t mac[64];

        CHECK(key && msg && tag);
        CHECK_EQ(mamori_hmac(id, key, key_len, msg, msg_len, mac), MAMORI_OK);
        int ok = tag_len == tag_size && tag_size <= mamori_hash_len(id) &&
                 mamori_ct_equal(mac, tag, tag_size);
        if (ok != expect_valid)
            fprintf(stderr, "%s tcId %s: got %d\n", file, kv_get(&f, "tcId"), ok);
        CHECK_EQ(ok, expect_valid);
        if (expect_valid)
            valid++;
        else
            invalid++;
        free(key);
        free(msg);
        free(tag);
    }
    kv_close(&f);
    printf("%s: %u valid accepted, %u invalid rejected\n", strrchr(file, '/') + 1, valid, invalid);
}

/* Wycheproof HKDF: extract then expand; the only invalid vectors ask for more
 * than 255 * HashLen bytes, which expand must refuse. */
static void test_wycheproof_hkdf(const char *file, mamori_hash_id_t id)
{
    kv_file_t f;
    unsigned valid = 0, invalid = 0;
    kv_open(&f, file);
    while (kv_next(&f)) {
        size_t ikm_len, salt_len, info_len, okm_len;
        uint8_t *ikm = kv_hex(&f, "ikm", &ikm_len);
        uint8_t *salt = kv_hex(&f, "salt", &salt_len);
        uint8_t *info = kv_hex(&f, "info", &info_len);
        uint8_t *okm = kv_hex(&f, "okm", &okm_len);
        size_t size = (size_t)atol(kv_get(&f, "size"));
        int expect_valid = strcmp(kv_get(&f, "result"), "valid") == 0;
        uint8_t prk[64];
        uint8_t *out = malloc(size + 1);

        CHECK(ikm && salt && info && okm);
        CHECK_EQ(mamori_hkdf_extract(id, salt, salt_len, ikm, ikm_len, prk), MAMORI_OK);
        int err = mamori_hkdf_expand(id, prk, mamori_hash_len(id), info, info_len, out, size);
        int ok = err == MAMORI_OK && okm_len == size && memcmp(out, okm, size) == 0;
        if (!expect_valid)
            CHECK_EQ(err, MAMORI_ERR_INVAL);
        if (ok != expect_valid)
            fprintf(stderr, "%s tcId %s: err %d\n", file, kv_get(&f, "tcId"), err);
        CHECK_EQ(ok, expect_valid);
        if (expect_valid)
            valid++;
        else
            invalid++;
        free(ikm);
        free(salt);
        free(info);
        free(okm);
        free(out);
    }
    kv_close(&f);
    printf("%s: %u valid accepted, %u invalid rejected\n", strrchr(file, '/') + 1, valid, invalid);
}

int main(void)
{
    test_rfc4231();
    test_hmac_edges();
    test_rfc5869();
    test_hkdf_edges();
    test_rfc8448();
    test_wycheproof_hmac(MAMORI_VECTOR_DIR "/hmac_sha256_test.txt", MAMORI_HASH_SHA256);
    test_wycheproof_hmac(MAMORI_VECTOR_DIR "/hmac_sha384_test.txt", MAMORI_HASH_SHA384);
    test_wycheproof_hmac(MAMORI_VECTOR_DIR "/hmac_sha512_test.txt", MAMORI_HASH_SHA512);
    test_wycheproof_hkdf(MAMORI_VECTOR_DIR "/hkdf_sha256_test.txt", MAMORI_HASH_SHA256);
    test_wycheproof_hkdf(MAMORI_VECTOR_DIR "/hkdf_sha384_test.txt", MAMORI_HASH_SHA384);
    return check_summary("hmac_hkdf");
}
