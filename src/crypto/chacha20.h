/* ChaCha20 keystream applied under a mask, for AEAD opening. Internal. */
#ifndef MAMORI_CRYPTO_CHACHA20_H
#define MAMORI_CRYPTO_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

/* As mamori_chacha20_xor when keep is 0xff; when keep is 0, out is left as
 * it was (it is read as well as written). No branch depends on keep. */
void mamori_chacha20_xor_if(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                            uint8_t keep, const uint8_t *in, uint8_t *out, size_t len);

#endif
