/* mamori_getaddrinfo(): a blocking wrapper over the native resolver. The
 * resolver runs under the socket layer's lock; its answers arrive through
 * the UDP socket the driver thread services, and its timers run here. */
#define _GNU_SOURCE
#include <time.h>

#include "mamori/error.h"
#include "mamori/netdb.h"
#include "mamori/socket.h"
#include "posix/clock.h"

typedef struct {
    int done;
    mamori_dns_result_t res;
} lookup_t;

static void on_answer(mamori_dns_t *dns, const mamori_dns_result_t *res, void *user)
{
    (void)dns;
    lookup_t *l = user;
    l->res = *res;
    l->done = 1;
}

int mamori_getaddrinfo(mamori_dns_t *dns, const char *name, uint32_t *addrs, size_t max, uint32_t timeout_ms)
{
    if (!dns || !name || !addrs || !max)
        return MAMORI_ERR_INVAL;
    lookup_t l = {0};
    mamori_socket_lock(NULL);
    int handle = mamori_dns_query(dns, name, MAMORI_DNS_TYPE_A, on_answer, &l);
    mamori_socket_unlock(NULL);
    if (handle < 0)
        return handle;
    uint32_t start = mamori_posix_now_ms();
    for (;;) {
        mamori_socket_lock(NULL);
        uint32_t now = mamori_posix_now_ms();
        mamori_dns_poll(dns, now);
        int done = l.done;
        if (!done && now - start >= timeout_ms)
            mamori_dns_cancel(dns, handle);
        mamori_socket_unlock(NULL);
        if (done)
            break;
        if (now - start >= timeout_ms)
            return MAMORI_ERR_TIMEOUT;
        struct timespec pause = {0, 2 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    if (l.res.status != MAMORI_OK)
        return l.res.status;
    size_t n = l.res.count < max ? l.res.count : max;
    for (size_t i = 0; i < n; i++)
        addrs[i] = mamori_dns_ip4(&l.res, i);
    return (int)n;
}
