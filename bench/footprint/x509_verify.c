// count: src_x509_
/* Footprint scenario: X.509 alone, as a TLS client uses it. One trust anchor
 * from DER, then a leaf + intermediate chain validated to it for a server
 * host name (path validation, name constraints, EKU, time). Only the objects
 * of src/x509/ are counted (the strict DER reader and SPKI parser included;
 * the signature crypto behind them is not). Inputs come from volatile memory
 * so nothing is folded. */
#include "mamori/x509.h"

static volatile uint8_t in[3][512];
static volatile int64_t clock_now;
volatile int status;

int main(void)
{
    static uint8_t der[3][512];
    static mamori_x509_anchor_t anchors[1];
    mamori_x509_store_t store;
    for (size_t i = 0; i < sizeof der; i++)
        der[i / 512][i % 512] = in[i / 512][i % 512];
    const uint8_t *chain[2] = {der[0], der[1]};
    const size_t lens[2] = {sizeof der[0], sizeof der[1]};
    mamori_x509_verify_opts_t opts = {.now = clock_now, .purpose = MAMORI_X509_PURPOSE_SERVER,
                                      .hostname = "device.example"};
    mamori_x509_store_init(&store, anchors, 1);
    status = mamori_x509_store_add_der(&store, der[2], sizeof der[2]);
    status = mamori_x509_verify_chain(&store, chain, lens, 2, &opts);
    return status;
}
