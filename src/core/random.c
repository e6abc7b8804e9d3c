#include <string.h>

#include "core/internal.h"

/* Everything unpredictable (IDs, ports, ISNs, nonces) comes from the stack's
 * HMAC-DRBG, seeded from the port's entropy source and reseeded on its
 * interval. Small requests are served from a pool of DRBG output so a small
 * draw costs a copy, not an HMAC, until the pool is empty. IPv4 IDs, one per
 * datagram, come from a PRF keyed from it (mamori_random_id16). Without the
 * DRBG compiled in, the port's entropy source (a hardware RNG on a
 * microcontroller) is used directly, for IDs too. */
int mamori_random_init(mamori_stack_t *s)
{
#if MAMORI_DRBG
    s->id_count = 0;
    s->random_left = 0;
    return mamori_drbg_init(&s->drbg, s->port->entropy, s->port->ctx, "mamori stack", 12);
#else
    uint8_t probe[4];
    return s->port->entropy(s->port->ctx, probe, sizeof probe);
#endif
}

int mamori_random(mamori_stack_t *s, void *buf, size_t len)
{
#if MAMORI_DRBG
    if (len > sizeof s->random_pool)
        return mamori_drbg_generate(&s->drbg, buf, len);
    if (len > s->random_left) {
        int rc = mamori_drbg_generate(&s->drbg, s->random_pool, sizeof s->random_pool);
        if (rc)
            return rc;
        s->random_left = sizeof s->random_pool;
    }
    uint8_t *src = s->random_pool + sizeof s->random_pool - s->random_left;
    memcpy(buf, src, len);
    memset(src, 0, len); /* handed out once only */
    s->random_left = (uint8_t)(s->random_left - len);
    return MAMORI_OK;
#else
    return s->port->entropy(s->port->ctx, buf, len);
#endif
}

uint32_t mamori_random32(mamori_stack_t *s)
{
    uint8_t b[4] = {0};
    (void)mamori_random(s, b, sizeof b);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint32_t mamori_random_range(mamori_stack_t *s, uint32_t lo, uint32_t hi)
{
    uint32_t span = hi - lo + 1;
    return span ? lo + mamori_random32(s) % span : mamori_random32(s);
}

#if MAMORI_DRBG
static uint64_t rotl64(uint64_t x, unsigned b)
{
    return x << b | x >> (64 - b);
}

static void sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = rotl64(v[1], 13) ^ v[0];
    v[0] = rotl64(v[0], 32);
    v[2] += v[3];
    v[3] = rotl64(v[3], 16) ^ v[2];
    v[0] += v[3];
    v[3] = rotl64(v[3], 21) ^ v[0];
    v[2] += v[1];
    v[1] = rotl64(v[1], 17) ^ v[2];
    v[2] = rotl64(v[2], 32);
}

/* SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012) of the 8-byte message m in little-endian order: the message word,
 * then the final word holding the length (8) in its top byte. */
uint64_t mamori_siphash24_u64(const uint64_t key[2], uint64_t m)
{
    uint64_t v[4] = {key[0] ^ 0x736f6d6570736575u, key[1] ^ 0x646f72616e646f6du,
                     key[0] ^ 0x6c7967656e657261u, key[1] ^ 0x7465646279746573u};
    const uint64_t words[2] = {m, (uint64_t)8 << 56};
    for (size_t i = 0; i < 2; i++) {
        v[3] ^= words[i];
        sip_round(v);
        sip_round(v);
        v[0] ^= words[i];
    }
    v[2] ^= 0xff;
    for (size_t i = 0; i < 4; i++)
        sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* A PRF of a counter under a key from the random source, drawn at the first
 * ID and again after 2^32 IDs: unpredictable without the key, at the cost of
 * one SipHash instead of a DRBG draw (docs/security.md). */
uint16_t mamori_random_id16(mamori_stack_t *s)
{
    if (s->id_count == 0 && mamori_random(s, s->id_key, sizeof s->id_key) != MAMORI_OK)
        return 0; /* no key: the next ID tries again */
    return (uint16_t)mamori_siphash24_u64(s->id_key, s->id_count++);
}
#else
uint16_t mamori_random_id16(mamori_stack_t *s)
{
    uint8_t b[2] = {0};
    (void)mamori_random(s, b, sizeof b);
    return (uint16_t)(b[0] << 8 | b[1]);
}
#endif
