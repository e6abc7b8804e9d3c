/* Internal interfaces of the TLS 1.3 engine: key schedule, transcript,
 * record protection and handshake message codecs. */
#ifndef MAMORI_TLS_INTERNAL_H
#define MAMORI_TLS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cursor.h"
#include "mamori/tls.h"

/* Content types (§5.1). */
#define TLS_CT_CCS 20
#define TLS_CT_ALERT 21
#define TLS_CT_HANDSHAKE 22
#define TLS_CT_APPDATA 23

/* Handshake message types (§4). */
#define TLS_HS_CLIENT_HELLO 1
#define TLS_HS_SERVER_HELLO 2
#define TLS_HS_NEW_SESSION_TICKET 4
#define TLS_HS_END_OF_EARLY_DATA 5
#define TLS_HS_ENCRYPTED_EXTENSIONS 8
#define TLS_HS_CERTIFICATE 11
#define TLS_HS_CERTIFICATE_REQUEST 13
#define TLS_HS_CERTIFICATE_VERIFY 15
#define TLS_HS_FINISHED 20
#define TLS_HS_KEY_UPDATE 24
#define TLS_HS_MESSAGE_HASH 254

typedef struct {
    const uint8_t *p;
    size_t len;
} tls_span_t;

/* ---- cipher suites ------------------------------------------------------ */
/* Hash of a suite (0 for an unknown suite) and its AEAD key length. */
mamori_hash_id_t mamori_tls_suite_hash(uint16_t suite);
size_t mamori_tls_suite_key_len(uint16_t suite);

/* ---- key schedule (§7.1) ------------------------------------------------ */
/* Derive-Secret(secret, label, transcript_hash): out gets hash-length bytes. */
int mamori_tls_derive_secret(mamori_hash_id_t h, const uint8_t *secret, const char *label,
                             const uint8_t *transcript_hash, uint8_t *out);
/* Early secret = HKDF-Extract(0, psk or 0^HashLen). psk may be NULL. */
int mamori_tls_ks_early(mamori_hash_id_t h, const uint8_t *psk, size_t psk_len, uint8_t *secret);
/* Next stage of the chain in place: secret = HKDF-Extract(Derive-Secret(
 * secret, "derived", ""), ikm or 0^HashLen). Early -> handshake (ikm =
 * (EC)DHE) and handshake -> master (ikm NULL). */
int mamori_tls_ks_next(mamori_hash_id_t h, uint8_t *secret, const uint8_t *ikm, size_t ikm_len);
/* Traffic key and IV of a traffic secret (§7.3). */
int mamori_tls_traffic_keys(mamori_hash_id_t h, const uint8_t *secret, size_t key_len, uint8_t *key,
                            uint8_t iv[12]);
/* verify_data = HMAC(finished_key, transcript_hash) (§4.4.4). */
int mamori_tls_finished(mamori_hash_id_t h, const uint8_t *base_key, const uint8_t *transcript_hash,
                        uint8_t *out);
/* application_traffic_secret_N+1 (§7.2), in place. */
int mamori_tls_next_traffic_secret(mamori_hash_id_t h, uint8_t *secret);
/* PSK of a ticket: HKDF-Expand-Label(rms, "resumption", nonce) (§4.6.1). */
int mamori_tls_resumption_psk(mamori_hash_id_t h, const uint8_t *rms, const uint8_t *nonce,
                              size_t nonce_len, uint8_t *psk);
/* binder_key from the early secret ("res binder" or "ext binder", §7.1). */
int mamori_tls_binder_key(mamori_hash_id_t h, const uint8_t *early, bool external, uint8_t *out);
/* A PSK binder over a partial-ClientHello transcript hash (§4.2.11.2):
 * Finished computed with the binder key of psk (external or resumption). */
int mamori_tls_binder(mamori_hash_id_t h, const uint8_t *psk, size_t psk_len, bool external,
                      const uint8_t *th, uint8_t *out);
/* The binder of a resumption PSK (hash-length psk). */
int mamori_tls_psk_binder(mamori_hash_id_t h, const uint8_t *psk, const uint8_t *th, uint8_t *out);

/* ---- key exchange groups (group.c) ------------------------------------- */
/* Largest key share: an uncompressed P-256 point. */
#define TLS_MAX_SHARE 65
/* The public key of priv in group. */
int tls_group_public(uint16_t group, const uint8_t *priv, uint8_t *pub, size_t *pub_len);
/* A fresh ephemeral key (32-byte priv) and its public key. */
int tls_group_keygen(const mamori_tls_config_t *cfg, uint16_t group, uint8_t *priv, uint8_t *pub,
                     size_t *pub_len);
/* The (EC)DHE shared secret (32 bytes) with the peer's share; an invalid
 * share is an error. */
int tls_group_shared(uint16_t group, const uint8_t *priv, const tls_span_t *peer, uint8_t *shared);

/* ---- transcript (§4.4.1) ------------------------------------------------ */
void mamori_tls_th_init(mamori_tls_transcript_t *th);
void mamori_tls_th_update(mamori_tls_transcript_t *th, const void *data, size_t len);
/* Fixes the hash; the other one stops. */
void mamori_tls_th_choose(mamori_tls_transcript_t *th, mamori_hash_id_t h);
/* Current hash without ending the transcript. */
void mamori_tls_th_hash(const mamori_tls_transcript_t *th, uint8_t *out);
/* Hash h of the transcript so far followed by extra (a partial message),
 * without changing the transcript (PSK binders, §4.2.11.2). */
void mamori_tls_th_hash_with(const mamori_tls_transcript_t *th, mamori_hash_id_t h,
                             const uint8_t *extra, size_t extra_len, uint8_t *out);
/* HelloRetryRequest (§4.4.1): transcript := message_hash(Hash(CH1)). */
void mamori_tls_th_hrr(mamori_tls_transcript_t *th);

/* ---- record protection (§5) --------------------------------------------- */
/* Installs a traffic secret on one direction: key, IV, sequence 0. */
int mamori_tls_dir_set(mamori_tls_dir_t *d, uint16_t suite, const uint8_t *secret);
void mamori_tls_dir_wipe(mamori_tls_dir_t *d);
/* True once the direction's sequence reaches MAMORI_TLS_REKEY_RECORDS. */
bool mamori_tls_dir_rekey_due(const mamori_tls_dir_t *d);

/* Protects a record built in place: buf[5..5+len) holds the plaintext,
 * followed by room for the content type, pad zero bytes and the tag.
 * Writes the header and returns the record length, or an error
 * (ERR_BUFSIZE, ERR_LIMIT when the sequence is exhausted). With no
 * protection (suite 0) writes a plaintext record of type type. */
int mamori_tls_seal(mamori_tls_dir_t *d, uint8_t type, uint8_t *buf, size_t cap, size_t len,
                    size_t pad);
/* Length of the record at buf (header included) once 5 header bytes are
 * present, 0 if fewer are; negative alert-coded errors on a bad header. */
int mamori_tls_record_len(const uint8_t *buf, size_t have, size_t max_plain, int *alert);
/* Opens the complete record buf[0..len) in place: *type gets the real
 * content type and [*plain, *plain + *plain_len) the plaintext. On error
 * *alert gets the alert to send (bad_record_mac, record_overflow,
 * unexpected_message, decode_error). Plaintext records pass through. */
int mamori_tls_open(mamori_tls_dir_t *d, uint8_t *buf, size_t len, size_t max_plain, uint8_t *type,
                    size_t *plain, size_t *plain_len, int *alert);

/* ---- handshake message codecs (msg.c, ext.c) ---------------------------- */
/* Parsers return 0 or the alert description to send (RFC 8446 §6.2). */

/* Extension types (§4.2) and the index each known one has in tls_exts_t. */
#define TLS_EXT_SERVER_NAME 0
#define TLS_EXT_MAX_FRAGMENT_LENGTH 1
#define TLS_EXT_SUPPORTED_GROUPS 10
#define TLS_EXT_SIGNATURE_ALGORITHMS 13
#define TLS_EXT_ALPN 16
#define TLS_EXT_RECORD_SIZE_LIMIT 28
#define TLS_EXT_PRE_SHARED_KEY 41
#define TLS_EXT_EARLY_DATA 42
#define TLS_EXT_SUPPORTED_VERSIONS 43
#define TLS_EXT_COOKIE 44
#define TLS_EXT_PSK_KEY_EXCHANGE_MODES 45
#define TLS_EXT_CERTIFICATE_AUTHORITIES 47
#define TLS_EXT_SIGNATURE_ALGORITHMS_CERT 50
#define TLS_EXT_KEY_SHARE 51

enum {
    TLS_X_SERVER_NAME,
    TLS_X_MAX_FRAGMENT_LENGTH,
    TLS_X_SUPPORTED_GROUPS,
    TLS_X_SIGNATURE_ALGORITHMS,
    TLS_X_ALPN,
    TLS_X_RECORD_SIZE_LIMIT,
    TLS_X_PRE_SHARED_KEY,
    TLS_X_EARLY_DATA,
    TLS_X_SUPPORTED_VERSIONS,
    TLS_X_COOKIE,
    TLS_X_PSK_KEY_EXCHANGE_MODES,
    TLS_X_CERTIFICATE_AUTHORITIES,
    TLS_X_SIGNATURE_ALGORITHMS_CERT,
    TLS_X_KEY_SHARE,
    TLS_X_COUNT
};
#define TLS_XBIT(x) (1u << (x))

/* The known extensions of one message, each as its extension_data. */
typedef struct {
    uint32_t seen; /* TLS_XBIT per present extension */
    tls_span_t v[TLS_X_COUNT];
} tls_exts_t;

/* Reads an extensions<..2^16-1> block. Known extensions outside allowed:
 * illegal_parameter; unknown ones are skipped when ignore_unknown, else
 * unsupported_extension (§4.2); duplicates: illegal_parameter;
 * pre_shared_key not last: illegal_parameter (§4.2.11). */
int tls_exts_parse(mamori_rd_t *rd, uint32_t allowed, bool ignore_unknown, tls_exts_t *x);

/* Extension bodies. Lists are returned as readers over their entries. */
int tls_ext_u16_list(const tls_span_t *s, size_t min_len, mamori_rd_t *list);
int tls_ext_versions_ch(const tls_span_t *s, bool *has_tls13);
int tls_ext_version_sh(const tls_span_t *s);
/* ClientHello key_share: finds the entry for group (NULL if absent).
 * Duplicated groups are illegal_parameter (§4.2.8). */
int tls_ext_key_share_ch(const tls_span_t *s, uint16_t group, tls_span_t *key);
/* ServerHello key_share: one entry; HelloRetryRequest: the group only. */
int tls_ext_key_share_sh(const tls_span_t *s, uint16_t *group, tls_span_t *key);
int tls_ext_key_share_hrr(const tls_span_t *s, uint16_t *group);
/* server_name: the host_name (ClientHello), checked for plausibility. */
int tls_ext_server_name(const tls_span_t *s, tls_span_t *host);
/* ALPN: the protocol list; *one gets the single entry (server's answer). */
int tls_ext_alpn(const tls_span_t *s, mamori_rd_t *list, tls_span_t *one);
/* record_size_limit (RFC 8449 §4): at least 64, else illegal_parameter. */
int tls_ext_record_size_limit(const tls_span_t *s, uint16_t *limit);
/* max_fragment_length (RFC 6066 §4): code 1..4 -> 512..4096 bytes. */
int tls_ext_max_fragment_length(const tls_span_t *s, uint16_t *limit);
int tls_ext_cookie(const tls_span_t *s, tls_span_t *cookie);
int tls_ext_psk_modes(const tls_span_t *s, bool *psk_dhe_ke);
/* ClientHello pre_shared_key (§4.2.11): the first identity, its age and
 * binder, and the length of the binders vector with its length field (what
 * the partial ClientHello leaves out). Identities and binders must pair. */
int tls_ext_psk_ch(const tls_span_t *s, tls_span_t *identity, uint32_t *age, tls_span_t *binder,
                   size_t *binders_len);
/* ServerHello pre_shared_key: the selected identity. */
int tls_ext_psk_sh(const tls_span_t *s, uint16_t *selected);

/* Handshake message header (§4): type, uint24 length. */
#define TLS_HS_HEADER 4

typedef struct {
    const uint8_t *random;
    tls_span_t session_id;
    mamori_rd_t suites;
    tls_exts_t x;
} tls_client_hello_t;

typedef struct {
    const uint8_t *random;
    tls_span_t session_id;
    uint16_t suite;
    bool is_hrr;
    tls_exts_t x;
} tls_server_hello_t;

typedef struct {
    tls_span_t context;
    size_t count;
    const uint8_t *certs[MAMORI_TLS_MAX_CHAIN];
    size_t lens[MAMORI_TLS_MAX_CHAIN];
} tls_certificate_t;

typedef struct {
    uint32_t lifetime, age_add;
    tls_span_t nonce, ticket;
    tls_exts_t x;
} tls_ticket_t;

extern const uint8_t tls_hrr_random[32];

int tls_parse_client_hello(const uint8_t *body, size_t len, tls_client_hello_t *ch);
int tls_parse_server_hello(const uint8_t *body, size_t len, tls_server_hello_t *sh);
int tls_parse_encrypted_extensions(const uint8_t *body, size_t len, tls_exts_t *x);
int tls_parse_certificate_request(const uint8_t *body, size_t len, tls_span_t *context,
                                  tls_exts_t *x);
int tls_parse_certificate(const uint8_t *body, size_t len, tls_certificate_t *c);
int tls_parse_certificate_verify(const uint8_t *body, size_t len, uint16_t *scheme,
                                 tls_span_t *sig);
int tls_parse_finished(const uint8_t *body, size_t len, size_t hash_len);
int tls_parse_new_session_ticket(const uint8_t *body, size_t len, tls_ticket_t *t);
int tls_parse_key_update(const uint8_t *body, size_t len, bool *update_requested);

/* Length of a configuration string, without libc (freestanding). */
size_t tls_strlen(const char *s);

/* Writer helpers: a length field of n bytes to fill in later. */
size_t tls_wr_open(mamori_wr_t *wr, size_t n);
void tls_wr_close(mamori_wr_t *wr, size_t at, size_t n);

/* ---- engine internals (engine.c, client.c, server.c, auth.c) ------------ */
/* Output steps, in the order their messages leave (bit order). */
#define TLS_OUT_HELLO 0x0001 /* ClientHello, ServerHello or HelloRetryRequest */
#define TLS_OUT_CCS 0x0002
#define TLS_OUT_EE 0x0004
#define TLS_OUT_CR 0x0008
#define TLS_OUT_CERT 0x0010
#define TLS_OUT_CV 0x0020
#define TLS_OUT_FIN 0x0040
#define TLS_OUT_NST 0x0080
#define TLS_OUT_KEY_UPDATE 0x0100

/* Actions once an outgoing message is all in records. */
#define TLS_AFTER_NONE 0
#define TLS_AFTER_WR_HANDSHAKE 1 /* write with the handshake traffic key */
#define TLS_AFTER_WR_APP 2       /* write with the application key; open */
#define TLS_AFTER_WR_UPDATE 3    /* KeyUpdate sent: next write key */

/* The role, folded to a constant when the server is compiled out. */
#define TLS_IS_SERVER(t) (MAMORI_TLS_SERVER && (t)->cfg->is_server)
/* Whether a HelloRetryRequest happened, folded when it cannot. */
#define TLS_HRR_DONE(t) (MAMORI_TLS_HRR && (t)->hrr_done)

/* The PSK a client offered (psk_offered). */
#define TLS_PSK_TICKET 1
#define TLS_PSK_EXTERNAL 2

/* Engine flags. */
#define TLS_F_SNI 0x01        /* server_name sent (client) or received (server) */
#define TLS_F_ALPN 0x02       /* ALPN offered (client) */
#define TLS_F_CERT_REQ 0x04   /* client certificate requested */
#define TLS_F_CCS_SENT 0x08   /* compatibility change_cipher_spec sent */
#define TLS_F_SKIP_EARLY 0x20 /* server: drop undecryptable 0-RTT records */

/* Fails the connection: queues the alert (unless alert < 0) and returns
 * err. */
int tls_fail(mamori_tls_t *t, int alert, int err);
/* Adds a whole handshake message to the transcript. */
void tls_th_add(mamori_tls_t *t, const uint8_t *msg, size_t len);
/* Starts an outgoing handshake message of type in the hs buffer. */
void tls_out_begin(mamori_tls_t *t, mamori_wr_t *wr, uint8_t type);
/* Finishes it: length, transcript, queue for records; then `after`. */
int tls_out_end(mamori_tls_t *t, mamori_wr_t *wr, uint8_t after);
/* Installs the traffic secret for reading or writing. */
int tls_set_read(mamori_tls_t *t, const uint8_t *secret);
int tls_set_write(mamori_tls_t *t, const uint8_t *secret);
/* Hash length of the negotiated suite. */
size_t tls_hash_len(const mamori_tls_t *t);
/* Our cipher suites and groups in order of preference, 0-terminated: the
 * configured lists or the defaults. */
const uint16_t *tls_suites(const mamori_tls_t *t);
const uint16_t *tls_groups(const mamori_tls_t *t);

/* Role hooks: one complete incoming handshake message (header included),
 * and the production of the next output step. */
int tls_client_start(mamori_tls_t *t);
int tls_client_handle(mamori_tls_t *t, uint8_t type, const uint8_t *msg, size_t len);
int tls_client_output(mamori_tls_t *t, uint16_t step);
int tls_server_start(mamori_tls_t *t);
int tls_server_handle(mamori_tls_t *t, uint8_t type, const uint8_t *msg, size_t len);
int tls_server_output(mamori_tls_t *t, uint16_t step);
/* Shared post-handshake messages (KeyUpdate), both roles. */
int tls_handle_key_update(mamori_tls_t *t, const uint8_t *body, size_t len);
int tls_output_key_update(mamori_tls_t *t);

/* Early data a server skips at most before giving up (§4.2.10). */
#define TLS_MAX_EARLY_SKIP 65536u

/* ---- authentication (auth.c) -------------------------------------------- */
/* Checks the peer chain (callback or pin) and keeps the leaf key. */
int tls_peer_certificate(mamori_tls_t *t, const tls_certificate_t *c);
/* Verifies a CertificateVerify over transcript hash th (§4.4.3); server
 * is the role of the signer. Returns 0 or an alert. */
int tls_verify_cv(mamori_tls_t *t, bool server, uint16_t scheme, const tls_span_t *sig,
                  const uint8_t *th);
/* Signs as this end; writes scheme, signature vector. Returns 0 or err. */
int tls_write_cv(mamori_tls_t *t, bool server, mamori_wr_t *wr, const uint8_t *th);
/* Certificate (our identity's chain, or empty) and CertificateVerify
 * messages of this end. */
int tls_write_certificate(mamori_tls_t *t);
int tls_write_certificate_verify(mamori_tls_t *t, bool server);
/* 1 if scheme is one we offer/accept. */
bool tls_sig_scheme_ok(uint16_t scheme);
/* Writes our signature_algorithms list (with its length). */
void tls_write_sig_algs(mamori_wr_t *wr);
/* Alert for a mamori certificate error (ERR_CERT_*). */
int tls_cert_alert(int err);

#endif
