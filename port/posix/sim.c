#include "posix/sim.h"

#include <string.h>

void mamori_sim_init(mamori_sim_t *sim, mamori_vwire_t *wire)
{
    memset(sim, 0, sizeof *sim);
    sim->wire = wire;
    sim->now = wire->now_ms;
}

void mamori_sim_add(mamori_sim_t *sim, mamori_stack_t *stack)
{
    if (sim->count < MAMORI_SIM_MAX_STACKS) {
        sim->next_timer[sim->count] = sim->now;
        sim->stacks[sim->count++] = stack;
    }
}

/* Polls every stack whose timer is due or that has frames waiting now, until
 * nothing more happens at this instant. */
static void settle(mamori_sim_t *sim)
{
    for (int round = 0; round < 1000; round++) {
        bool any = false;
        for (size_t i = 0; i < sim->count; i++) {
            bool due = (int32_t)(sim->next_timer[i] - sim->now) <= 0;
            if (!due && mamori_vwire_next_delivery(sim->wire, sim->now) != 0)
                continue;
            uint32_t wait = mamori_poll(sim->stacks[i], sim->now);
            sim->next_timer[i] = wait == UINT32_MAX ? sim->now + 0x7fffffffu : sim->now + (wait ? wait : 1);
            any = true;
        }
        if (!any || mamori_vwire_next_delivery(sim->wire, sim->now) != 0)
            return;
    }
}

bool mamori_sim_run_until(mamori_sim_t *sim, uint32_t ms, bool (*done)(void *ctx), void *ctx)
{
    uint32_t end = sim->now + ms;
    for (;;) {
        mamori_vwire_set_time(sim->wire, sim->now);
        settle(sim);
        if (done && done(ctx))
            return true;
        if (sim->now == end)
            return false;
        uint32_t next = end;
        uint32_t delivery = mamori_vwire_next_delivery(sim->wire, sim->now);
        if (delivery != UINT32_MAX && (int32_t)(sim->now + delivery - next) < 0)
            next = sim->now + delivery;
        for (size_t i = 0; i < sim->count; i++)
            if ((int32_t)(sim->next_timer[i] - next) < 0)
                next = sim->next_timer[i];
        sim->now = (int32_t)(next - sim->now) > 0 ? next : sim->now + 1;
    }
}

void mamori_sim_run(mamori_sim_t *sim, uint32_t ms) { (void)mamori_sim_run_until(sim, ms, NULL, NULL); }
