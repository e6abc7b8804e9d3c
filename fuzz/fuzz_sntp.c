/*
 * libFuzzer harness: arbitrary NTP replies into the SNTP parser, with the
 * origin timestamp taken from the input itself (so the checks after the
 * origin check are reached) and a round trip from its first byte.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app/sntp_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t origin[8] = {0};
    if (size >= 32)
        memcpy(origin, data + 24, 8);
    uint64_t unix_ms = 0;
    uint32_t kiss = 0;
    uint32_t rtt = size ? data[0] * 16u : 0;
    if (mamori_sntp_parse(data, size, origin, rtt, &unix_ms, &kiss) == SNTP_PARSE_OK &&
        unix_ms < (uint64_t)MAMORI_SNTP_MIN_UNIX_S * 1000u)
        __builtin_trap();
    return 0;
}
