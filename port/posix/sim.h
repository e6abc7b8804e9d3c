/*
 * Discrete-event driver for several stacks on one virtual wire: advances the
 * simulated clock straight to the next frame delivery or timer, so hours of
 * protocol time run in milliseconds and a seed replays exactly.
 */
#ifndef MAMORI_POSIX_SIM_H
#define MAMORI_POSIX_SIM_H

#include "mamori/stack.h"
#include "posix/vwire.h"

#define MAMORI_SIM_MAX_STACKS MAMORI_VWIRE_MAX_ENDPOINTS

typedef struct {
    mamori_vwire_t *wire;
    mamori_stack_t *stacks[MAMORI_SIM_MAX_STACKS];
    uint32_t next_timer[MAMORI_SIM_MAX_STACKS]; /* absolute ms */
    size_t count;
    uint32_t now;
} mamori_sim_t;

void mamori_sim_init(mamori_sim_t *sim, mamori_vwire_t *wire);
/* Registers a stack already initialised on a port from mamori_vwire_attach(). */
void mamori_sim_add(mamori_sim_t *sim, mamori_stack_t *stack);
/* Runs every stack until the clock reaches now + ms. */
void mamori_sim_run(mamori_sim_t *sim, uint32_t ms);
/* Runs until done(ctx) returns true or ms pass; returns true if done. */
bool mamori_sim_run_until(mamori_sim_t *sim, uint32_t ms, bool (*done)(void *ctx), void *ctx);

#endif
