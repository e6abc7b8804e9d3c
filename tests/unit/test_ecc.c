/* P-256/P-384 known answers: the curve constants and generator tables,
 * RFC 6979 A.2.5/A.2.6, and every Wycheproof ECDH and ECDSA vector (also
 * through prepared keys, which must give the same results). */
#include "check.h"
#include "crypto/ec_point.h"
#include "kv.h"
#include "mamori/ecc.h"
#include "mamori/error.h"
#include "mamori/sha2.h"
#include "x509/spki.h"

#include <stdlib.h>
#include <string.h>

static void unhex(const char *hex, uint8_t *out, size_t len)
{
    CHECK_EQ(hex_decode(hex, out, len), (long)len);
}

#if MAMORI_EC_GTABLE
/* Jacobian a equals affine (x, y) (all Montgomery form). */
static int point_is(const ec_curve_t *c, const ec_point_t *a, const ec_limb_t *x,
                    const ec_limb_t *y)
{
    ec_fe_t t, z2;
    ec_mont_sqr(&c->p, z2, a->z);
    ec_mont_mul(&c->p, t, x, z2);
    int ok = ec_equal(&c->p, t, a->x);
    ec_mont_mul(&c->p, z2, z2, a->z);
    ec_mont_mul(&c->p, t, y, z2);
    return ok && ec_equal(&c->p, t, a->y) && !ec_is_zero(&c->p, a->z);
}
#endif

/* a + b, complete: the partial sum, or the doubling in its one failing
 * case (as the library's callers do). */
static void point_add(const ec_curve_t *c, ec_point_t *r, const ec_point_t *a, const ec_point_t *b)
{
    ec_point_t d;
    ec_point_double_n(c, &d, b, 1);
    if (ec_point_add_partial(c, r, a, b))
        *r = d;
}

/* G is on the curve, n G is the identity, and every table entry is
 * j 16^(4 row) G. */
static void test_curve_constants(const ec_curve_t *c)
{
    const size_t len = ec_curve_bytes(c);
    uint8_t enc[1 + 2 * EC_MAX_BYTES], k[EC_MAX_BYTES];
    ec_point_t g, q;
    ec_point_generator(c, &g);
    enc[0] = 0x04;
    CHECK_EQ(ec_point_to_affine(c, enc + 1, enc + 1 + len, &g), 0);
    CHECK_EQ(ec_point_decode(c, &q, enc, 1 + 2 * len), MAMORI_OK);

    ec_to_bytes(&c->n, k, c->n.m); /* n G = identity, (n-1) G = -G */
    ec_mul(c, &q, k, &g);
    CHECK(ec_is_zero(&c->p, q.z));
    k[len - 1]--;
    ec_mul(c, &q, k, &g);
    point_add(c, &q, &q, &g);
    CHECK(ec_is_zero(&c->p, q.z));
    ec_mul_base(c, &q, k);
    point_add(c, &q, &q, &g);
    CHECK(ec_is_zero(&c->p, q.z));

#if MAMORI_EC_GTABLE
    const unsigned nl = c->p.n;
    const size_t rows = EC_GTABLE_ROWS(len * 8);
    unsigned bad = 0;
    ec_point_t base = g;
    for (size_t row = 0; row < rows; row++) {
        q = base;
        for (size_t j = 0; j < EC_COMB_ENTRIES; j++) {
            const ec_limb_t *e = c->gtable + (row * EC_COMB_ENTRIES + j) * 2 * nl;
            bad += !point_is(c, &q, e, e + nl);
            point_add(c, &q, &q, &base);
        }
        ec_point_double_n(c, &base, &base, 4 * EC_COMB_WINDOW);
    }
    CHECK_EQ(bad, 0);
#endif
}

/* A slow, independent reference: x*y mod m by schoolbook product and
 * bit-serial reduction on 32-bit words (little-endian, 12 words cover
 * P-384). */
#define REF_WORDS 12
typedef uint32_t ref_t[REF_WORDS + 1];

static void ref_from_fe(const ec_mod_t *m, uint32_t *r, const ec_limb_t *a)
{
    uint8_t buf[EC_MAX_BYTES];
    const size_t len = ec_mod_bytes(m);
    ec_to_bytes(m, buf, a);
    memset(r, 0, sizeof(ref_t));
    for (size_t i = 0; i < len; i++)
        r[i / 4] |= (uint32_t)buf[len - 1 - i] << (8 * (i % 4));
}

/* r >= m (both REF_WORDS + 1 words) */
static int ref_ge(const uint32_t *r, const uint32_t *m)
{
    for (size_t i = REF_WORDS + 1; i-- > 0;)
        if (r[i] != m[i])
            return r[i] > m[i];
    return 1;
}

static void ref_sub(uint32_t *r, const uint32_t *m)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < REF_WORDS + 1; i++) {
        uint64_t d = (uint64_t)r[i] - m[i] - borrow;
        r[i] = (uint32_t)d;
        borrow = (d >> 63) & 1;
    }
}

/* r = x y mod m */
static void ref_mulmod(uint32_t *r, const uint32_t *x, const uint32_t *y, const uint32_t *m)
{
    uint32_t prod[2 * REF_WORDS];
    memset(prod, 0, sizeof prod);
    for (size_t i = 0; i < REF_WORDS; i++) {
        uint64_t c = 0;
        for (size_t j = 0; j < REF_WORDS; j++) {
            uint64_t t = (uint64_t)x[i] * y[j] + prod[i + j] + c;
            prod[i + j] = (uint32_t)t;
            c = t >> 32;
        }
        prod[i + REF_WORDS] = (uint32_t)c;
    }
    memset(r, 0, sizeof(ref_t));
    for (size_t bit = 64 * REF_WORDS; bit-- > 0;) {
        for (size_t i = REF_WORDS + 1; i-- > 1;)
            r[i] = (r[i] << 1) | (r[i - 1] >> 31);
        r[0] = (r[0] << 1) | ((prod[bit / 32] >> (bit % 32)) & 1);
        if (ref_ge(r, m))
            ref_sub(r, m);
    }
}

static uint64_t test_seed = 0x70323536u;

static void random_fe(const ec_mod_t *m, ec_limb_t *a)
{
    memset(a, 0, sizeof(ec_fe_t));
    for (unsigned i = 0; i < m->n; i++) {
        ec_limb_t v = 0;
        for (unsigned k = 0; k < EC_LIMB_BITS / 16; k++) {
            test_seed ^= test_seed << 13;
            test_seed ^= test_seed >> 7;
            test_seed ^= test_seed << 17;
            v = (v << 16) | (ec_limb_t)(test_seed & 0xffff);
        }
        a[i] = v;
    }
}

/* Values that stress carries: 0, 1, m-1, m-2, m-2^32, runs of ones and
 * zeros, and random values, reduced below m when wanted. */
static void edge_fe(const ec_mod_t *m, ec_limb_t *a, unsigned k, int below_m)
{
    ec_fe_t one = {1};
    memset(a, 0, sizeof(ec_fe_t));
    switch (k) {
    case 0:
        break;
    case 1:
        a[0] = 1;
        break;
    case 2:
        ec_mod_sub(m, a, a, one); /* m - 1 */
        break;
    case 3:
        ec_mod_sub(m, a, a, one);
        ec_mod_sub(m, a, a, one);
        break;
    case 4:
        memset(a, 0xff, m->n * sizeof(ec_limb_t)); /* 2^bits - 1 */
        break;
    case 5:
        memcpy(a, m->m, sizeof(ec_fe_t));
        a[0] = 0; /* m with its low limb cleared */
        break;
    case 6:
        memset(a, 0xff, m->n * sizeof(ec_limb_t) / 2);
        break;
    default:
        random_fe(m, a);
        break;
    }
    if (below_m)
        while (!ec_lt_mod(m, a))
            a[m->n - 1] >>= 1;
}

/* Montgomery multiplication, squaring, addition, subtraction, halving and
 * inversion modulo every p and n against the reference (a b = R (a*b/R) mod m). */
static void test_field(const ec_mod_t *m)
{
    ref_t rm, rr, ra, rb, rx, ry;
    ec_fe_t a, b, r, r2, one_m;
    unsigned bad = 0;
    ref_from_fe(m, rm, m->m);
    /* R mod m = (2^(bits/2))^2 mod m */
    memset(rx, 0, sizeof rx);
    rx[m->n * EC_LIMB_BITS / 64] = 1;
    ref_mulmod(rr, rx, rx, rm);
    ec_mont_one(m, one_m);
    ref_from_fe(m, rx, one_m);
    CHECK_MEM(rx, rr, sizeof rx);

    for (unsigned i = 0; i < 40; i++) {
        for (unsigned j = 0; j < 40; j++) {
            edge_fe(m, a, i, i % 2);     /* a < R for multiplication */
            edge_fe(m, b, j, 1);
            ref_from_fe(m, ra, a);
            ref_from_fe(m, rb, b);
            ec_mont_mul(m, r, a, b);
            ref_from_fe(m, rx, r);
            ref_mulmod(ry, rx, rr, rm);
            ref_mulmod(rx, ra, rb, rm);
            bad += !ec_lt_mod(m, r) || memcmp(rx, ry, sizeof rx) != 0;
            if (j == 0) {
                edge_fe(m, a, i, 1);
                ec_mont_sqr(m, r, a);
                ec_mont_mul(m, r2, a, a);
                bad += !ec_equal(m, r, r2);
            }
            edge_fe(m, a, i, 1);
            ec_mod_add(m, r, a, b);
            ec_mod_sub(m, r2, r, b);
            bad += !ec_lt_mod(m, r) || !ec_lt_mod(m, r2) || !ec_equal(m, r2, a);
            ec_mod_sub(m, r, a, b);
            ec_mod_add(m, r2, r, b);
            bad += !ec_lt_mod(m, r) || !ec_equal(m, r2, a);
            if (j == 0) {
                ec_mod_half(m, r, a);
                ec_mod_add(m, r2, r, r);
                bad += !ec_lt_mod(m, r) || !ec_equal(m, r2, a);
            }
        }
        edge_fe(m, a, i, 1);
        ec_mont_inv(m, r, a);
        ec_mont_mul(m, r2, r, a);
        bad += ec_is_zero(m, a) ? !ec_is_zero(m, r) : !ec_equal(m, r2, one_m);
    }
    CHECK_EQ(bad, 0);
}

/* k G for k = n + j, j in [-64, 64] (k >= 2^bits skipped): for one j per
 * window width, the last addition of ec_mul's fixed window meets its
 * doubling case (k - d = d mod n for the lowest digit d), which only the
 * complete formula gets right; the comb too. Expected: |j| G, negated for
 * j < 0. */
static void test_mul_near_order(const ec_curve_t *c)
{
    const size_t len = ec_curve_bytes(c);
    uint8_t k[EC_MAX_BYTES], s[EC_MAX_BYTES], x1[EC_MAX_BYTES], y1[EC_MAX_BYTES];
    uint8_t x2[EC_MAX_BYTES], y2[EC_MAX_BYTES], x3[EC_MAX_BYTES], y3[EC_MAX_BYTES];
    ec_point_t g, want, got, base;
    ec_fe_t v, jv;
    unsigned bad = 0, tried = 0;
    ec_point_generator(c, &g);
    for (int j = -64; j <= 64; j++) {
        if (j == 0)
            continue;
        memset(jv, 0, sizeof jv);
        jv[0] = (ec_limb_t)(j < 0 ? -j : j);
        if (j < 0) { /* k = n - |j| */
            ec_fe_t zero = {0};
            ec_mod_sub(&c->n, v, zero, jv);
        } else { /* k = n + j, skipped when it overflows */
            ec_fe_t big;
            memcpy(big, c->n.m, sizeof big);
            uint64_t carry = jv[0];
            for (unsigned i = 0; i < c->n.n && carry != 0; i++) {
                big[i] += (ec_limb_t)carry;
                carry = big[i] < (ec_limb_t)carry;
            }
            if (carry != 0)
                continue;
            memcpy(v, big, sizeof v);
        }
        ec_to_bytes(&c->n, k, v);
        ec_to_bytes(&c->n, s, jv);
        ec_mul(c, &want, s, &g);
        uint32_t inf = ec_point_to_affine(c, x1, y1, &want);
        if (j < 0) { /* -P: y = p - y */
            ec_fe_t t, zero = {0};
            ec_from_bytes(&c->p, t, y1);
            ec_mod_sub(&c->p, t, zero, t);
            ec_to_bytes(&c->p, y1, t);
        }
        ec_mul(c, &got, k, &g);
        bad += inf | ec_point_to_affine(c, x2, y2, &got);
        ec_mul_base(c, &base, k);
        bad += ec_point_to_affine(c, x3, y3, &base);
        bad += memcmp(x1, x2, len) != 0 || memcmp(y1, y2, len) != 0;
        bad += memcmp(x1, x3, len) != 0 || memcmp(y1, y3, len) != 0;
        tried++;
    }
    CHECK_EQ(bad, 0);
    CHECK(tried >= 64);
}

/* ec_mul2_vartime against the constant-time multiplications, including
 * zero scalars, results at the identity and internal doublings. */
static void test_mul2_vartime(const ec_curve_t *c)
{
    const size_t len = ec_curve_bytes(c);
    uint8_t u1[EC_MAX_BYTES], u2[EC_MAX_BYTES], k[EC_MAX_BYTES];
    uint8_t x1[EC_MAX_BYTES], y1[EC_MAX_BYTES], x2[EC_MAX_BYTES], y2[EC_MAX_BYTES];
    ec_point_t g, q, want, got, t;
    ec_fe_t v;
    unsigned bad = 0;
    ec_point_generator(c, &g);
    for (unsigned i = 0; i < 48; i++) {
        random_fe(&c->n, v);
        ec_to_bytes(&c->n, k, v);
        ec_mul(c, &q, k, &g); /* a random public point */
        random_fe(&c->n, v);
        ec_to_bytes(&c->n, u1, v);
        random_fe(&c->n, v);
        ec_to_bytes(&c->n, u2, v);
        switch (i % 8) {
        case 1:
            memset(u1, 0, len);
            break;
        case 2:
            memset(u2, 0, len);
            break;
        case 3: /* Q = G, u2 = n - u1: the identity */
            ec_point_generator(c, &q);
            ec_from_bytes(&c->n, v, u1);
            ec_mod_reduce_once(&c->n, v, v);
            {
                ec_fe_t zero = {0};
                ec_mod_sub(&c->n, v, zero, v);
            }
            ec_to_bytes(&c->n, u2, v);
            break;
        case 4: /* Q = G, u1 = u2: equal summands */
            ec_point_generator(c, &q);
            memcpy(u2, u1, len);
            break;
        case 5:
            memset(u1, 0xff, len);
            memset(u2, 0xff, len);
            break;
        case 6:
            memset(u1, 0, len);
            memset(u2, 0, len);
            u1[len - 1] = 1;
            u2[len - 1] = 1;
            break;
        case 7:
            ec_to_bytes(&c->n, u1, c->n.m);
            u1[len - 1]--; /* n - 1 */
            break;
        default:
            break;
        }
        ec_mul_base(c, &want, u1);
        ec_mul(c, &t, u2, &q);
        point_add(c, &want, &want, &t);
        ec_mul2_vartime(c, &got, u1, u2, &q);
        uint32_t inf1 = ec_point_to_affine(c, x1, y1, &want);
        uint32_t inf2 = ec_point_to_affine(c, x2, y2, &got);
        bad += inf1 != inf2 || memcmp(x1, x2, len) != 0 || memcmp(y1, y2, len) != 0;
        bad += (i % 8 == 3) != inf1;
    }
    CHECK_EQ(bad, 0);
}

/* RFC 6979 A.2.5 and A.2.6: public key and exact deterministic signatures. */
static void check_rfc6979(int curve, mamori_hash_id_t hash, const char *x_hex, const char *ux,
                          const char *uy, const char *msg, const char *r_hex, const char *s_hex)
{
    const size_t len = MAMORI_EC_BYTES(curve);
    uint8_t x[48], pub[97], want[97], digest[64], sig[96], want_sig[96];
    unhex(x_hex, x, len);
    want[0] = 0x04;
    unhex(ux, want + 1, len);
    unhex(uy, want + 1 + len, len);
    unhex(r_hex, want_sig, len);
    unhex(s_hex, want_sig + len, len);
    CHECK_EQ(mamori_ec_public(curve, pub, x), MAMORI_OK);
    CHECK_MEM(pub, want, 1 + 2 * len);
    CHECK_EQ(mamori_hash(hash, msg, strlen(msg), digest), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_sign(curve, sig, x, digest, mamori_hash_len(hash), NULL, NULL),
             MAMORI_OK);
    CHECK_MEM(sig, want_sig, 2 * len);
    CHECK_EQ(mamori_ecdsa_verify(curve, pub, 1 + 2 * len, digest, mamori_hash_len(hash), sig),
             MAMORI_OK);
    sig[len - 1] ^= 1;
    CHECK_EQ(mamori_ecdsa_verify(curve, pub, 1 + 2 * len, digest, mamori_hash_len(hash), sig),
             MAMORI_ERR_BADSIG);
}

static void test_rfc6979(void)
{
    static const char *p256x = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
    static const char *p256ux = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
    static const char *p256uy = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";
    check_rfc6979(MAMORI_EC_P256, MAMORI_HASH_SHA256, p256x, p256ux, p256uy, "sample",
                  "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
                  "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
    check_rfc6979(MAMORI_EC_P256, MAMORI_HASH_SHA256, p256x, p256ux, p256uy, "test",
                  "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
                  "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083");

    static const char *p384x = "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
                               "96D5724E4C70A825F872C9EA60D2EDF5";
    static const char *p384ux = "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64"
                                "DEF8F0EA9055866064A254515480BC13";
    static const char *p384uy = "8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1"
                                "288B231C3AE0D4FE7344FD2533264720";
    check_rfc6979(MAMORI_EC_P384, MAMORI_HASH_SHA384, p384x, p384ux, p384uy, "sample",
                  "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
                  "81A648152E44ACF96E36DD1E80FABE46",
                  "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
                  "A329C145786E679E7B82C71A38628AC8");
    check_rfc6979(MAMORI_EC_P384, MAMORI_HASH_SHA384, p384x, p384ux, p384uy, "test",
                  "8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB"
                  "0542A7F0812998DA8F1DD3CA3CF023DB",
                  "DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E0"
                  "6A739F040649A667BF3B828246BAA5A5");
}

/* A deterministic stand-in for a DRBG. */
static int counter_rng(void *ctx, void *out, size_t len)
{
    uint8_t *p = out, *state = ctx;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(++*state * 167u);
    return MAMORI_OK;
}

static int failing_rng(void *ctx, void *out, size_t len)
{
    (void)ctx;
    (void)out;
    (void)len;
    return MAMORI_ERR_ENTROPY;
}

static void test_api(int curve)
{
    const size_t len = MAMORI_EC_BYTES(curve);
    const ec_curve_t *c = ec_curve(curve);
    uint8_t priv[48], priv2[48], pub[97], pub2[97], s1[48], s2[48], sig[96], sig2[96];
    uint8_t digest[64] = {1, 2, 3}, state = 0;

    CHECK_EQ(mamori_ec_keygen(curve, priv, pub, counter_rng, &state), MAMORI_OK);
    CHECK_EQ(mamori_ec_public(curve, pub2, priv), MAMORI_OK);
    CHECK_MEM(pub, pub2, 1 + 2 * len);
    CHECK_EQ(mamori_ec_keygen(curve, priv2, pub2, counter_rng, &state), MAMORI_OK);
    CHECK_EQ(mamori_ecdh(curve, s1, priv, pub2, 1 + 2 * len), MAMORI_OK);
    CHECK_EQ(mamori_ecdh(curve, s2, priv2, pub, 1 + 2 * len), MAMORI_OK);
    CHECK_MEM(s1, s2, len);
    CHECK_EQ(mamori_ec_keygen(curve, priv2, pub2, failing_rng, NULL), MAMORI_ERR_ENTROPY);

    /* Hedged signatures differ from each other and from the deterministic one. */
    CHECK_EQ(mamori_ecdsa_sign(curve, sig, priv, digest, 32, NULL, NULL), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_sign(curve, sig2, priv, digest, 32, counter_rng, &state), MAMORI_OK);
    CHECK(memcmp(sig, sig2, 2 * len) != 0);
    CHECK_EQ(mamori_ecdsa_verify(curve, pub, 1 + 2 * len, digest, 32, sig2), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_sign(curve, sig2, priv, digest, 32, failing_rng, NULL),
             MAMORI_ERR_ENTROPY);
    /* Digest lengths other than the curve's: truncation and short digests. */
    CHECK_EQ(mamori_ecdsa_sign(curve, sig, priv, digest, 64, NULL, NULL), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_verify(curve, pub, 1 + 2 * len, digest, 64, sig), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_verify(curve, pub, 1 + 2 * len, digest, len, sig), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_sign(curve, sig, priv, digest, 20, NULL, NULL), MAMORI_OK);
    CHECK_EQ(mamori_ecdsa_verify(curve, pub, 1 + 2 * len, digest, 20, sig), MAMORI_OK);

    /* Private scalars outside [1, n-1]. */
    memset(priv2, 0, len);
    CHECK_EQ(mamori_ec_public(curve, pub2, priv2), MAMORI_ERR_BADKEY);
    CHECK_EQ(mamori_ecdh(curve, s1, priv2, pub, 1 + 2 * len), MAMORI_ERR_BADKEY);
    CHECK_EQ(mamori_ecdsa_sign(curve, sig, priv2, digest, 32, NULL, NULL), MAMORI_ERR_BADKEY);
    ec_to_bytes(&c->n, priv2, c->n.m);
    CHECK_EQ(mamori_ec_public(curve, pub2, priv2), MAMORI_ERR_BADKEY);
    CHECK_EQ(mamori_ecdh(curve, s1, priv2, pub, 1 + 2 * len), MAMORI_ERR_BADKEY);
    memset(priv2, 0xff, len);
    CHECK_EQ(mamori_ecdh(curve, s1, priv2, pub, 1 + 2 * len), MAMORI_ERR_BADKEY);
    ec_to_bytes(&c->n, priv2, c->n.m);
    priv2[len - 1]--; /* n - 1 is valid: (n-1) G = -G shares G's x */
    CHECK_EQ(mamori_ec_public(curve, pub2, priv2), MAMORI_OK);
    memset(priv2, 0, len);
    priv2[len - 1] = 1;
    CHECK_EQ(mamori_ec_public(curve, pub, priv2), MAMORI_OK);
    CHECK_MEM(pub2 + 1, pub + 1, len);
    CHECK(memcmp(pub2 + 1 + len, pub + 1 + len, len) != 0);
    CHECK_EQ(mamori_ec_public(curve, pub, priv), MAMORI_OK);

    /* Public key shapes. */
    CHECK_EQ(mamori_ecdh(curve, s1, priv, pub, 2 * len), MAMORI_ERR_BADPOINT);
    memcpy(pub2, pub, 1 + 2 * len);
    pub2[0] = 0x02;
    CHECK_EQ(mamori_ecdh(curve, s1, priv, pub2, 1 + len), MAMORI_ERR_BADPOINT);
    CHECK_EQ(mamori_ecdh(curve, s1, priv, pub2, 1 + 2 * len), MAMORI_ERR_BADPOINT);
    pub2[0] = 0x04;
    pub2[2 * len] ^= 1; /* off the curve */
    CHECK_EQ(mamori_ecdh(curve, s1, priv, pub2, 1 + 2 * len), MAMORI_ERR_BADPOINT);
    CHECK_EQ(mamori_ecdsa_verify(curve, pub2, 1 + 2 * len, digest, 32, sig), MAMORI_ERR_BADPOINT);
    ec_to_bytes(&c->p, pub2 + 1, c->p.m); /* x = p */
    CHECK_EQ(mamori_ecdh(curve, s1, priv, pub2, 1 + 2 * len), MAMORI_ERR_BADPOINT);

    CHECK_EQ(mamori_ecdh(99, s1, priv, pub, 1 + 2 * len), MAMORI_ERR_UNSUPPORTED);
}

/* r and s in DER: strictness, and the round trip. */
static void test_sig_der(void)
{
    uint8_t rs[64], rs2[64], der[80];
    size_t der_len;
    memset(rs, 0, sizeof rs);
    rs[31] = 1;
    rs[32] = 0x80;
    CHECK_EQ(mamori_ecdsa_sig_to_der(MAMORI_EC_P256, der, sizeof der, &der_len, rs), MAMORI_OK);
    static const uint8_t want_head[] = {0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80};
    CHECK_EQ(der_len, 40);
    CHECK_MEM(der, want_head, sizeof want_head);
    CHECK_EQ(mamori_ecdsa_sig_from_der(MAMORI_EC_P256, rs2, der, der_len), MAMORI_OK);
    CHECK_MEM(rs2, rs, 64);
    CHECK_EQ(mamori_ecdsa_sig_to_der(MAMORI_EC_P256, der, 39, &der_len, rs), MAMORI_ERR_BUFSIZE);
    CHECK_EQ(MAMORI_ECDSA_DER_MAX_LEN(MAMORI_EC_P256), 72);
    memset(rs, 0, sizeof rs); /* zero encodes as 02 01 00 */
    CHECK_EQ(mamori_ecdsa_sig_to_der(MAMORI_EC_P256, der, sizeof der, &der_len, rs), MAMORI_OK);
    CHECK_EQ(der_len, 8);
    CHECK_EQ(mamori_ecdsa_sig_from_der(MAMORI_EC_P256, rs2, der, der_len), MAMORI_OK);
    CHECK_MEM(rs2, rs, 64);

    static const char *const bad[] = {
        "3006020101020101ff",     /* trailing byte */
        "3007020101020101",       /* length past the end */
        "30800201010201010000",   /* indefinite length */
        "308106020101020101",     /* non-minimal length */
        "300702010102020001",     /* leading zero not needed */
        "3006020101020181",       /* negative s (0x81) */
        "30070201010201ff00",     /* negative s, then a stray byte */
        "3006020101040101",       /* wrong tag */
        "3104020101020101",       /* SET, not SEQUENCE */
        "30050201010201",         /* missing content */
        "3005020101020000",       /* empty INTEGER, then a stray byte */
    };
    unsigned rejected = 0, total = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long n = hex_decode(bad[i], der, sizeof der);
        CHECK(n > 0);
        total++;
        rejected += mamori_ecdsa_sig_from_der(MAMORI_EC_P256, rs2, der, (size_t)n) ==
                    MAMORI_ERR_MALFORMED;
    }
    CHECK_EQ(rejected, total);
    /* 33 magnitude bytes do not fit P-256. */
    der[0] = 0x30;
    der[1] = 0x26;
    der[2] = 0x02;
    der[3] = 0x21;
    memset(der + 4, 0x11, 33);
    der[37] = 0x02;
    der[38] = 0x01;
    der[39] = 0x01;
    CHECK_EQ(mamori_ecdsa_sig_from_der(MAMORI_EC_P256, rs2, der, 40), MAMORI_ERR_MALFORMED);
}

/* Wycheproof private keys are big-endian integers of any length. */
static int scalar_from_hex(const kv_file_t *f, uint8_t *out, size_t width)
{
    size_t n;
    uint8_t *v = kv_hex(f, "private", &n);
    size_t skip = 0;
    while (v && skip < n && v[skip] == 0)
        skip++;
    int ok = v != NULL && n - skip <= width;
    if (ok) {
        memset(out, 0, width);
        memcpy(out + width - (n - skip), v + skip, n - skip);
    }
    free(v);
    return ok;
}

#if MAMORI_EC_PREPARED
/* mamori_ec_prepare's result prc fits rc, the unprepared call's: the same
 * error for an invalid key, MAMORI_ERR_UNSUPPORTED only for a curve above
 * MAMORI_EC_PREPARED_MAX_BITS. */
static int prepare_fits(int curve, int prc, int rc)
{
    if (prc == MAMORI_ERR_UNSUPPORTED)
        return 8 * MAMORI_EC_BYTES(curve) > MAMORI_EC_PREPARED_MAX_BITS;
    return prc == MAMORI_OK || prc == rc;
}

/* ECDH through a prepared key gives what mamori_ecdh gave (rc, want). */
static int ecdh_prepared_agrees(int curve, const uint8_t *priv, const uint8_t *pub,
                                size_t pub_len, int rc, const uint8_t *want)
{
    static mamori_ec_prepared_t key; /* large: not on the stack */
    uint8_t out[48];
    int prc = mamori_ec_prepare(curve, &key, pub, pub_len);
    int prc2 = mamori_ecdh_prepared(out, priv, &key);
    if (prc == MAMORI_ERR_UNSUPPORTED)
        return prepare_fits(curve, prc, rc) && prc2 == prc;
    return prepare_fits(curve, prc, rc) && prc2 == rc &&
           (rc != MAMORI_OK || memcmp(out, want, MAMORI_EC_BYTES(curve)) == 0);
}

/* ECDSA verification through a prepared key gives mamori_ecdsa_verify's
 * result rc. A test group shares one key: prepared again only when the
 * key changes. */
static int verify_prepared_agrees(int curve, const uint8_t *pub, size_t pub_len,
                                  const uint8_t *digest, size_t digest_len, const uint8_t *rs,
                                  int rc)
{
    static mamori_ec_prepared_t key;
    static uint8_t last[97];
    static size_t last_len;
    static int last_curve, prc;
    if (curve != last_curve || pub_len != last_len || memcmp(pub, last, pub_len) != 0) {
        prc = mamori_ec_prepare(curve, &key, pub, pub_len);
        last_curve = curve;
        last_len = pub_len <= sizeof last ? pub_len : 0;
        memcpy(last, pub, last_len);
    }
    int prc2 = mamori_ecdsa_verify_prepared(&key, digest, digest_len, rs);
    return prepare_fits(curve, prc, rc) && prc2 == (prc == MAMORI_ERR_UNSUPPORTED ? prc : rc);
}
#endif

static void run_ecdh_file(const char *file, int curve, int spki)
{
    const size_t len = MAMORI_EC_BYTES(curve);
    const mamori_spki_alg_t want_alg =
        curve == MAMORI_EC_P256 ? MAMORI_SPKI_EC_P256 : MAMORI_SPKI_EC_P384;
    unsigned valid = 0, invalid = 0, acceptable = 0, accepted_acceptable = 0;
    char path[512];
    kv_file_t f;
    snprintf(path, sizeof path, "%s/%s", MAMORI_VECTOR_DIR, file);
    kv_open(&f, path);
    while (kv_next(&f)) {
        const char *result = kv_get(&f, "result");
        size_t pub_len, shared_len;
        uint8_t *pub = kv_hex(&f, "public", &pub_len);
        uint8_t *shared = kv_hex(&f, "shared", &shared_len);
        uint8_t priv[48], out[48];
        const uint8_t *point = pub;
        size_t point_len = pub_len;
        int ok = pub != NULL && scalar_from_hex(&f, priv, len);
        if (ok && spki) {
            mamori_spki_t key;
            ok = mamori_spki_parse(&key, pub, pub_len) == MAMORI_OK && key.alg == want_alg;
            point = key.key;
            point_len = key.key_len;
        }
        if (ok) {
            int rc = mamori_ecdh(curve, out, priv, point, point_len);
#if MAMORI_EC_PREPARED
            CHECK(ecdh_prepared_agrees(curve, priv, point, point_len, rc, out));
#endif
            ok = rc == MAMORI_OK && shared_len == len && memcmp(out, shared, len) == 0;
        }
        if (strcmp(result, "valid") == 0) {
            valid++;
            if (!ok)
                fprintf(stderr, "  %s tcId %s should pass\n", file, kv_get(&f, "tcId"));
            CHECK(ok);
        } else if (strcmp(result, "invalid") == 0) {
            invalid++;
            if (ok)
                fprintf(stderr, "  %s tcId %s should fail\n", file, kv_get(&f, "tcId"));
            CHECK(!ok);
        } else {
            /* "acceptable": compressed points (rejected: TLS 1.3 uses the
             * uncompressed form only, RFC 8446 4.2.8.2) and, in the ASN.1
             * files, non-DER SubjectPublicKeyInfo and explicit (unnamed)
             * curve parameters, which the strict SPKI parser rejects. */
            acceptable++;
            accepted_acceptable += ok;
        }
        free(pub);
        free(shared);
    }
    kv_close(&f);
    printf("%s: %u valid, %u invalid, %u acceptable (%u accepted)\n", file, valid, invalid,
           acceptable, accepted_acceptable);
}

static void run_ecdsa_file(const char *file, int curve, int p1363)
{
    const size_t len = MAMORI_EC_BYTES(curve);
    unsigned valid = 0, invalid = 0, acceptable = 0, accepted_acceptable = 0;
    char path[512];
    kv_file_t f;
    snprintf(path, sizeof path, "%s/%s", MAMORI_VECTOR_DIR, file);
    kv_open(&f, path);
    while (kv_next(&f)) {
        const char *result = kv_get(&f, "result");
        const char *sha = kv_get(&f, "group.sha");
        mamori_hash_id_t id = strcmp(sha, "SHA-256") == 0   ? MAMORI_HASH_SHA256
                              : strcmp(sha, "SHA-384") == 0 ? MAMORI_HASH_SHA384
                                                            : MAMORI_HASH_SHA512;
        size_t pub_len, msg_len, sig_len;
        uint8_t *pub = kv_hex(&f, "group.publicKey.uncompressed", &pub_len);
        uint8_t *msg = kv_hex(&f, "msg", &msg_len);
        uint8_t *sig = kv_hex(&f, "sig", &sig_len);
        uint8_t digest[64], rs[96];
        int ok = pub != NULL && msg != NULL && sig != NULL;
        CHECK(ok);
        CHECK_EQ(mamori_hash(id, msg, msg_len, digest), MAMORI_OK);
        if (p1363) {
            ok = ok && sig_len == 2 * len;
            if (ok)
                memcpy(rs, sig, 2 * len);
        } else {
            ok = ok && mamori_ecdsa_sig_from_der(curve, rs, sig, sig_len) == MAMORI_OK;
            if (ok) { /* strict DER: what we accept re-encodes to the same bytes */
                uint8_t der[MAMORI_ECDSA_DER_MAX_LEN(MAMORI_EC_P384)];
                size_t der_len;
                CHECK_EQ(mamori_ecdsa_sig_to_der(curve, der, sizeof der, &der_len, rs),
                         MAMORI_OK);
                CHECK(der_len == sig_len && memcmp(der, sig, sig_len) == 0);
            }
        }
        if (ok) {
            int rc = mamori_ecdsa_verify(curve, pub, pub_len, digest, mamori_hash_len(id), rs);
#if MAMORI_EC_PREPARED
            CHECK(verify_prepared_agrees(curve, pub, pub_len, digest, mamori_hash_len(id), rs, rc));
#endif
            ok = rc == MAMORI_OK;
        }
        if (strcmp(result, "valid") == 0) {
            valid++;
            if (!ok)
                fprintf(stderr, "  %s tcId %s should pass\n", file, kv_get(&f, "tcId"));
            CHECK(ok);
        } else if (strcmp(result, "invalid") == 0) {
            invalid++;
            if (ok)
                fprintf(stderr, "  %s tcId %s should fail\n", file, kv_get(&f, "tcId"));
            CHECK(!ok);
        } else {
            acceptable++; /* none in these files at the time of writing */
            accepted_acceptable += ok;
        }
        free(pub);
        free(msg);
        free(sig);
    }
    kv_close(&f);
    printf("%s: %u valid, %u invalid, %u acceptable (%u accepted)\n", file, valid, invalid,
           acceptable, accepted_acceptable);
}

int main(void)
{
    test_curve_constants(ec_curve(MAMORI_EC_P256));
    test_curve_constants(ec_curve(MAMORI_EC_P384));
    test_field(&ec_curve(MAMORI_EC_P256)->p);
    test_field(&ec_curve(MAMORI_EC_P256)->n);
    test_field(&ec_curve(MAMORI_EC_P384)->p);
    test_field(&ec_curve(MAMORI_EC_P384)->n);
    test_mul2_vartime(ec_curve(MAMORI_EC_P256));
    test_mul2_vartime(ec_curve(MAMORI_EC_P384));
    test_mul_near_order(ec_curve(MAMORI_EC_P256));
    test_mul_near_order(ec_curve(MAMORI_EC_P384));
    test_rfc6979();
    test_api(MAMORI_EC_P256);
    test_api(MAMORI_EC_P384);
    test_sig_der();
    run_ecdh_file("ecdh_secp256r1_test.txt", MAMORI_EC_P256, 1);
    run_ecdh_file("ecdh_secp384r1_test.txt", MAMORI_EC_P384, 1);
    run_ecdh_file("ecdh_secp256r1_ecpoint_test.txt", MAMORI_EC_P256, 0);
    run_ecdsa_file("ecdsa_secp256r1_sha256_test.txt", MAMORI_EC_P256, 0);
    run_ecdsa_file("ecdsa_secp256r1_sha256_p1363_test.txt", MAMORI_EC_P256, 1);
    run_ecdsa_file("ecdsa_secp384r1_sha256_test.txt", MAMORI_EC_P384, 0);
    run_ecdsa_file("ecdsa_secp384r1_sha384_test.txt", MAMORI_EC_P384, 0);
    return check_summary("ecc");
}
