/* TLS 1.3 compile-time options (see config.h for how to override). A
 * feature set to 0 links no code for it; when the peer uses it anyway the
 * engine answers as RFC 8446 requires of an implementation without it
 * (docs/tls.md, "Compile-time switches"). */
#ifndef MAMORI_CONFIG_TLS_H
#define MAMORI_CONFIG_TLS_H

#ifndef MAMORI_TLS
#define MAMORI_TLS 1
#endif
#ifndef MAMORI_TLS_SERVER /* the server role; 0 links a client only */
#define MAMORI_TLS_SERVER 1
#endif
/* Certificate authentication (Certificate, CertificateVerify, X.509). 0
 * leaves PSK authentication only: no certificate code, no X.509. */
#ifndef MAMORI_TLS_CERT
#define MAMORI_TLS_CERT 1
#endif
/* A client that signs with its own certificate when asked (mutual TLS).
 * 0: a CertificateRequest gets an empty Certificate (§4.4.2). */
#ifndef MAMORI_TLS_CLIENT_CERT
#define MAMORI_TLS_CLIENT_CERT MAMORI_TLS_CERT
#endif
/* External pre-shared keys (§4.2.11, psk_dhe_ke with an (EC)DHE share). */
#ifndef MAMORI_TLS_PSK
#define MAMORI_TLS_PSK 1
#endif
/* Session tickets: a client stores and offers them, a server issues and
 * accepts them. 0: a received NewSessionTicket is read and dropped. */
#ifndef MAMORI_TLS_RESUMPTION
#define MAMORI_TLS_RESUMPTION 1
#endif
/* HelloRetryRequest (§4.1.4). 0: a client fails a HelloRetryRequest with
 * handshake_failure; a server without a usable key share does the same. */
#ifndef MAMORI_TLS_HRR
#define MAMORI_TLS_HRR 1
#endif
/* ALPN (RFC 7301). 0: never offered or answered. */
#ifndef MAMORI_TLS_ALPN
#define MAMORI_TLS_ALPN 1
#endif
#if !MAMORI_TLS_CERT && !MAMORI_TLS_PSK
#error "MAMORI_TLS needs MAMORI_TLS_CERT or MAMORI_TLS_PSK to authenticate a peer"
#endif
#if MAMORI_TLS_CLIENT_CERT && !MAMORI_TLS_CERT
#error "MAMORI_TLS_CLIENT_CERT needs MAMORI_TLS_CERT"
#endif
/* Suites, signature schemes and groups follow the crypto switches:
 * MAMORI_CHACHAPOLY (TLS_CHACHA20_POLY1305_SHA256), MAMORI_SHA512
 * (TLS_AES_256_GCM_SHA384), MAMORI_ED25519, MAMORI_P384 and MAMORI_RSA
 * (CertificateVerify schemes), MAMORI_X25519 and MAMORI_P256 (groups; P-256
 * also ECDSA). A scheme compiled out is neither offered nor accepted. */

/* Largest handshake message accepted or sent (RFC 8446 §4: bounded here,
 * not by the 2^24 of the wire format). Certificate chains need the most. */
#ifndef MAMORI_TLS_MAX_HANDSHAKE
#define MAMORI_TLS_MAX_HANDSHAKE 8192
#endif
/* Certificates accepted in a peer's chain. */
#ifndef MAMORI_TLS_MAX_CHAIN
#define MAMORI_TLS_MAX_CHAIN 6
#endif
/* Whole handshake deadline (ClientHello to Finished). */
#ifndef MAMORI_TLS_HANDSHAKE_TIMEOUT_MS
#define MAMORI_TLS_HANDSHAKE_TIMEOUT_MS 30000u
#endif
/* Records protected under one key before a KeyUpdate is due (RFC 8446
 * §5.5: AES-GCM is safe to about 2^24.5 full records). */
#ifndef MAMORI_TLS_REKEY_RECORDS
#define MAMORI_TLS_REKEY_RECORDS (1ull << 23)
#endif
/* Longest ALPN protocol name kept by the engine. */
#ifndef MAMORI_TLS_MAX_ALPN
#define MAMORI_TLS_MAX_ALPN 16
#endif
/* Largest session ticket a client keeps (RFC 8446 §4.6.1). */
#ifndef MAMORI_TLS_MAX_TICKET
#define MAMORI_TLS_MAX_TICKET 512
#endif
/* Lifetime of the tickets a server issues, in seconds (at most 7 days). */
#ifndef MAMORI_TLS_TICKET_LIFETIME_S
#define MAMORI_TLS_TICKET_LIFETIME_S 7200u
#endif
#endif
