/*
 * DHCP client (RFC 2131/2132) with RFC 5227 address checking. The client is
 * a caller-owned struct; it configures the stack's address, prefix and
 * gateway from the lease and removes them when the lease ends.
 *
 *   static mamori_dhcp_t dhcp;
 *   mamori_dhcp_start(&dhcp, &stack, remembered_addr); // 0: none
 *   for (;;) {
 *       uint32_t now = port_now_ms();
 *       uint32_t wait = mamori_poll(&stack, now);
 *       wait = mamori_min(wait, mamori_dhcp_poll(&dhcp, now));
 *       port_wait(wait);
 *   }
 *
 * mamori_dhcp_poll() must run right after every mamori_poll(): it reads the
 * replies the stack queued and watches the address the stack holds. It
 * returns the milliseconds until its next deadline, or 0 when it sent
 * something or changed the stack's address, so that the loop goes round
 * once more and mamori_poll() sees the new timers.
 */
#ifndef MAMORI_DHCP_H
#define MAMORI_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/net.h"

typedef enum {
    MAMORI_DHCP_OFF = 0,
    MAMORI_DHCP_INIT,       /* waiting to start (or restart) discovery or INIT-REBOOT */
    MAMORI_DHCP_SELECTING,  /* DISCOVER sent, waiting for an OFFER */
    MAMORI_DHCP_REQUESTING, /* REQUEST sent for an offer */
    MAMORI_DHCP_REBOOTING,  /* INIT-REBOOT: REQUEST for the remembered address */
    MAMORI_DHCP_CHECKING,   /* ACK received, ARP-probing the address */
    MAMORI_DHCP_BOUND,
    MAMORI_DHCP_RENEWING,  /* after T1: REQUEST unicast to the server */
    MAMORI_DHCP_REBINDING, /* after T2: REQUEST broadcast to any server */
} mamori_dhcp_state_t;

typedef struct {
    mamori_stack_t *stack;
    mamori_udp_t sock;
    uint8_t state;
    uint8_t tries;   /* transmissions in this state */
    uint8_t prefix;  /* lease prefix length */
    uint8_t dns_count;
    uint32_t now;
    uint32_t xid;
    uint32_t started;  /* first transmission of this exchange, ms */
    uint32_t deadline; /* next retransmission or state change, ms */
    uint32_t retry_ms;
    uint32_t addr, server, gw, ntp;
    uint32_t dns[MAMORI_DHCP_DNS_MAX];
    uint32_t t1, t2, expiry; /* ms */
    uint8_t ring[MAMORI_DHCP_RING_SIZE];
} mamori_dhcp_t;

/* Starts the client on port 68, in INIT. With remembered (a previous
 * lease's address) the first poll goes on to INIT-REBOOT, else DISCOVER
 * follows a random delay (RFC 2131 §4.4.1). The stack must have no address
 * of its own. */
int mamori_dhcp_start(mamori_dhcp_t *d, mamori_stack_t *s, uint32_t remembered);
/* Stops the client; with release, a held lease is given back (DHCPRELEASE)
 * and the address removed. */
void mamori_dhcp_stop(mamori_dhcp_t *d, bool release);
/* Runs the client; see above. Returns UINT32_MAX when stopped. */
uint32_t mamori_dhcp_poll(mamori_dhcp_t *d, uint32_t now_ms);
mamori_dhcp_state_t mamori_dhcp_state(const mamori_dhcp_t *d);
/* The leased address (0 when none): also what to remember for INIT-REBOOT. */
uint32_t mamori_dhcp_addr(const mamori_dhcp_t *d);
uint32_t mamori_dhcp_server(const mamori_dhcp_t *d);
/* Copies up to max DNS servers (option 6) of the lease; returns how many. */
size_t mamori_dhcp_dns_servers(const mamori_dhcp_t *d, uint32_t *out, size_t max);
/* The first NTP server (option 42) of the lease, 0 when none. */
uint32_t mamori_dhcp_ntp_server(const mamori_dhcp_t *d);

#endif
