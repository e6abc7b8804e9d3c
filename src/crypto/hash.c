/* Hash selection by id: a thin dispatch over the compiled-in SHA-2 variants. */
#include "mamori/sha2.h"

#if MAMORI_SHA256 || MAMORI_SHA512

#include "mamori/error.h"

size_t mamori_hash_len(mamori_hash_id_t id)
{
    switch (id) {
#if MAMORI_SHA256
    case MAMORI_HASH_SHA256:
        return MAMORI_SHA256_LEN;
#endif
#if MAMORI_SHA512
    case MAMORI_HASH_SHA384:
        return MAMORI_SHA384_LEN;
    case MAMORI_HASH_SHA512:
        return MAMORI_SHA512_LEN;
#endif
    default:
        return 0;
    }
}

size_t mamori_hash_block_len(mamori_hash_id_t id)
{
    switch (id) {
#if MAMORI_SHA256
    case MAMORI_HASH_SHA256:
        return 64;
#endif
#if MAMORI_SHA512
    case MAMORI_HASH_SHA384:
    case MAMORI_HASH_SHA512:
        return 128;
#endif
    default:
        return 0;
    }
}

int mamori_hash_init(mamori_hash_t *ctx, mamori_hash_id_t id)
{
    ctx->id = id;
    switch (id) {
#if MAMORI_SHA256
    case MAMORI_HASH_SHA256:
        mamori_sha256_init(&ctx->u.sha256);
        return MAMORI_OK;
#endif
#if MAMORI_SHA512
    case MAMORI_HASH_SHA384:
        mamori_sha384_init(&ctx->u.sha512);
        return MAMORI_OK;
    case MAMORI_HASH_SHA512:
        mamori_sha512_init(&ctx->u.sha512);
        return MAMORI_OK;
#endif
    default:
        return MAMORI_ERR_UNSUPPORTED;
    }
}

void mamori_hash_update(mamori_hash_t *ctx, const void *data, size_t len)
{
    switch (ctx->id) {
#if MAMORI_SHA256
    case MAMORI_HASH_SHA256:
        mamori_sha256_update(&ctx->u.sha256, data, len);
        break;
#endif
#if MAMORI_SHA512
    case MAMORI_HASH_SHA384:
    case MAMORI_HASH_SHA512:
        mamori_sha512_update(&ctx->u.sha512, data, len);
        break;
#endif
    default:
        break;
    }
}

void mamori_hash_final(mamori_hash_t *ctx, uint8_t *out)
{
    switch (ctx->id) {
#if MAMORI_SHA256
    case MAMORI_HASH_SHA256:
        mamori_sha256_final(&ctx->u.sha256, out);
        break;
#endif
#if MAMORI_SHA512
    case MAMORI_HASH_SHA384:
        mamori_sha384_final(&ctx->u.sha512, out);
        break;
    case MAMORI_HASH_SHA512:
        mamori_sha512_final(&ctx->u.sha512, out);
        break;
#endif
    default:
        break;
    }
}

/* The one-shot functions consult the hardware backend themselves. */
int mamori_hash(mamori_hash_id_t id, const void *data, size_t len, uint8_t *out)
{
    switch (id) {
#if MAMORI_SHA256
    case MAMORI_HASH_SHA256:
        mamori_sha256(data, len, out);
        return MAMORI_OK;
#endif
#if MAMORI_SHA512
    case MAMORI_HASH_SHA384:
        mamori_sha384(data, len, out);
        return MAMORI_OK;
    case MAMORI_HASH_SHA512:
        mamori_sha512(data, len, out);
        return MAMORI_OK;
#endif
    default:
        return MAMORI_ERR_UNSUPPORTED;
    }
}

#endif
