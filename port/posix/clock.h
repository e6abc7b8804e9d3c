/*
 * Host clocks shared by the POSIX port pieces (TAP driver, pcap writer).
 */
#ifndef MAMORI_POSIX_CLOCK_H
#define MAMORI_POSIX_CLOCK_H

#include <stdint.h>

/* Monotonic milliseconds (CLOCK_MONOTONIC); wraps after about 49 days, which
 * the core tolerates because it compares times by signed difference. */
uint32_t mamori_posix_now_ms(void);

/* The same clock in the shape of mamori_port_t.now_ms (ctx is ignored). */
uint32_t mamori_posix_port_now_ms(void *ctx);

/* Wall-clock microseconds since the Unix epoch (CLOCK_REALTIME). */
uint64_t mamori_posix_wall_us(void);

#endif
