/* The TLS 1.3 client engine fed arbitrary server bytes. The fuzzer cannot
 * guess the session id and random in the ClientHello, so the random source
 * is fixed: an input can then hold a ServerHello that matches, and reach
 * the encrypted handshake (whose records then fail authentication) or the
 * HelloRetryRequest path. */
#include <stdint.h>
#include <string.h>

#include "tls/tls_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_rng(void *ctx, void *out, size_t len)
{
    (void)ctx;
    memset(out, 0xa5, len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mamori_tls_t t;
    static uint8_t rx[MAMORI_TLS_RECORD_BUF(1024)], tx[2048], hs[4096];
    static const uint8_t pin[32];
    mamori_tls_config_t cfg;
    size_t pos = 0;

    memset(&cfg, 0, sizeof cfg);
    cfg.rng = fuzz_rng;
    cfg.server_name = "fuzz.example";
    cfg.spki_pin = pin;
    cfg.record_size_limit = 1024;
    if (mamori_tls_init(&t, &cfg, rx, sizeof rx, tx, sizeof tx, hs, sizeof hs) != 0)
        return 0;
    while (pos < size && mamori_tls_state(&t) == MAMORI_TLS_ST_HANDSHAKE) {
        size_t cap, n = 1 + data[pos++] * 4u, out;
        uint8_t *in;
        mamori_tls_send_buf(&t, &out);
        mamori_tls_send_done(&t, out);
        in = mamori_tls_recv_buf(&t, &cap);
        if (n > size - pos)
            n = size - pos;
        if (n > cap)
            n = cap;
        if (n == 0)
            break;
        memcpy(in, data + pos, n);
        pos += n;
        mamori_tls_recv_done(&t, n);
    }
    mamori_tls_wipe(&t);
    return 0;
}
