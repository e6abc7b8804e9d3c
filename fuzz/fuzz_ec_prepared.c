/* Prepared P-256 public keys: mamori_ec_prepare decodes an untrusted key, and
 * with it verify and ECDH must give exactly what the unprepared functions
 * give for the same bytes (result code and output).
 *
 * Input: one mode byte, then either the public key bytes themselves (mode
 * even: mostly malformed or off-curve keys) or a 32-byte scalar whose public
 * key is used (mode odd: valid keys, so verify and ECDH run in full),
 * followed by a digest, an r|s signature and an ECDH private scalar; missing
 * bytes read as zero. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/ecc.h"
#include "mamori/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PUB_LEN = MAMORI_EC_PUB_LEN(MAMORI_EC_P256), SCALAR = 32, SIG = 64 };

/* Copies up to n bytes from the input into out, zero-filling the rest. */
static void take(uint8_t *out, size_t n, const uint8_t **data, size_t *size)
{
    size_t k = *size < n ? *size : n;
    memset(out, 0, n);
    memcpy(out, *data, k);
    *data += k;
    *size -= k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mamori_ec_prepared_t pk;
    uint8_t pub[PUB_LEN], digest[SCALAR], sig[SIG], priv[SCALAR];
    size_t pub_len = PUB_LEN;
    if (size == 0)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    if (mode & 1) {
        uint8_t key[SCALAR];
        take(key, sizeof key, &data, &size);
        if (mamori_ec_public(MAMORI_EC_P256, pub, key) != MAMORI_OK)
            return 0;
    } else {
        /* a key length from the mode byte, so short and long keys occur */
        pub_len = (size_t)(mode >> 1) % (PUB_LEN + 2);
        take(pub, pub_len < PUB_LEN ? pub_len : PUB_LEN, &data, &size);
    }
    take(digest, sizeof digest, &data, &size);
    take(sig, sizeof sig, &data, &size);
    take(priv, sizeof priv, &data, &size);

    uint8_t pub_buf[PUB_LEN + 1] = {0};
    memcpy(pub_buf, pub, PUB_LEN);
    int prep = mamori_ec_prepare(MAMORI_EC_P256, &pk, pub_buf, pub_len);
    int plain_verify =
        mamori_ecdsa_verify(MAMORI_EC_P256, pub_buf, pub_len, digest, sizeof digest, sig);
    int prep_verify = mamori_ecdsa_verify_prepared(&pk, digest, sizeof digest, sig);
    if (prep_verify != plain_verify)
        abort();

    uint8_t plain_x[SCALAR], prep_x[SCALAR];
    memset(plain_x, 0xa5, sizeof plain_x);
    memset(prep_x, 0xa5, sizeof prep_x);
    int plain_ecdh = mamori_ecdh(MAMORI_EC_P256, plain_x, priv, pub_buf, pub_len);
    int prep_ecdh = mamori_ecdh_prepared(prep_x, priv, &pk);
    if (prep_ecdh != plain_ecdh || memcmp(plain_x, prep_x, sizeof plain_x) != 0)
        abort();
    /* a key that fails to prepare must also fail both unprepared calls */
    if (prep != MAMORI_OK && (plain_verify == MAMORI_OK || plain_ecdh == MAMORI_OK))
        abort();
    return 0;
}
