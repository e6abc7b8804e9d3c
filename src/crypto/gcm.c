/*
 * AES-GCM (NIST SP 800-38D): CTR encryption keyed off J0 + 1, GHASH over
 * AAD || C || lengths, tag = E(K, J0) xor GHASH. Open authenticates before
 * any plaintext reaches out, so a forged message never yields plaintext.
 */
#include "mamori/gcm.h"

#include "mamori/config.h"

#if MAMORI_GCM

#include "aes_ctr.h"
#include "ghash.h"
#include "mamori/crypto_backend.h"
#include "mamori/ct.h"
#include "mamori/error.h"

#include <string.h>

int mamori_gcm_init(mamori_gcm_ctx_t *ctx, const uint8_t *key, size_t key_len)
{
    int err = mamori_aes_init(&ctx->aes, key, key_len);
    if (err)
        return err;
    memset(ctx->h, 0, sizeof ctx->h);
    mamori_aes_encrypt_block(&ctx->aes, ctx->h, ctx->h);
    return MAMORI_OK;
}

/* SP 800-38D 5.2.1.1: plaintext at most 2^39 - 256 bits; AAD and IV below
 * 2^64 bits. (Taken as uint64_t so the checks hold for any size_t.) */
static int lengths_ok(uint64_t iv_len, uint64_t aad_len, uint64_t len)
{
    return iv_len > 0 && iv_len >> 61 == 0 && aad_len >> 61 == 0 &&
           len <= ((uint64_t)1 << 36) - 32;
}

static void put_be64_bits(uint8_t *p, size_t bytes)
{
    uint64_t bits = (uint64_t)bytes << 3;
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(bits >> (56 - 8 * i));
}

/* Pre-counter block J0 (SP 800-38D 7.1 step 2). */
static void derive_j0(const mamori_gcm_ctx_t *ctx, const uint8_t *iv, size_t iv_len,
                      uint8_t j0[16])
{
    if (iv_len == 12) {
        memcpy(j0, iv, 12);
        j0[12] = j0[13] = j0[14] = 0;
        j0[15] = 1;
        return;
    }
    uint8_t lens[16] = {0};
    put_be64_bits(lens + 8, iv_len);
    memset(j0, 0, 16);
    mamori_ghash(j0, ctx->h, iv, iv_len);
    mamori_ghash(j0, ctx->h, lens, 16);
}

/* Derives J0 and runs CTR from it over a zero block followed by the first
 * n bytes of in, n = len if in fits in the rest of one pass of the AES core
 * and 0 otherwise: head gets E(K, J0) (the tag mask) and in encrypted, in
 * one pass where a short message used to take two. Leaves ctr at
 * J0 + 1 + ceil(n / 16) and returns n. */
static size_t start(const mamori_gcm_ctx_t *ctx, const uint8_t *iv, size_t iv_len,
                    uint8_t ctr[16], uint8_t head[16 * MAMORI_AES_BATCH], const uint8_t *in,
                    size_t len)
{
    size_t n = len <= 16 * (MAMORI_AES_BATCH - 1) ? len : 0;
    derive_j0(ctx, iv, iv_len, ctr);
    memset(head, 0, 16);
    if (n > 0) /* in may be NULL when len is 0 */
        memcpy(head + 16, in, n);
    mamori_aes_ctr32(&ctx->aes, ctr, head, head, 16 + n);
    return n;
}

static void compute_tag(const mamori_gcm_ctx_t *ctx, const uint8_t mask[16], const uint8_t *aad,
                        size_t aad_len, const uint8_t *ct, size_t len, uint8_t tag[16])
{
    uint8_t y[16] = {0}, lens[16];
    put_be64_bits(lens, aad_len);
    put_be64_bits(lens + 8, len);
    mamori_ghash(y, ctx->h, aad, aad_len);
    mamori_ghash(y, ctx->h, ct, len);
    mamori_ghash(y, ctx->h, lens, 16);
    for (unsigned i = 0; i < 16; i++)
        tag[i] = y[i] ^ mask[i];
    mamori_zeroize(y, sizeof y);
}

int mamori_gcm_seal(const mamori_gcm_ctx_t *ctx, const uint8_t *iv, size_t iv_len,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    uint8_t *out, uint8_t tag[16])
{
    if (!lengths_ok(iv_len, aad_len, len))
        return MAMORI_ERR_INVAL;
    const mamori_crypto_backend_t *be = mamori_crypto_backend();
    if (be && be->gcm_seal) {
        int err = be->gcm_seal(be->ctx, ctx->aes.key, ctx->aes.key_len, iv, iv_len, aad, aad_len,
                               in, len, out, tag);
        if (err != MAMORI_ERR_UNSUPPORTED)
            return err;
    }
    uint8_t ctr[16], head[16 * MAMORI_AES_BATCH];
    size_t n = start(ctx, iv, iv_len, ctr, head, in, len);
    if (n > 0)
        memcpy(out, head + 16, n);
    else
        mamori_aes_ctr32(&ctx->aes, ctr, in, out, len);
    /* The ciphertext is public output: GHASH may index tables by it
     * (ghash.c), which the constant-time tests must not count as a leak. */
    MAMORI_CT_DECLASSIFY(out, len);
    compute_tag(ctx, head, aad, aad_len, out, len, tag);
    mamori_zeroize(head, sizeof head);
    return MAMORI_OK;
}

int mamori_gcm_open(const mamori_gcm_ctx_t *ctx, const uint8_t *iv, size_t iv_len,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    const uint8_t tag[16], uint8_t *out)
{
    if (!lengths_ok(iv_len, aad_len, len))
        return MAMORI_ERR_INVAL;
    const mamori_crypto_backend_t *be = mamori_crypto_backend();
    if (be && be->gcm_open) {
        int err = be->gcm_open(be->ctx, ctx->aes.key, ctx->aes.key_len, iv, iv_len, aad, aad_len,
                               in, len, tag, out);
        if (err != MAMORI_ERR_UNSUPPORTED)
            return err;
    }
    uint8_t ctr[16], head[16 * MAMORI_AES_BATCH], expect[16];
    size_t n = start(ctx, iv, iv_len, ctr, head, in, len);
    compute_tag(ctx, head, aad, aad_len, in, len, expect);
    uint32_t ok = (uint32_t)mamori_ct_equal(expect, tag, 16);
    /* Plaintext reaches out only when ok is 1, without branching on it:
     * the verdict never steers control flow. */
    if (n > 0)
        mamori_ct_copy(ok, out, head + 16, n);
    else
        mamori_aes_ctr32_if(&ctx->aes, ctr, (uint8_t)(0u - ok), in, out, len);
    mamori_zeroize(head, sizeof head);
    mamori_zeroize(expect, sizeof expect);
    return -(int)(1 - ok) & MAMORI_ERR_AUTH;
}

void mamori_gcm_wipe(mamori_gcm_ctx_t *ctx) { mamori_zeroize(ctx, sizeof *ctx); }

#endif
