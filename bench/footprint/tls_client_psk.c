// config: -DMAMORI_TLS_SERVER=0 -DMAMORI_TLS_CERT=0 -DMAMORI_TLS_RESUMPTION=0 -DMAMORI_TLS_HRR=0 -DMAMORI_TLS_ALPN=0 -DMAMORI_RSA=0 -DMAMORI_P256=0 -DMAMORI_P384=0 -DMAMORI_ED25519=0 -DMAMORI_CHACHAPOLY=0 -DMAMORI_SHA512=0
/* Footprint scenario: a PSK-only TLS 1.3 client: one external PSK (SHA-256)
 * with an X25519 key share (psk_dhe_ke), AES-128-GCM-SHA256, SNI. No
 * certificates or X.509, no server role, no resumption, HelloRetryRequest
 * or ALPN. The transport and the random source are the application's; I/O
 * goes through volatile memory. */
#include "mamori/tls.h"
#include "scenario.h"

static volatile uint8_t key_in[32];
static uint8_t rx[MAMORI_TLS_RECORD_BUF(1023)], tx[MAMORI_TLS_RECORD_BUF(1023)], hs[512], key[32];
static const uint16_t suites[] = {MAMORI_TLS_AES_128_GCM_SHA256, 0};
static const uint16_t groups[] = {MAMORI_TLS_GROUP_X25519, 0};

int main(void)
{
    static mamori_tls_t t;
    static const mamori_tls_psk_t psk = {(const uint8_t *)"device-17", 9, key, sizeof key,
                                         MAMORI_HASH_SHA256};
    mamori_tls_config_t cfg = {.rng = board_rng, .server_name = "device.example", .psk = &psk,
                               .suites = suites, .groups = groups, .record_size_limit = 1024};
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = key_in[i];
    status = mamori_tls_init(&t, &cfg, rx, sizeof rx, tx, sizeof tx, hs, sizeof hs);
    return tls_run(&t);
}
