// config: -DMAMORI_TCP_SACK=0
/* Footprint scenario: tcp_echo.c with SACK (RFC 2018/6675) compiled out; the
 * difference to tcp_echo is what SACK costs. */
#include "tcp_echo.c"
