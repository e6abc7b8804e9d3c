/*
 * ARP (RFC 826) with a bounded cache, retries with backoff, a bounded queue
 * of packets awaiting resolution, and IPv4 address conflict detection
 * (RFC 5227): probing before use, announcements, and defence.
 */
#include <string.h>

#include "net/net_internal.h"

enum { ARP_REQUEST = 1, ARP_REPLY = 2 };

/* RFC 5227 §1.1 constants, in ms. */
#define PROBE_WAIT 1000u
#define PROBE_NUM 3
#define PROBE_MIN 1000u
#define PROBE_MAX 2000u
#define ANNOUNCE_WAIT 2000u
#define ANNOUNCE_NUM 2
#define ANNOUNCE_INTERVAL 2000u

static int arp_send(mamori_stack_t *s, uint16_t op, const uint8_t eth_dst[6], uint32_t sender_ip,
                    const uint8_t target_mac[6], uint32_t target_ip)
{
    mamori_pbuf_t *pb = mamori_pbuf_alloc(s);
    if (!pb) {
        MAMORI_COUNT(s, eth_tx_drop_nobuf);
        return MAMORI_ERR_NOMEM;
    }
    mamori_wr_t wr;
    mamori_wr_init(&wr, pb->data + MAMORI_ETH_HDR_LEN, MAMORI_MTU);
    mamori_wr_be16(&wr, 1); /* hardware: Ethernet */
    mamori_wr_be16(&wr, MAMORI_ETHERTYPE_IP4);
    mamori_wr_u8(&wr, 6);
    mamori_wr_u8(&wr, 4);
    mamori_wr_be16(&wr, op);
    mamori_wr_bytes(&wr, s->mac, 6);
    mamori_wr_be32(&wr, sender_ip);
    mamori_wr_bytes(&wr, target_mac, 6);
    mamori_wr_be32(&wr, target_ip);
    pb->len = (uint16_t)(MAMORI_ETH_HDR_LEN + wr.pos);
    return mamori_eth_output(s, pb, eth_dst, MAMORI_ETHERTYPE_ARP);
}

static const uint8_t zero_mac[6];

static void send_request(mamori_stack_t *s, uint32_t ip)
{
    MAMORI_COUNT(s, arp_tx_requests);
    (void)arp_send(s, ARP_REQUEST, mamori_eth_broadcast, s->ip4.addr, zero_mac, ip);
}

/* An announcement is a request with sender and target both our address
 * (RFC 5227 §2.3); a probe has sender 0.0.0.0 (§2.1.1). */
static void send_announce(mamori_stack_t *s)
{
    MAMORI_COUNT(s, arp_tx_announce);
    (void)arp_send(s, ARP_REQUEST, mamori_eth_broadcast, s->ip4.addr, zero_mac, s->ip4.addr);
}

static void send_probe(mamori_stack_t *s)
{
    MAMORI_COUNT(s, arp_tx_probe);
    (void)arp_send(s, ARP_REQUEST, mamori_eth_broadcast, 0, zero_mac, s->ip4.candidate);
}

static mamori_arp_entry_t *find_entry(mamori_stack_t *s, uint32_t ip)
{
    for (size_t i = 0; i < MAMORI_ARP_CACHE_SIZE; i++)
        if (s->arp.cache[i].state != MAMORI_ARP_FREE && s->arp.cache[i].ip == ip)
            return &s->arp.cache[i];
    return NULL;
}

static void drop_pending(mamori_stack_t *s, uint32_t ip)
{
    for (size_t i = 0; i < MAMORI_ARP_QUEUE_LEN; i++) {
        mamori_arp_pending_t *p = &s->arp.pending[i];
        if (p->pbuf && p->next_hop == ip) {
            mamori_pbuf_free(p->pbuf);
            p->pbuf = NULL;
            MAMORI_COUNT(s, arp_queue_drop);
        }
    }
}

static void send_pending(mamori_stack_t *s, const mamori_arp_entry_t *e)
{
    for (size_t i = 0; i < MAMORI_ARP_QUEUE_LEN; i++) {
        mamori_arp_pending_t *p = &s->arp.pending[i];
        if (p->pbuf && p->next_hop == e->ip) {
            mamori_pbuf_t *pb = p->pbuf;
            p->pbuf = NULL;
            (void)mamori_eth_output(s, pb, e->mac, MAMORI_ETHERTYPE_IP4);
        }
    }
}

/* A free entry, or else the one closest to expiry (resolved entries are
 * preferred as victims: their packets are not queued). */
static mamori_arp_entry_t *alloc_entry(mamori_stack_t *s)
{
    mamori_arp_entry_t *victim = NULL;
    for (size_t i = 0; i < MAMORI_ARP_CACHE_SIZE; i++) {
        mamori_arp_entry_t *e = &s->arp.cache[i];
        if (e->state == MAMORI_ARP_FREE)
            return e;
        if (!victim || (e->state == MAMORI_ARP_REACHABLE && victim->state != MAMORI_ARP_REACHABLE) ||
            (e->state == victim->state && mamori_time_before(e->deadline, victim->deadline)))
            victim = e;
    }
    MAMORI_COUNT(s, arp_cache_evictions);
    if (victim->state == MAMORI_ARP_INCOMPLETE)
        drop_pending(s, victim->ip);
    victim->state = MAMORI_ARP_FREE;
    return victim;
}

static void learn(mamori_stack_t *s, mamori_arp_entry_t *e, uint32_t ip, const uint8_t mac[6])
{
    bool was_incomplete = e->state == MAMORI_ARP_INCOMPLETE;
    e->ip = ip;
    memcpy(e->mac, mac, 6);
    e->state = MAMORI_ARP_REACHABLE;
    e->deadline = s->now + MAMORI_ARP_TTL_MS;
    if (was_incomplete)
        send_pending(s, e);
}

static bool usable_unicast_ip(uint32_t ip) { return ip != 0 && ip < MAMORI_IP4(224, 0, 0, 0); }

static void give_up_address(mamori_stack_t *s, uint32_t addr, const uint8_t other_mac[6])
{
    MAMORI_COUNT(s, arp_conflicts);
    MAMORI_LOG(s, MAMORI_LOG_WARN, "arp: IPv4 address conflict, address given up");
    s->ip4.addr = 0;
    s->ip4.candidate = 0;
    s->ip4.state = MAMORI_ADDR_NONE;
    if (s->ip4.on_addr_event)
        s->ip4.on_addr_event(s, MAMORI_ADDR_EVENT_CONFLICT, addr, other_mac);
}

/* RFC 5227 §2.1.1 (while probing) and §2.4 (while bound). Returns true when
 * the packet was a conflict and has been dealt with. */
static bool check_conflict(mamori_stack_t *s, uint16_t op, const uint8_t *smac, uint32_t sip, uint32_t tip)
{
    if (memcmp(smac, s->mac, 6) == 0)
        return false;
    if (s->ip4.state == MAMORI_ADDR_PROBING) {
        uint32_t cand = s->ip4.candidate;
        if (sip == cand || (op == ARP_REQUEST && sip == 0 && tip == cand)) {
            give_up_address(s, cand, smac);
            return true;
        }
        return false;
    }
    if (s->ip4.state != MAMORI_ADDR_BOUND || sip != s->ip4.addr)
        return false;
    bool recent = s->arp.defended && mamori_time_before(s->now, s->arp.last_defend + MAMORI_ARP_DEFEND_INTERVAL_MS);
    if (recent && !MAMORI_ARP_DEFEND_FOREVER) {
        give_up_address(s, s->ip4.addr, smac);
        return true;
    }
    MAMORI_COUNT(s, arp_conflicts);
    MAMORI_LOG(s, MAMORI_LOG_WARN, "arp: defending our IPv4 address");
    s->arp.defended = true;
    s->arp.last_defend = s->now;
    send_announce(s);
    return true;
}

void mamori_arp_input(mamori_stack_t *s, mamori_rd_t *rd)
{
    MAMORI_COUNT(s, arp_rx);
    uint16_t htype = mamori_rd_be16(rd);
    uint16_t ptype = mamori_rd_be16(rd);
    uint8_t hlen = mamori_rd_u8(rd);
    uint8_t plen = mamori_rd_u8(rd);
    uint16_t op = mamori_rd_be16(rd);
    const uint8_t *smac = mamori_rd_take(rd, 6);
    uint32_t sip = mamori_rd_be32(rd);
    mamori_rd_skip(rd, 6); /* target MAC */
    uint32_t tip = mamori_rd_be32(rd);
    if (!mamori_rd_ok(rd) || htype != 1 || ptype != MAMORI_ETHERTYPE_IP4 || hlen != 6 || plen != 4 ||
        (smac[0] & 1)) {
        MAMORI_COUNT(s, arp_rx_drop_malformed);
        return;
    }
    if (op != ARP_REQUEST && op != ARP_REPLY) {
        MAMORI_COUNT(s, arp_rx_drop_op);
        return;
    }
    if (check_conflict(s, op, smac, sip, tip))
        return;
    if (!usable_unicast_ip(sip) || memcmp(smac, s->mac, 6) == 0)
        return;
    /* RFC 826 merge: refresh a known sender; learn it if we are the target. */
    mamori_arp_entry_t *e = find_entry(s, sip);
    bool for_us = s->ip4.state == MAMORI_ADDR_BOUND && tip == s->ip4.addr;
    if (e)
        learn(s, e, sip, smac);
    else if (for_us)
        learn(s, alloc_entry(s), sip, smac);
    if (for_us && op == ARP_REQUEST) {
        MAMORI_COUNT(s, arp_tx_replies);
        (void)arp_send(s, ARP_REPLY, smac, s->ip4.addr, smac, sip);
    }
}

int mamori_arp_output(mamori_stack_t *s, mamori_pbuf_t *pb, uint32_t next_hop)
{
    mamori_arp_entry_t *e = find_entry(s, next_hop);
    if (e && e->state == MAMORI_ARP_REACHABLE)
        return mamori_eth_output(s, pb, e->mac, MAMORI_ETHERTYPE_IP4);
    size_t slot = MAMORI_ARP_QUEUE_LEN;
    for (size_t i = 0; i < MAMORI_ARP_QUEUE_LEN && slot == MAMORI_ARP_QUEUE_LEN; i++)
        if (!s->arp.pending[i].pbuf)
            slot = i;
    if (slot == MAMORI_ARP_QUEUE_LEN) {
        MAMORI_COUNT(s, arp_queue_drop);
        mamori_pbuf_free(pb);
        return MAMORI_ERR_NOMEM;
    }
    s->arp.pending[slot].pbuf = pb;
    s->arp.pending[slot].next_hop = next_hop;
    if (!e) {
        e = alloc_entry(s);
        e->ip = next_hop;
        e->state = MAMORI_ARP_INCOMPLETE;
        e->tries = 1;
        e->deadline = s->now + MAMORI_ARP_RETRY_MS;
        send_request(s, next_hop);
    }
    return MAMORI_OK;
}

static uint32_t acd_timer(mamori_stack_t *s)
{
    if (s->ip4.state == MAMORI_ADDR_NONE)
        return MAMORI_NO_DEADLINE;
    if (s->ip4.state == MAMORI_ADDR_BOUND && s->arp.acd_announces_left == 0)
        return MAMORI_NO_DEADLINE;
    if (mamori_time_before(s->now, s->arp.acd_deadline))
        return s->arp.acd_deadline - s->now;
    if (s->ip4.state == MAMORI_ADDR_PROBING) {
        if (s->arp.acd_probes_left) {
            send_probe(s);
            s->arp.acd_probes_left--;
            s->arp.acd_deadline = s->now + (s->arp.acd_probes_left ? mamori_random_range(s, PROBE_MIN, PROBE_MAX)
                                                                   : ANNOUNCE_WAIT);
            return s->arp.acd_deadline - s->now;
        }
        s->ip4.addr = s->ip4.candidate;
        s->ip4.state = MAMORI_ADDR_BOUND;
        s->arp.acd_announces_left = ANNOUNCE_NUM;
        if (s->ip4.on_addr_event)
            s->ip4.on_addr_event(s, MAMORI_ADDR_EVENT_BOUND, s->ip4.addr, NULL);
    }
    send_announce(s);
    s->arp.acd_announces_left--;
    s->arp.acd_deadline = s->now + ANNOUNCE_INTERVAL;
    return s->arp.acd_announces_left ? ANNOUNCE_INTERVAL : MAMORI_NO_DEADLINE;
}

void mamori_arp_start_acd(mamori_stack_t *s, bool probe)
{
    s->arp.defended = false;
    if (probe) {
        s->arp.acd_probes_left = PROBE_NUM;
        s->arp.acd_deadline = s->now + mamori_random_range(s, 0, PROBE_WAIT);
    } else {
        s->arp.acd_announces_left = ANNOUNCE_NUM;
        s->arp.acd_deadline = s->now; /* first announcement at the next poll */
    }
}

void mamori_arp_flush(mamori_stack_t *s)
{
    for (size_t i = 0; i < MAMORI_ARP_CACHE_SIZE; i++) {
        if (s->arp.cache[i].state == MAMORI_ARP_INCOMPLETE)
            drop_pending(s, s->arp.cache[i].ip);
        s->arp.cache[i].state = MAMORI_ARP_FREE;
    }
}

uint32_t mamori_arp_timer(mamori_stack_t *s)
{
    uint32_t next = acd_timer(s);
    for (size_t i = 0; i < MAMORI_ARP_CACHE_SIZE; i++) {
        mamori_arp_entry_t *e = &s->arp.cache[i];
        if (e->state == MAMORI_ARP_FREE)
            continue;
        if (!mamori_time_before(s->now, e->deadline)) {
            if (e->state == MAMORI_ARP_REACHABLE) {
                e->state = MAMORI_ARP_FREE; /* TTL over: resolve afresh on next use */
                continue;
            }
            if (e->tries >= MAMORI_ARP_MAX_TRIES) {
                MAMORI_COUNT(s, arp_resolve_fail);
                drop_pending(s, e->ip);
                e->state = MAMORI_ARP_FREE;
                continue;
            }
            /* Exponential backoff between requests: RETRY, 2x, 4x, ... */
            e->deadline = s->now + (MAMORI_ARP_RETRY_MS << e->tries);
            e->tries++;
            send_request(s, e->ip);
        }
        next = mamori_min_u32(next, e->deadline - s->now);
    }
    return next;
}

int mamori_arp_lookup(const mamori_stack_t *s, uint32_t ip, uint8_t mac[6])
{
    for (size_t i = 0; i < MAMORI_ARP_CACHE_SIZE; i++) {
        const mamori_arp_entry_t *e = &s->arp.cache[i];
        if (e->state == MAMORI_ARP_REACHABLE && e->ip == ip) {
            memcpy(mac, e->mac, 6);
            return MAMORI_OK;
        }
    }
    return MAMORI_ERR_NOTFOUND;
}
