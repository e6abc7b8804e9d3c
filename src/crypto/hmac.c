/* HMAC (RFC 2104, FIPS 198-1) over the generic SHA-2 interface. */
#include "mamori/hmac.h"

#if MAMORI_HMAC

#if !(MAMORI_SHA256 || MAMORI_SHA512)
#error "MAMORI_HMAC needs MAMORI_SHA256 or MAMORI_SHA512"
#endif

#include <string.h>

#include "mamori/ct.h"
#include "mamori/error.h"

/* Both pads are started here, so HMAC needs no copy of the key afterwards. */
int mamori_hmac_init(mamori_hmac_t *ctx, mamori_hash_id_t id, const void *key, size_t key_len)
{
    size_t block_len = mamori_hash_block_len(id);
    uint8_t pad[MAMORI_HASH_MAX_BLOCK];

    if (block_len == 0)
        return MAMORI_ERR_UNSUPPORTED;
    /* RFC 2104 §2: a key longer than the block is replaced by its hash, a
     * shorter one is padded with zeros to the block length. */
    memset(pad, 0, sizeof pad);
    if (key_len > block_len)
        mamori_hash(id, key, key_len, pad);
    else if (key_len > 0)
        memcpy(pad, key, key_len);

    for (size_t i = 0; i < block_len; i++)
        pad[i] ^= 0x36;
    mamori_hash_init(&ctx->inner, id);
    mamori_hash_update(&ctx->inner, pad, block_len);

    for (size_t i = 0; i < block_len; i++)
        pad[i] ^= 0x36 ^ 0x5c;
    mamori_hash_init(&ctx->outer, id);
    mamori_hash_update(&ctx->outer, pad, block_len);

    mamori_zeroize(pad, sizeof pad);
    return MAMORI_OK;
}

void mamori_hmac_update(mamori_hmac_t *ctx, const void *data, size_t len)
{
    mamori_hash_update(&ctx->inner, data, len);
}

void mamori_hmac_final(mamori_hmac_t *ctx, uint8_t *out)
{
    uint8_t inner_digest[MAMORI_HASH_MAX_LEN];
    size_t digest_len = mamori_hash_len(ctx->inner.id);

    mamori_hash_final(&ctx->inner, inner_digest);
    mamori_hash_update(&ctx->outer, inner_digest, digest_len);
    mamori_hash_final(&ctx->outer, out);
    mamori_zeroize(inner_digest, sizeof inner_digest);
    mamori_zeroize(ctx, sizeof *ctx);
}

/* out may overlap key or data: both are consumed before out is written. */
int mamori_hmac(mamori_hash_id_t id, const void *key, size_t key_len, const void *data, size_t len,
                uint8_t *out)
{
    mamori_hmac_t ctx;
    int err = mamori_hmac_init(&ctx, id, key, key_len);
    if (err)
        return err;
    mamori_hmac_update(&ctx, data, len);
    mamori_hmac_final(&ctx, out);
    return MAMORI_OK;
}

#endif
