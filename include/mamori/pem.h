/*
 * PEM (RFC 7468 strict form): "-----BEGIN label-----", base64 lines,
 * "-----END label-----". Text outside blocks is ignored, as in CA bundles.
 */
#ifndef MAMORI_PEM_H
#define MAMORI_PEM_H

#include <stddef.h>
#include <stdint.h>

/* Finds the next block labelled label (e.g. "CERTIFICATE") in pem[*pos..len)
 * and decodes it into out (capacity cap), *out_len bytes; *pos moves past
 * the END line. Base64 is checked strictly (RFC 4648 4): only the alphabet
 * and whitespace between characters, padding only at the end and complete,
 * unused bits zero, a matching END label. Returns 0, MAMORI_ERR_NOTFOUND
 * when no further block exists, MAMORI_ERR_MALFORMED or MAMORI_ERR_BUFSIZE.
 * The decoder does not branch on the decoded data (safe for keys). */
int mamori_pem_decode(const char *pem, size_t len, size_t *pos, const char *label, uint8_t *out,
                      size_t cap, size_t *out_len);

#endif
