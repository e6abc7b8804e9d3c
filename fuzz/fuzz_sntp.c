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
    mamori_sntp_reply_t r = {0};
    uint32_t rtt = size ? data[0] * 16u : 0;
    if (mamori_sntp_parse(data, size, origin, rtt, &r) == SNTP_PARSE_OK &&
        (r.unix_s < MAMORI_SNTP_MIN_UNIX_S || r.ms >= 1000u + rtt / 2))
        __builtin_trap();
    return 0;
}
