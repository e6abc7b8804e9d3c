/* Footprint scenario: ChaCha20-Poly1305 seal and open (the AEAD of
 * TLS_CHACHA20_POLY1305_SHA256). Inputs come from volatile memory. */
#include "mamori/chachapoly.h"

static volatile uint8_t key[32], nonce[12], header[5], record[256];
volatile uint8_t sink[256 + 16];
volatile int status;

int main(void)
{
    uint8_t k[32], n[12], aad[5], buf[sizeof record], tag[16];
    for (size_t i = 0; i < sizeof k; i++)
        k[i] = key[i];
    for (size_t i = 0; i < sizeof n; i++)
        n[i] = nonce[i];
    for (size_t i = 0; i < sizeof aad; i++)
        aad[i] = header[i];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = record[i];
    int rc = mamori_chachapoly_seal(k, n, aad, sizeof aad, buf, sizeof buf, buf, tag);
    for (size_t i = 0; i < sizeof buf; i++)
        sink[i] = buf[i];
    for (size_t i = 0; i < sizeof tag; i++)
        sink[sizeof buf + i] = tag[i];
    rc |= mamori_chachapoly_open(k, n, aad, sizeof aad, buf, sizeof buf, tag, buf);
    status = rc;
    return 0;
}
