#define _GNU_SOURCE
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

static node_options_t *opts;

bool node_parse_ip(const char *s, uint32_t *out)
{
    unsigned a, b, c, d;
    char tail;
    if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
        return false;
    *out = a << 24 | b << 16 | c << 8 | d;
    return true;
}

bool node_parse_prefix(const char *s, uint32_t *addr, uint8_t *prefix_len)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s", s);
    char *slash = strchr(buf, '/');
    if (!slash)
        return false;
    *slash = 0;
    char *end;
    long len = strtol(slash + 1, &end, 10);
    if (*end || end == slash + 1 || len < 0 || len > 32 || !node_parse_ip(buf, addr))
        return false;
    *prefix_len = (uint8_t)len;
    return true;
}

bool node_parse_port(const char *s, uint16_t *port)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || end == s || v < 1 || v > 65535)
        return false;
    *port = (uint16_t)v;
    return true;
}

static bool opt_tap(const char *arg) { return (opts->tap = arg) != NULL; }
static bool opt_no_offload(const char *arg) { return (void)arg, opts->tap_no_offload = true; }
static bool opt_impair(const char *arg)
{
    unsigned long long seed = 1;
    char tail;
    unsigned *r = opts->impair;
    int n = sscanf(arg, "%u,%u,%u,%llu%c", &r[0], &r[1], &r[2], &seed, &tail);
    opts->impair_seed = seed;
    opts->tap_no_offload = true;
    return (n == 3 || n == 4) && r[0] <= 1000 && r[1] <= 1000 && r[2] <= 1000;
}

static bool opt_addr(const char *arg) { return node_parse_prefix(arg, &opts->addr, &opts->prefix) && opts->addr; }
static bool opt_gw(const char *arg) { return node_parse_ip(arg, &opts->gw); }
static bool opt_pcap(const char *arg) { return (opts->pcap = arg) != NULL; }
static bool opt_no_ping(const char *arg) { return (void)arg, opts->no_ping = true; }
static bool opt_probe(const char *arg) { return (void)arg, opts->probe = true; }
static bool opt_soft_crypto(const char *arg) { return (void)arg, opts->soft_crypto = true; }

static bool opt_mac(const char *arg)
{
    unsigned m[6];
    char tail;
    if (sscanf(arg, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &tail) != 6)
        return false;
    for (int i = 0; i < 6; i++) {
        if (m[i] > 255)
            return false;
        opts->mac[i] = (uint8_t)m[i];
    }
    opts->have_mac = true;
    return !(opts->mac[0] & 1);
}

static const node_option_t core_options[] = {
    {"tap", "IFNAME", "attach to this TAP device (created if absent)", opt_tap},
    {"no-offload", NULL, "plain frames on the TAP: no virtio header, segmentation or checksum offload", opt_no_offload},
    {"impair", "L,D,R[,SEED]", "lose, duplicate, reorder frames both ways (permille); implies --no-offload",
     opt_impair},
    {"addr", "A.B.C.D/N", "interface address and prefix length", opt_addr},
    {"gw", "A.B.C.D", "default gateway", opt_gw},
    {"mac", "MAC", "interface MAC (default: random, locally administered)", opt_mac},
    {"probe", NULL, "check the address with RFC 5227 ARP probes before use", opt_probe},
    {"pcap", "FILE", "record every frame sent and received", opt_pcap},
    {"no-ping", NULL, "do not answer ICMP echo requests", opt_no_ping},
    {"soft-crypto", NULL, "software crypto only (default: AES-GCM on AES-NI/PCLMULQDQ when the CPU has them)",
     opt_soft_crypto},
    {NULL, NULL, NULL, NULL},
};

#define MAX_OPTIONS 64

static size_t collect(const node_option_t **all)
{
    size_t n = 0;
    for (const node_option_t *o = core_options; o->name; o++)
        all[n++] = o;
    for (size_t m = 0; node_modules[m]; m++)
        for (const node_option_t *o = node_modules[m]->options; o && o->name && n < MAX_OPTIONS; o++)
            all[n++] = o;
    return n;
}

static void usage(FILE *out, const node_option_t **all, size_t n)
{
    fprintf(out, "usage: mamori-node --tap IFNAME [--addr A.B.C.D/N | --dhcp] [options]\n"
                 "Runs one mamori stack on a Linux TAP device.\n\n");
    for (size_t i = 0; i < n; i++) {
        char left[40];
        snprintf(left, sizeof left, "--%s%s%s", all[i]->name, all[i]->arg_name ? " " : "",
                 all[i]->arg_name ? all[i]->arg_name : "");
        fprintf(out, "  %-26s %s\n", left, all[i]->help);
    }
    fprintf(out, "  %-26s %s\n\n", "--help", "this text");
    fprintf(out, "Prints 'ready' once the interface is up; on SIGINT/SIGTERM stops, prints the\n"
                 "counters and exits 0.\n");
}

void node_parse_options(node_options_t *o, int argc, char **argv)
{
    const node_option_t *all[MAX_OPTIONS];
    size_t n = collect(all);
    struct option longopts[MAX_OPTIONS + 2];
    for (size_t i = 0; i < n; i++)
        longopts[i] = (struct option){all[i]->name, all[i]->arg_name ? required_argument : no_argument, 0, (int)i + 1};
    longopts[n] = (struct option){"help", no_argument, 0, (int)n + 1};
    longopts[n + 1] = (struct option){0, 0, 0, 0};
    memset(o, 0, sizeof *o);
    opts = o;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == (int)n + 1) {
            usage(stdout, all, n);
            exit(0);
        }
        if (c < 1 || c > (int)n) {
            usage(stderr, all, n);
            exit(2);
        }
        if (!all[c - 1]->handle(optarg)) {
            fprintf(stderr, "mamori-node: bad --%s '%s'\n", all[c - 1]->name, optarg ? optarg : "");
            exit(2);
        }
    }
    if (optind < argc || !o->tap) {
        fprintf(stderr, "mamori-node: --tap is required\n\n");
        usage(stderr, all, n);
        exit(2);
    }
}
