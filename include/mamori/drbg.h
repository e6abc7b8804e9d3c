/*
 * HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2), seeded from a port
 * entropy callback whose output is health-tested before use.
 *
 * Seeding: instantiate draws MAMORI_DRBG_ENTROPY_LEN bytes of entropy input
 * and a MAMORI_DRBG_NONCE_LEN-byte nonce (two callback calls, §8.6.7); every
 * reseed draws MAMORI_DRBG_ENTROPY_LEN bytes (one call).
 *
 * Health tests on every draw (fail closed):
 *  - repetition count test of SP 800-90B §4.4.1 over the bytes of the draw:
 *    a run of MAMORI_DRBG_RCT_CUTOFF identical bytes fails;
 *  - a stuck-source test: an entropy block equal to the previous entropy block
 *    (compared through a SHA-256 fingerprint, so no raw entropy is kept), or a
 *    nonce equal to the start of the entropy block drawn just before, fails.
 * A failed test wipes the state and latches: every later generate or reseed
 * returns MAMORI_ERR_ENTROPY until mamori_drbg_init() is called again. An
 * entropy callback that merely returns an error makes the call fail with
 * MAMORI_ERR_ENTROPY without latching (a later call may succeed).
 *
 * Requests: at most MAMORI_DRBG_MAX_REQUEST bytes per SP 800-90A request;
 * longer outputs are served as consecutive requests of at most that size, each
 * with the same additional input. The state is reseeded automatically before a
 * request once reseed_interval requests have been served since the last
 * (re)seed, and before every request when prediction resistance is on.
 */
#ifndef MAMORI_DRBG_H
#define MAMORI_DRBG_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/rng.h"

#define MAMORI_DRBG_ENTROPY_LEN 32 /* 256-bit security strength */
#define MAMORI_DRBG_NONCE_LEN 16
#define MAMORI_DRBG_MAX_REQUEST 65536u /* 2^19 bits, SP 800-90A Table 2 */
#define MAMORI_DRBG_MAX_INTERVAL 0x7fffffffu

#ifndef MAMORI_DRBG_RESEED_INTERVAL /* default requests between reseeds */
#define MAMORI_DRBG_RESEED_INTERVAL 65536u
#endif
/* SP 800-90B §4.4.1 cutoff C = 1 + ceil(40 / H): 6 for a full-entropy source
 * (H = 8 bits per byte) at a false-alarm rate of 2^-40 per byte. A port whose
 * callback returns raw, lower-entropy samples must raise it. */
#ifndef MAMORI_DRBG_RCT_CUTOFF
#define MAMORI_DRBG_RCT_CUTOFF 6
#endif

typedef struct {
    uint8_t key[32];
    uint8_t v[32];
    uint32_t reseed_counter; /* 0 while not instantiated */
    uint32_t reseed_interval;
    int prediction_resistance;
    int failed; /* latched health-test failure */
    mamori_rng_fn entropy;
    void *entropy_ctx;
    uint8_t last_fingerprint[32]; /* SHA-256 of the previous entropy block */
    int have_last;
} mamori_drbg_t;

/* Instantiates from the entropy callback (required) and an optional
 * personalization string, with default settings (prediction resistance off,
 * MAMORI_DRBG_RESEED_INTERVAL). Returns MAMORI_ERR_ENTROPY if the source fails
 * or a health test trips. */
int mamori_drbg_init(mamori_drbg_t *d, mamori_rng_fn entropy, void *entropy_ctx,
                     const void *personalization, size_t pers_len);
/* Reseeds from the entropy callback with optional additional input. */
int mamori_drbg_reseed(mamori_drbg_t *d, const void *additional, size_t add_len);
/* Fills out with len bytes; fits mamori_rng_fn with drbg a mamori_drbg_t *. */
int mamori_drbg_generate(void *drbg, void *out, size_t len);
int mamori_drbg_generate_ad(mamori_drbg_t *d, void *out, size_t len, const void *additional,
                            size_t add_len);
void mamori_drbg_set_prediction_resistance(mamori_drbg_t *d, int on);
/* Requests served per seed; 0 is taken as 1, values above
 * MAMORI_DRBG_MAX_INTERVAL as that maximum. */
void mamori_drbg_set_reseed_interval(mamori_drbg_t *d, uint32_t requests);
void mamori_drbg_wipe(mamori_drbg_t *d);

/* Deterministic core for known-answer tests and callers that bring their own
 * seed: instantiate from given bytes (entropy_len >= MAMORI_DRBG_ENTROPY_LEN,
 * nonce_len >= MAMORI_DRBG_NONCE_LEN, else MAMORI_ERR_INVAL) with no entropy
 * callback, and reseed from given bytes. Such a DRBG cannot reseed by itself:
 * once a reseed is due (or with prediction resistance on) generate returns
 * MAMORI_ERR_ENTROPY until mamori_drbg_reseed_with() is called. */
int mamori_drbg_instantiate(mamori_drbg_t *d, const void *entropy, size_t entropy_len,
                            const void *nonce, size_t nonce_len, const void *personalization,
                            size_t pers_len);
int mamori_drbg_reseed_with(mamori_drbg_t *d, const void *entropy, size_t entropy_len,
                            const void *additional, size_t add_len);

#endif
