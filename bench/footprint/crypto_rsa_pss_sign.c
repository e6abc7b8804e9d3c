// config: -DMAMORI_SHA512=0
/* Footprint scenario: RSA-PSS signing with SHA-256 from a DER RSAPrivateKey
 * (parse, CRT with blinding, verify-before-release). The random source is the
 * application's. Inputs come from volatile memory. */
#include "mamori/rsa.h"
#include "scenario.h"

static volatile uint8_t der_in[1200], digest_in[32];
static volatile size_t der_len_in;
volatile uint8_t sink[256];
volatile int status;
/* mamori_rsa_pss_sign()'s numbers: RAM of the application's choosing. */
static uint8_t rsa_work[MAMORI_RSA_SIGN_WORK_SIZE(2048)];

int main(void)
{
    uint8_t der[sizeof der_in], digest[32], sig[256];
    for (size_t i = 0; i < sizeof der; i++)
        der[i] = der_in[i];
    for (size_t i = 0; i < sizeof digest; i++)
        digest[i] = digest_in[i];
    mamori_rsa_private_t key;
    int rc = mamori_rsa_private_parse(&key, der, der_len_in);
    rc |= mamori_rsa_pss_sign(&key, MAMORI_HASH_SHA256, digest, 32, sig, sizeof sig, board_rng,
                              NULL, rsa_work, sizeof rsa_work);
    for (size_t i = 0; i < sizeof sig; i++)
        sink[i] = sig[i];
    status = rc;
    return 0;
}
