/* UTCTime and GeneralizedTime as RFC 5280 4.1.2.5 profiles them. */
#include "x509/x509_internal.h"

int64_t mamori_der_time(mamori_der_t *d)
{
    /* Highest century, year, month, day, hour, minute, second (the day is
     * refined below, month and day zero too). */
    static const uint8_t max[7] = {99, 99, 12, 31, 23, 59, 59};
    unsigned f[7]; /* two-digit fields: century, year, month, day, hour, minute, second */
    size_t n;
    uint8_t tag = mamori_der_peek(d);
    const uint8_t *p = mamori_der_tlv(d, tag, &n);
    /* 4.1.2.5.1: YYMMDDHHMMSSZ, YY >= 50 is 19YY; 4.1.2.5.2: YYYYMMDDHHMMSSZ
     * without fractions. Both always in UTC ("Z") with seconds. */
    unsigned utc = tag == MAMORI_DER_UTC_TIME;
    bool ok = (utc || tag == MAMORI_DER_GENERALIZED_TIME) && n == 15 - 2 * utc && p[n - 1] == 'Z';
    for (unsigned i = utc; ok && i < 7; i++, p += 2) {
        unsigned hi = (uint8_t)(p[0] - '0'), lo = (uint8_t)(p[1] - '0');
        f[i] = hi * 10 + lo;
        ok = hi <= 9 && lo <= 9 && f[i] <= max[i];
    }
    if (!ok) {
        mamori_der_fail(d);
        return 0;
    }
    if (utc)
        f[0] = f[1] >= 50 ? 19 : 20;
    unsigned year = f[0] * 100 + f[1], mon = f[2];
    /* Leap: YY divisible by 4, or YY 00 and CC divisible by 4. */
    unsigned leap = ((f[1] ? f[1] : f[0]) & 3) == 0;
    /* Days in the month: 31 for odd months up to July and even ones after. */
    unsigned mdays = mon == 2 ? 28 + leap : 30 + ((mon ^ (mon >> 3)) & 1);
    if (year == 0 || mon == 0 || f[3] - 1 >= mdays) {
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
