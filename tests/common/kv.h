/*
 * Reader for the key=value blocks that tests/vectors/wycheproof2kv.py makes
 * from Wycheproof JSON at build time. Usage:
 *
 *   kv_file_t f;
 *   kv_open(&f, MAMORI_VECTOR_DIR "/x25519_test.txt");
 *   while (kv_next(&f)) { const char *r = kv_get(&f, "result"); ... }
 *   kv_close(&f);
 */
#ifndef MAMORI_TEST_KV_H
#define MAMORI_TEST_KV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KV_MAX_FIELDS 48

typedef struct {
    FILE *fp;
    char *line[KV_MAX_FIELDS];
    size_t count;
} kv_file_t;

/* Opens a converted vector file; aborts the test program if missing. */
void kv_open(kv_file_t *f, const char *path);
/* Reads the next block; returns 0 at end of file. */
int kv_next(kv_file_t *f);
/* The value of key in the current block, or NULL. */
const char *kv_get(const kv_file_t *f, const char *key);
/* Hex-decodes key's value into a malloc'd buffer (caller frees); *len is set.
 * Returns NULL if the key is missing or not hex. */
uint8_t *kv_hex(const kv_file_t *f, const char *key, size_t *len);
/* kv_hex for a value the test cannot do without: a missing key ends the
 * test program. len may be NULL. */
uint8_t *kv_need_hex(const kv_file_t *f, const char *key, size_t *len);
/* A check (check.h) that the bytes at got equal key's value. */
void kv_check_mem(const kv_file_t *f, const void *got, const char *key, const char *file, int line);
#define CHECK_KV(f, got, key) kv_check_mem(f, got, key, __FILE__, __LINE__)
/* 1 if the block's comma-separated "flags" value contains flag. */
int kv_has_flag(const kv_file_t *f, const char *flag);
void kv_close(kv_file_t *f);

#endif
