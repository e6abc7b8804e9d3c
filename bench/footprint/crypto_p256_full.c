// config: -DMAMORI_P384=0 -DMAMORI_SHA512=0
/* Footprint scenario: all of P-256: key generation, public key from a
 * private key, ECDH, hedged RFC 6979 ECDSA signing (with the HMAC-SHA-256 it
 * needs), verification and both DER converters. P-384 and SHA-384/512 are
 * compiled out; the fixed-base table (default) is kept. The random source is
 * the application's. Inputs come from volatile memory. */
#include "mamori/ecc.h"
#include "scenario.h"

static volatile uint8_t priv_in[32], peer_in[65], digest_in[32], der_in[72];
static volatile size_t der_len_in;
volatile uint8_t sink[65 + 65 + 32 + 72];
volatile int status;

int main(void)
{
    uint8_t priv[32], pub[65], pub2[65], peer[65], shared[32], digest[32], der[72], rs[64],
        own[32];
    size_t der_len = 0;
    for (size_t i = 0; i < 65; i++)
        peer[i] = peer_in[i];
    for (size_t i = 0; i < 32; i++) {
        digest[i] = digest_in[i];
        own[i] = priv_in[i];
    }
    for (size_t i = 0; i < sizeof der; i++)
        der[i] = der_in[i];
    int rc = mamori_ec_keygen(MAMORI_EC_P256, priv, pub, board_rng, NULL);
    rc |= mamori_ec_public(MAMORI_EC_P256, pub2, own);
    rc |= mamori_ecdh(MAMORI_EC_P256, shared, priv, peer, sizeof peer);
    rc |= mamori_ecdsa_sig_from_der(MAMORI_EC_P256, rs, der, der_len_in);
    rc |= mamori_ecdsa_verify(MAMORI_EC_P256, peer, sizeof peer, digest, sizeof digest, rs);
    rc |= mamori_ecdsa_sign(MAMORI_EC_P256, rs, own, digest, sizeof digest, board_rng, NULL);
    rc |= mamori_ecdsa_sig_to_der(MAMORI_EC_P256, der, sizeof der, &der_len, rs);
    for (size_t i = 0; i < 65; i++) {
        sink[i] = pub[i];
        sink[65 + i] = pub2[i];
    }
    for (size_t i = 0; i < 32; i++)
        sink[130 + i] = shared[i];
    for (size_t i = 0; i < der_len && i < sizeof der; i++)
        sink[162 + i] = der[i];
    status = rc;
    return 0;
}
