/* SHA-256/384/512 known answers: the FIPS 180-4 example messages (NIST CSRC
 * "Examples with Intermediate Values") plus the empty message, streaming
 * equivalence, the by-id interface and the hardware backend hook. */
#include "check.h"
#include "mamori/crypto_backend.h"
#include "mamori/error.h"
#include "mamori/sha2.h"

#include <stdlib.h>
#include <string.h>

static const char msg448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                             "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

typedef struct {
    mamori_hash_id_t id;
    const char *abc, *empty, *m448, *m896, *million_a;
} known_t;

static const known_t known[] = {
    {MAMORI_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    {MAMORI_HASH_SHA384,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
     "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
     "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
     "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
     "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"},
    {MAMORI_HASH_SHA512,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
     "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
     "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445",
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
     "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
     "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
     "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
};

static void check_digest(mamori_hash_id_t id, const void *msg, size_t len, const char *hex)
{
    uint8_t want[MAMORI_HASH_MAX_LEN], got[MAMORI_HASH_MAX_LEN];
    size_t n = mamori_hash_len(id);
    CHECK_EQ(hex_decode(hex, want, sizeof want), (long)n);

    CHECK_EQ(mamori_hash(id, msg, len, got), MAMORI_OK);
    CHECK_MEM(got, want, n);

    /* Streaming, one byte at a time, must agree with the one-shot. */
    mamori_hash_t ctx;
    CHECK_EQ(mamori_hash_init(&ctx, id), MAMORI_OK);
    for (size_t i = 0; i < len; i++)
        mamori_hash_update(&ctx, (const uint8_t *)msg + i, 1);
    memset(got, 0, sizeof got);
    mamori_hash_final(&ctx, got);
    CHECK_MEM(got, want, n);
}

static void test_known_answers(void)
{
    size_t million = 1000000;
    char *a = malloc(million);
    memset(a, 'a', million);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const known_t *k = &known[i];
        check_digest(k->id, "abc", 3, k->abc);
        check_digest(k->id, "", 0, k->empty);
        check_digest(k->id, msg448, strlen(msg448), k->m448);
        check_digest(k->id, msg896, strlen(msg896), k->m896);
        check_digest(k->id, a, million, k->million_a);
    }
    free(a);
}

/* The typed one-shot and streaming functions agree with the by-id ones. */
static void test_typed_api(void)
{
    uint8_t want[64], got[64];
    mamori_sha256_t c256;
    mamori_sha512_t c512;

    hex_decode(known[0].m896, want, sizeof want);
    mamori_sha256(msg896, strlen(msg896), got);
    CHECK_MEM(got, want, 32);
    mamori_sha256_init(&c256);
    mamori_sha256_update(&c256, msg896, 64);
    mamori_sha256_update(&c256, msg896 + 64, strlen(msg896) - 64);
    mamori_sha256_final(&c256, got);
    CHECK_MEM(got, want, 32);

    hex_decode(known[1].m896, want, sizeof want);
    mamori_sha384(msg896, strlen(msg896), got);
    CHECK_MEM(got, want, 48);
    mamori_sha384_init(&c512);
    mamori_sha384_update(&c512, msg896, 5);
    mamori_sha384_update(&c512, msg896 + 5, strlen(msg896) - 5);
    mamori_sha384_final(&c512, got);
    CHECK_MEM(got, want, 48);

    hex_decode(known[2].m896, want, sizeof want);
    mamori_sha512(msg896, strlen(msg896), got);
    CHECK_MEM(got, want, 64);
    mamori_sha512_init(&c512);
    mamori_sha512_update(&c512, msg896, 111);
    mamori_sha512_update(&c512, msg896 + 111, strlen(msg896) - 111);
    mamori_sha512_final(&c512, got);
    CHECK_MEM(got, want, 64);
}

static void test_ids(void)
{
    mamori_hash_t ctx;
    uint8_t out[64];
    CHECK_EQ(mamori_hash_len(MAMORI_HASH_SHA256), 32);
    CHECK_EQ(mamori_hash_len(MAMORI_HASH_SHA384), 48);
    CHECK_EQ(mamori_hash_len(MAMORI_HASH_SHA512), 64);
    CHECK_EQ(mamori_hash_block_len(MAMORI_HASH_SHA256), 64);
    CHECK_EQ(mamori_hash_block_len(MAMORI_HASH_SHA384), 128);
    CHECK_EQ(mamori_hash_block_len(MAMORI_HASH_SHA512), 128);
    CHECK_EQ(mamori_hash_len((mamori_hash_id_t)0), 0);
    CHECK_EQ(mamori_hash_block_len((mamori_hash_id_t)9), 0);
    CHECK_EQ(mamori_hash_init(&ctx, (mamori_hash_id_t)9), MAMORI_ERR_UNSUPPORTED);
    CHECK_EQ(mamori_hash((mamori_hash_id_t)0, "abc", 3, out), MAMORI_ERR_UNSUPPORTED);
}

/* Backend hook: an engine answer is used; UNSUPPORTED (or any failure) falls
 * back to software. */
static int fake_calls;
static int fake_hash(void *ctx, int id, const void *data, size_t len, uint8_t *out)
{
    (void)data;
    (void)len;
    fake_calls++;
    if (id != MAMORI_HASH_SHA384)
        return MAMORI_ERR_UNSUPPORTED;
    memset(out, *(const uint8_t *)ctx, 48);
    return MAMORI_OK;
}

static void test_backend(void)
{
    static const uint8_t fill = 0xa5;
    static mamori_crypto_backend_t table;
    uint8_t out[64], want[64], filled[48];
    table.ctx = (void *)&fill;
    table.hash = fake_hash;
    mamori_crypto_set_backend(&table);

    CHECK_EQ(mamori_hash(MAMORI_HASH_SHA384, "abc", 3, out), MAMORI_OK);
    memset(filled, 0xa5, sizeof filled);
    CHECK_MEM(out, filled, 48);
    CHECK_EQ(mamori_hash(MAMORI_HASH_SHA256, "abc", 3, out), MAMORI_OK);
    hex_decode(known[0].abc, want, sizeof want);
    CHECK_MEM(out, want, 32);
    mamori_sha512("abc", 3, out);
    hex_decode(known[2].abc, want, sizeof want);
    CHECK_MEM(out, want, 64);
    CHECK_EQ(fake_calls, 3);

    table.hash = NULL;
    mamori_sha384("abc", 3, out);
    hex_decode(known[1].abc, want, sizeof want);
    CHECK_MEM(out, want, 48);
    CHECK_EQ(fake_calls, 3);
    mamori_crypto_set_backend(NULL);
}

int main(void)
{
    test_known_answers();
    test_typed_api();
    test_ids();
    test_backend();
    return check_summary("sha2");
}
