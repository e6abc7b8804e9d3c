/*
 * DNS stub resolver (RFC 1035) with the RFC 5452 defences: a random ID and
 * a fresh random source port for every query sent, and responses accepted
 * only from the server and port asked with the same ID and question. Every
 * response is parsed through the bounded cursor; names are decompressed
 * with strictly backward pointers, labels of at most 63 bytes and names of
 * at most 255; counts and RDLENGTHs are checked against what remains.
 */
#include <string.h>

#include "app/dns_internal.h"
#include "net/net_internal.h"

#if MAMORI_DNS

#define PORT_DNS 53
#define HDR_LEN 12
#define MSG_MAX 512 /* UDP without EDNS (RFC 1035 §4.2.1) */
#define TYPE_CNAME 5
#define CLASS_IN 1
#define FLAG_QR 0x8000
#define FLAG_OPCODE 0x7800
#define FLAG_TC 0x0200
#define FLAG_RD 0x0100
#define RCODE_NXDOMAIN 3
#define RR_MIN 11 /* root name, type, class, TTL, RDLENGTH */

static uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

size_t mamori_dns_read_name(const mamori_rd_t *msg, size_t off, size_t end, uint8_t out[MAMORI_DNS_NAME_MAX],
                            size_t *next)
{
    size_t n = 0, floor = off;
    bool jumped = false;
    for (;;) {
        mamori_rd_t r = mamori_rd_at(msg, off, off < end ? end - off : 0);
        uint8_t c = mamori_rd_u8(&r);
        if (!mamori_rd_ok(&r))
            return 0;
        if ((c & 0xc0) == 0xc0) {
            /* RFC 1035 §4.1.4. A pointer must lead before everything read
             * so far, and the name it leads to must end before the part
             * that pointed: no loops, no self or forward pointers. */
            size_t ptr = (size_t)(c & 0x3f) << 8 | mamori_rd_u8(&r);
            if (!mamori_rd_ok(&r) || ptr >= floor)
                return 0;
            if (!jumped)
                *next = off + 2;
            jumped = true;
            end = floor;
            floor = off = ptr;
            continue;
        }
        if (c & 0xc0)
            return 0; /* 0x40/0x80: label longer than 63 or extended label type */
        out[n++] = c;
        if (c == 0) {
            if (!jumped)
                *next = off + 1;
            return n;
        }
        if (n + c + 1 > MAMORI_DNS_NAME_MAX)
            return 0; /* name over 255 bytes (RFC 1035 §2.3.4) */
        mamori_rd_copy(&r, out + n, c);
        if (!mamori_rd_ok(&r))
            return 0;
        for (size_t i = 0; i < c; i++)
            out[n + i] = lower(out[n + i]);
        n += c;
        off += 1u + c;
    }
}

size_t mamori_dns_encode_name(const char *name, uint8_t out[MAMORI_DNS_NAME_MAX])
{
    size_t n = 0;
    if (!name || !*name)
        return 0;
    while (*name) {
        size_t start = n++, len = 0;
        for (; *name && *name != '.'; name++, len++) {
            uint8_t c = (uint8_t)*name;
            if (c <= ' ' || c >= 0x7f || len == 63 || n >= MAMORI_DNS_NAME_MAX - 1)
                return 0;
            out[n++] = lower(c);
        }
        if (len == 0)
            return 0; /* empty label */
        out[start] = (uint8_t)len;
        if (*name)
            name++;
    }
    out[n++] = 0;
    return n;
}

static bool same_name(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

mamori_dns_parse_t mamori_dns_parse(const uint8_t *msg, size_t len, uint16_t id, const uint8_t *qname,
                                    size_t qname_len, uint16_t qtype, uint32_t neg_ttl, mamori_dns_result_t *res)
{
    mamori_rd_t m;
    mamori_rd_init(&m, msg, len);
    memset(res, 0, sizeof *res);
    res->qtype = qtype;
    res->status = MAMORI_ERR_NOTFOUND;
    res->ttl_s = neg_ttl;
    uint16_t got_id = mamori_rd_be16(&m);
    uint16_t flags = mamori_rd_be16(&m);
    uint16_t qd = mamori_rd_be16(&m);
    uint32_t an = mamori_rd_be16(&m);
    uint32_t rest = (uint32_t)mamori_rd_be16(&m) + mamori_rd_be16(&m);
    if (!mamori_rd_ok(&m))
        return DNS_PARSE_SHORT;
    if (got_id != id)
        return DNS_PARSE_ID;
    if (!(flags & FLAG_QR) || (flags & FLAG_OPCODE))
        return DNS_PARSE_MALFORMED;
    if (qd != 1)
        return DNS_PARSE_QUESTION;
    uint8_t name[MAMORI_DNS_NAME_MAX], target[MAMORI_DNS_NAME_MAX];
    size_t pos = 0;
    size_t n = mamori_dns_read_name(&m, HDR_LEN, len, name, &pos);
    mamori_rd_t f = mamori_rd_at(&m, pos, 4);
    uint16_t type = mamori_rd_be16(&f);
    uint16_t cls = mamori_rd_be16(&f);
    if (!n || !mamori_rd_ok(&f))
        return DNS_PARSE_MALFORMED;
    if (!same_name(name, n, qname, qname_len) || type != qtype || cls != CLASS_IN)
        return DNS_PARSE_QUESTION;
    pos += 4;
    if (flags & FLAG_TC)
        return DNS_PARSE_TRUNCATED;
    unsigned rcode = flags & 0xf;
    if (rcode == RCODE_NXDOMAIN)
        return DNS_PARSE_OK;
    if (rcode)
        return DNS_PARSE_SERVFAIL;
    if (an + rest > (len - pos) / RR_MIN)
        return DNS_PARSE_MALFORMED; /* counts larger than the data */
    memcpy(target, qname, qname_len);
    size_t target_len = qname_len;
    uint32_t ttl = MAMORI_DNS_TTL_MAX_S;
    const size_t answers = pos;
    /* Follow the CNAME chain from the question: each alias found restarts
     * the scan for the new owner name (RFC 1034 §3.6.2). */
    for (unsigned chain = 0;;) {
        bool alias = false;
        pos = answers;
        res->count = 0;
        for (uint32_t i = 0; i < an && !alias; i++) {
            n = mamori_dns_read_name(&m, pos, len, name, &pos);
            mamori_rd_t rr = mamori_rd_at(&m, pos, 10);
            type = mamori_rd_be16(&rr);
            cls = mamori_rd_be16(&rr);
            uint32_t rr_ttl = mamori_rd_be32(&rr);
            uint16_t rdlen = mamori_rd_be16(&rr);
            mamori_rd_t rdata = mamori_rd_at(&m, pos + 10, rdlen);
            if (!n || !mamori_rd_ok(&rr) || !mamori_rd_ok(&rdata))
                return DNS_PARSE_MALFORMED; /* truncated RR or RDLENGTH overrun */
            size_t rd_off = pos + 10;
            pos = rd_off + rdlen;
            if (cls != CLASS_IN || !same_name(name, n, target, target_len) || (type != TYPE_CNAME && type != qtype))
                continue;
            if (rr_ttl > 0x7fffffffu)
                rr_ttl = 0; /* RFC 2181 §8 */
            ttl = mamori_min_u32(ttl, rr_ttl);
            if (type == TYPE_CNAME) {
                if (++chain > MAMORI_DNS_CNAME_MAX)
                    return DNS_PARSE_CNAME_LIMIT;
                size_t after;
                target_len = mamori_dns_read_name(&m, rd_off, pos, target, &after);
                if (!target_len)
                    return DNS_PARSE_MALFORMED;
                alias = true;
            } else {
                if (rdlen != (qtype == MAMORI_DNS_TYPE_AAAA ? 16 : 4) || rdlen > sizeof res->addr[0])
                    return DNS_PARSE_MALFORMED;
                if (res->count < MAMORI_DNS_ADDRS_MAX)
                    mamori_rd_copy(&rdata, res->addr[res->count++], rdlen);
            }
        }
        if (!alias)
            break;
    }
    if (res->count) {
        res->status = MAMORI_OK;
        res->ttl_s = ttl;
    }
    return DNS_PARSE_OK;
}

/* ---- cache ------------------------------------------------------------------ */
#if MAMORI_DNS_CACHE_SIZE
static bool live(const mamori_dns_t *dns, const mamori_dns_cache_t *e)
{
    return e->name_len && mamori_time_before(dns->now, e->expires);
}

static bool cache_get(mamori_dns_t *dns, const mamori_dns_query_t *q, mamori_dns_result_t *res)
{
    for (size_t i = 0; i < MAMORI_DNS_CACHE_SIZE; i++) {
        const mamori_dns_cache_t *e = &dns->cache[i];
        if (live(dns, e) && e->qtype == q->qtype && same_name(e->name, e->name_len, q->name, q->name_len)) {
            res->status = e->count ? MAMORI_OK : MAMORI_ERR_NOTFOUND;
            res->count = e->count;
            res->ttl_s = (e->expires - dns->now) / 1000u;
            memcpy(res->addr, e->addr, sizeof res->addr);
            if (e->count)
                MAMORI_COUNT(dns->stack, dns_cache_hits);
            else
                MAMORI_COUNT(dns->stack, dns_cache_neg_hits);
            return true;
        }
    }
    return false;
}

/* Replaces a dead entry, else the one closest to expiry. */
static void cache_put(mamori_dns_t *dns, const mamori_dns_query_t *q, const mamori_dns_result_t *res)
{
    if (q->name_len > MAMORI_DNS_CACHE_NAME_MAX || res->ttl_s == 0)
        return;
    mamori_dns_cache_t *victim = &dns->cache[0];
    for (size_t i = 0; i < MAMORI_DNS_CACHE_SIZE; i++) {
        mamori_dns_cache_t *e = &dns->cache[i];
        if (!live(dns, e)) {
            victim = e;
            break;
        }
        if (mamori_time_before(e->expires, victim->expires))
            victim = e;
    }
    victim->expires = dns->now + mamori_min_u32(res->ttl_s, MAMORI_DNS_TTL_MAX_S) * 1000u;
    victim->qtype = q->qtype;
    victim->name_len = q->name_len;
    victim->count = res->count;
    memcpy(victim->name, q->name, q->name_len);
    memcpy(victim->addr, res->addr, sizeof victim->addr);
}
#endif

/* ---- queries ----------------------------------------------------------------- */

static void release(mamori_dns_query_t *q)
{
    if (q->sock.stack) /* opened by the first try */
        mamori_udp_close(&q->sock);
    q->active = 0;
}

static void finish(mamori_dns_t *dns, mamori_dns_query_t *q, mamori_dns_result_t *res)
{
    mamori_dns_cb cb = q->cb;
    void *user = q->user;
    release(q);
    if (res->status == MAMORI_OK || res->status == MAMORI_ERR_NOTFOUND)
        res->ttl_s = mamori_min_u32(res->ttl_s, MAMORI_DNS_TTL_MAX_S);
    cb(dns, res, user);
}

/* Sends the next try: servers in turn from the one that answered last, the
 * wait doubling each round (RFC 1035 §7.2); gives up after the last. */
static bool send_try(mamori_dns_t *dns, mamori_dns_query_t *q)
{
    mamori_stack_t *s = dns->stack;
    if (q->tries >= dns->server_count * MAMORI_DNS_ROUNDS) {
        mamori_dns_result_t res = {.status = dns->server_count ? MAMORI_ERR_TIMEOUT : MAMORI_ERR_STATE,
                                   .qtype = q->qtype};
        MAMORI_COUNT(s, dns_failures);
        finish(dns, q, &res);
        return false;
    }
    unsigned round = q->tries / dns->server_count;
    q->server = dns->servers[(dns->preferred + q->tries) % dns->server_count];
    q->tries++;
    q->deadline = dns->now + (MAMORI_DNS_TIMEOUT_MS << round);
    /* A fresh socket per query sent: a new random port (RFC 5452 §9.2). */
    release(q);
    q->active = 1;
    (void)mamori_udp_open(s, &q->sock, q->ring, sizeof q->ring);
    q->id = (uint16_t)mamori_random32(s);
    uint8_t buf[HDR_LEN + MAMORI_DNS_NAME_MAX + 4];
    mamori_wr_t wr;
    mamori_wr_init(&wr, buf, sizeof buf);
    mamori_wr_be16(&wr, q->id);
    mamori_wr_be16(&wr, FLAG_RD);
    mamori_wr_be32(&wr, 0x00010000u); /* one question, no answers */
    mamori_wr_zeros(&wr, 4);
    mamori_wr_bytes(&wr, q->name, q->name_len);
    mamori_wr_be16(&wr, q->qtype);
    mamori_wr_be16(&wr, CLASS_IN);
    if (mamori_udp_sendto(&q->sock, q->server, PORT_DNS, buf, wr.pos) == MAMORI_OK)
        MAMORI_COUNT(s, dns_tx_queries);
    else
        MAMORI_COUNT(s, dns_tx_drop);
    return true;
}

/* Reads the responses queued for q; returns true when its server failed
 * (the next one is tried at once). */
static bool receive(mamori_dns_t *dns, mamori_dns_query_t *q)
{
    bool failed = false;
    mamori_stack_t *s = dns->stack;
    uint8_t buf[MSG_MAX];
    uint32_t src;
    uint16_t sport;
    int n;
    while (q->active && (n = mamori_udp_recvfrom(&q->sock, buf, sizeof buf, &src, &sport)) >= 0) {
        if (src != q->server || sport != PORT_DNS) {
            MAMORI_COUNT(s, dns_rx_drop_src);
            continue;
        }
        mamori_dns_result_t res;
        switch (mamori_dns_parse(buf, (size_t)n, q->id, q->name, q->name_len, q->qtype, MAMORI_DNS_NEG_TTL_S, &res)) {
        case DNS_PARSE_OK:
            if (res.status == MAMORI_OK)
                MAMORI_COUNT(s, dns_rx_answers);
            else
                MAMORI_COUNT(s, dns_rx_nxdomain);
            for (uint8_t i = 0; i < dns->server_count; i++)
                if (dns->servers[i] == q->server)
                    dns->preferred = i;
#if MAMORI_DNS_CACHE_SIZE
            cache_put(dns, q, &res);
#endif
            finish(dns, q, &res);
            break;
        case DNS_PARSE_SHORT:
            MAMORI_COUNT(s, dns_rx_drop_short);
            break;
        case DNS_PARSE_ID:
            MAMORI_COUNT(s, dns_rx_drop_id);
            break;
        case DNS_PARSE_QUESTION:
            MAMORI_COUNT(s, dns_rx_drop_question);
            break;
        case DNS_PARSE_MALFORMED:
            MAMORI_COUNT(s, dns_rx_drop_malformed);
            break;
        case DNS_PARSE_SERVFAIL:
            MAMORI_COUNT(s, dns_rx_servfail);
            failed = true;
            break;
        case DNS_PARSE_TRUNCATED: /* no TCP fallback: try the next server */
            MAMORI_COUNT(s, dns_rx_truncated);
            failed = true;
            break;
        case DNS_PARSE_CNAME_LIMIT:
            MAMORI_COUNT(s, dns_cname_too_long);
            res.status = MAMORI_ERR_LIMIT;
            finish(dns, q, &res);
            break;
        }
    }
    return failed;
}

void mamori_dns_init(mamori_dns_t *dns, mamori_stack_t *s)
{
    memset(dns, 0, sizeof *dns);
    dns->stack = s;
    dns->now = s->now;
}

void mamori_dns_set_servers(mamori_dns_t *dns, const uint32_t *servers, size_t n)
{
    n = servers && n < MAMORI_DNS_SERVERS ? n : servers ? MAMORI_DNS_SERVERS : 0;
    for (size_t i = 0; i < n; i++)
        dns->servers[i] = servers[i];
    dns->server_count = (uint8_t)n;
    dns->preferred = 0;
}

int mamori_dns_query(mamori_dns_t *dns, const char *name, uint16_t qtype, mamori_dns_cb cb, void *user)
{
    if (!cb || (qtype != MAMORI_DNS_TYPE_A && !(MAMORI_DNS_IPV6 && qtype == MAMORI_DNS_TYPE_AAAA)))
        return MAMORI_ERR_INVAL;
    for (int i = 0; i < MAMORI_DNS_QUERIES; i++) {
        mamori_dns_query_t *q = &dns->queries[i];
        if (q->active)
            continue;
        size_t n = mamori_dns_encode_name(name, q->name);
        if (!n)
            return MAMORI_ERR_INVAL;
        q->name_len = (uint8_t)n;
        q->qtype = qtype;
        q->cb = cb;
        q->user = user;
        q->tries = 0;
        q->active = 1;
        q->deadline = dns->stack->now;
        return i;
    }
    return MAMORI_ERR_NOMEM;
}

void mamori_dns_cancel(mamori_dns_t *dns, int handle)
{
    if (handle >= 0 && handle < MAMORI_DNS_QUERIES)
        release(&dns->queries[handle]);
}

void mamori_dns_flush_cache(mamori_dns_t *dns)
{
#if MAMORI_DNS_CACHE_SIZE
    memset(dns->cache, 0, sizeof dns->cache);
#else
    (void)dns;
#endif
}

uint32_t mamori_dns_poll(mamori_dns_t *dns, uint32_t now_ms)
{
    dns->now = now_ms;
    uint32_t next = MAMORI_NO_DEADLINE;
    bool sent = false;
    for (size_t i = 0; i < MAMORI_DNS_QUERIES; i++) {
        mamori_dns_query_t *q = &dns->queries[i];
        bool failed = q->active && q->tries && receive(dns, q);
        if (q->active && (failed || !mamori_time_before(now_ms, q->deadline))) {
#if MAMORI_DNS_CACHE_SIZE
            mamori_dns_result_t res = {.qtype = q->qtype};
            if (!q->tries && cache_get(dns, q, &res)) {
                finish(dns, q, &res);
                continue;
            }
#endif
            if (q->tries && !failed)
                MAMORI_COUNT(dns->stack, dns_timeouts);
            sent |= send_try(dns, q);
        }
        if (q->active)
            next = mamori_min_u32(next, mamori_time_until(now_ms, q->deadline));
    }
    return sent ? 0 : next;
}

#endif
