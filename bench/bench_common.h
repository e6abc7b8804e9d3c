/* What the side-by-side benchmarks share: failing, the clock they time
 * with and the entropy they seed mamori's DRBG from. Each benchmark is one
 * program built by its script; include once per program, after defining
 * _POSIX_C_SOURCE and BENCH_NAME (the program's name). */
#ifndef MAMORI_BENCH_COMMON_H
#define MAMORI_BENCH_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Prints "BENCH_NAME: " and the message to stderr and exits with status 1.
 * Not static: other files of the program may call it. */
_Noreturn void die(const char *fmt, ...);
_Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(BENCH_NAME ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Thread CPU time by default: the machine is shared, and time spent
 * descheduled is not the library's. --wall switches to CLOCK_MONOTONIC. */
static clockid_t clock_id = CLOCK_THREAD_CPUTIME_ID;

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* In the shape of mamori's entropy callbacks (ctx is ignored). */
static inline int urandom(void *ctx, void *buf, size_t len)
{
    (void)ctx;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f == NULL)
        return -1;
    size_t got = fread(buf, 1, len, f);
    fclose(f);
    return got == len ? 0 : -1;
}

#endif
