/*
 * IPv4 fragment reassembly (RFC 791 §3.2, RFC 815) into bounded slots.
 *
 * Defences: a fragment that overlaps data already received is treated as an
 * attack and the whole datagram is dropped (exact duplicates, as sent by a
 * retransmitting link, are ignored instead); a datagram that would exceed
 * 65535 bytes or the slot size is dropped; every slot has a deadline.
 */
#include <string.h>

#include "net/net_internal.h"

#if MAMORI_IP4_REASSEMBLY

#define IP4_FLAG_MF 0x2000
#define IP4_OFFSET_MASK 0x1fff
#define IP4_MAX_PAYLOAD (65535u - MAMORI_IP4_HDR_LEN)

static bool block_seen(const mamori_ip4_reass_t *r, size_t block)
{
    return (r->map[block / 8] >> (block % 8)) & 1;
}

/* True if any block at or after `block` has been received. */
static bool seen_from(const mamori_ip4_reass_t *r, size_t block)
{
    for (size_t b = block; b < (MAMORI_IP4_REASS_MAX + 7) / 8; b++)
        if (block_seen(r, b))
            return true;
    return false;
}

static void release(mamori_ip4_reass_t *r) { r->used = 0; }

static mamori_ip4_reass_t *find_slot(mamori_stack_t *s, const mamori_ip4_info_t *info, uint16_t id)
{
    mamori_ip4_reass_t *free_slot = NULL;
    for (size_t i = 0; i < MAMORI_IP4_REASS_SLOTS; i++) {
        mamori_ip4_reass_t *r = &s->ip4.reass[i];
        if (r->used && r->src == info->src && r->dst == info->dst && r->id == id && r->proto == info->proto)
            return r;
        if (!r->used && !free_slot)
            free_slot = r;
    }
    if (!free_slot)
        return NULL;
    memset(free_slot->map, 0, sizeof free_slot->map);
    free_slot->used = 1;
    free_slot->src = info->src;
    free_slot->dst = info->dst;
    free_slot->id = id;
    free_slot->proto = info->proto;
    free_slot->total = 0;
    free_slot->received = 0;
    free_slot->have_first = 0;
    free_slot->deadline = s->now + MAMORI_IP4_REASS_TIMEOUT_MS;
    return free_slot;
}

/* Returns 1 if the range is new, 0 if it repeats received data exactly,
 * -1 if it overlaps received data in any other way. */
static int classify_range(const mamori_ip4_reass_t *r, size_t off, size_t len, const uint8_t *data)
{
    size_t first = off / 8, last = (off + len + 7) / 8;
    size_t seen = 0;
    for (size_t b = first; b < last; b++)
        seen += block_seen(r, b);
    if (seen == 0)
        return 1;
    if (seen == last - first && memcmp(r->data + off, data, len) == 0)
        return 0;
    return -1;
}

void mamori_ip4_reass_input(mamori_stack_t *s, const mamori_ip4_info_t *info, uint16_t id,
                            uint16_t frag_field, mamori_rd_t *payload)
{
    MAMORI_COUNT(s, ip_frag_rx);
    size_t off = (size_t)(frag_field & IP4_OFFSET_MASK) * 8;
    size_t len = mamori_rd_left(payload);
    bool more = (frag_field & IP4_FLAG_MF) != 0;
    if (off + len > IP4_MAX_PAYLOAD) {
        MAMORI_COUNT(s, ip_frag_drop_too_long);
        mamori_ip4_reass_t *r = find_slot(s, info, id);
        if (r)
            release(r);
        return;
    }
    /* Every fragment but the last carries a non-empty multiple of 8 bytes. */
    if (more && (len == 0 || len % 8 != 0)) {
        MAMORI_COUNT(s, ip_rx_drop_len);
        return;
    }
    mamori_ip4_reass_t *r = find_slot(s, info, id);
    if (!r) {
        MAMORI_COUNT(s, ip_frag_drop_nobuf);
        return;
    }
    if (off + len > MAMORI_IP4_REASS_MAX) {
        MAMORI_COUNT(s, ip_frag_drop_nobuf);
        release(r);
        return;
    }
    const uint8_t *data = mamori_rd_take(payload, len);
    bool bad_end = (!more && r->total && r->total != off + len) || (r->total && off + len > r->total) ||
                   (!more && seen_from(r, (off + len + 7) / 8));
    int kind = bad_end ? -1 : classify_range(r, off, len, data);
    if (kind < 0) {
        MAMORI_COUNT(s, ip_frag_drop_overlap);
        release(r);
        return;
    }
    if (kind == 0)
        return;
    if (len)
        memcpy(r->data + off, data, len);
    for (size_t b = off / 8; b < (off + len + 7) / 8; b++)
        r->map[b / 8] |= (uint8_t)(1u << (b % 8));
    r->received = (uint16_t)(r->received + len);
    if (!more)
        r->total = (uint16_t)(off + len);
    if (off == 0) {
        memcpy(r->hdr, info->hdr, MAMORI_IP4_HDR_LEN);
        r->have_first = 1;
    }
    if (!r->total || r->received != r->total)
        return;
    MAMORI_COUNT(s, ip_frag_reassembled);
    mamori_ip4_info_t whole = *info;
    whole.hdr = r->hdr;
    whole.hdr_len = MAMORI_IP4_HDR_LEN;
    mamori_rd_t datagram;
    mamori_rd_init(&datagram, r->data, r->total);
    mamori_ip4_deliver(s, &whole, &datagram);
    release(r);
}

uint32_t mamori_ip4_reass_timer(mamori_stack_t *s)
{
    uint32_t next = MAMORI_NO_DEADLINE;
    for (size_t i = 0; i < MAMORI_IP4_REASS_SLOTS; i++) {
        mamori_ip4_reass_t *r = &s->ip4.reass[i];
        if (!r->used)
            continue;
        if (!mamori_time_before(s->now, r->deadline)) {
            MAMORI_COUNT(s, ip_frag_drop_timeout);
            release(r);
            continue;
        }
        next = mamori_min_u32(next, r->deadline - s->now);
    }
    return next;
}

#endif
