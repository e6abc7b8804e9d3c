/* HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2) and health tests of
 * its entropy input (SP 800-90B §4.4). See mamori/drbg.h for the policy. */
#include "mamori/drbg.h"

#if MAMORI_DRBG

#if !(MAMORI_HMAC && MAMORI_SHA256)
#error "MAMORI_DRBG needs MAMORI_HMAC and MAMORI_SHA256"
#endif

#include <string.h>

#include "mamori/ct.h"
#include "mamori/error.h"
#include "mamori/hmac.h"

#define OUT_LEN 32 /* SHA-256 output = key and V length */

typedef struct {
    const void *data;
    size_t len;
} seed_part_t;

/* HMAC_DRBG_Update (§10.1.2.2) with provided_data given as a concatenation of
 * parts, so seed material never needs to be copied into one buffer. */
static void drbg_update(mamori_drbg_t *d, const seed_part_t *parts, size_t count)
{
    size_t provided_len = 0;
    for (size_t i = 0; i < count; i++)
        provided_len += parts[i].len;

    for (uint8_t round = 0; round < 2; round++) {
        mamori_hmac_t h;
        mamori_hmac_init(&h, MAMORI_HASH_SHA256, d->key, OUT_LEN);
        mamori_hmac_update(&h, d->v, OUT_LEN);
        mamori_hmac_update(&h, &round, 1);
        for (size_t i = 0; i < count; i++)
            mamori_hmac_update(&h, parts[i].data, parts[i].len);
        mamori_hmac_final(&h, d->key);
        mamori_hmac(MAMORI_HASH_SHA256, d->key, OUT_LEN, d->v, OUT_LEN, d->v);
        if (provided_len == 0)
            break;
    }
}

/* §10.1.2.3: Key = 0x00..00, V = 0x01..01, then Update(seed_material). */
static void drbg_seed(mamori_drbg_t *d, const seed_part_t *parts, size_t count)
{
    memset(d->key, 0x00, OUT_LEN);
    memset(d->v, 0x01, OUT_LEN);
    drbg_update(d, parts, count);
    d->reseed_counter = 1;
}

/* §10.1.2.4: Update(entropy_input || additional_input). */
static void drbg_reseed_core(mamori_drbg_t *d, const void *entropy, size_t entropy_len,
                             const void *additional, size_t add_len)
{
    const seed_part_t parts[] = {{entropy, entropy_len}, {additional, add_len}};
    drbg_update(d, parts, 2);
    d->reseed_counter = 1;
}

/* §10.1.2.5 for one request of at most MAMORI_DRBG_MAX_REQUEST bytes. The key
 * is fixed while output blocks are made, so it is absorbed once. */
static void drbg_generate_core(mamori_drbg_t *d, uint8_t *out, size_t len, const void *additional,
                               size_t add_len)
{
    const seed_part_t ad = {additional, add_len};
    mamori_hmac_t keyed, block;

    if (add_len > 0)
        drbg_update(d, &ad, 1);
    mamori_hmac_init(&keyed, MAMORI_HASH_SHA256, d->key, OUT_LEN);
    while (len > 0) {
        size_t take = len < OUT_LEN ? len : OUT_LEN;
        block = keyed;
        mamori_hmac_update(&block, d->v, OUT_LEN);
        mamori_hmac_final(&block, d->v);
        memcpy(out, d->v, take);
        out += take;
        len -= take;
    }
    mamori_zeroize(&keyed, sizeof keyed);
    drbg_update(d, &ad, 1);
    d->reseed_counter++;
}

static void fail_closed(mamori_drbg_t *d)
{
    mamori_zeroize(d->key, sizeof d->key);
    mamori_zeroize(d->v, sizeof d->v);
    d->failed = 1;
}

/* Repetition count test (SP 800-90B §4.4.1) over bytes, without branching on
 * them: returns 1 if some byte repeats MAMORI_DRBG_RCT_CUTOFF times in a row. */
static uint32_t repetition_detected(const uint8_t *buf, size_t len)
{
    uint32_t run = 1, tripped = 0;
    for (size_t i = 1; i < len; i++) {
        uint32_t same = mamori_ct_is_zero32((uint32_t)(buf[i] ^ buf[i - 1]));
        run = mamori_ct_select32(same, run + 1, 1);
        tripped |= 1u ^ ((run - MAMORI_DRBG_RCT_CUTOFF) >> 31); /* run >= cutoff */
    }
    return tripped;
}

/* Draws len bytes from the callback and health-tests them. An entropy block
 * (MAMORI_DRBG_ENTROPY_LEN bytes) must differ from the previous one. */
static int draw_entropy(mamori_drbg_t *d, uint8_t *buf, size_t len)
{
    if (d->entropy == NULL || d->entropy(d->entropy_ctx, buf, len) != 0)
        return MAMORI_ERR_ENTROPY;
    uint32_t bad = repetition_detected(buf, len);
    if (len == MAMORI_DRBG_ENTROPY_LEN) {
        uint8_t fingerprint[32];
        mamori_sha256(buf, len, fingerprint);
        bad |= (uint32_t)(d->have_last & mamori_ct_equal(fingerprint, d->last_fingerprint, 32));
        memcpy(d->last_fingerprint, fingerprint, sizeof fingerprint);
        d->have_last = 1;
    }
    if (bad) {
        fail_closed(d);
        return MAMORI_ERR_ENTROPY;
    }
    return MAMORI_OK;
}

int mamori_drbg_init(mamori_drbg_t *d, mamori_rng_fn entropy, void *entropy_ctx,
                     const void *personalization, size_t pers_len)
{
    uint8_t seed[MAMORI_DRBG_ENTROPY_LEN + MAMORI_DRBG_NONCE_LEN];
    uint8_t *nonce = seed + MAMORI_DRBG_ENTROPY_LEN;
    int err;

    mamori_drbg_wipe(d);
    if (entropy == NULL)
        return MAMORI_ERR_INVAL;
    d->entropy = entropy;
    d->entropy_ctx = entropy_ctx;
    err = draw_entropy(d, seed, MAMORI_DRBG_ENTROPY_LEN);
    if (err == MAMORI_OK)
        err = draw_entropy(d, nonce, MAMORI_DRBG_NONCE_LEN);
    /* A source that hands back the same buffer on every call. */
    if (err == MAMORI_OK && mamori_ct_equal(seed, nonce, MAMORI_DRBG_NONCE_LEN)) {
        fail_closed(d);
        err = MAMORI_ERR_ENTROPY;
    }
    if (err == MAMORI_OK) {
        const seed_part_t parts[] = {{seed, sizeof seed}, {personalization, pers_len}};
        drbg_seed(d, parts, 2);
    }
    mamori_zeroize(seed, sizeof seed);
    return err;
}

int mamori_drbg_instantiate(mamori_drbg_t *d, const void *entropy, size_t entropy_len,
                            const void *nonce, size_t nonce_len, const void *personalization,
                            size_t pers_len)
{
    mamori_drbg_wipe(d);
    if (entropy_len < MAMORI_DRBG_ENTROPY_LEN || nonce_len < MAMORI_DRBG_NONCE_LEN)
        return MAMORI_ERR_INVAL;
    const seed_part_t parts[] = {
        {entropy, entropy_len}, {nonce, nonce_len}, {personalization, pers_len}};
    drbg_seed(d, parts, 3);
    return MAMORI_OK;
}

static int check_usable(const mamori_drbg_t *d)
{
    if (d->failed)
        return MAMORI_ERR_ENTROPY;
    if (d->reseed_counter == 0)
        return MAMORI_ERR_STATE;
    return MAMORI_OK;
}

int mamori_drbg_reseed_with(mamori_drbg_t *d, const void *entropy, size_t entropy_len,
                            const void *additional, size_t add_len)
{
    int err = check_usable(d);
    if (err)
        return err;
    if (entropy_len < MAMORI_DRBG_ENTROPY_LEN)
        return MAMORI_ERR_INVAL;
    drbg_reseed_core(d, entropy, entropy_len, additional, add_len);
    return MAMORI_OK;
}

int mamori_drbg_reseed(mamori_drbg_t *d, const void *additional, size_t add_len)
{
    uint8_t entropy[MAMORI_DRBG_ENTROPY_LEN];
    int err = check_usable(d);
    if (err)
        return err;
    err = draw_entropy(d, entropy, sizeof entropy);
    if (err == MAMORI_OK)
        drbg_reseed_core(d, entropy, sizeof entropy, additional, add_len);
    mamori_zeroize(entropy, sizeof entropy);
    return err;
}

int mamori_drbg_generate_ad(mamori_drbg_t *d, void *out, size_t len, const void *additional,
                            size_t add_len)
{
    uint8_t *dst = out;
    size_t left = len;
    int err = check_usable(d);

    while (err == MAMORI_OK && left > 0) {
        size_t take = left < MAMORI_DRBG_MAX_REQUEST ? left : MAMORI_DRBG_MAX_REQUEST;
        const void *request_ad = additional;
        size_t request_ad_len = add_len;
        /* §9.3.1 steps 7-7.4: a reseed consumes the additional input. */
        if (d->prediction_resistance || d->reseed_counter > d->reseed_interval) {
            err = mamori_drbg_reseed(d, additional, add_len);
            request_ad = NULL;
            request_ad_len = 0;
        }
        if (err == MAMORI_OK) {
            drbg_generate_core(d, dst, take, request_ad, request_ad_len);
            dst += take;
            left -= take;
        }
    }
    /* No partial output: a failed call leaves only zeros behind. */
    if (err != MAMORI_OK && len > 0)
        mamori_zeroize(out, len);
    return err;
}

int mamori_drbg_generate(void *drbg, void *out, size_t len)
{
    return mamori_drbg_generate_ad(drbg, out, len, NULL, 0);
}

void mamori_drbg_set_prediction_resistance(mamori_drbg_t *d, int on)
{
    d->prediction_resistance = on != 0;
}

void mamori_drbg_set_reseed_interval(mamori_drbg_t *d, uint32_t requests)
{
    if (requests == 0)
        requests = 1;
    if (requests > MAMORI_DRBG_MAX_INTERVAL)
        requests = MAMORI_DRBG_MAX_INTERVAL;
    d->reseed_interval = requests;
}

void mamori_drbg_wipe(mamori_drbg_t *d)
{
    mamori_zeroize(d, sizeof *d);
    d->reseed_interval = MAMORI_DRBG_RESEED_INTERVAL;
}

#endif
