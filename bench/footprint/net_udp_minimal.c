// config: -DMAMORI_DRBG=0 -DMAMORI_IP4_REASSEMBLY=0 -DMAMORI_TCP=0 -DMAMORI_DEFENSE=0
/* The UDP echo device of net_udp.c, built with the configuration above. */
#include "net_udp.c"
