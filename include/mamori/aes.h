/*
 * AES block cipher, encryption direction only (enough for CTR and GCM).
 *
 * Keys of 16, 24 or 32 bytes. The implementation is bitsliced: no lookup
 * table is indexed by key or data, so timing does not depend on secrets.
 * Several blocks are encrypted per pass (4 on 64-bit hosts, 8 where the
 * compiler's vector extensions allow, 2 on 32-bit).
 */
#ifndef MAMORI_AES_H
#define MAMORI_AES_H

#include <stddef.h>
#include <stdint.h>

/* The bitsliced word: 64-bit hosts encrypt 4 blocks per pass, 32-bit 2. */
#if UINTPTR_MAX > 0xffffffffu
typedef uint64_t mamori_aes_word_t;
#else
typedef uint32_t mamori_aes_word_t;
#endif

typedef struct {
    /* Round keys in bitsliced form, copied into every block lane. */
    mamori_aes_word_t round_keys[15 * 8];
    unsigned rounds;
    /* The raw key, for a hardware backend's aes_ecb_encrypt hook. */
    uint8_t key[32];
    size_t key_len;
} mamori_aes_ctx_t;

/* Expands key (16, 24 or 32 bytes). Returns MAMORI_ERR_INVAL for another
 * length. */
int mamori_aes_init(mamori_aes_ctx_t *ctx, const uint8_t *key, size_t key_len);
/* Encrypts one 16-byte block; in and out may alias. */
void mamori_aes_encrypt_block(const mamori_aes_ctx_t *ctx, const uint8_t in[16], uint8_t out[16]);
/* CTR mode: XORs len bytes of keystream into in, writing out (in == out is
 * fine). The keystream is E(K, ctr), E(K, ctr + 1), ... where only the last
 * four bytes of ctr count, big-endian and wrapping mod 2^32 (the inc32 of
 * NIST SP 800-38D). ctr is updated past the blocks used. */
void mamori_aes_ctr32(const mamori_aes_ctx_t *ctx, uint8_t ctr[16], const uint8_t *in,
                      uint8_t *out, size_t len);
/* Erases the key schedule. */
void mamori_aes_wipe(mamori_aes_ctx_t *ctx);

#endif
