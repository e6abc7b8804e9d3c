/*
 * IPv4 (RFC 791, host requirements of RFC 1122 §3.2.1): header validation,
 * local delivery only (a mamori host never forwards), and output routing
 * to the link or the default gateway.
 */
#include <string.h>

#include "net/net_internal.h"

#define IP4_FLAG_DF 0x4000
#define IP4_FLAG_MF 0x2000
#define IP4_OFFSET_MASK 0x1fff

static uint32_t subnet_broadcast(const mamori_stack_t *s) { return s->ip4.addr | ~s->ip4.mask; }

bool mamori_ip4_is_broadcast(const mamori_stack_t *s, uint32_t addr)
{
    return addr == 0xffffffffu || (s->ip4.mask != 0xffffffffu && s->ip4.addr && addr == subnet_broadcast(s));
}

static bool is_multicast(uint32_t addr) { return (addr >> 28) == 0xe; }

static bool joined(const mamori_stack_t *s, uint32_t group)
{
    for (size_t i = 0; i < MAMORI_ETH_MCAST_GROUPS; i++)
        if (s->ip4.groups[i] == group)
            return true;
    return false;
}

/* A source no real host can have (RFC 1122 §3.2.1.3): drop as spoofed. */
static bool bad_source(const mamori_stack_t *s, uint32_t src)
{
    return is_multicast(src) || src == 0xffffffffu || (src >> 24) == 127 ||
           (s->ip4.addr && (src == s->ip4.addr || src == subnet_broadcast(s)));
}

void mamori_ip4_input(mamori_stack_t *s, mamori_rd_t *rd)
{
    MAMORI_COUNT(s, ip_rx);
    size_t avail = mamori_rd_left(rd);
    mamori_rd_t hdr = *rd;
    uint8_t ver_ihl = mamori_rd_u8(&hdr);
    mamori_rd_skip(&hdr, 1); /* DSCP/ECN */
    uint16_t total = mamori_rd_be16(&hdr);
    uint16_t id = mamori_rd_be16(&hdr);
    uint16_t frag = mamori_rd_be16(&hdr);
    uint8_t ttl = mamori_rd_u8(&hdr);
    uint8_t proto = mamori_rd_u8(&hdr);
    mamori_rd_skip(&hdr, 2); /* checksum: verified over the whole header below */
    uint32_t src = mamori_rd_be32(&hdr);
    uint32_t dst = mamori_rd_be32(&hdr);
    if (!mamori_rd_ok(&hdr)) {
        MAMORI_COUNT(s, ip_rx_drop_short);
        return;
    }
    size_t ihl = (size_t)(ver_ihl & 0x0f) * 4;
    if ((ver_ihl >> 4) != 4) {
        MAMORI_COUNT(s, ip_rx_drop_version);
        return;
    }
    if (ihl < MAMORI_IP4_HDR_LEN || ihl > avail) {
        MAMORI_COUNT(s, ip_rx_drop_ihl);
        return;
    }
    /* The frame may carry Ethernet padding beyond the datagram, never less. */
    if (total < ihl || total > avail) {
        MAMORI_COUNT(s, ip_rx_drop_len);
        return;
    }
    mamori_rd_t datagram = mamori_rd_sub(rd, total);
    const uint8_t *header = mamori_rd_take(&datagram, ihl);
    if (mamori_csum_finish(mamori_csum_add(0, header, ihl)) != 0) {
        MAMORI_COUNT(s, ip_rx_drop_checksum);
        return;
    }
    if (ttl == 0) {
        MAMORI_COUNT(s, ip_rx_drop_ttl);
        return;
    }
    if (bad_source(s, src)) {
        MAMORI_COUNT(s, ip_rx_drop_src);
        return;
    }
    if (!mamori_defense_source(s, src))
        return;
    bool to_us = s->ip4.state == MAMORI_ADDR_BOUND && dst == s->ip4.addr;
    bool to_group = mamori_ip4_is_broadcast(s, dst) || (is_multicast(dst) && joined(s, dst));
    if (!to_us && !to_group) {
        MAMORI_COUNT(s, ip_rx_drop_not_for_us);
        return;
    }
    if (ihl > MAMORI_IP4_HDR_LEN)
        MAMORI_COUNT(s, ip_rx_options); /* options are skipped: none changes host delivery */

    mamori_ip4_info_t info = {
        .src = src, .dst = dst, .proto = proto, .ttl = ttl, .to_broadcast = to_group,
        .hdr = header, .hdr_len = ihl,
    };
    if ((frag & (IP4_FLAG_MF | IP4_OFFSET_MASK)) != 0) {
#if MAMORI_IP4_REASSEMBLY
        mamori_ip4_reass_input(s, &info, id, frag, &datagram);
#else
        (void)id;
        MAMORI_COUNT(s, ip_frag_drop_disabled);
#endif
        return;
    }
    mamori_ip4_deliver(s, &info, &datagram);
}

void mamori_ip4_deliver(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *payload)
{
    if (!mamori_defense_transport(s, info, payload))
        return;
    switch (info->proto) {
    case MAMORI_IPPROTO_ICMP:
        MAMORI_COUNT(s, ip_rx_delivered);
        mamori_icmp4_input(s, info, payload);
        return;
#if MAMORI_TCP
    case MAMORI_IPPROTO_TCP:
        MAMORI_COUNT(s, ip_rx_delivered);
        mamori_tcp_input(s, info, payload);
        return;
#endif
#if MAMORI_UDP
    case MAMORI_IPPROTO_UDP:
        MAMORI_COUNT(s, ip_rx_delivered);
        mamori_udp_input(s, info, payload);
        return;
#endif
    default:
        MAMORI_COUNT(s, ip_rx_drop_proto);
        mamori_icmp4_unreachable(s, info, MAMORI_ICMP_UNREACH_PROTO, payload);
        return;
    }
}

mamori_pbuf_t *mamori_ip4_alloc(mamori_stack_t *s, mamori_wr_t *wr)
{
    mamori_pbuf_t *pb = mamori_pbuf_alloc(s);
    if (!pb) {
        MAMORI_COUNT(s, eth_tx_drop_nobuf);
        return NULL;
    }
    mamori_wr_init(wr, pb->data + MAMORI_IP4_PAYLOAD_OFF, MAMORI_MTU - MAMORI_IP4_HDR_LEN);
    return pb;
}

int mamori_ip4_output(mamori_stack_t *s, mamori_pbuf_t *pb, uint32_t dst, uint8_t proto, size_t payload_len)
{
    if (payload_len > MAMORI_MTU - MAMORI_IP4_HDR_LEN) {
        MAMORI_COUNT(s, ip_tx_drop_too_long);
        mamori_pbuf_free(pb);
        return MAMORI_ERR_MSGSIZE;
    }
    uint8_t dst_mac[6];
    uint32_t next_hop = 0;
    bool on_link = s->ip4.addr && ((dst ^ s->ip4.addr) & s->ip4.mask) == 0;
    if (mamori_ip4_is_broadcast(s, dst)) {
        memcpy(dst_mac, mamori_eth_broadcast, 6);
    } else if (is_multicast(dst)) {
        mamori_ip4_multicast_mac(dst, dst_mac);
    } else if (on_link) {
        next_hop = dst;
    } else if (s->ip4.gw) {
        next_hop = s->ip4.gw;
    } else {
        MAMORI_COUNT(s, ip_tx_drop_noroute);
        mamori_pbuf_free(pb);
        return MAMORI_ERR_NOROUTE;
    }
    uint16_t total = (uint16_t)(MAMORI_IP4_HDR_LEN + payload_len);
    mamori_wr_t wr;
    mamori_wr_init(&wr, pb->data + MAMORI_ETH_HDR_LEN, MAMORI_IP4_HDR_LEN);
    mamori_wr_u8(&wr, 0x45);
    mamori_wr_u8(&wr, 0);
    mamori_wr_be16(&wr, total);
    /* Unpredictable IDs (no counter leaks traffic volume); DF set since we
     * never fragment, so ID uniqueness rules of RFC 6864 §4 do not apply. */
    mamori_wr_be16(&wr, mamori_random_id16(s));
    mamori_wr_be16(&wr, IP4_FLAG_DF);
    mamori_wr_u8(&wr, MAMORI_IP4_TTL);
    mamori_wr_u8(&wr, proto);
    mamori_wr_be16(&wr, 0);
    mamori_wr_be32(&wr, s->ip4.addr);
    mamori_wr_be32(&wr, dst);
    uint8_t *hdr = pb->data + MAMORI_ETH_HDR_LEN;
    mamori_put_be16(hdr + 10, mamori_csum_finish(mamori_csum_add(0, hdr, MAMORI_IP4_HDR_LEN)));
    pb->len = (uint16_t)(MAMORI_ETH_HDR_LEN + total);
    MAMORI_COUNT(s, ip_tx);
    if (next_hop)
        return mamori_arp_output(s, pb, next_hop);
    return mamori_eth_output(s, pb, dst_mac, MAMORI_ETHERTYPE_IP4);
}

int mamori_ip4_set_addr(mamori_stack_t *s, uint32_t addr, uint8_t prefix_len, uint32_t gw, bool probe)
{
    if (prefix_len > 32 || (addr && (is_multicast(addr) || addr == 0xffffffffu)))
        return MAMORI_ERR_INVAL;
    mamori_arp_flush(s);
    s->ip4.mask = prefix_len ? 0xffffffffu << (32 - prefix_len) : 0;
    s->ip4.gw = gw;
    s->arp.acd_probes_left = 0;
    s->arp.acd_announces_left = 0;
    if (!addr) {
        s->ip4.addr = s->ip4.candidate = 0;
        s->ip4.state = MAMORI_ADDR_NONE;
        return MAMORI_OK;
    }
    s->ip4.candidate = addr;
    s->ip4.addr = probe ? 0 : addr;
    s->ip4.state = probe ? MAMORI_ADDR_PROBING : MAMORI_ADDR_BOUND;
    mamori_arp_start_acd(s, probe);
    return MAMORI_OK;
}

void mamori_ip4_set_addr_callback(mamori_stack_t *s, mamori_addr_cb cb) { s->ip4.on_addr_event = cb; }

uint32_t mamori_ip4_addr(const mamori_stack_t *s) { return s->ip4.state == MAMORI_ADDR_BOUND ? s->ip4.addr : 0; }

int mamori_ip4_join(mamori_stack_t *s, uint32_t group)
{
    if (!is_multicast(group))
        return MAMORI_ERR_INVAL;
    if (joined(s, group))
        return MAMORI_OK;
    for (size_t i = 0; i < MAMORI_ETH_MCAST_GROUPS; i++) {
        if (s->ip4.groups[i] == 0) {
            uint8_t mac[6];
            mamori_ip4_multicast_mac(group, mac);
            int rc = mamori_eth_join(s, mac);
            if (rc == MAMORI_OK)
                s->ip4.groups[i] = group;
            return rc;
        }
    }
    return MAMORI_ERR_NOMEM;
}

int mamori_ip4_leave(mamori_stack_t *s, uint32_t group)
{
    for (size_t i = 0; i < MAMORI_ETH_MCAST_GROUPS; i++) {
        if (s->ip4.groups[i] == group && group) {
            uint8_t mac[6];
            s->ip4.groups[i] = 0;
            mamori_ip4_multicast_mac(group, mac);
            /* Another joined group may share the MAC (23-bit mapping). */
            for (size_t j = 0; j < MAMORI_ETH_MCAST_GROUPS; j++) {
                uint8_t other[6];
                mamori_ip4_multicast_mac(s->ip4.groups[j], other);
                if (s->ip4.groups[j] && memcmp(other, mac, 6) == 0)
                    return MAMORI_OK;
            }
            return mamori_eth_leave(s, mac);
        }
    }
    return MAMORI_ERR_NOTFOUND;
}
