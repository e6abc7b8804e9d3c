/* Footprint scenario: SHA-256 alone, streaming and one-shot (e.g. firmware
 * image hashing). Inputs come from volatile memory so nothing is folded. */
#include "mamori/sha2.h"

static volatile uint8_t input[256];
volatile uint8_t sink[2 * MAMORI_SHA256_LEN];

int main(void)
{
    uint8_t buf[sizeof input], out[2 * MAMORI_SHA256_LEN];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = input[i];
    mamori_sha256_t ctx;
    mamori_sha256_init(&ctx);
    mamori_sha256_update(&ctx, buf, 100);
    mamori_sha256_update(&ctx, buf + 100, sizeof buf - 100);
    mamori_sha256_final(&ctx, out);
    mamori_sha256(buf, sizeof buf, out + MAMORI_SHA256_LEN);
    for (size_t i = 0; i < sizeof out; i++)
        sink[i] = out[i];
    return 0;
}
