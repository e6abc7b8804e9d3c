/*
 * Known answers for AES (FIPS 197 Appendix C) and AES-GCM (the test cases
 * of McGrew and Viega, "The Galois/Counter Mode of Operation", and every
 * Wycheproof aes_gcm_test vector).
 */
#include "mamori/aes.h"
#include "mamori/crypto_backend.h"
#include "mamori/error.h"
#include "mamori/gcm.h"

#include "check.h"
#include "gcm_wycheproof.h"

#include <stdlib.h>
#include <string.h>

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    long n = hex_decode(hex, out, cap);
    CHECK(n >= 0);
    return n < 0 ? 0 : (size_t)n;
}

static void test_fips197(void)
{
    static const struct {
        const char *key, *ct;
    } cases[] = {
        {"000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"},
        {"000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"},
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
         "8ea2b7ca516745bfeafc49904b496089"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t key[32], pt[16], want[16], got[16];
        mamori_aes_ctx_t aes;
        size_t key_len = unhex(cases[i].key, key, sizeof key);
        unhex("00112233445566778899aabbccddeeff", pt, sizeof pt);
        unhex(cases[i].ct, want, sizeof want);
        CHECK_EQ(mamori_aes_init(&aes, key, key_len), MAMORI_OK);
        mamori_aes_encrypt_block(&aes, pt, got);
        CHECK_MEM(got, want, 16);
        mamori_aes_encrypt_block(&aes, pt, pt); /* in place */
        CHECK_MEM(pt, want, 16);
        mamori_aes_wipe(&aes);
    }
    mamori_aes_ctx_t aes;
    uint8_t key[20] = {0};
    CHECK_EQ(mamori_aes_init(&aes, key, 20), MAMORI_ERR_INVAL);
}

/* block with bytes 12..15 set to the big-endian counter c. */
static void set_counter(uint8_t block[16], uint32_t c)
{
    block[12] = (uint8_t)(c >> 24);
    block[13] = (uint8_t)(c >> 16);
    block[14] = (uint8_t)(c >> 8);
    block[15] = (uint8_t)c;
}

/* CTR against the one-block path over every length up to 3 passes of the
 * widest batch (8 blocks) and past it, starting at counter 1 and 5 blocks
 * before the 32-bit counter wraps (inc32, SP 800-38D 6.2), in one call, in
 * place and in calls of whole blocks: every lane of a batch, the wrap inside
 * one, and a batch cut short must all give E(K, ctr_i) xor P_i. */
static void test_ctr_lengths(void)
{
    static const uint32_t starts[] = {1, 0xfffffffbu};
    enum { MAX = 25 * 16 + 9 };
    uint8_t key[16], in[MAX], want[MAX], out[MAX], start[16], ctr[16], end[16];
    mamori_aes_ctx_t aes;
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0xa5 ^ (i * 29));
    for (size_t i = 0; i < MAX; i++)
        in[i] = (uint8_t)(i * 7 + 3);
    for (size_t i = 0; i < 12; i++)
        start[i] = (uint8_t)(0x3c + i);
    CHECK_EQ(mamori_aes_init(&aes, key, sizeof key), MAMORI_OK);
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        set_counter(start, starts[s]);
        for (size_t b = 0; b * 16 < MAX; b++) {
            uint8_t block[16], ks[16];
            memcpy(block, start, 16);
            set_counter(block, starts[s] + (uint32_t)b);
            mamori_aes_encrypt_block(&aes, block, ks);
            for (size_t i = 16 * b; i < 16 * b + 16 && i < MAX; i++)
                want[i] = in[i] ^ ks[i % 16];
        }
        for (size_t len = 0; len <= MAX; len++) {
            memcpy(end, start, 16);
            set_counter(end, starts[s] + (uint32_t)((len + 15) / 16));
            memcpy(ctr, start, 16);
            mamori_aes_ctr32(&aes, ctr, in, out, len);
            CHECK_MEM(out, want, len);
            CHECK_MEM(ctr, end, 16);
            memcpy(ctr, start, 16);
            memcpy(out, in, len);
            mamori_aes_ctr32(&aes, ctr, out, out, len);
            CHECK_MEM(out, want, len);
        }
        for (size_t step = 16; step <= 160; step += 48) {
            memcpy(ctr, start, 16);
            for (size_t off = 0; off < MAX; off += step) {
                size_t n = MAX - off < step ? MAX - off : step;
                mamori_aes_ctr32(&aes, ctr, in + off, out + off, n);
            }
            CHECK_MEM(out, want, MAX);
        }
    }
    mamori_aes_wipe(&aes);
}

/* Seals and opens one case, copying and in place, and checks that a
 * corrupted message is rejected without releasing plaintext. */
static void run_gcm(const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                    const uint8_t *aad, size_t aad_len, const uint8_t *pt, const uint8_t *ct,
                    size_t len, const uint8_t *tag)
{
    mamori_gcm_ctx_t gcm;
    uint8_t *buf = malloc(len + 1), *buf2 = malloc(len + 1), got_tag[16], bad_tag[16];
    CHECK_EQ(mamori_gcm_init(&gcm, key, key_len), MAMORI_OK);

    CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, pt, len, buf, got_tag), MAMORI_OK);
    CHECK_MEM(buf, ct, len);
    CHECK_MEM(got_tag, tag, 16);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, len, tag, buf), MAMORI_OK);
    CHECK_MEM(buf, pt, len);

    memcpy(buf, pt, len);
    CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, buf, len, buf, got_tag), MAMORI_OK);
    CHECK_MEM(buf, ct, len);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, buf, len, tag, buf), MAMORI_OK);
    CHECK_MEM(buf, pt, len);

    /* Bad tag: out keeps its previous contents (here 0xa5 filler). */
    memcpy(bad_tag, tag, 16);
    bad_tag[len % 16] ^= 0x10;
    memset(buf, 0xa5, len);
    memset(buf2, 0xa5, len);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, len, bad_tag, buf),
             MAMORI_ERR_AUTH);
    CHECK_MEM(buf, buf2, len);
    if (len > 0) {
        memcpy(buf2, ct, len);
        buf2[len / 2] ^= 1;
        CHECK_EQ(mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, buf2, len, tag, buf2),
                 MAMORI_ERR_AUTH);
        CHECK(memcmp(buf2, ct, len) != 0 && memcmp(buf2 + len / 2 + 1, ct + len / 2 + 1,
                                                   len - len / 2 - 1) == 0);
    }
    mamori_gcm_wipe(&gcm);
    free(buf);
    free(buf2);
}

static void test_gcm_spec(void)
{
    static const char p64[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                              "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    static const char aad20[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    static const char k128[] = "feffe9928665731c6d6a8f9467308308";
    static const char k256[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    static const char iv96[] = "cafebabefacedbaddecaf888";
    static const struct {
        int id;
        const char *key, *iv, *aad, *pt;
        size_t pt_len;
        const char *ct, *tag;
    } cases[] = {
        {1, "00000000000000000000000000000000", "000000000000000000000000", "", "", 0, "",
         "58e2fccefa7e3061367f1d57a4e7455a"},
        {2, "00000000000000000000000000000000", "000000000000000000000000", "",
         "00000000000000000000000000000000", 16, "0388dace60b6a392f328c2b971b2fe78",
         "ab6e47d42cec13bdf53a67b21257bddf"},
        {3, k128, iv96, "", p64, 64,
         "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
         "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
         "4d5c2af327cd64a62cf35abd2ba6fab4"},
        {4, k128, iv96, aad20, p64, 60,
         "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
         "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
         "5bc94fbc3221a5db94fae95ae7121a47"},
        /* Cases 5 and 6: 8- and 60-byte IVs, hashed into J0. */
        {5, k128, "cafebabefacedbad", aad20, p64, 60,
         "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
         "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
         "3612d2e79e3b0785561be14aaca2fccb"},
        {6, k128,
         "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
         "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
         aad20, p64, 60,
         "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
         "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
         "619cc5aefffe0bfa462af43c1699d050"},
        {13, "0000000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000000", "", "", 0, "", "530f8afbc74536b9a963b4f1c4cb738b"},
        {14, "0000000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000000", "", "00000000000000000000000000000000", 16,
         "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
        {15, k256, iv96, "", p64, 64,
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
         "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
         "b094dac5d93471bdec1a502270e3cc6c"},
        {16, k256, iv96, aad20, p64, 60,
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
         "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
         "76fc6ece0f4e1768cddf8853bb2d551b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t key[32], iv[64], aad[32], pt[64], ct[64], tag[16];
        size_t key_len = unhex(cases[i].key, key, sizeof key);
        size_t iv_len = unhex(cases[i].iv, iv, sizeof iv);
        size_t aad_len = unhex(cases[i].aad, aad, sizeof aad);
        unhex(cases[i].pt, pt, sizeof pt);
        CHECK_EQ(unhex(cases[i].ct, ct, sizeof ct), cases[i].pt_len);
        unhex(cases[i].tag, tag, sizeof tag);
        unsigned before = check_failed;
        run_gcm(key, key_len, iv, iv_len, aad, aad_len, pt, ct, cases[i].pt_len, tag);
        if (check_failed != before)
            fprintf(stderr, "  in GCM test case %d\n", cases[i].id);
    }
}

static void test_gcm_limits(void)
{
    mamori_gcm_ctx_t gcm;
    uint8_t key[16] = {0}, iv[12] = {0}, tag[16] = {0}, buf[16] = {0};
    CHECK_EQ(mamori_gcm_init(&gcm, key, 15), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_gcm_init(&gcm, key, 16), MAMORI_OK);
    CHECK_EQ(mamori_gcm_seal(&gcm, iv, 0, NULL, 0, buf, 16, buf, tag), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, 0, NULL, 0, buf, 16, tag, buf), MAMORI_ERR_INVAL);
}

static unsigned backend_calls;

static int unsupported_gcm(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                           size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *in,
                           size_t len, uint8_t *out, uint8_t tag[16])
{
    (void)ctx, (void)key, (void)key_len, (void)iv, (void)iv_len, (void)aad, (void)aad_len;
    (void)in, (void)len, (void)out, (void)tag;
    backend_calls++;
    return MAMORI_ERR_UNSUPPORTED;
}

/* A stand-in engine: software AES with the backend switched off inside. */
static int fake_ecb(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *in, uint8_t *out,
                    size_t nblocks)
{
    const mamori_crypto_backend_t *self = ctx;
    mamori_aes_ctx_t aes;
    backend_calls++;
    mamori_crypto_set_backend(NULL);
    CHECK_EQ(mamori_aes_init(&aes, key, key_len), MAMORI_OK);
    for (size_t i = 0; i < nblocks; i++)
        mamori_aes_encrypt_block(&aes, in + 16 * i, out + 16 * i);
    mamori_crypto_set_backend(self);
    return MAMORI_OK;
}

/* The backend hook: an engine's ECB is used for the keystream, and a GCM
 * entry answering MAMORI_ERR_UNSUPPORTED falls back to software. */
static void test_backend(void)
{
    static mamori_crypto_backend_t be;
    be.ctx = &be;
    be.aes_ecb_encrypt = fake_ecb;
    be.gcm_seal = unsupported_gcm;
    uint8_t key[16], iv[12], pt[60], ct[60], tag[16], want[16];
    hex_decode("feffe9928665731c6d6a8f9467308308", key, sizeof key);
    hex_decode("cafebabefacedbaddecaf888", iv, sizeof iv);
    hex_decode("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
               "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
               pt, sizeof pt);
    hex_decode("5bc94fbc3221a5db94fae95ae7121a47", want, sizeof want);
    static const uint8_t aad[20] = {0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed,
                                    0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xab, 0xad, 0xda, 0xd2};
    mamori_gcm_ctx_t gcm;
    mamori_crypto_set_backend(&be);
    CHECK_EQ(mamori_gcm_init(&gcm, key, sizeof key), MAMORI_OK);
    CHECK_EQ(mamori_gcm_seal(&gcm, iv, 12, aad, sizeof aad, pt, sizeof pt, ct, tag), MAMORI_OK);
    CHECK_MEM(tag, want, 16);
    CHECK_EQ(mamori_gcm_open(&gcm, iv, 12, aad, sizeof aad, ct, sizeof ct, tag, ct), MAMORI_OK);
    CHECK_MEM(ct, pt, sizeof pt);
    mamori_crypto_set_backend(NULL);
    CHECK(backend_calls >= 4);
}

int main(void)
{
    test_fips197();
    test_ctr_lengths();
    test_gcm_spec();
    test_gcm_limits();
    test_backend();
    gcm_wycheproof_run("software");
    return check_summary("aes_gcm");
}
