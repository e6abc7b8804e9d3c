/* SubjectPublicKeyInfo parsing, then the key through the ECC point decoder
 * (ECDH against a fixed scalar) when it names a NIST curve. */
#include <stdint.h>
#include <stdlib.h>

#include "mamori/ecc.h"
#include "mamori/error.h"
#include "x509/spki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t scalar[48] = {[47] = 7};
    mamori_spki_t key;
    uint8_t shared[48];
    if (mamori_spki_parse(&key, data, size) != MAMORI_OK)
        return 0;
    if (key.key < data || key.key + key.key_len > data + size)
        abort(); /* key bytes must lie inside the input */
    if (key.alg == MAMORI_SPKI_EC_P256)
        (void)mamori_ecdh(MAMORI_EC_P256, shared, scalar + 16, key.key, key.key_len);
    else if (key.alg == MAMORI_SPKI_EC_P384)
        (void)mamori_ecdh(MAMORI_EC_P384, shared, scalar, key.key, key.key_len);
    return 0;
}
