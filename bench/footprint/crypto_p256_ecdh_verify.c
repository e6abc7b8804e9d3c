// config: -DMAMORI_P384=0 -DMAMORI_EC_GTABLE=0
/* Footprint scenario: what a P-256-only TLS client needs from ECC: an
 * ephemeral ECDH key pair and the shared secret, and ECDSA verification of a
 * DER signature (CertificateVerify, certificate signatures). P-384 and the
 * fixed-base table are compiled out. The random source is the application's
 * (a DRBG would be counted in its own scenario). Inputs come from volatile
 * memory. */
#include "mamori/ecc.h"
#include "scenario.h"

static volatile uint8_t peer_in[65], pub_in[65], digest_in[32], der_in[72];
static volatile size_t der_len_in;
volatile uint8_t sink[65 + 32];
volatile int status;

int main(void)
{
    uint8_t priv[32], pub[65], peer[65], shared[32], key[65], digest[32], der[72], rs[64];
    for (size_t i = 0; i < 65; i++) {
        peer[i] = peer_in[i];
        key[i] = pub_in[i];
    }
    for (size_t i = 0; i < 32; i++)
        digest[i] = digest_in[i];
    for (size_t i = 0; i < sizeof der; i++)
        der[i] = der_in[i];
    int rc = mamori_ec_keygen(MAMORI_EC_P256, priv, pub, board_rng, NULL);
    rc |= mamori_ecdh(MAMORI_EC_P256, shared, priv, peer, sizeof peer);
    rc |= mamori_ecdsa_sig_from_der(MAMORI_EC_P256, rs, der, der_len_in);
    rc |= mamori_ecdsa_verify(MAMORI_EC_P256, key, sizeof key, digest, sizeof digest, rs);
    for (size_t i = 0; i < 65; i++)
        sink[i] = pub[i];
    for (size_t i = 0; i < 32; i++)
        sink[65 + i] = shared[i];
    status = rc;
    return 0;
}
