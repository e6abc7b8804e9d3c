/* UTCTime and GeneralizedTime as RFC 5280 4.1.2.5 profiles them. */
#include "x509/x509_internal.h"

int64_t mamori_der_time(mamori_der_t *d)
{
    /* Highest month, day, hour, minute, second (day refined below). */
    static const uint8_t max[5] = {12, 31, 23, 59, 59};
    uint8_t tag;
    unsigned f[7]; /* two-digit fields: century, year, month, day, hour, minute, second */
    mamori_der_t c = mamori_der_any(d, &tag);
    mamori_rd_t *rd = &c.rd;
    /* 4.1.2.5.1: YYMMDDHHMMSSZ, YY >= 50 is 19YY; 4.1.2.5.2: YYYYMMDDHHMMSSZ
     * without fractions. Both always in UTC ("Z") with seconds. */
    unsigned utc = tag == MAMORI_DER_UTC_TIME;
    if ((!utc && tag != MAMORI_DER_GENERALIZED_TIME) || mamori_rd_left(rd) != 15 - 2 * utc)
        mamori_rd_fail(rd);
    for (unsigned i = utc; i < 7; i++) {
        unsigned hi = (uint8_t)(mamori_rd_u8(rd) - '0'), lo = (uint8_t)(mamori_rd_u8(rd) - '0');
        if (hi > 9 || lo > 9 || (i > 1 && hi * 10 + lo > max[i - 2]))
            mamori_rd_fail(rd);
        f[i] = hi * 10 + lo;
    }
    if (utc)
        f[0] = f[1] >= 50 ? 19 : 20;
    unsigned year = f[0] * 100 + f[1], mon = f[2];
    /* Leap: YY divisible by 4, or YY 00 and CC divisible by 4. */
    unsigned leap = ((f[1] ? f[1] : f[0]) & 3) == 0;
    /* Days in the month: 31 for odd months up to July and even ones after. */
    unsigned mdays = mon == 2 ? 28 + leap : 30 + ((mon ^ (mon >> 3)) & 1);
    if (mamori_rd_u8(rd) != 'Z' || !mamori_rd_done(rd) || year == 0 || mon == 0 ||
        f[3] - 1 >= mdays) {
        mamori_der_fail(d);
        return 0;
    }
    /* Days from 1970-01-01 (civil calendar from March, so that the leap
     * day ends a year; 32-bit arithmetic suffices for years up to 9999). */
    unsigned y = year - (mon <= 2), m = mon <= 2 ? mon + 9 : mon - 3;
    unsigned since0 = y * 365 + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + f[3];
    int32_t days = (int32_t)since0 - 719469;
    return (int64_t)days * 86400 + (int64_t)(f[4] * 3600 + f[5] * 60 + f[6]);
}
