/*
 * Defences and statistics: --stealth, --allow-src PREFIX, --rate
 * CLASS=PPS/BURST, and --stats, which prints every counter and the whole
 * MIB-II view as JSON on exit and whenever SIGUSR1 arrives.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/mib.h"
#include "node.h"

#define MAX_RULES 8

static bool stealth, stats_json;
static uint32_t allow_prefix[MAX_RULES];
static uint8_t allow_len[MAX_RULES];
static size_t allow_count;
static struct {
    int cls;
    uint32_t pps, burst;
} rates[MAX_RULES];
static size_t rate_count;
static volatile sig_atomic_t dump_requested;

static bool opt_stealth(const char *arg) { return (void)arg, stealth = true; }
static bool opt_stats(const char *arg) { return (void)arg, stats_json = true; }

static bool opt_allow_src(const char *arg)
{
    return allow_count < MAX_RULES && node_parse_prefix(arg, &allow_prefix[allow_count], &allow_len[allow_count]) &&
           ++allow_count;
}

/* CLASS=PPS/BURST, e.g. syn=100/20 */
static bool opt_rate(const char *arg)
{
    char name[16];
    unsigned long pps, burst;
    char tail;
    if (rate_count == MAX_RULES || sscanf(arg, "%15[a-z]=%lu/%lu%c", name, &pps, &burst, &tail) != 3)
        return false;
    int cls = mamori_traffic_class_parse(name);
    if (cls < 0 || pps > UINT32_MAX || burst > UINT32_MAX)
        return false;
    rates[rate_count].cls = cls;
    rates[rate_count].pps = (uint32_t)pps;
    rates[rate_count].burst = (uint32_t)burst;
    rate_count++;
    return true;
}

static void on_usr1(int sig)
{
    (void)sig;
    dump_requested = 1;
}

static void print_value(const mamori_mib_value_t *v)
{
    if (v->type == MAMORI_MIB_OCTETS) {
        printf("\"");
        for (size_t i = 0; i < v->len; i++)
            printf("%02x", v->bytes[i]);
        printf("\"");
    } else if (v->type == MAMORI_MIB_IPADDR) {
        uint32_t ip = (uint32_t)v->num;
        printf("\"%u.%u.%u.%u\"", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    } else {
        printf("%llu", (unsigned long long)v->num);
    }
}

static void print_json(const mamori_stack_t *s)
{
    printf("{\"counters\": {");
    for (size_t i = 0; i < MAMORI_STATS_COUNT; i++)
        printf("%s\"%s\": %u", i ? ", " : "", mamori_stats_name(i), mamori_stats_value(mamori_stats(s), i));
    printf("}, \"mib\": {");
    mamori_oid_t cur = {.arc = {1, 3}, .len = 2}, next;
    mamori_mib_value_t v;
    for (int n = 0; mamori_mib_next(s, &cur, &next, &v) == MAMORI_OK; n++) {
        printf("%s\"", n ? ", " : "");
        for (size_t i = 0; i < next.len; i++)
            printf("%s%u", i ? "." : "", next.arc[i]);
        printf("\": ");
        print_value(&v);
        cur = next;
    }
    printf("}}\n");
    fflush(stdout);
}

static int start(mamori_stack_t *s)
{
    if (stealth)
        mamori_stealth(s, true);
    for (size_t i = 0; i < allow_count; i++) {
        int rc = mamori_filter_add_src(s, allow_prefix[i], allow_len[i], true);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < rate_count; i++) {
        int rc = mamori_rate_set(s, (mamori_traffic_class_t)rates[i].cls, rates[i].pps, rates[i].burst);
        if (rc)
            return rc;
    }
    if (stats_json) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sigaction(SIGUSR1, &sa, NULL);
    }
    return MAMORI_OK;
}

static uint32_t poll_stats(mamori_stack_t *s, uint32_t now)
{
    (void)now;
    if (dump_requested) {
        dump_requested = 0;
        print_json(s);
    }
    return UINT32_MAX;
}

static void finish(mamori_stack_t *s)
{
    if (stats_json)
        print_json(s);
}

static const node_option_t options[] = {
    {"stealth", NULL, "no echo replies, no unreachables, no RSTs for closed ports", opt_stealth},
    {"allow-src", "PREFIX", "accept IPv4 only from this prefix (repeatable)", opt_allow_src},
    {"rate", "CLASS=PPS/BURST", "rate limit a class: total, bcast, arp, icmp, syn, bare_syn, udp (repeatable)", opt_rate},
    {"stats", NULL, "print counters and the MIB-II view as JSON on exit and on SIGUSR1", opt_stats},
    {NULL, NULL, NULL, NULL},
};

const node_module_t node_defense = {.options = options, .start = start, .poll = poll_stats, .finish = finish};
