/* The RFC 1071 Internet checksum against known answers and a byte-pair
 * reference, over every length, start alignment and split point. */
#include <string.h>

#include "check.h"
#include "core/internal.h"

/* The definition, one big-endian 16-bit word at a time. */
static uint16_t reference(uint32_t seed, const uint8_t *p, size_t len)
{
    uint64_t sum = seed;
    for (size_t i = 0; i < len; i += 2)
        sum += (uint32_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint32_t rng_state = 0x9e3779b9u;
static uint32_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Big enough for a maximal IPv4 datagram at any of 16 start offsets. */
static uint8_t buf[65536 + 16];

static void test_known_answers(void)
{
    /* RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2. */
    const uint8_t words[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    for (size_t off = 0; off < 16; off++) {
        memcpy(buf + off, words, sizeof words);
        CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, buf + off, sizeof words)), (uint16_t)~0xddf2);
    }
    /* An odd last byte is the high byte of its word: 0x0102 + 0x0300. */
    const uint8_t odd[] = {0x01, 0x02, 0x03};
    CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, odd, 3)), (uint16_t)~0x0402);
    /* An IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) with its checksum
     * field zero, then with the checksum stored: the sum verifies to 0. */
    uint8_t ip[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, ip, sizeof ip)), 0xb861);
    ip[10] = 0xb8;
    ip[11] = 0x61;
    CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, ip, sizeof ip)), 0);
    /* Nothing, and all zeros, sum to zero (checksum 0xffff); a sum of
     * 0xffff words is the other zero (checksum 0), also across carries out
     * of every word width. */
    CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, buf, 0)), 0xffff);
    memset(buf, 0, 1500);
    CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, buf, 1500)), 0xffff);
    memset(buf, 0xff, sizeof buf);
    for (size_t off = 0; off < 16; off++) {
        CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, buf + off, 65536)), 0);
        CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, buf + off, 65535)), reference(0, buf, 65535));
    }
}

/* Every length up to 600 bytes at 16 start offsets, on random data with a
 * random seed sum; the result never grows by more than 0xffff. */
static void test_lengths_and_alignments(void)
{
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)next_random();
    unsigned bad = 0, grew = 0;
    for (size_t len = 0; len <= 600; len++) {
        for (size_t off = 0; off < 16; off++) {
            uint32_t seed = next_random() % 0x60000; /* up to a pseudo-header sum */
            uint32_t sum = mamori_csum_add(seed, buf + off, len);
            bad += mamori_csum_finish(sum) != reference(seed, buf + off, len);
            grew += sum - seed > 0xffff;
        }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(grew, 0);
    for (size_t len = 60000; len <= 65536; len += 397) {
        size_t off = next_random() % 16;
        CHECK_EQ(mamori_csum_finish(mamori_csum_add(0, buf + off, len)), reference(0, buf + off, len));
    }
}

/* A message summed in chunks (every chunk but the last of even length) gives
 * the sum of the whole. */
static void test_split_points(void)
{
    const size_t len = 301;
    unsigned bad = 0;
    for (size_t off = 0; off < 8; off++) {
        const uint8_t *p = buf + off;
        uint16_t whole = reference(7, p, len);
        for (size_t a = 0; a <= len; a += 2) {
            bad += mamori_csum_finish(mamori_csum_add(mamori_csum_add(7, p, a), p + a, len - a)) != whole;
            for (size_t b = a; b <= len; b += 38) {
                uint32_t sum = mamori_csum_add(7, p, a);
                sum = mamori_csum_add(sum, p + a, b - a);
                bad += mamori_csum_finish(mamori_csum_add(sum, p + b, len - b)) != whole;
            }
        }
    }
    CHECK_EQ(bad, 0);
}

int main(void)
{
    test_known_answers();
    test_lengths_and_alignments();
    test_split_points();
    return check_summary("checksum");
}
