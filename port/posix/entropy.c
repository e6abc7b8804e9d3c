#define _DEFAULT_SOURCE

#include "posix/entropy.h"

#include "mamori/error.h"

#include <errno.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/types.h>

int mamori_posix_entropy(void *ctx, void *buf, size_t len)
{
    (void)ctx;
    uint8_t *out = buf;
    /* getrandom() may return fewer bytes than asked (above 256 bytes) or be
     * interrupted by a signal; keep going until the buffer is full. */
    while (len > 0) {
        ssize_t n = getrandom(out, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return MAMORI_ERR_ENTROPY;
        }
        out += n;
        len -= (size_t)n;
    }
    return MAMORI_OK;
}
