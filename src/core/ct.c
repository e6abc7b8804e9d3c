#include "mamori/ct.h"

#include <string.h>

int mamori_ct_equal(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *pa = a;
    const volatile uint8_t *pb = b;
    uint32_t diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (uint32_t)(pa[i] ^ pb[i]);
    return (int)mamori_ct_is_zero32(diff);
}

void mamori_zeroize(void *p, size_t n)
{
#if defined(__GNUC__)
    /* memset at full width; the empty asm that may read p keeps the
     * compiler from dropping it as a dead store. */
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    volatile uint8_t *vp = p;
    while (n--)
        *vp++ = 0;
#endif
}

void mamori_ct_copy(uint32_t ctl, void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    uint8_t mask = (uint8_t)(0u - ctl);
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(d[i] ^ (mask & (d[i] ^ s[i])));
}
