#include "posix/pcap.h"

#include "mamori/error.h"
#include "posix/clock.h"

#include <string.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_VERSION_MAJOR 2
#define PCAP_VERSION_MINOR 4
#define LINKTYPE_ETHERNET 1
#define PCAP_FILE_HEADER_LEN 24
#define PCAP_RECORD_HEADER_LEN 16

/* Fields are written little-endian whatever the host; readers detect the
 * byte order from the magic number. */
static uint8_t *put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put_le32(uint8_t *p, uint32_t v)
{
    p = put_le16(p, (uint16_t)v);
    return put_le16(p, (uint16_t)(v >> 16));
}

static void write_bytes(mamori_pcap_t *pcap, const void *p, size_t n)
{
    if (fwrite(p, 1, n, pcap->file) != n)
        pcap->failed = 1;
}

int mamori_pcap_open(mamori_pcap_t *pcap, const char *path)
{
    memset(pcap, 0, sizeof *pcap);
    pcap->file = fopen(path, "wb");
    if (!pcap->file)
        return MAMORI_ERR_IO;
    uint8_t header[PCAP_FILE_HEADER_LEN];
    uint8_t *p = put_le32(header, PCAP_MAGIC_US);
    p = put_le16(p, PCAP_VERSION_MAJOR);
    p = put_le16(p, PCAP_VERSION_MINOR);
    p = put_le32(p, 0); /* thiszone: timestamps are UTC */
    p = put_le32(p, 0); /* sigfigs */
    p = put_le32(p, MAMORI_PCAP_SNAPLEN);
    put_le32(p, LINKTYPE_ETHERNET);
    write_bytes(pcap, header, sizeof header);
    if (pcap->failed || fflush(pcap->file) != 0) {
        fclose(pcap->file);
        pcap->file = NULL;
        return MAMORI_ERR_IO;
    }
    return MAMORI_OK;
}

void mamori_pcap_write(mamori_pcap_t *pcap, uint64_t ts_us, const uint8_t *frame, size_t len)
{
    if (!pcap->file)
        return;
    size_t captured = len < MAMORI_PCAP_SNAPLEN ? len : MAMORI_PCAP_SNAPLEN;
    uint32_t orig_len = len < UINT32_MAX ? (uint32_t)len : UINT32_MAX;
    uint8_t header[PCAP_RECORD_HEADER_LEN];
    uint8_t *p = put_le32(header, (uint32_t)(ts_us / 1000000u));
    p = put_le32(p, (uint32_t)(ts_us % 1000000u));
    p = put_le32(p, (uint32_t)captured);
    put_le32(p, orig_len);
    write_bytes(pcap, header, sizeof header);
    write_bytes(pcap, frame, captured);
    if (fflush(pcap->file) != 0)
        pcap->failed = 1;
    pcap->records++;
}

int mamori_pcap_close(mamori_pcap_t *pcap)
{
    if (!pcap->file)
        return pcap->failed ? MAMORI_ERR_IO : MAMORI_OK;
    if (fclose(pcap->file) != 0)
        pcap->failed = 1;
    pcap->file = NULL;
    return pcap->failed ? MAMORI_ERR_IO : MAMORI_OK;
}

static uint64_t wrap_timestamp_us(const mamori_pcap_wrap_t *w)
{
    if (w->inner.now_ms)
        return (uint64_t)w->inner.now_ms(w->inner.ctx) * 1000u;
    return mamori_posix_wall_us();
}

static int wrap_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    mamori_pcap_wrap_t *w = ctx;
    int rc = w->inner.send_frame(w->inner.ctx, frame, len);
    if (rc == MAMORI_OK)
        mamori_pcap_write(w->pcap, wrap_timestamp_us(w), frame, len);
    return rc;
}

static int wrap_recv_frame(void *ctx, uint8_t *buf, size_t cap)
{
    mamori_pcap_wrap_t *w = ctx;
    int n = w->inner.recv_frame(w->inner.ctx, buf, cap);
    if (n > 0)
        mamori_pcap_write(w->pcap, wrap_timestamp_us(w), buf, (size_t)n);
    return n;
}

static int wrap_entropy(void *ctx, void *buf, size_t len)
{
    mamori_pcap_wrap_t *w = ctx;
    return w->inner.entropy(w->inner.ctx, buf, len);
}

static uint32_t wrap_now_ms(void *ctx)
{
    mamori_pcap_wrap_t *w = ctx;
    return w->inner.now_ms(w->inner.ctx);
}

static void wrap_log(void *ctx, mamori_log_level_t level, const char *msg)
{
    mamori_pcap_wrap_t *w = ctx;
    w->inner.log(w->inner.ctx, level, msg);
}

static void wrap_lock(void *ctx)
{
    mamori_pcap_wrap_t *w = ctx;
    w->inner.lock(w->inner.ctx);
}

static void wrap_unlock(void *ctx)
{
    mamori_pcap_wrap_t *w = ctx;
    w->inner.unlock(w->inner.ctx);
}

void mamori_pcap_wrap(mamori_pcap_wrap_t *w, mamori_pcap_t *pcap, const mamori_port_t *inner,
                      mamori_port_t *outer)
{
    w->pcap = pcap;
    w->inner = *inner;
    memset(outer, 0, sizeof *outer);
    outer->ctx = w;
    /* Optional hooks stay NULL when inner lacks them, so the core sees the same shape. */
    outer->send_frame = inner->send_frame ? wrap_send_frame : NULL;
    outer->recv_frame = inner->recv_frame ? wrap_recv_frame : NULL;
    outer->entropy = inner->entropy ? wrap_entropy : NULL;
    outer->now_ms = inner->now_ms ? wrap_now_ms : NULL;
    outer->log = inner->log ? wrap_log : NULL;
    outer->lock = inner->lock ? wrap_lock : NULL;
    outer->unlock = inner->unlock ? wrap_unlock : NULL;
}
