/* Ed25519 known answers: RFC 8032 §7.1, strictness edge cases, Wycheproof. */
#include "check.h"
#include "crypto/ed25519_point.h"
#include "crypto/f25519.h"
#include "crypto/scalar25519.h"
#include "kv.h"
#include "mamori/ed25519.h"
#include "mamori/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name, *seed, *pub, *msg, *sig;
} rfc_vector_t;

/* RFC 8032 §7.1 (checked once against OpenSSL when transcribed). */
static const rfc_vector_t RFC8032[] = {
    {"TEST 1",
     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
     "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2",
     "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
     "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3",
     "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
     "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST 1024",
     "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
     "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
     "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
     "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
     "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
     "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
     "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
     "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
     "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
     "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
     "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
     "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
     "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
     "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
     "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
     "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
     "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
     "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
     "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
     "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
     "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
     "c60c905c15fc910840b94c00a0b9d0",
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
     "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"TEST SHA(abc)",
     "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
     "454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

static uint8_t test_msg[1024];

static void load_vector(const rfc_vector_t *v, uint8_t seed[32], uint8_t pub[32], uint8_t sig[64],
                        size_t *msg_len)
{
    CHECK_EQ(hex_decode(v->seed, seed, 32), 32);
    CHECK_EQ(hex_decode(v->pub, pub, 32), 32);
    CHECK_EQ(hex_decode(v->sig, sig, 64), 64);
    long n = hex_decode(v->msg, test_msg, sizeof test_msg);
    CHECK(n >= 0);
    *msg_len = n < 0 ? 0 : (size_t)n;
}

static void test_rfc8032(void)
{
    for (size_t i = 0; i < sizeof RFC8032 / sizeof RFC8032[0]; i++) {
        uint8_t seed[32], pub[32], sig[64], got_pub[32], got_sig[64];
        size_t len;
        load_vector(&RFC8032[i], seed, pub, sig, &len);
        CHECK_EQ(mamori_ed25519_public(got_pub, seed), MAMORI_OK);
        CHECK_MEM(got_pub, pub, 32);
        CHECK_EQ(mamori_ed25519_sign(got_sig, test_msg, len, seed, pub), MAMORI_OK);
        CHECK_MEM(got_sig, sig, 64);
        CHECK_EQ(mamori_ed25519_sign(got_sig, test_msg, len, seed, NULL), MAMORI_OK);
        CHECK_MEM(got_sig, sig, 64);
        mamori_ed25519_key_t key;
        static const mamori_ed25519_key_t wiped;
        CHECK_EQ(mamori_ed25519_key_init(&key, seed), MAMORI_OK);
        CHECK_MEM(key.pub, pub, 32);
        memset(got_sig, 0, sizeof got_sig);
        CHECK_EQ(mamori_ed25519_sign_key(got_sig, test_msg, len, &key), MAMORI_OK);
        CHECK_MEM(got_sig, sig, 64);
        mamori_ed25519_key_wipe(&key);
        CHECK_MEM(&key, &wiped, sizeof key);
        CHECK_EQ(mamori_ed25519_verify(sig, test_msg, len, pub), MAMORI_OK);

        sig[5] ^= 0x10; /* corrupt R */
        CHECK_EQ(mamori_ed25519_verify(sig, test_msg, len, pub), MAMORI_ERR_BADSIG);
        sig[5] ^= 0x10;
        sig[40] ^= 0x01; /* corrupt S */
        CHECK_EQ(mamori_ed25519_verify(sig, test_msg, len, pub), MAMORI_ERR_BADSIG);
        sig[40] ^= 0x01;
        if (len > 0) {
            test_msg[len - 1] ^= 0x80;
            CHECK_EQ(mamori_ed25519_verify(sig, test_msg, len, pub), MAMORI_ERR_BADSIG);
            test_msg[len - 1] ^= 0x80;
        }
    }
}

/* L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t L_BYTES[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                    0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                    0,    0,    0,    0,    0,    0,    0,    0,
                                    0,    0,    0,    0,    0,    0,    0,    0x10};

/* Scalar arithmetic mod L at the edges of the Barrett reduction: the
 * largest input, multiples of L and their neighbours (answers from Python's
 * integers). */
static void test_scalars(void)
{
    static const struct {
        const char *in, *out;
    } reduce[] = {
        {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
         "000f9c44e31106a447938568a71b0ed065bef517d273ecce3d9a307c1b419903"},
        {"edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"
         "0000000000000000000000000000000000000000000000000000000000000000",
         "0000000000000000000000000000000000000000000000000000000000000000"},
        {"ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"
         "0000000000000000000000000000000000000000000000000000000000000000",
         "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"},
        {"ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"
         "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
         "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"},
        {"0000000000000000000000000000000000000000000000000000000000000010"
         "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
         "0000000000000000000000000000000000000000000000000000000000000010"},
        {"0000000000000000000000000000000000000000000000000000000000000000"
         "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
         "d03e5dcfa531268165cd792fea9def4d01000000000000000000000000000000"},
    };
    uint8_t in[64], want[32], got[32], a[32], b[32];
    for (size_t i = 0; i < sizeof reduce / sizeof reduce[0]; i++) {
        CHECK_EQ(hex_decode(reduce[i].in, in, sizeof in), 64);
        CHECK_EQ(hex_decode(reduce[i].out, want, sizeof want), 32);
        sc25519_reduce(got, in);
        CHECK_MEM(got, want, 32);
    }
    /* (L - 1) (2^256 - 1) + (L - 1) = (L - 1) 2^256, the largest product. */
    memcpy(a, L_BYTES, 32);
    a[0]--;
    memset(b, 0xff, sizeof b);
    CHECK_EQ(hex_decode("d03e5dcfa531268165cd792fea9def4d01000000000000000000000000000000", want,
                        sizeof want),
             32);
    sc25519_muladd(got, a, b, a);
    CHECK_MEM(got, want, 32);
}

static void test_strictness(void)
{
    uint8_t seed[32], pub[32], sig[64], bad[64], other[32];
    size_t len;
    load_vector(&RFC8032[0], seed, pub, sig, &len);

    /* S + L is the same scalar mod L but non-canonical: must be rejected. */
    memcpy(bad, sig, 64);
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        carry += (unsigned)bad[32 + i] + L_BYTES[i];
        bad[32 + i] = (uint8_t)carry;
        carry >>= 8;
    }
    CHECK_EQ(mamori_ed25519_verify(bad, test_msg, len, pub), MAMORI_ERR_BADSIG);
    memcpy(bad + 32, L_BYTES, 32); /* S = L exactly */
    CHECK_EQ(mamori_ed25519_verify(bad, test_msg, len, pub), MAMORI_ERR_BADSIG);

    /* y = p + 1 is a non-canonical encoding of the identity (y = 1). */
    uint8_t y1[32] = {1}, y_p1[32];
    memset(y_p1, 0xff, 32);
    y_p1[0] = 0xee;
    y_p1[31] = 0x7f;
    ed25519_point_t pt;
    CHECK_EQ(ed25519_point_decode(&pt, y1), 0);
    CHECK_EQ(ed25519_point_decode(&pt, y_p1), -1);
    CHECK_EQ(mamori_ed25519_verify(sig, test_msg, len, y_p1), MAMORI_ERR_BADKEY);
    y1[31] = 0x80; /* x = 0 with the sign bit set */
    CHECK_EQ(ed25519_point_decode(&pt, y1), -1);
    CHECK_EQ(mamori_ed25519_verify(sig, test_msg, len, y1), MAMORI_ERR_BADKEY);
    /* y = 2 is not on the curve (x^2 would be a non-square). */
    uint8_t y2[32] = {2};
    CHECK_EQ(ed25519_point_decode(&pt, y2), -1);

    /* A non-canonical R is rejected even before the equation. */
    memcpy(bad, sig, 64);
    memcpy(bad, y_p1, 32);
    CHECK_EQ(mamori_ed25519_verify(bad, test_msg, len, pub), MAMORI_ERR_BADSIG);

    /* Encode/decode round trip of the public key. */
    uint8_t round[32];
    CHECK_EQ(ed25519_point_decode(&pt, pub), 0);
    ed25519_point_encode(round, &pt);
    CHECK_MEM(round, pub, 32);

    /* Signing with a public key that is not the seed's is refused. */
    memcpy(other, pub, 32);
    other[0] ^= 1;
    memset(bad, 0xaa, 64);
    CHECK_EQ(mamori_ed25519_sign(bad, test_msg, len, seed, other), MAMORI_ERR_BADKEY);
    uint8_t zeros[64] = {0};
    CHECK_MEM(bad, zeros, 64);
}

/* Wycheproof ed25519_test: every "valid" signature must verify and every
 * "invalid" one must fail (the file has no "acceptable" cases). Signatures
 * that are not 64 bytes cannot be passed to the API and count as rejected. */
static void test_wycheproof(void)
{
    kv_file_t f;
    unsigned valid = 0, invalid = 0, wrong_length = 0;
    kv_open(&f, MAMORI_VECTOR_DIR "/ed25519_test.txt");
    while (kv_next(&f)) {
        size_t pk_len, msg_len, sig_len;
        uint8_t *pk = kv_hex(&f, "group.publicKey.pk", &pk_len);
        uint8_t *msg = kv_hex(&f, "msg", &msg_len);
        uint8_t *sig = kv_hex(&f, "sig", &sig_len);
        const char *result = kv_get(&f, "result");
        CHECK(pk && msg && sig && result && pk_len == 32);
        if (!pk || !msg || !sig || !result || pk_len != 32) {
            free(pk), free(msg), free(sig);
            continue;
        }
        int expect_ok = strcmp(result, "valid") == 0;
        CHECK(expect_ok || strcmp(result, "invalid") == 0);
        if (sig_len != 64) {
            CHECK(!expect_ok);
            wrong_length++;
        } else {
            int rc = mamori_ed25519_verify(sig, msg, msg_len, pk);
            if (expect_ok) {
                CHECK_EQ(rc, MAMORI_OK);
                valid++;
            } else {
                CHECK(rc == MAMORI_ERR_BADSIG || rc == MAMORI_ERR_BADKEY);
                invalid++;
            }
        }
        free(pk), free(msg), free(sig);
    }
    kv_close(&f);
    printf("wycheproof ed25519: %u valid verified, %u invalid rejected, "
           "%u invalid by length\n",
           valid, invalid, wrong_length);
    CHECK(valid > 0 && invalid > 0);
}

#if MAMORI_ED25519_TABLE
/* Checks one table entry against m B computed by the variable-base NAF
 * (which builds its multiples of the point at run time, not from tables). */
static int table_entry_ok(const ed25519_niels_t *e, const uint8_t m[32])
{
    static const uint8_t zero[32];
    uint8_t b_enc[32], enc[32], got[96], want[96];
    ed25519_point_t p;
    f25519_t d, t;

    memset(b_enc, 0x66, sizeof b_enc);
    b_enc[0] = 0x58; /* B: y = 4/5, x positive (RFC 8032 §5.1) */
    CHECK_EQ(ed25519_point_decode(&p, b_enc), 0);
    ed25519_double_scalarmult_vartime(&p, m, zero);
    ed25519_point_encode(enc, &p);
    CHECK_EQ(ed25519_point_decode(&p, enc), 0); /* affine: z = 1, t = x y */

    /* d = -121665 / 121666 */
    f25519_set_u32(&t, 121666);
    f25519_invert(&t, &t);
    f25519_set_u32(&d, 121665);
    f25519_neg(&d, &d);
    f25519_mul(&d, &d, &t);
    f25519_add(&t, &p.y, &p.x);
    f25519_tobytes(want, &t);
    f25519_sub(&t, &p.y, &p.x);
    f25519_tobytes(want + 32, &t);
    f25519_add(&d, &d, &d);
    f25519_mul(&t, &p.t, &d);
    f25519_tobytes(want + 64, &t);
    f25519_tobytes(got, &e->ypx);
    f25519_tobytes(got + 32, &e->ymx);
    f25519_tobytes(got + 64, &e->xy2d);
    return memcmp(got, want, 96) == 0;
}

/* Every entry of the generated tables (scripts/gen_ed25519_table.py). */
static void test_base_tables(void)
{
    unsigned bad = 0;
    for (int i = 0; i < 32; i++) {
        for (int j = 0; j < 8; j++) {
            uint8_t m[32] = {0}; /* (j + 1) 16^(2 i) = (j + 1) 2^(8 i) */
            m[i] = (uint8_t)(j + 1);
            bad += !table_entry_ok(&ed25519_btable[i][j], m);
        }
        uint8_t m[32] = {0};
        m[0] = (uint8_t)(2 * i + 1);
        bad += !table_entry_ok(&ed25519_bodd[i], m);
    }
    CHECK_EQ(bad, 0u);
}
#endif

int main(void)
{
#if MAMORI_ED25519_TABLE
    test_base_tables();
#endif
    test_rfc8032();
    test_scalars();
    test_strictness();
    test_wycheproof();
    return check_summary("ed25519");
}
