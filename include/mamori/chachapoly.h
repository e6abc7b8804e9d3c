/*
 * ChaCha20, Poly1305 and the ChaCha20-Poly1305 AEAD of RFC 8439.
 * All are constant-time in keys and data.
 */
#ifndef MAMORI_CHACHAPOLY_H
#define MAMORI_CHACHAPOLY_H

#include <stddef.h>
#include <stdint.h>

/* XORs the ChaCha20 keystream (RFC 8439 2.4) starting at block counter into
 * in, writing out (out == in is fine). The 32-bit counter wraps; callers
 * keep len within (2^32 - counter) * 64 bytes. */
void mamori_chacha20_xor(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                         const uint8_t *in, uint8_t *out, size_t len);

/* Poly1305 one-time authenticator (RFC 8439 2.5), streaming. A key must
 * never authenticate two messages. r, r^2 and h are three 44/44/42-bit
 * limbs where the compiler has unsigned __int128, else r and h are five
 * 26-bit limbs. */
typedef struct {
#if defined(__SIZEOF_INT128__)
    uint64_t r[3], r_sq[3], h[3];
#else
    uint32_t r[5], h[5];
#endif
    uint32_t pad[4];
    uint8_t buf[16];
    size_t buf_len;
} mamori_poly1305_t;

void mamori_poly1305_init(mamori_poly1305_t *st, const uint8_t key[32]);
void mamori_poly1305_update(mamori_poly1305_t *st, const uint8_t *data, size_t len);
/* Writes the tag and wipes the state. */
void mamori_poly1305_finish(mamori_poly1305_t *st, uint8_t tag[16]);

/* AEAD_CHACHA20_POLY1305 (RFC 8439 2.8). out == in is fine. Returns
 * MAMORI_ERR_INVAL when len exceeds the 2^38 - 64 byte limit. */
int mamori_chachapoly_seal(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                           size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                           uint8_t tag[16]);
/* Verifies the tag over aad and in, then decrypts to out. On a bad tag
 * returns MAMORI_ERR_AUTH and leaves out as it was (the decryption is
 * masked by the verdict, not skipped; out is read as well as written). */
int mamori_chachapoly_open(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                           size_t aad_len, const uint8_t *in, size_t len, const uint8_t tag[16],
                           uint8_t *out);

#endif
