/* X.509: DER times, certificate parsing, host/IP checks, name comparison,
 * PEM, the trust store and path validation over tests/vectors/x509/
 * (cases.txt, made by make.sh), each case with its exact reason. */
#define _POSIX_C_SOURCE 200809L

#include "check.h"
#include "kv.h"
#include "mamori/error.h"
#include "mamori/pem.h"
#include "mamori/x509.h"
#include "x509/x509_internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR MAMORI_SOURCE_DIR "/tests/vectors/x509/"
#define NOW_2030 1893456000

typedef struct {
    char name[40];
    uint8_t *der;
    size_t len;
} file_t;

static file_t files[128];
static size_t nfiles;

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc((size_t)n + 1);
    *len = fread(p, 1, (size_t)n, f);
    fclose(f);
    return p;
}

static const file_t *cert_file(const char *name)
{
    for (size_t i = 0; i < nfiles; i++)
        if (strcmp(files[i].name, name) == 0)
            return &files[i];
    char path[512];
    snprintf(path, sizeof path, DIR "%s.der", name);
    file_t *f = &files[nfiles++];
    snprintf(f->name, sizeof f->name, "%s", name);
    f->der = read_file(path, &f->len);
    return f;
}

static int code_of(const char *s)
{
    static const struct {
        const char *name;
        int code;
    } map[] = {
        {"OK", MAMORI_OK},
        {"EXPIRED", MAMORI_ERR_CERT_EXPIRED},
        {"NOT_YET_VALID", MAMORI_ERR_CERT_NOT_YET_VALID},
        {"UNKNOWN_ISSUER", MAMORI_ERR_CERT_UNKNOWN_ISSUER},
        {"BAD_SIGNATURE", MAMORI_ERR_CERT_BAD_SIGNATURE},
        {"NAME_MISMATCH", MAMORI_ERR_CERT_NAME_MISMATCH},
        {"CONSTRAINT", MAMORI_ERR_CERT_CONSTRAINT},
        {"UNSUPPORTED_ALG", MAMORI_ERR_CERT_UNSUPPORTED_ALG},
        {"MALFORMED", MAMORI_ERR_CERT_MALFORMED},
        {"PURPOSE", MAMORI_ERR_CERT_PURPOSE},
        {"NO_TIME", MAMORI_ERR_CERT_NO_TIME},
        {"CHAIN_TOO_LONG", MAMORI_ERR_CERT_CHAIN_TOO_LONG},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].name, s) == 0)
            return map[i].code;
    fprintf(stderr, "unknown expectation %s\n", s);
    exit(2);
}

/* ---- DER times ---------------------------------------------------------- */

static int64_t time_of(uint8_t tag, const char *s, int *ok)
{
    uint8_t buf[32];
    size_t n = strlen(s);
    buf[0] = tag;
    buf[1] = (uint8_t)n;
    memcpy(buf + 2, s, n);
    mamori_der_t d;
    mamori_der_init(&d, buf, n + 2);
    int64_t t = mamori_der_time(&d);
    *ok = mamori_der_done(&d);
    return t;
}

static void test_times(void)
{
    int ok;
    CHECK_EQ(time_of(0x17, "700101000000Z", &ok), 0);
    CHECK(ok);
    CHECK_EQ(time_of(0x17, "300101000000Z", &ok), NOW_2030);
    CHECK_EQ(time_of(0x17, "500101000000Z", &ok), -631152000); /* 1950 */
    CHECK(ok);
    CHECK_EQ(time_of(0x17, "491231235959Z", &ok), 2524607999); /* 2049 */
    CHECK_EQ(time_of(0x18, "20500101000000Z", &ok), 2524608000);
    CHECK(ok);
    CHECK_EQ(time_of(0x18, "20240229120000Z", &ok), 1709208000);
    CHECK(ok);
    CHECK_EQ(time_of(0x17, "000229000000Z", &ok), 951782400); /* 2000 is leap */
    CHECK(ok);
    (void)time_of(0x18, "21000229000000Z", &ok); /* 2100 is not */
    CHECK(!ok);
    /* 29 February over the Gregorian rule's cases (4, 100 and 400). */
    static const unsigned years[] = {4, 100, 1600, 1700, 1900, 1996, 2000, 2023, 2024, 2400,
                                     9996};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        char feb29[16];
        unsigned y = years[i];
        snprintf(feb29, sizeof feb29, "%04u0229000000Z", y);
        int64_t t = time_of(0x18, feb29, &ok);
        CHECK_EQ(ok, y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
        feb29[7] = '8';
        if (ok) /* the day after 28 February */
            CHECK_EQ(t, time_of(0x18, feb29, &ok) + 86400);
    }
    const char *bad_utc[] = {"230229000000Z", "231301000000Z", "230001000000Z", "230100000000Z",
                             "230101240000Z", "230101006000Z", "230101000060Z", "2301010000Z",
                             "230101000000",  "230101000000+0000", "2301010000000Z", "23010100000aZ",
                             "230431000000Z", " 30101000000Z"};
    for (size_t i = 0; i < sizeof bad_utc / sizeof bad_utc[0]; i++) {
        (void)time_of(0x17, bad_utc[i], &ok);
        CHECK(!ok);
    }
    (void)time_of(0x18, "20230101000000.5Z", &ok); /* no fractions */
    CHECK(!ok);
    (void)time_of(0x18, "00000101000000Z", &ok);
    CHECK(!ok);
    (void)time_of(0x04, "230101000000Z", &ok); /* wrong tag */
    CHECK(!ok);
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_fields(void)
{
    mamori_x509_t c;
    const file_t *f = cert_file("p256-l2");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(c.version, 3);
    CHECK_EQ(c.key.alg, 1);
    CHECK_EQ(c.key.key.len, 65);
    CHECK_EQ(c.sig_type, MAMORI_X509_SIG_ECDSA);
    CHECK_EQ(c.sig_hash, 1);
    CHECK_EQ(c.not_before, 1735689600); /* 2025-01-01 */
    CHECK_EQ(c.not_after, 2366841600);  /* 2045-01-01 */
    CHECK(c.flags & MAMORI_X509_F_BC);
    CHECK(!(c.flags & MAMORI_X509_F_CA));
    CHECK(c.flags & MAMORI_X509_F_EKU_SERVER);
    CHECK(c.flags & MAMORI_X509_F_EKU_CLIENT);
    CHECK(c.flags & MAMORI_X509_F_SAN);
    CHECK_EQ(c.key_usage, MAMORI_X509_KU_DIGITAL_SIGNATURE);
    CHECK((c.flags & MAMORI_X509_F_SKI) && (c.flags & MAMORI_X509_F_AKI) && c.aki.len == 20);
    CHECK(c.der == f->der && c.tbs.off > 0 && c.tbs.off + c.tbs.len < f->len);
    CHECK_EQ(c.der_len, f->len);

    f = cert_file("rsa-root");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(c.key.alg, 4);
    CHECK_EQ(c.key.rsa_n.len, 512);
    CHECK_EQ(c.sig_type, MAMORI_X509_SIG_RSA_PKCS1);
    CHECK(c.flags & MAMORI_X509_F_CA);
    CHECK(!(c.flags & MAMORI_X509_F_PATHLEN));
    CHECK_EQ(c.key_usage, MAMORI_X509_KU_KEY_CERT_SIGN | MAMORI_X509_KU_CRL_SIGN);
    CHECK(mamori_x509_name_equal(c.der + c.issuer.off, c.issuer.len, c.der + c.subject.off,
                                 c.subject.len));

    f = cert_file("pss-leaf");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(c.sig_type, MAMORI_X509_SIG_RSA_PSS);
    CHECK_EQ(c.pss_salt, 32);
    f = cert_file("ed25519-l1");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(c.sig_type, MAMORI_X509_SIG_ED25519);
    CHECK_EQ(c.key.alg, 3);
    f = cert_file("p384-i1");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(c.sig_hash, 2);
    CHECK_EQ(c.key.alg, 2);
    f = cert_file("pl0-int");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK(c.flags & MAMORI_X509_F_PATHLEN);
    CHECK_EQ(c.path_len, 0);
    f = cert_file("nc-int");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK(c.nc_permitted.len > 0 && c.nc_excluded.len > 0);
    f = cert_file("crit");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK(c.flags & MAMORI_X509_F_UNKNOWN_CRIT);
    f = cert_file("noncrit");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK(!(c.flags & MAMORI_X509_F_UNKNOWN_CRIT));

    /* An RSA key whose modulus is zero (one 00 octet) is unusable; sizing
     * it must terminate. */
    static const uint8_t zero[1] = {0};
    memset(&c, 0, sizeof c);
    c.der = zero;
    c.key.alg = 4;
    c.key.rsa_n.len = 1;
    CHECK(!mamori_x509_key_ok(&c));
}

/* Replaces the first occurrence of pat (n bytes) in buf by rep. */
static int patch(uint8_t *buf, size_t len, const uint8_t *pat, const uint8_t *rep, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(buf + i, pat, n) == 0) {
            memcpy(buf + i, rep, n);
            return 1;
        }
    return 0;
}

static void test_parse_malformed(void)
{
    mamori_x509_t c;
    const file_t *f = cert_file("noncrit");
    uint8_t *buf = malloc(f->len + 1);
    memcpy(buf, f->der, f->len);
    /* Every truncation, and one trailing byte, are malformed. */
    size_t bad = 0;
    for (size_t n = 0; n < f->len; n++)
        bad += mamori_x509_parse(&c, buf, n) == MAMORI_ERR_CERT_MALFORMED;
    CHECK_EQ(bad, f->len);
    buf[f->len] = 0;
    CHECK_EQ(mamori_x509_parse(&c, buf, f->len + 1), MAMORI_ERR_CERT_MALFORMED);
    /* A duplicate extension: 1.3.6.1.4.1.55555.2 renamed to .1. */
    static const uint8_t oid2[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xb2, 0x03, 0x02};
    static const uint8_t oid1[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xb2, 0x03, 0x01};
    CHECK(patch(buf, f->len, oid2, oid1, sizeof oid2));
    CHECK_EQ(mamori_x509_parse(&c, buf, f->len), MAMORI_ERR_CERT_MALFORMED);
    /* The same with a known extension: keyUsage twice (2.5.29.15 is 55 1d 0f;
     * the unknown OID above becomes keyUsage-shaped only by length, so take
     * the SAN OID and turn it into keyUsage instead). */
    memcpy(buf, f->der, f->len);
    static const uint8_t san[] = {0x06, 0x03, 0x55, 0x1d, 0x11};
    static const uint8_t ku[] = {0x06, 0x03, 0x55, 0x1d, 0x0f};
    CHECK(patch(buf, f->len, san, ku, sizeof san));
    CHECK_EQ(mamori_x509_parse(&c, buf, f->len), MAMORI_ERR_CERT_MALFORMED);

    /* The outer signature algorithm differs from the inner one. */
    f = cert_file("p256-l1");
    buf = realloc(buf, f->len);
    memcpy(buf, f->der, f->len);
    CHECK_EQ(mamori_x509_parse(&c, buf, f->len), MAMORI_OK);
    size_t off = (size_t)c.sig_alg.off + c.sig_alg.len - 1; /* ecdsa-with-SHA256 arc */
    CHECK_EQ(buf[off], 0x02);
    buf[off] = 0x03;
    CHECK_EQ(mamori_x509_parse(&c, buf, f->len), MAMORI_ERR_CERT_MALFORMED);
    /* Non-minimal length of the outer SEQUENCE (82 xx xx -> 83 00 xx xx). */
    uint8_t *big = malloc(f->len + 1);
    CHECK_EQ(f->der[1], 0x82);
    big[0] = 0x30;
    big[1] = 0x83;
    big[2] = 0;
    memcpy(big + 3, f->der + 2, f->len - 2);
    CHECK_EQ(mamori_x509_parse(&c, big, f->len + 1), MAMORI_ERR_CERT_MALFORMED);
    /* Every single-bit flip either parses or is malformed: never a crash
     * and never another code. */
    size_t other = 0;
    for (size_t i = 0; i < f->len; i++)
        for (int b = 0; b < 8; b += 3) {
            memcpy(buf, f->der, f->len);
            buf[i] ^= (uint8_t)(1u << b);
            int rc = mamori_x509_parse(&c, buf, f->len);
            other += rc != MAMORI_OK && rc != MAMORI_ERR_CERT_MALFORMED;
        }
    CHECK_EQ(other, 0);
    free(big);
    free(buf);
}

/* ---- host names, addresses, names ---------------------------------------- */

static void test_host_ip(void)
{
    mamori_x509_t c;
    const file_t *f = cert_file("wild");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "a.example.com"), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "a.example.com."), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "A-1.EXAMPLE.com"), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "a.b.example.com"), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_host(&c, "example.com"), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_host(&c, "aexample.com"), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_host(&c, "a.example.org"), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_host(&c, "xn--caf-dma.example.com"), MAMORI_OK);
    /* References that are not host names. */
    CHECK_EQ(mamori_x509_check_host(&c, ""), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, NULL), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, "*.example.com"), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, "a..example.com"), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, ".example.com"), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, "a.example.com.."), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, "192.0.2.10"), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, "a b.example.com"), MAMORI_ERR_INVAL);
    char longname[300];
    memset(longname, 'a', 64);
    strcpy(longname + 64, ".example.com");
    CHECK_EQ(mamori_x509_check_host(&c, longname), MAMORI_ERR_INVAL); /* 64-octet label */
    for (int i = 0; i < 260; i += 2)
        memcpy(longname + i, "a.", 2);
    strcpy(longname + 260, "com");
    CHECK_EQ(mamori_x509_check_host(&c, longname), MAMORI_ERR_INVAL); /* over 253 */

    f = cert_file("wild-tld");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "example.com"), MAMORI_ERR_CERT_NAME_MISMATCH);
    f = cert_file("wild-partial");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "www.example.com"), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_host(&c, "w.example.com"), MAMORI_ERR_CERT_NAME_MISMATCH);
    f = cert_file("wild-idn");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "xn--caf-dma.example.com"), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_host(&c, "www.xn--bcher-kva.example"), MAMORI_OK);

    f = cert_file("ip-only");
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    static const uint8_t v4[4] = {192, 0, 2, 10}, v4b[4] = {192, 0, 2, 11};
    uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
    v6[15] = 1;
    CHECK_EQ(mamori_x509_check_ip(&c, v4, 4), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_ip(&c, v6, 16), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_ip(&c, v4b, 4), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_ip(&c, v6, 4), MAMORI_ERR_CERT_NAME_MISMATCH);
    CHECK_EQ(mamori_x509_check_ip(&c, v4, 5), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_check_host(&c, "www.example.com"), MAMORI_ERR_CERT_NAME_MISMATCH);

    f = cert_file("nosan"); /* CN=www.example.com, no SAN: no fallback */
    CHECK_EQ(mamori_x509_parse(&c, f->der, f->len), MAMORI_OK);
    CHECK_EQ(mamori_x509_check_host(&c, "www.example.com"),
             MAMORI_X509_CN_FALLBACK ? MAMORI_OK : MAMORI_ERR_CERT_NAME_MISMATCH);
}

static int names_equal(const char *a, const char *b)
{
    uint8_t x[128], y[128];
    long n = hex_decode(a, x, sizeof x), m = hex_decode(b, y, sizeof y);
    CHECK(n > 0 && m > 0);
    return mamori_x509_name_equal(x, (size_t)n, y, (size_t)m);
}

static void test_names(void)
{
    /* SEQUENCE { SET { SEQUENCE { 2.5.4.3, value } } } */
    const char *abc_utf8 = "300e310c300a06035504030c03616263";
    CHECK(names_equal(abc_utf8, abc_utf8));
    CHECK(names_equal(abc_utf8, "300e310c300a0603550403130341424" "3")); /* Printable "ABC" */
    CHECK(names_equal("3010310e300c06035504030c0561206220" "63",          /* "a b c" */
                      "3013311130" "0f0603550403130820412020422043" "20")); /* " A  B C " */
    CHECK(!names_equal(abc_utf8, "3010310e300c06035504030c0561206220" "63"));
    CHECK(!names_equal(abc_utf8, "300e310c300a06035504" "0a0c03616263")); /* O, not CN */
    CHECK(!names_equal(abc_utf8, "300e310c300a060355040304" "03616263")); /* OCTET STRING */
    CHECK(!names_equal(abc_utf8, "301c310c300a06035504030c03616263310c300a06035504030c03616263"));
    CHECK(!names_equal(abc_utf8, "300e310c300a06035504030c03616264"));
    /* RDN boundaries count: { CN=a + O=b } is not { CN=a }, { O=b }. */
    const char *multi = "3016" "3114" "300806035504030c0161" "3008060355040a0c0162";
    CHECK(names_equal(multi, "3016" "3114" "300806035504030c0141" "3008060355040a0c0162"));
    CHECK(!names_equal(multi, "3018" "310a" "300806035504030c0161" "310a" "3008060355040a0c0162"));
    CHECK(!names_equal(multi, "300c" "310a" "300806035504030c0161"));
}

/* ---- PEM and the trust store ----------------------------------------------- */

static int pem_one(const char *text, uint8_t *out, size_t cap, size_t *n)
{
    size_t pos = 0;
    return mamori_pem_decode(text, strlen(text), &pos, "CERTIFICATE", out, cap, n);
}

static void test_pem(void)
{
    uint8_t out[64];
    size_t n;
    CHECK_EQ(pem_one("-----BEGIN CERTIFICATE-----\nTWFu\n-----END CERTIFICATE-----\n", out,
                     sizeof out, &n), MAMORI_OK);
    CHECK(n == 3 && memcmp(out, "Man", 3) == 0);
    CHECK_EQ(pem_one("junk\r\n-----BEGIN CERTIFICATE-----\r\nTW\r\nE=\r\n-----END CERTIFICATE-----",
                     out, sizeof out, &n), MAMORI_OK);
    CHECK(n == 2 && memcmp(out, "Ma", 2) == 0);
    CHECK_EQ(pem_one("-----BEGIN CERTIFICATE-----\nTQ==\n-----END CERTIFICATE-----\n", out,
                     sizeof out, &n), MAMORI_OK);
    CHECK(n == 1 && out[0] == 'M');
    CHECK_EQ(pem_one("-----BEGIN CERTIFICATE-----\n+/+/\n-----END CERTIFICATE-----\n", out,
                     sizeof out, &n), MAMORI_OK);
    CHECK(n == 3 && out[0] == 0xfb && out[1] == 0xff && out[2] == 0xbf);
    const char *bad[] = {
        "-----BEGIN CERTIFICATE-----\nTWF\n-----END CERTIFICATE-----\n",   /* incomplete */
        "-----BEGIN CERTIFICATE-----\nTWF!\n-----END CERTIFICATE-----\n",  /* alphabet */
        "-----BEGIN CERTIFICATE-----\nTR==\n-----END CERTIFICATE-----\n",  /* pad bits set */
        "-----BEGIN CERTIFICATE-----\nTWE=TWFu\n-----END CERTIFICATE-----\n", /* data after = */
        "-----BEGIN CERTIFICATE-----\nT===\n-----END CERTIFICATE-----\n",  /* three = */
        "-----BEGIN CERTIFICATE-----\nTWFu\n-----END PRIVATE KEY-----\n",  /* label */
        "-----BEGIN CERTIFICATE-----\nTWFu\n",                               /* no END */
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",         /* empty */
        "-----BEGIN CERTIFICATE-----\nProc-Type: 4\nTWFu\n-----END CERTIFICATE-----\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(pem_one(bad[i], out, sizeof out, &n), MAMORI_ERR_MALFORMED);
    CHECK_EQ(pem_one("-----BEGIN PRIVATE KEY-----\nTWFu\n-----END PRIVATE KEY-----\n", out,
                     sizeof out, &n), MAMORI_ERR_NOTFOUND);
    CHECK_EQ(pem_one("-----BEGIN CERTIFICATE-----\nTWFuTWFu\n-----END CERTIFICATE-----\n", out, 5,
                     &n), MAMORI_ERR_BUFSIZE);

    /* The roots bundle decodes to the four DER roots. */
    size_t len, used;
    char *pem = (char *)read_file(DIR "roots.pem", &len);
    uint8_t *buf = malloc(len);
    mamori_x509_anchor_t anchors[4];
    mamori_x509_store_t store;
    mamori_x509_store_init(&store, anchors, 4);
    CHECK_EQ(mamori_x509_store_add_pem(&store, pem, len, buf, len, &used), 4);
    const char *roots[] = {"rsa-root", "p256-root", "p384-root", "ed25519-root"};
    for (size_t i = 0; i < 4; i++) {
        const file_t *f = cert_file(roots[i]);
        CHECK(anchors[i].der_len == f->len && memcmp(anchors[i].der, f->der, f->len) == 0);
        CHECK(anchors[i].flags & MAMORI_X509_F_ANCHOR_CA);
    }
    CHECK_EQ(used, cert_file("rsa-root")->len + cert_file("p256-root")->len +
                       cert_file("p384-root")->len + cert_file("ed25519-root")->len);
    mamori_x509_store_init(&store, anchors, 3);
    CHECK_EQ(mamori_x509_store_add_pem(&store, pem, len, buf, len, &used), MAMORI_ERR_NOMEM);
    mamori_x509_store_init(&store, anchors, 4);
    CHECK_EQ(mamori_x509_store_add_pem(&store, pem, len, buf, 100, &used), MAMORI_ERR_BUFSIZE);
    CHECK_EQ(mamori_x509_store_add_pem(&store, "nothing", 7, buf, len, &used), MAMORI_ERR_NOTFOUND);
    const file_t *f = cert_file("crit");
    CHECK_EQ(mamori_x509_store_add_der(&store, f->der, f->len), MAMORI_ERR_CERT_CONSTRAINT);
    CHECK_EQ(mamori_x509_store_add_der(&store, f->der, f->len - 1), MAMORI_ERR_CERT_MALFORMED);
    f = cert_file("noca-int"); /* CA:FALSE: stored, but may not issue */
    CHECK_EQ(mamori_x509_store_add_der(&store, f->der, f->len), MAMORI_OK);
    CHECK(!(anchors[store.count - 1].flags & MAMORI_X509_F_ANCHOR_CA));
    free(buf);
    free(pem);
}

/* ---- path validation ----------------------------------------------------- */

typedef struct {
    const uint8_t *certs[16];
    size_t lens[16], n;
    mamori_x509_anchor_t anchors[8];
    mamori_x509_store_t store;
    mamori_x509_verify_opts_t opts;
    uint8_t ip[16];
} chain_t;

static void split_certs(const char *list, const uint8_t **ders, size_t *lens, size_t *n)
{
    char tmp[512], *save = NULL;
    snprintf(tmp, sizeof tmp, "%s", list);
    *n = 0;
    for (char *t = strtok_r(tmp, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        const file_t *f = cert_file(t);
        ders[*n] = f->der;
        lens[(*n)++] = f->len;
    }
}

static void load_case(const kv_file_t *kv, chain_t *ch)
{
    const uint8_t *ders[8];
    size_t lens[8], na;
    const char *v;
    memset(ch, 0, sizeof *ch);
    split_certs(kv_get(kv, "certs"), ch->certs, ch->lens, &ch->n);
    split_certs(kv_get(kv, "anchors"), ders, lens, &na);
    mamori_x509_store_init(&ch->store, ch->anchors, 8);
    for (size_t i = 0; i < na; i++)
        CHECK_EQ(mamori_x509_store_add_der(&ch->store, ders[i], lens[i]), MAMORI_OK);
    ch->opts.now = (v = kv_get(kv, "now")) ? atoll(v) : NOW_2030;
    ch->opts.allow_no_time = (v = kv_get(kv, "allow_no_time")) ? atoi(v) : 0;
    ch->opts.max_depth = (v = kv_get(kv, "maxdepth")) ? (unsigned)atoi(v) : 0;
    v = kv_get(kv, "purpose");
    ch->opts.purpose = !v || !strcmp(v, "server") ? MAMORI_X509_PURPOSE_SERVER
                       : !strcmp(v, "client")     ? MAMORI_X509_PURPOSE_CLIENT
                                                  : MAMORI_X509_PURPOSE_ANY;
    ch->opts.hostname = kv_get(kv, "host");
    if ((v = kv_get(kv, "ip")) != NULL) {
        ch->opts.ip = ch->ip;
        ch->opts.ip_len = strchr(v, ':') ? 16 : 4;
        CHECK_EQ(inet_pton(strchr(v, ':') ? AF_INET6 : AF_INET, v, ch->ip), 1);
    }
}

static void test_cases(void)
{
    kv_file_t kv;
    chain_t ch;
    unsigned count = 0;
    kv_open(&kv, DIR "cases.txt");
    while (kv_next(&kv)) {
        const char *name = kv_get(&kv, "case");
        if (name == NULL)
            continue;
        load_case(&kv, &ch);
        int want = code_of(kv_get(&kv, "expect"));
        int got = mamori_x509_verify_chain(&ch.store, ch.certs, ch.lens, ch.n, &ch.opts);
        if (got != want)
            fprintf(stderr, "case %s: got %d (%s), expected %d (%s)\n", name, got,
                    mamori_strerror(got), want, mamori_strerror(want));
        CHECK_EQ(got, want);
        count++;
    }
    kv_close(&kv);
    CHECK(count >= 80);
    printf("x509: %u chain cases\n", count);
}

/* Chains changed in memory: bad signatures, malformed members, limits. */
static void test_chain_edits(void)
{
    mamori_x509_anchor_t anchors[2];
    mamori_x509_store_t store;
    mamori_x509_verify_opts_t opts = {.now = NOW_2030, .purpose = MAMORI_X509_PURPOSE_SERVER};
    const file_t *root = cert_file("p256-root"), *i1 = cert_file("p256-i1");
    const file_t *leaf = cert_file("p256-l2");
    mamori_x509_store_init(&store, anchors, 2);
    CHECK_EQ(mamori_x509_store_add_der(&store, root->der, root->len), MAMORI_OK);
    uint8_t *bad = malloc(leaf->len);
    memcpy(bad, leaf->der, leaf->len);
    bad[leaf->len - 3] ^= 1; /* inside s of the ECDSA signature */
    const uint8_t *certs[12] = {bad, i1->der};
    size_t lens[12] = {leaf->len, i1->len};
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, 2, &opts), MAMORI_ERR_CERT_BAD_SIGNATURE);
    certs[0] = leaf->der;
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, 2, &opts), MAMORI_OK);
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, 2, NULL), MAMORI_ERR_CERT_NO_TIME);
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, 0, &opts), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_x509_verify_chain(NULL, certs, lens, 2, &opts), MAMORI_ERR_INVAL);
    /* A malformed extra certificate is ignored; a malformed needed one
     * leaves the issuer unknown; a malformed leaf is reported. */
    certs[2] = i1->der;
    lens[2] = i1->len - 1;
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, 3, &opts), MAMORI_OK);
    const uint8_t *bad_leaf[2] = {i1->der, i1->der};
    size_t bad_lens[2] = {i1->len - 1, i1->len};
    CHECK_EQ(mamori_x509_verify_chain(&store, bad_leaf, bad_lens, 2, &opts),
             MAMORI_ERR_CERT_MALFORMED);
    certs[1] = certs[2];
    lens[1] = lens[2];
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, 2, &opts),
             MAMORI_ERR_CERT_UNKNOWN_ISSUER);
    /* Too many certificates. */
    for (size_t i = 1; i < 12; i++) {
        certs[i] = i1->der;
        lens[i] = i1->len;
    }
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, MAMORI_X509_MAX_CERTS, &opts), MAMORI_OK);
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, MAMORI_X509_MAX_CERTS + 1, &opts),
             MAMORI_ERR_CERT_CHAIN_TOO_LONG);
    /* An intermediate whose signature is broken: the issuer is found by
     * name, its signature over the leaf verifies, its own does not. */
    uint8_t *bad_i1 = malloc(i1->len);
    memcpy(bad_i1, i1->der, i1->len);
    bad_i1[i1->len - 3] ^= 1;
    certs[1] = bad_i1;
    lens[1] = i1->len;
    CHECK_EQ(mamori_x509_verify_chain(&store, certs, lens, 2, &opts), MAMORI_ERR_CERT_BAD_SIGNATURE);
    free(bad_i1);
    free(bad);
}

int main(void)
{
    test_times();
    test_parse_fields();
    test_parse_malformed();
    test_host_ip();
    test_names();
    test_pem();
    test_cases();
    test_chain_edits();
    for (int e = MAMORI_ERR_CERT_CHAIN_TOO_LONG; e <= MAMORI_ERR_CERT_EXPIRED; e++)
        CHECK(strcmp(mamori_strerror(e), "unknown error") != 0);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i].der);
    return check_summary("x509");
}
