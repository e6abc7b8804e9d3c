/*
 * Private keys from PEM files for hosted TLS use (mamori-node, tests): the
 * forms OpenSSL writes, turned into what mamori_tls_identity_t takes.
 */
#ifndef MAMORI_POSIX_TLS_KEY_H
#define MAMORI_POSIX_TLS_KEY_H

#include <stddef.h>
#include <stdint.h>

/* Reads one private key from pem[0..len): "PRIVATE KEY" (PKCS#8 with an EC
 * P-256/P-384, Ed25519 or RSA key), "EC PRIVATE KEY" (SEC1) or "RSA PRIVATE
 * KEY" (PKCS#1). Writes the identity key into out (EC scalar, Ed25519 seed,
 * or PKCS#1 RSAPrivateKey DER) and the MAMORI_TLS_SIG_* scheme it signs
 * with. Returns 0, MAMORI_ERR_NOTFOUND, MAMORI_ERR_MALFORMED,
 * MAMORI_ERR_UNSUPPORTED or MAMORI_ERR_BUFSIZE. The caller wipes out. */
int mamori_tls_key_from_pem(const char *pem, size_t len, uint8_t *out, size_t cap,
                            size_t *out_len, uint16_t *scheme);

/* Reads a whole file into buf (NUL-terminated); returns its length or -1. */
long mamori_tls_read_file(const char *path, void *buf, size_t cap);

#endif
