/* Shared by bench/bench_tls.c and bench/bench_tls_wolf.c: wolfSSL's headers
 * (built with its OpenSSL compatibility layer) cannot share a translation
 * unit with OpenSSL's, so each library's glue sees only this. */
#ifndef MAMORI_BENCH_TLS_H
#define MAMORI_BENCH_TLS_H

#include <stddef.h>
#include <stdint.h>

#define HOST "bench.mamori.test"
#define QCAP (1u << 17)

enum { AES128, AES256, CHACHA, NSUITE };
extern const char *const suite_name[NSUITE]; /* RFC 8446 names */

/* One byte queue per direction between a client and its server. */
typedef struct {
    uint8_t buf[QCAP];
    size_t r, w;
} queue_t;
extern queue_t c2s, s2c;
/* Bytes queued or taken (fewer when full or empty). */
size_t q_put(queue_t *q, const void *p, size_t n);
size_t q_get(queue_t *q, void *p, size_t n);

extern const char *ca_path, *cert_path, *key_path;
extern const char *host; /* the name clients check */
extern int suite;        /* the suite both ends allow (AES128..CHACHA) */

_Noreturn void die(const char *fmt, ...);

/* One library's client and server. step: 1 when its side of the handshake
 * is complete, 0 to go on, -1 on failure. write/read: bytes moved (> 0), 0
 * for "would block", -1 on failure. check: after a handshake, 0 when the
 * version, suite, group and peer verification are the ones asked for. */
typedef struct {
    void (*c_new)(void);
    void (*s_new)(void);
    int (*c_step)(void);
    int (*s_step)(void);
    int (*c_write)(const uint8_t *p, size_t n);
    int (*s_read)(uint8_t *p, size_t n);
    void (*c_free)(void);
    void (*s_free)(void);
    int (*check)(void);
} lib_t;

extern const lib_t lib_wolf;
void w_setup(void);
const char *w_version(void);

#endif
