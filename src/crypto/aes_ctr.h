/* AES-CTR as AES-GCM uses it. Internal. */
#ifndef MAMORI_CRYPTO_AES_CTR_H
#define MAMORI_CRYPTO_AES_CTR_H

#include "mamori/aes.h"

/* Defaults of the build options described at the top of aes.c. */
#ifndef MAMORI_AES_SMALL
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || \
    defined(__OPTIMIZE_SIZE__)
#define MAMORI_AES_SMALL 1
#else
#define MAMORI_AES_SMALL 0
#endif
#endif

#ifndef MAMORI_AES_VEC
#if !MAMORI_AES_SMALL && UINTPTR_MAX > 0xffffffffu && \
    (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define MAMORI_AES_VEC 1
#else
#define MAMORI_AES_VEC 0
#endif
#endif

/* Blocks per pass of the bitsliced core (aes.c): two per 32-bit word, four
 * per 64-bit word, twice as many with MAMORI_AES_VEC. CTR over fewer
 * blocks costs a whole pass all the same. */
#define MAMORI_AES_BATCH (sizeof(mamori_aes_word_t) / 2 * (MAMORI_AES_VEC ? 2 : 1))

/* As mamori_aes_ctr32 when keep is 0xff; when keep is 0, out is left as it
 * was (it is read as well as written) and ctr still advances. No branch
 * depends on keep. */
void mamori_aes_ctr32_if(const mamori_aes_ctx_t *ctx, uint8_t ctr[16], uint8_t keep,
                         const uint8_t *in, uint8_t *out, size_t len);

#endif
