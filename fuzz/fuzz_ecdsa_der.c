/* ECDSA DER signatures: no crash, and strictness — whatever is accepted
 * re-encodes to exactly the input bytes (DER has one encoding per value). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/ecc.h"
#include "mamori/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int curves[] = {MAMORI_EC_P256, MAMORI_EC_P384};
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        uint8_t rs[96], der[MAMORI_ECDSA_DER_MAX_LEN(MAMORI_EC_P384)];
        size_t der_len;
        if (mamori_ecdsa_sig_from_der(curves[i], rs, data, size) != MAMORI_OK)
            continue;
        if (mamori_ecdsa_sig_to_der(curves[i], der, sizeof der, &der_len, rs) != MAMORI_OK ||
            der_len != size || memcmp(der, data, size) != 0)
            abort();
    }
    return 0;
}
