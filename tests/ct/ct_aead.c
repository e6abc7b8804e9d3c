/*
 * Constant-time evidence for AES-GCM and ChaCha20-Poly1305: key, plaintext
 * and (for open) the received tag are marked undefined, so memcheck reports
 * any branch or memory index that depends on them. Covers key setup, seal,
 * open with a good tag and open with a bad tag, at several lengths; AES-GCM
 * in software and, where the CPU has AES-NI, through the POSIX port's
 * hardware backend.
 */
#include "mamori/chachapoly.h"
#include "mamori/crypto_backend.h"
#include "mamori/error.h"
#include "mamori/gcm.h"
#include "posix/crypto_x86.h"

#include "check.h"

#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

/* 400 and 1000 bytes (and the 400-byte AAD) reach GHASH's table-aided
 * path for long inputs, whose table indices come from ciphertext and AAD. */
static const size_t lengths[] = {0, 1, 16, 63, 64, 200, 400, 1000};
static const size_t aad_lengths[] = {13, 400};
#define MAX_LEN 1000

static void ct_gcm(size_t key_len, size_t iv_len)
{
    uint8_t key[32], iv[20], aad[400], pt[MAX_LEN], ct[MAX_LEN], out[MAX_LEN], tag[16];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(3 * i + 1);
    memset(iv, 0x42, sizeof iv);
    memset(aad, 0x17, sizeof aad);
    for (size_t l = 0; l < 2 * sizeof lengths / sizeof lengths[0]; l++) {
        size_t len = lengths[l / 2], aad_len = aad_lengths[l % 2];
        for (size_t i = 0; i < len; i++)
            pt[i] = (uint8_t)(i * 7);
        mamori_gcm_ctx_t gcm;
        SECRET(key, sizeof key);
        SECRET(pt, sizeof pt);
        int err = mamori_gcm_init(&gcm, key, key_len);
        PUBLIC(&err, sizeof err);
        CHECK_EQ(err, MAMORI_OK);
        err = mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, pt, len, ct, tag);
        PUBLIC(&err, sizeof err);
        CHECK_EQ(err, MAMORI_OK);

        /* Ciphertext and tag go on the wire; the plaintext stays secret. */
        PUBLIC(ct, sizeof ct);
        PUBLIC(tag, sizeof tag);
        SECRET(tag, sizeof tag);
        memset(out, 0, sizeof out);
        err = mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, len, tag, out);
        PUBLIC(&err, sizeof err);
        CHECK_EQ(err, MAMORI_OK);
        PUBLIC(out, sizeof out);
        PUBLIC(pt, sizeof pt);
        CHECK_MEM(out, pt, len);

        PUBLIC(tag, sizeof tag);
        tag[0] ^= 1;
        SECRET(tag, sizeof tag);
        err = mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, len, tag, out);
        PUBLIC(&err, sizeof err);
        CHECK_EQ(err, MAMORI_ERR_AUTH);
        PUBLIC(key, sizeof key);
        mamori_gcm_wipe(&gcm);
    }
}

static void ct_chachapoly(void)
{
    uint8_t key[32], nonce[12], aad[13], pt[MAX_LEN], ct[MAX_LEN], out[MAX_LEN], tag[16];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(5 * i + 2);
    memset(nonce, 0x24, sizeof nonce);
    memset(aad, 0x71, sizeof aad);
    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
        size_t len = lengths[l];
        for (size_t i = 0; i < len; i++)
            pt[i] = (uint8_t)(i * 11);
        SECRET(key, sizeof key);
        SECRET(pt, sizeof pt);
        int err = mamori_chachapoly_seal(key, nonce, aad, sizeof aad, pt, len, ct, tag);
        PUBLIC(&err, sizeof err);
        CHECK_EQ(err, MAMORI_OK);

        PUBLIC(ct, sizeof ct);
        PUBLIC(tag, sizeof tag);
        SECRET(tag, sizeof tag);
        memset(out, 0, sizeof out);
        err = mamori_chachapoly_open(key, nonce, aad, sizeof aad, ct, len, tag, out);
        PUBLIC(&err, sizeof err);
        CHECK_EQ(err, MAMORI_OK);
        PUBLIC(out, sizeof out);
        PUBLIC(pt, sizeof pt);
        CHECK_MEM(out, pt, len);

        PUBLIC(tag, sizeof tag);
        tag[15] ^= 0x80;
        SECRET(tag, sizeof tag);
        err = mamori_chachapoly_open(key, nonce, aad, sizeof aad, ct, len, tag, out);
        PUBLIC(&err, sizeof err);
        CHECK_EQ(err, MAMORI_ERR_AUTH);
        PUBLIC(key, sizeof key);
    }
}

int main(void)
{
    ct_gcm(16, 12);
    ct_gcm(24, 12);
    ct_gcm(32, 12);
    ct_gcm(16, 20); /* IV hashed into J0 */
    if (mamori_posix_crypto_install()) {
        ct_gcm(16, 12);
        ct_gcm(32, 12);
        ct_gcm(16, 20);
        mamori_crypto_set_backend(NULL);
    } else {
        printf("ct_aead: no AES-NI/PCLMULQDQ, the hardware backend is not checked\n");
    }
    ct_chachapoly();
    return check_summary("ct_aead");
}
