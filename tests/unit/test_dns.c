/* DNS resolver: crafted responses for every bad-input case, the resolver
 * against a scripted server through the capture port (matching, failover,
 * cache, timeouts) and the unpredictability of IDs and source ports. */
#include <string.h>

#include "app/dns_internal.h"
#include "capture_port.h"
#include "check.h"
#include "core/internal.h"
#include "mamori/dns.h"
#include "mamori/mamori.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t srv_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t srv2_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x03};
#define OUR_IP MAMORI_IP4(198, 18, 0, 2)
#define SRV_IP MAMORI_IP4(198, 18, 0, 1)
#define SRV2_IP MAMORI_IP4(198, 18, 0, 3)

/* ---- message builder ------------------------------------------------------ */
typedef struct {
    uint8_t b[1024];
    size_t n;
} msg_t;

static void put8(msg_t *m, unsigned v) { m->b[m->n++] = (uint8_t)v; }
static void put16(msg_t *m, unsigned v)
{
    put8(m, v >> 8);
    put8(m, v);
}
static void put32(msg_t *m, uint32_t v)
{
    put16(m, v >> 16);
    put16(m, v & 0xffff);
}
static void put_name(msg_t *m, const char *dotted)
{
    while (*dotted) {
        const char *dot = strchr(dotted, '.');
        size_t len = dot ? (size_t)(dot - dotted) : strlen(dotted);
        put8(m, (unsigned)len);
        memcpy(m->b + m->n, dotted, len);
        m->n += len;
        dotted += len + (dot ? 1 : 0);
    }
    put8(m, 0);
}
static void put_header(msg_t *m, unsigned id, unsigned flags, unsigned qd, unsigned an)
{
    m->n = 0;
    put16(m, id);
    put16(m, flags);
    put16(m, qd);
    put16(m, an);
    put32(m, 0);
}
/* A response header and question for name/A. */
static void put_query(msg_t *m, unsigned id, unsigned flags, unsigned an, const char *name)
{
    put_header(m, id, flags, 1, an);
    put_name(m, name);
    put16(m, MAMORI_DNS_TYPE_A);
    put16(m, 1);
}
static void put_rr_head(msg_t *m, unsigned type, uint32_t ttl, unsigned rdlen)
{
    put16(m, type);
    put16(m, 1);
    put32(m, ttl);
    put16(m, rdlen);
}
static void put_a(msg_t *m, uint32_t ttl, uint32_t addr)
{
    put16(m, 0xc00c); /* the question name */
    put_rr_head(m, MAMORI_DNS_TYPE_A, ttl, 4);
    put32(m, addr);
}

static uint8_t qname[MAMORI_DNS_NAME_MAX];
static size_t qlen;
static mamori_dns_result_t res;

static mamori_dns_parse_t parse(const msg_t *m, unsigned id)
{
    return mamori_dns_parse(m->b, m->n, (uint16_t)id, qname, qlen, MAMORI_DNS_TYPE_A, 60, &res);
}

static void test_encode_name(void)
{
    uint8_t out[MAMORI_DNS_NAME_MAX];
    CHECK_EQ(mamori_dns_encode_name("WWW.Example.com.", out), 17);
    CHECK_MEM(out, "\3www\7example\3com\0", 17);
    CHECK_EQ(mamori_dns_encode_name("a..b", out), 0);
    CHECK_EQ(mamori_dns_encode_name(".", out), 0);
    CHECK_EQ(mamori_dns_encode_name("", out), 0);
    CHECK_EQ(mamori_dns_encode_name("a b", out), 0);
    char name[400];
    memset(name, 'a', 63);
    strcpy(name + 63, ".b");
    CHECK_EQ(mamori_dns_encode_name(name, out), 67);
    memset(name, 'a', 64);
    strcpy(name + 64, ".b");
    CHECK_EQ(mamori_dns_encode_name(name, out), 0); /* label of 64 */
    /* 4 labels of 61 + 1 of 5: 4*62 + 6 + 1 = 255 bytes: the longest name. */
    size_t n = 0;
    for (int l = 0; l < 4; l++) {
        memset(name + n, 'x', 61);
        n += 61;
        name[n++] = '.';
    }
    memcpy(name + n, "yyyyy", 6);
    CHECK_EQ(mamori_dns_encode_name(name, out), 255);
    memcpy(name + n, "yyyyyy", 7);
    CHECK_EQ(mamori_dns_encode_name(name, out), 0); /* 256 */
}

static void test_parse_good(void)
{
    qlen = mamori_dns_encode_name("host.test", qname);
    msg_t m;
    put_query(&m, 0x1234, 0x8180, 2, "HOST.test");
    put_a(&m, 300, MAMORI_IP4(198, 18, 5, 5));
    put_a(&m, 100, MAMORI_IP4(198, 18, 5, 6));
    CHECK_EQ(parse(&m, 0x1234), DNS_PARSE_OK);
    CHECK_EQ(res.status, MAMORI_OK);
    CHECK_EQ(res.count, 2);
    CHECK_EQ(mamori_dns_ip4(&res, 0), MAMORI_IP4(198, 18, 5, 5));
    CHECK_EQ(mamori_dns_ip4(&res, 1), MAMORI_IP4(198, 18, 5, 6));
    CHECK_EQ(res.ttl_s, 100); /* the smallest TTL */

    /* TTL with the top bit set counts as 0 (RFC 2181 §8); huge TTLs are capped. */
    put_query(&m, 1, 0x8180, 1, "host.test");
    put_a(&m, 0x80000000u, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_OK);
    CHECK_EQ(res.ttl_s, 0);
    put_query(&m, 1, 0x8180, 1, "host.test");
    put_a(&m, 0x7fffffffu, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_OK);
    CHECK_EQ(res.ttl_s, MAMORI_DNS_TTL_MAX_S);

    /* NXDOMAIN and NODATA: negative answers with the negative TTL. */
    put_query(&m, 7, 0x8183, 0, "host.test");
    CHECK_EQ(parse(&m, 7), DNS_PARSE_OK);
    CHECK_EQ(res.status, MAMORI_ERR_NOTFOUND);
    CHECK_EQ(res.ttl_s, 60);
    put_query(&m, 7, 0x8180, 0, "host.test");
    CHECK_EQ(parse(&m, 7), DNS_PARSE_OK);
    CHECK_EQ(res.status, MAMORI_ERR_NOTFOUND);

    /* Other records and names are skipped. */
    put_query(&m, 8, 0x8180, 3, "host.test");
    put_name(&m, "other.test");
    put_rr_head(&m, MAMORI_DNS_TYPE_A, 60, 4);
    put32(&m, 9);
    put16(&m, 0xc00c);
    put_rr_head(&m, 16, 60, 3); /* TXT */
    put8(&m, 2), put16(&m, 0x6869);
    put_a(&m, 60, 10);
    CHECK_EQ(parse(&m, 8), DNS_PARSE_OK);
    CHECK_EQ(res.count, 1);
    CHECK_EQ(mamori_dns_ip4(&res, 0), 10);
}

static void test_parse_cname(void)
{
    qlen = mamori_dns_encode_name("www.test", qname);
    msg_t m;
    /* www -> a.test -> b.test -> A, with the A record first. */
    put_query(&m, 2, 0x8180, 3, "www.test");
    size_t b_at = m.n;
    put_name(&m, "b.test");
    put_rr_head(&m, MAMORI_DNS_TYPE_A, 50, 4);
    put32(&m, MAMORI_IP4(198, 18, 9, 9));
    put16(&m, 0xc00c);
    size_t a_rr = m.n;
    put_rr_head(&m, 5, 40, 0);
    size_t a_at = m.n;
    put_name(&m, "a.test");
    m.b[a_rr + 9] = (uint8_t)(m.n - a_at);
    put16(&m, 0xc000 | (unsigned)a_at);
    put_rr_head(&m, 5, 70, 2);
    put16(&m, 0xc000 | (unsigned)b_at);
    CHECK_EQ(parse(&m, 2), DNS_PARSE_OK);
    CHECK_EQ(res.status, MAMORI_OK);
    CHECK_EQ(res.count, 1);
    CHECK_EQ(mamori_dns_ip4(&res, 0), MAMORI_IP4(198, 18, 9, 9));
    CHECK_EQ(res.ttl_s, 40);

    /* A chain longer than MAMORI_DNS_CNAME_MAX: c0 -> c1 -> ... */
    qlen = mamori_dns_encode_name("c0.test", qname);
    put_query(&m, 3, 0x8180, MAMORI_DNS_CNAME_MAX + 1, "c0.test");
    for (int i = 0; i <= MAMORI_DNS_CNAME_MAX; i++) {
        char from[24], to[24];
        snprintf(from, sizeof from, "c%d.test", i);
        snprintf(to, sizeof to, "c%d.test", i + 1);
        put_name(&m, from);
        put_rr_head(&m, 5, 60, (unsigned)strlen(to) + 2);
        put_name(&m, to);
    }
    CHECK_EQ(parse(&m, 3), DNS_PARSE_CNAME_LIMIT);

    /* A CNAME loop (a -> a) ends at the chain limit too. */
    qlen = mamori_dns_encode_name("a.test", qname);
    put_query(&m, 4, 0x8180, 1, "a.test");
    put16(&m, 0xc00c);
    put_rr_head(&m, 5, 60, 2);
    put16(&m, 0xc00c);
    CHECK_EQ(parse(&m, 4), DNS_PARSE_CNAME_LIMIT);
}

static void test_parse_bad(void)
{
    qlen = mamori_dns_encode_name("host.test", qname);
    msg_t m;
    /* Truncated header. */
    put_query(&m, 1, 0x8180, 0, "host.test");
    msg_t t = m;
    t.n = 11;
    CHECK_EQ(parse(&t, 1), DNS_PARSE_SHORT);
    t.n = 20; /* question cut short */
    CHECK_EQ(parse(&t, 1), DNS_PARSE_MALFORMED);
    /* Wrong ID, not a response, opcode, question count, name, type, class. */
    CHECK_EQ(parse(&m, 2), DNS_PARSE_ID);
    put_query(&m, 1, 0x0180, 0, "host.test");
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8980, 0, "host.test");
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8180, 0, "host.test");
    m.b[5] = 2;
    CHECK_EQ(parse(&m, 1), DNS_PARSE_QUESTION);
    put_query(&m, 1, 0x8180, 0, "hosts.test");
    CHECK_EQ(parse(&m, 1), DNS_PARSE_QUESTION);
    put_query(&m, 1, 0x8180, 0, "host.test");
    m.b[m.n - 3] = 28;
    CHECK_EQ(parse(&m, 1), DNS_PARSE_QUESTION);
    m.b[m.n - 3] = 1;
    m.b[m.n - 1] = 3;
    CHECK_EQ(parse(&m, 1), DNS_PARSE_QUESTION);
    /* TC and SERVFAIL. */
    put_query(&m, 1, 0x8380, 0, "host.test");
    CHECK_EQ(parse(&m, 1), DNS_PARSE_TRUNCATED);
    put_query(&m, 1, 0x8182, 0, "host.test");
    CHECK_EQ(parse(&m, 1), DNS_PARSE_SERVFAIL);

    /* Counts larger than the data. */
    put_query(&m, 1, 0x8180, 5, "host.test");
    put_a(&m, 60, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8180, 1, "host.test");
    m.b[9] = 40; /* ARCOUNT */
    put_a(&m, 60, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    /* RDLENGTH beyond the message; a truncated RR; an A of 5 bytes. */
    put_query(&m, 1, 0x8180, 1, "host.test");
    put16(&m, 0xc00c);
    put_rr_head(&m, 1, 60, 200);
    put32(&m, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8180, 1, "host.test");
    put_a(&m, 60, 1);
    m.n -= 2;
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8180, 1, "host.test");
    put16(&m, 0xc00c);
    put_rr_head(&m, 1, 60, 5);
    put32(&m, 1), put8(&m, 0);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);

    /* Compression: self-pointer, a two-pointer loop, a forward pointer, a
     * pointer beyond the message, a pointer into its own name. */
    put_query(&m, 1, 0x8180, 1, "host.test");
    size_t at = m.n;
    put16(&m, 0xc000 | (unsigned)at);
    put_rr_head(&m, 1, 60, 4);
    put32(&m, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8180, 2, "host.test");
    at = m.n;
    put16(&m, 0xc000 | (unsigned)(at + 16));
    put_rr_head(&m, 1, 60, 4);
    put32(&m, 1);
    put16(&m, 0xc000 | (unsigned)at);
    put_rr_head(&m, 1, 60, 4);
    put32(&m, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8180, 1, "host.test");
    put16(&m, 0xc000 | 0x3fff);
    put_rr_head(&m, 1, 60, 4);
    put32(&m, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    put_query(&m, 1, 0x8180, 1, "host.test");
    at = m.n;
    put8(&m, 1), put8(&m, 'x');
    put16(&m, 0xc000 | (unsigned)at); /* back into the same name: a loop */
    put_rr_head(&m, 1, 60, 4);
    put32(&m, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    /* A pointer in the question, to the header, is fine only backwards. */
    put_header(&m, 1, 0x8180, 1, 0);
    put16(&m, 0xc00c);
    put32(&m, 0x00010001);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);

    /* Label length 64+ (0x40, 0x80 prefixes) and unterminated names. */
    for (unsigned c = 0x40; c <= 0x80; c += 0x40) {
        put_query(&m, 1, 0x8180, 1, "host.test");
        put8(&m, c);
        memset(m.b + m.n, 'a', 64);
        m.n += 64;
        put8(&m, 0);
        put_rr_head(&m, 1, 60, 4);
        put32(&m, 1);
        CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);
    }
    put_query(&m, 1, 0x8180, 1, "host.test");
    put8(&m, 5), put8(&m, 'a');
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);

    /* A name over 255 bytes built with pointers: 4 x 63-byte labels + the
     * question name (11 bytes) = 267. */
    put_query(&m, 1, 0x8180, 1, "host.test");
    size_t prev = 12;
    for (int i = 0; i < 4; i++) {
        size_t here = m.n;
        put8(&m, 63);
        memset(m.b + m.n, 'a', 63);
        m.n += 63;
        put16(&m, 0xc000 | (unsigned)prev);
        prev = here;
    }
    put16(&m, 0xc000 | (unsigned)prev);
    put_rr_head(&m, 1, 60, 4);
    put32(&m, 1);
    CHECK_EQ(parse(&m, 1), DNS_PARSE_MALFORMED);

    /* The same chain of 3 labels (3*64 + 11 = 203 bytes) is a valid name. */
    uint8_t out[MAMORI_DNS_NAME_MAX];
    size_t next = 0;
    mamori_rd_t rd;
    mamori_rd_init(&rd, m.b, m.n);
    CHECK_EQ(mamori_dns_read_name(&rd, prev - 66, m.n, out, &next), 3 * 64 + 11);
    CHECK_EQ(next, prev);
}

/* ---- the resolver through a capture port ----------------------------------- */
static mamori_stack_t stack;
static capture_port_t cap;
static mamori_port_t port;
static mamori_dns_t dns;
static uint32_t now;
static int answers;
static mamori_dns_result_t last;

static void on_answer(mamori_dns_t *d, const mamori_dns_result_t *r, void *user)
{
    (void)d;
    (void)user;
    answers++;
    last = *r;
}

static void feed(const uint8_t *frame, size_t len)
{
    capture_port_queue_rx(&cap, frame, len);
    mamori_poll(&stack, now);
}

static void setup(void)
{
    now = 1000;
    capture_port_init(&cap, &port, 7);
    mamori_stack_init(&stack, &port, our_mac, now);
    mamori_ip4_set_addr(&stack, OUR_IP, 24, 0, false);
    mamori_poll(&stack, now);
    now += 5000;
    mamori_poll(&stack, now); /* the second gratuitous ARP */
    uint8_t f[64];
    feed(f, build_arp(f, 1, srv_mac, SRV_IP, (const uint8_t[6]){0}, OUR_IP));
    feed(f, build_arp(f, 1, srv2_mac, SRV2_IP, (const uint8_t[6]){0}, OUR_IP));
    mamori_dns_init(&dns, &stack);
    uint32_t servers[] = {SRV_IP, SRV2_IP};
    mamori_dns_set_servers(&dns, servers, 2);
    capture_port_clear(&cap);
    answers = 0;
}

static uint32_t run(void)
{
    uint32_t w;
    while ((w = mamori_dns_poll(&dns, now)) == 0)
        mamori_poll(&stack, now);
    return w;
}

/* The query last sent: its ID, source port and server. */
static void sent_query(uint16_t *id, uint16_t *sport, uint32_t *dst)
{
    CHECK(cap.count >= 1);
    const uint8_t *f = cap.frame[cap.count - 1];
    *dst = (uint32_t)f[30] << 24 | (uint32_t)f[31] << 16 | (uint32_t)f[32] << 8 | f[33];
    *sport = (uint16_t)(f[34] << 8 | f[35]);
    CHECK_EQ(f[36] << 8 | f[37], 53);
    *id = (uint16_t)(f[42] << 8 | f[43]);
}

static void reply(const uint8_t *mac, uint32_t from, uint16_t sport, uint16_t dport, const msg_t *m)
{
    uint8_t f[1600];
    feed(f, build_udp(f, our_mac, mac, from, OUR_IP, sport, dport, m->b, m->n));
    run();
}

static void test_resolver(void)
{
    setup();
    CHECK_EQ(mamori_dns_query(&dns, "bad..name", MAMORI_DNS_TYPE_A, on_answer, NULL), MAMORI_ERR_INVAL);
    CHECK_EQ(mamori_dns_query(&dns, "x.test", MAMORI_DNS_TYPE_AAAA, on_answer, NULL), MAMORI_ERR_INVAL);
    CHECK(mamori_dns_query(&dns, "Host.Test", MAMORI_DNS_TYPE_A, on_answer, NULL) >= 0);
    CHECK_EQ(run(), MAMORI_DNS_TIMEOUT_MS);
    uint16_t id, sport;
    uint32_t dst;
    sent_query(&id, &sport, &dst);
    CHECK_EQ(dst, SRV_IP);
    CHECK(sport >= 49152);
    CHECK_EQ(stack.stats.dns_tx_queries, 1);

    msg_t m;
    put_query(&m, id, 0x8180, 1, "host.test");
    put_a(&m, 120, MAMORI_IP4(198, 18, 7, 7));
    reply(srv_mac, SRV_IP, 5353, sport, &m); /* wrong source port */
    reply(srv2_mac, SRV2_IP, 53, sport, &m); /* wrong server */
    CHECK_EQ(stack.stats.dns_rx_drop_src, 2);
    put_query(&m, id ^ 1, 0x8180, 1, "host.test");
    put_a(&m, 120, MAMORI_IP4(198, 18, 7, 7));
    reply(srv_mac, SRV_IP, 53, sport, &m);
    CHECK_EQ(stack.stats.dns_rx_drop_id, 1);
    put_query(&m, id, 0x8180, 1, "evil.test");
    put_a(&m, 120, MAMORI_IP4(198, 18, 7, 7));
    reply(srv_mac, SRV_IP, 53, sport, &m);
    CHECK_EQ(stack.stats.dns_rx_drop_question, 1);
    put_query(&m, id, 0x8180, 9, "host.test");
    reply(srv_mac, SRV_IP, 53, sport, &m);
    CHECK_EQ(stack.stats.dns_rx_drop_malformed, 1);
    CHECK_EQ(answers, 0);
    put_query(&m, id, 0x8180, 1, "host.test");
    put_a(&m, 120, MAMORI_IP4(198, 18, 7, 7));
    reply(srv_mac, SRV_IP, 53, sport, &m);
    CHECK_EQ(answers, 1);
    CHECK_EQ(last.status, MAMORI_OK);
    CHECK_EQ(mamori_dns_ip4(&last, 0), MAMORI_IP4(198, 18, 7, 7));
    /* The socket is gone: a duplicate answer meets a closed port. */
    uint32_t noport = stack.stats.udp_rx_drop_noport;
    reply(srv_mac, SRV_IP, 53, sport, &m);
    CHECK_EQ(stack.stats.udp_rx_drop_noport, noport + 1);
    CHECK_EQ(answers, 1);

    /* Cached: answered without a query, until the TTL runs out. */
    capture_port_clear(&cap);
    now += 60000;
    mamori_dns_query(&dns, "host.test.", MAMORI_DNS_TYPE_A, on_answer, NULL);
    run();
    CHECK_EQ(answers, 2);
    CHECK_EQ(cap.count, 0);
    CHECK_EQ(stack.stats.dns_cache_hits, 1);
    CHECK_EQ(last.ttl_s, 60);
    now += 60000;
    mamori_dns_query(&dns, "host.test", MAMORI_DNS_TYPE_A, on_answer, NULL);
    run();
    CHECK_EQ(answers, 2);
    CHECK_EQ(cap.count, 1);
    mamori_dns_cancel(&dns, 0);

    /* NXDOMAIN is cached as a negative answer. */
    mamori_dns_query(&dns, "nx.test", MAMORI_DNS_TYPE_A, on_answer, NULL);
    run();
    sent_query(&id, &sport, &dst);
    put_query(&m, id, 0x8183, 0, "nx.test");
    reply(srv_mac, SRV_IP, 53, sport, &m);
    CHECK_EQ(answers, 3);
    CHECK_EQ(last.status, MAMORI_ERR_NOTFOUND);
    mamori_dns_query(&dns, "nx.test", MAMORI_DNS_TYPE_A, on_answer, NULL);
    run();
    CHECK_EQ(answers, 4);
    CHECK_EQ(last.status, MAMORI_ERR_NOTFOUND);
    CHECK_EQ(stack.stats.dns_cache_neg_hits, 1);
    CHECK_EQ(stack.stats.dns_rx_nxdomain, 1);
}

static void test_failover(void)
{
    setup();
    mamori_dns_query(&dns, "f.test", MAMORI_DNS_TYPE_A, on_answer, NULL);
    run();
    uint16_t id, sport, id2, sport2;
    uint32_t dst;
    sent_query(&id, &sport, &dst);
    CHECK_EQ(dst, SRV_IP);
    now += MAMORI_DNS_TIMEOUT_MS; /* the first server does not answer */
    run();
    sent_query(&id2, &sport2, &dst);
    CHECK_EQ(dst, SRV2_IP);
    CHECK_EQ(stack.stats.dns_timeouts, 1);
    CHECK(id2 != id || sport2 != sport);
    msg_t m;
    put_query(&m, id2, 0x8180, 1, "f.test");
    put_a(&m, 0, MAMORI_IP4(198, 18, 1, 1));
    reply(srv2_mac, SRV2_IP, 53, sport2, &m);
    CHECK_EQ(answers, 1);
    CHECK_EQ(last.status, MAMORI_OK);

    /* The answering server is asked first next time; TTL 0 was not cached.
     * SERVFAIL moves on to the other server at once. */
    mamori_dns_query(&dns, "f.test", MAMORI_DNS_TYPE_A, on_answer, NULL);
    run();
    sent_query(&id, &sport, &dst);
    CHECK_EQ(dst, SRV2_IP);
    put_query(&m, id, 0x8182, 0, "f.test");
    reply(srv2_mac, SRV2_IP, 53, sport, &m);
    CHECK_EQ(stack.stats.dns_rx_servfail, 1);
    sent_query(&id, &sport, &dst);
    CHECK_EQ(dst, SRV_IP);

    /* Nobody answers: 2 servers x MAMORI_DNS_ROUNDS tries, waits doubling. */
    uint32_t waited = 0;
    for (;;) {
        uint32_t w = run();
        if (answers != 1 || waited > 60000)
            break;
        now += w;
        waited += w;
    }
    CHECK_EQ(answers, 2);
    CHECK_EQ(last.status, MAMORI_ERR_TIMEOUT);
    CHECK_EQ(stack.stats.dns_failures, 1);
    CHECK_EQ(stack.stats.dns_tx_queries, 2 + 2 * MAMORI_DNS_ROUNDS);
    CHECK_EQ(waited, 1000 + 2000 + 2000 + 4000 + 4000); /* the first try was the SERVFAIL */

    /* No servers at all. */
    mamori_dns_set_servers(&dns, NULL, 0);
    mamori_dns_query(&dns, "f.test", MAMORI_DNS_TYPE_A, on_answer, NULL);
    run();
    CHECK_EQ(last.status, MAMORI_ERR_STATE);
    /* Slots are bounded. */
    for (int i = 0; i < MAMORI_DNS_QUERIES; i++)
        CHECK_EQ(mamori_dns_query(&dns, "f.test", MAMORI_DNS_TYPE_A, on_answer, NULL), i);
    CHECK_EQ(mamori_dns_query(&dns, "f.test", MAMORI_DNS_TYPE_A, on_answer, NULL), MAMORI_ERR_NOMEM);
}

/* RFC 5452: over 10000 queries, IDs and ports show no repeats in a row, no
 * arithmetic sequence, and spread over their whole range. */
static void test_unpredictable(void)
{
    enum { N = 10000, BUCKETS = 16 };
    setup();
    static uint16_t ids[N], ports[N];
    unsigned id_buckets[BUCKETS] = {0}, port_buckets[BUCKETS] = {0};
    for (int i = 0; i < N; i++) {
        capture_port_clear(&cap);
        int h = mamori_dns_query(&dns, "r.test", MAMORI_DNS_TYPE_A, on_answer, NULL);
        run();
        uint32_t dst;
        sent_query(&ids[i], &ports[i], &dst);
        mamori_dns_cancel(&dns, h);
        id_buckets[ids[i] * BUCKETS / 65536]++;
        port_buckets[(ports[i] - 49152) * BUCKETS / 16384]++;
    }
    unsigned same_id = 0, same_port = 0, step_id = 0, step_port = 0, dup_id = 0;
    static uint8_t seen[65536];
    for (int i = 0; i < N; i++) {
        dup_id += seen[ids[i]]++ ? 1 : 0;
        if (i > 0) {
            same_id += ids[i] == ids[i - 1];
            same_port += ports[i] == ports[i - 1];
        }
        if (i > 1) {
            step_id += (uint16_t)(ids[i] - ids[i - 1]) == (uint16_t)(ids[i - 1] - ids[i - 2]);
            step_port += (uint16_t)(ports[i] - ports[i - 1]) == (uint16_t)(ports[i - 1] - ports[i - 2]);
        }
    }
    CHECK(same_id <= 2);
    CHECK(same_port <= 5);
    CHECK(step_id <= 3);
    CHECK(step_port <= 5);
    /* Birthday bound: about 725 repeated IDs are expected among 10000. */
    CHECK(dup_id > 550 && dup_id < 900);
    /* Chi-square over 16 buckets, 15 degrees of freedom: 37.7 is p = 0.001. */
    double chi_id = 0, chi_port = 0, expect = N / (double)BUCKETS;
    for (int b = 0; b < BUCKETS; b++) {
        chi_id += (id_buckets[b] - expect) * (id_buckets[b] - expect) / expect;
        chi_port += (port_buckets[b] - expect) * (port_buckets[b] - expect) / expect;
    }
    printf("IDs: %u repeats, chi2 %.1f; ports: chi2 %.1f\n", dup_id, chi_id, chi_port);
    CHECK(chi_id < 37.7);
    CHECK(chi_port < 37.7);
}

int main(void)
{
    test_encode_name();
    test_parse_good();
    test_parse_cname();
    test_parse_bad();
    test_resolver();
    test_failover();
    test_unpredictable();
    return check_summary("dns");
}
