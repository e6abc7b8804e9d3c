/* The TLS 1.3 server engine fed arbitrary client bytes, split into chunks
 * whose sizes come from the input: ClientHello parsing, negotiation,
 * HelloRetryRequest, CCS and record handling. Must never crash, leak or
 * read outside its buffers. */
#include <stdint.h>
#include <string.h>

#include "mamori/sha2.h"
#include "tls/tls_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_rng(void *ctx, void *out, size_t len)
{
    (void)ctx;
    memset(out, 0x5a, len);
    return 0;
}

/* An Ed25519 identity; the certificate is never parsed by the server. */
static const uint8_t seed[32] = {1, 2, 3};
static const uint8_t fake_cert[] = {0x30, 0x03, 0x02, 0x01, 0x01};
static const uint8_t *const chain[] = {fake_cert};
static const size_t chain_lens[] = {sizeof fake_cert};
static const mamori_tls_identity_t id = {chain, chain_lens, 1, MAMORI_TLS_SIG_ED25519, seed, 32};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mamori_tls_t t;
    static uint8_t rx[MAMORI_TLS_RECORD_BUF(2048)], tx[4096], hs[4096];
    mamori_tls_config_t cfg;
    size_t pos = 0;

    memset(&cfg, 0, sizeof cfg);
    cfg.is_server = 1;
    cfg.rng = fuzz_rng;
    cfg.identity = &id;
    if (mamori_tls_init(&t, &cfg, rx, sizeof rx, tx, sizeof tx, hs, sizeof hs) != 0)
        return 0;
    while (pos < size && mamori_tls_state(&t) == MAMORI_TLS_ST_HANDSHAKE) {
        size_t cap, n = 1 + data[pos++] * 4u, out;
        uint8_t *in = mamori_tls_recv_buf(&t, &cap);
        if (n > size - pos)
            n = size - pos;
        if (n > cap)
            n = cap;
        if (n == 0)
            break;
        memcpy(in, data + pos, n);
        pos += n;
        mamori_tls_recv_done(&t, n);
        mamori_tls_send_buf(&t, &out);
        mamori_tls_send_done(&t, out);
    }
    mamori_tls_wipe(&t);
    return 0;
}
