/* EMSA-PSS encoding and verification with MGF1 (RFC 8017 §9.1, §B.2.1),
 * and RSASSA-PSS verification (§8.1.2). */
#include "crypto/rsa_internal.h"

#if MAMORI_RSA

#include "core/cursor.h"
#include "mamori/ct.h"
#include "mamori/error.h"

#include <string.h>

/* out ^= MGF1(seed, len) (§B.2.1): Hash(seed || counter) blocks. */
static int mgf1_xor(mamori_hash_id_t hash, const uint8_t *seed, size_t seed_len, uint8_t *out,
                    size_t len)
{
    uint8_t block[MAMORI_HASH_MAX_LEN], counter[4];
    mamori_hash_t ctx;
    size_t hlen = mamori_hash_len(hash);
    for (uint32_t c = 0; len > 0; c++) {
        int rc = mamori_hash_init(&ctx, hash);
        if (rc != MAMORI_OK)
            return rc;
        mamori_put_be32(counter, c);
        mamori_hash_update(&ctx, seed, seed_len);
        mamori_hash_update(&ctx, counter, sizeof counter);
        mamori_hash_final(&ctx, block);
        size_t take = len < hlen ? len : hlen;
        for (size_t i = 0; i < take; i++)
            out[i] ^= block[i];
        out += take;
        len -= take;
    }
    mamori_zeroize(block, sizeof block);
    return MAMORI_OK;
}

/* H = Hash(0x00 * 8 || mHash || salt) (§9.1.1 steps 5-6). */
static int pss_hash(mamori_hash_id_t hash, const uint8_t *digest, const uint8_t *salt,
                    size_t salt_len, uint8_t *out)
{
    static const uint8_t zeros[8] = {0};
    mamori_hash_t ctx;
    int rc = mamori_hash_init(&ctx, hash);
    if (rc != MAMORI_OK)
        return rc;
    mamori_hash_update(&ctx, zeros, sizeof zeros);
    mamori_hash_update(&ctx, digest, mamori_hash_len(hash));
    mamori_hash_update(&ctx, salt, salt_len);
    mamori_hash_final(&ctx, out);
    return MAMORI_OK;
}

int mamori_rsa_pss_encode(uint8_t *em, size_t em_bits, mamori_hash_id_t hash,
                          const uint8_t *digest, size_t salt_len, mamori_rng_fn rng,
                          void *rng_ctx)
{
    const size_t em_len = (em_bits + 7) / 8, hlen = mamori_hash_len(hash);
    if (hlen == 0)
        return MAMORI_ERR_UNSUPPORTED;
    if (em_len < hlen + 2 || salt_len > em_len - hlen - 2) /* step 3 */
        return MAMORI_ERR_INVAL;
    const size_t db_len = em_len - hlen - 1;
    uint8_t *db = em, *h = em + db_len, *salt = db + db_len - salt_len;

    /* Step 9: DB = PS (zeros) || 0x01 || salt. */
    memset(db, 0, db_len);
    db[db_len - salt_len - 1] = 0x01;
    if (salt_len > 0 && (!rng || rng(rng_ctx, salt, salt_len) != 0))
        return MAMORI_ERR_ENTROPY;
    int rc = pss_hash(hash, digest, salt, salt_len, h);
    if (rc == MAMORI_OK)
        rc = mgf1_xor(hash, h, hlen, db, db_len); /* steps 10-11 */
    if (rc != MAMORI_OK)
        return rc;
    db[0] &= (uint8_t)(0xff >> (8 * em_len - em_bits)); /* step 12 */
    em[em_len - 1] = 0xbc;
    return MAMORI_OK;
}

/* EMSA-PSS-VERIFY (§9.1.2) on em (em_len bytes), which it overwrites. All
 * inputs are public, so early exits are fine. */
static int pss_check(uint8_t *em, size_t em_bits, mamori_hash_id_t hash,
                     mamori_hash_id_t mgf_hash, const uint8_t *digest, size_t salt_len)
{
    const size_t em_len = (em_bits + 7) / 8, hlen = mamori_hash_len(hash);
    const uint8_t top_mask = (uint8_t)(0xff >> (8 * em_len - em_bits));
    uint8_t h2[MAMORI_HASH_MAX_LEN];
    if (em_len < hlen + 2 || salt_len > em_len - hlen - 2) /* step 3 */
        return MAMORI_ERR_BADSIG;
    if (em[em_len - 1] != 0xbc) /* step 4 */
        return MAMORI_ERR_BADSIG;
    const size_t db_len = em_len - hlen - 1;
    uint8_t *db = em;
    const uint8_t *h = em + db_len;
    if (db[0] & ~top_mask) /* step 6 */
        return MAMORI_ERR_BADSIG;
    int rc = mgf1_xor(mgf_hash, h, hlen, db, db_len); /* steps 7-8 */
    if (rc != MAMORI_OK)
        return rc;
    db[0] &= top_mask; /* step 9 */
    const size_t ps_len = db_len - salt_len - 1;
    for (size_t i = 0; i < ps_len; i++) /* step 10 */
        if (db[i] != 0)
            return MAMORI_ERR_BADSIG;
    if (db[ps_len] != 0x01)
        return MAMORI_ERR_BADSIG;
    rc = pss_hash(hash, digest, db + db_len - salt_len, salt_len, h2); /* steps 11-13 */
    if (rc != MAMORI_OK)
        return rc;
    return mamori_ct_equal(h, h2, hlen) ? MAMORI_OK : MAMORI_ERR_BADSIG; /* step 14 */
}

int mamori_rsa_pss_verify(const mamori_rsa_public_t *key, mamori_hash_id_t hash,
                          mamori_hash_id_t mgf_hash, size_t salt_len, const uint8_t *digest,
                          const uint8_t *sig, size_t sig_len)
{
    mamori_limb_t em_limbs[MAMORI_BN_MAX_LIMBS];
    uint8_t *em = (uint8_t *)em_limbs;
    mamori_rsa_pub_info_t info;
    if (mamori_hash_len(hash) == 0 || mamori_hash_len(mgf_hash) == 0)
        return MAMORI_ERR_UNSUPPORTED;
    if (!key || !digest)
        return MAMORI_ERR_INVAL;
    int rc = mamori_rsa_public_op(key, sig, sig_len, em_limbs, &info);
    if (rc != MAMORI_OK)
        return rc;
    /* §8.1.2 step 2c: EM is emLen = ceil((modBits - 1) / 8) bytes, one less
     * than k when modBits - 1 is a multiple of 8; that top byte must be 0. */
    const size_t em_bits = info.bits - 1, em_len = (em_bits + 7) / 8;
    if (em_len < info.n_len && em[0] != 0)
        return MAMORI_ERR_BADSIG;
    return pss_check(em + info.n_len - em_len, em_bits, hash, mgf_hash, digest, salt_len);
}

#endif
