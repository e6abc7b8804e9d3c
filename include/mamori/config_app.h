/* Application protocol options: DHCP, DNS, SNTP (see config.h). Every
 * timeout here is finite; docs/timeouts.md lists them with the rest. */
#ifndef MAMORI_CONFIG_APP_H
#define MAMORI_CONFIG_APP_H

/* ---- DHCP client (RFC 2131/2132) -------------------------------------- */
#ifndef MAMORI_DHCP
#define MAMORI_DHCP 1
#endif
#ifndef MAMORI_DHCP_START_DELAY_MS /* random wait before the first DISCOVER (RFC 2131 §4.4.1) */
#define MAMORI_DHCP_START_DELAY_MS 1000u
#endif
#ifndef MAMORI_DHCP_RETRY_MS /* first retransmission; doubles with +-1 s jitter (RFC 2131 §4.1) */
#define MAMORI_DHCP_RETRY_MS 4000u
#endif
#ifndef MAMORI_DHCP_RETRY_MAX_MS /* cap of the doubling */
#define MAMORI_DHCP_RETRY_MAX_MS 64000u
#endif
#ifndef MAMORI_DHCP_REQUEST_TRIES /* REQUESTs (SELECTING, INIT-REBOOT) before restarting */
#define MAMORI_DHCP_REQUEST_TRIES 4
#endif
#ifndef MAMORI_DHCP_RENEW_RETRY_MIN_MS /* floor of RENEWING/REBINDING retries (RFC 2131 §4.4.5) */
#define MAMORI_DHCP_RENEW_RETRY_MIN_MS 60000u
#endif
#ifndef MAMORI_DHCP_DECLINE_WAIT_MS /* pause after a DHCPDECLINE (RFC 2131 §3.1 step 5) */
#define MAMORI_DHCP_DECLINE_WAIT_MS 10000u
#endif
#ifndef MAMORI_DHCP_ARP_CHECK /* probe a leased address with RFC 5227 ARP before use */
#define MAMORI_DHCP_ARP_CHECK 1
#endif
#ifndef MAMORI_DHCP_CHECK_TIMEOUT_MS /* longest wait for the ARP probe to finish */
#define MAMORI_DHCP_CHECK_TIMEOUT_MS 12000u
#endif
#ifndef MAMORI_DHCP_LEASE_MAX_S /* longer leases are renewed as if this long (32-bit ms clock) */
#define MAMORI_DHCP_LEASE_MAX_S 1209600u
#endif
#ifndef MAMORI_DHCP_DNS_MAX /* DNS servers kept from a lease */
#define MAMORI_DHCP_DNS_MAX 3
#endif
#ifndef MAMORI_DHCP_RING_SIZE /* receive ring: two 548-byte messages */
#define MAMORI_DHCP_RING_SIZE 1120
#endif

/* ---- DNS stub resolver (RFC 1035, RFC 5452) ---------------------------- */
#ifndef MAMORI_DNS
#define MAMORI_DNS 1
#endif
#ifndef MAMORI_DNS_SERVERS /* servers tried in turn (failover) */
#define MAMORI_DNS_SERVERS 3
#endif
#ifndef MAMORI_DNS_QUERIES /* queries in flight at once; each has its own socket */
#define MAMORI_DNS_QUERIES 2
#endif
#ifndef MAMORI_DNS_TIMEOUT_MS /* first wait per server; doubles each round */
#define MAMORI_DNS_TIMEOUT_MS 1000u
#endif
#ifndef MAMORI_DNS_ROUNDS /* rounds over all servers before giving up */
#define MAMORI_DNS_ROUNDS 3
#endif
#ifndef MAMORI_DNS_ADDRS_MAX /* addresses kept per answer */
#define MAMORI_DNS_ADDRS_MAX 4
#endif
#ifndef MAMORI_DNS_CNAME_MAX /* longest CNAME chain followed */
#define MAMORI_DNS_CNAME_MAX 8
#endif
#ifndef MAMORI_DNS_IPV6 /* AAAA queries and 16-byte answers (for IPv6) */
#define MAMORI_DNS_IPV6 0
#endif
#ifndef MAMORI_DNS_CACHE_SIZE /* cached answers (0: no cache) */
#define MAMORI_DNS_CACHE_SIZE 4
#endif
#ifndef MAMORI_DNS_CACHE_NAME_MAX /* longer names (wire format) are not cached */
#define MAMORI_DNS_CACHE_NAME_MAX 64
#endif
#ifndef MAMORI_DNS_TTL_MAX_S /* cap on any TTL honoured */
#define MAMORI_DNS_TTL_MAX_S 3600u
#endif
#ifndef MAMORI_DNS_NEG_TTL_S /* lifetime of a cached NXDOMAIN/NODATA (RFC 2308) */
#define MAMORI_DNS_NEG_TTL_S 60u
#endif
#ifndef MAMORI_DNS_RING_SIZE /* per-query receive ring: two 512-byte responses */
#define MAMORI_DNS_RING_SIZE 1040
#endif

/* ---- SNTP client (RFC 4330, RFC 5905 client mode) ---------------------- */
#ifndef MAMORI_SNTP
#define MAMORI_SNTP 1
#endif
#ifndef MAMORI_SNTP_TIMEOUT_MS /* wait for one reply */
#define MAMORI_SNTP_TIMEOUT_MS 2000u
#endif
#ifndef MAMORI_SNTP_RETRY_MS /* first retry after a failure; doubles up to the interval */
#define MAMORI_SNTP_RETRY_MS 4000u
#endif
#ifndef MAMORI_SNTP_INTERVAL_S /* resynchronisation interval (RFC 4330 §10: not below 15 s) */
#define MAMORI_SNTP_INTERVAL_S 3600u
#endif
#ifndef MAMORI_SNTP_INTERVAL_MAX_S /* cap when a server sends the RATE kiss code */
#define MAMORI_SNTP_INTERVAL_MAX_S 86400u
#endif
#ifndef MAMORI_SNTP_MIN_UNIX_S /* earlier server times are rejected (2024-01-01) */
#define MAMORI_SNTP_MIN_UNIX_S 1704067200u
#endif
#ifndef MAMORI_SNTP_MAX_ROOT_MS /* root delay or dispersion above this: rejected (RFC 5905 MAXDISP) */
#define MAMORI_SNTP_MAX_ROOT_MS 16000u
#endif

#endif
