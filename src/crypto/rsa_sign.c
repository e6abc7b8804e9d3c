/* RSASSA-PSS signing (RFC 8017 §8.1.1) with the CRT form of RSASP1
 * (§5.2.1 step 2b), base blinding, and a check of the result with the
 * public key before it is released. Constant time in the private key. */
#include "crypto/rsa_internal.h"

#if MAMORI_RSA

#include "crypto/bignum.h"
#include "mamori/ct.h"
#include "mamori/error.h"

#include <string.h>

/* The numbers of a signature, carved from the caller's work buffer: "full"
 * ones have the modulus's limb count, "half" ones one limb more than half of
 * it (a prime may be one limb over n/2). */
typedef struct {
    mamori_limb_t *n, *r2n, *c, *blind, *cb, *f, *t;                   /* full */
    mamori_limb_t *p, *q, *r2, *exp, *base, *x, *inv, *mp, *mq;        /* half */
    mamori_limb_t *tmp;   /* 2 full: >= 2 half, and full + 3 for the fast R^2 */
    mamori_limb_t *table; /* MAMORI_BN_TABLE_SIZE half, also the inversion's scratch */
    mamori_limb_t *prod;  /* 2 half */
} rsa_sign_ws_t;

#define WS_FULL 10 /* 7 numbers, tmp, and the encoded message (bytes) */
#define WS_HALF (9 + MAMORI_BN_TABLE_SIZE + 2)

static size_t half_limbs(size_t full) { return full / 2 + 1; }

/* Points ws into work (aligned up for limbs); NULL em if work_len is too
 * small. Returns the encoded message buffer (full limbs' worth of bytes). */
static uint8_t *ws_carve(rsa_sign_ws_t *ws, uint8_t *work, size_t work_len, size_t full,
                         size_t *used)
{
    const size_t half = half_limbs(full), align = sizeof(mamori_limb_t);
    size_t skip = (align - (size_t)((uintptr_t)work % align)) % align;
    size_t need = skip + (WS_FULL * full + WS_HALF * half) * sizeof(mamori_limb_t);
    if (work == NULL || work_len < need)
        return NULL;
    mamori_limb_t *l = (mamori_limb_t *)(void *)(work + skip);
    mamori_limb_t **fulls[] = {&ws->n, &ws->r2n, &ws->c, &ws->blind, &ws->cb, &ws->f, &ws->t};
    mamori_limb_t **halves[] = {&ws->p, &ws->q, &ws->r2, &ws->exp, &ws->base, &ws->x, &ws->inv,
                                &ws->mp, &ws->mq};
    for (size_t i = 0; i < sizeof fulls / sizeof fulls[0]; i++, l += full)
        *fulls[i] = l;
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++, l += half)
        *halves[i] = l;
    ws->tmp = l;
    l += 2 * full;
    ws->table = l;
    l += MAMORI_BN_TABLE_SIZE * half;
    ws->prod = l;
    l += 2 * half;
    *used = need;
    return (uint8_t *)l;
}

typedef struct {
    const uint8_t *prime, *exp;
    size_t prime_len, exp_len, other_len; /* other_len: the other prime's */
    mamori_limb_t *limbs, *result;
} crt_half_t;

static size_t limbs_for(size_t bytes) { return (bytes + MAMORI_BN_LIMB_BYTES - 1) / MAMORI_BN_LIMB_BYTES; }

/* result = (cb^d mod P) * r^-1 mod P for one prime P (leaves ws->r2 and mm
 * set up for P): the blinding factor r^e cancels to r, which is removed. */
static void crt_half(rsa_sign_ws_t *ws, const crt_half_t *h, const mamori_bn_mont_t *mn,
                     size_t bits, mamori_bn_mont_t *mm)
{
    const size_t np = limbs_for(h->prime_len), nn = mn->n;
    mamori_bn_from_bytes(h->limbs, np, h->prime, h->prime_len);
    /* n = P * Q < P * R when Q's length (public) is at most P's in limbs. */
    if (h->other_len <= np * MAMORI_BN_LIMB_BYTES)
        mamori_bn_mont_init_factor(mm, h->limbs, np, ws->r2, mn, bits, ws->tmp, ws->f);
    else
        mamori_bn_mont_init(mm, h->limbs, np, ws->r2, ws->tmp);
    mamori_bn_reduce_to_mont(ws->base, ws->cb, nn, mm, ws->tmp);
    mamori_bn_from_bytes(ws->exp, np, h->exp, h->exp_len);
    mamori_bn_mod_exp(ws->x, ws->base, ws->exp, 8 * h->exp_len, mm, ws->table, ws->tmp);
    mamori_bn_reduce_to_mont(ws->base, ws->blind, nn, mm, ws->tmp);
    mamori_bn_from_mont(ws->base, ws->base, mm);
    mamori_bn_mod_inv(ws->inv, ws->base, mm, ws->table);
    mamori_bn_mont_mul(h->result, ws->x, ws->inv, mm); /* leaves Montgomery form */
}

/* sig (k bytes) = em^d mod n. em holds k bytes, less than n. */
static int rsa_private(rsa_sign_ws_t *ws, const mamori_rsa_private_t *key,
                       const mamori_rsa_pub_info_t *info, const uint8_t *em, uint8_t *sig,
                       mamori_rng_fn rng, void *rng_ctx)
{
    const size_t k = info->n_len, nn = MAMORI_BN_LIMBS(info->bits);
    const size_t np = limbs_for(key->p_len), nq = limbs_for(key->q_len);
    mamori_bn_mont_t mn, mm;

    mamori_bn_from_bytes(ws->n, nn, info->n, k);
    mamori_bn_mont_init_public(&mn, ws->n, nn, info->bits, ws->r2n, ws->t);
    mamori_bn_from_bytes(ws->c, nn, em, k);

    /* Blinding: r < 2^(bits-1) < n, so cb = c * r^e mod n is uniform and
     * unrelated to c; cb^d = c^d * r. */
    if (rng(rng_ctx, sig, k) != 0) {
        mamori_zeroize(sig, k);
        return MAMORI_ERR_ENTROPY;
    }
    sig[0] &= (uint8_t)(0xff >> (8 * k - info->bits + 1));
    mamori_bn_from_bytes(ws->blind, nn, sig, k);
    mamori_bn_mont_mul(ws->t, ws->blind, ws->r2n, &mn);
    mamori_bn_mod_exp_public(ws->f, ws->t, sig, k, info->e, info->bits, &mn);
    mamori_bn_mont_mul(ws->t, ws->f, ws->r2n, &mn);
    mamori_bn_mont_mul(ws->cb, ws->c, ws->t, &mn);

    /* q first, so that the Montgomery setup for p remains for Garner. */
    const crt_half_t half_q = {key->q, key->dq, key->q_len, key->dq_len, key->p_len, ws->q, ws->mq};
    const crt_half_t half_p = {key->p, key->dp, key->p_len, key->dp_len, key->q_len, ws->p, ws->mp};
    crt_half(ws, &half_q, &mn, info->bits, &mm);
    crt_half(ws, &half_p, &mn, info->bits, &mm);

    /* Garner: h = qinv * (m1 - m2) mod p, s = m2 + q * h (§5.1.2 2b). */
    mamori_bn_reduce_to_mont(ws->base, ws->mq, nq, &mm, ws->tmp);
    mamori_bn_mont_mul(ws->x, ws->mp, ws->r2, &mm);
    mamori_bn_mod_sub(ws->x, ws->x, ws->base, &mm);
    mamori_bn_from_bytes(ws->exp, np, key->qinv, key->qinv_len);
    mamori_bn_mont_mul(ws->inv, ws->x, ws->exp, &mm);
    mamori_bn_mul(ws->prod, ws->q, nq, ws->inv, np);
    mamori_bn_add_to(ws->prod, nq + np, ws->mq, nq);
    memset(ws->t, 0, nn * sizeof ws->t[0]);
    memcpy(ws->t, ws->prod, (nq + np < nn ? nq + np : nn) * sizeof ws->t[0]);

    /* Fault check: s^e mod n must give back c. Branch-free, so a corrupted
     * computation reveals nothing beyond the error code. */
    mamori_bn_to_bytes(sig, k, ws->t, nn);
    mamori_bn_mont_mul(ws->blind, ws->t, ws->r2n, &mn);
    mamori_bn_mod_exp_public(ws->f, ws->blind, sig, k, info->e, info->bits, &mn);
    uint32_t ok = (uint32_t)mamori_ct_equal(ws->f, ws->c, nn * sizeof ws->c[0]);
    uint8_t keep = (uint8_t)(0u - ok);
    for (size_t i = 0; i < k; i++)
        sig[i] &= keep;
    return (int)mamori_ct_select32(ok, (uint32_t)MAMORI_OK, (uint32_t)MAMORI_ERR_FAULT);
}

int mamori_rsa_pss_sign(const mamori_rsa_private_t *key, mamori_hash_id_t hash,
                        const uint8_t *digest, size_t salt_len, uint8_t *sig, size_t sig_cap,
                        mamori_rng_fn rng, void *rng_ctx, uint8_t *work, size_t work_len)
{
    rsa_sign_ws_t ws;
    mamori_rsa_pub_info_t info;
    size_t used = 0;

    if (!key || !digest || !sig || !rng)
        return MAMORI_ERR_INVAL;
    if (mamori_hash_len(hash) == 0)
        return MAMORI_ERR_UNSUPPORTED;
    int rc = mamori_rsa_pub_info(&info, key->n, key->n_len, key->e, key->e_len, 2048);
    if (rc != MAMORI_OK)
        return rc;
    if (sig_cap < info.n_len)
        return MAMORI_ERR_BUFSIZE;
    const size_t full = MAMORI_BN_LIMBS(info.bits), half = half_limbs(full);
    uint8_t *em = ws_carve(&ws, work, work_len, full, &used);
    if (em == NULL)
        return MAMORI_ERR_BUFSIZE;
    /* The buffers bound the CRT values by length alone (their values are
     * secret); wrong values are caught by the fault check. */
    const size_t half_cap = half * MAMORI_BN_LIMB_BYTES;
    if (!key->p || !key->q || !key->dp || !key->dq || !key->qinv || key->p_len == 0 ||
        key->q_len == 0 || key->dp_len == 0 || key->dq_len == 0 || key->qinv_len == 0 ||
        key->p_len > half_cap || key->q_len > half_cap || key->dp_len > limbs_for(key->p_len) * MAMORI_BN_LIMB_BYTES ||
        key->dq_len > limbs_for(key->q_len) * MAMORI_BN_LIMB_BYTES ||
        key->qinv_len > limbs_for(key->p_len) * MAMORI_BN_LIMB_BYTES)
        return MAMORI_ERR_BADKEY;

    /* §8.1.1 step 1: EM has emBits = modBits - 1 bits; when that is a
     * multiple of 8 it is one byte shorter than k and the top byte is 0. */
    const size_t em_bits = info.bits - 1, em_len = (em_bits + 7) / 8;
    em[0] = 0;
    rc = mamori_rsa_pss_encode(em + info.n_len - em_len, em_bits, hash, digest, salt_len, rng,
                               rng_ctx);
    /* rsa_private() leaves sig zeroed on failure; its result is not branched
     * on here because it depends on the secret key. */
    if (rc == MAMORI_OK)
        rc = rsa_private(&ws, key, &info, em, sig, rng, rng_ctx);
    mamori_zeroize(work, used);
    return rc;
}

#endif
