/* HKDF (RFC 5869) and TLS 1.3 HKDF-Expand-Label (RFC 8446 §7.1). */
#include "mamori/hmac.h"

#if MAMORI_HKDF

#if !MAMORI_HMAC
#error "MAMORI_HKDF needs MAMORI_HMAC"
#endif

#include <string.h>

#include "core/cursor.h"
#include "mamori/ct.h"
#include "mamori/error.h"

#define TLS13_LABEL_PREFIX "tls13 "
#define TLS13_LABEL_PREFIX_LEN 6
#define TLS13_LABEL_MAX (255 - TLS13_LABEL_PREFIX_LEN) /* opaque label<7..255> */
#define TLS13_CONTEXT_MAX 255

/* A piece of the HKDF "info" string; Expand-Label's info is built from
 * several so that no buffer needs room for a 255-byte label and context. */
typedef struct {
    const void *data;
    size_t len;
} info_part_t;

/* RFC 5869 §2.2. A missing salt means HashLen zero bytes, which as an HMAC key
 * is the same as the empty key (RFC 2104 pads keys with zeros). */
int mamori_hkdf_extract(mamori_hash_id_t id, const void *salt, size_t salt_len, const void *ikm,
                        size_t ikm_len, uint8_t *prk)
{
    return mamori_hmac(id, salt, salt_len, ikm, ikm_len, prk);
}

/* RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i), OKM = T(1) | T(2) | ...
 * The PRK is keyed once and copied per block. out may overlap prk: prk is read
 * only before the first output byte is written. */
static int expand_parts(mamori_hash_id_t id, const uint8_t *prk, size_t prk_len,
                        const info_part_t *info, size_t info_count, uint8_t *out, size_t out_len)
{
    size_t hash_len = mamori_hash_len(id);
    mamori_hmac_t keyed, block;
    uint8_t t[MAMORI_HASH_MAX_LEN];
    uint8_t counter = 1;

    if (hash_len == 0)
        return MAMORI_ERR_UNSUPPORTED;
    /* §2.3: PRK is "at least HashLen octets"; L <= 255*HashLen. */
    if (prk_len < hash_len || out_len > 255 * hash_len)
        return MAMORI_ERR_INVAL;
    mamori_hmac_init(&keyed, id, prk, prk_len);

    for (size_t done = 0; done < out_len; done += hash_len, counter++) {
        block = keyed;
        if (counter > 1)
            mamori_hmac_update(&block, t, hash_len);
        for (size_t i = 0; i < info_count; i++)
            mamori_hmac_update(&block, info[i].data, info[i].len);
        mamori_hmac_update(&block, &counter, 1);
        mamori_hmac_final(&block, t);
        size_t take = out_len - done < hash_len ? out_len - done : hash_len;
        memcpy(out + done, t, take);
    }
    mamori_zeroize(&keyed, sizeof keyed);
    mamori_zeroize(t, sizeof t);
    return MAMORI_OK;
}

int mamori_hkdf_expand(mamori_hash_id_t id, const uint8_t *prk, size_t prk_len, const void *info,
                       size_t info_len, uint8_t *out, size_t out_len)
{
    info_part_t part = {info, info_len};
    return expand_parts(id, prk, prk_len, &part, 1, out, out_len);
}

/* RFC 8446 §7.1:
 *   struct { uint16 length; opaque label<7..255>; opaque context<0..255>; }
 * with label = "tls13 " + Label. An empty Label, or one or a context too long
 * for its length byte, is MAMORI_ERR_INVAL. */
int mamori_hkdf_expand_label(mamori_hash_id_t id, const uint8_t *secret, size_t secret_len,
                             const char *label, const void *context, size_t context_len,
                             uint8_t *out, size_t out_len)
{
    uint8_t head[2 + 1 + TLS13_LABEL_PREFIX_LEN];
    uint8_t context_len_byte;
    size_t label_len = 0;
    mamori_wr_t wr;

    while (label_len <= TLS13_LABEL_MAX && label[label_len] != '\0')
        label_len++;
    if (label_len == 0 || label_len > TLS13_LABEL_MAX || context_len > TLS13_CONTEXT_MAX ||
        out_len > 0xffff)
        return MAMORI_ERR_INVAL;

    mamori_wr_init(&wr, head, sizeof head);
    mamori_wr_be16(&wr, (uint16_t)out_len);
    mamori_wr_u8(&wr, (uint8_t)(TLS13_LABEL_PREFIX_LEN + label_len));
    mamori_wr_bytes(&wr, TLS13_LABEL_PREFIX, TLS13_LABEL_PREFIX_LEN);
    context_len_byte = (uint8_t)context_len;

    const info_part_t info[] = {
        {head, sizeof head},
        {label, label_len},
        {&context_len_byte, 1},
        {context, context_len},
    };
    return expand_parts(id, secret, secret_len, info, sizeof info / sizeof info[0], out, out_len);
}

#endif
