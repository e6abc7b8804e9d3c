#include "capture_port.h"

#include <string.h>

#include "core/internal.h"
#include "mamori/error.h"

static int cp_send(void *ctx, const uint8_t *frame, size_t len)
{
    capture_port_t *cp = ctx;
    if (cp->count < CAPTURE_MAX_FRAMES && len <= CAPTURE_FRAME_MAX) {
        memcpy(cp->frame[cp->count], frame, len);
        cp->len[cp->count] = len;
    }
    cp->count++;
    return 0;
}

static int cp_recv(void *ctx, uint8_t *buf, size_t cap)
{
    capture_port_t *cp = ctx;
    if (cp->rx_head == cp->rx_count)
        return 0;
    size_t i = cp->rx_head++;
    if (cp->rx_len[i] > cap)
        return MAMORI_ERR_BUFSIZE;
    memcpy(buf, cp->rx[i], cp->rx_len[i]);
    return (int)cp->rx_len[i];
}

static int cp_entropy(void *ctx, void *buf, size_t len)
{
    capture_port_t *cp = ctx;
    uint8_t *b = buf;
    for (size_t i = 0; i < len; i++) {
        cp->rng ^= cp->rng << 13;
        cp->rng ^= cp->rng >> 7;
        cp->rng ^= cp->rng << 17;
        b[i] = (uint8_t)cp->rng;
    }
    return 0;
}

void capture_port_init(capture_port_t *cp, mamori_port_t *port, uint64_t seed)
{
    memset(cp, 0, sizeof *cp);
    cp->rng = seed ? seed : 1;
    memset(port, 0, sizeof *port);
    port->ctx = cp;
    port->send_frame = cp_send;
    port->recv_frame = cp_recv;
    port->entropy = cp_entropy;
}

void capture_port_queue_rx(capture_port_t *cp, const uint8_t *frame, size_t len)
{
    if (cp->rx_count == CAPTURE_MAX_FRAMES) { /* recycle the consumed prefix */
        size_t left = cp->rx_count - cp->rx_head;
        memmove(cp->rx, cp->rx[cp->rx_head], left * CAPTURE_FRAME_MAX);
        memmove(cp->rx_len, cp->rx_len + cp->rx_head, left * sizeof cp->rx_len[0]);
        cp->rx_head = 0;
        cp->rx_count = left;
    }
    memcpy(cp->rx[cp->rx_count], frame, len);
    cp->rx_len[cp->rx_count++] = len;
}

void capture_port_clear(capture_port_t *cp) { cp->count = 0; }

int capture_stack_start(capture_port_t *cp, mamori_port_t *port, uint64_t seed, mamori_stack_t *stack,
                        uint32_t now, const uint8_t mac[6], uint32_t ip, const uint8_t peer_mac[6],
                        uint32_t peer_ip)
{
    capture_port_init(cp, port, seed);
    int err = mamori_stack_init(stack, port, mac, now);
    if (err == MAMORI_OK)
        err = mamori_ip4_set_addr(stack, ip, 24, 0, false);
    if (err != MAMORI_OK)
        return err;
    mamori_poll(stack, now);
    uint8_t f[64];
    capture_port_queue_rx(cp, f, build_arp(f, 1, peer_mac, peer_ip, (const uint8_t[6]){0}, ip));
    mamori_poll(stack, now);
    capture_port_clear(cp);
    return MAMORI_OK;
}

uint32_t capture_stack_advance(mamori_stack_t *stack, uint32_t now, uint32_t ms)
{
    uint32_t end = now + ms;
    while (mamori_time_before(now, end)) {
        uint32_t wait = mamori_poll(stack, now);
        now = wait > end - now ? end : now + (wait ? wait : 1);
    }
    mamori_poll(stack, now);
    return now;
}

uint16_t test_csum(const uint8_t *p, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t tcp_csum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
    uint32_t pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 + (uint32_t)len;
    return test_csum(seg, len, pseudo);
}

void test_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void test_put32(uint8_t *p, uint32_t v)
{
    test_put16(p, (uint16_t)(v >> 16));
    test_put16(p + 2, (uint16_t)v);
}

uint32_t test_get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3]; }

size_t build_ip4(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint8_t proto, uint16_t id, uint16_t frag, const uint8_t *payload, size_t len)
{
    memcpy(out, dst_mac, 6);
    memcpy(out + 6, src_mac, 6);
    test_put16(out + 12, 0x0800);
    uint8_t *ip = out + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    test_put16(ip + 2, (uint16_t)(20 + len));
    test_put16(ip + 4, id);
    test_put16(ip + 6, frag);
    ip[8] = 64;
    ip[9] = proto;
    test_put32(ip + 12, src);
    test_put32(ip + 16, dst);
    test_put16(ip + 10, test_csum(ip, 20, 0));
    memcpy(ip + 20, payload, len);
    return 34 + len;
}

size_t build_udp(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint16_t sport, uint16_t dport, const uint8_t *data, size_t len)
{
    uint8_t seg[1600];
    test_put16(seg, sport);
    test_put16(seg + 2, dport);
    test_put16(seg + 4, (uint16_t)(8 + len));
    test_put16(seg + 6, 0);
    memcpy(seg + 8, data, len);
    uint32_t pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17 + (uint32_t)(8 + len);
    uint16_t c = test_csum(seg, 8 + len, pseudo);
    test_put16(seg + 6, c ? c : 0xffff);
    return build_ip4(out, dst_mac, src_mac, src, dst, 17, 0x1234, 0x4000, seg, 8 + len);
}

size_t build_ping(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                  uint16_t ident, uint16_t seq, const uint8_t *data, size_t len)
{
    uint8_t msg[1600];
    msg[0] = 8;
    msg[1] = 0;
    test_put16(msg + 2, 0);
    test_put16(msg + 4, ident);
    test_put16(msg + 6, seq);
    memcpy(msg + 8, data, len);
    test_put16(msg + 2, test_csum(msg, 8 + len, 0));
    return build_ip4(out, dst_mac, src_mac, src, dst, 1, 0x4321, 0x4000, msg, 8 + len);
}

size_t build_arp(uint8_t *out, uint16_t op, const uint8_t src_mac[6], uint32_t sip, const uint8_t tmac[6],
                 uint32_t tip)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    memcpy(out, op == 1 ? bcast : tmac, 6);
    memcpy(out + 6, src_mac, 6);
    test_put16(out + 12, 0x0806);
    uint8_t *a = out + 14;
    test_put16(a, 1);
    test_put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    test_put16(a + 6, op);
    memcpy(a + 8, src_mac, 6);
    test_put32(a + 14, sip);
    memcpy(a + 18, tmac, 6);
    test_put32(a + 24, tip);
    return 42;
}

size_t build_tcp(uint8_t *out, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src, uint32_t dst,
                 uint8_t *seg, size_t len)
{
    test_put16(seg + 16, 0);
    test_put16(seg + 16, tcp_csum(src, dst, seg, len));
    return build_ip4(out, dst_mac, src_mac, src, dst, 6, 1, 0x4000, seg, len);
}

sent_tcp_t capture_tcp(const capture_port_t *cp, int i)
{
    sent_tcp_t s = {0};
    s.wscale = -1;
    size_t k = i < 0 ? cp->count + (size_t)i : (size_t)i;
    if (k >= cp->count || k >= CAPTURE_MAX_FRAMES || cp->frame[k][23] != 6)
        return s;
    const uint8_t *ip = cp->frame[k] + 14, *t = ip + 20;
    size_t total = (size_t)(ip[2] << 8 | ip[3]);
    size_t hl = (size_t)(t[12] >> 4) * 4;
    s.sport = (uint16_t)(t[0] << 8 | t[1]);
    s.dport = (uint16_t)(t[2] << 8 | t[3]);
    s.seq = test_get32(t + 4);
    s.ack = test_get32(t + 8);
    s.flags = t[13];
    s.wnd = (uint16_t)(t[14] << 8 | t[15]);
    s.len = total - 20 - hl;
    s.data = t + hl;
    for (size_t o = 20; o < hl;) {
        if (t[o] == 1) {
            o++;
            continue;
        }
        if (t[o] == 0 || t[o + 1] < 2)
            break;
        if (t[o] == 2)
            s.mss = (uint16_t)(t[o + 2] << 8 | t[o + 3]);
        if (t[o] == 3)
            s.wscale = t[o + 2];
        if (t[o] == 4 && t[o + 1] == 2)
            s.sack_ok = true;
        if (t[o] == 8)
            s.ts = true;
        if (t[o] == 5) {
            s.nblocks = (unsigned)(t[o + 1] - 2) / 8;
            for (unsigned b = 0; b < s.nblocks && b < 4; b++) {
                s.block[b][0] = test_get32(t + o + 2 + 8 * b);
                s.block[b][1] = test_get32(t + o + 6 + 8 * b);
            }
        }
        o += t[o + 1];
    }
    if (tcp_csum(test_get32(ip + 12), test_get32(ip + 16), t, total - 20) != 0)
        s.flags = 0xff;
    return s;
}
