/*
 * An in-process virtual Ethernet wire for deterministic simulation: up to
 * MAMORI_VWIRE_MAX_ENDPOINTS stacks share one hub, so every frame an endpoint
 * sends is offered to every other endpoint (whatever its destination MAC).
 *
 * Each copy travels independently through a seeded impairment model:
 *   loss       the copy is dropped;
 *   dup        the copy is delivered twice (each with its own delay,
 *              reordering and corruption draws);
 *   reorder    the copy is held back by the delay span plus 1 to
 *              MAMORI_VWIRE_REORDER_WINDOW_MS extra milliseconds, so frames
 *              sent after it in the same millisecond always overtake it and
 *              frames sent within the window may;
 *   corrupt    one random bit is flipped inside the IPv4 datagram of an
 *              IPv4 frame (never in other frames or in Ethernet padding).
 *              This models the rare error that escapes the Ethernet FCS where
 *              the next line of defence is the stack's own: the IPv4 header
 *              checksum and the TCP/UDP/ICMP checksums detect every
 *              single-bit error, so a correct stack drops those frames. ARP
 *              has no checksum of its own and relies on the FCS, so it is
 *              not corrupted here;
 *   delay      uniform in [delay_min_ms, delay_max_ms].
 * Probabilities are per mille. All randomness comes from a PRNG owned by the
 * wire, seeded once, so the same seed and the same sequence of calls replay
 * exactly. Each endpoint's entropy is also derived from the seed and the
 * endpoint index (independently of the impairment stream), so a whole
 * simulation of several stacks replays from one number.
 *
 * Time is simulated: mamori_vwire_set_time() moves the wire clock, a copy
 * becomes deliverable at send time + its delay, recv_frame returns the
 * deliverable copy due earliest (ties in send order) and now_ms returns the
 * wire clock. Times are 32-bit milliseconds compared by signed difference.
 *
 * The wire holds every queued frame in static arrays (several megabytes with
 * the defaults): give it static storage, not the stack.
 */
#ifndef MAMORI_POSIX_VWIRE_H
#define MAMORI_POSIX_VWIRE_H

#include "mamori/port.h"

#include <stddef.h>
#include <stdint.h>

#ifndef MAMORI_VWIRE_MAX_ENDPOINTS
#define MAMORI_VWIRE_MAX_ENDPOINTS 8
#endif
#ifndef MAMORI_VWIRE_QUEUE_FRAMES
#define MAMORI_VWIRE_QUEUE_FRAMES 256 /* per receiving endpoint */
#endif
#ifndef MAMORI_VWIRE_FRAME_MAX
#define MAMORI_VWIRE_FRAME_MAX 1518 /* Ethernet with a VLAN tag, without FCS */
#endif
#ifndef MAMORI_VWIRE_REORDER_WINDOW_MS
#define MAMORI_VWIRE_REORDER_WINDOW_MS 20
#endif

typedef struct {
    uint16_t loss_permille;
    uint16_t dup_permille;
    uint16_t reorder_permille;
    uint16_t corrupt_permille;
    uint32_t delay_min_ms;
    uint32_t delay_max_ms;
} mamori_impair_t;

/* sent counts at the sender; everything else at the receiving endpoint, per
 * copy (so one frame on a wire of N endpoints can be lost up to N-1 times). */
typedef struct {
    uint32_t sent;       /* frames accepted by send_frame */
    uint32_t delivered;  /* copies returned by recv_frame */
    uint32_t lost;       /* copies dropped by the loss model */
    uint32_t duplicated; /* copies that were queued twice */
    uint32_t reordered;  /* copies held back to be overtaken */
    uint32_t corrupted;  /* copies with a flipped bit */
    uint32_t overflowed; /* copies dropped because the receive queue was full */
    uint32_t oversized;  /* copies dropped because recv_frame's buffer was too small */
} mamori_vwire_counters_t;

typedef struct mamori_vwire mamori_vwire_t;

typedef struct {
    uint8_t used;
    uint16_t len;
    uint32_t deliver_at;
    uint64_t order; /* send order, to break ties in deliver_at */
    uint8_t data[MAMORI_VWIRE_FRAME_MAX];
} mamori_vwire_slot_t;

typedef struct {
    mamori_vwire_t *wire;
    uint64_t entropy_state;
    uint64_t entropy_word; /* unused bytes of the last draw, low byte first */
    uint8_t entropy_left;
    uint32_t queued;
    mamori_vwire_counters_t counters;
    mamori_vwire_slot_t slots[MAMORI_VWIRE_QUEUE_FRAMES];
} mamori_vwire_endpoint_t;

struct mamori_vwire {
    uint64_t seed;
    uint64_t rng_state;
    uint64_t next_order;
    uint32_t now_ms;
    unsigned endpoint_count;
    mamori_impair_t impair;
    mamori_vwire_endpoint_t endpoints[MAMORI_VWIRE_MAX_ENDPOINTS];
};

/* Empties the wire, sets its clock to 0 and seeds it. impair may be NULL for
 * a perfect wire. Returns 0 or MAMORI_ERR_INVAL (a permille above 1000,
 * delay_min_ms above delay_max_ms, or delay_max_ms of 2^30 or more). */
int mamori_vwire_init(mamori_vwire_t *wire, uint64_t seed, const mamori_impair_t *impair);

/* Changes the impairments from now on (queued frames keep their fate). */
int mamori_vwire_set_impair(mamori_vwire_t *wire, const mamori_impair_t *impair);

/* Adds an endpoint and fills port for it (log and lock hooks left NULL).
 * Returns the endpoint index (0, 1, ...) or MAMORI_ERR_LIMIT when full. */
int mamori_vwire_attach(mamori_vwire_t *wire, mamori_port_t *port);

/* Sets the simulated clock. */
void mamori_vwire_set_time(mamori_vwire_t *wire, uint32_t now_ms);

/* Milliseconds from now_ms until the next queued copy (for any endpoint)
 * becomes deliverable: 0 if one already is, UINT32_MAX if nothing is queued. */
uint32_t mamori_vwire_next_delivery(const mamori_vwire_t *wire, uint32_t now_ms);

/* The counters of one endpoint, or NULL for an index not attached. */
const mamori_vwire_counters_t *mamori_vwire_counters(const mamori_vwire_t *wire, int endpoint);

#endif
