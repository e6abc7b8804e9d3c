/*
 * ICMPv4 (RFC 792, RFC 1122 §3.2.2): echo reply and destination
 * unreachable, every message sent through one token bucket.
 */
#include <string.h>

#include "net/net_internal.h"

enum { ICMP_ECHO_REPLY = 0, ICMP_UNREACH = 3, ICMP_ECHO = 8 };
#define ICMP_HDR_LEN 8

static bool may_send(mamori_stack_t *s)
{
    if (mamori_bucket_take(&s->icmp.bucket, s->now))
        return true;
    MAMORI_COUNT(s, icmp_tx_ratelimited);
    return false;
}

/* Builds and sends one ICMP message: type, code, the 4-byte rest of the
 * header, then up to two pieces of body. */
static int send_message(mamori_stack_t *s, uint32_t dst, uint8_t type, uint8_t code, uint32_t rest,
                        const uint8_t *body, size_t body_len, const uint8_t *tail, size_t tail_len)
{
    mamori_wr_t wr;
    mamori_pbuf_t *pb = mamori_ip4_alloc(s, &wr);
    if (!pb)
        return MAMORI_ERR_NOMEM;
    mamori_wr_u8(&wr, type);
    mamori_wr_u8(&wr, code);
    mamori_wr_be16(&wr, 0);
    mamori_wr_be32(&wr, rest);
    mamori_wr_bytes(&wr, body, body_len);
    mamori_wr_bytes(&wr, tail, tail_len);
    if (!mamori_wr_ok(&wr)) {
        MAMORI_COUNT(s, ip_tx_drop_too_long);
        mamori_pbuf_free(pb);
        return MAMORI_ERR_MSGSIZE;
    }
    mamori_put_be16(wr.buf + 2, mamori_csum_finish(mamori_csum_add(0, wr.buf, wr.pos)));
    return mamori_ip4_output(s, pb, dst, MAMORI_IPPROTO_ICMP, wr.pos);
}

static void echo_reply(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *rd)
{
    MAMORI_COUNT(s, icmp_rx_echo);
    if (!s->icmp.echo_enabled || info->to_broadcast) {
        MAMORI_COUNT(s, icmp_rx_echo_ignored);
        return;
    }
    if (!may_send(s))
        return;
    uint32_t ident_seq = mamori_rd_be32(rd);
    size_t len = mamori_rd_left(rd);
    if (send_message(s, info->src, ICMP_ECHO_REPLY, 0, ident_seq, mamori_rd_take(rd, len), len, NULL, 0) == 0)
        MAMORI_COUNT(s, icmp_tx_echo_reply);
}

void mamori_icmp4_input(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *rd)
{
    MAMORI_COUNT(s, icmp_rx);
    size_t len = mamori_rd_left(rd);
    if (len < ICMP_HDR_LEN) {
        MAMORI_COUNT(s, icmp_rx_drop_short);
        return;
    }
    if (mamori_csum_finish(mamori_csum_add(0, mamori_rd_rest(rd), len)) != 0) {
        MAMORI_COUNT(s, icmp_rx_drop_checksum);
        return;
    }
    uint8_t type = mamori_rd_u8(rd);
    uint8_t code = mamori_rd_u8(rd);
    mamori_rd_skip(rd, 2);
    if (type == ICMP_ECHO && code == 0) {
        echo_reply(s, info, rd);
    } else if (type == ICMP_ECHO_REPLY && code == 0) {
        MAMORI_COUNT(s, icmp_rx_echo_reply);
        uint16_t ident = mamori_rd_be16(rd);
        uint16_t seq = mamori_rd_be16(rd);
        size_t n = mamori_rd_left(rd);
        if (s->icmp.on_echo_reply)
            s->icmp.on_echo_reply(s, info->src, ident, seq, mamori_rd_take(rd, n), n);
    } else if (type == ICMP_UNREACH) {
        MAMORI_COUNT(s, icmp_rx_unreach);
    } else {
        MAMORI_COUNT(s, icmp_rx_drop_type);
    }
}

void mamori_icmp4_unreachable(mamori_stack_t *s, const mamori_ip4_info_t *info, uint8_t code,
                              const mamori_rd_t *payload)
{
    /* RFC 1122 §3.2.2: never about broadcasts or multicasts. ICMP itself is
     * always handled, so no error is ever sent about an ICMP message. */
    if (!s->icmp.unreach_enabled || info->to_broadcast || s->ip4.state != MAMORI_ADDR_BOUND)
        return;
    if (!may_send(s))
        return;
    /* RFC 792: the offending header and the first 64 bits of its data. */
    mamori_rd_t orig = *payload;
    size_t data_len = mamori_rd_left(&orig) < 8 ? mamori_rd_left(&orig) : 8;
    if (send_message(s, info->src, ICMP_UNREACH, code, 0, info->hdr, info->hdr_len, mamori_rd_take(&orig, data_len),
                     data_len) == 0)
        MAMORI_COUNT(s, icmp_tx_unreach);
}

int mamori_icmp_ping(mamori_stack_t *s, uint32_t dst, uint16_t ident, uint16_t seq, const void *data, size_t len)
{
    int rc = send_message(s, dst, ICMP_ECHO, 0, (uint32_t)ident << 16 | seq, data, len, NULL, 0);
    if (rc == 0)
        MAMORI_COUNT(s, icmp_tx_echo);
    return rc;
}

void mamori_icmp_set_ping_callback(mamori_stack_t *s, mamori_ping_cb cb) { s->icmp.on_echo_reply = cb; }

void mamori_icmp_set_echo(mamori_stack_t *s, bool enabled) { s->icmp.echo_enabled = enabled && MAMORI_ICMP_ECHO; }

void mamori_icmp_set_unreach(mamori_stack_t *s, bool enabled)
{
    s->icmp.unreach_enabled = enabled && MAMORI_ICMP_UNREACH;
}

void mamori_icmp_set_rate(mamori_stack_t *s, uint32_t per_second, uint32_t burst)
{
    mamori_bucket_init(&s->icmp.bucket, per_second, burst, s->now);
}
