#include "gcm_wycheproof.h"

#include "mamori/error.h"
#include "mamori/gcm.h"

#include "check.h"
#include "kv.h"

#include <stdlib.h>
#include <string.h>

unsigned gcm_wycheproof_run(const char *label)
{
    kv_file_t f;
    unsigned valid = 0, invalid = 0, acceptable = 0;
    kv_open(&f, MAMORI_VECTOR_DIR "/aes_gcm_test.txt");
    while (kv_next(&f)) {
        size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
        uint8_t *key = kv_hex(&f, "key", &key_len), *iv = kv_hex(&f, "iv", &iv_len);
        uint8_t *aad = kv_hex(&f, "aad", &aad_len), *msg = kv_hex(&f, "msg", &msg_len);
        uint8_t *ct = kv_hex(&f, "ct", &ct_len), *tag = kv_hex(&f, "tag", &tag_len);
        const char *result = kv_get(&f, "result");
        CHECK(key && iv && aad && msg && ct && tag && result);
        if (!(key && iv && aad && msg && ct && tag && result))
            break;
        CHECK_EQ(tag_len, 16);
        CHECK_EQ(ct_len, msg_len);
        mamori_gcm_ctx_t gcm;
        uint8_t *out = malloc(msg_len + 1), *filler = malloc(msg_len + 1), got_tag[16];
        memset(out, 0xa5, msg_len + 1);
        memset(filler, 0xa5, msg_len + 1);
        CHECK_EQ(mamori_gcm_init(&gcm, key, key_len), MAMORI_OK);
        int open_err = mamori_gcm_open(&gcm, iv, iv_len, aad, aad_len, ct, ct_len, tag, out);
        unsigned before = check_failed;
        if (strcmp(result, "valid") == 0) {
            valid++;
            CHECK_EQ(open_err, MAMORI_OK);
            CHECK_MEM(out, msg, msg_len);
            CHECK_EQ(mamori_gcm_seal(&gcm, iv, iv_len, aad, aad_len, msg, msg_len, out, got_tag),
                     MAMORI_OK);
            CHECK_MEM(out, ct, ct_len);
            CHECK_MEM(got_tag, tag, 16);
        } else if (strcmp(result, "invalid") == 0) {
            invalid++;
            CHECK(open_err == MAMORI_ERR_AUTH || (iv_len == 0 && open_err == MAMORI_ERR_INVAL));
            CHECK_MEM(out, filler, msg_len);
        } else {
            acceptable++;
            CHECK(open_err == MAMORI_OK || open_err == MAMORI_ERR_AUTH);
        }
        if (check_failed != before)
            fprintf(stderr, "  in Wycheproof tcId %s (%s)\n", kv_get(&f, "tcId"), label);
        mamori_gcm_wipe(&gcm);
        free(out);
        free(filler);
        free(key);
        free(iv);
        free(aad);
        free(msg);
        free(ct);
        free(tag);
    }
    kv_close(&f);
    printf("wycheproof aes_gcm (%s): %u valid, %u invalid, %u acceptable\n", label, valid, invalid,
           acceptable);
    CHECK(valid > 0 && invalid > 0);
    return valid + invalid + acceptable;
}
