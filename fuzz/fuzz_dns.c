/*
 * libFuzzer harness: arbitrary DNS responses into the resolver's parser, for
 * the question "www.example.test"/A with ID 0x4242 (inputs that start with
 * that ID and question reach the answer section), and every offset of the
 * input into the name decompressor.
 */
#include <stddef.h>
#include <stdint.h>

#include "app/dns_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t qname[] = "\3www\7example\4test";
    mamori_dns_result_t res;
    (void)mamori_dns_parse(data, size, 0x4242, qname, sizeof qname, MAMORI_DNS_TYPE_A, 60, &res);
    mamori_rd_t rd;
    mamori_rd_init(&rd, data, size);
    for (size_t off = 0; off < size && off < 64; off++) {
        uint8_t name[MAMORI_DNS_NAME_MAX];
        size_t next = 0;
        size_t n = mamori_dns_read_name(&rd, off, size, name, &next);
        if (n > MAMORI_DNS_NAME_MAX || (n && (next > size || name[n - 1] != 0)))
            __builtin_trap();
    }
    return 0;
}
