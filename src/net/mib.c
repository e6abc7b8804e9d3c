/*
 * MIB-II view of the stack (see include/mamori/mib.h). The view is a sorted
 * list of objects: scalars (instance .0), the single-row ifTable (instance
 * .1) and tables whose rows are generated from live state (ARP cache, UDP
 * sockets, TCP connections and listeners). GetNext walks the list and, for
 * tables, picks the smallest row index after the one asked for.
 */
#include <stddef.h>
#include <string.h>

#include "mamori/mib.h"
#include "net/net_internal.h"

enum {
    SRC_CONST,    /* value = arg */
    SRC_STAT,     /* Counter32 from the counter at index arg */
    SRC_SPECIAL,  /* computed: arg is one of the SP_* below */
    SRC_ARP,      /* ipNetToMediaTable column arg */
    SRC_UDP,      /* udpTable column arg */
    SRC_TCP,      /* tcpConnTable column arg */
    SRC_PRIVATE,  /* every counter, one per index */
};

enum {
    SP_IF_DESCR, SP_IF_PHYS, SP_IF_IN_DISCARDS, SP_IF_OUT_DISCARDS, SP_HC_IN, SP_HC_OUT,
    SP_IP_IN_HDR_ERRORS, SP_IP_IN_DISCARDS, SP_IP_REASM_FAILS, SP_ICMP_IN_ERRORS, SP_ICMP_OUT_MSGS,
    SP_UDP_IN_ERRORS, SP_TCP_CURR_ESTAB,
};

typedef struct {
    uint16_t arc[12]; /* under 1.3.6.1: 2.1.x for mib-2, 3.6176.1 for the private group */
    uint8_t len;
    uint8_t src;
    uint8_t type;
    uint32_t arg;
} mib_object_t;

#define STAT(name) ((uint32_t)(offsetof(mamori_stats_t, name) / sizeof(uint32_t)))
#define IF_COL(col, src, type, arg) {{2, 1, 2, 2, 1, col}, 6, src, type, arg}
#define SCALAR(group, n, src, type, arg) {{2, 1, group, n}, 4, src, type, arg}
#define COUNTER(group, n, name) SCALAR(group, n, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(name))
#define ZERO(group, n) SCALAR(group, n, SRC_CONST, MAMORI_MIB_COUNTER32, 0)

static const mib_object_t objects[] = {
    IF_COL(1, SRC_CONST, MAMORI_MIB_INTEGER, 1),
    IF_COL(2, SRC_SPECIAL, MAMORI_MIB_OCTETS, SP_IF_DESCR),
    IF_COL(3, SRC_CONST, MAMORI_MIB_INTEGER, 6), /* ethernetCsmacd */
    IF_COL(4, SRC_CONST, MAMORI_MIB_INTEGER, MAMORI_MTU),
    IF_COL(6, SRC_SPECIAL, MAMORI_MIB_OCTETS, SP_IF_PHYS),
    IF_COL(7, SRC_CONST, MAMORI_MIB_INTEGER, 1), /* up */
    IF_COL(8, SRC_CONST, MAMORI_MIB_INTEGER, 1),
    IF_COL(10, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(eth_rx_bytes)),
    IF_COL(11, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(eth_rx_frames)),
    IF_COL(13, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_IF_IN_DISCARDS),
    IF_COL(14, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(eth_rx_drop_short)),
    IF_COL(15, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(eth_rx_drop_ethertype)),
    IF_COL(16, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(eth_tx_bytes)),
    IF_COL(17, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(eth_tx_frames)),
    IF_COL(19, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_IF_OUT_DISCARDS),
    IF_COL(20, SRC_STAT, MAMORI_MIB_COUNTER32, STAT(eth_tx_drop_driver)),
    SCALAR(4, 1, SRC_CONST, MAMORI_MIB_INTEGER, 2), /* ipForwarding: not a router */
    SCALAR(4, 2, SRC_CONST, MAMORI_MIB_INTEGER, MAMORI_IP4_TTL),
    COUNTER(4, 3, ip_rx),
    SCALAR(4, 4, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_IP_IN_HDR_ERRORS),
    COUNTER(4, 5, ip_rx_drop_not_for_us),
    ZERO(4, 6),
    COUNTER(4, 7, ip_rx_drop_proto),
    SCALAR(4, 8, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_IP_IN_DISCARDS),
    COUNTER(4, 9, ip_rx_delivered),
    COUNTER(4, 10, ip_tx),
    COUNTER(4, 11, ip_tx_drop_too_long),
    COUNTER(4, 12, ip_tx_drop_noroute),
    SCALAR(4, 13, SRC_CONST, MAMORI_MIB_INTEGER, MAMORI_IP4_REASS_TIMEOUT_MS / 1000),
    COUNTER(4, 14, ip_frag_rx),
    COUNTER(4, 15, ip_frag_reassembled),
    SCALAR(4, 16, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_IP_REASM_FAILS),
    ZERO(4, 17),
    ZERO(4, 18),
    ZERO(4, 19),
    {{2, 1, 4, 22, 1, 1}, 6, SRC_ARP, MAMORI_MIB_INTEGER, 1},
    {{2, 1, 4, 22, 1, 2}, 6, SRC_ARP, MAMORI_MIB_OCTETS, 2},
    {{2, 1, 4, 22, 1, 3}, 6, SRC_ARP, MAMORI_MIB_IPADDR, 3},
    {{2, 1, 4, 22, 1, 4}, 6, SRC_ARP, MAMORI_MIB_INTEGER, 4},
    COUNTER(5, 1, icmp_rx),
    SCALAR(5, 2, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_ICMP_IN_ERRORS),
    COUNTER(5, 3, icmp_rx_unreach),
    ZERO(5, 4), ZERO(5, 5), ZERO(5, 6), ZERO(5, 7),
    COUNTER(5, 8, icmp_rx_echo),
    COUNTER(5, 9, icmp_rx_echo_reply),
    ZERO(5, 10), ZERO(5, 11), ZERO(5, 12), ZERO(5, 13),
    SCALAR(5, 14, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_ICMP_OUT_MSGS),
    ZERO(5, 15),
    COUNTER(5, 16, icmp_tx_unreach),
    ZERO(5, 17), ZERO(5, 18), ZERO(5, 19), ZERO(5, 20),
    COUNTER(5, 21, icmp_tx_echo),
    COUNTER(5, 22, icmp_tx_echo_reply),
    ZERO(5, 23), ZERO(5, 24), ZERO(5, 25), ZERO(5, 26),
#if MAMORI_TCP
    SCALAR(6, 1, SRC_CONST, MAMORI_MIB_INTEGER, 4), /* vanj: RFC 6298 */
    SCALAR(6, 2, SRC_CONST, MAMORI_MIB_INTEGER, MAMORI_TCP_RTO_MIN_MS),
    SCALAR(6, 3, SRC_CONST, MAMORI_MIB_INTEGER, MAMORI_TCP_RTO_MAX_MS),
    SCALAR(6, 4, SRC_CONST, MAMORI_MIB_INTEGER, 0xffffffffu), /* -1: dynamic */
    COUNTER(6, 5, tcp_active_opens),
    COUNTER(6, 6, tcp_passive_opens),
    COUNTER(6, 7, tcp_attempt_fails),
    COUNTER(6, 8, tcp_estab_resets),
    SCALAR(6, 9, SRC_SPECIAL, MAMORI_MIB_GAUGE32, SP_TCP_CURR_ESTAB),
    COUNTER(6, 10, tcp_in_segs),
    COUNTER(6, 11, tcp_out_segs),
    COUNTER(6, 12, tcp_retrans_segs),
    {{2, 1, 6, 13, 1, 1}, 6, SRC_TCP, MAMORI_MIB_INTEGER, 1},
    {{2, 1, 6, 13, 1, 2}, 6, SRC_TCP, MAMORI_MIB_IPADDR, 2},
    {{2, 1, 6, 13, 1, 3}, 6, SRC_TCP, MAMORI_MIB_INTEGER, 3},
    {{2, 1, 6, 13, 1, 4}, 6, SRC_TCP, MAMORI_MIB_IPADDR, 4},
    {{2, 1, 6, 13, 1, 5}, 6, SRC_TCP, MAMORI_MIB_INTEGER, 5},
    COUNTER(6, 14, tcp_in_errs),
    COUNTER(6, 15, tcp_out_rsts),
#endif
    COUNTER(7, 1, udp_rx_delivered),
    COUNTER(7, 2, udp_rx_drop_noport),
    SCALAR(7, 3, SRC_SPECIAL, MAMORI_MIB_COUNTER32, SP_UDP_IN_ERRORS),
    COUNTER(7, 4, udp_tx),
    {{2, 1, 7, 5, 1, 1}, 6, SRC_UDP, MAMORI_MIB_IPADDR, 1},
    {{2, 1, 7, 5, 1, 2}, 6, SRC_UDP, MAMORI_MIB_INTEGER, 2},
    {{2, 1, 31, 1, 1, 1, 6}, 7, SRC_SPECIAL, MAMORI_MIB_COUNTER64, SP_HC_IN},
    {{2, 1, 31, 1, 1, 1, 10}, 7, SRC_SPECIAL, MAMORI_MIB_COUNTER64, SP_HC_OUT},
    {{3, 6176, 1}, 3, SRC_PRIVATE, MAMORI_MIB_COUNTER32, 0},
};

#define OBJECT_COUNT (sizeof objects / sizeof objects[0])
#define ROOT_LEN 4 /* 1.3.6.1 */
#define INDEX_MAX 10

static uint32_t stat(const mamori_stack_t *s, uint32_t index) { return mamori_stats_value(&s->stats, index); }

static uint64_t special(const mamori_stack_t *s, uint32_t id, mamori_mib_value_t *v)
{
    const mamori_stats_t *st = &s->stats;
    switch (id) {
    case SP_IF_DESCR:
        memcpy(v->bytes, "mamori", 6);
        v->len = 6;
        return 0;
    case SP_IF_PHYS:
        memcpy(v->bytes, s->mac, 6);
        v->len = 6;
        return 0;
    case SP_IF_IN_DISCARDS:
        return (uint64_t)st->eth_rx_drop_driver + st->filter_drop_mac + st->filter_drop_ethertype +
               st->rate_drop_total + st->rate_drop_bcast + st->rate_drop_arp + st->storm_drop;
    case SP_IF_OUT_DISCARDS: return st->eth_tx_drop_nobuf;
    case SP_HC_IN: return s->rx_octets;
    case SP_HC_OUT: return s->tx_octets;
    case SP_IP_IN_HDR_ERRORS:
        return (uint64_t)st->ip_rx_drop_short + st->ip_rx_drop_version + st->ip_rx_drop_ihl + st->ip_rx_drop_len +
               st->ip_rx_drop_checksum + st->ip_rx_drop_ttl + st->ip_rx_drop_src;
    case SP_IP_IN_DISCARDS:
        return (uint64_t)st->filter_drop_src + st->filter_drop_port + st->rate_drop_icmp + st->rate_drop_syn +
               st->rate_drop_bare_syn + st->rate_drop_udp + st->ip_frag_drop_disabled;
    case SP_IP_REASM_FAILS:
        return (uint64_t)st->ip_frag_drop_overlap + st->ip_frag_drop_too_long + st->ip_frag_drop_timeout +
               st->ip_frag_drop_nobuf;
    case SP_ICMP_IN_ERRORS: return (uint64_t)st->icmp_rx_drop_short + st->icmp_rx_drop_checksum;
    case SP_ICMP_OUT_MSGS: return (uint64_t)st->icmp_tx_echo + st->icmp_tx_echo_reply + st->icmp_tx_unreach;
    case SP_UDP_IN_ERRORS:
        return (uint64_t)st->udp_rx_drop_short + st->udp_rx_drop_len + st->udp_rx_drop_checksum +
               st->udp_rx_drop_queue_full;
#if MAMORI_TCP
    case SP_TCP_CURR_ESTAB: {
        uint64_t n = 0;
        for (const mamori_tcp_t *c = s->tcp.conns; c; c = c->next)
            n += c->state == MAMORI_TCP_ESTABLISHED || c->state == MAMORI_TCP_CLOSE_WAIT;
        return n;
    }
#endif
    default: return 0;
    }
}

static void put_ip(uint32_t *idx, uint32_t ip)
{
    for (int i = 0; i < 4; i++)
        idx[i] = (ip >> (24 - 8 * i)) & 0xff;
}

static int compare_arcs(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
    for (size_t i = 0; i < alen && i < blen; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return alen < blen ? -1 : alen > blen;
}

/* One table row: its index arcs and the value of column `col`. */
typedef struct {
    uint32_t idx[INDEX_MAX];
    uint8_t len;
    mamori_mib_value_t value;
} mib_row_t;

#if MAMORI_TCP
/* RFC 4022 tcpConnState numbering, by mamori_tcp_state_id_t. */
static const uint8_t tcp_conn_state[] = {1, 3, 4, 5, 6, 7, 8, 10, 9, 11};
#endif

/* Calls visit() for every row of a table (in no particular order). */
static void for_each_row(const mamori_stack_t *s, const mib_object_t *o, void (*visit)(void *, const mib_row_t *),
                         void *ctx)
{
    mib_row_t r;
    memset(&r, 0, sizeof r);
    r.value.type = (mamori_mib_type_t)o->type;
    if (o->src == SRC_ARP) {
        for (size_t i = 0; i < MAMORI_ARP_CACHE_SIZE; i++) {
            const mamori_arp_entry_t *e = &s->arp.cache[i];
            if (e->state != MAMORI_ARP_REACHABLE)
                continue;
            r.idx[0] = 1;
            put_ip(r.idx + 1, e->ip);
            r.len = 5;
            uint32_t col[] = {0, 1, 0, e->ip, 3};
            r.value.num = col[o->arg];
            memcpy(r.value.bytes, e->mac, 6);
            r.value.len = o->arg == 2 ? 6 : 0;
            visit(ctx, &r);
        }
    } else if (o->src == SRC_UDP) {
        for (const mamori_udp_t *u = s->udp_sockets; u; u = u->next) {
            put_ip(r.idx, 0);
            r.idx[4] = u->local_port;
            r.len = 5;
            r.value.num = o->arg == 2 ? u->local_port : 0;
            visit(ctx, &r);
        }
    }
#if MAMORI_TCP
    else if (o->src == SRC_TCP) {
        for (const mamori_tcp_t *c = s->tcp.conns; c; c = c->next) {
            put_ip(r.idx, s->ip4.addr);
            r.idx[4] = c->local_port;
            put_ip(r.idx + 5, c->remote_ip);
            r.idx[9] = c->remote_port;
            r.len = 10;
            uint32_t st = c->state < sizeof tcp_conn_state ? tcp_conn_state[c->state] : 1;
            uint32_t col[] = {0, st, s->ip4.addr, c->local_port, c->remote_ip, c->remote_port};
            r.value.num = col[o->arg];
            visit(ctx, &r);
        }
        for (const mamori_tcp_listener_t *l = s->tcp.listeners; l; l = l->next) {
            memset(r.idx, 0, sizeof r.idx);
            r.idx[4] = l->port;
            r.len = 10;
            uint32_t col[] = {0, 2 /* listen */, 0, l->port, 0, 0};
            r.value.num = col[o->arg];
            visit(ctx, &r);
        }
    }
#endif
}

typedef struct {
    const uint32_t *after; /* index arcs to exceed (NULL: any row) */
    size_t after_len;
    bool exact;            /* find the row equal to `after` instead */
    bool found;
    mib_row_t best;
} row_search_t;

static void consider_row(void *ctx, const mib_row_t *r)
{
    row_search_t *q = ctx;
    int cmp = q->after ? compare_arcs(r->idx, r->len, q->after, q->after_len) : 1;
    if (q->exact ? cmp != 0 : cmp <= 0)
        return;
    if (!q->found || compare_arcs(r->idx, r->len, q->best.idx, q->best.len) < 0) {
        q->best = *r;
        q->found = true;
    }
}

/* Object o's instance with index `idx`, or the first after it (exact false). */
static bool instance(const mamori_stack_t *s, const mib_object_t *o, const uint32_t *idx, size_t idx_len, bool exact,
                     uint32_t *out_idx, size_t *out_len, mamori_mib_value_t *v)
{
    memset(v, 0, sizeof *v);
    v->type = (mamori_mib_type_t)o->type;
    if (o->src == SRC_ARP || o->src == SRC_UDP || o->src == SRC_TCP) {
        row_search_t q = {.after = idx, .after_len = idx_len, .exact = exact};
        for_each_row(s, o, consider_row, &q);
        if (!q.found)
            return false;
        memcpy(out_idx, q.best.idx, q.best.len * sizeof(uint32_t));
        *out_len = q.best.len;
        *v = q.best.value;
        return true;
    }
    /* Scalars have instance .0, the ifTable row .1, private counters .N.0. */
    uint32_t want[2];
    size_t want_len = 1;
    uint32_t count = o->src == SRC_PRIVATE ? (uint32_t)MAMORI_STATS_COUNT : 1;
    for (uint32_t n = 0; n < count; n++) {
        if (o->src == SRC_PRIVATE) {
            want[0] = n + 1;
            want[1] = 0;
            want_len = 2;
        } else {
            bool if_row = o->arc[0] == 2 && (o->arc[2] == 2 || o->arc[2] == 31); /* ifTable, ifXTable */
            want[0] = if_row ? 1 : 0;
        }
        int cmp = idx ? compare_arcs(want, want_len, idx, idx_len) : 1;
        if (exact ? cmp != 0 : cmp <= 0)
            continue;
        memcpy(out_idx, want, want_len * sizeof(uint32_t));
        *out_len = want_len;
        uint32_t arg = o->src == SRC_PRIVATE ? n : o->arg;
        if (o->src == SRC_CONST)
            v->num = arg;
        else if (o->src == SRC_SPECIAL)
            v->num = special(s, arg, v);
        else
            v->num = stat(s, arg);
        return true;
    }
    return false;
}

/* Compares oid (below 1.3.6.1) with an object's arcs: <0 before the object's
 * subtree, 0 inside it (rest of oid is the instance), >0 after it. */
static int locate(const mamori_oid_t *oid, const mib_object_t *o)
{
    static const uint32_t root[ROOT_LEN] = {1, 3, 6, 1};
    uint32_t full[ROOT_LEN + 12];
    memcpy(full, root, sizeof root);
    for (size_t i = 0; i < o->len; i++)
        full[ROOT_LEN + i] = o->arc[i];
    size_t flen = ROOT_LEN + o->len;
    size_t n = oid->len < flen ? oid->len : flen;
    int cmp = compare_arcs(oid->arc, n, full, n);
    if (cmp != 0)
        return cmp;
    return oid->len < flen ? -1 : 0;
}

static void compose(mamori_oid_t *out, const mib_object_t *o, const uint32_t *idx, size_t idx_len)
{
    static const uint32_t root[ROOT_LEN] = {1, 3, 6, 1};
    memcpy(out->arc, root, sizeof root);
    for (size_t i = 0; i < o->len; i++)
        out->arc[ROOT_LEN + i] = o->arc[i];
    memcpy(out->arc + ROOT_LEN + o->len, idx, idx_len * sizeof(uint32_t));
    out->len = (uint8_t)(ROOT_LEN + o->len + idx_len);
}

int mamori_mib_get(const mamori_stack_t *s, const mamori_oid_t *oid, mamori_mib_value_t *value)
{
    for (size_t i = 0; i < OBJECT_COUNT; i++) {
        const mib_object_t *o = &objects[i];
        if (locate(oid, o) != 0)
            continue;
        uint32_t idx[INDEX_MAX];
        size_t idx_len;
        size_t skip = ROOT_LEN + o->len;
        return instance(s, o, oid->arc + skip, oid->len - skip, true, idx, &idx_len, value) ? MAMORI_OK
                                                                                          : MAMORI_ERR_NOTFOUND;
    }
    return MAMORI_ERR_NOTFOUND;
}

int mamori_mib_next(const mamori_stack_t *s, const mamori_oid_t *after, mamori_oid_t *next, mamori_mib_value_t *value)
{
    for (size_t i = 0; i < OBJECT_COUNT; i++) {
        const mib_object_t *o = &objects[i];
        int where = locate(after, o);
        if (where > 0)
            continue;
        uint32_t idx[INDEX_MAX];
        size_t idx_len;
        size_t skip = ROOT_LEN + o->len;
        bool ok = where < 0 ? instance(s, o, NULL, 0, false, idx, &idx_len, value)
                            : instance(s, o, after->arc + skip, after->len - skip, false, idx, &idx_len, value);
        if (ok) {
            compose(next, o, idx, idx_len);
            return MAMORI_OK;
        }
    }
    return MAMORI_ERR_NOTFOUND;
}

int mamori_oid_parse(mamori_oid_t *oid, const char *text)
{
    oid->len = 0;
    while (*text) {
        uint64_t v = 0;
        if (*text < '0' || *text > '9' || oid->len == MAMORI_OID_MAX)
            return MAMORI_ERR_INVAL;
        while (*text >= '0' && *text <= '9') {
            v = v * 10 + (uint64_t)(*text++ - '0');
            if (v > 0xffffffffu)
                return MAMORI_ERR_INVAL;
        }
        oid->arc[oid->len++] = (uint32_t)v;
        if (*text == '.' && text[1])
            text++;
        else if (*text)
            return MAMORI_ERR_INVAL;
    }
    return oid->len ? MAMORI_OK : MAMORI_ERR_INVAL;
}
