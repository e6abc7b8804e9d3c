/* Internal side of the prepared public keys (mamori/ecc.h). */
#ifndef MAMORI_EC_PREPARED_INTERNAL_H
#define MAMORI_EC_PREPARED_INTERNAL_H

#include "crypto/ec_point.h"
#include "mamori/ecc.h"

#if MAMORI_EC_PREPARED
/* The checks every use of a prepared key makes first, in the order of the
 * unprepared functions: MAMORI_ERR_INVAL without pk, MAMORI_ERR_UNSUPPORTED
 * for its curve, MAMORI_ERR_INVAL unless args_ok, then the error
 * mamori_ec_prepare gave (MAMORI_OK for a usable key); *c is its curve. */
int ec_prepared_check(const mamori_ec_prepared_t *pk, int args_ok, const ec_curve_t **c);
#endif

#endif
