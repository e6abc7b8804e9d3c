/* TLS 1.3 engine core: record I/O through caller buffers, handshake message
 * reassembly and fragmentation, alerts, application data (RFC 8446 §5, §6).
 * Role-specific handshake logic lives in client.c and server.c. */
#include <string.h>

#include "mamori/ct.h"
#include "mamori/error.h"
#include "tls/tls_internal.h"

static void pump(mamori_tls_t *t);

size_t tls_hash_len(const mamori_tls_t *t)
{
    return mamori_hash_len(mamori_tls_suite_hash(t->suite));
}

static const uint16_t default_suites[] = {MAMORI_TLS_AES_128_GCM_SHA256,
#if MAMORI_CHACHAPOLY
                                          MAMORI_TLS_CHACHA20_POLY1305_SHA256,
#endif
#if MAMORI_SHA512
                                          MAMORI_TLS_AES_256_GCM_SHA384,
#endif
                                          0};
static const uint16_t default_groups[] = {
#if MAMORI_X25519
    MAMORI_TLS_GROUP_X25519,
#endif
#if MAMORI_P256
    MAMORI_TLS_GROUP_SECP256R1,
#endif
    0};

const uint16_t *tls_suites(const mamori_tls_t *t)
{
    return t->cfg->suites ? t->cfg->suites : default_suites;
}

const uint16_t *tls_groups(const mamori_tls_t *t)
{
    return t->cfg->groups ? t->cfg->groups : default_groups;
}

/* Content bytes a record may carry now: our buffer and the peer's limit. */
static size_t tx_room(const mamori_tls_t *t)
{
    size_t free_bytes = t->tx_cap - t->tx_len;
    size_t n;
    if (free_bytes <= MAMORI_TLS_RECORD_OVERHEAD)
        return 0;
    n = free_bytes - MAMORI_TLS_RECORD_OVERHEAD;
    return n < t->out_limit ? n : t->out_limit;
}

static void put_alert(mamori_tls_t *t, uint8_t level, uint8_t desc)
{
    uint8_t *rec = t->tx + t->tx_len;
    int n;
    if (t->tx_cap - t->tx_len < MAMORI_TLS_RECORD_OVERHEAD + 2)
        return;
    rec[MAMORI_TLS_RECORD_HEADER] = level;
    rec[MAMORI_TLS_RECORD_HEADER + 1] = desc;
    n = mamori_tls_seal(&t->wr, TLS_CT_ALERT, rec, t->tx_cap - t->tx_len, 2, 0);
    if (n > 0)
        t->tx_len += (size_t)n;
}

int tls_fail(mamori_tls_t *t, int alert, int err)
{
    if (t->state == MAMORI_TLS_ST_FAILED)
        return t->err;
    t->state = MAMORI_TLS_ST_FAILED;
    t->err = err;
    t->out_steps = 0;
    t->hs_out = 0;
    t->hs_len = 0;
    if (alert >= 0) {
        t->alert = (int8_t)alert;
        t->alert_sent = 1;
        /* §6.2: every alert but close_notify and user_canceled is fatal. */
        put_alert(t, 2, (uint8_t)alert);
    }
    mamori_zeroize(t->secret, sizeof t->secret);
    mamori_zeroize(t->c_secret, sizeof t->c_secret);
    mamori_zeroize(t->s_secret, sizeof t->s_secret);
    mamori_zeroize(t->eph_priv, sizeof t->eph_priv);
    mamori_tls_dir_wipe(&t->rd);
    return err;
}

void tls_th_add(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    mamori_tls_th_update(&t->th, msg, len);
}

void tls_out_begin(mamori_tls_t *t, mamori_wr_t *wr, uint8_t type)
{
    mamori_wr_init(wr, t->hs,
                   t->hs_cap < MAMORI_TLS_MAX_HANDSHAKE + TLS_HS_HEADER
                       ? t->hs_cap
                       : MAMORI_TLS_MAX_HANDSHAKE + TLS_HS_HEADER);
    mamori_wr_u8(wr, type);
    mamori_wr_be24(wr, 0);
}

int tls_out_end(mamori_tls_t *t, mamori_wr_t *wr, uint8_t after)
{
    if (!mamori_wr_ok(wr))
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, MAMORI_ERR_BUFSIZE);
    tls_wr_close(wr, 1, 3);
    t->hs_len = wr->pos;
    t->hs_out_pos = 0;
    t->hs_out = 1;
    t->hs_out_after = after;
    tls_th_add(t, t->hs, t->hs_len);
    return 0;
}

int tls_set_read(mamori_tls_t *t, const uint8_t *secret)
{
    int err = mamori_tls_dir_set(&t->rd, t->suite, secret);
    return err ? tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err) : 0;
}

int tls_set_write(mamori_tls_t *t, const uint8_t *secret)
{
    int err = mamori_tls_dir_set(&t->wr, t->suite, secret);
    return err ? tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err) : 0;
}

static uint8_t *my_secret(mamori_tls_t *t) { return t->cfg->is_server ? t->s_secret : t->c_secret; }

static uint8_t *peer_secret(mamori_tls_t *t)
{
    return t->cfg->is_server ? t->c_secret : t->s_secret;
}

/* Runs when an outgoing message has gone into records. */
static int after_output(mamori_tls_t *t)
{
    int err = 0;
    switch (t->hs_out_after) {
    case TLS_AFTER_WR_HANDSHAKE:
        err = tls_set_write(t, my_secret(t));
        break;
    case TLS_AFTER_WR_APP:
        err = tls_set_write(t, my_secret(t));
        if (err == 0 && t->state == MAMORI_TLS_ST_HANDSHAKE && !t->cfg->is_server)
            t->state = MAMORI_TLS_ST_OPEN;
        break;
    case TLS_AFTER_WR_UPDATE:
        /* §4.6.3/§7.2: the next application traffic secret. */
        err = mamori_tls_next_traffic_secret(mamori_tls_suite_hash(t->suite), my_secret(t));
        if (err == 0)
            err = tls_set_write(t, my_secret(t));
        break;
    default:
        break;
    }
    t->hs_out_after = TLS_AFTER_NONE;
    return err;
}

/* Moves as much of the pending handshake message as fits into records. */
static bool flush_hs(mamori_tls_t *t)
{
    while (t->hs_out && t->state != MAMORI_TLS_ST_FAILED) {
        size_t room = tx_room(t), n = t->hs_len - t->hs_out_pos;
        int rec;
        if (room == 0)
            return false;
        if (n > room)
            n = room;
        memcpy(t->tx + t->tx_len + MAMORI_TLS_RECORD_HEADER, t->hs + t->hs_out_pos, n);
        rec = mamori_tls_seal(&t->wr, TLS_CT_HANDSHAKE, t->tx + t->tx_len, t->tx_cap - t->tx_len, n,
                              0);
        if (rec < 0) {
            tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, rec);
            return false;
        }
        t->tx_len += (size_t)rec;
        t->hs_out_pos += n;
        if (t->hs_out_pos == t->hs_len) {
            t->hs_out = 0;
            t->hs_len = 0;
            if (after_output(t) != 0)
                return false;
        }
    }
    return true;
}

/* §D.4: the compatibility change_cipher_spec, always a plaintext record. */
static bool put_ccs(mamori_tls_t *t)
{
    if (t->tx_cap - t->tx_len < MAMORI_TLS_RECORD_HEADER + 1)
        return false;
    memcpy(t->tx + t->tx_len, "\x14\x03\x03\x00\x01\x01", 6);
    t->tx_len += 6;
    t->flags |= TLS_F_CCS_SENT;
    return true;
}

/* Produces the next queued output message, if any. */
static bool next_output(mamori_tls_t *t)
{
    uint16_t step;
    int err;
    if (t->out_steps == 0 || t->state == MAMORI_TLS_ST_FAILED)
        return false;
    step = (uint16_t)(t->out_steps & (0u - t->out_steps)); /* lowest bit first */
    if (step == TLS_OUT_CCS) {
        if (!put_ccs(t))
            return false;
        t->out_steps &= (uint16_t)~step;
        return true;
    }
    t->out_steps &= (uint16_t)~step;
    if (step == TLS_OUT_KEY_UPDATE)
        err = tls_output_key_update(t);
    else
        err = TLS_IS_SERVER(t) ? tls_server_output(t, step) : tls_client_output(t, step);
    return err == 0;
}

/* ---- incoming ----------------------------------------------------------- */

static void rx_consume_record(mamori_tls_t *t)
{
    memmove(t->rx, t->rx + t->rx_rec_len, t->rx_len - t->rx_rec_len);
    t->rx_len -= t->rx_rec_len;
    t->rx_rec_len = 0;
    t->rx_left = 0;
}

static int handle_alert(mamori_tls_t *t, const uint8_t *p, size_t n)
{
    if (n != 2)
        return tls_fail(t, MAMORI_TLS_ALERT_DECODE_ERROR, MAMORI_ERR_TLS_PROTOCOL);
    t->alert = (int8_t)p[1];
    t->alert_sent = 0;
    if (p[1] == MAMORI_TLS_ALERT_CLOSE_NOTIFY) {
        t->peer_closed = 1;
        if (t->state == MAMORI_TLS_ST_HANDSHAKE) {
            t->state = MAMORI_TLS_ST_FAILED;
            t->err = MAMORI_ERR_TLS_CLOSED;
        }
        return 0;
    }
    if (p[1] == MAMORI_TLS_ALERT_USER_CANCELED)
        return 0; /* §6.1: a close_notify should follow */
    t->state = MAMORI_TLS_ST_FAILED;
    t->err = MAMORI_ERR_TLS_ALERT;
    return t->err;
}

static bool any_post_handshake(const mamori_tls_t *t)
{
    return t->state == MAMORI_TLS_ST_OPEN || t->state == MAMORI_TLS_ST_CLOSED;
}

static bool ccs_allowed(const mamori_tls_t *t)
{
    /* The server's first state (0) waits for the first ClientHello. */
    return t->state == MAMORI_TLS_ST_HANDSHAKE && !t->ccs_seen &&
           (!t->cfg->is_server || t->hs_state != 0);
}

static int handle_message(mamori_tls_t *t, uint8_t type, const uint8_t *msg, size_t len)
{
    if (any_post_handshake(t) && type == TLS_HS_KEY_UPDATE)
        return tls_handle_key_update(t, msg + TLS_HS_HEADER, len - TLS_HS_HEADER);
    return TLS_IS_SERVER(t) ? tls_server_handle(t, type, msg, len)
                             : tls_client_handle(t, type, msg, len);
}

/* Feeds handshake bytes of the current record into reassembly; handles
 * complete messages. Stops early when a message queued output. */
static int rx_handshake(mamori_tls_t *t)
{
    const mamori_tls_dir_t before = t->rd;
    while (t->rx_left > 0 && !t->hs_out && t->out_steps == 0) {
        size_t want, n;
        if (t->hs_len < TLS_HS_HEADER) {
            want = TLS_HS_HEADER - t->hs_len;
        } else {
            want = t->hs_need - t->hs_len;
        }
        n = t->rx_left < want ? t->rx_left : want;
        memcpy(t->hs + t->hs_len, t->rx + t->rx_pos, n);
        t->hs_len += n;
        t->rx_pos += n;
        t->rx_left -= n;
        if (t->hs_len == TLS_HS_HEADER) {
            size_t body = ((size_t)t->hs[1] << 16) | ((size_t)t->hs[2] << 8) | t->hs[3];
            if (body > MAMORI_TLS_MAX_HANDSHAKE || body + TLS_HS_HEADER > t->hs_cap)
                return tls_fail(t, MAMORI_TLS_ALERT_HANDSHAKE_FAILURE, MAMORI_ERR_LIMIT);
            t->hs_need = TLS_HS_HEADER + body;
        }
        if (t->hs_len >= TLS_HS_HEADER && t->hs_len == t->hs_need) {
            size_t len = t->hs_len;
            int err;
            t->hs_len = 0;
            err = handle_message(t, t->hs[0], t->hs, len);
            if (err)
                return err;
            /* §5.1: a key change must fall on a record boundary. */
            if (t->rx_left > 0 && memcmp(&before, &t->rd, sizeof before) != 0)
                return tls_fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE, MAMORI_ERR_TLS_PROTOCOL);
        }
    }
    return 0;
}

/* Processes received records until one needs the application or the
 * output to drain. Returns false when nothing more can be done now. */
static bool rx_step(mamori_tls_t *t)
{
    int alert = -1, len, err;
    uint8_t type;

    if (t->state == MAMORI_TLS_ST_FAILED || t->hs_out || t->out_steps)
        return false;
    if (t->rx_left > 0) {
        if (t->rx_type == TLS_CT_APPDATA)
            return false; /* waits for mamori_tls_read() */
        rx_handshake(t);
        return t->state != MAMORI_TLS_ST_FAILED;
    }
    if (t->rx_rec_len)
        rx_consume_record(t);
    if (t->peer_closed)
        return false;
    len = mamori_tls_record_len(t->rx, t->rx_len, t->in_limit, &alert);
    if (len < 0) {
        tls_fail(t, alert, len);
        return false;
    }
    if (len == 0 || (size_t)len > t->rx_len) {
        if ((size_t)len > t->rx_cap)
            tls_fail(t, MAMORI_TLS_ALERT_RECORD_OVERFLOW, MAMORI_ERR_TLS_PROTOCOL);
        return false;
    }
    t->rx_rec_len = (size_t)len;
    err = mamori_tls_open(&t->rd, t->rx, (size_t)len, t->in_limit, &type, &t->rx_pos, &t->rx_left,
                          &alert);
    /* §4.2.10: a server that declined 0-RTT drops records it cannot
     * decrypt (bounded), until one decrypts. */
    if (err == MAMORI_ERR_AUTH && (t->flags & TLS_F_SKIP_EARLY) &&
        t->early_skipped + (size_t)len <= TLS_MAX_EARLY_SKIP) {
        t->early_skipped += (uint32_t)len;
        t->rx_left = 0;
        return true;
    }
    if (err == 0 && t->rd.suite)
        t->flags &= (uint8_t)~TLS_F_SKIP_EARLY;
    if (err) {
        tls_fail(t, alert, err);
        return false;
    }
    t->rx_type = type;
    switch (type) {
    case TLS_CT_CCS:
        /* §5: one change_cipher_spec of value 1, unprotected, between the
         * first ClientHello and the peer's Finished. */
        if (t->rx_left != 1 || t->rx[t->rx_pos] != 1 || !ccs_allowed(t)) {
            tls_fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE, MAMORI_ERR_TLS_PROTOCOL);
            return false;
        }
        t->ccs_seen = 1;
        t->rx_left = 0;
        return true;
    case TLS_CT_ALERT:
        handle_alert(t, t->rx + t->rx_pos, t->rx_left);
        t->rx_left = 0;
        return t->state != MAMORI_TLS_ST_FAILED;
    case TLS_CT_HANDSHAKE:
        /* §5.1: no zero-length handshake fragments. */
        if (t->rx_left == 0) {
            tls_fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE, MAMORI_ERR_TLS_PROTOCOL);
            return false;
        }
        rx_handshake(t);
        return t->state != MAMORI_TLS_ST_FAILED;
    case TLS_CT_APPDATA:
        /* Only after the handshake; a handshake message must not be split
         * around it (§5.1). */
        /* §4.2.10: after HelloRetryRequest, 0-RTT records arrive while
         * reading in plaintext; they are skipped the same way. */
        if ((t->flags & TLS_F_SKIP_EARLY) && t->rd.suite == 0 &&
            t->early_skipped + t->rx_rec_len <= TLS_MAX_EARLY_SKIP) {
            t->early_skipped += (uint32_t)t->rx_rec_len;
            t->rx_left = 0;
            return true;
        }
        if (!any_post_handshake(t) || t->hs_len != 0) {
            tls_fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE, MAMORI_ERR_TLS_PROTOCOL);
            return false;
        }
        return t->rx_left == 0; /* empty records are allowed and skipped */
    default:
        tls_fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE, MAMORI_ERR_TLS_PROTOCOL);
        return false;
    }
}

static void pump(mamori_tls_t *t)
{
    for (;;) {
        if (t->state == MAMORI_TLS_ST_FAILED)
            return;
        if (t->hs_out) {
            if (!flush_hs(t))
                return;
            continue;
        }
        if (t->out_steps) {
            if (!next_output(t))
                return;
            continue;
        }
        if (t->state == MAMORI_TLS_ST_OPEN && mamori_tls_dir_rekey_due(&t->wr)) {
            t->out_steps |= TLS_OUT_KEY_UPDATE;
            t->key_update_request = 0;
            continue;
        }
        if (!rx_step(t))
            return;
    }
}

/* ---- public API ----------------------------------------------------------- */

int mamori_tls_init(mamori_tls_t *t, const mamori_tls_config_t *cfg, uint8_t *rx, size_t rx_cap,
                    uint8_t *tx, size_t tx_cap, uint8_t *hs, size_t hs_cap)
{
    size_t in_max;
    int err;

    memset(t, 0, sizeof *t);
    t->alert = MAMORI_TLS_ALERT_NONE;
    if (!cfg || !cfg->rng || !rx || !tx || !hs || rx_cap < MAMORI_TLS_RECORD_BUF(64) ||
        tx_cap < MAMORI_TLS_RECORD_OVERHEAD + 64 || hs_cap < 512)
        return MAMORI_ERR_INVAL;
    t->cfg = cfg;
    t->rx = rx, t->rx_cap = rx_cap;
    t->tx = tx, t->tx_cap = tx_cap;
    t->hs = hs, t->hs_cap = hs_cap;
    /* The largest content our receive buffer holds (RFC 8449 limit - 1). */
    in_max = rx_cap >= MAMORI_TLS_RECORD_BUF(MAMORI_TLS_MAX_PLAINTEXT)
                 ? MAMORI_TLS_MAX_PLAINTEXT
                 : rx_cap - MAMORI_TLS_RECORD_OVERHEAD;
    if (cfg->record_size_limit >= 64 && (size_t)cfg->record_size_limit - 1 < in_max)
        in_max = (size_t)cfg->record_size_limit - 1;
    t->in_limit = (uint16_t)in_max;
    t->out_limit = MAMORI_TLS_MAX_PLAINTEXT;
    t->state = MAMORI_TLS_ST_HANDSHAKE;
    mamori_tls_th_init(&t->th);
    if (cfg->is_server && !MAMORI_TLS_SERVER)
        return MAMORI_ERR_UNSUPPORTED;
    err = TLS_IS_SERVER(t) ? tls_server_start(t) : tls_client_start(t);
    if (err)
        return err;
    pump(t);
    return t->state == MAMORI_TLS_ST_FAILED ? t->err : 0;
}

const uint8_t *mamori_tls_send_buf(mamori_tls_t *t, size_t *len)
{
    *len = t->tx_len - t->tx_head;
    return t->tx + t->tx_head;
}

void mamori_tls_send_done(mamori_tls_t *t, size_t n)
{
    if (n > t->tx_len - t->tx_head)
        n = t->tx_len - t->tx_head;
    t->tx_head += n;
    if (t->tx_head == t->tx_len) {
        t->tx_head = t->tx_len = 0;
    } else if (t->tx_head > 0) {
        memmove(t->tx, t->tx + t->tx_head, t->tx_len - t->tx_head);
        t->tx_len -= t->tx_head;
        t->tx_head = 0;
    }
    pump(t);
}

uint8_t *mamori_tls_recv_buf(mamori_tls_t *t, size_t *len)
{
    *len = 0;
    if (t->state == MAMORI_TLS_ST_FAILED || t->peer_closed)
        return t->rx;
    *len = t->rx_cap - t->rx_len;
    return t->rx + t->rx_len;
}

int mamori_tls_recv_done(mamori_tls_t *t, size_t n)
{
    if (t->state == MAMORI_TLS_ST_FAILED)
        return t->err;
    if (n == 0) {
        /* §6.1: end of stream without close_notify is a truncation. */
        if (!t->peer_closed)
            return tls_fail(t, -1,
                            t->state == MAMORI_TLS_ST_HANDSHAKE ? MAMORI_ERR_TLS_HANDSHAKE
                                                                : MAMORI_ERR_CLOSED);
        return 0;
    }
    if (n > t->rx_cap - t->rx_len)
        return MAMORI_ERR_INVAL;
    t->rx_len += n;
    pump(t);
    return t->state == MAMORI_TLS_ST_FAILED ? t->err : 0;
}

int mamori_tls_read(mamori_tls_t *t, void *buf, size_t len)
{
    size_t n;
    if (t->state == MAMORI_TLS_ST_FAILED)
        return t->err;
    if (t->rx_left == 0 || t->rx_type != TLS_CT_APPDATA) {
        pump(t);
        if (t->state == MAMORI_TLS_ST_FAILED)
            return t->err;
        if (t->rx_left == 0 || t->rx_type != TLS_CT_APPDATA)
            return t->peer_closed ? MAMORI_ERR_TLS_CLOSED : MAMORI_ERR_WOULDBLOCK;
    }
    n = t->rx_left < len ? t->rx_left : len;
    if (n > 0x7fffffff)
        n = 0x7fffffff;
    memcpy(buf, t->rx + t->rx_pos, n);
    t->rx_pos += n;
    t->rx_left -= n;
    if (t->rx_left == 0)
        pump(t);
    return (int)n;
}

int mamori_tls_write(mamori_tls_t *t, const void *buf, size_t len)
{
    size_t n;
    int rec;
    if (t->state == MAMORI_TLS_ST_FAILED)
        return t->err;
    if (t->state == MAMORI_TLS_ST_CLOSED)
        return MAMORI_ERR_TLS_CLOSED;
    pump(t);
    if (t->state != MAMORI_TLS_ST_OPEN || t->hs_out || t->out_steps)
        return MAMORI_ERR_WOULDBLOCK;
    n = tx_room(t);
    if (n == 0)
        return MAMORI_ERR_WOULDBLOCK;
    if (n > len)
        n = len;
    memcpy(t->tx + t->tx_len + MAMORI_TLS_RECORD_HEADER, buf, n);
    rec = mamori_tls_seal(&t->wr, TLS_CT_APPDATA, t->tx + t->tx_len, t->tx_cap - t->tx_len, n, 0);
    if (rec < 0)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, rec);
    t->tx_len += (size_t)rec;
    return (int)n;
}

int mamori_tls_close(mamori_tls_t *t)
{
    if (t->state == MAMORI_TLS_ST_FAILED)
        return t->err;
    if (t->state == MAMORI_TLS_ST_CLOSED)
        return 0;
    if (t->hs_out || t->tx_cap - t->tx_len < MAMORI_TLS_RECORD_OVERHEAD + 2)
        return MAMORI_ERR_WOULDBLOCK;
    put_alert(t, 1, MAMORI_TLS_ALERT_CLOSE_NOTIFY);
    t->alert = MAMORI_TLS_ALERT_CLOSE_NOTIFY;
    t->alert_sent = 1;
    t->state = MAMORI_TLS_ST_CLOSED;
    t->out_steps = 0;
    return 0;
}

int mamori_tls_key_update(mamori_tls_t *t, int request_peer)
{
    if (t->state != MAMORI_TLS_ST_OPEN)
        return MAMORI_ERR_STATE;
    t->out_steps |= TLS_OUT_KEY_UPDATE;
    t->key_update_request = request_peer ? 1 : 0;
    pump(t);
    return t->state == MAMORI_TLS_ST_FAILED ? t->err : 0;
}

int tls_handle_key_update(mamori_tls_t *t, const uint8_t *body, size_t len)
{
    bool requested;
    int a = tls_parse_key_update(body, len, &requested), err;
    if (a)
        return tls_fail(t, a, MAMORI_ERR_TLS_PROTOCOL);
    /* §4.6.3: the peer's next traffic secret; answer if asked (once). */
    err = mamori_tls_next_traffic_secret(mamori_tls_suite_hash(t->suite), peer_secret(t));
    if (err == 0)
        err = tls_set_read(t, peer_secret(t));
    if (err)
        return err;
    /* After our close_notify nothing more is sent (§6.1). */
    if (requested && t->state == MAMORI_TLS_ST_OPEN && !(t->out_steps & TLS_OUT_KEY_UPDATE)) {
        t->out_steps |= TLS_OUT_KEY_UPDATE;
        t->key_update_request = 0;
    }
    return 0;
}

int tls_output_key_update(mamori_tls_t *t)
{
    mamori_wr_t wr;
    tls_out_begin(t, &wr, TLS_HS_KEY_UPDATE);
    mamori_wr_u8(&wr, t->key_update_request);
    return tls_out_end(t, &wr, TLS_AFTER_WR_UPDATE);
}

int mamori_tls_tick(mamori_tls_t *t, uint32_t now_ms)
{
    t->now_ms = now_ms;
    if (t->state != MAMORI_TLS_ST_HANDSHAKE)
        return t->state == MAMORI_TLS_ST_FAILED ? t->err : 0;
    if (!t->clock_started) {
        t->clock_started = 1;
        t->start_ms = now_ms;
        return 0;
    }
    if ((uint32_t)(now_ms - t->start_ms) > MAMORI_TLS_HANDSHAKE_TIMEOUT_MS)
        return tls_fail(t, MAMORI_TLS_ALERT_USER_CANCELED, MAMORI_ERR_TIMEOUT);
    return 0;
}

mamori_tls_state_t mamori_tls_state(const mamori_tls_t *t) { return (mamori_tls_state_t)t->state; }

int mamori_tls_last_alert(const mamori_tls_t *t, int *sent_by_us)
{
    if (sent_by_us)
        *sent_by_us = t->alert_sent;
    return t->alert;
}

uint16_t mamori_tls_suite(const mamori_tls_t *t) { return t->suite; }
uint16_t mamori_tls_group(const mamori_tls_t *t) { return t->group; }
uint16_t mamori_tls_sig_scheme(const mamori_tls_t *t)
{
#if MAMORI_TLS_CERT
    return t->sig_scheme;
#else
    (void)t;
    return 0;
#endif
}

const char *mamori_tls_alpn(const mamori_tls_t *t)
{
#if MAMORI_TLS_ALPN
    return t->alpn;
#else
    (void)t;
    return "";
#endif
}

void mamori_tls_wipe(mamori_tls_t *t)
{
    mamori_tls_dir_wipe(&t->rd);
    mamori_tls_dir_wipe(&t->wr);
    mamori_zeroize(t->secret, sizeof t->secret);
    mamori_zeroize(t->c_secret, sizeof t->c_secret);
    mamori_zeroize(t->s_secret, sizeof t->s_secret);
    mamori_zeroize(t->eph_priv, sizeof t->eph_priv);
    mamori_zeroize(&t->th, sizeof t->th);
    if (t->hs)
        mamori_zeroize(t->hs, t->hs_cap);
}
