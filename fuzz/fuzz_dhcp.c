/*
 * libFuzzer harness: arbitrary BOOTREPLY messages into the DHCP parser. The
 * first 4 bytes of the input are also the xid expected and the MAC is fixed,
 * so the option areas (with overload) are reached.
 */
#include <stddef.h>
#include <stdint.h>

#include "app/dhcp_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 2};
    uint32_t xid = size >= 8 ? (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 | data[7] : 0;
    mamori_dhcp_msg_t m;
    if (mamori_dhcp_parse(data, size, xid, mac, &m) == 0 && (m.type == 0 || m.dns_count > MAMORI_DHCP_DNS_MAX))
        __builtin_trap();
    return 0;
}
