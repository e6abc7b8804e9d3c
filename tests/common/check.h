/*
 * Minimal test assertions. A test program calls CHECK*(); at exit it calls
 * check_summary(), which prints "N passed, N failed" and returns the exit
 * status (non-zero if anything failed).
 */
#ifndef MAMORI_TEST_CHECK_H
#define MAMORI_TEST_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern unsigned check_passed, check_failed;

void check_fail_at(const char *file, int line, const char *expr);
int check_summary(const char *name);
void check_hexdump(const char *label, const void *p, size_t n);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond)                                                                                  \
            check_passed++;                                                                        \
        else                                                                                       \
            check_fail_at(__FILE__, __LINE__, #cond);                                              \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                            \
        if (check_a_ == check_b_)                                                                  \
            check_passed++;                                                                        \
        else {                                                                                     \
            check_fail_at(__FILE__, __LINE__, #a " == " #b);                                       \
            fprintf(stderr, "    got %lld, expected %lld\n", check_a_, check_b_);                  \
        }                                                                                          \
    } while (0)

#define CHECK_MEM(a, b, n)                                                                         \
    do {                                                                                           \
        if (memcmp((a), (b), (n)) == 0)                                                            \
            check_passed++;                                                                        \
        else {                                                                                     \
            check_fail_at(__FILE__, __LINE__, "memcmp(" #a ", " #b ")");                           \
            check_hexdump("got", (a), (n));                                                        \
            check_hexdump("expected", (b), (n));                                                   \
        }                                                                                          \
    } while (0)

/* Decodes hex into out (capacity cap); returns the byte count or -1. */
long hex_decode(const char *hex, uint8_t *out, size_t cap);

#endif
