#define _DEFAULT_SOURCE

#include "posix/clock.h"

#include <time.h>

uint32_t mamori_posix_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* Truncation to 32 bits is the intended wrap-around. */
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

uint32_t mamori_posix_port_now_ms(void *ctx)
{
    (void)ctx;
    return mamori_posix_now_ms();
}

uint64_t mamori_posix_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
