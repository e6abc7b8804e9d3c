/* Deterministic (and hedged) ECDSA nonces, RFC 6979 3.2 and 3.6. */
#ifndef MAMORI_RFC6979_H
#define MAMORI_RFC6979_H

#include "crypto/ec_point.h"

/* Candidates tried before giving up: each is rejected with probability
 * below 2^-32 (P-256) or 2^-190 (P-384), so 4 fail together below 2^-128. */
#define EC_NONCE_TRIES 4

/* Writes the nonce k (curve width) for private key x and message
 * representative h (bits2octets(H(m)), curve width), mixing in optional
 * extra random bytes. HMAC-SHA-256 for P-256, HMAC-SHA-384 for P-384 (qlen
 * equals hlen, so bits2int(T) is T). Returns 1 when k is in [1, n-1], 0 if
 * every candidate was out of range or the hash is compiled out; the
 * candidates are screened without branching on them. */
uint32_t ec_rfc6979_nonce(const ec_curve_t *c, uint8_t *k, const uint8_t *x, const uint8_t *h,
                          const uint8_t *extra, size_t extra_len);

#endif
