/*
 * Two stacks on a perfect virtual wire, driven in real time by a background
 * thread through the BSD-style socket layer (mamori_socket_poll), for tests
 * whose own threads block in socket calls. Stack A is 198.18.NET.1 with MAC
 * 02:00:00:00:NET:01, stack B 198.18.NET.2 with 02:00:00:00:NET:02, both /24.
 */
#ifndef MAMORI_TEST_WIRE_PAIR_H
#define MAMORI_TEST_WIRE_PAIR_H

#include <pthread.h>
#include <stdint.h>

#include "mamori/mamori.h"
#include "posix/vwire.h"

typedef struct {
    mamori_vwire_t wire;
    mamori_port_t port_a, port_b;
    mamori_stack_t a, b;
    pthread_t driver;
    volatile int stop;
} wire_pair_t;

/* Brings both stacks up and starts the driver thread. Returns 0 or the
 * first error. The wire is several megabytes: give wp static storage. */
int wire_pair_start(wire_pair_t *wp, uint8_t net);

/* Stops and joins the driver thread. */
void wire_pair_stop(wire_pair_t *wp);

#endif
