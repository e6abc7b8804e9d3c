#include "mamori/stats.h"

static const char *const stats_names[] = {
#define MAMORI_STATS_NAME(name) #name,
    MAMORI_STATS_LIST(MAMORI_STATS_NAME)
#undef MAMORI_STATS_NAME
};

const char *mamori_stats_name(size_t i) { return i < MAMORI_STATS_COUNT ? stats_names[i] : NULL; }

uint32_t mamori_stats_value(const mamori_stats_t *st, size_t i)
{
    const uint32_t *fields = (const uint32_t *)(const void *)st;
    return i < MAMORI_STATS_COUNT ? fields[i] : 0;
}
