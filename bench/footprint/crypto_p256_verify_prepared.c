// config: -DMAMORI_P384=0
/* Footprint scenario: a device that checks signatures against one pinned
 * P-256 key (a firmware-update key verified at every boot, say): the key
 * prepared once, then ECDSA verification of raw r|s signatures with it. The
 * prepared key's table (8704 B with 32-bit limbs) is the application's
 * object, in its RAM, not counted here. Inputs come from volatile memory. */
#include "mamori/ecc.h"
#include "scenario.h"

static volatile uint8_t pub_in[65], digest_in[32], rs_in[64];
static mamori_ec_prepared_t key;
volatile int status;

int main(void)
{
    uint8_t pub[65], digest[32], rs[64];
    for (size_t i = 0; i < sizeof pub; i++)
        pub[i] = pub_in[i];
    for (size_t i = 0; i < sizeof digest; i++)
        digest[i] = digest_in[i];
    for (size_t i = 0; i < sizeof rs; i++)
        rs[i] = rs_in[i];
    int rc = mamori_ec_prepare(MAMORI_EC_P256, &key, pub, sizeof pub);
    rc |= mamori_ecdsa_verify_prepared(&key, digest, sizeof digest, rs);
    status = rc;
    return 0;
}
