/* UTCTime and GeneralizedTime as RFC 5280 4.1.2.5 profiles them. */
#include "x509/x509_internal.h"

/* Two ASCII digits, or fails rd. */
static unsigned two_digits(mamori_rd_t *rd)
{
    unsigned v = 0;
    for (int i = 0; i < 2; i++) {
        uint8_t ch = mamori_rd_u8(rd);
        if (ch < '0' || ch > '9')
            mamori_rd_fail(rd);
        v = v * 10 + (unsigned)(uint8_t)(ch - '0');
    }
    return v;
}

static bool is_leap(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t mamori_der_time(mamori_der_t *d)
{
    static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const uint16_t before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    uint8_t tag;
    mamori_der_t c = mamori_der_any(d, &tag);
    mamori_rd_t *rd = &c.rd;
    unsigned year;
    /* 4.1.2.5.1: YYMMDDHHMMSSZ, YY >= 50 is 19YY; 4.1.2.5.2: YYYYMMDDHHMMSSZ
     * without fractions. Both always in UTC ("Z") with seconds. */
    if (tag == MAMORI_DER_UTC_TIME && mamori_rd_left(rd) == 13) {
        year = two_digits(rd);
        year += year >= 50 ? 1900 : 2000;
    } else if (tag == MAMORI_DER_GENERALIZED_TIME && mamori_rd_left(rd) == 15) {
        year = two_digits(rd) * 100;
        year += two_digits(rd);
    } else {
        mamori_der_fail(d);
        return 0;
    }
    unsigned mon = two_digits(rd), day = two_digits(rd);
    unsigned hh = two_digits(rd), mm = two_digits(rd), ss = two_digits(rd);
    if (mamori_rd_u8(rd) != 'Z' || !mamori_rd_done(rd) || year == 0 || mon < 1 || mon > 12 ||
        day < 1 || day > mdays[mon - 1] + (unsigned)(mon == 2 && is_leap(year)) || hh > 23 || mm > 59 ||
        ss > 59) {
        mamori_der_fail(d);
        return 0;
    }
    /* Days from 0001-01-01 to year-01-01, minus those to 1970-01-01 (32-bit
     * arithmetic suffices for years up to 9999). */
    int32_t y = (int32_t)year - 1;
    int32_t days = y * 365 + y / 4 - y / 100 + y / 400 - 719162;
    days += before[mon - 1] + (int32_t)(mon > 2 && is_leap(year)) + (int32_t)day - 1;
    return (int64_t)days * 86400 + (int64_t)(hh * 3600 + mm * 60 + ss);
}
