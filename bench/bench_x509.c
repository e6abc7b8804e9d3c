/* Time to validate a 3-certificate chain (leaf, intermediate, anchor) with
 * mamori_x509_verify_chain and with OpenSSL's X509_verify_cert, same chain,
 * same time, purpose and host name, in the same process. Both start from
 * DER each iteration (OpenSSL's d2i included). Built by bench_x509.sh. */
#define _POSIX_C_SOURCE 200809L

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/x509.h"

#define NOW 1893456000

typedef struct {
    unsigned char *der;
    size_t len;
} blob_t;

static blob_t load(const char *dir, const char *name)
{
    char path[512];
    blob_t b;
    snprintf(path, sizeof path, "%s/%s.der", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    b.der = malloc(1 << 16);
    b.len = fread(b.der, 1, 1 << 16, f);
    fclose(f);
    return b;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_mamori(blob_t leaf, blob_t inter, blob_t anchor)
{
    mamori_x509_anchor_t a;
    mamori_x509_store_t s;
    const uint8_t *certs[2] = {leaf.der, inter.der};
    size_t lens[2] = {leaf.len, inter.len};
    mamori_x509_verify_opts_t o = {.now = NOW, .purpose = MAMORI_X509_PURPOSE_SERVER,
                                   .hostname = "www.example.com"};
    mamori_x509_store_init(&s, &a, 1);
    if (mamori_x509_store_add_der(&s, anchor.der, anchor.len) != 0)
        return -1;
    return mamori_x509_verify_chain(&s, certs, lens, 2, &o);
}

static X509 *d2i(blob_t b)
{
    const unsigned char *p = b.der;
    return d2i_X509(NULL, &p, (long)b.len);
}

static int run_openssl(blob_t leaf, blob_t inter, blob_t anchor)
{
    X509_STORE *store = X509_STORE_new();
    X509 *root = d2i(anchor), *l = d2i(leaf);
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509_STORE_add_cert(store, root);
    sk_X509_push(untrusted, d2i(inter));
    X509_STORE_CTX_init(ctx, store, l, untrusted);
    X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(vp, NOW);
    X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_PARTIAL_CHAIN); /* anchors need not be roots */
    X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
    X509_VERIFY_PARAM_set1_host(vp, "www.example.com", 0);
    int ok = X509_verify_cert(ctx) == 1 ? 0 : -1;
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(untrusted, X509_free);
    X509_free(l);
    X509_free(root);
    X509_STORE_free(store);
    return ok;
}

static void bench(const char *dir, const char *label, const char *l, const char *i, const char *a)
{
    blob_t leaf = load(dir, l), inter = load(dir, i), anchor = load(dir, a);
    double t0, per_m, per_o;
    int n;
    if (run_mamori(leaf, inter, anchor) != 0 || run_openssl(leaf, inter, anchor) != 0) {
        fprintf(stderr, "%s: chain does not verify\n", label);
        exit(1);
    }
    t0 = now_s();
    for (n = 0; now_s() - t0 < 2.0; n++)
        run_mamori(leaf, inter, anchor);
    per_m = (now_s() - t0) / n;
    t0 = now_s();
    for (n = 0; now_s() - t0 < 2.0; n++)
        run_openssl(leaf, inter, anchor);
    per_o = (now_s() - t0) / n;
    printf("| %-34s | %10.3f ms | %10.3f ms |\n", label, per_m * 1e3, per_o * 1e3);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/vectors/x509";
    printf("| %-34s | %13s | %13s |\n", "chain (leaf, intermediate, anchor)", "mamori", "OpenSSL");
    printf("|------------------------------------|---------------|---------------|\n");
    bench(dir, "P-256 (ECDSA-SHA256)", "p256-l2", "p256-i1", "p256-root");
    bench(dir, "RSA-2048 (PKCS#1 v1.5 SHA-256)", "rsa-l4", "rsa-i3", "rsa-i2");
    bench(dir, "Ed25519", "ed25519-l2", "ed25519-i1", "ed25519-root");
    return 0;
}
