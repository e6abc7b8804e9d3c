#include "core/internal.h"

/* Interim source: the port's entropy function directly. The HMAC-DRBG of the
 * crypto module replaces this once it lands (see docs/design.md). */
int mamori_random(mamori_stack_t *s, void *buf, size_t len)
{
    if (!s->port || !s->port->entropy)
        return MAMORI_ERR_ENTROPY;
    return s->port->entropy(s->port->ctx, buf, len);
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
