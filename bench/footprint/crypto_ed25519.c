/* Footprint scenario: Ed25519 public key, sign and verify (includes the
 * SHA-512 it needs). Inputs come from volatile memory. */
#include "mamori/ed25519.h"

static volatile uint8_t seed_in[32], msg_in[64];
volatile uint8_t sink[32 + 64];
volatile int status;

int main(void)
{
    uint8_t seed[32], msg[sizeof msg_in], pub[32], sig[64];
    for (size_t i = 0; i < sizeof seed; i++)
        seed[i] = seed_in[i];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = msg_in[i];
    int rc = mamori_ed25519_public(pub, seed);
    rc |= mamori_ed25519_sign(sig, msg, sizeof msg, seed, pub);
    rc |= mamori_ed25519_verify(sig, msg, sizeof msg, pub);
    for (size_t i = 0; i < 32; i++)
        sink[i] = pub[i];
    for (size_t i = 0; i < 64; i++)
        sink[32 + i] = sig[i];
    status = rc;
    return 0;
}
