/* UTCTime and GeneralizedTime as RFC 5280 4.1.2.5 profiles them. */
#include "x509/x509_internal.h"

int64_t mamori_der_time(mamori_der_t *d)
{
    uint8_t tag;
    unsigned f[7]; /* two-digit fields: [century,] year, month, day, hour, minute, second */
    mamori_der_t c = mamori_der_any(d, &tag);
    mamori_rd_t *rd = &c.rd;
    /* 4.1.2.5.1: YYMMDDHHMMSSZ, YY >= 50 is 19YY; 4.1.2.5.2: YYYYMMDDHHMMSSZ
     * without fractions. Both always in UTC ("Z") with seconds. */
    unsigned utc = tag == MAMORI_DER_UTC_TIME, n = utc ? 6 : 7;
    if ((!utc && tag != MAMORI_DER_GENERALIZED_TIME) || mamori_rd_left(rd) != 2 * n + 1)
        mamori_rd_fail(rd);
    for (unsigned i = 0; i < n; i++) {
        uint8_t hi = (uint8_t)(mamori_rd_u8(rd) - '0'), lo = (uint8_t)(mamori_rd_u8(rd) - '0');
        if (hi > 9 || lo > 9)
            mamori_rd_fail(rd);
        f[i] = hi * 10u + lo;
    }
    unsigned *t = f + n - 5; /* month, day, hour, minute, second */
    unsigned year = utc ? f[0] + (f[0] >= 50 ? 1900 : 2000) : f[0] * 100 + f[1];
    unsigned leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    /* Days in the month: 31 for odd months up to July and even ones after. */
    unsigned mdays = t[0] == 2 ? 28 + leap : 30 + ((t[0] ^ (t[0] >> 3)) & 1);
    if (mamori_rd_u8(rd) != 'Z' || !mamori_rd_done(rd) || year == 0 || t[0] - 1 > 11 ||
        t[1] - 1 >= mdays || t[2] > 23 || t[3] > 59 || t[4] > 59) {
        mamori_der_fail(d);
        return 0;
    }
    /* Days from 1970-01-01 (civil calendar from March, so that the leap
     * day ends a year; 32-bit arithmetic suffices for years up to 9999). */
    int32_t y = (int32_t)year - (t[0] <= 2), m = (int32_t)t[0] + (t[0] <= 2 ? 9 : -3);
    int32_t days = y * 365 + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + (int32_t)t[1] - 719469;
    return (int64_t)days * 86400 + (int64_t)(t[2] * 3600 + t[3] * 60 + t[4]);
}
