/*
 * SYN cookies (RFC 4987 §3.6). Once a listener's SYN cache is full, a SYN is
 * answered with a SYN-ACK whose initial sequence number carries the
 * handshake's state and nothing is kept; the peer's ACK returns it as
 * SEG.ACK - 1 and, when its MAC verifies, becomes a completed SYN cache
 * entry as if the handshake had been cached all along.
 *
 * Cookie (our ISS), most significant bit first:
 *   2 bits   time slot (of 2^16 ms) modulo 4
 *   3 bits   index of the peer's MSS in mss_table (rounded down)
 *   27 bits  SHA-256(key, slot, both addresses and ports, peer ISS, MSS
 *            index), truncated
 * A cookie is accepted in its own time slot and the next one, i.e. for
 * 65 to 131 s. A forged ACK has 16 valid values among 2^32 per 4-tuple.
 *
 * The SYN-ACK offers no options other than MSS: a connection created from
 * a cookie has no window scaling, no timestamps and no SACK (the cookie has
 * no room for them and the peer then uses none, RFC 7323 §1.3, RFC 2018
 * §2). Windows are then limited to 64 KB, more than the rings of a
 * microcontroller usually hold.
 */
#include <string.h>

#include "mamori/ct.h"
#include "mamori/sha2.h"
#include "net/tcp_internal.h"

#if MAMORI_TCP && MAMORI_TCP_SYN_COOKIES

#define SLOT_SHIFT 16                     /* time slots of 65.536 s */
#define COOKIE_LIFE_MS (2u << SLOT_SHIFT) /* the longest a cookie stays valid */
#define MAC_MASK 0x07ffffffu

/* Common MSS values (Ethernet, PPPoE, tunnels, RFC 9293 default); a peer's
 * MSS is rounded down to one of them. 64 is mamori's floor (TCP_MSS_MIN). */
static const uint16_t mss_table[8] = {TCP_MSS_MIN, 536, 1024, 1220, 1360, 1400, 1440, 1460};

void mamori_tcp_syncookie_init(mamori_stack_t *s)
{
    (void)mamori_random(s, s->tcp.cookie_key, sizeof s->tcp.cookie_key);
    s->tcp.cookie_sent = s->now - COOKIE_LIFE_MS; /* no cookie in use yet */
}

static uint32_t cookie_mac(const mamori_stack_t *s, uint16_t lport, uint32_t rip, uint16_t rport, uint32_t irs,
                           uint32_t slot, unsigned mss_index)
{
    uint8_t in[sizeof s->tcp.cookie_key + 21], h[MAMORI_SHA256_LEN];
    memcpy(in, s->tcp.cookie_key, sizeof s->tcp.cookie_key);
    uint8_t *t = in + sizeof s->tcp.cookie_key;
    mamori_put_be32(t, slot);
    mamori_put_be32(t + 4, s->ip4.addr);
    mamori_put_be16(t + 8, lport);
    mamori_put_be32(t + 10, rip);
    mamori_put_be16(t + 14, rport);
    mamori_put_be32(t + 16, irs);
    t[20] = (uint8_t)mss_index;
    mamori_sha256(in, sizeof in, h);
    uint32_t mac = mamori_get_be32(h) & MAC_MASK;
    mamori_zeroize(in, sizeof in);
    mamori_zeroize(h, sizeof h);
    return mac;
}

void mamori_tcp_syncookie_send(mamori_stack_t *s, const mamori_tcp_listener_t *l, const tcp_seg_t *seg)
{
    uint16_t peer_mss = seg->mss ? seg->mss : 536; /* RFC 9293 §3.7.1 default */
    unsigned i = 7;
    while (i && mss_table[i] > peer_mss)
        i--;
    uint32_t slot = s->now >> SLOT_SHIFT;
    uint32_t mac = cookie_mac(s, l->port, seg->src, seg->sport, seg->seq, slot, i);
    uint32_t iss = (slot & 3u) << 30 | (uint32_t)i << 27 | mac;
    tcp_tx_t t = {.dst = seg->src, .sport = l->port, .dport = seg->sport, .seq = iss, .ack = seg->seq + 1,
                  .flags = TCP_SYN | TCP_ACK, .wnd = MAMORI_MTU - 40, .mss = MAMORI_MTU - 40,
                  .wscale = TCP_NO_WSCALE};
    MAMORI_COUNT(s, tcp_syncookies_sent);
    s->tcp.cookie_sent = s->now;
    (void)mamori_tcp_emit(s, &t);
}

bool mamori_tcp_syncookie_check(mamori_stack_t *s, const mamori_tcp_listener_t *l, const tcp_seg_t *seg,
                                mamori_tcp_syn_t *e)
{
    /* Only while cookies may be out: a blind ACK otherwise meets the
     * ordinary LISTEN rules instead of a 2^-28 guess. */
    if (s->now - s->tcp.cookie_sent >= COOKIE_LIFE_MS)
        return false;
    uint32_t cookie = seg->ack - 1, irs = seg->seq - 1;
    uint32_t now_slot = s->now >> SLOT_SHIFT;
    uint32_t age = (now_slot - (cookie >> 30)) & 3u; /* slots since the one the cookie names */
    unsigned mss_index = (cookie >> 27) & 7u;
    if (age > 1) {
        MAMORI_COUNT(s, tcp_syncookies_rejected);
        return false;
    }
    uint32_t slot = (now_slot - age) & 0xffffu; /* as sent, across the clock's wrap */
    uint32_t want = cookie_mac(s, l->port, seg->src, seg->sport, irs, slot, mss_index);
    if (!mamori_ct_is_zero32((cookie & MAC_MASK) ^ want)) {
        MAMORI_COUNT(s, tcp_syncookies_rejected);
        return false;
    }
    MAMORI_COUNT(s, tcp_syncookies_accepted);
    memset(e, 0, sizeof *e);
    e->used = 1;
    e->remote_ip = seg->src;
    e->remote_port = seg->sport;
    e->irs = irs;
    e->iss = cookie;
    e->peer_mss = mss_table[mss_index];
    e->peer_wscale = TCP_NO_WSCALE;
    return true;
}

#endif
