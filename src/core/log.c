#include "core/internal.h"

void mamori_log_emit(mamori_stack_t *s, mamori_log_level_t level, const char *msg)
{
    if (s->port && s->port->log)
        s->port->log(s->port->ctx, level, msg);
}
