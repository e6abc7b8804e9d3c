/*
 * A log hook for hosted ports: one line per message on stderr.
 */
#ifndef MAMORI_POSIX_LOG_H
#define MAMORI_POSIX_LOG_H

#include "mamori/port.h"

/* In the shape of mamori_port_t.log (ctx is ignored). */
void mamori_posix_log(void *ctx, mamori_log_level_t level, const char *msg);

#endif
