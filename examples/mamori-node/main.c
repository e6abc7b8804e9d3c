/*
 * mamori-node: one mamori stack on a Linux TAP device, for interop tests and
 * for trying mamori against real hosts. `mamori-node --help` lists the
 * options; features are modules (see node.h and modules.c).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "mamori/mamori.h"
#include "node.h"
#include "options.h"
#include "posix/clock.h"
#include "posix/crypto_x86.h"
#include "posix/pcap.h"
#include "posix/tap.h"

static volatile sig_atomic_t stop_requested;
static mamori_stack_t stack;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: the wait returns at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void print_counters(const mamori_tap_t *tap)
{
    printf("tap: offload %d rx_oversize %u rx_malformed %u tx_wouldblock %u tx_error %u tx_super %u\n",
           tap->offload, tap->rx_oversize, tap->rx_malformed, tap->tx_wouldblock, tap->tx_error, tap->tx_super);
    const mamori_tap_impair_t *rx = &tap->rx_impair, *tx = &tap->tx_impair;
    if (mamori_tap_impair_enabled(rx))
        printf("tap-impair: rx lost %u duplicated %u reordered %u tx lost %u duplicated %u reordered %u\n", rx->lost,
               rx->duplicated, rx->reordered, tx->lost, tx->duplicated, tx->reordered);
    printf("counters:\n");
    for (size_t i = 0; i < MAMORI_STATS_COUNT; i++)
        printf("  %s %u\n", mamori_stats_name(i), mamori_stats_value(mamori_stats(&stack), i));
}

static int start_modules(void)
{
    for (size_t m = 0; node_modules[m]; m++) {
        int rc = node_modules[m]->start ? node_modules[m]->start(&stack) : MAMORI_OK;
        if (rc)
            return rc;
    }
    return MAMORI_OK;
}

static uint32_t poll_modules(uint32_t now, uint32_t wait)
{
    for (size_t m = 0; node_modules[m]; m++) {
        if (node_modules[m]->poll) {
            uint32_t w = node_modules[m]->poll(&stack, now);
            wait = w < wait ? w : wait;
        }
    }
    return wait;
}

int main(int argc, char **argv)
{
    node_options_t opt;
    node_parse_options(&opt, argc, argv);
    if (!opt.soft_crypto)
        mamori_posix_crypto_install();
    if (!opt.have_mac) {
        if (getrandom(opt.mac, sizeof opt.mac, 0) != (ssize_t)sizeof opt.mac)
            return 1;
        opt.mac[0] = (uint8_t)((opt.mac[0] & 0xfe) | 0x02); /* unicast, locally administered */
    }
    static mamori_tap_t tap;
    int rc = mamori_tap_open(&tap, opt.tap, !opt.tap_no_offload);
    if (rc) {
        fprintf(stderr, "mamori-node: cannot open TAP %s: %s\n", opt.tap, mamori_strerror(rc));
        return 1;
    }
    mamori_tap_impair(&tap, opt.impair[0], opt.impair[1], opt.impair[2], opt.impair_seed);
    static mamori_port_t tap_port, port;
    mamori_tap_port(&tap, &tap_port);
    port = tap_port;
    static mamori_pcap_t pcap;
    static mamori_pcap_wrap_t wrap;
    if (opt.pcap) {
        if (mamori_pcap_open(&pcap, opt.pcap)) {
            fprintf(stderr, "mamori-node: cannot write %s\n", opt.pcap);
            return 1;
        }
        mamori_pcap_wrap(&wrap, &pcap, &tap_port, &port);
    }
    rc = mamori_stack_init(&stack, &port, opt.mac, mamori_posix_now_ms());
    if (rc == 0)
        rc = mamori_ip4_set_addr(&stack, opt.addr, opt.prefix, opt.gw, opt.probe);
    if (rc == 0)
        mamori_icmp_set_echo(&stack, !opt.no_ping);
    if (rc == 0)
        rc = start_modules();
    if (rc) {
        fprintf(stderr, "mamori-node: %s\n", mamori_strerror(rc));
        return 1;
    }
    install_signals();
    bool ready = false;
    while (!stop_requested) {
        uint32_t now = mamori_posix_now_ms();
        uint32_t wait = poll_modules(now, mamori_poll(&stack, now));
        if (!ready && mamori_ip4_addr(&stack)) {
            printf("ready\n");
            fflush(stdout);
            ready = true;
        }
        mamori_tap_wait(&tap, wait);
    }
    for (size_t m = 0; node_modules[m]; m++)
        if (node_modules[m]->finish)
            node_modules[m]->finish(&stack);
    print_counters(&tap);
    if (opt.pcap)
        mamori_pcap_close(&pcap);
    mamori_tap_close(&tap);
    return 0;
}
