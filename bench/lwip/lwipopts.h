/*
 * lwIP configuration for the throughput comparison in bench/lwip_tcp_bench.sh
 * (our file, built against Debian's lwip source outside the repository):
 * the raw API without an OS (NO_SYS), IPv4 and TCP, lwIP's own memory pools.
 * LWIP_BENCH_WND sets TCP_WND and TCP_SND_BUF; lwIP's default window is
 * four segments (opt.h: TCP_WND 4 * TCP_MSS).
 */
#ifndef MAMORI_BENCH_LWIPOPTS_H
#define MAMORI_BENCH_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_STATS 0

#if defined __LP64__
#define MEM_ALIGNMENT 8
#else
#define MEM_ALIGNMENT 4
#endif
#define MEM_SIZE (512 * 1024)
#define PBUF_POOL_SIZE 256
#define MEMP_NUM_TCP_SEG 256

#define TCP_MSS 1460
#ifndef LWIP_BENCH_WND
#define LWIP_BENCH_WND (4 * TCP_MSS)
#endif
#define TCP_WND LWIP_BENCH_WND
#define TCP_SND_BUF LWIP_BENCH_WND
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define LWIP_CHECKSUM_ON_COPY 1
#define LWIP_NETIF_TX_SINGLE_PBUF 1

#endif
