/*
 * Constant-time evidence for X25519 and Ed25519 signing (from the seed and
 * from an expanded key): the private scalar and the seed are marked
 * undefined, so valgrind memcheck reports any branch or memory index that
 * depends on them. Outputs are declassified before they are checked.
 */
#include <valgrind/memcheck.h>

#include "check.h"
#include "mamori/ed25519.h"
#include "mamori/error.h"
#include "mamori/x25519.h"

#include <string.h>

static void ct_x25519(void)
{
    uint8_t priv[32], peer[32], out[32], pub[32];
    uint8_t zero[32] = {0};
    for (int round = 0; round < 2; round++) {
        memset(priv, 0x3c + round, sizeof priv);
        memset(peer, 0, sizeof peer);
        peer[0] = 9;
        VALGRIND_MAKE_MEM_UNDEFINED(priv, sizeof priv);
        int rc = mamori_x25519_public(pub, priv);
        VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
        VALGRIND_MAKE_MEM_DEFINED(pub, sizeof pub);
        CHECK_EQ(rc, MAMORI_OK);

        /* A small-order u: the zero-secret verdict must not branch either. */
        rc = mamori_x25519(out, priv, zero);
        VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
        VALGRIND_MAKE_MEM_DEFINED(out, sizeof out);
        CHECK_EQ(rc, MAMORI_ERR_WEAKKEY);

        rc = mamori_x25519(out, priv, pub);
        VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
        VALGRIND_MAKE_MEM_DEFINED(out, sizeof out);
        CHECK_EQ(rc, MAMORI_OK);
    }
}

static void ct_ed25519_sign(void)
{
    static const uint8_t msg[] = "constant-time evidence";
    uint8_t seed[32], pub[32], sig[64];
    memset(seed, 0xa5, sizeof seed);
    VALGRIND_MAKE_MEM_UNDEFINED(seed, sizeof seed);
    int rc = mamori_ed25519_public(pub, seed);
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    VALGRIND_MAKE_MEM_DEFINED(pub, sizeof pub);
    CHECK_EQ(rc, MAMORI_OK);

    rc = mamori_ed25519_sign(sig, msg, sizeof msg, seed, pub);
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    VALGRIND_MAKE_MEM_DEFINED(sig, sizeof sig);
    CHECK_EQ(rc, MAMORI_OK);
    CHECK_EQ(mamori_ed25519_verify(sig, msg, sizeof msg, pub), MAMORI_OK);

    /* The expanded key: scalar and prefix stay secret, the public key in
     * it is public. */
    mamori_ed25519_key_t key;
    rc = mamori_ed25519_key_init(&key, seed);
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    VALGRIND_MAKE_MEM_DEFINED(key.pub, sizeof key.pub);
    CHECK_EQ(rc, MAMORI_OK);
    rc = mamori_ed25519_sign_key(sig, msg, sizeof msg, &key);
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    VALGRIND_MAKE_MEM_DEFINED(sig, sizeof sig);
    CHECK_EQ(rc, MAMORI_OK);
    CHECK_EQ(mamori_ed25519_verify(sig, msg, sizeof msg, pub), MAMORI_OK);
    mamori_ed25519_key_wipe(&key);

    /* A mismatched public key is refused without branching on the seed. */
    pub[3] ^= 1;
    rc = mamori_ed25519_sign(sig, msg, sizeof msg, seed, pub);
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    CHECK_EQ(rc, MAMORI_ERR_BADKEY);
}

int main(void)
{
    ct_x25519();
    ct_ed25519_sign();
    return check_summary("ct_25519");
}
