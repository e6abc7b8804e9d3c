#include "posix/vwire.h"

#include "mamori/error.h"

#include <string.h>

#define ETH_HEADER_LEN 14
#define DELAY_LIMIT_MS (UINT32_C(1) << 30) /* keeps signed time differences valid */
#define ENTROPY_DOMAIN UINT64_C(0x656e74726f707921) /* separates entropy from impairment draws */

/* splitmix64 (Steele, Lea, Flood 2014): tiny, full-period and good enough
 * for a test harness; it only needs to be reproducible, not secret. */
static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, n) by multiply-shift; the bias (below 2^-32) is irrelevant here. */
static uint32_t rand_below(mamori_vwire_t *wire, uint32_t n)
{
    return (uint32_t)(((splitmix64_next(&wire->rng_state) >> 32) * n) >> 32);
}

static int chance(mamori_vwire_t *wire, uint16_t permille)
{
    return permille > 0 && rand_below(wire, 1000) < permille;
}

static int time_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static int impair_valid(const mamori_impair_t *impair)
{
    return impair->loss_permille <= 1000 && impair->dup_permille <= 1000 &&
           impair->reorder_permille <= 1000 && impair->corrupt_permille <= 1000 &&
           impair->delay_min_ms <= impair->delay_max_ms && impair->delay_max_ms < DELAY_LIMIT_MS;
}

int mamori_vwire_set_impair(mamori_vwire_t *wire, const mamori_impair_t *impair)
{
    if (!impair) {
        memset(&wire->impair, 0, sizeof wire->impair);
        return MAMORI_OK;
    }
    if (!impair_valid(impair))
        return MAMORI_ERR_INVAL;
    wire->impair = *impair;
    return MAMORI_OK;
}

int mamori_vwire_init(mamori_vwire_t *wire, uint64_t seed, const mamori_impair_t *impair)
{
    memset(wire, 0, sizeof *wire);
    wire->seed = seed;
    wire->rng_state = seed;
    return mamori_vwire_set_impair(wire, impair);
}

static mamori_vwire_slot_t *free_slot(mamori_vwire_endpoint_t *ep)
{
    for (size_t i = 0; i < MAMORI_VWIRE_QUEUE_FRAMES; i++)
        if (!ep->slots[i].used)
            return &ep->slots[i];
    return NULL;
}


/* Length of the IPv4 datagram an Ethernet frame carries (from its total
 * length field, clamped to the frame), or 0 for any other frame. */
static size_t ipv4_datagram_len(const uint8_t *frame, size_t len)
{
    if (len < ETH_HEADER_LEN + 20 || frame[12] != 0x08 || frame[13] != 0x00)
        return 0;
    size_t total = (size_t)frame[ETH_HEADER_LEN + 2] << 8 | frame[ETH_HEADER_LEN + 3];
    return total < len - ETH_HEADER_LEN ? total : len - ETH_HEADER_LEN;
}

static void queue_copy(mamori_vwire_t *wire, mamori_vwire_endpoint_t *rx, const uint8_t *frame,
                       size_t len)
{
    mamori_vwire_slot_t *slot = free_slot(rx);
    if (!slot) {
        rx->counters.overflowed++;
        return;
    }
    const mamori_impair_t *im = &wire->impair;
    uint32_t span = im->delay_max_ms - im->delay_min_ms;
    uint32_t delay = im->delay_min_ms + (span ? rand_below(wire, span + 1) : 0);
    if (chance(wire, im->reorder_permille)) {
        /* Past the longest normal delay, so anything sent from now on may overtake it. */
        delay += span + 1 + rand_below(wire, MAMORI_VWIRE_REORDER_WINDOW_MS);
        rx->counters.reordered++;
    }
    memcpy(slot->data, frame, len);
    size_t datagram = ipv4_datagram_len(frame, len);
    if (datagram && chance(wire, im->corrupt_permille)) {
        uint32_t bit = rand_below(wire, (uint32_t)datagram * 8);
        slot->data[ETH_HEADER_LEN + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        rx->counters.corrupted++;
    }
    slot->used = 1;
    slot->len = (uint16_t)len;
    slot->deliver_at = wire->now_ms + delay;
    slot->order = wire->next_order++;
    rx->queued++;
}

static void offer_copy(mamori_vwire_t *wire, mamori_vwire_endpoint_t *rx, const uint8_t *frame,
                       size_t len)
{
    if (chance(wire, wire->impair.loss_permille)) {
        rx->counters.lost++;
        return;
    }
    int copies = 1;
    if (chance(wire, wire->impair.dup_permille)) {
        rx->counters.duplicated++;
        copies = 2;
    }
    while (copies-- > 0)
        queue_copy(wire, rx, frame, len);
}

static int vwire_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    mamori_vwire_endpoint_t *tx = ctx;
    mamori_vwire_t *wire = tx->wire;
    if (len < ETH_HEADER_LEN)
        return MAMORI_ERR_INVAL;
    if (len > MAMORI_VWIRE_FRAME_MAX)
        return MAMORI_ERR_MSGSIZE;
    tx->counters.sent++;
    for (unsigned i = 0; i < wire->endpoint_count; i++)
        if (&wire->endpoints[i] != tx)
            offer_copy(wire, &wire->endpoints[i], frame, len);
    return MAMORI_OK;
}

/* The deliverable copy due earliest, ties broken by send order; NULL if none. */
static mamori_vwire_slot_t *next_due(mamori_vwire_endpoint_t *ep, uint32_t now_ms)
{
    mamori_vwire_slot_t *best = NULL;
    if (ep->queued == 0)
        return NULL;
    for (size_t i = 0; i < MAMORI_VWIRE_QUEUE_FRAMES; i++) {
        mamori_vwire_slot_t *s = &ep->slots[i];
        if (!s->used || time_before(now_ms, s->deliver_at))
            continue;
        if (!best || time_before(s->deliver_at, best->deliver_at) ||
            (s->deliver_at == best->deliver_at && s->order < best->order))
            best = s;
    }
    return best;
}

static int vwire_recv_frame(void *ctx, uint8_t *buf, size_t cap)
{
    mamori_vwire_endpoint_t *rx = ctx;
    mamori_vwire_slot_t *slot = next_due(rx, rx->wire->now_ms);
    if (!slot)
        return 0;
    slot->used = 0;
    rx->queued--;
    if (slot->len > cap) {
        rx->counters.oversized++;
        return MAMORI_ERR_BUFSIZE;
    }
    memcpy(buf, slot->data, slot->len);
    rx->counters.delivered++;
    return slot->len;
}

/* A byte stream: how the caller splits its requests does not change the bytes. */
static int vwire_entropy(void *ctx, void *buf, size_t len)
{
    mamori_vwire_endpoint_t *ep = ctx;
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i++) {
        if (ep->entropy_left == 0) {
            ep->entropy_word = splitmix64_next(&ep->entropy_state);
            ep->entropy_left = sizeof ep->entropy_word;
        }
        out[i] = (uint8_t)ep->entropy_word;
        ep->entropy_word >>= 8;
        ep->entropy_left--;
    }
    return MAMORI_OK;
}

static uint32_t vwire_now_ms(void *ctx)
{
    const mamori_vwire_endpoint_t *ep = ctx;
    return ep->wire->now_ms;
}

int mamori_vwire_attach(mamori_vwire_t *wire, mamori_port_t *port)
{
    if (wire->endpoint_count >= MAMORI_VWIRE_MAX_ENDPOINTS)
        return MAMORI_ERR_LIMIT;
    unsigned index = wire->endpoint_count++;
    mamori_vwire_endpoint_t *ep = &wire->endpoints[index];
    ep->wire = wire;
    /* One splitmix64 step decorrelates neighbouring indices and seeds. */
    uint64_t mix = wire->seed ^ ENTROPY_DOMAIN ^ ((uint64_t)index << 56);
    ep->entropy_state = splitmix64_next(&mix);

    memset(port, 0, sizeof *port);
    port->ctx = ep;
    port->send_frame = vwire_send_frame;
    port->recv_frame = vwire_recv_frame;
    port->entropy = vwire_entropy;
    port->now_ms = vwire_now_ms;
    return (int)index;
}

void mamori_vwire_set_time(mamori_vwire_t *wire, uint32_t now_ms)
{
    wire->now_ms = now_ms;
}

uint32_t mamori_vwire_next_delivery(const mamori_vwire_t *wire, uint32_t now_ms)
{
    uint32_t soonest = UINT32_MAX;
    for (unsigned e = 0; e < wire->endpoint_count; e++) {
        const mamori_vwire_endpoint_t *ep = &wire->endpoints[e];
        if (ep->queued == 0)
            continue;
        for (size_t i = 0; i < MAMORI_VWIRE_QUEUE_FRAMES; i++) {
            const mamori_vwire_slot_t *s = &ep->slots[i];
            if (!s->used)
                continue;
            if (!time_before(now_ms, s->deliver_at))
                return 0;
            if (s->deliver_at - now_ms < soonest)
                soonest = s->deliver_at - now_ms;
        }
    }
    return soonest;
}

const mamori_vwire_counters_t *mamori_vwire_counters(const mamori_vwire_t *wire, int endpoint)
{
    if (endpoint < 0 || (unsigned)endpoint >= wire->endpoint_count)
        return NULL;
    return &wire->endpoints[endpoint].counters;
}
