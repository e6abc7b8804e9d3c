/*
 * DHCP, DNS and SNTP clients of mamori-node:
 *   --dhcp            configure the interface from a DHCP lease
 *   --dns A.B.C.D     a DNS server (repeatable; default: the lease's)
 *   --resolve NAME    resolve NAME (repeatable) and print its addresses
 *   --sntp A.B.C.D    synchronise the wall clock with this NTP server
 * Events are printed as they happen: "dhcp: bound ...", "dhcp: renewed",
 * "dhcp: rebound ...", "dhcp: expired", "resolve NAME: ...", "sntp: ...".
 */
#include <stdio.h>

#include "mamori/dhcp.h"
#include "mamori/dns.h"
#include "mamori/sntp.h"
#include "node.h"

#define MAX_NAMES 16

static bool use_dhcp;
static uint32_t dns_servers[MAMORI_DNS_SERVERS];
static size_t dns_count;
static const char *names[MAX_NAMES];
static size_t name_count, name_next;
static bool resolving;
static uint32_t sntp_server;

static mamori_dhcp_t dhcp;
static mamori_dns_t dns;
static mamori_sntp_t sntp;
static uint32_t seen_bound, seen_renewed, seen_rebound, seen_expired, seen_sync;

static bool opt_dhcp(const char *arg)
{
    (void)arg;
    use_dhcp = true;
    return true;
}

static bool opt_dns(const char *arg)
{
    return dns_count < MAMORI_DNS_SERVERS && node_parse_ip(arg, &dns_servers[dns_count++]);
}

static bool opt_resolve(const char *arg)
{
    if (name_count == MAX_NAMES)
        return false;
    names[name_count++] = arg;
    return true;
}

static bool opt_sntp(const char *arg) { return node_parse_ip(arg, &sntp_server) && sntp_server; }

static void print_ip(const char *label, uint32_t a)
{
    printf("%s%u.%u.%u.%u", label, a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void on_resolved(mamori_dns_t *d, const mamori_dns_result_t *res, void *user)
{
    (void)d;
    printf("resolve %s:", (const char *)user);
    if (res->status == MAMORI_OK) {
        for (size_t i = 0; i < res->count; i++)
            print_ip(" ", mamori_dns_ip4(res, i));
        printf(" ttl %u\n", (unsigned)res->ttl_s);
    } else {
        printf(" error %s\n", mamori_strerror(res->status));
    }
    fflush(stdout);
    resolving = false;
}

static int start(mamori_stack_t *s)
{
    mamori_dns_init(&dns, s);
    mamori_dns_set_servers(&dns, dns_servers, dns_count);
    int rc = use_dhcp ? mamori_dhcp_start(&dhcp, s, 0) : MAMORI_OK;
    if (rc == MAMORI_OK && sntp_server)
        rc = mamori_sntp_start(&sntp, s, sntp_server);
    return rc;
}

/* Prints the DHCP events a counter reports since the last turn. */
static void dhcp_events(mamori_stack_t *s)
{
    const mamori_stats_t *st = mamori_stats(s);
    if (st->dhcp_bound != seen_bound) {
        seen_bound = st->dhcp_bound;
        print_ip("dhcp: bound ", mamori_dhcp_addr(&dhcp));
        print_ip(" gw ", s->ip4.gw);
        print_ip(" server ", mamori_dhcp_server(&dhcp));
        printf("\n");
        if (!dns_count) { /* the lease's DNS servers */
            uint32_t from_lease[MAMORI_DNS_SERVERS];
            mamori_dns_set_servers(&dns, from_lease, mamori_dhcp_dns_servers(&dhcp, from_lease, MAMORI_DNS_SERVERS));
        }
    }
    if (st->dhcp_renewed != seen_renewed) {
        seen_renewed = st->dhcp_renewed;
        printf("dhcp: renewed\n");
    }
    if (st->dhcp_rebound != seen_rebound) {
        seen_rebound = st->dhcp_rebound;
        print_ip("dhcp: rebound server ", mamori_dhcp_server(&dhcp));
        printf("\n");
    }
    if (st->dhcp_lease_expired != seen_expired) {
        seen_expired = st->dhcp_lease_expired;
        printf("dhcp: expired\n");
    }
    fflush(stdout);
}

static uint32_t poll(mamori_stack_t *s, uint32_t now)
{
    uint32_t wait = UINT32_MAX;
    if (use_dhcp) {
        wait = mamori_dhcp_poll(&dhcp, now);
        dhcp_events(s);
    }
    if (!resolving && name_next < name_count && mamori_ip4_addr(s) && dns.server_count) {
        resolving = mamori_dns_query(&dns, names[name_next], MAMORI_DNS_TYPE_A, on_resolved,
                                     (void *)names[name_next]) >= 0;
        name_next++;
        wait = 0;
    }
    uint32_t w = mamori_dns_poll(&dns, now);
    wait = w < wait ? w : wait;
    if (sntp_server && mamori_ip4_addr(s)) {
        w = mamori_sntp_poll(&sntp, now);
        wait = w < wait ? w : wait;
        if (mamori_stats(s)->sntp_sync != seen_sync) {
            uint64_t unix_s = 0;
            seen_sync = mamori_stats(s)->sntp_sync;
            mamori_wallclock_get(mamori_sntp_clock(&sntp), now, &unix_s);
            printf("sntp: synchronised unix %llu stratum %u\n", (unsigned long long)unix_s, sntp.stratum);
            fflush(stdout);
        }
    }
    return wait;
}

static void finish(mamori_stack_t *s)
{
    (void)s;
    if (use_dhcp)
        mamori_dhcp_stop(&dhcp, false);
    if (sntp_server)
        mamori_sntp_stop(&sntp);
}

static const node_option_t options[] = {
    {"dhcp", NULL, "configure the interface by DHCP (then --addr is not needed)", opt_dhcp},
    {"dns", "A.B.C.D", "DNS server, repeatable (default: from the DHCP lease)", opt_dns},
    {"resolve", "NAME", "resolve NAME (repeatable) and print its IPv4 addresses", opt_resolve},
    {"sntp", "A.B.C.D", "synchronise the wall clock with this (S)NTP server", opt_sntp},
    {NULL, NULL, NULL, NULL},
};

const node_module_t node_app = {.options = options, .start = start, .poll = poll, .finish = finish};
