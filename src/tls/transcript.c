/* Transcript hash (RFC 8446 §4.4.1). Both SHA-256 and SHA-384 (when
 * compiled in) run until the cipher suite fixes one, so a ClientHello need
 * not be kept. */
#include "mamori/ct.h"
#include "tls/tls_internal.h"

void mamori_tls_th_init(mamori_tls_transcript_t *th)
{
    mamori_hash_init(&th->sha256, MAMORI_HASH_SHA256);
#if MAMORI_SHA512
    mamori_hash_init(&th->sha384, MAMORI_HASH_SHA384);
#endif
    th->chosen = (mamori_hash_id_t)0;
}

void mamori_tls_th_update(mamori_tls_transcript_t *th, const void *data, size_t len)
{
    if (th->chosen != MAMORI_HASH_SHA384)
        mamori_hash_update(&th->sha256, data, len);
#if MAMORI_SHA512
    if (th->chosen != MAMORI_HASH_SHA256)
        mamori_hash_update(&th->sha384, data, len);
#endif
}

/* The running hash of h. */
static const mamori_hash_t *running(const mamori_tls_transcript_t *th, mamori_hash_id_t h)
{
#if MAMORI_SHA512
    if (h == MAMORI_HASH_SHA384)
        return &th->sha384;
#endif
    (void)h;
    return &th->sha256;
}

void mamori_tls_th_choose(mamori_tls_transcript_t *th, mamori_hash_id_t h)
{
    th->chosen = h;
#if MAMORI_SHA512
    if (h == MAMORI_HASH_SHA256)
        mamori_zeroize(&th->sha384, sizeof th->sha384);
    else
        mamori_zeroize(&th->sha256, sizeof th->sha256);
#endif
}

void mamori_tls_th_hash(const mamori_tls_transcript_t *th, uint8_t *out)
{
    mamori_hash_t copy = *running(th, th->chosen);
    mamori_hash_final(&copy, out);
}

void mamori_tls_th_hash_with(const mamori_tls_transcript_t *th, mamori_hash_id_t h,
                             const uint8_t *extra, size_t extra_len, uint8_t *out)
{
    mamori_hash_t copy = *running(th, h);
    mamori_hash_update(&copy, extra, extra_len);
    mamori_hash_final(&copy, out);
}

void mamori_tls_th_hrr(mamori_tls_transcript_t *th)
{
    uint8_t hdr[4] = {TLS_HS_MESSAGE_HASH, 0, 0, 0};
    uint8_t ch1[MAMORI_HASH_MAX_LEN];
    mamori_hash_id_t h = th->chosen;
    size_t hl = mamori_hash_len(h);

    mamori_tls_th_hash(th, ch1);
    mamori_tls_th_init(th);
    th->chosen = h;
    hdr[3] = (uint8_t)hl;
    mamori_tls_th_update(th, hdr, sizeof hdr);
    mamori_tls_th_update(th, ch1, hl);
}
