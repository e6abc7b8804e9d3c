/* The stack's fast unpredictable values: SipHash-2-4 against the published
 * vector, and the IPv4 IDs of sent datagrams (keyed PRF of a counter, key
 * drawn from the random source, new key after 2^32 IDs). */
#include <string.h>

#include "capture_port.h"
#include "check.h"
#include "core/internal.h"
#include "mamori/mamori.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define PEER_IP MAMORI_IP4(198, 18, 0, 1)

static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static mamori_udp_t sock;
static uint8_t ring[512];

static void test_siphash_vector(void)
{
    /* Key 00 01 .. 0f, message 00 01 .. 07: the reference implementation's
     * vector for 8-byte input (output bytes 62 24 93 9a 79 f5 f5 93). */
    const uint64_t key[2] = {0x0706050403020100u, 0x0f0e0d0c0b0a0908u};
    CHECK(mamori_siphash24_u64(key, 0x0706050403020100u) == 0x93f5f5799a932462u);
    const uint64_t other[2] = {0x0706050403020100u, 0x0f0e0d0c0b0a0909u};
    CHECK(mamori_siphash24_u64(other, 0x0706050403020100u) != 0x93f5f5799a932462u);
}

static void setup(uint64_t seed)
{
    CHECK_EQ(capture_stack_start(&cap, &port, seed, &stack, 1000, our_mac, OUR_IP, peer_mac, PEER_IP), MAMORI_OK);
    CHECK_EQ(mamori_udp_open(&stack, &sock, ring, sizeof ring), MAMORI_OK);
}

/* Sends n datagrams and stores the IPv4 IDs they carry. */
static void send_ids(uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        capture_port_clear(&cap);
        CHECK_EQ(mamori_udp_sendto(&sock, PEER_IP, 9, "x", 1), MAMORI_OK);
        CHECK_EQ(cap.count, 1);
        ids[i] = (uint16_t)(cap.frame[0][18] << 8 | cap.frame[0][19]);
    }
}

#define N 4096

static void test_ids(void)
{
    static uint16_t ids[N], again[N];
    setup(1);
    CHECK_EQ(stack.id_count, 0);
    send_ids(ids, N);
    /* The key was drawn from the random source for the first ID, and each
     * ID is the PRF of the next counter value. */
    const uint64_t key[2] = {stack.id_key[0], stack.id_key[1]};
    CHECK(key[0] != 0 || key[1] != 0);
    CHECK_EQ(stack.id_count, N);
    unsigned wrong = 0, dup = 0, step = 0, buckets[16] = {0};
    static uint8_t seen[65536];
    for (size_t i = 0; i < N; i++) {
        wrong += ids[i] != (uint16_t)mamori_siphash24_u64(key, i);
        dup += seen[ids[i]]++ ? 1 : 0;
        buckets[ids[i] >> 12]++;
        if (i >= 2)
            step += (uint16_t)(ids[i] - ids[i - 1]) == (uint16_t)(ids[i - 1] - ids[i - 2]);
    }
    CHECK_EQ(wrong, 0);
    /* No counter: about 126 repeats are expected among 4096 random 16-bit
     * values, hardly any constant steps, and every sixteenth of the range
     * near its 256 share. */
    CHECK(dup > 60 && dup < 200);
    CHECK(step < 5);
    for (size_t b = 0; b < 16; b++)
        CHECK(buckets[b] > 180 && buckets[b] < 340);

    /* Another device (other entropy) makes other IDs. */
    setup(2);
    send_ids(again, N);
    unsigned same = 0;
    for (size_t i = 0; i < N; i++)
        same += ids[i] == again[i];
    CHECK(same < 10);
}

/* After 2^32 IDs the key is drawn again. */
static void test_rekey(void)
{
    setup(3);
    uint16_t id[2];
    send_ids(id, 1);
    const uint64_t key[2] = {stack.id_key[0], stack.id_key[1]};
    stack.id_count = 0xffffffffu;
    send_ids(id, 2);
    CHECK_EQ(id[0], (uint16_t)mamori_siphash24_u64(key, 0xffffffffu));
    CHECK(stack.id_key[0] != key[0] || stack.id_key[1] != key[1]);
    CHECK_EQ(id[1], (uint16_t)mamori_siphash24_u64(stack.id_key, 0));
    CHECK_EQ(stack.id_count, 1);
}

int main(void)
{
    test_siphash_vector();
    test_ids();
    test_rekey();
    return check_summary("random");
}
