/*
 * Fuzzes AES-GCM and ChaCha20-Poly1305 open with attacker-chosen key, IV,
 * AAD, tag and ciphertext. Input layout (read through the bounded cursor):
 *   u8 selector (bit 0: 0 = GCM, 1 = ChaCha20-Poly1305; bits 1-2: AES key
 *   size 16/24/32), key, u8 iv_len (GCM only), iv, u8 aad_len, aad,
 *   16-byte tag, ciphertext (the rest).
 * A failed open must leave the output untouched; a successful one must
 * re-seal to the same ciphertext and tag.
 */
#include "core/cursor.h"
#include "mamori/chachapoly.h"
#include "mamori/error.h"
#include "mamori/gcm.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t aes_key_sizes[4] = {16, 24, 32, 16};
    mamori_rd_t rd;
    mamori_rd_init(&rd, data, size);
    uint8_t sel = mamori_rd_u8(&rd);
    int chacha = sel & 1;
    size_t key_len = chacha ? 32 : aes_key_sizes[(sel >> 1) & 3];
    const uint8_t *key = mamori_rd_take(&rd, key_len);
    size_t iv_len = chacha ? 12 : mamori_rd_u8(&rd);
    const uint8_t *iv = mamori_rd_take(&rd, iv_len);
    size_t aad_len = mamori_rd_u8(&rd);
    const uint8_t *aad = mamori_rd_take(&rd, aad_len);
    const uint8_t *tag = mamori_rd_take(&rd, 16);
    if (!mamori_rd_ok(&rd) || !key || !tag)
        return 0;
    size_t len = mamori_rd_left(&rd);
    const uint8_t *ct = mamori_rd_rest(&rd);

    uint8_t *out = malloc(len + 1), *again = malloc(len + 1), tag2[16];
    memset(out, 0x5a, len + 1);
    mamori_gcm_ctx_t gcm;
    int err;
    if (chacha) {
        err = mamori_chachapoly_open(key, iv, aad, aad_len, ct, len, tag, out);
    } else {
        if (mamori_gcm_init(&gcm, key, key_len) != MAMORI_OK)
            abort();
        err = mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, len, tag, out);
    }
    if (err == MAMORI_OK) {
        err = chacha ? mamori_chachapoly_seal(key, iv, aad, aad_len, out, len, again, tag2)
                     : mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, out, len, again, tag2);
        if (err != MAMORI_OK || memcmp(again, ct, len) != 0 || memcmp(tag2, tag, 16) != 0)
            abort();
    } else {
        if (err != MAMORI_ERR_AUTH && !(err == MAMORI_ERR_INVAL && iv_len == 0))
            abort();
        for (size_t i = 0; i <= len; i++)
            if (out[i] != 0x5a)
                abort();
    }
    if (!chacha)
        mamori_gcm_wipe(&gcm);
    free(out);
    free(again);
    return 0;
}
