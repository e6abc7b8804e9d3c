#include "check.h"
#include "core/cursor.h"
#include "mamori/ct.h"
#include "mamori/error.h"

#include <string.h>

static void test_reader_bounds(void)
{
    const uint8_t buf[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
    mamori_rd_t rd;
    mamori_rd_init(&rd, buf, sizeof buf);
    CHECK_EQ(mamori_rd_be16(&rd), 0x1234);
    CHECK_EQ(mamori_rd_be24(&rd), 0x56789a);
    CHECK(mamori_rd_done(&rd));
    CHECK_EQ(mamori_rd_u8(&rd), 0); /* past the end: zero and sticky error */
    CHECK(!mamori_rd_ok(&rd));
    CHECK_EQ(mamori_rd_left(&rd), 0);

    mamori_rd_init(&rd, buf, sizeof buf);
    mamori_rd_t sub = mamori_rd_sub(&rd, 2);
    CHECK_EQ(mamori_rd_be32(&sub), 0); /* sub-reader is bounded by its own length */
    CHECK(!mamori_rd_ok(&sub));
    CHECK(mamori_rd_ok(&rd));
    CHECK_EQ(mamori_rd_left(&rd), 3);
    sub = mamori_rd_sub(&rd, 4); /* longer than what remains */
    CHECK(!mamori_rd_ok(&sub));
    CHECK(!mamori_rd_ok(&rd));

    mamori_rd_init(&rd, buf, sizeof buf);
    CHECK(mamori_rd_take(&rd, (size_t)-1) == NULL); /* huge length cannot wrap */
    mamori_rd_t at = mamori_rd_at(&rd, 4, 2);
    CHECK(!mamori_rd_ok(&at));
}

static void test_writer_bounds(void)
{
    uint8_t buf[4];
    mamori_wr_t wr;
    mamori_wr_init(&wr, buf, sizeof buf);
    mamori_wr_be16(&wr, 0xabcd);
    mamori_wr_u8(&wr, 0xef);
    CHECK(mamori_wr_ok(&wr));
    mamori_wr_be16(&wr, 0x1122); /* does not fit: nothing written, error set */
    CHECK(!mamori_wr_ok(&wr));
    CHECK_EQ(wr.pos, 3);
    CHECK_MEM(buf, "\xab\xcd\xef", 3);
}

static void test_ct(void)
{
    CHECK_EQ(mamori_ct_equal("abcd", "abcd", 4), 1);
    CHECK_EQ(mamori_ct_equal("abcd", "abce", 4), 0);
    CHECK_EQ(mamori_ct_equal("", "", 0), 1);
    CHECK_EQ(mamori_ct_select32(1, 7, 9), 7);
    CHECK_EQ(mamori_ct_select32(0, 7, 9), 9);
    CHECK_EQ(mamori_ct_is_zero32(0), 1);
    CHECK_EQ(mamori_ct_is_zero32(0x80000000u), 0);
    uint8_t d[3] = {1, 2, 3};
    mamori_ct_copy(0, d, "xyz", 3);
    CHECK_MEM(d, "\x01\x02\x03", 3);
    mamori_ct_copy(1, d, "xyz", 3);
    CHECK_MEM(d, "xyz", 3);
    mamori_zeroize(d, 3);
    CHECK_MEM(d, "\0\0\0", 3);
}

static void test_strerror(void)
{
    CHECK(strcmp(mamori_strerror(MAMORI_OK), "success") == 0);
    CHECK(strcmp(mamori_strerror(MAMORI_ERR_CHECKSUM), "bad checksum") == 0);
    CHECK(strcmp(mamori_strerror(12345), "unknown error") == 0);
}

int main(void)
{
    test_reader_bounds();
    test_writer_bounds();
    test_ct();
    test_strerror();
    return check_summary("cursor");
}
