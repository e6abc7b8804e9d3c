/* RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2): every byte of the
 * recovered message is compared with the one valid encoding, so no parser
 * ever sees the padding. */
#include "crypto/rsa_internal.h"

#if MAMORI_RSA

#include "core/cursor.h"
#include "mamori/ct.h"
#include "mamori/error.h"

/* DigestInfo DER prefix (RFC 8017 §9.2 note 1) for the SHA-2 family: the
 * id-sha256/384/512 OIDs differ only in their last arc (1, 2, 3). */
static int write_digest_info(mamori_wr_t *wr, mamori_hash_id_t hash, size_t hlen)
{
    static const uint8_t oid_sha2_prefix[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02};
    uint8_t arc;
    switch (hash) {
    case MAMORI_HASH_SHA256: arc = 1; break;
    case MAMORI_HASH_SHA384: arc = 2; break;
    case MAMORI_HASH_SHA512: arc = 3; break;
    default: return MAMORI_ERR_UNSUPPORTED;
    }
    mamori_wr_u8(wr, 0x30); /* DigestInfo SEQUENCE */
    mamori_wr_u8(wr, (uint8_t)(0x11 + hlen));
    mamori_wr_u8(wr, 0x30); /* AlgorithmIdentifier SEQUENCE */
    mamori_wr_u8(wr, 0x0d);
    mamori_wr_bytes(wr, oid_sha2_prefix, sizeof oid_sha2_prefix);
    mamori_wr_u8(wr, arc);
    mamori_wr_u8(wr, 0x05); /* NULL parameters */
    mamori_wr_u8(wr, 0x00);
    mamori_wr_u8(wr, 0x04); /* digest OCTET STRING */
    mamori_wr_u8(wr, (uint8_t)hlen);
    return MAMORI_OK;
}

int mamori_rsa_pkcs1_verify(const mamori_rsa_public_t *key, mamori_hash_id_t hash,
                            const uint8_t *digest, const uint8_t *sig, size_t sig_len)
{
    mamori_limb_t em_limbs[MAMORI_BN_MAX_LIMBS];
    const uint8_t *em = (const uint8_t *)em_limbs;
    uint8_t tail[19 + MAMORI_HASH_MAX_LEN];
    mamori_rsa_pub_info_t info;
    size_t hlen = mamori_hash_len(hash);
    if (hlen == 0)
        return MAMORI_ERR_UNSUPPORTED;
    if (!key || !digest)
        return MAMORI_ERR_INVAL;
    int rc = mamori_rsa_public_op(key, sig, sig_len, em_limbs, &info);
    if (rc != MAMORI_OK)
        return rc;

    /* EMSA-PKCS1-v1_5 (§9.2): 00 01 FF..FF 00 T with T = DigestInfo, at
     * least 8 FF. Only T is built; the rest is checked in place. */
    const size_t t_len = 19 + hlen, k = info.n_len;
    if (k < t_len + 11)
        return MAMORI_ERR_BADSIG;
    mamori_wr_t wr;
    mamori_wr_init(&wr, tail, t_len);
    rc = write_digest_info(&wr, hash, hlen);
    mamori_wr_bytes(&wr, digest, hlen);
    if (rc != MAMORI_OK || !mamori_wr_ok(&wr) || wr.pos != t_len)
        return rc != MAMORI_OK ? rc : MAMORI_ERR_BADSIG;
    uint8_t diff = (uint8_t)(em[0] | (em[1] ^ 0x01) | em[k - t_len - 1]);
    for (size_t i = 2; i < k - t_len - 1; i++)
        diff |= (uint8_t)(em[i] ^ 0xff);
    return diff == 0 && mamori_ct_equal(em + k - t_len, tail, t_len) ? MAMORI_OK
                                                                      : MAMORI_ERR_BADSIG;
}

#endif
