#include "core/internal.h"

mamori_pbuf_t *mamori_pbuf_alloc(mamori_stack_t *s)
{
    for (size_t i = 0; i < MAMORI_PBUF_COUNT; i++) {
        if (!s->pbufs[i].in_use) {
            s->pbufs[i].in_use = 1;
            s->pbufs[i].len = 0;
            return &s->pbufs[i];
        }
    }
    return NULL;
}

void mamori_pbuf_free(mamori_pbuf_t *pb)
{
    if (pb)
        pb->in_use = 0;
}
