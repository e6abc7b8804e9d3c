#include "kv.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

static void kv_clear(kv_file_t *f)
{
    for (size_t i = 0; i < f->count; i++)
        free(f->line[i]);
    f->count = 0;
}

void kv_open(kv_file_t *f, const char *path)
{
    f->count = 0;
    f->fp = fopen(path, "r");
    if (!f->fp) {
        fprintf(stderr, "cannot open vector file %s\n", path);
        exit(2);
    }
}

/* Reads one whole line of any length; returns NULL at EOF. */
static char *read_line(FILE *fp)
{
    size_t cap = 256, len = 0;
    char *s = malloc(cap);
    int c;
    while ((c = fgetc(fp)) != EOF && c != '\n') {
        if (len + 1 >= cap)
            s = realloc(s, cap *= 2);
        s[len++] = (char)c;
    }
    if (c == EOF && len == 0) {
        free(s);
        return NULL;
    }
    s[len] = 0;
    return s;
}

int kv_next(kv_file_t *f)
{
    kv_clear(f);
    char *s;
    while ((s = read_line(f->fp)) != NULL) {
        if (s[0] == 0) {
            free(s);
            if (f->count)
                return 1;
            continue;
        }
        if (f->count < KV_MAX_FIELDS)
            f->line[f->count++] = s;
        else
            free(s);
    }
    return f->count > 0;
}

const char *kv_get(const kv_file_t *f, const char *key)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i < f->count; i++)
        if (strncmp(f->line[i], key, klen) == 0 && f->line[i][klen] == '=')
            return f->line[i] + klen + 1;
    return NULL;
}

uint8_t *kv_hex(const kv_file_t *f, const char *key, size_t *len)
{
    const char *v = kv_get(f, key);
    if (!v)
        return NULL;
    size_t cap = strlen(v) / 2 + 1;
    uint8_t *out = malloc(cap);
    long n = hex_decode(v, out, cap);
    if (n < 0) {
        free(out);
        return NULL;
    }
    *len = (size_t)n;
    return out;
}

uint8_t *kv_need_hex(const kv_file_t *f, const char *key, size_t *len)
{
    size_t n = 0;
    uint8_t *p = kv_hex(f, key, &n);
    if (!p) {
        fprintf(stderr, "missing vector %s\n", key);
        exit(2);
    }
    if (len)
        *len = n;
    return p;
}

void kv_check_mem(const kv_file_t *f, const void *got, const char *key, const char *file, int line)
{
    size_t n;
    uint8_t *want = kv_need_hex(f, key, &n);
    if (memcmp(got, want, n) == 0)
        check_passed++;
    else {
        check_fail_at(file, line, key);
        check_hexdump("got", got, n);
        check_hexdump("expected", want, n);
    }
    free(want);
}

int kv_has_flag(const kv_file_t *f, const char *flag)
{
    const char *v = kv_get(f, "flags");
    size_t n = strlen(flag);
    while (v && *v) {
        if (strncmp(v, flag, n) == 0 && (v[n] == ',' || v[n] == 0))
            return 1;
        v = strchr(v, ',');
        if (v)
            v++;
    }
    return 0;
}

void kv_close(kv_file_t *f)
{
    kv_clear(f);
    if (f->fp)
        fclose(f->fp);
    f->fp = NULL;
}
