#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "wire_pair.h"

#include <time.h>

#include "mamori/socket.h"
#include "posix/clock.h"

/* The wire's clock is shared with the socket layer's threads, so it moves
 * under the layer's lock. */
static void *drive(void *arg)
{
    wire_pair_t *wp = arg;
    while (!wp->stop) {
        uint32_t now = mamori_posix_now_ms();
        mamori_socket_lock(NULL);
        mamori_vwire_set_time(&wp->wire, now);
        mamori_socket_unlock(NULL);
        mamori_socket_poll(&wp->a, now);
        mamori_socket_poll(&wp->b, now);
        struct timespec pause = {0, 200 * 1000};
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int wire_pair_start(wire_pair_t *wp, uint8_t net)
{
    const uint8_t mac_a[6] = {2, 0, 0, 0, net, 1}, mac_b[6] = {2, 0, 0, 0, net, 2};
    int err;
    wp->stop = 0;
    mamori_vwire_init(&wp->wire, 5, NULL);
    mamori_vwire_attach(&wp->wire, &wp->port_a);
    mamori_vwire_attach(&wp->wire, &wp->port_b);
    uint32_t now = mamori_posix_now_ms();
    mamori_vwire_set_time(&wp->wire, now);
    if ((err = mamori_stack_init(&wp->a, &wp->port_a, mac_a, now)) != MAMORI_OK ||
        (err = mamori_stack_init(&wp->b, &wp->port_b, mac_b, now)) != MAMORI_OK ||
        (err = mamori_ip4_set_addr(&wp->a, MAMORI_IP4(198, 18, net, 1), 24, 0, false)) != MAMORI_OK ||
        (err = mamori_ip4_set_addr(&wp->b, MAMORI_IP4(198, 18, net, 2), 24, 0, false)) != MAMORI_OK)
        return err;
    return pthread_create(&wp->driver, NULL, drive, wp) == 0 ? MAMORI_OK : MAMORI_ERR_NOMEM;
}

void wire_pair_stop(wire_pair_t *wp)
{
    wp->stop = 1;
    pthread_join(wp->driver, NULL);
}
