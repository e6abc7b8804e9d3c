/*
 * Compile-time configuration. Every MAMORI_* option has its default here.
 * To override, provide mamori_user_config.h on the include path (or define
 * the macro on the compiler command line). Options set to 0 compile the
 * feature out entirely: it costs no code and no RAM.
 */
#ifndef MAMORI_CONFIG_H
#define MAMORI_CONFIG_H

#ifdef __has_include
#if __has_include("mamori_user_config.h")
#include "mamori_user_config.h"
#endif
#endif

/* ---- core ------------------------------------------------------------ */
#ifndef MAMORI_PBUF_COUNT /* frame buffers in the shared pool */
#define MAMORI_PBUF_COUNT 4
#endif
#ifndef MAMORI_MTU /* IPv4 MTU of the interface (Ethernet: 1500) */
#define MAMORI_MTU 1500
#endif
#ifndef MAMORI_RX_BUDGET /* frames processed per mamori_poll() call */
#define MAMORI_RX_BUDGET 16
#endif
#ifndef MAMORI_LOG_LEVEL /* 0 none, 1 error, 2 warn, 3 info, 4 debug */
#define MAMORI_LOG_LEVEL 2
#endif

/* ---- Ethernet / ARP --------------------------------------------------- */
#ifndef MAMORI_ETH_MCAST_GROUPS /* joined multicast MAC addresses */
#define MAMORI_ETH_MCAST_GROUPS 4
#endif
#ifndef MAMORI_ARP_CACHE_SIZE
#define MAMORI_ARP_CACHE_SIZE 8
#endif
#ifndef MAMORI_ARP_TTL_MS /* lifetime of a resolved entry */
#define MAMORI_ARP_TTL_MS 300000u
#endif
#ifndef MAMORI_ARP_RETRY_MS /* first request retry; doubles each time */
#define MAMORI_ARP_RETRY_MS 500u
#endif
#ifndef MAMORI_ARP_MAX_TRIES /* requests sent before giving up */
#define MAMORI_ARP_MAX_TRIES 4
#endif
#ifndef MAMORI_ARP_QUEUE_LEN /* packets held while awaiting resolution */
#define MAMORI_ARP_QUEUE_LEN 2
#endif
#if MAMORI_ARP_QUEUE_LEN >= MAMORI_PBUF_COUNT
#error "MAMORI_ARP_QUEUE_LEN must leave a pbuf free (for the ARP request itself)"
#endif
#ifndef MAMORI_ARP_DEFEND_INTERVAL_MS /* RFC 5227 DEFEND_INTERVAL */
#define MAMORI_ARP_DEFEND_INTERVAL_MS 10000u
#endif
#ifndef MAMORI_ARP_DEFEND_FOREVER /* 1: never give up the address (RFC 5227 §2.4 c) */
#define MAMORI_ARP_DEFEND_FOREVER 0
#endif

/* ---- IPv4 / ICMP / UDP ------------------------------------------------ */
#ifndef MAMORI_IP4_TTL
#define MAMORI_IP4_TTL 64
#endif
#ifndef MAMORI_IP4_REASSEMBLY /* accept fragmented datagrams */
#define MAMORI_IP4_REASSEMBLY 1
#endif
#ifndef MAMORI_IP4_REASS_SLOTS /* datagrams reassembled at once */
#define MAMORI_IP4_REASS_SLOTS 1
#endif
#ifndef MAMORI_IP4_REASS_MAX /* largest reassembled datagram payload */
#define MAMORI_IP4_REASS_MAX 4096
#endif
#ifndef MAMORI_IP4_REASS_TIMEOUT_MS
#define MAMORI_IP4_REASS_TIMEOUT_MS 5000u
#endif
#ifndef MAMORI_ICMP_ECHO /* answer echo requests (runtime switch too) */
#define MAMORI_ICMP_ECHO 1
#endif
#ifndef MAMORI_ICMP_UNREACH /* send port unreachable for closed UDP ports */
#define MAMORI_ICMP_UNREACH 1
#endif
#ifndef MAMORI_ICMP_RATE_PPS /* token bucket for every ICMP message sent */
#define MAMORI_ICMP_RATE_PPS 1000u
#endif
#ifndef MAMORI_ICMP_BURST
#define MAMORI_ICMP_BURST 50u
#endif
#ifndef MAMORI_UDP
#define MAMORI_UDP 1
#endif

/* ---- defences: receive filter, rate limits, storm control -------------- */
#ifndef MAMORI_DEFENSE /* 0 compiles the filter, class limits and storm control out */
#define MAMORI_DEFENSE 1
#endif
#ifndef MAMORI_FILTER_MACS /* source MAC allow list entries */
#define MAMORI_FILTER_MACS 4
#endif
#ifndef MAMORI_FILTER_IP_RULES /* source prefix allow/deny rules */
#define MAMORI_FILTER_IP_RULES 8
#endif
#ifndef MAMORI_FILTER_PORT_RULES /* per-port source restrictions */
#define MAMORI_FILTER_PORT_RULES 4
#endif
#ifndef MAMORI_STORM_WINDOW_MS /* storm control measuring window */
#define MAMORI_STORM_WINDOW_MS 1000u
#endif
/* Default per-class limits in frames per second and burst (0 = unlimited). */
#ifndef MAMORI_RATE_BCAST
#define MAMORI_RATE_BCAST 500u
#define MAMORI_BURST_BCAST 100u
#endif
#ifndef MAMORI_RATE_ARP
#define MAMORI_RATE_ARP 200u
#define MAMORI_BURST_ARP 50u
#endif
#ifndef MAMORI_RATE_ICMP
#define MAMORI_RATE_ICMP 500u
#define MAMORI_BURST_ICMP 100u
#endif
#ifndef MAMORI_RATE_SYN
#define MAMORI_RATE_SYN 1000u
#define MAMORI_BURST_SYN 200u
#endif
#ifndef MAMORI_RATE_BARE_SYN /* SYNs without an MSS option (defense.h) */
#define MAMORI_RATE_BARE_SYN 100u
#define MAMORI_BURST_BARE_SYN 20u
#endif
/* Default broadcast storm thresholds (frames per window; 0 = off). */
#ifndef MAMORI_STORM_BCAST_RISING
#define MAMORI_STORM_BCAST_RISING 2000u
#define MAMORI_STORM_BCAST_FALLING 500u
#endif

/* ---- TCP (include/mamori/config_tcp.h) and applications (config_app.h) -- */
#include "mamori/config_tcp.h"
#include "mamori/config_app.h"

/* ---- crypto (each algorithm can be compiled out) ----------------------- */
#ifndef MAMORI_SHA256
#define MAMORI_SHA256 1
#endif
#ifndef MAMORI_SHA512 /* SHA-512 and SHA-384 */
#define MAMORI_SHA512 1
#endif
#ifndef MAMORI_HMAC
#define MAMORI_HMAC 1
#endif
#ifndef MAMORI_HKDF
#define MAMORI_HKDF 1
#endif
#ifndef MAMORI_DRBG
#define MAMORI_DRBG 1
#endif
#ifndef MAMORI_AES
#define MAMORI_AES 1
#endif
#ifndef MAMORI_GCM
#define MAMORI_GCM 1
#endif
#ifndef MAMORI_CHACHAPOLY
#define MAMORI_CHACHAPOLY 1
#endif
#ifndef MAMORI_X25519
#define MAMORI_X25519 1
#endif
#ifndef MAMORI_ED25519
#define MAMORI_ED25519 1
#endif
#ifndef MAMORI_P256
#define MAMORI_P256 1
#endif
#ifndef MAMORI_P384
#define MAMORI_P384 1
#endif
#ifndef MAMORI_EC_PREPARED /* prepared public keys for repeated verify/ECDH (ecc.h) */
#define MAMORI_EC_PREPARED 1
#endif
#ifndef MAMORI_EC_PREPARED_MAX_BITS /* largest curve a prepared key holds: 256 or 384 */
#define MAMORI_EC_PREPARED_MAX_BITS 256
#endif
#ifndef MAMORI_RSA
#define MAMORI_RSA 1
#endif
#ifndef MAMORI_RSA_MAX_BITS
#define MAMORI_RSA_MAX_BITS 4096
#endif

/* ---- TLS 1.3 (include/mamori/config_tls.h) ---------------------------- */
#include "mamori/config_tls.h"

#endif
