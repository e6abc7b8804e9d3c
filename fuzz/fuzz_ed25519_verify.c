/* Arbitrary bytes into Ed25519 verification: 32 bytes of public key, 64 of
 * signature, the rest message. Verification must never crash or read out of
 * bounds, whatever the encodings. */
#include <stddef.h>
#include <stdint.h>

#include "core/cursor.h"
#include "mamori/ed25519.h"
#include "mamori/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, data, size);
    const uint8_t *pub = mamori_rd_take(&rd, MAMORI_ED25519_PUB_LEN);
    const uint8_t *sig = mamori_rd_take(&rd, MAMORI_ED25519_SIG_LEN);
    if (!pub || !sig)
        return 0;
    int rc = mamori_ed25519_verify(sig, mamori_rd_rest(&rd), mamori_rd_left(&rd), pub);
    if (rc != MAMORI_OK && rc != MAMORI_ERR_BADSIG && rc != MAMORI_ERR_BADKEY)
        __builtin_trap();
    return 0;
}
