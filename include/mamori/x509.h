/*
 * X.509 certificates (RFC 5280): in-place parsing, a trust store of anchors,
 * path validation (RFC 5280 6.1, the parts TLS needs) and host name / IP
 * address checks (RFC 9525, which obsoletes RFC 6125).
 *
 * Nothing is copied and nothing is allocated: a parsed certificate refers
 * to the caller's DER, which must stay valid while the view is used; the
 * same holds for the certificates behind trust anchors.
 *
 * Errors are the MAMORI_ERR_CERT_* codes of mamori/error.h:
 *   MALFORMED        bad DER or a structure RFC 5280 forbids (including an
 *                    inner signature algorithm that differs from the outer)
 *   UNSUPPORTED_ALG  signature or key algorithm not supported (SHA-1,
 *                    RSA below 2048 bits, explicit curves, ...)
 *   BAD_SIGNATURE    a signature does not verify (or does not fit the key)
 *   UNKNOWN_ISSUER   no path to a trust anchor
 *   EXPIRED / NOT_YET_VALID / NO_TIME   validity period checks
 *   CONSTRAINT       CA flag, keyCertSign, pathLen, name constraints, an
 *                    unknown critical extension
 *   PURPOSE          extended key usage / key usage do not allow the use
 *   NAME_MISMATCH    the host name or IP address is not in the certificate
 *   CHAIN_TOO_LONG   the path would exceed the depth limit
 */
#ifndef MAMORI_X509_H
#define MAMORI_X509_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"

/* Certificates in a path below the trust anchor (leaf + intermediates). */
#ifndef MAMORI_X509_MAX_DEPTH
#define MAMORI_X509_MAX_DEPTH 5
#endif
/* Peer-supplied certificates considered by mamori_x509_verify_chain (<= 32). */
#ifndef MAMORI_X509_MAX_CERTS
#define MAMORI_X509_MAX_CERTS 10
#endif
/* Signature verifications one path search may spend (bounds the work an
 * attacker can cause with many look-alike intermediates). */
#ifndef MAMORI_X509_MAX_SIG_CHECKS
#define MAMORI_X509_MAX_SIG_CHECKS 12
#endif
/* Extensions accepted in one certificate. */
#ifndef MAMORI_X509_MAX_EXTENSIONS
#define MAMORI_X509_MAX_EXTENSIONS 24
#endif
/* 1: match the subject's last commonName when the certificate has no
 * subjectAltName at all (RFC 9525 6.3 allows it only as legacy). */
#ifndef MAMORI_X509_CN_FALLBACK
#define MAMORI_X509_CN_FALLBACK 0
#endif

/* Signature algorithms (RFC 4055, RFC 5758, RFC 8410). */
enum {
    MAMORI_X509_SIG_UNKNOWN = 0,
    MAMORI_X509_SIG_RSA_PKCS1, /* sha{256,384,512}WithRSAEncryption */
    MAMORI_X509_SIG_RSA_PSS,   /* RSASSA-PSS, MGF1 with the same hash */
    MAMORI_X509_SIG_ECDSA,     /* ecdsa-with-SHA{256,384,512} */
    MAMORI_X509_SIG_ED25519,
};

/* flags */
#define MAMORI_X509_F_BC 0x0001u          /* basicConstraints present */
#define MAMORI_X509_F_CA 0x0002u          /* basicConstraints cA TRUE */
#define MAMORI_X509_F_PATHLEN 0x0004u     /* pathLenConstraint present */
#define MAMORI_X509_F_KU 0x0008u          /* keyUsage present */
#define MAMORI_X509_F_EKU 0x0010u         /* extKeyUsage present */
#define MAMORI_X509_F_EKU_SERVER 0x0020u  /* id-kp-serverAuth */
#define MAMORI_X509_F_EKU_CLIENT 0x0040u  /* id-kp-clientAuth */
#define MAMORI_X509_F_EKU_ANY 0x0080u     /* anyExtendedKeyUsage */
#define MAMORI_X509_F_SAN 0x0100u         /* subjectAltName present */
#define MAMORI_X509_F_NC 0x0200u          /* nameConstraints present */
#define MAMORI_X509_F_UNKNOWN_CRIT 0x0400u /* an unrecognised critical extension */
#define MAMORI_X509_F_SKI 0x0800u         /* subjectKeyIdentifier present */
#define MAMORI_X509_F_AKI 0x1000u         /* authorityKeyIdentifier keyIdentifier present */
#define MAMORI_X509_F_ANCHOR_CA 0x8000u   /* anchors: may issue (RFC 5280 6.1.4 (k), (n)) */

/* keyUsage bits (RFC 5280 4.2.1.3): bit n of the BIT STRING is (1 << n). */
#define MAMORI_X509_KU_DIGITAL_SIGNATURE 0x0001u
#define MAMORI_X509_KU_NON_REPUDIATION 0x0002u
#define MAMORI_X509_KU_KEY_ENCIPHERMENT 0x0004u
#define MAMORI_X509_KU_DATA_ENCIPHERMENT 0x0008u
#define MAMORI_X509_KU_KEY_AGREEMENT 0x0010u
#define MAMORI_X509_KU_KEY_CERT_SIGN 0x0020u
#define MAMORI_X509_KU_CRL_SIGN 0x0040u

/* Part of a certificate: offset from its first byte, and length. */
typedef struct {
    uint16_t off, len;
} mamori_x509_span_t;

/* A public key, as spans of the certificate that carries it.
 * alg: 1 EC P-256, 2 EC P-384, 3 Ed25519, 4 RSA, 0 unsupported. */
typedef struct {
    mamori_x509_span_t key;          /* EC point, Ed25519 key or RSAPublicKey DER */
    mamori_x509_span_t rsa_n, rsa_e; /* RSA modulus and exponent magnitudes */
    uint8_t alg;
} mamori_x509_key_t;

/* A parsed certificate: spans of its DER (der[span.off..span.off+span.len)),
 * which limits certificates to 65535 bytes. Name fields hold the whole Name
 * element; san/nc_* hold the content of the GeneralNames or GeneralSubtrees
 * sequence (length 0 when absent); ski/aki the key identifier octets (with
 * F_SKI / F_AKI telling whether they are present). */
typedef struct {
    /* Small fields first: Thumb-2 reaches them with 16-bit instructions. */
    uint16_t flags;     /* MAMORI_X509_F_* */
    uint16_t key_usage; /* MAMORI_X509_KU_* when F_KU */
    uint16_t der_len;
    uint8_t version;    /* 1, 2 or 3 */
    uint8_t path_len;   /* when F_PATHLEN (values above 255 read as 255) */
    uint8_t sig_type;   /* MAMORI_X509_SIG_* */
    uint8_t sig_hash;   /* mamori_hash_id_t */
    uint8_t pss_salt;   /* RSA-PSS salt length */
    mamori_x509_key_t key;
    mamori_x509_span_t tbs, sig_alg, sig, serial, issuer, subject;
    mamori_x509_span_t san, nc_permitted, nc_excluded, ski, aki;
    const uint8_t *der;
    int64_t not_before, not_after; /* Unix seconds */
} mamori_x509_t;

/* Parses one DER certificate (exactly len bytes, at most 65535). Returns 0
 * or MAMORI_ERR_CERT_MALFORMED. A well-formed certificate with an unsupported
 * signature or key algorithm, or an unknown critical extension, parses
 * (sig_type 0, key.alg 0, F_UNKNOWN_CRIT): path validation refuses it only
 * if it is needed. */
int mamori_x509_parse(mamori_x509_t *c, const uint8_t *der, size_t len);

/* RFC 9525 6.3: 0 if a subjectAltName dNSName matches name (a NUL-terminated
 * DNS name, one trailing dot allowed), else MAMORI_ERR_CERT_NAME_MISMATCH
 * (MAMORI_ERR_INVAL for a name that is not a valid host name). Matching
 * ignores ASCII case; "*" matches exactly one label and only as the whole
 * left-most label of a name with at least three labels. The commonName is
 * used only with MAMORI_X509_CN_FALLBACK and no subjectAltName. */
int mamori_x509_check_host(const mamori_x509_t *c, const char *name);
/* 0 if a subjectAltName iPAddress equals ip (4 or 16 bytes) byte for byte. */
int mamori_x509_check_ip(const mamori_x509_t *c, const uint8_t *ip, size_t len);

/* A trust anchor: the parsed view of a trusted certificate, which must stay
 * in memory, with MAMORI_X509_F_ANCHOR_CA when it may issue. */
typedef mamori_x509_t mamori_x509_anchor_t;

typedef struct {
    mamori_x509_anchor_t *anchors; /* caller's array */
    size_t count, cap;
} mamori_x509_store_t;

void mamori_x509_store_init(mamori_x509_store_t *s, mamori_x509_anchor_t *anchors, size_t cap);
/* Adds one DER certificate as an anchor. MAMORI_ERR_NOMEM when full,
 * MAMORI_ERR_CERT_MALFORMED, MAMORI_ERR_CERT_UNSUPPORTED_ALG (key),
 * MAMORI_ERR_CERT_CONSTRAINT (unknown critical extension). */
int mamori_x509_store_add_der(mamori_x509_store_t *s, const uint8_t *der, size_t len);
/* Decodes every "CERTIFICATE" block of a PEM text into buf (capacity cap;
 * the anchors point into it) and adds each. Returns the number added (> 0),
 * MAMORI_ERR_NOTFOUND when there is none, MAMORI_ERR_BUFSIZE, or an error of
 * mamori_pem_decode / mamori_x509_store_add_der. *used: bytes of buf used. */
int mamori_x509_store_add_pem(mamori_x509_store_t *s, const char *pem, size_t len, uint8_t *buf,
                              size_t cap, size_t *used);

/* Purposes: RFC 5280 4.2.1.12 key purposes. */
enum {
    MAMORI_X509_PURPOSE_ANY = 0,
    MAMORI_X509_PURPOSE_SERVER, /* id-kp-serverAuth: a TLS server's chain */
    MAMORI_X509_PURPOSE_CLIENT, /* id-kp-clientAuth: a TLS client's chain */
};

typedef struct {
    /* Current time in Unix seconds from a trusted clock; 0 (or less) means
     * no trusted time: validation fails with MAMORI_ERR_CERT_NO_TIME unless
     * allow_no_time is set, which skips validity checks (an explicit,
     * weaker policy for devices that have not synchronised yet). */
    int64_t now;
    int allow_no_time;
    int purpose;          /* MAMORI_X509_PURPOSE_* */
    unsigned max_depth;   /* certificates below the anchor; 0: MAMORI_X509_MAX_DEPTH */
    const char *hostname; /* checked against the leaf when not NULL */
    const uint8_t *ip;    /* checked against the leaf when not NULL */
    size_t ip_len;
} mamori_x509_verify_opts_t;

/* Validates certs[0] (the leaf) up to an anchor of store through any of
 * certs[1..n) (any order; unneeded ones are ignored), RFC 5280 6.1: every
 * signature, every validity period (anchors' too), CA flag and keyCertSign
 * on issuers, pathLenConstraint, name constraints (dNSName and iPAddress;
 * other constrained forms fail closed), extended key usage for the purpose
 * on every certificate that has the extension (as OpenSSL does), and the
 * leaf's keyUsage digitalSignature. A leaf identical to an anchor is trusted
 * directly. Alternative paths are tried when one fails (RFC 4158 style
 * backtracking). The leaf must parse (else MAMORI_ERR_CERT_MALFORMED); other
 * certificates that do not parse are ignored like any unneeded extra. Returns 0 or the
 * reason of the first complete path that failed, else the best reason why
 * no path was found. opts NULL acts as all zero. */
int mamori_x509_verify_chain(const mamori_x509_store_t *store, const uint8_t *const *certs,
                             const size_t *lens, size_t n, const mamori_x509_verify_opts_t *opts);

#endif
