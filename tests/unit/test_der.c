/* Strict DER reader and SubjectPublicKeyInfo parser. */
#include "check.h"
#include "mamori/error.h"
#include "x509/der.h"
#include "x509/spki.h"

#include <string.h>

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    long n = hex_decode(hex, out, cap);
    CHECK(n >= 0);
    return n < 0 ? 0 : (size_t)n;
}

/* 1 if the input parses as exactly one INTEGER accepted by mamori_der_uint. */
static int uint_ok(const char *hex)
{
    uint8_t buf[64];
    size_t len, n = unhex(hex, buf, sizeof buf);
    mamori_der_t d;
    mamori_der_init(&d, buf, n);
    (void)mamori_der_uint(&d, &len);
    return mamori_der_done(&d);
}

static void test_lengths_and_integers(void)
{
    CHECK(uint_ok("020100"));
    CHECK(uint_ok("02017f"));
    CHECK(uint_ok("02020080"));
    CHECK(!uint_ok("0200"));         /* empty */
    CHECK(!uint_ok("020180"));       /* negative */
    CHECK(!uint_ok("0202007f"));     /* redundant zero */
    CHECK(!uint_ok("02810100"));     /* long form for a short length */
    CHECK(!uint_ok("0280"));         /* indefinite */
    CHECK(!uint_ok("020200"));       /* length past the end */
    CHECK(!uint_ok("02010000"));     /* trailing byte */
    CHECK(!uint_ok("1f0201"));       /* high tag number */
    CHECK(!uint_ok("0285000000000100")); /* length field too long */

    uint8_t buf[300];
    mamori_der_t d;
    size_t len;
    /* 0x81 form needs a length >= 128; 0x82 needs a non-zero first octet. */
    memset(buf, 0x11, sizeof buf);
    buf[0] = 0x04;
    buf[1] = 0x81;
    buf[2] = 0x80;
    mamori_der_init(&d, buf, 3 + 0x80);
    CHECK(mamori_der_octets(&d, &len) == buf + 3 && len == 0x80 && mamori_der_done(&d));
    buf[1] = 0x82;
    buf[2] = 0x00;
    buf[3] = 0x80;
    mamori_der_init(&d, buf, 4 + 0x80);
    (void)mamori_der_octets(&d, &len);
    CHECK(!mamori_der_ok(&d));

    static const uint8_t small[] = {0x02, 0x02, 0x01, 0x00};
    mamori_der_init(&d, small, sizeof small);
    CHECK_EQ(mamori_der_uint32(&d), 256);
    CHECK(mamori_der_done(&d));
    static const uint8_t big[] = {0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00};
    mamori_der_init(&d, big, sizeof big);
    (void)mamori_der_uint32(&d);
    CHECK(!mamori_der_ok(&d));
}

static void test_oid_bits_null_depth(void)
{
    uint8_t buf[64];
    size_t n, len;
    unsigned unused;
    mamori_der_t d;

    n = unhex("06072a8648ce3d0201", buf, sizeof buf);
    mamori_der_init(&d, buf, n);
    const uint8_t *oid = mamori_der_oid(&d, &len);
    static const uint8_t ec[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
    CHECK(mamori_der_oid_equal(oid, len, ec, sizeof ec) && mamori_der_done(&d));
    n = unhex("06022a80", buf, sizeof buf); /* unterminated sub-identifier */
    mamori_der_init(&d, buf, n);
    (void)mamori_der_oid(&d, &len);
    CHECK(!mamori_der_ok(&d));
    n = unhex("06032a8001", buf, sizeof buf); /* sub-identifier led by 0x80 */
    mamori_der_init(&d, buf, n);
    (void)mamori_der_oid(&d, &len);
    CHECK(!mamori_der_ok(&d));

    n = unhex("030206c0", buf, sizeof buf); /* 6 unused bits, all zero */
    mamori_der_init(&d, buf, n);
    CHECK(mamori_der_bits(&d, &len, &unused) != NULL && len == 1 && unused == 6);
    n = unhex("030206c1", buf, sizeof buf); /* a padding bit set */
    mamori_der_init(&d, buf, n);
    (void)mamori_der_bits(&d, &len, &unused);
    CHECK(!mamori_der_ok(&d));
    n = unhex("030108", buf, sizeof buf); /* unused bits in an empty string */
    mamori_der_init(&d, buf, n);
    (void)mamori_der_bits(&d, &len, &unused);
    CHECK(!mamori_der_ok(&d));
    n = unhex("030206c0", buf, sizeof buf);
    mamori_der_init(&d, buf, n);
    (void)mamori_der_bit_octets(&d, &len);
    CHECK(!mamori_der_ok(&d));

    n = unhex("0500", buf, sizeof buf);
    mamori_der_init(&d, buf, n);
    mamori_der_null(&d);
    CHECK(mamori_der_done(&d));
    n = unhex("050100", buf, sizeof buf);
    mamori_der_init(&d, buf, n);
    mamori_der_null(&d);
    CHECK(!mamori_der_ok(&d));

    /* Nesting beyond MAMORI_DER_MAX_DEPTH fails. */
    const size_t levels = MAMORI_DER_MAX_DEPTH + 1;
    for (size_t i = 0; i < levels; i++) {
        buf[2 * i] = MAMORI_DER_SEQUENCE;
        buf[2 * i + 1] = (uint8_t)(2 * (levels - 1 - i));
    }
    mamori_der_t level[MAMORI_DER_MAX_DEPTH + 2];
    mamori_der_init(&level[0], buf, 2 * levels);
    for (size_t i = 0; i + 1 < levels; i++)
        level[i + 1] = mamori_der_enter(&level[i], MAMORI_DER_SEQUENCE);
    CHECK(mamori_der_ok(&level[levels - 1]));
    level[levels] = mamori_der_enter(&level[levels - 1], MAMORI_DER_SEQUENCE);
    CHECK(!mamori_der_ok(&level[levels]));

    /* enter_raw reports the whole element. */
    n = unhex("3003020101ff", buf, sizeof buf);
    const uint8_t *raw;
    size_t raw_len;
    mamori_der_init(&d, buf, n);
    mamori_der_t seq = mamori_der_enter_raw(&d, MAMORI_DER_SEQUENCE, &raw, &raw_len);
    CHECK(raw == buf && raw_len == 5 && mamori_der_uint32(&seq) == 1 && mamori_der_done(&seq));
    CHECK_EQ(mamori_der_peek(&d), 0xff);
}

static void test_spki(void)
{
    uint8_t buf[600];
    mamori_spki_t k;
    size_t n;

    n = unhex("3059301306072a8648ce3d020106082a8648ce3d03010703420004"
              "62d5bd3372af75fe85a040715d0f502428e07046868b0bfdfa61d731afe44f26"
              "ac333a93a9e70a81cd5a95b5bf8d13990eb741c8c38872b4a07d275a014e30cf",
              buf, sizeof buf);
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_OK);
    CHECK(k.alg == MAMORI_SPKI_EC_P256 && k.key == buf + 26 && k.key_len == 65);
    CHECK_EQ(mamori_spki_parse(&k, buf, n - 1), MAMORI_ERR_MALFORMED);
    buf[n] = 0;
    CHECK_EQ(mamori_spki_parse(&k, buf, n + 1), MAMORI_ERR_MALFORMED);
    buf[22] = 0x06; /* prime256v1 -> an unknown curve arc */
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_ERR_UNSUPPORTED);

    n = unhex("3076301006072a8648ce3d020106052b8104002203620004"
              "00000000000000000000000000000000000000000000000000000000000000000000000000"
              "00000000000000000000000000000000000000000000000000000000000000000000000000"
              "00000000000000000000000000000000000000000000",
              buf, sizeof buf);
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_OK);
    CHECK(k.alg == MAMORI_SPKI_EC_P384 && k.key_len == 97);

    /* Ed25519 (RFC 8410 10.1 shape). */
    n = unhex("302a300506032b6570032100"
              "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
              buf, sizeof buf);
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_OK);
    CHECK(k.alg == MAMORI_SPKI_ED25519 && k.key_len == 32 && k.key == buf + 12);
    n = unhex("302c300706032b65700500032100"
              "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
              buf, sizeof buf); /* parameters must be absent */
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_ERR_MALFORMED);

    /* RSA with a toy modulus. */
    n = unhex("301f300d06092a864886f70d0101010500030e00300b020400c0ffee0203010001", buf,
              sizeof buf);
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_OK);
    CHECK(k.alg == MAMORI_SPKI_RSA && k.rsa_n_len == 3 && k.rsa_n[0] == 0xc0 &&
          k.rsa_e_len == 3 && k.rsa_e[2] == 0x01);
    n = unhex("301d300b06092a864886f70d010101030e00300b020400c0ffee0203010001", buf,
              sizeof buf); /* NULL parameters missing */
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_ERR_MALFORMED);
    /* Unknown algorithm, well-formed. */
    n = unhex("3012300d06092a864886f70d01010a0500030100", buf, sizeof buf);
    CHECK_EQ(mamori_spki_parse(&k, buf, n), MAMORI_ERR_UNSUPPORTED);
}

int main(void)
{
    test_lengths_and_integers();
    test_oid_bits_null_depth();
    test_spki();
    return check_summary("der");
}
