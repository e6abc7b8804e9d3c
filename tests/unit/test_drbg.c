/* HMAC_DRBG (SHA-256): NIST CAVP known answers (tests/vectors/drbg/, run both
 * through the deterministic core and through the entropy-callback path), the
 * health tests and their latching, automatic reseeding and request splitting. */
#include "check.h"
#include "kv.h"
#include "mamori/drbg.h"
#include "mamori/error.h"
#include "mamori/sha2.h"

#include <stdlib.h>
#include <string.h>

/* ---- entropy sources ---------------------------------------------------- */

/* Hands out a fixed byte string in order, however the DRBG splits its calls. */
typedef struct {
    uint8_t buf[256];
    size_t len, pos;
} queue_t;

static int queue_source(void *ctx, void *out, size_t len)
{
    queue_t *q = ctx;
    if (len > q->len - q->pos)
        return MAMORI_ERR_ENTROPY;
    memcpy(out, q->buf + q->pos, len);
    q->pos += len;
    return MAMORI_OK;
}

static void queue_push(queue_t *q, const uint8_t *p, size_t n)
{
    memcpy(q->buf + q->len, p, n);
    q->len += n;
}

typedef enum { SRC_GOOD, SRC_ZEROS, SRC_SAME_BLOCK, SRC_ERROR, SRC_RUN } source_mode_t;

/* A scriptable source: good output is SHA-256 of a counter. */
typedef struct {
    source_mode_t mode;
    uint32_t counter;
    unsigned calls;
    size_t run_len; /* SRC_RUN: good bytes with a run of this many 0x5a bytes */
} script_t;

static int script_source(void *ctx, void *out, size_t len)
{
    script_t *s = ctx;
    uint8_t *p = out;
    s->calls++;
    switch (s->mode) {
    case SRC_ERROR:
        return MAMORI_ERR_IO;
    case SRC_ZEROS:
        memset(out, 0, len);
        return MAMORI_OK;
    case SRC_SAME_BLOCK:
        for (size_t i = 0; i < len; i++)
            p[i] = (uint8_t)(i * 37 + 11);
        return MAMORI_OK;
    default:
        for (size_t done = 0; done < len; done += 32) {
            uint8_t block[32], counter[4] = {(uint8_t)(s->counter >> 24), (uint8_t)(s->counter >> 16),
                                             (uint8_t)(s->counter >> 8), (uint8_t)s->counter};
            s->counter++;
            mamori_sha256(counter, sizeof counter, block);
            memcpy(p + done, block, len - done < 32 ? len - done : 32);
        }
        if (s->mode == SRC_RUN)
            memset(p + 4, 0x5a, s->run_len);
        return MAMORI_OK;
    }
}

/* ---- CAVP vectors -------------------------------------------------------- */

typedef struct {
    uint8_t *entropy, *nonce, *pers, *add1, *add2, *returned, *entropy2, *add_reseed, *entropy3;
    size_t entropy_len, nonce_len, pers_len, add1_len, add2_len, returned_len, entropy2_len,
        add_reseed_len, entropy3_len;
} vector_t;

static void run_cavp_core(const char *mode, const vector_t *v)
{
    mamori_drbg_t d;
    uint8_t out[128];
    CHECK_EQ(mamori_drbg_instantiate(&d, v->entropy, v->entropy_len, v->nonce, v->nonce_len, v->pers,
                                     v->pers_len),
             MAMORI_OK);
    if (strcmp(mode, "reseed") == 0)
        CHECK_EQ(mamori_drbg_reseed_with(&d, v->entropy2, v->entropy2_len, v->add_reseed,
                                         v->add_reseed_len),
                 MAMORI_OK);
    if (strcmp(mode, "pr") == 0) {
        /* SP 800-90A §9.3.1: with prediction resistance a generate reseeds
         * with the additional input and then generates without it. */
        CHECK_EQ(mamori_drbg_reseed_with(&d, v->entropy2, v->entropy2_len, v->add1, v->add1_len),
                 MAMORI_OK);
        CHECK_EQ(mamori_drbg_generate_ad(&d, out, sizeof out, NULL, 0), MAMORI_OK);
        CHECK_EQ(mamori_drbg_reseed_with(&d, v->entropy3, v->entropy3_len, v->add2, v->add2_len),
                 MAMORI_OK);
        CHECK_EQ(mamori_drbg_generate_ad(&d, out, sizeof out, NULL, 0), MAMORI_OK);
    } else {
        CHECK_EQ(mamori_drbg_generate_ad(&d, out, sizeof out, v->add1, v->add1_len), MAMORI_OK);
        CHECK_EQ(mamori_drbg_generate_ad(&d, out, sizeof out, v->add2, v->add2_len), MAMORI_OK);
    }
    CHECK_MEM(out, v->returned, sizeof out);
    mamori_drbg_wipe(&d);
}

/* The same vector through mamori_drbg_init(): entropy, nonce and later
 * entropy inputs come from the callback in the order the DRBG asks. */
static void run_cavp_callback(const char *mode, const vector_t *v)
{
    mamori_drbg_t d;
    queue_t q = {.len = 0, .pos = 0};
    uint8_t out[128];
    queue_push(&q, v->entropy, v->entropy_len);
    queue_push(&q, v->nonce, v->nonce_len);
    if (v->entropy2)
        queue_push(&q, v->entropy2, v->entropy2_len);
    if (v->entropy3)
        queue_push(&q, v->entropy3, v->entropy3_len);

    CHECK_EQ(mamori_drbg_init(&d, queue_source, &q, v->pers, v->pers_len), MAMORI_OK);
    if (strcmp(mode, "reseed") == 0)
        CHECK_EQ(mamori_drbg_reseed(&d, v->add_reseed, v->add_reseed_len), MAMORI_OK);
    if (strcmp(mode, "pr") == 0)
        mamori_drbg_set_prediction_resistance(&d, 1);
    CHECK_EQ(mamori_drbg_generate_ad(&d, out, sizeof out, v->add1, v->add1_len), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate_ad(&d, out, sizeof out, v->add2, v->add2_len), MAMORI_OK);
    CHECK_MEM(out, v->returned, sizeof out);
    CHECK_EQ(q.pos, q.len); /* every entropy input was consumed */
    mamori_drbg_wipe(&d);
}

static uint8_t *field(const kv_file_t *f, const char *key, size_t *len)
{
    *len = 0;
    return kv_get(f, key) ? kv_hex(f, key, len) : NULL;
}

static void test_cavp(void)
{
    kv_file_t f;
    unsigned counts[3] = {0, 0, 0};
    kv_open(&f, MAMORI_SOURCE_DIR "/tests/vectors/drbg/hmac_drbg_sha256.txt");
    while (kv_next(&f)) {
        const char *mode = kv_get(&f, "mode");
        if (!mode)
            continue; /* the header comment */
        vector_t v;
        v.entropy = field(&f, "EntropyInput", &v.entropy_len);
        v.nonce = field(&f, "Nonce", &v.nonce_len);
        v.pers = field(&f, "PersonalizationString", &v.pers_len);
        v.add1 = field(&f, "AdditionalInput1", &v.add1_len);
        v.add2 = field(&f, "AdditionalInput2", &v.add2_len);
        v.returned = field(&f, "ReturnedBits", &v.returned_len);
        v.add_reseed = field(&f, "AdditionalInputReseed", &v.add_reseed_len);
        if (strcmp(mode, "pr") == 0) {
            v.entropy2 = field(&f, "EntropyInputPR1", &v.entropy2_len);
            v.entropy3 = field(&f, "EntropyInputPR2", &v.entropy3_len);
        } else {
            v.entropy2 = field(&f, "EntropyInputReseed", &v.entropy2_len);
            v.entropy3 = NULL;
            v.entropy3_len = 0;
        }
        CHECK(v.entropy && v.nonce && v.returned && v.returned_len == 128);
        run_cavp_core(mode, &v);
        run_cavp_callback(mode, &v);
        counts[strcmp(mode, "no_reseed") == 0 ? 0 : strcmp(mode, "reseed") == 0 ? 1 : 2]++;
        free(v.entropy);
        free(v.nonce);
        free(v.pers);
        free(v.add1);
        free(v.add2);
        free(v.returned);
        free(v.add_reseed);
        free(v.entropy2);
        free(v.entropy3);
    }
    kv_close(&f);
    printf("HMAC_DRBG CAVP: %u no-reseed, %u with reseed, %u prediction resistance (each "
           "via the core and via the callback)\n",
           counts[0], counts[1], counts[2]);
    CHECK(counts[0] >= 3 && counts[1] >= 3 && counts[2] >= 3);
}

/* ---- health tests --------------------------------------------------------- */

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static void test_constant_source(void)
{
    mamori_drbg_t d;
    script_t src = {.mode = SRC_ZEROS};
    uint8_t out[16];
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_ERR_ENTROPY);
    memset(out, 0xee, sizeof out);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_ENTROPY);
    CHECK(all_zero(out, sizeof out));
    CHECK_EQ(mamori_drbg_reseed(&d, NULL, 0), MAMORI_ERR_ENTROPY);
    /* Stays failed even once the source looks healthy again ... */
    src.mode = SRC_GOOD;
    CHECK_EQ(mamori_drbg_reseed(&d, NULL, 0), MAMORI_ERR_ENTROPY);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_ENTROPY);
    /* ... until it is instantiated again. */
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    CHECK(!all_zero(out, sizeof out));

    /* A source returning the same buffer on every call is caught at once. */
    src.mode = SRC_SAME_BLOCK;
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_ERR_ENTROPY);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_ENTROPY);
}

static void test_source_stuck_later(void)
{
    mamori_drbg_t d;
    script_t src = {.mode = SRC_GOOD};
    uint8_t out[32];
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_OK);
    mamori_drbg_set_prediction_resistance(&d, 1);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    src.mode = SRC_SAME_BLOCK;
    /* The first stuck block differs from the last good one; the second repeats. */
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_ENTROPY);
    CHECK(all_zero(out, sizeof out));
    src.mode = SRC_GOOD;
    mamori_drbg_set_prediction_resistance(&d, 0);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_ENTROPY);
    CHECK(d.failed);
    mamori_drbg_wipe(&d);
}

static void test_repetition_cutoff(void)
{
    mamori_drbg_t d;
    script_t src = {.mode = SRC_RUN, .run_len = MAMORI_DRBG_RCT_CUTOFF - 1};
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_OK);
    src.run_len = MAMORI_DRBG_RCT_CUTOFF;
    CHECK_EQ(mamori_drbg_reseed(&d, NULL, 0), MAMORI_ERR_ENTROPY);
    CHECK(d.failed);
    mamori_drbg_wipe(&d);
}

/* A source error fails the call but does not latch. */
static void test_source_error(void)
{
    mamori_drbg_t d;
    script_t src = {.mode = SRC_ERROR};
    uint8_t out[8];
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_ERR_ENTROPY);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_STATE);
    src.mode = SRC_GOOD;
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_OK);
    mamori_drbg_set_prediction_resistance(&d, 1);
    src.mode = SRC_ERROR;
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_ENTROPY);
    CHECK(!d.failed);
    src.mode = SRC_GOOD;
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    mamori_drbg_wipe(&d);
}

/* ---- reseeding, requests, API edges --------------------------------------- */

static void test_reseed_interval(void)
{
    mamori_drbg_t d;
    script_t src = {.mode = SRC_GOOD};
    uint8_t out[40];
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, "pers", 4), MAMORI_OK);
    CHECK_EQ(src.calls, 2); /* entropy input and nonce */
    CHECK_EQ(d.reseed_interval, MAMORI_DRBG_RESEED_INTERVAL);
    mamori_drbg_set_reseed_interval(&d, 2);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    CHECK_EQ(src.calls, 2);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK); /* third request reseeds */
    CHECK_EQ(src.calls, 3);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    CHECK_EQ(src.calls, 3);
    mamori_drbg_set_reseed_interval(&d, 0);
    CHECK_EQ(d.reseed_interval, 1);
    mamori_drbg_set_reseed_interval(&d, 0xffffffffu);
    CHECK_EQ(d.reseed_interval, MAMORI_DRBG_MAX_INTERVAL);
    mamori_drbg_wipe(&d);

    /* A deterministic DRBG cannot reseed by itself. */
    uint8_t seed[48];
    memset(seed, 0x42, sizeof seed);
    seed[0] = 1;
    CHECK_EQ(mamori_drbg_instantiate(&d, seed, 32, seed + 32, 16, NULL, 0), MAMORI_OK);
    mamori_drbg_set_reseed_interval(&d, 1);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_ENTROPY);
    CHECK_EQ(mamori_drbg_reseed_with(&d, seed, 32, NULL, 0), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_OK);
    mamori_drbg_wipe(&d);
}

/* Outputs over MAMORI_DRBG_MAX_REQUEST are consecutive requests. */
static void test_long_request(void)
{
    static uint8_t one[MAMORI_DRBG_MAX_REQUEST * 2 + 100], two[sizeof one];
    mamori_drbg_t a, b;
    uint8_t seed[48];
    for (size_t i = 0; i < sizeof seed; i++)
        seed[i] = (uint8_t)(i * 7 + 3);
    CHECK_EQ(mamori_drbg_instantiate(&a, seed, 32, seed + 32, 16, NULL, 0), MAMORI_OK);
    CHECK_EQ(mamori_drbg_instantiate(&b, seed, 32, seed + 32, 16, NULL, 0), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate_ad(&a, one, sizeof one, "ad", 2), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate_ad(&b, two, MAMORI_DRBG_MAX_REQUEST, "ad", 2), MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate_ad(&b, two + MAMORI_DRBG_MAX_REQUEST, MAMORI_DRBG_MAX_REQUEST,
                                     "ad", 2),
             MAMORI_OK);
    CHECK_EQ(mamori_drbg_generate_ad(&b, two + 2 * MAMORI_DRBG_MAX_REQUEST, 100, "ad", 2),
             MAMORI_OK);
    CHECK_MEM(one, two, sizeof one);
    CHECK_EQ(a.reseed_counter, 4);
    CHECK_EQ(b.reseed_counter, 4);
}

static void test_api_edges(void)
{
    mamori_drbg_t d;
    script_t src = {.mode = SRC_GOOD};
    uint8_t out[24], seed[48] = {1, 2, 3};
    memset(&d, 0, sizeof d);
    CHECK_EQ(mamori_drbg_generate(&d, out, sizeof out), MAMORI_ERR_STATE);
    CHECK_EQ(mamori_drbg_reseed(&d, NULL, 0), MAMORI_ERR_STATE);
    CHECK_EQ(mamori_drbg_init(&d, NULL, NULL, NULL, 0), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_drbg_instantiate(&d, seed, 31, seed + 32, 16, NULL, 0), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_drbg_instantiate(&d, seed, 32, seed + 32, 15, NULL, 0), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_drbg_instantiate(&d, seed, 32, seed + 32, 16, NULL, 0), MAMORI_OK);
    CHECK_EQ(mamori_drbg_reseed_with(&d, seed, 16, NULL, 0), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_drbg_generate(&d, out, 0), MAMORI_OK);

    /* mamori_drbg_generate is a mamori_rng_fn. */
    mamori_rng_fn rng = mamori_drbg_generate;
    CHECK_EQ(mamori_drbg_init(&d, script_source, &src, NULL, 0), MAMORI_OK);
    CHECK_EQ(rng(&d, out, sizeof out), MAMORI_OK);
    mamori_drbg_wipe(&d);
    CHECK_EQ(rng(&d, out, sizeof out), MAMORI_ERR_STATE);
    CHECK(all_zero(out, sizeof out));
}

int main(void)
{
    test_cavp();
    test_constant_source();
    test_source_stuck_later();
    test_repetition_cutoff();
    test_source_error();
    test_reseed_interval();
    test_long_request();
    test_api_edges();
    return check_summary("drbg");
}
