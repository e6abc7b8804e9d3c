/* --udp-echo PORT: echoes every datagram received on PORT. */
#include "node.h"

static uint16_t echo_port;
static mamori_udp_t echo_sock;
static uint8_t echo_ring[16384];

static bool opt_udp_echo(const char *arg) { return node_parse_port(arg, &echo_port); }

static void on_echo(mamori_udp_t *sock, void *user)
{
    (void)user;
    uint8_t buf[MAMORI_UDP_MAX_PAYLOAD];
    uint32_t src;
    uint16_t sport;
    int n;
    while ((n = mamori_udp_recvfrom(sock, buf, sizeof buf, &src, &sport)) >= 0)
        mamori_udp_sendto(sock, src, sport, buf, (size_t)n);
}

static int start(mamori_stack_t *s)
{
    if (!echo_port)
        return MAMORI_OK;
    mamori_udp_open(s, &echo_sock, echo_ring, sizeof echo_ring);
    mamori_udp_set_callback(&echo_sock, on_echo, NULL);
    return mamori_udp_bind(&echo_sock, echo_port);
}

static const node_option_t options[] = {
    {"udp-echo", "PORT", "echo every UDP datagram received on PORT", opt_udp_echo},
    {NULL, NULL, NULL, NULL},
};

const node_module_t node_udp_echo = {.options = options, .start = start};
