#include "core/internal.h"

uint32_t mamori_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
    /* 16-bit big-endian words; the carries are folded in mamori_csum_finish.
     * A 32-bit accumulator cannot overflow for any frame we handle. */
    size_t i = 0;
    for (; i + 1 < len; i += 2)
        sum += (uint32_t)(data[i] << 8 | data[i + 1]);
    if (i < len)
        sum += (uint32_t)data[i] << 8;
    return sum;
}

uint16_t mamori_csum_finish(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint32_t mamori_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}
