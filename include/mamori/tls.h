/*
 * TLS 1.3 (RFC 8446) engine: a transport-independent state machine in the
 * style of BearSSL. The caller moves bytes between the engine and a
 * transport (a TCP socket, a file descriptor, a test harness):
 *
 *   for (;;) {
 *       size_t n;
 *       const uint8_t *out = mamori_tls_send_buf(&tls, &n);   // bytes to send
 *       if (n) { sent = transport_write(out, n); mamori_tls_send_done(&tls, sent); }
 *       uint8_t *in = mamori_tls_recv_buf(&tls, &n);          // room for bytes
 *       if (n) { got = transport_read(in, n); mamori_tls_recv_done(&tls, got); }
 *       ... mamori_tls_read() / mamori_tls_write() application data ...
 *   }
 *
 * No heap: the engine lives in a caller-provided mamori_tls_t and uses three
 * caller-provided buffers (incoming records, outgoing records, handshake
 * messages). Their sizes bound what the engine accepts; see docs/tls.md.
 */
#ifndef MAMORI_TLS_H
#define MAMORI_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/rng.h"
#include "mamori/sha2.h"
#include "mamori/tcp.h"
#include "mamori/x509.h"

/* Options and their defaults: include/mamori/config_tls.h. */

/* ---- protocol constants ------------------------------------------------- */
#define MAMORI_TLS_RECORD_HEADER 5
#define MAMORI_TLS_MAX_PLAINTEXT 16384 /* 2^14, RFC 8446 §5.1 */
#define MAMORI_TLS_AEAD_TAG 16
/* Bytes a record adds to its plaintext: header, inner content type, tag. */
#define MAMORI_TLS_RECORD_OVERHEAD (MAMORI_TLS_RECORD_HEADER + 1 + MAMORI_TLS_AEAD_TAG)
/* Size of a record buffer that holds any protected record of up to plain_max
 * content bytes (2^14 + 256 at full size, RFC 8446 §5.2; with a smaller
 * record_size_limit, content, inner type and tag, RFC 8449 §4). */
#define MAMORI_TLS_RECORD_BUF(plain_max)                                                           \
    (MAMORI_TLS_RECORD_HEADER + ((plain_max) >= MAMORI_TLS_MAX_PLAINTEXT                           \
                                     ? MAMORI_TLS_MAX_PLAINTEXT + 256                              \
                                     : (plain_max) + 1 + MAMORI_TLS_AEAD_TAG))

/* Cipher suites (RFC 8446 §B.4). */
#define MAMORI_TLS_AES_128_GCM_SHA256 0x1301
#define MAMORI_TLS_AES_256_GCM_SHA384 0x1302
#define MAMORI_TLS_CHACHA20_POLY1305_SHA256 0x1303

/* Named groups (§4.2.7). */
#define MAMORI_TLS_GROUP_SECP256R1 0x0017
#define MAMORI_TLS_GROUP_X25519 0x001d

/* Signature schemes (§4.2.3). */
#define MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256 0x0403
#define MAMORI_TLS_SIG_ECDSA_SECP384R1_SHA384 0x0503
#define MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256 0x0804
#define MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA384 0x0805
#define MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA512 0x0806
#define MAMORI_TLS_SIG_ED25519 0x0807

/* Alert descriptions (§6). mamori_tls_last_alert() reports them. */
typedef enum {
    MAMORI_TLS_ALERT_NONE = -1,
    MAMORI_TLS_ALERT_CLOSE_NOTIFY = 0,
    MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE = 10,
    MAMORI_TLS_ALERT_BAD_RECORD_MAC = 20,
    MAMORI_TLS_ALERT_RECORD_OVERFLOW = 22,
    MAMORI_TLS_ALERT_HANDSHAKE_FAILURE = 40,
    MAMORI_TLS_ALERT_BAD_CERTIFICATE = 42,
    MAMORI_TLS_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    MAMORI_TLS_ALERT_CERTIFICATE_REVOKED = 44,
    MAMORI_TLS_ALERT_CERTIFICATE_EXPIRED = 45,
    MAMORI_TLS_ALERT_CERTIFICATE_UNKNOWN = 46,
    MAMORI_TLS_ALERT_ILLEGAL_PARAMETER = 47,
    MAMORI_TLS_ALERT_UNKNOWN_CA = 48,
    MAMORI_TLS_ALERT_ACCESS_DENIED = 49,
    MAMORI_TLS_ALERT_DECODE_ERROR = 50,
    MAMORI_TLS_ALERT_DECRYPT_ERROR = 51,
    MAMORI_TLS_ALERT_PROTOCOL_VERSION = 70,
    MAMORI_TLS_ALERT_INSUFFICIENT_SECURITY = 71,
    MAMORI_TLS_ALERT_INTERNAL_ERROR = 80,
    MAMORI_TLS_ALERT_INAPPROPRIATE_FALLBACK = 86,
    MAMORI_TLS_ALERT_USER_CANCELED = 90,
    MAMORI_TLS_ALERT_MISSING_EXTENSION = 109,
    MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION = 110,
    MAMORI_TLS_ALERT_UNRECOGNIZED_NAME = 112,
    MAMORI_TLS_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
    MAMORI_TLS_ALERT_UNKNOWN_PSK_IDENTITY = 115,
    MAMORI_TLS_ALERT_CERTIFICATE_REQUIRED = 116,
    MAMORI_TLS_ALERT_NO_APPLICATION_PROTOCOL = 120,
} mamori_tls_alert_t;

/* ---- record protection state (one per direction) ----------------------- */
typedef struct {
    uint16_t suite;  /* 0 while records are plaintext */
    uint8_t key_len; /* 16 or 32 */
    uint8_t key[32];
    uint8_t iv[12];
    uint64_t seq; /* next record's sequence number (§5.3) */
} mamori_tls_dir_t;

/* Running transcript hash (§4.4.1). Until the cipher suite is known both
 * hashes run; afterwards only the chosen one. */
typedef struct {
    mamori_hash_t sha256;
#if MAMORI_SHA512
    mamori_hash_t sha384;
#endif
    mamori_hash_id_t chosen; /* 0 until fixed */
} mamori_tls_transcript_t;

/* Peer authentication: a trust decision over the peer's certificate chain.
 * certs[0] is the end-entity certificate (DER). The callback checks the
 * chain and the name and returns 0 or a negative mamori error (ERR_CERT_*
 * map to the matching alert); on success it must set *spki and *spki_len to the
 * leaf's SubjectPublicKeyInfo, which must stay valid during the call to the
 * CertificateVerify check (it may point into certs[0]). */
typedef int (*mamori_tls_verify_fn)(void *ctx, const uint8_t *const *certs, const size_t *lens,
                                    size_t count, const char *host, const uint8_t **spki,
                                    size_t *spki_len);

/* Certificate chain and private key of this end (server, or client for
 * mutual TLS). key_type is a MAMORI_TLS_SIG_* scheme the key signs with. */
typedef struct {
    const uint8_t *const *chain; /* DER, leaf first */
    const size_t *chain_lens;
    size_t chain_count;
    uint16_t sig_scheme;
    const uint8_t *key; /* Ed25519 seed, EC scalar, or PKCS#1 RSAPrivateKey DER */
    size_t key_len;
} mamori_tls_identity_t;

/* A resumable session on the client: the last NewSessionTicket received
 * and its PSK (RFC 8446 §4.6.1). Keep it secret; ticket_len 0 = none. */
typedef struct {
    uint16_t suite;
    uint8_t psk[MAMORI_HASH_MAX_LEN];
    uint32_t age_add, lifetime_s, received_ms;
    uint16_t ticket_len;
    uint8_t ticket[MAMORI_TLS_MAX_TICKET];
} mamori_tls_session_t;

/* An external pre-shared key (§4.2.11), agreed out of band: its identity,
 * its secret and the hash it is bound to (only suites of that hash use it).
 * Used with an (EC)DHE share (psk_dhe_ke) for forward secrecy. */
typedef struct {
    const uint8_t *identity;
    size_t identity_len; /* 1..2^16-1 */
    const uint8_t *key;
    size_t key_len;        /* at least 16 */
    mamori_hash_id_t hash; /* MAMORI_HASH_SHA256 or MAMORI_HASH_SHA384 */
} mamori_tls_psk_t;

typedef struct {
    int is_server;
    mamori_rng_fn rng;
    void *rng_ctx;
    /* Client: the server name to send (SNI) and check; NULL with no pin
     * and no external PSK makes the handshake fail closed (§4.4.2.4 leaves
     * the check to us). */
    const char *server_name;
    /* Peer certificate check (client: always; server: when any of these is
     * set, a client certificate is required). In order: a custom verify
     * callback, else X.509 path validation against trust (with the
     * server_name or IP literal checked on a server's leaf); a pin, when
     * set, must match too. Nothing set on a client fails closed. */
    mamori_tls_verify_fn verify;
    void *verify_ctx;
    const mamori_x509_store_t *trust;
    /* Trusted Unix time for validity checks; NULL (or 0) is "no trusted
     * time", which fails validation unless allow_no_time is set. */
    int64_t (*unix_time)(void);
    uint8_t allow_no_time;
    /* Optional SHA-256 pin of the peer's SubjectPublicKeyInfo. */
    const uint8_t *spki_pin;
    const mamori_tls_identity_t *identity;
    /* Preference-ordered lists; 0-terminated; NULL = the built-in default. */
    const uint16_t *suites;
    const uint16_t *groups;
    /* ALPN protocol offered (client) or accepted (server), or NULL
     * (ignored without MAMORI_TLS_ALPN). */
    const char *alpn;
    /* record_size_limit (RFC 8449) we announce for records we receive;
     * 0 = derive from the receive buffer. */
    uint16_t record_size_limit;
    /* Ask the server for HelloRetryRequest by offering no key share for the
     * first group (tests and group negotiation; needs MAMORI_TLS_HRR). */
    uint8_t client_no_initial_share;
    /* Client: offers this session for PSK resumption (psk_dhe_ke) when it
     * holds a ticket, and stores new tickets into it. NULL (or
     * MAMORI_TLS_RESUMPTION 0): no resumption. */
    mamori_tls_session_t *session;
    /* Server: 32-byte key that seals session tickets; NULL (or
     * MAMORI_TLS_RESUMPTION 0): no tickets, no resumption. */
    const uint8_t *ticket_key;
    /* External PSK (MAMORI_TLS_PSK). Client: offered as its one PSK
     * identity (a resumable ticket takes its place when there is one); the
     * server may still answer with its certificate, which is then checked
     * as usual. Server: accepted when the client's identity matches;
     * certificates are used otherwise (or, without MAMORI_TLS_CERT, the
     * handshake fails). */
    const mamori_tls_psk_t *psk;
    /* Testing only: fixed randoms and ephemeral private keys (RFC 8448). */
    const uint8_t *test_random;
    const uint8_t *test_x25519_priv;
} mamori_tls_config_t;

typedef enum {
    MAMORI_TLS_ST_INIT = 0,
    MAMORI_TLS_ST_HANDSHAKE,
    MAMORI_TLS_ST_OPEN,
    MAMORI_TLS_ST_CLOSED, /* close_notify exchanged or received */
    MAMORI_TLS_ST_FAILED, /* fatal alert sent or received */
} mamori_tls_state_t;

/* The engine. Treat the fields as private. */
typedef struct {
    const mamori_tls_config_t *cfg;
    uint8_t state;      /* mamori_tls_state_t */
    uint8_t hs_state;   /* handshake step (src/tls) */
    int8_t alert;       /* last alert sent or received, or -1 */
    uint8_t alert_sent; /* 1 if we sent it, 0 if the peer did */
    int err;            /* sticky error once failed */

    /* Incoming records: [0, rx_len) holds received bytes. The record being
     * consumed is [0, rx_rec_len) once opened; its unconsumed plaintext is
     * [rx_pos, rx_pos + rx_left) of content type rx_type. */
    uint8_t *rx;
    size_t rx_cap, rx_len, rx_rec_len, rx_pos, rx_left;
    uint8_t rx_type;
    uint8_t peer_closed;
    /* Outgoing records: [tx_head, tx_len) waits to be sent. */
    uint8_t *tx;
    size_t tx_cap, tx_len, tx_head;
    /* Handshake messages: reassembly of one incoming message (hs_len bytes
     * of hs_need), or one outgoing message of hs_len bytes of which
     * hs_out_pos went into records. */
    uint8_t *hs;
    size_t hs_cap, hs_len, hs_need, hs_out_pos;
    uint8_t hs_out;       /* 1 while hs holds an outgoing message */
    uint8_t hs_out_after; /* action once it is all in records */
    uint16_t out_steps;   /* messages still to produce (src/tls) */

    mamori_tls_dir_t rd, wr;
    uint16_t out_limit; /* largest content we may send (peer's limit) */
    uint16_t in_limit;  /* largest content we accept */

    /* Key schedule (§7.1). */
    mamori_tls_transcript_t th;
    uint16_t suite;
    uint16_t group;
    uint16_t hrr_group;
    uint8_t ccs_seen;
    uint8_t hrr_done;
    uint8_t flags;
    uint8_t secret[MAMORI_HASH_MAX_LEN];   /* early/handshake/master chain */
    uint8_t c_secret[MAMORI_HASH_MAX_LEN]; /* client traffic secret */
    uint8_t s_secret[MAMORI_HASH_MAX_LEN]; /* server traffic secret */
    uint8_t pending[MAMORI_HASH_MAX_LEN];  /* our next traffic secret, until our Finished */
    uint8_t random[32];
    uint8_t session_id[32];
    uint8_t session_id_len;
    /* Ephemeral private key of the offered or chosen group. */
    uint8_t eph_priv[32];
#if MAMORI_TLS_HRR
    uint16_t cookie_len;
    uint8_t cookie[128];
#endif
#if MAMORI_TLS_CERT
    /* Peer leaf key, kept from Certificate to CertificateVerify. */
    uint8_t peer_spki[600];
    uint16_t peer_spki_len;
    uint16_t sig_scheme; /* the server's CertificateVerify scheme */
#endif
    uint8_t peer_ext; /* server: size-limit extensions to answer */
    uint8_t mfl_code;
#if MAMORI_TLS_ALPN
    char alpn[MAMORI_TLS_MAX_ALPN + 1];
#endif
    uint32_t start_ms, now_ms;
    uint8_t psk_mode;    /* 1 once a PSK was accepted (§4.2.11) */
    uint8_t psk_offered; /* client: TLS_PSK_* of the identity offered */
    uint32_t early_skipped; /* server: rejected 0-RTT bytes dropped */
    uint8_t clock_started;
    uint8_t key_update_request; /* value of request_update to send */
} mamori_tls_t;

/* Starts a client or server engine (cfg->is_server) over the three buffers.
 * rx must hold the largest record we accept (MAMORI_TLS_RECORD_BUF of the
 * limit we announce), tx one record of the size we send, hs one handshake
 * message. The client queues its ClientHello at once. */
int mamori_tls_init(mamori_tls_t *t, const mamori_tls_config_t *cfg, uint8_t *rx, size_t rx_cap,
                    uint8_t *tx, size_t tx_cap, uint8_t *hs, size_t hs_cap);

/* Bytes waiting to go to the transport (len 0 when nothing is pending). */
const uint8_t *mamori_tls_send_buf(mamori_tls_t *t, size_t *len);
/* The transport took n of them. */
void mamori_tls_send_done(mamori_tls_t *t, size_t n);
/* Room for received bytes (len 0 when the engine cannot take more until the
 * application reads or output drains). */
uint8_t *mamori_tls_recv_buf(mamori_tls_t *t, size_t *len);
/* n bytes were written there; processes every complete record. Returns 0 or
 * the fatal error (the alert to send is then queued). n = 0 means the
 * transport reached end of stream. */
int mamori_tls_recv_done(mamori_tls_t *t, size_t n);

/* Application data: returns bytes read (> 0), MAMORI_ERR_WOULDBLOCK, or
 * MAMORI_ERR_TLS_CLOSED after close_notify, or the fatal error. */
int mamori_tls_read(mamori_tls_t *t, void *buf, size_t len);
/* Queues up to len bytes as one record; returns bytes taken (> 0),
 * MAMORI_ERR_WOULDBLOCK while the handshake runs or output is full, or an
 * error. */
int mamori_tls_write(mamori_tls_t *t, const void *buf, size_t len);
/* Queues close_notify (§6.1). */
int mamori_tls_close(mamori_tls_t *t);
/* Asks for a KeyUpdate (§4.6.3), requesting one back if request_peer. */
int mamori_tls_key_update(mamori_tls_t *t, int request_peer);
/* Passes time in; fails the handshake (ERR_TIMEOUT) past its deadline. */
int mamori_tls_tick(mamori_tls_t *t, uint32_t now_ms);

mamori_tls_state_t mamori_tls_state(const mamori_tls_t *t);
/* The last alert sent or received (MAMORI_TLS_ALERT_NONE if none) and
 * whether we sent it. */
int mamori_tls_last_alert(const mamori_tls_t *t, int *sent_by_us);
uint16_t mamori_tls_suite(const mamori_tls_t *t);
uint16_t mamori_tls_group(const mamori_tls_t *t);
/* The signature scheme of the server's CertificateVerify (0 before it, or
 * in a PSK handshake). */
uint16_t mamori_tls_sig_scheme(const mamori_tls_t *t);
/* The negotiated ALPN protocol ("" when none). */
const char *mamori_tls_alpn(const mamori_tls_t *t);
/* Wipes every secret the engine holds. */
void mamori_tls_wipe(mamori_tls_t *t);

/* ---- TLS over a mamori TCP connection (native API, src/tls/tcp.c) ------
 *
 * Binds an engine to a mamori_tcp_t: ciphertext moves between the engine and
 * the TCP rings from the connection's callbacks, so the application sees
 * non-blocking calls and events only:
 *
 *   mamori_tls_tcp_init(&s, &conn, &cfg, rx, .., tx, .., hs, ..);
 *   mamori_tls_tcp_set_callback(&s, on_tls, user);
 *   mamori_tls_tcp_connect(&s, ip, port);   // client; a server: _accept
 *   ... MAMORI_TLS_EV_OPEN: handshake done, peer authenticated
 *   ... MAMORI_TLS_EV_READABLE: mamori_tls_tcp_read() until WOULDBLOCK
 *   ... mamori_tls_tcp_close(): close_notify, then the TCP close
 *
 * The connection's callback is taken over; conn must have been prepared with
 * mamori_tcp_open() (and, on a server, filled by mamori_tcp_accept()).
 * Time reaches the engine from stack->now at each event and through
 * mamori_tls_tcp_poll(), which the application calls from its poll loop so
 * the handshake deadline also fires when the peer goes silent. */
typedef enum {
    MAMORI_TLS_EV_OPEN,     /* handshake complete */
    MAMORI_TLS_EV_READABLE, /* application data, or the peer's close_notify, arrived */
    MAMORI_TLS_EV_WRITABLE, /* room again after a write that returned WOULDBLOCK */
    MAMORI_TLS_EV_ERROR,    /* fatal: TLS failure (alert) or TCP abort; err tells */
    MAMORI_TLS_EV_CLOSED,   /* close_notify and TCP close completed */
} mamori_tls_event_t;

typedef struct mamori_tls_tcp mamori_tls_tcp_t;
typedef void (*mamori_tls_tcp_cb)(mamori_tls_tcp_t *s, mamori_tls_event_t ev, int err, void *user);

/* Fields are private. */
struct mamori_tls_tcp {
    mamori_tls_t tls;
    mamori_tcp_t *tcp;
    mamori_tls_tcp_cb cb;
    void *user;
    int err;       /* sticky error once failed */
    uint8_t flags; /* src/tls/tcp.c */
};

int mamori_tls_tcp_init(mamori_tls_tcp_t *s, mamori_tcp_t *conn, const mamori_tls_config_t *cfg,
                        uint8_t *rx, size_t rx_cap, uint8_t *tx, size_t tx_cap, uint8_t *hs,
                        size_t hs_cap);
void mamori_tls_tcp_set_callback(mamori_tls_tcp_t *s, mamori_tls_tcp_cb cb, void *user);
/* Client: opens the TCP connection; the handshake follows it. */
int mamori_tls_tcp_connect(mamori_tls_tcp_t *s, uint32_t dst, uint16_t port);
/* Starts the handshake on a connection that is already established (a
 * server's accepted connection, or a client's connected one). */
int mamori_tls_tcp_start(mamori_tls_tcp_t *s);
/* As mamori_tls_read/_write; WOULDBLOCK until the matching event. Read
 * returns MAMORI_ERR_TLS_CLOSED after the peer's close_notify. */
int mamori_tls_tcp_read(mamori_tls_tcp_t *s, void *buf, size_t len);
int mamori_tls_tcp_write(mamori_tls_tcp_t *s, const void *buf, size_t len);
/* Sends close_notify, then half-closes TCP; data still arriving is
 * discarded until the peer closes, then MAMORI_TLS_EV_CLOSED. */
int mamori_tls_tcp_close(mamori_tls_tcp_t *s);
/* Aborts TCP (RST) and wipes the engine at once, without events. */
void mamori_tls_tcp_abort(mamori_tls_tcp_t *s);
/* Passes time in and moves pending bytes; may deliver events. */
void mamori_tls_tcp_poll(mamori_tls_tcp_t *s, uint32_t now_ms);
/* True when everything written was handed to TCP and acknowledged. */
bool mamori_tls_tcp_send_idle(const mamori_tls_tcp_t *s);

#endif
