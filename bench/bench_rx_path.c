/*
 * Receive-path cost of the defences, and how fast a flood is dropped.
 *
 *   bench_rx_path cost N    feeds N mixed frames (UDP to a bound port, pings,
 *                           ARP requests) and exits; run under
 *                           `valgrind --tool=callgrind` and divide by N for
 *                           instructions per frame (bench/bench_rx_path.sh
 *                           does this with and without MAMORI_DEFENSE).
 *   bench_rx_path cost-rules N   the same with every filter rule armed.
 *   bench_rx_path flood S   feeds a SYN flood from a denied source for S
 *                           seconds and prints frames dropped per second.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture_port.h"
#include "mamori/mamori.h"

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static uint8_t frames[3][256];
static size_t lens[3];

static void on_udp(mamori_udp_t *sock, void *user)
{
    (void)user;
    uint8_t buf[64];
    while (mamori_udp_recvfrom(sock, buf, sizeof buf, NULL, NULL) >= 0) {
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    capture_port_init(&cap, &port, 5);
    mamori_stack_init(&stack, &port, our_mac, 0);
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, false);
    static uint8_t ring[4096];
    static mamori_udp_t sock;
    mamori_udp_open(&stack, &sock, ring, sizeof ring);
    mamori_udp_bind(&sock, 7);
    mamori_udp_set_callback(&sock, on_udp, NULL);
    uint8_t payload[64];
    memset(payload, 0x5a, sizeof payload);
    lens[0] = build_udp(frames[0], our_mac, peer_mac, PEER_IP, OUR_IP, 4000, 7, payload, sizeof payload);
    lens[1] = build_ping(frames[1], our_mac, peer_mac, PEER_IP, OUR_IP, 1, 1, payload, 56);
    lens[2] = build_arp(frames[2], 1, peer_mac, PEER_IP, (const uint8_t[6]){0}, OUR_IP);
    long n = atol(argv[2]);
    if (!strcmp(argv[1], "cost") || !strcmp(argv[1], "cost-rules")) {
#if MAMORI_DEFENSE
        /* "cost": the default defences (class limits, broadcast storm
         * control). "cost-rules": also a MAC allow list, a source rule, a
         * port rule, and every class limited and watched for storms; all of
         * it passes, so the same work is done with and without defences. */
        if (!strcmp(argv[1], "cost-rules")) {
            mamori_filter_allow_mac(&stack, peer_mac);
            mamori_filter_add_src(&stack, MAMORI_IP4(198, 18, 0, 0), 24, true);
            mamori_filter_add_port(&stack, 17, 7, MAMORI_IP4(198, 18, 0, 0), 24);
            for (int c = 0; c < MAMORI_CLASS_COUNT; c++) {
                mamori_rate_set(&stack, (mamori_traffic_class_t)c, 1000000000u, 1000000u);
                mamori_storm_set(&stack, (mamori_traffic_class_t)c, 0xffffffffu, 1);
            }
        }
#endif
        /* Frames arrive 3 ms apart: every class stays under its default limit. */
        for (long i = 0; i < n; i++) {
            stack.now = (uint32_t)(3 * i);
            mamori_input(&stack, frames[i % 3], lens[i % 3]);
            capture_port_clear(&cap);
        }
        printf("fed %ld frames\n", n);
        return 0;
    }
#if MAMORI_DEFENSE
    /* A SYN flood from outside the allowed prefix. */
    mamori_filter_add_src(&stack, PEER_IP, 32, true);
    uint8_t seg[20] = {0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0};
    uint8_t flood[128];
    size_t flen = build_ip4(flood, our_mac, peer_mac, MAMORI_IP4(198, 19, 7, 7), OUR_IP, 6, 1, 0x4000, seg, sizeof seg);
    double start = now_s(), end = start + (double)n;
    unsigned long count = 0;
    while (now_s() < end) {
        for (int i = 0; i < 10000; i++)
            mamori_input(&stack, flood, flen);
        count += 10000;
    }
    printf("flood: %.0f frames/s dropped on one core (filter_drop_src %u)\n", count / (now_s() - start),
           stack.stats.filter_drop_src);
#endif
    return 0;
}
