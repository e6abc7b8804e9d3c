/* Ed25519 key derivation, signing and verification (RFC 8032 §5.1.5-7). */
#include "mamori/config.h"

#if MAMORI_ED25519

#include "mamori/ed25519.h"

#include <string.h>

#include "crypto/ed25519_point.h"
#include "crypto/scalar25519.h"
#include "mamori/ct.h"
#include "mamori/error.h"
#include "mamori/sha2.h"

/* h = SHA-512(seed); the low half, clamped, is the secret scalar
 * (RFC 8032 §5.1.5); the high half is the nonce prefix. */
static void expand_seed(uint8_t h[64], const uint8_t seed[32])
{
    mamori_sha512(seed, 32, h);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
}

static void public_from_scalar(uint8_t pub[32], const uint8_t a[32])
{
    ed25519_point_t p;
    ed25519_scalarmult_base(&p, a);
    ed25519_point_encode(pub, &p);
    mamori_zeroize(&p, sizeof p);
}

/* k = SHA-512(R || A || M) mod L. */
static void challenge(uint8_t k[32], const uint8_t r[32], const uint8_t pub[32], const void *msg,
                      size_t len)
{
    mamori_sha512_t ctx;
    uint8_t h[64];
    mamori_sha512_init(&ctx);
    mamori_sha512_update(&ctx, r, 32);
    mamori_sha512_update(&ctx, pub, 32);
    mamori_sha512_update(&ctx, msg, len);
    mamori_sha512_final(&ctx, h);
    sc25519_reduce(k, h);
}

/* r = SHA-512(prefix || M) mod L, the secret per-message nonce. */
static void nonce(uint8_t r[32], const uint8_t prefix[32], const void *msg, size_t len)
{
    mamori_sha512_t ctx;
    uint8_t h[64];
    mamori_sha512_init(&ctx);
    mamori_sha512_update(&ctx, prefix, 32);
    mamori_sha512_update(&ctx, msg, len);
    mamori_sha512_final(&ctx, h);
    sc25519_reduce(r, h);
    mamori_zeroize(&ctx, sizeof ctx);
    mamori_zeroize(h, sizeof h);
}

int mamori_ed25519_public(uint8_t pub[MAMORI_ED25519_PUB_LEN],
                          const uint8_t seed[MAMORI_ED25519_SEED_LEN])
{
    uint8_t h[64];
    expand_seed(h, seed);
    public_from_scalar(pub, h);
    mamori_zeroize(h, sizeof h);
    return MAMORI_OK;
}

/* sig = R || S with S = (r + k a) mod L, k = SHA-512(R || A || M)
 * (RFC 8032 §5.1.6 steps 4-5); sig holds the encoded R on entry. */
static void finish_sig(uint8_t sig[64], const uint8_t pub[32], const uint8_t a[32], const uint8_t r[32],
                       const void *msg, size_t len)
{
    uint8_t k[32];
    challenge(k, sig, pub, msg, len);
    sc25519_muladd(sig + 32, k, a, r);
}

int mamori_ed25519_sign(uint8_t sig[MAMORI_ED25519_SIG_LEN], const void *msg, size_t len,
                        const uint8_t seed[MAMORI_ED25519_SEED_LEN],
                        const uint8_t pub[MAMORI_ED25519_PUB_LEN])
{
    uint8_t h[64], a_pub[32], r[32];
    ed25519_point_t ar[2];

    /* A = [a]B (to check pub against) and R = [r]B, encoded together. */
    expand_seed(h, seed);
    nonce(r, h + 32, msg, len);
    ed25519_scalarmult_base2(ar, h, r);
    ed25519_point_encode2(a_pub, &ar[0], sig, &ar[1]);
    /* The key check is folded in without branching on the derived key. */
    uint32_t key_ok = pub ? (uint32_t)mamori_ct_equal(pub, a_pub, 32) : 1u;
    finish_sig(sig, a_pub, h, r, msg, len);

    /* On a key mismatch, release nothing: the signature becomes zeros. */
    uint8_t keep = (uint8_t)(0u - key_ok);
    for (int i = 0; i < MAMORI_ED25519_SIG_LEN; i++)
        sig[i] &= keep;
    mamori_zeroize(h, sizeof h);
    mamori_zeroize(r, sizeof r);
    mamori_zeroize(ar, sizeof ar);
    return (int)(key_ok - 1u) & MAMORI_ERR_BADKEY;
}

int mamori_ed25519_key_init(mamori_ed25519_key_t *key, const uint8_t seed[MAMORI_ED25519_SEED_LEN])
{
    uint8_t h[64];
    expand_seed(h, seed);
    memcpy(key->scalar, h, 32);
    memcpy(key->prefix, h + 32, 32);
    public_from_scalar(key->pub, h);
    mamori_zeroize(h, sizeof h);
    return MAMORI_OK;
}

void mamori_ed25519_key_wipe(mamori_ed25519_key_t *key) { mamori_zeroize(key, sizeof *key); }

int mamori_ed25519_sign_key(uint8_t sig[MAMORI_ED25519_SIG_LEN], const void *msg, size_t len,
                            const mamori_ed25519_key_t *key)
{
    uint8_t r[32];
    ed25519_point_t rp;
    nonce(r, key->prefix, msg, len);
    ed25519_scalarmult_base(&rp, r);
    ed25519_point_encode(sig, &rp);
    finish_sig(sig, key->pub, key->scalar, r, msg, len);
    mamori_zeroize(r, sizeof r);
    mamori_zeroize(&rp, sizeof rp);
    return MAMORI_OK;
}

int mamori_ed25519_verify(const uint8_t sig[MAMORI_ED25519_SIG_LEN], const void *msg, size_t len,
                          const uint8_t pub[MAMORI_ED25519_PUB_LEN])
{
    ed25519_point_t a;
    uint8_t k[32], r_check[32];

    /* RFC 8032 §5.1.7 step 1: S must be canonical, A and R must decode. */
    if (!sc25519_is_canonical(sig + 32))
        return MAMORI_ERR_BADSIG;
    if (ed25519_point_decode(&a, pub) != 0)
        return MAMORI_ERR_BADKEY;
    /* A non-canonical R is rejected here; an R that fails to decode can
     * never equal the encoding compared below, so it is rejected there. */
    if (!ed25519_point_y_canonical(sig))
        return MAMORI_ERR_BADSIG;

    /* Cofactorless check [S]B = R + [k]A, as R' = [S]B + [k](-A) and then
     * encode(R') == R byte for byte. */
    challenge(k, sig, pub, msg, len);
    ed25519_point_neg(&a);
    ed25519_double_scalarmult_vartime(&a, k, sig + 32);
    ed25519_point_encode(r_check, &a);
    return mamori_ct_equal(r_check, sig, 32) ? MAMORI_OK : MAMORI_ERR_BADSIG;
}

#endif
