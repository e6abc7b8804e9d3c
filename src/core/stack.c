/* The stack instance: initialisation, frame intake and the poll loop. */
#include <string.h>

#include "core/cursor.h"
#include "net/net_internal.h"

int mamori_stack_init(mamori_stack_t *s, const mamori_port_t *port, const uint8_t mac[6], uint32_t now_ms)
{
    if (!s || !port || !port->send_frame || !port->recv_frame || !port->entropy || !mac || (mac[0] & 1))
        return MAMORI_ERR_INVAL;
    memset(s, 0, sizeof *s);
    s->port = port;
    s->now = now_ms;
    memcpy(s->mac, mac, 6);
    s->icmp.echo_enabled = MAMORI_ICMP_ECHO;
    s->icmp.unreach_enabled = MAMORI_ICMP_UNREACH;
    mamori_bucket_init(&s->icmp.bucket, MAMORI_ICMP_RATE_PPS, MAMORI_ICMP_BURST, now_ms);
    mamori_defense_init(s);
    return mamori_random_init(s) == 0 ? MAMORI_OK : MAMORI_ERR_ENTROPY;
}

void mamori_input(mamori_stack_t *s, const uint8_t *frame, size_t len)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, frame, len);
    mamori_eth_input(s, &rd);
}

uint32_t mamori_poll(mamori_stack_t *s, uint32_t now_ms)
{
    s->now = now_ms;
    for (unsigned i = 0; i < MAMORI_RX_BUDGET; i++) {
        int n = s->port->recv_frame(s->port->ctx, s->rx_frame, sizeof s->rx_frame);
        if (n == 0)
            break;
        if (n < 0) {
            MAMORI_COUNT(s, eth_rx_drop_driver);
            continue;
        }
        mamori_input(s, s->rx_frame, (size_t)n);
    }
    uint32_t next = mamori_min_u32(mamori_arp_timer(s), mamori_defense_timer(s));
#if MAMORI_IP4_REASSEMBLY
    next = mamori_min_u32(next, mamori_ip4_reass_timer(s));
#endif
#if MAMORI_TCP
    next = mamori_min_u32(next, mamori_tcp_timer(s));
#endif
    return next;
}

const mamori_stats_t *mamori_stats(const mamori_stack_t *s) { return &s->stats; }
