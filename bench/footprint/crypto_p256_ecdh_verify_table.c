// config: -DMAMORI_P384=0
/* crypto_p256_ecdh_verify.c with the default 8.5 KB fixed-base table. */
#include "crypto_p256_ecdh_verify.c"
