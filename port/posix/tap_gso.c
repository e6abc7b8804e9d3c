/* virtio-net header handling for the TAP: receive segmentation, transmit
 * coalescing (see tap_gso.h). Every offset comes from a bounded parse. */
#include "posix/tap_gso.h"

#include "core/cursor.h"
#include "core/internal.h"
#include "mamori/error.h"
#include "mamori/tcp_wire.h"

#include <stdbool.h>
#include <string.h>

/* virtio 1.2 §5.1.6 */
#define VNET_F_NEEDS_CSUM 1
#define VNET_GSO_NONE 0
#define VNET_GSO_TCPV4 1
#define VNET_GSO_ECN 0x80

#define ETH_LEN 14
#define ETHERTYPE_IPV4 0x0800
#define IP_PROTO_TCP 6
#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_SACK 5 /* RFC 2018 */

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* Offsets of an Ethernet + IPv4 + TCP frame's headers. */
typedef struct {
    size_t l4;  /* TCP header */
    size_t hdr; /* first payload byte */
} tcp_frame_t;

static int parse_tcp4(const uint8_t *frame, size_t len, tcp_frame_t *t)
{
    mamori_rd_t rd;
    mamori_rd_init(&rd, frame, len);
    mamori_rd_skip(&rd, 12);
    if (mamori_rd_be16(&rd) != ETHERTYPE_IPV4)
        return MAMORI_ERR_UNSUPPORTED;
    uint8_t vihl = mamori_rd_u8(&rd);
    size_t ihl = (size_t)(vihl & 0x0f) * 4;
    mamori_rd_skip(&rd, 8);
    uint8_t proto = mamori_rd_u8(&rd);
    if (!mamori_rd_ok(&rd) || ihl < 20)
        return MAMORI_ERR_MALFORMED;
    if (vihl >> 4 != 4 || proto != IP_PROTO_TCP)
        return MAMORI_ERR_UNSUPPORTED;
    mamori_rd_t tcp = mamori_rd_at(&rd, ETH_LEN + ihl, 20);
    mamori_rd_skip(&tcp, 12);
    size_t doff = (size_t)(mamori_rd_u8(&tcp) >> 4) * 4;
    if (!mamori_rd_ok(&tcp) || doff < 20 || ETH_LEN + ihl + doff > len)
        return MAMORI_ERR_MALFORMED;
    t->l4 = ETH_LEN + ihl;
    t->hdr = t->l4 + doff;
    return MAMORI_OK;
}

/* Copies n bytes and adds them to a checksum (sum of big-endian 16-bit
 * words, as mamori_csum_add) in one pass. RFC 1071 §2(B): the one's-complement
 * sum does not depend on byte order, so native 64-bit loads are summed and
 * the folded result swapped once. */
static uint32_t csum_copy(uint32_t sum, uint8_t *dst, const uint8_t *src, size_t n)
{
    uint64_t acc = 0;
    for (; n >= 8; src += 8, dst += 8, n -= 8) {
        uint64_t v;
        memcpy(&v, src, 8);
        memcpy(dst, &v, 8);
        acc += (v & 0xffffffffu) + (v >> 32);
    }
    uint8_t tail[8] = {0};
    memcpy(tail, src, n);
    memcpy(dst, tail, n);
    uint64_t v;
    memcpy(&v, tail, 8);
    acc += (v & 0xffffffffu) + (v >> 32);
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    acc = (acc >> 8 | acc << 8) & 0xffff;
#endif
    return sum + (uint32_t)acc;
}

static uint16_t ip_checksum(const uint8_t *ip, size_t ihl)
{
    uint32_t sum = mamori_csum_add(0, ip, 10);
    return mamori_csum_finish(mamori_csum_add(sum, ip + 12, ihl - 12));
}

/* The TCP checksum over the headers at frame and a payload whose sum is
 * data_sum (n bytes). */
static uint16_t tcp_checksum(const uint8_t *frame, const tcp_frame_t *t, uint32_t data_sum, size_t n)
{
    const uint8_t *ip = frame + ETH_LEN;
    size_t tcp_len = t->hdr - t->l4 + n;
    uint32_t sum = mamori_csum_pseudo(mamori_get_be32(ip + 12), mamori_get_be32(ip + 16), IP_PROTO_TCP,
                                      (uint16_t)tcp_len);
    sum = mamori_csum_add(sum, frame + t->l4, 16);
    sum = mamori_csum_add(sum, frame + t->l4 + 18, t->hdr - t->l4 - 18);
    return mamori_csum_finish(sum + data_sum);
}

static void rx_empty(mamori_gso_rx_t *g)
{
    memset(g, 0, sizeof *g);
}

/* A partial checksum (virtio 1.2 §5.1.6, NEEDS_CSUM): the sum from csum_start to the
 * end, seeded by what the field holds, stored at csum_start + csum_offset. */
static int complete_csum(uint8_t *frame, size_t len, size_t start, size_t offset)
{
    if (start >= len || offset > len - start || len - start - offset < 2)
        return MAMORI_ERR_MALFORMED;
    uint16_t c = mamori_csum_finish(mamori_csum_add(0, frame + start, len - start));
    /* 0 and 0xffff are the same one's-complement value; UDP reserves 0. */
    mamori_put_be16(frame + start + offset, c ? c : 0xffff);
    return MAMORI_OK;
}

int mamori_gso_rx_start(mamori_gso_rx_t *g, uint8_t *buf, size_t len)
{
    rx_empty(g);
    if (len < MAMORI_VNET_HDR_LEN + ETH_LEN)
        return MAMORI_ERR_MALFORMED;
    uint8_t flags = buf[0];
    uint8_t gso_type = buf[1] & (uint8_t)~VNET_GSO_ECN;
    size_t gso_size = le16(buf + 4);
    uint8_t *frame = buf + MAMORI_VNET_HDR_LEN;
    size_t flen = len - MAMORI_VNET_HDR_LEN;
    if (gso_type == VNET_GSO_NONE) {
        if (flags & VNET_F_NEEDS_CSUM) {
            int rc = complete_csum(frame, flen, le16(buf + 6), le16(buf + 8));
            if (rc)
                return rc;
        }
        g->frame = frame;
        g->len = flen;
        return MAMORI_OK;
    }
    if (gso_type != VNET_GSO_TCPV4)
        return MAMORI_ERR_UNSUPPORTED;
    tcp_frame_t t;
    int rc = parse_tcp4(frame, flen, &t);
    if (rc)
        return rc;
    /* The IPv4 total length covers the whole super-segment (no padding), which
     * is no fragment. A checksum left to us must be the TCP one; each segment
     * gets its own. */
    if (gso_size == 0 || flen <= t.hdr || mamori_get_be16(frame + ETH_LEN + 2) != flen - ETH_LEN ||
        (mamori_get_be16(frame + ETH_LEN + 6) & 0x3fff) ||
        ((flags & VNET_F_NEEDS_CSUM) && (le16(buf + 6) != t.l4 || le16(buf + 8) != 16)))
        return MAMORI_ERR_MALFORMED;
    g->frame = frame;
    g->len = flen;
    g->hdr_len = t.hdr;
    g->mss = gso_size;
    g->off = t.hdr;
    return MAMORI_OK;
}

/* Segment i of a super-segment (RFC 9293 §3.1 header fields): consecutive
 * sequence numbers and IPv4 identifications, CWR on the first segment only,
 * FIN and PSH on the last only, both checksums recomputed. */
static int next_segment(mamori_gso_rx_t *g, uint8_t *out, size_t cap)
{
    size_t n = g->len - g->off < g->mss ? g->len - g->off : g->mss;
    if (g->hdr_len + n > cap) {
        rx_empty(g);
        return MAMORI_ERR_BUFSIZE;
    }
    tcp_frame_t t;
    t.hdr = g->hdr_len;
    t.l4 = ETH_LEN + (size_t)(g->frame[ETH_LEN] & 0x0f) * 4;
    memcpy(out, g->frame, g->hdr_len);
    uint32_t data_sum = csum_copy(0, out + g->hdr_len, g->frame + g->off, n);
    uint8_t *ip = out + ETH_LEN;
    uint8_t *tcp = out + t.l4;
    mamori_put_be16(ip + 2, (uint16_t)(g->hdr_len - ETH_LEN + n));
    mamori_put_be16(ip + 4, (uint16_t)(mamori_get_be16(ip + 4) + g->segment));
    mamori_put_be16(ip + 10, ip_checksum(ip, t.l4 - ETH_LEN));
    mamori_put_be32(tcp + 4, mamori_get_be32(tcp + 4) + (uint32_t)(g->off - g->hdr_len));
    bool last = g->off + n == g->len;
    if (g->segment > 0)
        tcp[13] &= (uint8_t)~MAMORI_TCP_F_CWR;
    if (!last)
        tcp[13] &= (uint8_t)~(MAMORI_TCP_F_FIN | MAMORI_TCP_F_PSH);
    mamori_put_be16(tcp + 16, tcp_checksum(out, &t, data_sum, n));
    g->off += n;
    g->segment++;
    return (int)(g->hdr_len + n);
}

int mamori_gso_rx_next(mamori_gso_rx_t *g, uint8_t *out, size_t cap)
{
    if (!g->frame || g->off == g->len)
        return 0;
    if (g->mss)
        return next_segment(g, out, cap);
    if (g->len > cap) {
        rx_empty(g);
        return MAMORI_ERR_BUFSIZE;
    }
    memcpy(out, g->frame, g->len);
    g->off = g->len;
    return (int)g->len;
}

void mamori_gso_tx_reset(mamori_gso_tx_t *g)
{
    g->len = 0;
    g->ack = false;
    g->segments = 0;
}

/* Whether two segments' headers agree on everything but the fields that
 * differ per segment (IPv4 length, identification and checksum; TCP
 * sequence number, PSH and checksum). */
static bool same_headers(const uint8_t *a, const uint8_t *b, const tcp_frame_t *t)
{
    const uint8_t *ia = a + ETH_LEN, *ib = b + ETH_LEN, *ta = a + t->l4, *tb = b + t->l4;
    return memcmp(a, b, ETH_LEN + 2) == 0 && memcmp(ia + 6, ib + 6, 4) == 0 &&
           memcmp(ia + 12, ib + 12, t->l4 - ETH_LEN - 12) == 0 && memcmp(ta, tb, 4) == 0 &&
           memcmp(ta + 8, tb + 8, 5) == 0 && (ta[13] & ~MAMORI_TCP_F_PSH) == (tb[13] & ~MAMORI_TCP_F_PSH) &&
           memcmp(ta + 14, tb + 14, 2) == 0 && memcmp(ta + 18, tb + 18, t->hdr - t->l4 - 18) == 0;
}

/* ACK alone, no payload and no SACK blocks (RFC 2018), whose information a
 * later such ACK of the flow carries too. */
static bool pure_ack(const uint8_t *frame, size_t len, const tcp_frame_t *t)
{
    if (len != t->hdr || frame[t->l4 + 13] != MAMORI_TCP_F_ACK)
        return false;
    mamori_rd_t rd;
    mamori_rd_init(&rd, frame + t->l4 + 20, t->hdr - t->l4 - 20);
    while (mamori_rd_left(&rd)) {
        uint8_t kind = mamori_rd_u8(&rd);
        if (kind == TCP_OPT_END)
            break;
        if (kind == TCP_OPT_SACK)
            return false;
        if (kind != TCP_OPT_NOP) {
            uint8_t opt_len = mamori_rd_u8(&rd);
            mamori_rd_skip(&rd, opt_len >= 2 ? opt_len - 2u : 0);
        }
    }
    return mamori_rd_ok(&rd);
}

/* Whether an ACK supersedes the held one: same addresses and ports, a later
 * acknowledgment number (a duplicate ACK is never folded away: RFC 5681
 * §3.2 counts them). */
static bool newer_ack(const uint8_t *held, const uint8_t *frame, const tcp_frame_t *t)
{
    const uint8_t *th = held + t->l4, *tf = frame + t->l4;
    return memcmp(held, frame, ETH_LEN) == 0 && memcmp(held + ETH_LEN + 12, frame + ETH_LEN + 12, 8) == 0 &&
           memcmp(th, tf, 4) == 0 && (int32_t)(mamori_get_be32(tf + 8) - mamori_get_be32(th + 8)) > 0;
}

static int hold_ack(mamori_gso_tx_t *g, const uint8_t *frame, size_t len, const tcp_frame_t *t)
{
    uint8_t *held = g->buf + MAMORI_VNET_HDR_LEN;
    if (g->len && !(g->ack && t->l4 == g->hdr_len && newer_ack(held, frame, t)))
        return 0;
    /* Within one batch only the latest ACK leaves: a stretch ACK, as hosts
     * with receive offload send, rather than RFC 5681 §4.2's one per two
     * full-sized segments, since the whole batch arrived at once. */
    memcpy(held, frame, len);
    g->len = MAMORI_VNET_HDR_LEN + len;
    g->hdr_len = t->l4;
    g->ack = true;
    g->segments = 1;
    return 1;
}

int mamori_gso_tx_add(mamori_gso_tx_t *g, const uint8_t *frame, size_t len)
{
    tcp_frame_t t;
    if (parse_tcp4(frame, len, &t) || mamori_get_be16(frame + ETH_LEN + 2) != len - ETH_LEN ||
        (mamori_get_be16(frame + ETH_LEN + 6) & 0xbfff))
        return 0; /* not TCP over IPv4, padded, or a fragment (flags other than DF) */
    if (pure_ack(frame, len, &t))
        return hold_ack(g, frame, len, &t);
    /* Segments that open, close or reset a connection travel alone. */
    if (len == t.hdr ||
        (frame[t.l4 + 13] & (MAMORI_TCP_F_SYN | MAMORI_TCP_F_FIN | MAMORI_TCP_F_RST | MAMORI_TCP_F_URG)))
        return 0;
    size_t n = len - t.hdr;
    uint32_t seq = mamori_get_be32(frame + t.l4 + 4);
    uint8_t *first = g->buf + MAMORI_VNET_HDR_LEN;
    if (g->len == 0) {
        memcpy(first, frame, len);
        g->len = MAMORI_VNET_HDR_LEN + len;
        g->hdr_len = t.hdr;
        g->ack = false;
        g->mss = g->last = n;
        g->segments = 1;
        g->next_seq = seq + (uint32_t)n;
        return 1;
    }
    /* Every segment but the last is full-sized (the kernel cuts the
     * super-segment at gso_size). */
    if (g->ack || t.hdr != g->hdr_len || g->last != g->mss || n > g->mss || seq != g->next_seq ||
        g->len + n > sizeof g->buf || !same_headers(first, frame, &t))
        return 0;
    memcpy(g->buf + g->len, frame + t.hdr, n);
    g->len += n;
    g->last = n;
    g->segments++;
    g->next_seq = seq + (uint32_t)n;
    /* The kernel leaves PSH on the last segment only; it takes the flag from
     * the super-segment's header. */
    uint8_t psh = frame[t.l4 + 13] & MAMORI_TCP_F_PSH;
    first[t.l4 + 13] = (uint8_t)((first[t.l4 + 13] & ~MAMORI_TCP_F_PSH) | psh);
    return 1;
}

size_t mamori_gso_tx_finish(mamori_gso_tx_t *g)
{
    uint8_t *v = g->buf;
    memset(v, 0, MAMORI_VNET_HDR_LEN);
    if (g->segments < 2)
        return g->len; /* one plain frame, its checksums already complete */
    uint8_t *frame = g->buf + MAMORI_VNET_HDR_LEN;
    size_t flen = g->len - MAMORI_VNET_HDR_LEN;
    uint8_t *ip = frame + ETH_LEN;
    size_t l4 = ETH_LEN + (size_t)(ip[0] & 0x0f) * 4;
    mamori_put_be16(ip + 2, (uint16_t)(flen - ETH_LEN));
    mamori_put_be16(ip + 10, ip_checksum(ip, l4 - ETH_LEN));
    /* The checksum field carries the pseudo-header sum for the device (the
     * kernel) to complete per segment. */
    uint32_t pseudo = mamori_csum_pseudo(mamori_get_be32(ip + 12), mamori_get_be32(ip + 16), IP_PROTO_TCP,
                                         (uint16_t)(flen - l4));
    mamori_put_be16(frame + l4 + 16, (uint16_t)~mamori_csum_finish(pseudo));
    v[0] = VNET_F_NEEDS_CSUM;
    v[1] = VNET_GSO_TCPV4;
    put_le16(v + 2, (uint16_t)g->hdr_len);
    put_le16(v + 4, (uint16_t)g->mss);
    put_le16(v + 6, (uint16_t)l4);
    put_le16(v + 8, 16);
    return g->len;
}
