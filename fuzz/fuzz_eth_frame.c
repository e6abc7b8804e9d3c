/*
 * libFuzzer harness: arbitrary Ethernet frames into a configured stack (ARP
 * cache, reassembly, ICMP, a bound UDP socket). The input is a sequence of
 * records: length (2 bytes, big-endian), time step in ms (1 byte), frame.
 * State carries across records, so fragments and ARP exchanges combine.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mamori/mamori.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int drop_send(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    (void)frame;
    (void)len;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mamori_stack_t stack;
    static mamori_udp_t sock;
    static uint8_t ring[2048];
    static const mamori_port_t port = {.send_frame = drop_send, .recv_frame = no_recv, .entropy = counter_entropy};
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 2};
    uint32_t now = 1000;
    mamori_stack_init(&stack, &port, mac, now);
    mamori_ip4_set_addr(&stack, MAMORI_IP4(198, 18, 0, 2), 24, MAMORI_IP4(198, 18, 0, 1), false);
    mamori_ip4_join(&stack, MAMORI_IP4(224, 0, 0, 251));
    mamori_udp_open(&stack, &sock, ring, sizeof ring);
    mamori_udp_bind(&sock, 7);
    size_t pos = 0;
    while (size - pos >= 3) {
        size_t len = (size_t)data[pos] << 8 | data[pos + 1];
        now += data[pos + 2];
        pos += 3;
        if (len > size - pos)
            len = size - pos;
        mamori_input(&stack, data + pos, len);
        mamori_poll(&stack, now);
        pos += len;
        uint8_t buf[64];
        while (mamori_udp_recvfrom(&sock, buf, sizeof buf, NULL, NULL) >= 0) {
        }
        if (len > 0 && data[pos - 1] == 0x42)
            mamori_udp_sendto(&sock, MAMORI_IP4(198, 18, 0, 1), 9, buf, 16);
    }
    mamori_udp_close(&sock);
    return 0;
}
