/* Core services shared by every layer: pbufs, time, randomness, logging,
 * token buckets and the Internet checksum. Not part of the public API. */
#ifndef MAMORI_CORE_INTERNAL_H
#define MAMORI_CORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/error.h"
#include "mamori/stack.h"

#define MAMORI_NO_DEADLINE UINT32_MAX

/* Wrap-safe time comparison on the 32-bit millisecond clock: true when a is
 * before b (valid for instants less than 2^31 ms, about 24 days, apart). */
static inline bool mamori_time_before(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
/* Milliseconds from now until deadline, 0 if it has passed. */
static inline uint32_t mamori_time_until(uint32_t now, uint32_t deadline)
{
    return mamori_time_before(now, deadline) ? deadline - now : 0;
}
static inline uint32_t mamori_min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

#define MAMORI_COUNT(s, name) ((s)->stats.name++)

mamori_pbuf_t *mamori_pbuf_alloc(mamori_stack_t *s);
void mamori_pbuf_free(mamori_pbuf_t *pb);

/* Seeds the stack's random source from the port; fails closed. */
int mamori_random_init(mamori_stack_t *s);
/* Random bytes for everything that must be unpredictable. */
int mamori_random(mamori_stack_t *s, void *buf, size_t len);
uint32_t mamori_random32(mamori_stack_t *s);
/* Uniform in [lo, hi]. */
uint32_t mamori_random_range(mamori_stack_t *s, uint32_t lo, uint32_t hi);
/* Unpredictable 16-bit values at a per-packet rate (IPv4 IDs): SipHash-2-4
 * of a counter, keyed from mamori_random. */
uint16_t mamori_random_id16(mamori_stack_t *s);
uint64_t mamori_siphash24_u64(const uint64_t key[2], uint64_t m);

void mamori_log_emit(mamori_stack_t *s, mamori_log_level_t level, const char *msg);
#define MAMORI_LOG(s, level, msg)                                                                  \
    do {                                                                                           \
        if ((level) <= MAMORI_LOG_LEVEL)                                                           \
            mamori_log_emit((s), (level), (msg));                                                  \
    } while (0)

void mamori_bucket_init(mamori_bucket_t *b, uint32_t rate_per_s, uint32_t burst, uint32_t now);
/* Takes one token; false when the bucket is empty (the event is limited). */
bool mamori_bucket_take(mamori_bucket_t *b, uint32_t now);

/* RFC 1071 Internet checksum: accumulate, then fold and complement. A sum
 * may be carried over several chunks of one message; every chunk but the
 * last must have even length (an odd last byte is padded with a zero). Each
 * call adds at most 0xffff to sum. */
uint32_t mamori_csum_add(uint32_t sum, const uint8_t *data, size_t len);
uint16_t mamori_csum_finish(uint32_t sum);
/* The IPv4 pseudo-header sum for UDP/TCP (RFC 768, RFC 9293 §3.1). */
uint32_t mamori_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

#endif
