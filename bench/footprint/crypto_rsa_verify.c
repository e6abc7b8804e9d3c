// config: -DMAMORI_SHA512=0
/* Footprint scenario: RSA signature verification as X.509 and TLS 1.3 use
 * it: PKCS#1 v1.5 and PSS with SHA-256 (SHA-384/512 compiled out; moduli up
 * to the default MAMORI_RSA_MAX_BITS). Inputs come from volatile memory. */
#include "mamori/rsa.h"

static volatile uint8_t n_in[256], e_in[3], digest_in[32], sig_in[256];
volatile int status;

int main(void)
{
    uint8_t n[256], e[3], digest[32], sig[256];
    for (size_t i = 0; i < sizeof n; i++) {
        n[i] = n_in[i];
        sig[i] = sig_in[i];
    }
    for (size_t i = 0; i < sizeof e; i++)
        e[i] = e_in[i];
    for (size_t i = 0; i < sizeof digest; i++)
        digest[i] = digest_in[i];
    const mamori_rsa_public_t key = {.n = n, .n_len = sizeof n, .e = e, .e_len = sizeof e};
    int rc = mamori_rsa_pkcs1_verify(&key, MAMORI_HASH_SHA256, digest, sig, sizeof sig);
    rc |= mamori_rsa_pss_verify(&key, MAMORI_HASH_SHA256, MAMORI_HASH_SHA256, 32, digest, sig,
                                sizeof sig);
    status = rc;
    return 0;
}
