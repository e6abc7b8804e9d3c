/*
 * libFuzzer harness: TCP segments into connections in every state. The first
 * input byte picks the starting point (LISTEN, SYN-SENT, SYN-RECEIVED after a
 * simultaneous open, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT,
 * LAST-ACK, CLOSING, TIME-WAIT), reached by a scripted exchange. The rest is a
 * sequence of records: length (2 bytes, big-endian), time step in ms (1
 * byte), an action byte, then a TCP segment (header, options, data). The
 * harness fixes the ports to the connection's when bit 0 of the action is
 * set, makes the sequence/acknowledgment numbers relative to the
 * connection's when bit 1 is set, and fills a correct checksum unless bit 2
 * is set, so the fuzzer reaches the state machine rather than the checksum.
 * Bit 3 makes the application send, bit 4 read, bit 5 close.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mamori/mamori.h"
#include "mamori/tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)
#define LPORT 80
#define PPORT 40000

static uint8_t last_tx[1600];
static size_t last_len;
static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 2}, peer_mac[6] = {0x02, 0, 0, 0, 0, 1};

static int keep_send(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    if (len <= sizeof last_tx) {
        memcpy(last_tx, frame, len);
        last_len = len;
    }
    return 0;
}

static int no_recv(void *ctx, uint8_t *buf, size_t cap)
{
    (void)ctx;
    (void)buf;
    (void)cap;
    return 0;
}

static int counter_entropy(void *ctx, void *buf, size_t len)
{
    static uint8_t x;
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = x++;
    return 0;
}

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v >> 16);
    wr16(p + 2, v);
}

static uint16_t csum(const uint8_t *p, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Wraps a TCP segment in Ethernet and IPv4 and feeds it to the stack. */
static void inject(mamori_stack_t *s, uint8_t *seg, size_t n, bool fix_csum)
{
    static uint8_t f[1600];
    if (n > sizeof f - 34)
        n = sizeof f - 34;
    memcpy(f, our_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    wr16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    wr16(ip + 2, (uint32_t)(20 + n));
    ip[6] = 0x40;
    ip[8] = 64;
    ip[9] = 6;
    wr32(ip + 12, PEER_IP);
    wr32(ip + 16, OUR_IP);
    wr16(ip + 10, csum(ip, 20, 0));
    if (fix_csum && n >= 18) {
        wr16(seg + 16, 0);
        uint32_t pseudo = (PEER_IP >> 16) + (PEER_IP & 0xffff) + (OUR_IP >> 16) + (OUR_IP & 0xffff) + 6 + (uint32_t)n;
        wr16(seg + 16, csum(seg, n, pseudo));
    }
    memcpy(f + 34, seg, n);
    mamori_input(s, f, 34 + n);
}

/* A segment without payload; a SYN offers SACK (NOP NOP SACK-permitted) so
 * that the fuzzed ACKs reach the SACK scoreboard. */
static void simple(mamori_stack_t *s, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags)
{
    uint8_t seg[24] = {0};
    size_t n = (flags & 0x02) ? 24 : 20;
    wr16(seg, sport);
    wr16(seg + 2, dport);
    wr32(seg + 4, seq);
    wr32(seg + 8, ack);
    seg[12] = (uint8_t)((n / 4) << 4);
    seg[13] = flags;
    wr16(seg + 14, 8192);
    wr32(seg + 20, 0x01010402u);
    inject(s, seg, n, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mamori_stack_t stack;
    static mamori_tcp_listener_t lis;
    static mamori_tcp_t conn;
    static uint8_t rx[2048], tx[2048];
    static const mamori_port_t port = {.send_frame = keep_send, .recv_frame = no_recv, .entropy = counter_entropy};
    if (size < 1)
        return 0;
    uint32_t now = 1000;
    mamori_stack_init(&stack, &port, our_mac, now);
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, false);
    uint8_t arp[42] = {0};
    memcpy(arp, our_mac, 6);
    memcpy(arp + 6, peer_mac, 6);
    wr16(arp + 12, 0x0806);
    const uint8_t arp_hdr[] = {0, 1, 8, 0, 6, 4, 0, 2};
    memcpy(arp + 14, arp_hdr, 8);
    memcpy(arp + 22, peer_mac, 6);
    wr32(arp + 28, PEER_IP);
    memcpy(arp + 32, our_mac, 6);
    wr32(arp + 38, OUR_IP);
    mamori_input(&stack, arp, sizeof arp);
    mamori_tcp_listen(&stack, &lis, LPORT, 4);
    mamori_tcp_open(&stack, &conn, rx, sizeof rx, tx, sizeof tx);
    uint16_t lport = LPORT;
    uint32_t peer_seq = 5000, our_seq = 0;
    unsigned start = data[0] % 10;
    if (start == 1 || start == 2) {
        mamori_tcp_connect(&conn, PEER_IP, PPORT);
        lport = mamori_tcp_local_port(&conn);
        our_seq = rd32(last_tx + 38) + 1;
        if (start == 2)
            simple(&stack, PPORT, lport, peer_seq, 0, 0x02); /* simultaneous open */
    } else if (start >= 3) {
        simple(&stack, PPORT, LPORT, peer_seq, 0, 0x02);
        our_seq = rd32(last_tx + 38) + 1;
        simple(&stack, PPORT, LPORT, peer_seq + 1, our_seq, 0x10);
        mamori_tcp_accept(&lis, &conn);
        peer_seq++;
        if (start == 4 || start == 5 || start == 8 || start == 9) {
            mamori_tcp_shutdown(&conn); /* FIN-WAIT-1 */
            if (start == 5 || start == 9)
                simple(&stack, PPORT, LPORT, peer_seq, our_seq + 1, 0x10); /* FIN-WAIT-2 */
            if (start == 8 || start == 9)
                simple(&stack, PPORT, LPORT, peer_seq++, our_seq + (start == 9), 0x11); /* CLOSING / TIME-WAIT */
        } else if (start == 6 || start == 7) {
            simple(&stack, PPORT, LPORT, peer_seq++, our_seq, 0x11); /* CLOSE-WAIT */
            if (start == 7)
                mamori_tcp_shutdown(&conn); /* LAST-ACK */
        }
    }
    size_t pos = 1;
    uint8_t buf[1600];
    while (size - pos >= 4) {
        size_t len = (size_t)data[pos] << 8 | data[pos + 1];
        now += data[pos + 2];
        uint8_t action = data[pos + 3];
        pos += 4;
        if (len > size - pos)
            len = size - pos;
        if (len > sizeof buf)
            len = sizeof buf;
        memcpy(buf, data + pos, len);
        pos += len;
        if (len >= 20) {
            if (action & 1) {
                wr16(buf, PPORT);
                wr16(buf + 2, lport);
            }
            if (action & 2) {
                wr32(buf + 4, peer_seq + rd32(buf + 4));
                wr32(buf + 8, our_seq + rd32(buf + 8));
            }
        }
        inject(&stack, buf, len, !(action & 4));
        if (action & 8)
            mamori_tcp_send(&conn, data, size < 3000 ? size : 3000);
        if (action & 16) {
            while (mamori_tcp_recv(&conn, buf, sizeof buf) > 0) {
            }
        }
        if (action & 32)
            mamori_tcp_close(&conn);
        mamori_poll(&stack, now);
    }
    mamori_tcp_abort(&conn);
    mamori_tcp_unlisten(&lis);
    return 0;
}
