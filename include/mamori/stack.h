/*
 * The stack instance and its poll loop.
 *
 *   static mamori_stack_t stack;
 *   mamori_stack_init(&stack, &port, mac, now);
 *   mamori_ip4_set_addr(&stack, MAMORI_IP4(198,18,0,2), 24, 0, false);
 *   for (;;) {
 *       uint32_t wait_ms = mamori_poll(&stack, port_now_ms());
 *       port_wait(wait_ms); // until a frame arrives or the timer is due
 *   }
 */
#ifndef MAMORI_STACK_H
#define MAMORI_STACK_H

#include "mamori/config.h"
#include "mamori/defense.h"
#include "mamori/drbg.h"
#include "mamori/net.h"
#include "mamori/port.h"
#include "mamori/stats.h"
#if MAMORI_TCP
#include "mamori/tcp.h"
#endif

struct mamori_stack {
    const mamori_port_t *port;
    uint32_t now; /* time of the current poll, ms */
    uint8_t mac[6];
    uint8_t mcast_macs[MAMORI_ETH_MCAST_GROUPS][6];
    mamori_stats_t stats;
    uint64_t rx_octets, tx_octets; /* ifHCInOctets/ifHCOutOctets (RFC 2863) */
#if MAMORI_DRBG
    mamori_drbg_t drbg;      /* every unpredictable value comes from here */
    uint8_t random_pool[32]; /* DRBG output not yet handed out */
    uint8_t random_left;
    uint64_t id_key[2]; /* SipHash key of the IPv4 IDs (core/random.c) */
    uint32_t id_count;  /* IDs made with it; 0: draw a new key */
#endif
    mamori_pbuf_t pbufs[MAMORI_PBUF_COUNT];
    uint8_t rx_frame[MAMORI_FRAME_MAX];
    mamori_arp_state_t arp;
    mamori_ip4_state_t ip4;
    mamori_icmp_state_t icmp;
#if MAMORI_DEFENSE
    mamori_defense_t defense;
#endif
    mamori_udp_t *udp_sockets;
#if MAMORI_TCP
    mamori_tcp_state_t tcp;
#endif
};

/* Prepares a stack on a port with the interface MAC address. */
int mamori_stack_init(mamori_stack_t *s, const mamori_port_t *port, const uint8_t mac[6], uint32_t now_ms);
/* Receives pending frames (at most MAMORI_RX_BUDGET), runs due timers and
 * returns the milliseconds until the next timer (UINT32_MAX when none). */
uint32_t mamori_poll(mamori_stack_t *s, uint32_t now_ms);
/* Feeds one received Ethernet frame directly (drivers that push frames, tests). */
void mamori_input(mamori_stack_t *s, const uint8_t *frame, size_t len);
const mamori_stats_t *mamori_stats(const mamori_stack_t *s);
/* Joins an Ethernet multicast MAC address (frames to it are accepted). */
int mamori_eth_join(mamori_stack_t *s, const uint8_t mac[6]);
int mamori_eth_leave(mamori_stack_t *s, const uint8_t mac[6]);

#endif
