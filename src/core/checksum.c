#include <string.h>

#include "core/internal.h"

/* The machine word summed per step: 64 bits where the registers are, 32 on
 * 32-bit cores (Cortex-M). */
#if UINTPTR_MAX > 0xffffffffu
typedef uint64_t csum_word_t;
#else
typedef uint32_t csum_word_t;
#endif

static bool little_endian(void)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* RFC 1071 §2: 2^16 = 1 modulo 2^16 - 1, so whole native words can be added
 * (each carry out of the word counted once, added back at the end), and the
 * sum of native-order words is the byte-swapped sum of big-endian 16-bit
 * words (§2(B)), corrected by one swap of the folded result. Words are read
 * through memcpy, so data may have any alignment. */
uint32_t mamori_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
    csum_word_t acc = 0, carries = 0, w;
    for (; len >= sizeof w; data += sizeof w, len -= sizeof w) {
        memcpy(&w, data, sizeof w);
        acc += w;
        carries += acc < w;
    }
    /* The tail, padded with zeros on the right (an odd last byte is the high
     * byte of its 16-bit word). */
    uint8_t tail[sizeof w] = {0};
    memcpy(tail, data, len);
    memcpy(&w, tail, sizeof w);
    acc += w;
    carries += acc < w;

    uint64_t folded = ((uint64_t)acc & 0xffffffffu) + ((uint64_t)acc >> 32) + carries;
    while (folded >> 16)
        folded = (folded & 0xffff) + (folded >> 16);
    if (little_endian())
        folded = (folded >> 8 | folded << 8) & 0xffff;
    return sum + (uint32_t)folded;
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
