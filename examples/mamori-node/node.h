/*
 * mamori-node is assembled from modules: each feature (UDP echo, TCP tools,
 * DHCP/DNS/SNTP, defences, TLS...) lives in its own node_<feature>.c with a
 * table of command-line options and optional start/poll/finish hooks, and is
 * listed once in modules.c. The core (options.c, main.c) knows none of them.
 */
#ifndef MAMORI_NODE_H
#define MAMORI_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include "mamori/mamori.h"

typedef struct {
    const char *name;     /* long option, without "--" */
    const char *arg_name; /* e.g. "PORT"; NULL for a flag */
    const char *help;
    /* Takes the argument (NULL for a flag); returns false if it is invalid. */
    bool (*handle)(const char *arg);
} node_option_t;

typedef struct {
    const node_option_t *options; /* terminated by an entry with name NULL */
    /* After the stack is up and addressed; returns 0 or a mamori error. */
    int (*start)(mamori_stack_t *s);
    /* Every loop turn; returns ms until it needs to run again (UINT32_MAX: idle). */
    uint32_t (*poll)(mamori_stack_t *s, uint32_t now_ms);
    /* When the node stops (after SIGINT/SIGTERM), before the counters are printed. */
    void (*finish)(mamori_stack_t *s);
} node_module_t;

/* NULL-terminated, in modules.c. */
extern const node_module_t *const node_modules[];

/* Helpers for option handlers. */
bool node_parse_ip(const char *s, uint32_t *out);
bool node_parse_prefix(const char *s, uint32_t *addr, uint8_t *prefix_len);
bool node_parse_port(const char *s, uint16_t *port);

#endif
