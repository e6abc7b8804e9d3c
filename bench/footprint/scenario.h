/* What the footprint scenarios share (bench/footprint.sh links each .c here
 * alone and counts only the library's part): the board's random source, and
 * for the TLS clients (mamori/tls.h included first) the loop that runs a
 * connection over volatile memory. */
#ifndef MAMORI_FOOTPRINT_SCENARIO_H
#define MAMORI_FOOTPRINT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

extern int board_rng(void *ctx, void *out, size_t len);
int board_rng(void *ctx, void *out, size_t len)
{
    static volatile uint8_t pool;
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        ((uint8_t *)out)[i] = pool;
    return 0;
}

#ifdef MAMORI_TLS_H
static volatile uint8_t wire_in[64];
volatile uint8_t wire_out[64];
volatile int status;

/* Moves t's records through the wire and echoes application data until the
 * connection ends; then closes it. */
static int tls_run(mamori_tls_t *t)
{
    uint8_t app[64];
    while (mamori_tls_state(t) <= MAMORI_TLS_ST_OPEN) {
        size_t n;
        const uint8_t *out = mamori_tls_send_buf(t, &n);
        uint8_t *in;
        if (n) {
            wire_out[0] = out[0];
            mamori_tls_send_done(t, n);
        }
        in = mamori_tls_recv_buf(t, &n);
        for (size_t i = 0; i < n && i < sizeof wire_in; i++)
            in[i] = wire_in[i];
        status = mamori_tls_recv_done(t, n < sizeof wire_in ? n : sizeof wire_in);
        if (mamori_tls_read(t, app, sizeof app) > 0)
            status = mamori_tls_write(t, app, sizeof app);
        mamori_tls_tick(t, (uint32_t)status);
    }
    return mamori_tls_close(t);
}
#endif

#endif
