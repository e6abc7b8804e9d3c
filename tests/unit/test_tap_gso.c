/* The TAP's virtio-net handling (port/posix/tap_gso.c): a kernel super-segment
 * cut into checksummed segments, a partial checksum completed against a known
 * frame, malformed headers refused, and the transmit side's coalescing undone
 * by the receive side. */
#include "check.h"
#include "mamori/error.h"
#include "posix/tap_gso.h"

#include <string.h>

#define VNET 10
#define HDR (14 + 20 + 32) /* Ethernet, IPv4, TCP with 12 bytes of options */

/* RFC 1071, kept apart from the code under test. */
static uint16_t ref_sum(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i < n; i++)
        sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static int ip_ok(const uint8_t *f) { return ref_sum(f + 14, 20, 0) == 0xffff; }

static int tcp_ok(const uint8_t *f, size_t len)
{
    size_t tcp_len = len - 34;
    uint32_t pseudo = ref_sum(f + 26, 8, 0) + 6 + (uint32_t)tcp_len;
    return ref_sum(f + 34, tcp_len, pseudo) == 0xffff;
}

static unsigned get16(const uint8_t *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | get16(p + 2); }

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

static uint8_t payload[5000];

/* An Ethernet/IPv4/TCP frame 198.18.0.1:40000 -> 198.18.0.2:9 with the
 * timestamp option, n payload bytes from payload[off], valid checksums. */
static size_t build_tcp(uint8_t *f, uint32_t seq, uint32_t ack, uint8_t flags, size_t off, size_t n, unsigned id)
{
    static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0};
    memcpy(f, eth, 14);
    uint8_t *ip = f + 14, *tcp = f + 34;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(20 + 32 + n));
    put16(ip + 4, id);
    put16(ip + 6, 0x4000);
    ip[8] = 64;
    ip[9] = 6;
    put32(ip + 12, 0xc6120001);
    put32(ip + 16, 0xc6120002);
    put16(ip + 10, (unsigned)(uint16_t)~ref_sum(ip, 20, 0));
    memset(tcp, 0, 32);
    put16(tcp, 40000);
    put16(tcp + 2, 9);
    put32(tcp + 4, seq);
    put32(tcp + 8, ack);
    tcp[12] = 8 << 4;
    tcp[13] = flags;
    put16(tcp + 14, 501);
    static const uint8_t ts[12] = {1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78};
    memcpy(tcp + 20, ts, sizeof ts);
    memcpy(f + HDR, payload + off, n);
    uint32_t pseudo = ref_sum(ip + 12, 8, 0) + 6 + (uint32_t)(32 + n);
    put16(tcp + 16, (unsigned)(uint16_t)~ref_sum(tcp, 32 + n, pseudo));
    return HDR + n;
}

static void vnet(uint8_t *v, uint8_t flags, uint8_t type, unsigned gso_size, unsigned start, unsigned offset)
{
    memset(v, 0, VNET);
    v[0] = flags;
    v[1] = type;
    v[2] = HDR; /* little-endian (TUNSETVNETLE) */
    v[4] = (uint8_t)gso_size;
    v[5] = (uint8_t)(gso_size >> 8);
    v[6] = (uint8_t)start;
    v[7] = (uint8_t)(start >> 8);
    v[8] = (uint8_t)offset;
    v[9] = (uint8_t)(offset >> 8);
}

static uint8_t buf[VNET + MAMORI_GSO_FRAME_MAX];

static void test_segmentation(void)
{
    /* 3001 bytes at MSS 1448: 1448 + 1448 + 105, odd tail included. */
    size_t len = build_tcp(buf + VNET, 1000, 77, 0x80 | 0x10 | 0x08 | 0x01, 0, 3001, 0x1234);
    vnet(buf, 1, 1, 1448, 34, 16);
    mamori_gso_rx_t g;
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_OK);
    static const size_t sizes[3] = {1448, 1448, 105};
    uint8_t seg[1600];
    for (unsigned i = 0; i < 3; i++) {
        int n = mamori_gso_rx_next(&g, seg, sizeof seg);
        CHECK_EQ(n, HDR + sizes[i]);
        if (n != (int)(HDR + sizes[i]))
            return;
        CHECK(ip_ok(seg));
        CHECK(tcp_ok(seg, (size_t)n));
        CHECK_EQ(get16(seg + 16), 20 + 32 + sizes[i]);
        CHECK_EQ(get16(seg + 18), 0x1234 + i);
        CHECK_EQ(get32(seg + 38), 1000 + 1448 * i);
        CHECK_EQ(get32(seg + 42), 77);
        /* CWR on the first only, FIN and PSH on the last only */
        CHECK_EQ(seg[47], i == 0 ? 0x90 : i == 2 ? 0x19 : 0x10);
        CHECK_MEM(seg + HDR, payload + 1448 * i, sizes[i]);
        CHECK_MEM(seg + 54, buf + VNET + 54, 12); /* options copied */
    }
    CHECK_EQ(mamori_gso_rx_next(&g, seg, sizeof seg), 0);

    /* A segment larger than the stack's buffer is dropped whole. */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_OK);
    CHECK_EQ(mamori_gso_rx_next(&g, seg, 1000), MAMORI_ERR_BUFSIZE);
    CHECK_EQ(mamori_gso_rx_next(&g, seg, sizeof seg), 0);
}

static void test_partial_checksum(void)
{
    /* The UDP datagram of test_pcap.c (checksum 0x8a26, worked out
     * independently), its checksum field holding only the pseudo-header sum
     * as the kernel leaves it (CHECKSUM_PARTIAL). */
    static const char hex[] = "02005e00000202005e0000010800"
                              "450000221234400040119c6fc6120001c6120002"
                              "9c400009000e00006d616d6f7269";
    long n = hex_decode(hex, buf + VNET, sizeof buf - VNET);
    put16(buf + VNET + 40, ref_sum(buf + VNET + 26, 8, 17 + 14));
    vnet(buf, 1, 0, 0, 34, 6);
    mamori_gso_rx_t g;
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + (size_t)n), MAMORI_OK);
    uint8_t out[100];
    CHECK_EQ(mamori_gso_rx_next(&g, out, sizeof out), n);
    CHECK_EQ(get16(out + 40), 0x8a26);
    CHECK_EQ(mamori_gso_rx_next(&g, out, sizeof out), 0);
}

static void test_malformed(void)
{
    mamori_gso_rx_t g;
    size_t len = build_tcp(buf + VNET, 1, 1, 0x10, 0, 3000, 1);
    CHECK_EQ(mamori_gso_rx_start(&g, buf, 20), MAMORI_ERR_MALFORMED);
    vnet(buf, 1, 0, 0, 34, len - 34 - 1); /* checksum field past the end */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_MALFORMED);
    vnet(buf, 1, 0, 0, (unsigned)len, 0);
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_MALFORMED);
    vnet(buf, 1, 1, 0, 34, 16); /* no segment size */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_MALFORMED);
    vnet(buf, 1, 1, 1448, 34, 6); /* a partial checksum other than TCP's */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_MALFORMED);
    vnet(buf, 1, 3, 1448, 34, 6); /* UDP fragmentation offload: not enabled */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_UNSUPPORTED);
    vnet(buf, 1, 1, 1448, 34, 16);
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + 14 + 20 + 25), MAMORI_ERR_MALFORMED); /* cut TCP header */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len - 1), MAMORI_ERR_MALFORMED);      /* IPv4 length disagrees */
    buf[VNET + 20] |= 0x20; /* more fragments: no super-segment */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_MALFORMED);
    buf[VNET + 20] &= 0x40;
    buf[VNET + 14] = 0x44; /* IPv4 header length below 20 bytes */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_MALFORMED);
    buf[VNET + 14] = 0x45;
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_OK);
    buf[VNET + 46] = 4 << 4; /* TCP data offset below 20 bytes */
    CHECK_EQ(mamori_gso_rx_start(&g, buf, VNET + len), MAMORI_ERR_MALFORMED);
    uint8_t out[64];
    CHECK_EQ(mamori_gso_rx_next(&g, out, sizeof out), 0);
}

static mamori_gso_tx_t tx;

static void test_coalescing(void)
{
    uint8_t seg[3][1600];
    size_t n[3];
    n[0] = build_tcp(seg[0], 5000, 9, 0x10, 0, 1448, 0x0101);
    n[1] = build_tcp(seg[1], 6448, 9, 0x10, 1448, 1448, 0x7777);
    n[2] = build_tcp(seg[2], 7896, 9, 0x18, 2896, 700, 0x0202);
    mamori_gso_tx_reset(&tx);
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(mamori_gso_tx_add(&tx, seg[i], n[i]), 1);
    size_t len = mamori_gso_tx_finish(&tx);
    CHECK_EQ(len, VNET + HDR + 1448 * 2 + 700);
    CHECK_EQ(tx.buf[0], 1);               /* checksum left to the kernel */
    CHECK_EQ(tx.buf[1], 1);               /* TCPv4 */
    CHECK_EQ(tx.buf[4] | tx.buf[5] << 8, 1448);
    CHECK_EQ(tx.buf[6] | tx.buf[7] << 8, 34);
    CHECK_EQ(tx.buf[8] | tx.buf[9] << 8, 16);
    CHECK(ip_ok(tx.buf + VNET));

    /* Cut again as the kernel would: the original segments come back. */
    memcpy(buf, tx.buf, len);
    mamori_gso_rx_t g;
    CHECK_EQ(mamori_gso_rx_start(&g, buf, len), MAMORI_OK);
    uint8_t out[1600];
    for (unsigned i = 0; i < 3; i++) {
        CHECK_EQ(mamori_gso_rx_next(&g, out, sizeof out), n[i]);
        CHECK(ip_ok(out) && tcp_ok(out, n[i]));
        CHECK_MEM(out, seg[i], 18);                    /* up to the IPv4 identification */
        CHECK_MEM(out + 20, seg[i] + 20, 4);           /* flags, TTL, protocol */
        CHECK_MEM(out + 26, seg[i] + 26, n[i] - 26);   /* addresses, TCP header, payload */
    }
    mamori_gso_tx_reset(&tx);

    /* What may not join: a gap, another ACK number, a short segment in the
     * middle, FIN. */
    uint8_t other[1600];
    CHECK_EQ(mamori_gso_tx_add(&tx, seg[0], n[0]), 1);
    CHECK_EQ(mamori_gso_tx_add(&tx, seg[2], n[2]), 0);
    build_tcp(other, 6448, 10, 0x10, 1448, 1448, 3);
    CHECK_EQ(mamori_gso_tx_add(&tx, other, n[1]), 0);
    build_tcp(other, 6448, 9, 0x11, 1448, 1448, 3);
    CHECK_EQ(mamori_gso_tx_add(&tx, other, n[1]), 0);
    CHECK_EQ(mamori_gso_tx_add(&tx, seg[1], n[1]), 1);
    mamori_gso_tx_reset(&tx);
    CHECK_EQ(mamori_gso_tx_add(&tx, seg[2], n[2]), 1);
    CHECK_EQ(mamori_gso_tx_add(&tx, seg[1], n[1]), 0);
    mamori_gso_tx_reset(&tx);
}

static void test_ack_thinning(void)
{
    uint8_t a1[100], a2[100], sack[100];
    size_t n = build_tcp(a1, 1, 1000, 0x10, 0, 0, 1);
    build_tcp(a2, 1, 3000, 0x10, 0, 0, 2);
    mamori_gso_tx_reset(&tx);
    CHECK_EQ(mamori_gso_tx_add(&tx, a1, n), 1);
    CHECK_EQ(mamori_gso_tx_add(&tx, a2, n), 1); /* later ACK replaces the held one */
    CHECK_EQ(mamori_gso_tx_finish(&tx), VNET + n);
    CHECK_MEM(tx.buf + VNET, a2, n);
    CHECK_EQ(tx.buf[0] | tx.buf[1], 0); /* sent as a plain frame */
    CHECK_EQ(mamori_gso_tx_add(&tx, a2, n), 0); /* a duplicate ACK is kept */
    CHECK_EQ(mamori_gso_tx_add(&tx, a1, n), 0); /* an older one too */
    mamori_gso_tx_reset(&tx);
    /* SACK blocks (kind 5) in place of the timestamps: never held */
    build_tcp(sack, 1, 3000, 0x10, 0, 0, 3);
    static const uint8_t sack_opt[12] = {1, 1, 5, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0};
    memcpy(sack + 54, sack_opt, sizeof sack_opt);
    CHECK_EQ(mamori_gso_tx_add(&tx, sack, n), 0);
    CHECK_EQ(mamori_gso_tx_add(&tx, a1, n), 1);
    CHECK_EQ(mamori_gso_tx_add(&tx, sack, n), 0);
    mamori_gso_tx_reset(&tx);
}

int main(void)
{
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 31 + (i >> 7));
    test_segmentation();
    test_partial_checksum();
    test_malformed();
    test_coalescing();
    test_ack_thinning();
    return check_summary("test_tap_gso");
}
