/*
 * Host entropy for the POSIX port: the kernel CSPRNG via getrandom().
 */
#ifndef MAMORI_POSIX_ENTROPY_H
#define MAMORI_POSIX_ENTROPY_H

#include <stddef.h>

/* In the shape of mamori_port_t.entropy (ctx is ignored). Fills buf with len
 * bytes from getrandom(); blocks only until the kernel pool is initialised
 * at boot. Returns 0 or MAMORI_ERR_ENTROPY. */
int mamori_posix_entropy(void *ctx, void *buf, size_t len);

#endif
