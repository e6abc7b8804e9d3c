/*
 * Known answers for ChaCha20, Poly1305 and ChaCha20-Poly1305 (RFC 8439
 * sections 2.3.2, 2.4.2, 2.5.2, 2.8.2) and every Wycheproof
 * chacha20_poly1305_test vector.
 */
#include "mamori/chachapoly.h"
#include "mamori/error.h"

#include "check.h"
#include "kv.h"

#include <stdlib.h>
#include <string.h>

static const char sunscreen[] = "Ladies and Gentlemen of the class of '99: If I could offer you "
                                "only one tip for the future, sunscreen would be it.";

static void test_chacha20(void)
{
    uint8_t key[32], nonce[12], want[128], got[128], zero[64] = {0};
    for (unsigned i = 0; i < 32; i++)
        key[i] = (uint8_t)i;

    /* 2.3.2: the serialized block for counter 1. */
    hex_decode("000000090000004a00000000", nonce, sizeof nonce);
    hex_decode("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
               "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
               want, sizeof want);
    mamori_chacha20_xor(key, nonce, 1, zero, got, 64);
    CHECK_MEM(got, want, 64);

    /* 2.4.2: encryption, 114 bytes from counter 1, also in place. */
    size_t len = strlen(sunscreen);
    CHECK_EQ(len, 114);
    hex_decode("000000000000004a00000000", nonce, sizeof nonce);
    hex_decode("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
               "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
               "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
               "5af90bbf74a35be6b40b8eedf2785e42874d",
               want, sizeof want);
    mamori_chacha20_xor(key, nonce, 1, (const uint8_t *)sunscreen, got, len);
    CHECK_MEM(got, want, len);
    mamori_chacha20_xor(key, nonce, 1, got, got, len);
    CHECK_MEM(got, sunscreen, len);
}

static void test_poly1305(void)
{
    static const char msg[] = "Cryptographic Forum Research Group";
    uint8_t key[32], want[16], got[16];
    hex_decode("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", key, 32);
    hex_decode("a8061dc1305136c6c22b8baf0c0127a9", want, 16);

    mamori_poly1305_t mac;
    mamori_poly1305_init(&mac, key);
    mamori_poly1305_update(&mac, (const uint8_t *)msg, strlen(msg));
    mamori_poly1305_finish(&mac, got);
    CHECK_MEM(got, want, 16);

    /* Every split point of the stream gives the same tag. */
    for (size_t split = 0; split <= strlen(msg); split++) {
        mamori_poly1305_init(&mac, key);
        mamori_poly1305_update(&mac, (const uint8_t *)msg, split);
        mamori_poly1305_update(&mac, (const uint8_t *)msg + split, strlen(msg) - split);
        mamori_poly1305_finish(&mac, got);
        CHECK_MEM(got, want, 16);
    }

    /* r = 2 and one block of 2^128 - 1: h = 2 (2^128 + 2^128 - 1) =
     * 2^130 - 2 is at least p, so the final reduction must leave 3; with
     * s = 2^128 - 1, h + s wraps mod 2^128 to 2. */
    uint8_t ones[16];
    memset(ones, 0xff, sizeof ones);
    for (unsigned wrap = 0; wrap < 2; wrap++) {
        memset(key, 0, sizeof key);
        key[0] = 2;
        memset(key + 16, wrap ? 0xff : 0, 16);
        memset(want, 0, sizeof want);
        want[0] = wrap ? 2 : 3;
        mamori_poly1305_init(&mac, key);
        mamori_poly1305_update(&mac, ones, sizeof ones);
        mamori_poly1305_finish(&mac, got);
        CHECK_MEM(got, want, 16);
    }
}

static void test_aead(void)
{
    uint8_t key[32], nonce[12], aad[12], want[114], want_tag[16], buf[114], tag[16], bad[16];
    size_t len = strlen(sunscreen);
    for (unsigned i = 0; i < 32; i++)
        key[i] = (uint8_t)(0x80 + i);
    hex_decode("070000004041424344454647", nonce, sizeof nonce);
    hex_decode("50515253c0c1c2c3c4c5c6c7", aad, sizeof aad);
    hex_decode("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
               "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
               "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
               "3ff4def08e4b7a9de576d26586cec64b6116",
               want, sizeof want);
    hex_decode("1ae10b594f09e26a7e902ecbd0600691", want_tag, sizeof want_tag);

    CHECK_EQ(mamori_chachapoly_seal(key, nonce, aad, sizeof aad, (const uint8_t *)sunscreen, len,
                                    buf, tag),
             MAMORI_OK);
    CHECK_MEM(buf, want, len);
    CHECK_MEM(tag, want_tag, 16);
    CHECK_EQ(mamori_chachapoly_open(key, nonce, aad, sizeof aad, buf, len, tag, buf), MAMORI_OK);
    CHECK_MEM(buf, sunscreen, len);

    /* A bad tag, or a flipped ciphertext bit, leaves out untouched. */
    memcpy(bad, want_tag, 16);
    bad[15] ^= 0x80;
    memset(buf, 0xa5, len);
    CHECK_EQ(mamori_chachapoly_open(key, nonce, aad, sizeof aad, want, len, bad, buf),
             MAMORI_ERR_AUTH);
    for (size_t i = 0; i < len; i++)
        CHECK_EQ(buf[i], 0xa5);
    memcpy(buf, want, len);
    buf[40] ^= 4;
    CHECK_EQ(mamori_chachapoly_open(key, nonce, aad, sizeof aad, buf, len, want_tag, buf),
             MAMORI_ERR_AUTH);
    buf[40] ^= 4;
    CHECK_MEM(buf, want, len);
}

/* Wycheproof: the API takes exactly 12-byte nonces, so vectors with another
 * nonce size (all "invalid") are counted as rejected by the interface
 * itself. Every other vector is run: valid ones must seal to ct||tag and
 * open, invalid ones must fail to open. The file has no "acceptable"
 * vectors; one would be counted and must open or fail cleanly. */
static void test_wycheproof(void)
{
    kv_file_t f;
    unsigned valid = 0, invalid = 0, acceptable = 0, bad_nonce_size = 0;
    kv_open(&f, MAMORI_VECTOR_DIR "/chacha20_poly1305_test.txt");
    while (kv_next(&f)) {
        size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
        uint8_t *key = kv_hex(&f, "key", &key_len), *iv = kv_hex(&f, "iv", &iv_len);
        uint8_t *aad = kv_hex(&f, "aad", &aad_len), *msg = kv_hex(&f, "msg", &msg_len);
        uint8_t *ct = kv_hex(&f, "ct", &ct_len), *tag = kv_hex(&f, "tag", &tag_len);
        const char *result = kv_get(&f, "result");
        CHECK(key && iv && aad && msg && ct && tag && result);
        if (!(key && iv && aad && msg && ct && tag && result))
            break;
        CHECK_EQ(key_len, 32);
        unsigned before = check_failed;
        if (iv_len != 12) {
            CHECK(strcmp(result, "invalid") == 0);
            bad_nonce_size++;
        } else {
            CHECK_EQ(tag_len, 16);
            uint8_t *out = malloc(msg_len + 1), got_tag[16];
            int open_err = mamori_chachapoly_open(key, iv, aad, aad_len, ct, ct_len, tag, out);
            if (strcmp(result, "valid") == 0) {
                valid++;
                CHECK_EQ(open_err, MAMORI_OK);
                CHECK_MEM(out, msg, msg_len);
                CHECK_EQ(mamori_chachapoly_seal(key, iv, aad, aad_len, msg, msg_len, out, got_tag),
                         MAMORI_OK);
                CHECK_MEM(out, ct, ct_len);
                CHECK_MEM(got_tag, tag, 16);
            } else if (strcmp(result, "invalid") == 0) {
                invalid++;
                CHECK_EQ(open_err, MAMORI_ERR_AUTH);
            } else {
                acceptable++;
                CHECK(open_err == MAMORI_OK || open_err == MAMORI_ERR_AUTH);
            }
            free(out);
        }
        if (check_failed != before)
            fprintf(stderr, "  in Wycheproof tcId %s\n", kv_get(&f, "tcId"));
        free(key);
        free(iv);
        free(aad);
        free(msg);
        free(ct);
        free(tag);
    }
    kv_close(&f);
    printf("wycheproof chacha20_poly1305: %u valid, %u invalid (+%u with a nonce size the API "
           "cannot take), %u acceptable\n",
           valid, invalid, bad_nonce_size, acceptable);
    CHECK(valid > 0 && invalid > 0);
}

int main(void)
{
    test_chacha20();
    test_poly1305();
    test_aead();
    test_wycheproof();
    return check_summary("chachapoly");
}
