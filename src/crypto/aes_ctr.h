/* AES-CTR applied under a mask, for AEAD opening. Internal. */
#ifndef MAMORI_CRYPTO_AES_CTR_H
#define MAMORI_CRYPTO_AES_CTR_H

#include "mamori/aes.h"

/* As mamori_aes_ctr32 when keep is 0xff; when keep is 0, out is left as it
 * was (it is read as well as written) and ctr still advances. No branch
 * depends on keep. */
void mamori_aes_ctr32_if(const mamori_aes_ctx_t *ctx, uint8_t ctr[16], uint8_t keep,
                         const uint8_t *in, uint8_t *out, size_t len);

#endif
