/* Footprint scenario: AES-GCM seal and open (a TLS_AES_128_GCM_SHA256 record
 * layer without the rest of TLS). Inputs come from volatile memory. */
#include "mamori/gcm.h"

static volatile uint8_t key[16], iv[12], header[5], record[256];
volatile uint8_t sink[256 + 16];
volatile int status;

int main(void)
{
    uint8_t k[16], n[12], aad[5], buf[sizeof record], tag[16];
    for (size_t i = 0; i < sizeof k; i++)
        k[i] = key[i];
    for (size_t i = 0; i < sizeof n; i++)
        n[i] = iv[i];
    for (size_t i = 0; i < sizeof aad; i++)
        aad[i] = header[i];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = record[i];
    mamori_gcm_ctx_t ctx;
    int rc = mamori_gcm_init(&ctx, k, sizeof k);
    rc |= mamori_gcm_seal(&ctx, n, sizeof n, aad, sizeof aad, buf, sizeof buf, buf, tag);
    for (size_t i = 0; i < sizeof buf; i++)
        sink[i] = buf[i];
    for (size_t i = 0; i < sizeof tag; i++)
        sink[sizeof buf + i] = tag[i];
    rc |= mamori_gcm_open(&ctx, n, sizeof n, aad, sizeof aad, buf, sizeof buf, tag, buf);
    mamori_gcm_wipe(&ctx);
    status = rc;
    return 0;
}
