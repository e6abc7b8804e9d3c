/*
 * UDP (RFC 768) with the native non-blocking socket API. Received datagrams
 * are queued in the socket's caller-provided ring as records:
 *   length (2) | source address (4) | source port (2) | data (length)
 */
#include <string.h>

#include "net/net_internal.h"

#if MAMORI_UDP

#define RECORD_HDR 8
/* RFC 6056 §2.1: the ephemeral range mamori picks from. */
#define EPHEMERAL_LO 49152u
#define EPHEMERAL_HI 65535u

static mamori_udp_t *find_socket(mamori_stack_t *s, uint16_t port)
{
    for (mamori_udp_t *u = s->udp_sockets; u; u = u->next)
        if (u->local_port == port)
            return u;
    return NULL;
}

static void ring_write(mamori_udp_t *u, size_t at, const uint8_t *src, size_t n)
{
    size_t pos = (u->ring_head + at) % u->ring_cap;
    size_t first = u->ring_cap - pos < n ? u->ring_cap - pos : n;
    memcpy(u->ring + pos, src, first);
    memcpy(u->ring, src + first, n - first);
}

static void ring_read(const mamori_udp_t *u, size_t at, uint8_t *dst, size_t n)
{
    size_t pos = (u->ring_head + at) % u->ring_cap;
    size_t first = u->ring_cap - pos < n ? u->ring_cap - pos : n;
    memcpy(dst, u->ring + pos, first);
    memcpy(dst + first, u->ring, n - first);
}

void mamori_udp_input(mamori_stack_t *s, const mamori_ip4_info_t *info, mamori_rd_t *rd)
{
    MAMORI_COUNT(s, udp_rx);
    const mamori_rd_t whole = *rd;
    size_t avail = mamori_rd_left(rd);
    uint16_t sport = mamori_rd_be16(rd);
    uint16_t dport = mamori_rd_be16(rd);
    uint16_t len = mamori_rd_be16(rd);
    uint16_t csum = mamori_rd_be16(rd);
    if (!mamori_rd_ok(rd)) {
        MAMORI_COUNT(s, udp_rx_drop_short);
        return;
    }
    if (len < MAMORI_UDP_HDR_LEN || len > avail) {
        MAMORI_COUNT(s, udp_rx_drop_len);
        return;
    }
    /* Checksum 0 means "not computed" in IPv4 (RFC 768). */
    if (csum != 0) {
        uint32_t sum = mamori_csum_pseudo(info->src, info->dst, MAMORI_IPPROTO_UDP, len);
        if (mamori_csum_finish(mamori_csum_add(sum, mamori_rd_rest(&whole), len)) != 0) {
            MAMORI_COUNT(s, udp_rx_drop_checksum);
            return;
        }
    }
    mamori_udp_t *u = find_socket(s, dport);
    if (!u || sport == 0) {
        MAMORI_COUNT(s, udp_rx_drop_noport);
        if (!u)
            mamori_icmp4_unreachable(s, info, MAMORI_ICMP_UNREACH_PORT, &whole);
        return;
    }
    size_t data_len = len - MAMORI_UDP_HDR_LEN;
    if (RECORD_HDR + data_len > u->ring_cap - u->ring_used) {
        MAMORI_COUNT(s, udp_rx_drop_queue_full);
        return;
    }
    uint8_t hdr[RECORD_HDR];
    mamori_put_be16(hdr, (uint16_t)data_len);
    mamori_put_be32(hdr + 2, info->src);
    mamori_put_be16(hdr + 6, sport);
    ring_write(u, u->ring_used, hdr, RECORD_HDR);
    ring_write(u, u->ring_used + RECORD_HDR, mamori_rd_take(rd, data_len), data_len);
    u->ring_used += RECORD_HDR + data_len;
    u->queued++;
    MAMORI_COUNT(s, udp_rx_delivered);
    if (u->on_readable)
        u->on_readable(u, u->user);
}

int mamori_udp_open(mamori_stack_t *s, mamori_udp_t *sock, void *ring, size_t ring_cap)
{
    if (!ring || ring_cap < RECORD_HDR + 1)
        return MAMORI_ERR_INVAL;
    memset(sock, 0, sizeof *sock);
    sock->stack = s;
    sock->ring = ring;
    sock->ring_cap = ring_cap;
    return MAMORI_OK;
}

static bool is_linked(const mamori_udp_t *sock)
{
    for (const mamori_udp_t *u = sock->stack->udp_sockets; u; u = u->next)
        if (u == sock)
            return true;
    return false;
}

int mamori_udp_bind(mamori_udp_t *sock, uint16_t port)
{
    mamori_stack_t *s = sock->stack;
    if (sock->local_port)
        return MAMORI_ERR_STATE;
    if (port == 0) {
        /* RFC 6056 §3.3.1 (Algorithm 1): a random start, then a linear search. */
        uint32_t span = EPHEMERAL_HI - EPHEMERAL_LO + 1;
        uint32_t start = mamori_random32(s) % span;
        for (uint32_t i = 0; i < span && !port; i++) {
            uint16_t candidate = (uint16_t)(EPHEMERAL_LO + (start + i) % span);
            if (!find_socket(s, candidate))
                port = candidate;
        }
        if (!port)
            return MAMORI_ERR_ADDRINUSE;
    } else if (find_socket(s, port)) {
        return MAMORI_ERR_ADDRINUSE;
    }
    sock->local_port = port;
    if (!is_linked(sock)) {
        sock->next = s->udp_sockets;
        s->udp_sockets = sock;
    }
    return MAMORI_OK;
}

int mamori_udp_sendto(mamori_udp_t *sock, uint32_t dst, uint16_t dst_port, const void *data, size_t len)
{
    mamori_stack_t *s = sock->stack;
    if (len > MAMORI_UDP_MAX_PAYLOAD)
        return MAMORI_ERR_MSGSIZE;
    if (dst_port == 0 || dst == 0)
        return MAMORI_ERR_INVAL;
    if (!sock->local_port) {
        int rc = mamori_udp_bind(sock, 0);
        if (rc)
            return rc;
    }
    mamori_wr_t wr;
    mamori_pbuf_t *pb = mamori_ip4_alloc(s, &wr);
    if (!pb) {
        MAMORI_COUNT(s, udp_tx_drop);
        return MAMORI_ERR_NOMEM;
    }
    uint16_t udp_len = (uint16_t)(MAMORI_UDP_HDR_LEN + len);
    uint8_t *seg = wr.buf;
    mamori_wr_be16(&wr, sock->local_port);
    mamori_wr_be16(&wr, dst_port);
    mamori_wr_be16(&wr, udp_len);
    mamori_wr_be16(&wr, 0);
    mamori_wr_bytes(&wr, data, len);
    uint32_t sum = mamori_csum_pseudo(s->ip4.addr, dst, MAMORI_IPPROTO_UDP, udp_len);
    uint16_t csum = mamori_csum_finish(mamori_csum_add(sum, seg, udp_len));
    mamori_put_be16(seg + 6, csum ? csum : 0xffff); /* 0 would mean "none" */
    MAMORI_COUNT(s, udp_tx);
    return mamori_ip4_output(s, pb, dst, MAMORI_IPPROTO_UDP, udp_len);
}

int mamori_udp_recvfrom(mamori_udp_t *sock, void *buf, size_t cap, uint32_t *src, uint16_t *src_port)
{
    if (!sock->queued)
        return MAMORI_ERR_WOULDBLOCK;
    uint8_t hdr[RECORD_HDR];
    ring_read(sock, 0, hdr, RECORD_HDR);
    size_t len = mamori_get_be16(hdr);
    size_t copy = len < cap ? len : cap;
    ring_read(sock, RECORD_HDR, buf, copy);
    if (src)
        *src = mamori_get_be32(hdr + 2);
    if (src_port)
        *src_port = mamori_get_be16(hdr + 6);
    sock->ring_head = (sock->ring_head + RECORD_HDR + len) % sock->ring_cap;
    sock->ring_used -= RECORD_HDR + len;
    sock->queued--;
    return (int)copy;
}

void mamori_udp_set_callback(mamori_udp_t *sock, mamori_udp_cb cb, void *user)
{
    sock->on_readable = cb;
    sock->user = user;
}

void mamori_udp_close(mamori_udp_t *sock)
{
    for (mamori_udp_t **p = &sock->stack->udp_sockets; *p; p = &(*p)->next) {
        if (*p == sock) {
            *p = sock->next;
            break;
        }
    }
    sock->local_port = 0;
    sock->queued = 0;
    sock->ring_used = 0;
}

#endif
