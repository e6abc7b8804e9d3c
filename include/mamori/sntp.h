/*
 * SNTP client (RFC 4330, client mode of RFC 5905) and the wall clock it
 * sets. A reply is accepted only from the server and port asked, echoing the
 * random transmit timestamp of the request (RFC 5905 §8 origin check), from
 * a synchronised server (leap indicator, stratum 1-15) with sane root delay
 * and dispersion and a time after MAMORI_SNTP_MIN_UNIX_S. Kiss-o'-Death
 * (RFC 5905 §7.4): RATE slows the client down, DENY and RSTR stop it.
 *
 *   static mamori_sntp_t sntp;
 *   mamori_sntp_start(&sntp, &stack, MAMORI_IP4(198,18,0,1));
 *   ... in the poll loop, right after mamori_poll():
 *   wait = min(wait, mamori_sntp_poll(&sntp, now));
 *   ... and where the time is needed (certificate validity):
 *   if (mamori_wallclock_get(mamori_sntp_clock(&sntp), now, &unix_s) == 0) ...
 *
 * The poll returns the milliseconds until its next deadline, 0 after
 * sending a request.
 */
#ifndef MAMORI_SNTP_H
#define MAMORI_SNTP_H

#include <stdbool.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/net.h"

/* Wall-clock time as an offset to the stack's millisecond clock, in 32-bit
 * arithmetic (Unix seconds until 2106). */
typedef struct {
    uint32_t unix_s; /* wall time at base, whole seconds */
    uint32_t base;   /* stack time (ms) of unix_s */
    bool valid;
} mamori_wallclock_t;

/* Sets the clock: at stack time now_ms, the Unix time is unix_s seconds and
 * ms milliseconds (ms less than 2^31). */
void mamori_wallclock_set(mamori_wallclock_t *wc, uint32_t now_ms, uint32_t unix_s, uint32_t ms);
/* Unix seconds at stack time now_ms; MAMORI_ERR_STATE while unsynchronised.
 * now_ms must be within 24 days of the last set (mamori_sntp_poll()
 * re-bases the clock at every call). */
int mamori_wallclock_get(const mamori_wallclock_t *wc, uint32_t now_ms, uint64_t *unix_seconds);

typedef enum {
    MAMORI_SNTP_OFF = 0,
    MAMORI_SNTP_IDLE,    /* waiting until the next request */
    MAMORI_SNTP_WAITING, /* request sent */
    MAMORI_SNTP_DENIED,  /* the server sent DENY or RSTR: stopped */
} mamori_sntp_state_t;

typedef struct {
    mamori_stack_t *stack;
    mamori_udp_t sock;
    mamori_wallclock_t clock;
    uint32_t server;
    uint32_t deadline;    /* next request, or end of the wait for a reply */
    uint32_t sent_at;     /* stack time of the request */
    uint32_t interval_ms; /* between synchronisations */
    uint32_t retry_ms;    /* after a failure; doubles up to interval_ms */
    uint8_t state;
    uint8_t stratum; /* of the last accepted reply */
    uint8_t origin[8]; /* the transmit timestamp sent: random */
    uint8_t ring[128];
} mamori_sntp_t;

/* Starts synchronising with server (first request at the next poll). */
int mamori_sntp_start(mamori_sntp_t *c, mamori_stack_t *s, uint32_t server);
void mamori_sntp_stop(mamori_sntp_t *c);
uint32_t mamori_sntp_poll(mamori_sntp_t *c, uint32_t now_ms);
mamori_sntp_state_t mamori_sntp_state(const mamori_sntp_t *c);
const mamori_wallclock_t *mamori_sntp_clock(const mamori_sntp_t *c);

#endif
