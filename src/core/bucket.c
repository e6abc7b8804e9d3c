#include "core/internal.h"

void mamori_bucket_init(mamori_bucket_t *b, uint32_t rate_per_s, uint32_t burst, uint32_t now)
{
    b->rate_per_s = rate_per_s;
    b->burst = burst ? burst : 1;
    b->tokens_milli = b->burst * 1000u;
    b->last = now;
}

bool mamori_bucket_take(mamori_bucket_t *b, uint32_t now)
{
    if (b->rate_per_s == 0)
        return true;
    uint32_t elapsed = now - b->last;
    if (elapsed) {
        /* rate tokens per second = rate tokens_milli per ms */
        uint32_t cap = b->burst * 1000u;
        uint64_t refill = (uint64_t)elapsed * b->rate_per_s;
        b->tokens_milli = refill >= cap - b->tokens_milli ? cap : b->tokens_milli + (uint32_t)refill;
        b->last = now;
    }
    if (b->tokens_milli < 1000u)
        return false;
    b->tokens_milli -= 1000u;
    return true;
}
