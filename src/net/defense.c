/*
 * Receive filter, per-class rate limits, storm control and the stealth
 * profile. The checks run on the receive path before the protocol they
 * protect: mamori_defense_frame() from Ethernet, mamori_defense_source()
 * from IPv4 once the header is valid, mamori_defense_transport() before
 * ICMP, UDP or TCP look at the payload.
 */
#include <string.h>

#include "net/net_internal.h"

#if MAMORI_DEFENSE

#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17

static uint32_t prefix_mask(uint8_t len) { return len ? 0xffffffffu << (32 - len) : 0; }

static void count_rate_drop(mamori_stack_t *s, mamori_traffic_class_t cls)
{
    switch (cls) {
    case MAMORI_CLASS_TOTAL: MAMORI_COUNT(s, rate_drop_total); break;
    case MAMORI_CLASS_BCAST: MAMORI_COUNT(s, rate_drop_bcast); break;
    case MAMORI_CLASS_ARP: MAMORI_COUNT(s, rate_drop_arp); break;
    case MAMORI_CLASS_ICMP: MAMORI_COUNT(s, rate_drop_icmp); break;
    case MAMORI_CLASS_SYN: MAMORI_COUNT(s, rate_drop_syn); break;
    case MAMORI_CLASS_BARE_SYN: MAMORI_COUNT(s, rate_drop_bare_syn); break;
    default: MAMORI_COUNT(s, rate_drop_udp); break;
    }
}

static void storm_switch(mamori_stack_t *s, mamori_traffic_class_t cls, bool on)
{
    s->defense.storm[cls].storming = on;
    if (on) {
        MAMORI_COUNT(s, storm_events);
        MAMORI_LOG(s, MAMORI_LOG_WARN, "defense: storm detected, class blocked");
    } else {
        MAMORI_LOG(s, MAMORI_LOG_INFO, "defense: storm over, class resumed");
    }
    if (s->port->rx_class_control)
        s->port->rx_class_control(s->port->ctx, (int)cls, on);
}

/* Closes the measuring window if it is over: a storm ends when a whole
 * window stayed below the falling threshold. */
static void storm_roll(mamori_stack_t *s, mamori_traffic_class_t cls)
{
    mamori_storm_t *st = &s->defense.storm[cls];
    if (mamori_time_before(s->now, st->window_start + MAMORI_STORM_WINDOW_MS))
        return;
    if (st->storming && st->count < st->falling)
        storm_switch(s, cls, false);
    st->window_start = s->now;
    st->count = 0;
}

/* Counts one frame of a class; false when it must be dropped. */
static bool admit(mamori_stack_t *s, mamori_traffic_class_t cls)
{
    mamori_storm_t *st = &s->defense.storm[cls];
    if (st->rising) {
        storm_roll(s, cls);
        st->count++;
        if (!st->storming && st->count > st->rising)
            storm_switch(s, cls, true);
        if (st->storming) {
            MAMORI_COUNT(s, storm_drop);
            return false;
        }
    }
    if (!mamori_bucket_take(&s->defense.bucket[cls], s->now)) {
        count_rate_drop(s, cls);
        return false;
    }
    return true;
}

bool mamori_defense_frame(mamori_stack_t *s, const uint8_t src[6], const uint8_t dst[6], uint16_t ethertype)
{
    mamori_defense_t *d = &s->defense;
    if (d->mac_allow_count) {
        bool known = false;
        for (size_t i = 0; i < d->mac_allow_count && !known; i++)
            known = memcmp(d->mac_allow[i], src, 6) == 0;
        if (!known) {
            MAMORI_COUNT(s, filter_drop_mac);
            return false;
        }
    }
    bool arp = ethertype == MAMORI_ETHERTYPE_ARP;
    if ((arp && !d->accept_arp) || (!arp && !d->accept_ip4)) {
        MAMORI_COUNT(s, filter_drop_ethertype);
        return false;
    }
    if (!admit(s, MAMORI_CLASS_TOTAL))
        return false;
    if (dst[0] & 1)
        return admit(s, MAMORI_CLASS_BCAST);
    return !arp || admit(s, MAMORI_CLASS_ARP);
}

bool mamori_defense_source(mamori_stack_t *s, uint32_t src)
{
    const mamori_defense_t *d = &s->defense;
    for (size_t i = 0; i < d->ip_rule_count; i++) {
        if ((src & d->ip_rules[i].mask) == d->ip_rules[i].prefix) {
            if (d->ip_rules[i].allow)
                return true;
            MAMORI_COUNT(s, filter_drop_src);
            return false;
        }
    }
    if (d->ip_default_deny) {
        MAMORI_COUNT(s, filter_drop_src);
        return false;
    }
    return true;
}

bool mamori_defense_transport(mamori_stack_t *s, const mamori_ip4_info_t *info, const mamori_rd_t *payload)
{
    if (info->proto == MAMORI_IPPROTO_ICMP)
        return admit(s, MAMORI_CLASS_ICMP);
    if (info->proto != IP_PROTO_TCP && info->proto != IP_PROTO_UDP)
        return true;
    mamori_rd_t peek = *payload;
    mamori_rd_skip(&peek, 2);
    uint16_t dport = mamori_rd_be16(&peek);
    const mamori_defense_t *d = &s->defense;
    for (size_t i = 0; i < d->port_rule_count; i++) {
        const mamori_port_rule_t *r = &d->port_rules[i];
        if (r->proto == info->proto && r->port == dport && (info->src & r->mask) != r->prefix) {
            MAMORI_COUNT(s, filter_drop_port);
            return false;
        }
    }
    return info->proto != IP_PROTO_UDP || admit(s, MAMORI_CLASS_UDP);
}

bool mamori_defense_syn(mamori_stack_t *s, bool has_mss)
{
    return admit(s, has_mss ? MAMORI_CLASS_SYN : MAMORI_CLASS_BARE_SYN);
}

uint32_t mamori_defense_timer(mamori_stack_t *s)
{
    uint32_t next = MAMORI_NO_DEADLINE;
    for (int c = 0; c < MAMORI_CLASS_COUNT; c++) {
        mamori_storm_t *st = &s->defense.storm[c];
        if (!st->storming)
            continue;
        storm_roll(s, (mamori_traffic_class_t)c); /* a blocked class sees no frames */
        if (st->storming)
            next = mamori_min_u32(next, mamori_time_until(s->now, st->window_start + MAMORI_STORM_WINDOW_MS));
    }
    return next;
}

void mamori_defense_init(mamori_stack_t *s)
{
    mamori_filter_clear(s);
    for (int c = 0; c < MAMORI_CLASS_COUNT; c++)
        mamori_rate_set(s, (mamori_traffic_class_t)c, 0, 0);
    mamori_rate_set(s, MAMORI_CLASS_BCAST, MAMORI_RATE_BCAST, MAMORI_BURST_BCAST);
    mamori_rate_set(s, MAMORI_CLASS_ARP, MAMORI_RATE_ARP, MAMORI_BURST_ARP);
    mamori_rate_set(s, MAMORI_CLASS_ICMP, MAMORI_RATE_ICMP, MAMORI_BURST_ICMP);
    mamori_rate_set(s, MAMORI_CLASS_SYN, MAMORI_RATE_SYN, MAMORI_BURST_SYN);
    mamori_rate_set(s, MAMORI_CLASS_BARE_SYN, MAMORI_RATE_BARE_SYN, MAMORI_BURST_BARE_SYN);
    mamori_storm_set(s, MAMORI_CLASS_BCAST, MAMORI_STORM_BCAST_RISING, MAMORI_STORM_BCAST_FALLING);
}

int mamori_filter_allow_mac(mamori_stack_t *s, const uint8_t mac[6])
{
    mamori_defense_t *d = &s->defense;
    if (d->mac_allow_count == MAMORI_FILTER_MACS)
        return MAMORI_ERR_LIMIT;
    memcpy(d->mac_allow[d->mac_allow_count++], mac, 6);
    return MAMORI_OK;
}

int mamori_filter_add_src(mamori_stack_t *s, uint32_t prefix, uint8_t prefix_len, bool allow)
{
    mamori_defense_t *d = &s->defense;
    if (prefix_len > 32)
        return MAMORI_ERR_INVAL;
    if (d->ip_rule_count == MAMORI_FILTER_IP_RULES)
        return MAMORI_ERR_LIMIT;
    uint32_t mask = prefix_mask(prefix_len);
    d->ip_rules[d->ip_rule_count++] = (mamori_ip_rule_t){.prefix = prefix & mask, .mask = mask, .allow = allow};
    d->ip_default_deny |= allow;
    return MAMORI_OK;
}

int mamori_filter_add_port(mamori_stack_t *s, uint8_t proto, uint16_t port, uint32_t prefix, uint8_t prefix_len)
{
    mamori_defense_t *d = &s->defense;
    if (prefix_len > 32 || (proto != IP_PROTO_TCP && proto != IP_PROTO_UDP))
        return MAMORI_ERR_INVAL;
    if (d->port_rule_count == MAMORI_FILTER_PORT_RULES)
        return MAMORI_ERR_LIMIT;
    uint32_t mask = prefix_mask(prefix_len);
    d->port_rules[d->port_rule_count++] =
        (mamori_port_rule_t){.proto = proto, .port = port, .prefix = prefix & mask, .mask = mask};
    return MAMORI_OK;
}

void mamori_filter_ethertypes(mamori_stack_t *s, bool arp, bool ip4)
{
    s->defense.accept_arp = arp;
    s->defense.accept_ip4 = ip4;
}

void mamori_filter_clear(mamori_stack_t *s)
{
    mamori_defense_t *d = &s->defense;
    d->mac_allow_count = 0;
    d->ip_rule_count = 0;
    d->ip_default_deny = false;
    d->port_rule_count = 0;
    mamori_filter_ethertypes(s, true, true);
}

int mamori_rate_set(mamori_stack_t *s, mamori_traffic_class_t cls, uint32_t per_second, uint32_t burst)
{
    if ((unsigned)cls >= MAMORI_CLASS_COUNT)
        return MAMORI_ERR_INVAL;
    mamori_bucket_init(&s->defense.bucket[cls], per_second, burst, s->now);
    return MAMORI_OK;
}

int mamori_storm_set(mamori_stack_t *s, mamori_traffic_class_t cls, uint32_t rising, uint32_t falling)
{
    if ((unsigned)cls >= MAMORI_CLASS_COUNT || falling > rising)
        return MAMORI_ERR_INVAL;
    mamori_storm_t *st = &s->defense.storm[cls];
    if (st->storming)
        storm_switch(s, cls, false);
    *st = (mamori_storm_t){.rising = rising, .falling = falling, .window_start = s->now};
    return MAMORI_OK;
}

bool mamori_storm_active(const mamori_stack_t *s, mamori_traffic_class_t cls)
{
    return (unsigned)cls < MAMORI_CLASS_COUNT && s->defense.storm[cls].storming;
}

void mamori_stealth(mamori_stack_t *s, bool on)
{
    s->defense.stealth = on;
    mamori_icmp_set_echo(s, !on);
    mamori_icmp_set_unreach(s, !on);
#if MAMORI_TCP
    mamori_tcp_set_rst_closed(s, !on);
#endif
}

int mamori_traffic_class_parse(const char *name)
{
    static const char *const names[MAMORI_CLASS_COUNT] = {"total", "bcast", "arp", "icmp", "syn", "bare_syn", "udp"};
    for (int c = 0; c < MAMORI_CLASS_COUNT; c++) {
        size_t i = 0;
        while (names[c][i] && names[c][i] == name[i])
            i++;
        if (!names[c][i] && !name[i])
            return c;
    }
    return MAMORI_ERR_INVAL;
}

#endif
