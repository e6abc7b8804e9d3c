#include "posix/log.h"

#include <stdio.h>

static const char *level_name(mamori_log_level_t level)
{
    switch (level) {
    case MAMORI_LOG_ERROR:
        return "error";
    case MAMORI_LOG_WARN:
        return "warn";
    case MAMORI_LOG_INFO:
        return "info";
    case MAMORI_LOG_DEBUG:
        return "debug";
    }
    return "?";
}

void mamori_posix_log(void *ctx, mamori_log_level_t level, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "mamori %s: %s\n", level_name(level), msg);
}
