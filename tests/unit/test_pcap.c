#define _DEFAULT_SOURCE /* mkstemp, popen */

#include "capture_port.h"
#include "check.h"
#include "mamori/error.h"
#include "posix/clock.h"
#include "posix/pcap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FRAME_COUNT 4

static const uint8_t mac_a[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x01};
static const uint8_t mac_b[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x02};
#define IP_A 0xc6120001u /* 198.18.0.1 */
#define IP_B 0xc6120002u /* 198.18.0.2 */

/* A UDP datagram 198.18.0.1:40000 -> 198.18.0.2:9 carrying "mamori", with
 * both checksums worked out independently of the test builders. */
static const char known_udp_hex[] = "02005e00000202005e0000010800"
                                    "450000221234400040119c6fc6120001c6120002"
                                    "9c400009000e8a266d616d6f7269";

typedef struct {
    uint8_t data[200];
    size_t len;
    uint64_t ts_us;
} test_frame_t;

static test_frame_t frames[FRAME_COUNT];

static void build_frames(void)
{
    static const uint8_t word[] = "mamori";
    static const uint8_t longer[] = "a somewhat longer UDP payload for the second record";
    static const uint8_t ping_data[] = "0123456789abcdef";
    frames[0].len = build_udp(frames[0].data, mac_b, mac_a, IP_A, IP_B, 40000, 9, word, 6);
    frames[1].len = build_udp(frames[1].data, mac_a, mac_b, IP_B, IP_A, 9, 40000, longer, sizeof longer - 1);
    frames[2].len = build_ping(frames[2].data, mac_b, mac_a, IP_A, IP_B, 0x77, 1, ping_data, 16);
    frames[3].len = build_arp(frames[3].data, 1, mac_a, IP_A, mac_b, IP_B);
    for (size_t i = 0; i < FRAME_COUNT; i++)
        frames[i].ts_us = UINT64_C(1700000000123456) + i * UINT64_C(1000001);

    uint8_t known[64];
    long known_len = hex_decode(known_udp_hex, known, sizeof known);
    CHECK_EQ(known_len, (long)frames[0].len);
    CHECK_MEM(frames[0].data, known, frames[0].len);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static int make_temp_path(char *path, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/mamori-pcap-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static const uint8_t file_header[24] = {
    0xd4, 0xc3, 0xb2, 0xa1, /* magic: microsecond timestamps, little-endian */
    0x02, 0x00, 0x04, 0x00, /* version 2.4 */
    0x00, 0x00, 0x00, 0x00, /* thiszone */
    0x00, 0x00, 0x00, 0x00, /* sigfigs */
    0xff, 0xff, 0x00, 0x00, /* snaplen 65535 */
    0x01, 0x00, 0x00, 0x00, /* LINKTYPE_ETHERNET */
};

static void test_layout(const char *path)
{
    mamori_pcap_t pcap;
    CHECK_EQ(mamori_pcap_open(&pcap, path), MAMORI_OK);
    for (size_t i = 0; i < FRAME_COUNT; i++)
        mamori_pcap_write(&pcap, frames[i].ts_us, frames[i].data, frames[i].len);
    CHECK_EQ(pcap.records, FRAME_COUNT);
    CHECK_EQ(mamori_pcap_close(&pcap), MAMORI_OK);

    static uint8_t file[4096];
    size_t size = read_file(path, file, sizeof file);
    size_t expected_size = sizeof file_header;
    for (size_t i = 0; i < FRAME_COUNT; i++)
        expected_size += 16 + frames[i].len;
    CHECK_EQ(size, expected_size);
    if (size != expected_size)
        return;
    CHECK_MEM(file, file_header, sizeof file_header);
    const uint8_t *rec = file + sizeof file_header;
    for (size_t i = 0; i < FRAME_COUNT; i++) {
        CHECK_EQ(le32(rec), (uint32_t)(frames[i].ts_us / 1000000));
        CHECK_EQ(le32(rec + 4), (uint32_t)(frames[i].ts_us % 1000000));
        CHECK_EQ(le32(rec + 8), frames[i].len);
        CHECK_EQ(le32(rec + 12), frames[i].len);
        CHECK_MEM(rec + 16, frames[i].data, frames[i].len);
        rec += 16 + frames[i].len;
    }
}

/* Wireshark's reading of the file: every frame present, none malformed and
 * every IPv4/UDP/ICMP checksum good. */
static void test_tshark_reads(const char *path)
{
    if (system("command -v tshark >/dev/null 2>&1") != 0) {
        printf("pcap: tshark not installed, skipping the Wireshark cross-check\n");
        return;
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "tshark -n -r '%s' -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE "
             "-T fields -E separator=, -e frame.number -e _ws.col.Protocol "
             "-e ip.checksum.status -e udp.checksum.status -e icmp.checksum.status -e _ws.col.Info "
             "2>/dev/null",
             path);
    FILE *out = popen(cmd, "r");
    CHECK(out != NULL);
    if (!out)
        return;
    char line[512];
    static const char *expected[FRAME_COUNT] = {"1,UDP,1,1,,", "2,UDP,1,1,,", "3,ICMP,1,,1,",
                                                "4,ARP,,,,"};
    size_t lines = 0;
    while (fgets(line, sizeof line, out)) {
        printf("pcap: tshark: %s", line);
        CHECK(strstr(line, "Malformed") == NULL);
        if (lines < FRAME_COUNT)
            CHECK(strncmp(line, expected[lines], strlen(expected[lines])) == 0);
        lines++;
    }
    CHECK_EQ(pclose(out), 0);
    CHECK_EQ(lines, FRAME_COUNT);
}

static void test_snaplen(const char *path)
{
    static uint8_t jumbo[MAMORI_PCAP_SNAPLEN + 100];
    static uint8_t file[MAMORI_PCAP_SNAPLEN + 100];
    memset(jumbo, 0xab, sizeof jumbo);
    mamori_pcap_t pcap;
    CHECK_EQ(mamori_pcap_open(&pcap, path), MAMORI_OK);
    mamori_pcap_write(&pcap, 5, jumbo, sizeof jumbo);
    CHECK_EQ(mamori_pcap_close(&pcap), MAMORI_OK);
    size_t size = read_file(path, file, sizeof file);
    CHECK_EQ(size, 24 + 16 + MAMORI_PCAP_SNAPLEN);
    CHECK_EQ(le32(file + 24 + 8), MAMORI_PCAP_SNAPLEN);
    CHECK_EQ(le32(file + 24 + 12), sizeof jumbo);
    CHECK_EQ(mamori_pcap_open(&pcap, "/nonexistent-dir/x.pcap"), MAMORI_ERR_IO);
    mamori_pcap_write(&pcap, 0, jumbo, 14); /* ignored on a pcap that is not open */
    CHECK_EQ(pcap.records, 0);
}

/* An inner port with a fixed clock: it counts what it is given to send (or
 * refuses it) and hands out one queued frame. */
typedef struct {
    uint32_t now;
    int refuse;
    unsigned sent;
    const test_frame_t *rx;
} fake_inner_t;

static int fake_send(void *ctx, const uint8_t *frame, size_t len)
{
    fake_inner_t *f = ctx;
    (void)frame;
    (void)len;
    if (f->refuse)
        return MAMORI_ERR_WOULDBLOCK;
    f->sent++;
    return MAMORI_OK;
}

static int fake_recv(void *ctx, uint8_t *buf, size_t cap)
{
    fake_inner_t *f = ctx;
    if (!f->rx)
        return 0;
    if (f->rx->len > cap)
        return MAMORI_ERR_BUFSIZE;
    memcpy(buf, f->rx->data, f->rx->len);
    int n = (int)f->rx->len;
    f->rx = NULL;
    return n;
}

static int fake_entropy(void *ctx, void *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x5a, len);
    return MAMORI_OK;
}

static uint32_t fake_now_ms(void *ctx)
{
    const fake_inner_t *f = ctx;
    return f->now;
}

static void test_wrap(const char *path)
{
    fake_inner_t inner_state = {.now = 1234};
    mamori_port_t inner = {.ctx = &inner_state,
                           .send_frame = fake_send,
                           .recv_frame = fake_recv,
                           .entropy = fake_entropy,
                           .now_ms = fake_now_ms};
    mamori_pcap_t pcap;
    mamori_pcap_wrap_t wrap;
    mamori_port_t outer;
    uint8_t buf[256], random[4];
    CHECK_EQ(mamori_pcap_open(&pcap, path), MAMORI_OK);
    mamori_pcap_wrap(&wrap, &pcap, &inner, &outer);
    CHECK(outer.log == NULL && outer.lock == NULL && outer.unlock == NULL);

    CHECK_EQ(outer.send_frame(outer.ctx, frames[0].data, frames[0].len), MAMORI_OK);
    inner_state.refuse = 1; /* a frame the driver drops is not recorded */
    CHECK_EQ(outer.send_frame(outer.ctx, frames[2].data, frames[2].len), MAMORI_ERR_WOULDBLOCK);
    inner_state.now = 1300;
    CHECK_EQ(outer.recv_frame(outer.ctx, buf, sizeof buf), 0);
    inner_state.rx = &frames[1];
    CHECK_EQ(outer.recv_frame(outer.ctx, buf, sizeof buf), (int)frames[1].len);
    CHECK_MEM(buf, frames[1].data, frames[1].len);
    CHECK_EQ(inner_state.sent, 1);
    CHECK_EQ(outer.now_ms(outer.ctx), 1300);
    CHECK_EQ(outer.entropy(outer.ctx, random, sizeof random), MAMORI_OK);
    CHECK_EQ(random[3], 0x5a);

    /* Without a clock in the inner port, records carry the wall clock. */
    inner.now_ms = NULL;
    mamori_pcap_wrap(&wrap, &pcap, &inner, &outer);
    CHECK(outer.now_ms == NULL);
    inner_state.refuse = 0;
    uint64_t before = mamori_posix_wall_us();
    CHECK_EQ(outer.send_frame(outer.ctx, frames[3].data, frames[3].len), MAMORI_OK);
    uint64_t after = mamori_posix_wall_us();
    CHECK_EQ(mamori_pcap_close(&pcap), MAMORI_OK);

    static uint8_t file[4096];
    size_t size = read_file(path, file, sizeof file);
    CHECK_EQ(size, 24 + 3 * 16 + frames[0].len + frames[1].len + frames[3].len);
    const uint8_t *rec = file + 24;
    CHECK_EQ(le32(rec), 1);
    CHECK_EQ(le32(rec + 4), 234000);
    CHECK_EQ(le32(rec + 8), frames[0].len);
    CHECK_MEM(rec + 16, frames[0].data, frames[0].len);
    rec += 16 + frames[0].len;
    CHECK_EQ(le32(rec), 1);
    CHECK_EQ(le32(rec + 4), 300000);
    CHECK_MEM(rec + 16, frames[1].data, frames[1].len);
    rec += 16 + frames[1].len;
    uint64_t ts = (uint64_t)le32(rec) * 1000000 + le32(rec + 4);
    CHECK(ts >= before && ts <= after);
    CHECK_MEM(rec + 16, frames[3].data, frames[3].len);
}

int main(void)
{
    char path[256];
    build_frames();
    if (make_temp_path(path, sizeof path) != 0) {
        CHECK(!"cannot create a temporary file");
        return check_summary("pcap");
    }
    test_layout(path);
    test_tshark_reads(path);
    test_snaplen(path);
    test_wrap(path);
    unlink(path);
    return check_summary("pcap");
}
