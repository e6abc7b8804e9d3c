/* Certificate parsing, host/IP/name-constraint checks, PEM decoding and path
 * validation. The input is parsed whole as one certificate and as PEM, and
 * also split into records (2-byte big-endian length, then bytes): the first
 * record becomes a trust anchor, the rest a chain, leaf first. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/error.h"
#include "mamori/pem.h"
#include "mamori/x509.h"
#include "x509/x509_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(mamori_x509_span_t s, size_t size)
{
    if ((size_t)s.off + s.len > size)
        abort(); /* every span must lie inside the input */
}

static void one_cert(const uint8_t *data, size_t size)
{
    static const uint8_t ip[4] = {192, 0, 2, 10};
    mamori_x509_t c;
    if (mamori_x509_parse(&c, data, size) != MAMORI_OK)
        return;
    if (c.der != data || c.der_len != size)
        abort();
    const mamori_x509_span_t spans[] = {c.tbs, c.sig_alg, c.sig, c.serial, c.issuer, c.subject,
                                        c.san, c.nc_permitted, c.nc_excluded, c.ski, c.aki,
                                        c.key.key, c.key.rsa_n, c.key.rsa_e};
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
        inside(spans[i], size);
    (void)mamori_x509_check_host(&c, "www.example.com");
    (void)mamori_x509_check_host(&c, "a.b.example.com");
    (void)mamori_x509_check_ip(&c, ip, sizeof ip);
    (void)mamori_x509_check_nc(&c, &c);
    (void)mamori_x509_name_equal(data + c.issuer.off, c.issuer.len, data + c.subject.off,
                                 c.subject.len);
    (void)mamori_x509_check_sig(&c, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pem_out[4096];
    const uint8_t *certs[MAMORI_X509_MAX_CERTS + 1];
    size_t lens[MAMORI_X509_MAX_CERTS + 1], n = 0, pos = 0, out_len;
    one_cert(data, size);
    (void)mamori_pem_decode((const char *)data, size, &pos, "CERTIFICATE", pem_out,
                            sizeof pem_out, &out_len);

    while (size - pos >= 2 && n < MAMORI_X509_MAX_CERTS + 1) {
        size_t len = (size_t)data[pos] << 8 | data[pos + 1];
        pos += 2;
        if (len > size - pos)
            len = size - pos;
        certs[n] = data + pos;
        lens[n++] = len;
        pos += len;
    }
    if (n < 2)
        return 0;
    mamori_x509_anchor_t anchor;
    mamori_x509_store_t store;
    mamori_x509_store_init(&store, &anchor, 1);
    (void)mamori_x509_store_add_der(&store, certs[0], lens[0]);
    mamori_x509_verify_opts_t opts = {.now = 1893456000, .purpose = MAMORI_X509_PURPOSE_SERVER,
                                      .hostname = "www.example.com"};
    int rc = mamori_x509_verify_chain(&store, certs + 1, lens + 1, n - 1, &opts);
    if (rc > 0)
        abort();
    return 0;
}
