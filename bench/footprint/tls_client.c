// config: -DMAMORI_TLS_SERVER=0 -DMAMORI_TLS_RESUMPTION=0 -DMAMORI_TLS_PSK=0 -DMAMORI_TLS_ALPN=0 -DMAMORI_TLS_CLIENT_CERT=0 -DMAMORI_RSA=0 -DMAMORI_P384=0 -DMAMORI_ED25519=0 -DMAMORI_CHACHAPOLY=0 -DMAMORI_SHA512=0 -DMAMORI_EC_GTABLE=0
/* Footprint scenario: a TLS 1.3 client with one suite (AES-128-GCM-SHA256),
 * X25519 and P-256 key exchange (HelloRetryRequest included), ECDSA P-256
 * certificate verification through X.509 path validation against one trust
 * anchor, SNI. No server role, resumption, external PSK, ALPN or client
 * certificate (a CertificateRequest gets an empty Certificate); no RSA,
 * P-384, Ed25519, ChaCha20 or SHA-384. The transport and the random source
 * are the application's; I/O goes through volatile memory. */
#include "mamori/tls.h"
#include "scenario.h"

static int64_t board_time(void) { return 1800000000; }

static volatile uint8_t anchor_in[512];
static uint8_t rx[MAMORI_TLS_RECORD_BUF(1023)], tx[MAMORI_TLS_RECORD_BUF(1023)], hs[2048], anchor[512];
static const uint16_t suites[] = {MAMORI_TLS_AES_128_GCM_SHA256, 0};
static const uint16_t groups[] = {MAMORI_TLS_GROUP_X25519, MAMORI_TLS_GROUP_SECP256R1, 0};

int main(void)
{
    static mamori_tls_t t;
    static mamori_x509_anchor_t anchors[1];
    static mamori_x509_store_t store;
    mamori_tls_config_t cfg = {.rng = board_rng, .server_name = "device.example", .trust = &store,
                               .unix_time = board_time, .suites = suites, .groups = groups,
                               .record_size_limit = 1024};
    for (size_t i = 0; i < sizeof anchor; i++)
        anchor[i] = anchor_in[i];
    mamori_x509_store_init(&store, anchors, 1);
    status = mamori_x509_store_add_der(&store, anchor, sizeof anchor);
    status = mamori_tls_init(&t, &cfg, rx, sizeof rx, tx, sizeof tx, hs, sizeof hs);
    return tls_run(&t);
}
