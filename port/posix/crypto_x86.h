/*
 * Hardware crypto backend of the POSIX port for x86-64: AES blocks and
 * AES-GCM on the CPU's AES-NI and PCLMULQDQ instructions, through the hook
 * of include/mamori/crypto_backend.h (see docs/porting.md).
 */
#ifndef MAMORI_POSIX_CRYPTO_X86_H
#define MAMORI_POSIX_CRYPTO_X86_H

#include <stdbool.h>

/* Installs the backend with mamori_crypto_set_backend() if the CPU reports
 * AES-NI, PCLMULQDQ and SSE4.1; returns whether it did. Without them, and on
 * other architectures, installs nothing and returns false (software crypto
 * stays in use). Call before any crypto runs. */
bool mamori_posix_crypto_install(void);

#endif
