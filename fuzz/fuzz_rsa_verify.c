/* Fuzzes RSA verification and the RSAPrivateKey parser. The first byte
 * picks the target: PKCS#1 v1.5 or PSS verification with a fixed 2048-bit
 * key (the rest, padded or cut to 256 bytes, is the signature), or the DER
 * parser on the rest. Also signs with a parsed key, which must either fail
 * cleanly or produce a signature that verifies. */
#include "mamori/error.h"
#include "mamori/rsa.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint8_t rsa_work[MAMORI_RSA_SIGN_WORK_SIZE(MAMORI_RSA_MAX_BITS)];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any odd 2048-bit number works as a modulus for exercising the decoder. */
static void fixed_modulus(uint8_t n[256])
{
    uint32_t x = 0x9e3779b9;
    for (size_t i = 0; i < 256; i++) {
        x = x * 1664525u + 1013904223u;
        n[i] = (uint8_t)(x >> 24);
    }
    n[0] |= 0x80;
    n[255] |= 1;
}

static int zero_rng(void *ctx, void *out, size_t len)
{
    (void)ctx;
    memset(out, 0x5a, len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t e[] = {0x01, 0x00, 0x01};
    uint8_t n[256], sig[256] = {0}, digest[64] = {0};
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    fixed_modulus(n);
    mamori_rsa_public_t pub = {n, sizeof n, e, sizeof e};
    mamori_hash_id_t hash = (mamori_hash_id_t)(1 + (mode >> 2) % 3);
    memcpy(sig, data, size < sizeof sig ? size : sizeof sig);
    switch (mode & 3) {
    case 0:
        (void)mamori_rsa_pkcs1_verify(&pub, hash, digest, sig, sizeof sig);
        break;
    case 1:
        (void)mamori_rsa_pss_verify(&pub, hash, hash, (mode >> 4) * 4, digest, sig, sizeof sig);
        break;
    default: {
        mamori_rsa_private_t key;
        if (mamori_rsa_private_parse(&key, data, size) != MAMORI_OK)
            break;
        uint8_t out[MAMORI_RSA_MAX_BYTES];
        int rc = mamori_rsa_pss_sign(&key, hash, digest, 32, out, sizeof out, zero_rng, NULL,
                                     rsa_work, sizeof rsa_work);
        if (rc == MAMORI_OK) {
            mamori_rsa_public_t kp = {key.n, key.n_len, key.e, key.e_len};
            if (mamori_rsa_pss_verify(&kp, hash, hash, 32, digest, out, kp.n_len) != MAMORI_OK)
                abort();
        }
        break;
    }
    }
    return 0;
}
