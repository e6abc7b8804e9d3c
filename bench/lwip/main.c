/*
 * A TCP discard server on lwIP's unix TAP driver (tapif), for the
 * throughput comparison in bench/lwip_tcp_bench.sh. The TAP device named by
 * PRECONFIGURED_TAPIF must exist and be up on the kernel side.
 *
 *     lwip-discard ADDR NETMASK PORT
 *
 * Prints "ready" once listening and, per connection, the bytes received.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include "netif/tapif.h"

static volatile sig_atomic_t stop;
static unsigned long long received;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    (void)arg;
    (void)err;
    if (!p) {
        printf("lwip-discard: %llu bytes\n", received);
        fflush(stdout);
        received = 0;
        tcp_recv(pcb, NULL);
        return tcp_close(pcb);
    }
    received += p->tot_len;
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    tcp_recv(pcb, on_recv);
    return ERR_OK;
}

int main(int argc, char **argv)
{
    ip4_addr_t addr, mask, gw;
    if (argc != 4 || !ip4addr_aton(argv[1], &addr) || !ip4addr_aton(argv[2], &mask)) {
        fprintf(stderr, "usage: lwip-discard ADDR NETMASK PORT\n");
        return 2;
    }
    ip4_addr_set_zero(&gw);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    lwip_init();
    static struct netif netif;
    if (!netif_add(&netif, &addr, &mask, &gw, NULL, tapif_init, ethernet_input))
        return 1;
    netif_set_default(&netif);
    netif_set_up(&netif);
    struct tcp_pcb *pcb = tcp_new();
    if (!pcb || tcp_bind(pcb, IP4_ADDR_ANY, (u16_t)atoi(argv[3])) != ERR_OK)
        return 1;
    pcb = tcp_listen(pcb);
    tcp_accept(pcb, on_accept);
    printf("ready\n");
    fflush(stdout);
    while (!stop) {
        tapif_select(&netif);
        sys_check_timeouts();
    }
    return 0;
}
