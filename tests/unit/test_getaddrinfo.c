/* mamori_getaddrinfo() through the BSD socket layer: a driver thread runs a
 * client stack and a scripted DNS server stack on the virtual wire in real
 * time while the test thread blocks in the call. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "mamori/error.h"
#include "mamori/netdb.h"
#include "mamori/socket.h"
#include "posix/clock.h"
#include "posix/vwire.h"

#define CLIENT_IP MAMORI_IP4(198, 18, 2, 1)
#define SERVER_IP MAMORI_IP4(198, 18, 2, 53)
#define ANSWER_IP MAMORI_IP4(198, 18, 2, 77)

static mamori_vwire_t wire;
static mamori_stack_t client, server;
static mamori_udp_t dns_sock;
static uint8_t dns_ring[2048];
static mamori_dns_t dns;
static volatile int stop;

/* Answers "device.test" with one A record and everything else with NXDOMAIN. */
static void on_query(mamori_udp_t *sock, void *user)
{
    (void)user;
    uint8_t q[512], r[600];
    uint32_t src;
    uint16_t sport;
    int n;
    while ((n = mamori_udp_recvfrom(sock, q, sizeof q, &src, &sport)) > 12) {
        static const uint8_t known[] = "\x06" "device" "\x04" "test";
        bool hit = (size_t)n >= 12 + sizeof known && memcmp(q + 12, known, sizeof known) == 0;
        memcpy(r, q, (size_t)n);
        r[2] = 0x81;
        r[3] = hit ? 0x80 : 0x83; /* RCODE 3: NXDOMAIN */
        r[7] = hit ? 1 : 0;       /* ANCOUNT */
        size_t len = (size_t)n;
        if (hit) {
            static const uint8_t rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 18, 2, 77};
            memcpy(r + len, rr, sizeof rr);
            len += sizeof rr;
        }
        mamori_udp_sendto(sock, src, sport, r, len);
    }
}

static void *driver(void *arg)
{
    (void)arg;
    while (!stop) {
        uint32_t now = mamori_posix_now_ms();
        mamori_socket_lock(NULL); /* the wire and the server stack share the layer's lock */
        mamori_vwire_set_time(&wire, now);
        mamori_poll(&server, now);
        mamori_socket_unlock(NULL);
        mamori_socket_poll(&client, now);
        struct timespec pause = {0, 500 * 1000};
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int main(void)
{
    mamori_vwire_init(&wire, 7, NULL);
    static mamori_port_t pc, ps;
    mamori_vwire_attach(&wire, &pc);
    mamori_vwire_attach(&wire, &ps);
    static const uint8_t mac_c[6] = {2, 0, 0, 2, 0, 1}, mac_s[6] = {2, 0, 0, 2, 0, 53};
    uint32_t now = mamori_posix_now_ms();
    mamori_vwire_set_time(&wire, now);
    CHECK_EQ(mamori_stack_init(&client, &pc, mac_c, now), MAMORI_OK);
    CHECK_EQ(mamori_stack_init(&server, &ps, mac_s, now), MAMORI_OK);
    mamori_ip4_set_addr(&client, CLIENT_IP, 24, 0, false);
    mamori_ip4_set_addr(&server, SERVER_IP, 24, 0, false);
    mamori_udp_open(&server, &dns_sock, dns_ring, sizeof dns_ring);
    mamori_udp_bind(&dns_sock, 53);
    mamori_udp_set_callback(&dns_sock, on_query, NULL);
    mamori_socket_attach(&client, NULL, NULL);
    mamori_dns_init(&dns, &client);
    const uint32_t servers[] = {SERVER_IP};
    mamori_dns_set_servers(&dns, servers, 1);
    pthread_t thread;
    pthread_create(&thread, NULL, driver, NULL);

    uint32_t addrs[4] = {0};
    CHECK_EQ(mamori_getaddrinfo(&dns, "device.test", addrs, 4, 3000), 1);
    CHECK_EQ(addrs[0], ANSWER_IP);
    CHECK_EQ(mamori_getaddrinfo(&dns, "missing.test", addrs, 4, 3000), MAMORI_ERR_NOTFOUND);
    CHECK_EQ(mamori_getaddrinfo(&dns, "bad..name", addrs, 4, 3000), MAMORI_ERR_INVAL);
    /* A server that never answers: the call returns at its deadline. */
    mamori_socket_lock(NULL);
    const uint32_t silent[] = {MAMORI_IP4(198, 18, 2, 99)};
    mamori_dns_set_servers(&dns, silent, 1);
    mamori_dns_flush_cache(&dns);
    mamori_socket_unlock(NULL);
    uint32_t start = mamori_posix_now_ms();
    CHECK_EQ(mamori_getaddrinfo(&dns, "device.test", addrs, 4, 400), MAMORI_ERR_TIMEOUT);
    uint32_t took = mamori_posix_now_ms() - start;
    CHECK(took >= 400 && took < 2000);

    stop = 1;
    pthread_join(thread, NULL);
    return check_summary("getaddrinfo");
}
