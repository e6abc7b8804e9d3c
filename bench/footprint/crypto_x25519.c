/* Footprint scenario: an X25519 key exchange (public key from a random
 * private key, then the shared secret). Inputs come from volatile memory. */
#include <stddef.h>

#include "mamori/x25519.h"

static volatile uint8_t priv_in[32], peer_in[32];
volatile uint8_t sink[64];
volatile int status;

int main(void)
{
    uint8_t priv[32], peer[32], pub[32], shared[32];
    for (size_t i = 0; i < 32; i++) {
        priv[i] = priv_in[i];
        peer[i] = peer_in[i];
    }
    int rc = mamori_x25519_public(pub, priv);
    rc |= mamori_x25519(shared, priv, peer);
    for (size_t i = 0; i < 32; i++) {
        sink[i] = pub[i];
        sink[32 + i] = shared[i];
    }
    status = rc;
    return 0;
}
