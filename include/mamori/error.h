/*
 * mamori error codes. Every fallible function returns an int: 0 (MAMORI_OK)
 * or a negative value from this list. mamori_strerror() names each one.
 *
 * The list is an X-macro so the enum and the string table cannot drift apart.
 * Add new codes at the end of a group; never renumber existing ones.
 */
#ifndef MAMORI_ERROR_H
#define MAMORI_ERROR_H

#define MAMORI_ERROR_LIST(X)                                                   \
    /* generic */                                                              \
    X(OK, 0, "success")                                                        \
    X(ERR_INVAL, -1, "invalid argument")                                       \
    X(ERR_NOMEM, -2, "pool exhausted")                                         \
    X(ERR_TRUNCATED, -3, "input truncated")                                    \
    X(ERR_MALFORMED, -4, "malformed input")                                    \
    X(ERR_CHECKSUM, -5, "bad checksum")                                        \
    X(ERR_UNSUPPORTED, -6, "unsupported")                                      \
    X(ERR_WOULDBLOCK, -7, "operation would block")                             \
    X(ERR_TIMEOUT, -8, "timed out")                                            \
    X(ERR_BUFSIZE, -9, "buffer too small")                                     \
    X(ERR_STATE, -10, "invalid state for operation")                           \
    X(ERR_IO, -11, "driver I/O error")                                         \
    X(ERR_ENTROPY, -12, "entropy source failure")                              \
    X(ERR_LIMIT, -13, "configured limit exceeded")                             \
    /* network */                                                              \
    X(ERR_NOROUTE, -20, "no route to host")                                    \
    X(ERR_ADDRINUSE, -21, "address in use")                                    \
    X(ERR_NOTCONN, -22, "not connected")                                       \
    X(ERR_CONNREFUSED, -23, "connection refused")                              \
    X(ERR_CONNRESET, -24, "connection reset")                                  \
    X(ERR_CLOSED, -25, "connection closed")                                    \
    X(ERR_MSGSIZE, -26, "message too long")                                    \
    X(ERR_HOSTUNREACH, -27, "host unreachable (address resolution failed)")    \
    X(ERR_ADDRCONFLICT, -28, "IPv4 address conflict detected")                 \
    X(ERR_NOTFOUND, -29, "name or entry not found")                            \
    X(ERR_ALREADY, -30, "operation already in progress")                       \
    X(ERR_ISCONN, -31, "already connected")                                    \
    X(ERR_FILTERED, -32, "dropped by a receive filter")                        \
    /* crypto */                                                               \
    X(ERR_AUTH, -40, "authentication tag mismatch")                            \
    X(ERR_BADSIG, -41, "signature verification failed")                        \
    X(ERR_BADKEY, -42, "invalid key")                                          \
    X(ERR_BADPOINT, -43, "invalid curve point")                                \
    X(ERR_WEAKKEY, -44, "degenerate shared secret")                            \
    X(ERR_FAULT, -45, "fault detected in computation")                         \
    /* X.509 */                                                                \
    X(ERR_CERT_EXPIRED, -60, "certificate expired")                            \
    X(ERR_CERT_NOT_YET_VALID, -61, "certificate not yet valid")                \
    X(ERR_CERT_UNKNOWN_ISSUER, -62, "unknown issuer")                          \
    X(ERR_CERT_BAD_SIGNATURE, -63, "certificate signature invalid")            \
    X(ERR_CERT_NAME_MISMATCH, -64, "certificate name mismatch")                \
    X(ERR_CERT_CONSTRAINT, -65, "certificate constraint violation")            \
    X(ERR_CERT_UNSUPPORTED_ALG, -66, "unsupported certificate algorithm")      \
    X(ERR_CERT_MALFORMED, -67, "malformed certificate")                        \
    X(ERR_CERT_PURPOSE, -68, "certificate not valid for this purpose")         \
    X(ERR_CERT_NO_TIME, -69, "no trusted time to check validity")              \
    X(ERR_CERT_CHAIN_TOO_LONG, -70, "certificate chain too long")              \
    /* TLS */                                                                  \
    X(ERR_TLS_ALERT, -80, "TLS alert received from peer")                      \
    X(ERR_TLS_PROTOCOL, -81, "TLS protocol violation")                         \
    X(ERR_TLS_HANDSHAKE, -82, "TLS handshake failure")                         \
    X(ERR_TLS_CLOSED, -83, "TLS connection closed")

typedef enum {
#define MAMORI_ERROR_ENUM(name, value, text) MAMORI_##name = (value),
    MAMORI_ERROR_LIST(MAMORI_ERROR_ENUM)
#undef MAMORI_ERROR_ENUM
} mamori_err_t;

/* A short English description of an error code; never NULL. */
const char *mamori_strerror(int err);

#endif
