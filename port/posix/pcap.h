/*
 * pcap writer: classic libpcap files (LINKTYPE_ETHERNET, microsecond
 * timestamps, snaplen 65535) that Wireshark and tcpdump read, plus a port
 * wrapper that records every frame a stack sends and receives through any
 * other port (TAP, virtual wire, ...).
 */
#ifndef MAMORI_POSIX_PCAP_H
#define MAMORI_POSIX_PCAP_H

#include "mamori/port.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MAMORI_PCAP_SNAPLEN 65535

typedef struct {
    FILE *file;
    uint32_t records;
    int failed; /* sticky: a write failed, reported by mamori_pcap_close() */
} mamori_pcap_t;

/* Creates (or truncates) path and writes the file header. Returns 0 or
 * MAMORI_ERR_IO. */
int mamori_pcap_open(mamori_pcap_t *pcap, const char *path);

/* Appends one frame; frames above the snaplen are cut (their original length
 * is kept in the record). Each record is flushed so the file stays readable
 * if the process is killed. Does nothing on a pcap that is not open. */
void mamori_pcap_write(mamori_pcap_t *pcap, uint64_t ts_us, const uint8_t *frame, size_t len);

/* Closes the file. Returns 0, or MAMORI_ERR_IO if any write failed. */
int mamori_pcap_close(mamori_pcap_t *pcap);

typedef struct {
    mamori_pcap_t *pcap;
    mamori_port_t inner; /* a copy of the wrapped table */
} mamori_pcap_wrap_t;

/* Fills outer with a port that forwards everything to inner and records the
 * frames that inner accepted for sending and the frames it delivered.
 * Timestamps come from inner->now_ms (milliseconds since the clock's origin),
 * or the wall clock when inner has none. w and pcap must outlive outer;
 * inner is copied. */
void mamori_pcap_wrap(mamori_pcap_wrap_t *w, mamori_pcap_t *pcap, const mamori_port_t *inner,
                      mamori_port_t *outer);

#endif
