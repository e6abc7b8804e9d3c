/* Command-line options of mamori-node: the core ones, then every module's. */
#ifndef MAMORI_NODE_OPTIONS_H
#define MAMORI_NODE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *tap;
    bool tap_no_offload;
    unsigned impair[3]; /* --impair: loss, duplication, reordering in permille */
    uint64_t impair_seed;
    uint32_t addr;
    uint8_t prefix;
    uint32_t gw;
    uint8_t mac[6];
    bool have_mac;
    const char *pcap;
    bool no_ping;
    bool probe;
    bool soft_crypto; /* keep software crypto: no hardware backend */
} node_options_t;

/* Parses argv; prints usage and exits on --help (0) or an error (2). */
void node_parse_options(node_options_t *o, int argc, char **argv);

#endif
