/* TLS over a mamori TCP connection: the engine's record buffers are pumped
 * to and from the connection's rings from its callbacks (include/mamori/tls.h). */
#include <string.h>

#include "mamori/error.h"
#include "mamori/stack.h"
#include "mamori/tls.h"

enum {
    F_STARTED = 1u << 0,   /* TCP established: bytes flow */
    F_OPEN_SENT = 1u << 1, /* MAMORI_TLS_EV_OPEN delivered */
    F_WANT_WRITE = 1u << 2,
    F_CLOSING = 1u << 3, /* the application closed */
    F_SHUT = 1u << 4,    /* our FIN is queued */
    F_EOF = 1u << 5,     /* the peer's FIN was read */
    F_DONE = 1u << 6,    /* final event delivered or due; TCP handed back */
    F_EOF_FED = 1u << 7, /* the engine was told about the end of stream */
};

/* Delivers ev; returns false when the application ended the session in it. */
static bool emit(mamori_tls_tcp_t *s, mamori_tls_event_t ev, int err)
{
    if (s->cb)
        s->cb(s, ev, err, s->user);
    return !(s->flags & F_DONE);
}

/* Ends the session on a fatal error: the queued alert goes out before the
 * TCP close, which the stack finishes on its own. */
static void fail(mamori_tls_tcp_t *s, int err, bool notify)
{
    if (s->flags & F_DONE)
        return;
    s->flags |= F_DONE;
    s->err = err;
    mamori_tcp_set_callback(s->tcp, NULL, NULL);
    if (mamori_tcp_state(s->tcp) != MAMORI_TCP_CLOSED)
        mamori_tcp_close(s->tcp);
    mamori_tls_wipe(&s->tls);
    if (notify)
        emit(s, MAMORI_TLS_EV_ERROR, err);
}

/* After close: drops what still arrives so the TCP close stays graceful. */
static bool discard(mamori_tls_tcp_t *s)
{
    uint8_t scratch[128];
    int r = mamori_tls_read(&s->tls, scratch, sizeof scratch);
    if (r > 0)
        return true;
    if (r != MAMORI_ERR_TLS_CLOSED)
        return false;
    r = mamori_tcp_recv(s->tcp, scratch, sizeof scratch);
    if (r == 0)
        s->flags |= F_EOF;
    return r >= 0;
}

/* Moves bytes until neither direction progresses, then reports. */
static void pump(mamori_tls_tcp_t *s, bool notify)
{
    bool fed = false, progress = true;
    size_t n;
    int r;

    if (!(s->flags & F_STARTED) || (s->flags & F_DONE))
        return;
    if (mamori_tls_state(&s->tls) == MAMORI_TLS_ST_HANDSHAKE)
        mamori_tls_tick(&s->tls, s->tcp->stack->now);
    while (progress) {
        const uint8_t *out;
        uint8_t *in;
        /* A close_notify that found the output busy goes out once it drains. */
        if ((s->flags & F_CLOSING) && mamori_tls_state(&s->tls) < MAMORI_TLS_ST_CLOSED)
            mamori_tls_close(&s->tls);
        out = mamori_tls_send_buf(&s->tls, &n);
        progress = false;
        if (n) {
            r = mamori_tcp_send(s->tcp, out, n);
            if (r > 0) {
                mamori_tls_send_done(&s->tls, (size_t)r);
                progress = true;
            } else if (r != MAMORI_ERR_WOULDBLOCK) {
                fail(s, r, notify);
                return;
            }
        }
        if (s->flags & F_EOF)
            continue;
        in = mamori_tls_recv_buf(&s->tls, &n);
        if (n == 0) {
            if ((s->flags & F_CLOSING) && discard(s))
                progress = true;
            continue;
        }
        r = mamori_tcp_recv(s->tcp, in, n);
        if (r > 0) {
            mamori_tls_recv_done(&s->tls, (size_t)r);
            progress = fed = true;
        } else if (r == 0) {
            s->flags |= F_EOF;
            progress = fed = true;
        } else if (r != MAMORI_ERR_WOULDBLOCK) {
            fail(s, r, notify);
            return;
        }
    }

    /* The end of stream counts once the engine has taken every record before
     * it (a close_notify may still wait behind unread data): then it is
     * either expected or a truncation (§6.1). */
    if ((s->flags & F_EOF) && !(s->flags & F_EOF_FED) && s->tls.rx_left == 0 &&
        (mamori_tls_send_buf(&s->tls, &n), n == 0)) {
        s->flags |= F_EOF_FED;
        mamori_tls_recv_done(&s->tls, 0);
    }
    if (mamori_tls_state(&s->tls) == MAMORI_TLS_ST_FAILED) {
        fail(s, s->tls.err ? s->tls.err : MAMORI_ERR_TLS_PROTOCOL, notify);
        return;
    }
    if ((s->flags & F_CLOSING) && !(s->flags & F_SHUT) && (mamori_tls_send_buf(&s->tls, &n), n == 0)) {
        mamori_tcp_shutdown(s->tcp);
        s->flags |= F_SHUT;
    }
    if ((s->flags & (F_SHUT | F_EOF)) == (F_SHUT | F_EOF)) {
        /* Both sides are done: the stack ends TCP and reports EV_CLOSED. */
        mamori_tcp_close(s->tcp);
        if (mamori_tcp_state(s->tcp) == MAMORI_TCP_CLOSED && !(s->flags & F_DONE)) {
            s->flags |= F_DONE;
            mamori_tls_wipe(&s->tls);
            if (notify)
                emit(s, MAMORI_TLS_EV_CLOSED, 0);
        }
        return;
    }
    if (!notify || (s->flags & F_CLOSING))
        return;
    if (!(s->flags & F_OPEN_SENT) && mamori_tls_state(&s->tls) != MAMORI_TLS_ST_HANDSHAKE) {
        s->flags |= F_OPEN_SENT;
        if (!emit(s, MAMORI_TLS_EV_OPEN, 0))
            return;
        fed = true; /* data may have come with the last flight */
    }
    if (fed && (s->flags & F_OPEN_SENT) && !emit(s, MAMORI_TLS_EV_READABLE, 0))
        return;
    if ((s->flags & F_WANT_WRITE) && (s->flags & F_OPEN_SENT) &&
        (mamori_tls_send_buf(&s->tls, &n), n == 0)) {
        s->flags &= (uint8_t)~F_WANT_WRITE;
        emit(s, MAMORI_TLS_EV_WRITABLE, 0);
    }
}

static void on_tcp(mamori_tcp_t *c, mamori_tcp_event_t ev, int err, void *user)
{
    mamori_tls_tcp_t *s = user;
    (void)c;
    switch (ev) {
    case MAMORI_TCP_EV_CONNECTED:
        s->flags |= F_STARTED;
        pump(s, true);
        break;
    case MAMORI_TCP_EV_READABLE:
    case MAMORI_TCP_EV_WRITABLE:
        pump(s, true);
        break;
    case MAMORI_TCP_EV_ERROR:
        if (!(s->flags & F_DONE)) {
            s->flags |= F_DONE;
            s->err = err;
            mamori_tls_wipe(&s->tls);
            emit(s, MAMORI_TLS_EV_ERROR, err);
        }
        break;
    case MAMORI_TCP_EV_CLOSED:
        if (!(s->flags & F_DONE)) {
            s->flags |= F_DONE;
            mamori_tls_wipe(&s->tls);
            emit(s, MAMORI_TLS_EV_CLOSED, 0);
        }
        break;
    }
}

int mamori_tls_tcp_init(mamori_tls_tcp_t *s, mamori_tcp_t *conn, const mamori_tls_config_t *cfg,
                        uint8_t *rx, size_t rx_cap, uint8_t *tx, size_t tx_cap, uint8_t *hs,
                        size_t hs_cap)
{
    int err;
    memset(s, 0, sizeof *s);
    if (!conn)
        return MAMORI_ERR_INVAL;
    err = mamori_tls_init(&s->tls, cfg, rx, rx_cap, tx, tx_cap, hs, hs_cap);
    if (err)
        return err;
    s->tcp = conn;
    mamori_tcp_set_callback(conn, on_tcp, s);
    return 0;
}

void mamori_tls_tcp_set_callback(mamori_tls_tcp_t *s, mamori_tls_tcp_cb cb, void *user)
{
    s->cb = cb;
    s->user = user;
}

int mamori_tls_tcp_connect(mamori_tls_tcp_t *s, uint32_t dst, uint16_t port)
{
    if (s->flags & (F_STARTED | F_DONE))
        return MAMORI_ERR_STATE;
    return mamori_tcp_connect(s->tcp, dst, port);
}

int mamori_tls_tcp_start(mamori_tls_tcp_t *s)
{
    mamori_tcp_state_id_t st = mamori_tcp_state(s->tcp);
    if (s->flags & (F_STARTED | F_DONE))
        return MAMORI_ERR_STATE;
    if (st != MAMORI_TCP_ESTABLISHED && st != MAMORI_TCP_CLOSE_WAIT)
        return MAMORI_ERR_NOTCONN;
    s->flags |= F_STARTED;
    pump(s, true);
    return s->err;
}

int mamori_tls_tcp_read(mamori_tls_tcp_t *s, void *buf, size_t len)
{
    int n;
    if (s->err)
        return s->err;
    if (s->flags & F_DONE)
        return MAMORI_ERR_TLS_CLOSED;
    n = mamori_tls_read(&s->tls, buf, len);
    pump(s, false);
    if (n == MAMORI_ERR_WOULDBLOCK && !(s->flags & F_DONE))
        n = mamori_tls_read(&s->tls, buf, len);
    return s->err ? s->err : n;
}

int mamori_tls_tcp_write(mamori_tls_tcp_t *s, const void *buf, size_t len)
{
    int n;
    if (s->err)
        return s->err;
    if (s->flags & (F_DONE | F_CLOSING))
        return MAMORI_ERR_TLS_CLOSED;
    n = mamori_tls_write(&s->tls, buf, len);
    if (n == MAMORI_ERR_WOULDBLOCK) {
        pump(s, false);
        if (!(s->flags & F_DONE))
            n = mamori_tls_write(&s->tls, buf, len);
    }
    if (n == MAMORI_ERR_WOULDBLOCK)
        s->flags |= F_WANT_WRITE;
    else
        pump(s, false);
    return s->err ? s->err : n;
}

int mamori_tls_tcp_close(mamori_tls_tcp_t *s)
{
    int err;
    if (s->flags & F_DONE)
        return s->err;
    if (!(s->flags & F_STARTED)) {
        mamori_tcp_set_callback(s->tcp, NULL, NULL);
        mamori_tcp_close(s->tcp);
        mamori_tls_wipe(&s->tls);
        s->flags |= F_DONE;
        return 0;
    }
    err = mamori_tls_close(&s->tls);
    if (err && err != MAMORI_ERR_WOULDBLOCK)
        return err;
    s->flags |= F_CLOSING;
    pump(s, false);
    return s->err;
}

void mamori_tls_tcp_abort(mamori_tls_tcp_t *s)
{
    if (!(s->flags & F_DONE)) {
        mamori_tcp_set_callback(s->tcp, NULL, NULL);
        mamori_tcp_abort(s->tcp);
        mamori_tls_wipe(&s->tls);
    }
    s->flags |= F_DONE;
}

void mamori_tls_tcp_poll(mamori_tls_tcp_t *s, uint32_t now_ms)
{
    if (s->flags & F_DONE)
        return;
    if (mamori_tls_state(&s->tls) == MAMORI_TLS_ST_HANDSHAKE &&
        mamori_tls_tick(&s->tls, now_ms) != 0 && !(s->flags & F_STARTED)) {
        fail(s, MAMORI_ERR_TIMEOUT, true);
        return;
    }
    pump(s, true);
}

bool mamori_tls_tcp_send_idle(const mamori_tls_tcp_t *s)
{
    return s->tls.tx_len == s->tls.tx_head &&
           (mamori_tcp_state(s->tcp) == MAMORI_TCP_CLOSED || mamori_tcp_send_idle(s->tcp));
}
