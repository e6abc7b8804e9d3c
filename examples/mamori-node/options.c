#define _GNU_SOURCE
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: mamori-node --tap IFNAME --addr A.B.C.D/N [options]\n"
    "Runs one mamori stack on an existing Linux TAP device.\n"
    "\n"
    "  --tap IFNAME       attach to this TAP device (created if absent)\n"
    "  --addr A.B.C.D/N   interface address and prefix length\n"
    "  --gw A.B.C.D       default gateway\n"
    "  --mac MAC          interface MAC (default: random, locally administered)\n"
    "  --probe            check the address with RFC 5227 ARP probes before use\n"
    "  --udp-echo PORT    echo every UDP datagram received on PORT\n"
    "  --pcap FILE        record every frame sent and received\n"
    "  --no-ping          do not answer ICMP echo requests\n"
    "  --help             this text\n"
    "\n"
    "Prints 'ready' once the interface is up; on SIGINT/SIGTERM prints the\n"
    "counters and exits 0.\n";

static void fail(const char *what, const char *arg)
{
    fprintf(stderr, "mamori-node: bad %s '%s'\n\n%s", what, arg, usage);
    exit(2);
}

static bool parse_ip(const char *s, uint32_t *out)
{
    unsigned a, b, c, d;
    char tail;
    if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
        return false;
    *out = a << 24 | b << 16 | c << 8 | d;
    return true;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
    unsigned m[6];
    char tail;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &tail) != 6)
        return false;
    for (int i = 0; i < 6; i++) {
        if (m[i] > 255)
            return false;
        mac[i] = (uint8_t)m[i];
    }
    return !(mac[0] & 1);
}

static int parse_port(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 65535)
        fail("port", s);
    return (int)v;
}

void node_parse_options(node_options_t *o, int argc, char **argv)
{
    enum { OPT_TAP = 1, OPT_ADDR, OPT_GW, OPT_MAC, OPT_UDP_ECHO, OPT_PCAP, OPT_NO_PING, OPT_PROBE, OPT_HELP };
    static const struct option longopts[] = {
        {"tap", required_argument, 0, OPT_TAP},       {"addr", required_argument, 0, OPT_ADDR},
        {"gw", required_argument, 0, OPT_GW},         {"mac", required_argument, 0, OPT_MAC},
        {"udp-echo", required_argument, 0, OPT_UDP_ECHO}, {"pcap", required_argument, 0, OPT_PCAP},
        {"no-ping", no_argument, 0, OPT_NO_PING},     {"probe", no_argument, 0, OPT_PROBE},
        {"help", no_argument, 0, OPT_HELP},           {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_TAP:
            o->tap = optarg;
            break;
        case OPT_ADDR: {
            char buf[32];
            snprintf(buf, sizeof buf, "%s", optarg);
            char *slash = strchr(buf, '/');
            char *end = NULL;
            long prefix = slash ? strtol(slash + 1, &end, 10) : -1;
            if (slash)
                *slash = 0;
            if (!slash || *end || prefix < 0 || prefix > 32 || !parse_ip(buf, &o->addr))
                fail("address", optarg);
            o->prefix = (uint8_t)prefix;
            break;
        }
        case OPT_GW:
            if (!parse_ip(optarg, &o->gw))
                fail("gateway", optarg);
            break;
        case OPT_MAC:
            if (!parse_mac(optarg, o->mac))
                fail("MAC", optarg);
            o->have_mac = true;
            break;
        case OPT_UDP_ECHO:
            o->udp_echo_port = parse_port(optarg);
            break;
        case OPT_PCAP:
            o->pcap = optarg;
            break;
        case OPT_NO_PING:
            o->no_ping = true;
            break;
        case OPT_PROBE:
            o->probe = true;
            break;
        case OPT_HELP:
            fputs(usage, stdout);
            exit(0);
        default:
            fputs(usage, stderr);
            exit(2);
        }
    }
    if (optind < argc)
        fail("argument", argv[optind]);
    if (!o->tap || !o->addr) {
        fprintf(stderr, "mamori-node: --tap and --addr are required\n\n%s", usage);
        exit(2);
    }
}
