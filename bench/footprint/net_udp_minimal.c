// config: -DMAMORI_DRBG=0 -DMAMORI_IP4_REASSEMBLY=0 -DMAMORI_TCP=0
/* Footprint scenario: Ethernet + ARP + IPv4 + ICMP + UDP with the native API,
 * without reassembly and taking randomness straight from the port (no DRBG)
 * (a UDP echo device). The port functions are the application's, so they are
 * declared but their bodies are not counted. */
#include "mamori/mamori.h"

extern int board_send(void *ctx, const uint8_t *frame, size_t len);
extern int board_recv(void *ctx, uint8_t *buf, size_t cap);
extern int board_entropy(void *ctx, void *buf, size_t len);
extern uint32_t board_now(void);

int board_send(void *ctx, const uint8_t *frame, size_t len) { (void)ctx; (void)frame; return (int)len & 0; }
int board_recv(void *ctx, uint8_t *buf, size_t cap) { (void)ctx; (void)buf; (void)cap; return 0; }
int board_entropy(void *ctx, void *buf, size_t len) { (void)ctx; (void)buf; (void)len; return 0; }
uint32_t board_now(void) { static volatile uint32_t t; return t; }

static mamori_stack_t stack;
static mamori_udp_t echo;
static uint8_t ring[2048];
static const mamori_port_t port = {
    .send_frame = board_send, .recv_frame = board_recv, .entropy = board_entropy,
};

int main(void)
{
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
    mamori_stack_init(&stack, &port, mac, board_now());
    mamori_ip4_set_addr(&stack, MAMORI_IP4(198, 18, 0, 2), 24, MAMORI_IP4(198, 18, 0, 1), false);
    mamori_udp_open(&stack, &echo, ring, sizeof ring);
    mamori_udp_bind(&echo, 7);
    for (;;) {
        uint8_t buf[MAMORI_UDP_MAX_PAYLOAD];
        uint32_t src;
        uint16_t sport;
        mamori_poll(&stack, board_now());
        int n = mamori_udp_recvfrom(&echo, buf, sizeof buf, &src, &sport);
        if (n >= 0)
            mamori_udp_sendto(&echo, src, sport, buf, (size_t)n);
    }
}
