/* Ethernet II (DIX) framing and the receive address check. */
#include <string.h>

#include "net/net_internal.h"

const uint8_t mamori_eth_broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
#define ETH_MIN_FRAME 60 /* without FCS; shorter frames are padded */

static bool eth_accepts(const mamori_stack_t *s, const uint8_t dst[6])
{
    if (memcmp(dst, s->mac, 6) == 0 || memcmp(dst, mamori_eth_broadcast, 6) == 0)
        return true;
    if (!(dst[0] & 1))
        return false;
    for (size_t i = 0; i < MAMORI_ETH_MCAST_GROUPS; i++)
        if ((s->mcast_macs[i][0] & 1) && memcmp(dst, s->mcast_macs[i], 6) == 0)
            return true;
    return false;
}

void mamori_eth_input(mamori_stack_t *s, mamori_rd_t *frame)
{
    MAMORI_COUNT(s, eth_rx_frames);
    s->stats.eth_rx_bytes += (uint32_t)mamori_rd_left(frame);
    s->rx_octets += mamori_rd_left(frame);
    const uint8_t *dst = mamori_rd_take(frame, 6);
    const uint8_t *src = mamori_rd_take(frame, 6);
    uint16_t type = mamori_rd_be16(frame);
    if (!mamori_rd_ok(frame)) {
        MAMORI_COUNT(s, eth_rx_drop_short);
        return;
    }
    if (!eth_accepts(s, dst)) {
        MAMORI_COUNT(s, eth_rx_drop_not_for_us);
        return;
    }
    if (!mamori_defense_frame(s, src, dst, type))
        return;
    switch (type) {
    case MAMORI_ETHERTYPE_IP4:
        mamori_ip4_input(s, frame);
        break;
    case MAMORI_ETHERTYPE_ARP:
        mamori_arp_input(s, frame);
        break;
    default:
        MAMORI_COUNT(s, eth_rx_drop_ethertype);
        break;
    }
}

int mamori_eth_output(mamori_stack_t *s, mamori_pbuf_t *pb, const uint8_t dst[6], uint16_t ethertype)
{
    mamori_wr_t wr;
    mamori_wr_init(&wr, pb->data, MAMORI_ETH_HDR_LEN);
    mamori_wr_bytes(&wr, dst, 6);
    mamori_wr_bytes(&wr, s->mac, 6);
    mamori_wr_be16(&wr, ethertype);
    if (pb->len < ETH_MIN_FRAME) {
        memset(pb->data + pb->len, 0, ETH_MIN_FRAME - pb->len);
        pb->len = ETH_MIN_FRAME;
    }
    int rc = s->port->send_frame(s->port->ctx, pb->data, pb->len);
    if (rc == 0) {
        MAMORI_COUNT(s, eth_tx_frames);
        s->stats.eth_tx_bytes += pb->len;
        s->tx_octets += pb->len;
    } else {
        MAMORI_COUNT(s, eth_tx_drop_driver);
    }
    mamori_pbuf_free(pb);
    return rc;
}

/* RFC 1112 §6.4: 01:00:5e followed by the low 23 bits of the group. */
void mamori_ip4_multicast_mac(uint32_t group, uint8_t mac[6])
{
    mac[0] = 0x01;
    mac[1] = 0x00;
    mac[2] = 0x5e;
    mac[3] = (uint8_t)((group >> 16) & 0x7f);
    mac[4] = (uint8_t)(group >> 8);
    mac[5] = (uint8_t)group;
}

int mamori_eth_join(mamori_stack_t *s, const uint8_t mac[6])
{
    if (!(mac[0] & 1))
        return MAMORI_ERR_INVAL;
    size_t free_slot = MAMORI_ETH_MCAST_GROUPS;
    for (size_t i = 0; i < MAMORI_ETH_MCAST_GROUPS; i++) {
        if ((s->mcast_macs[i][0] & 1) && memcmp(s->mcast_macs[i], mac, 6) == 0)
            return MAMORI_OK;
        if (!(s->mcast_macs[i][0] & 1) && free_slot == MAMORI_ETH_MCAST_GROUPS)
            free_slot = i;
    }
    if (free_slot == MAMORI_ETH_MCAST_GROUPS)
        return MAMORI_ERR_NOMEM;
    memcpy(s->mcast_macs[free_slot], mac, 6);
    return MAMORI_OK;
}

int mamori_eth_leave(mamori_stack_t *s, const uint8_t mac[6])
{
    for (size_t i = 0; i < MAMORI_ETH_MCAST_GROUPS; i++) {
        if ((s->mcast_macs[i][0] & 1) && memcmp(s->mcast_macs[i], mac, 6) == 0) {
            memset(s->mcast_macs[i], 0, 6);
            return MAMORI_OK;
        }
    }
    return MAMORI_ERR_NOTFOUND;
}
