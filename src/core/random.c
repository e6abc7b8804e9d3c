#include <string.h>

#include "core/internal.h"

/* Everything unpredictable (IDs, ports, ISNs, nonces) comes from the stack's
 * HMAC-DRBG, seeded from the port's entropy source and reseeded on its
 * interval. Small requests are served from a pool of DRBG output so a
 * per-packet draw costs a copy, not an HMAC. Without the DRBG compiled in, the
 * port's entropy source is used directly. */
int mamori_random_init(mamori_stack_t *s)
{
#if MAMORI_DRBG
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
