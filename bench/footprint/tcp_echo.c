/* Footprint scenario: net_udp.c's layers plus TCP with the native API (a TCP
 * echo server, one connection at a time). Compare with net_udp for TCP's share. */
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
static mamori_tcp_listener_t listener;
static mamori_tcp_t conn;
static uint8_t rx[2920], tx[2920];
static const mamori_port_t port = {
    .send_frame = board_send, .recv_frame = board_recv, .entropy = board_entropy,
};

static void on_event(mamori_tcp_t *c, mamori_tcp_event_t ev, int err, void *user)
{
    (void)err;
    (void)user;
    uint8_t buf[256];
    int n;
    if (ev == MAMORI_TCP_EV_READABLE) {
        while ((n = mamori_tcp_recv(c, buf, sizeof buf)) > 0)
            mamori_tcp_send(c, buf, (size_t)n);
        if (n == 0)
            mamori_tcp_close(c);
    }
}

static void on_accept(mamori_tcp_listener_t *l, void *user)
{
    (void)user;
    if (mamori_tcp_state(&conn) == MAMORI_TCP_CLOSED) {
        mamori_tcp_open(&stack, &conn, rx, sizeof rx, tx, sizeof tx);
        mamori_tcp_set_callback(&conn, on_event, NULL);
        mamori_tcp_accept(l, &conn);
    }
}

int main(void)
{
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
    mamori_stack_init(&stack, &port, mac, board_now());
    mamori_ip4_set_addr(&stack, MAMORI_IP4(198, 18, 0, 2), 24, MAMORI_IP4(198, 18, 0, 1), false);
    mamori_tcp_listen(&stack, &listener, 7, 4);
    mamori_tcp_listener_set_callback(&listener, on_accept, NULL);
    for (;;)
        mamori_poll(&stack, board_now());
}
