/* wolfSSL glue of the TLS benchmark (bench/bench_tls.c): TLS 1.3 client and
 * server over the shared in-memory queues through wolfSSL's I/O callbacks. */
#include <wolfssl/options.h> /* first: the other headers depend on it */
#include <wolfssl/ssl.h>
#include <wolfssl/version.h>

#include <string.h>

#include "bench_tls.h"

static const char *const wolf_suite[NSUITE] = {"TLS13-AES128-GCM-SHA256", "TLS13-AES256-GCM-SHA384",
                                               "TLS13-CHACHA20-POLY1305-SHA256"};

static WOLFSSL_CTX *w_cctx[NSUITE], *w_sctx[NSUITE];
static WOLFSSL *w_c, *w_s;

static int w_send(WOLFSSL *ssl, char *p, int n, void *q)
{
    (void)ssl;
    size_t w = q_put(q, p, (size_t)n);
    return w ? (int)w : WOLFSSL_CBIO_ERR_WANT_WRITE;
}

static int w_recv(WOLFSSL *ssl, char *p, int n, void *q)
{
    (void)ssl;
    size_t r = q_get(q, p, (size_t)n);
    return r ? (int)r : WOLFSSL_CBIO_ERR_WANT_READ;
}

static WOLFSSL_CTX *w_ctx(int server, int s)
{
    int groups[] = {WOLFSSL_ECC_X25519};
    WOLFSSL_CTX *ctx =
        wolfSSL_CTX_new(server ? wolfTLSv1_3_server_method() : wolfTLSv1_3_client_method());
    if (ctx == NULL || wolfSSL_CTX_set_cipher_list(ctx, wolf_suite[s]) != WOLFSSL_SUCCESS ||
        wolfSSL_CTX_set_groups(ctx, groups, 1) != WOLFSSL_SUCCESS)
        die("wolfSSL: context setup failed");
    wolfSSL_CTX_SetIORecv(ctx, w_recv);
    wolfSSL_CTX_SetIOSend(ctx, w_send);
    if (server) {
        if (wolfSSL_CTX_no_ticket_TLSv13(ctx) != 0 ||
            wolfSSL_CTX_use_certificate_file(ctx, cert_path, WOLFSSL_FILETYPE_PEM) !=
                WOLFSSL_SUCCESS ||
            wolfSSL_CTX_use_PrivateKey_file(ctx, key_path, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
            die("wolfSSL: server certificate or key not loaded");
    } else {
        if (wolfSSL_CTX_load_verify_locations(ctx, ca_path, NULL) != WOLFSSL_SUCCESS)
            die("wolfSSL: CA not loaded");
        wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
    }
    return ctx;
}

void w_setup(void)
{
    if (wolfSSL_Init() != WOLFSSL_SUCCESS)
        die("wolfSSL: init failed");
    for (int s = 0; s < NSUITE; s++) {
        w_cctx[s] = w_ctx(0, s);
        w_sctx[s] = w_ctx(1, s);
    }
}

static void w_c_new(void)
{
    w_c = wolfSSL_new(w_cctx[suite]);
    if (w_c == NULL ||
        wolfSSL_UseSNI(w_c, WOLFSSL_SNI_HOST_NAME, host, (unsigned short)strlen(host)) !=
            WOLFSSL_SUCCESS ||
        wolfSSL_check_domain_name(w_c, host) != WOLFSSL_SUCCESS)
        die("wolfSSL: client setup failed");
    wolfSSL_SetIOReadCtx(w_c, &s2c);
    wolfSSL_SetIOWriteCtx(w_c, &c2s);
}

static void w_s_new(void)
{
    w_s = wolfSSL_new(w_sctx[suite]);
    if (w_s == NULL)
        die("wolfSSL: server setup failed");
    wolfSSL_SetIOReadCtx(w_s, &c2s);
    wolfSSL_SetIOWriteCtx(w_s, &s2c);
}

static int w_res(WOLFSSL *ssl, int r)
{
    int e = wolfSSL_get_error(ssl, r);
    return e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE ? 0 : -1;
}

static int w_c_step(void)
{
    int r = wolfSSL_connect(w_c);
    return r == WOLFSSL_SUCCESS ? 1 : w_res(w_c, r);
}

static int w_s_step(void)
{
    int r = wolfSSL_accept(w_s);
    return r == WOLFSSL_SUCCESS ? 1 : w_res(w_s, r);
}

static int w_c_write(const uint8_t *p, size_t n)
{
    int r = wolfSSL_write(w_c, p, (int)n);
    return r > 0 ? r : w_res(w_c, r);
}

static int w_s_read(uint8_t *p, size_t n)
{
    int r = wolfSSL_read(w_s, p, (int)n);
    return r > 0 ? r : w_res(w_s, r);
}

static void w_c_free(void)
{
    wolfSSL_free(w_c);
}

static void w_s_free(void)
{
    wolfSSL_free(w_s);
}

static int w_check(void)
{
    const char *curve = wolfSSL_get_curve_name(w_s);
    return wolfSSL_version(w_c) == TLS1_3_VERSION &&
                   strcmp(wolfSSL_get_cipher_name(w_c), wolf_suite[suite]) == 0 && curve &&
                   strcmp(curve, "X25519") == 0
               ? 0
               : -1;
}

const lib_t lib_wolf = {w_c_new,  w_s_new,  w_c_step, w_s_step, w_c_write,
                               w_s_read, w_c_free, w_s_free, w_check};

const char *w_version(void)
{
    return LIBWOLFSSL_VERSION_STRING;
}
