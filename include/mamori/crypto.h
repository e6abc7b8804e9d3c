/* mamori crypto: everything in one include. Each header is usable alone. */
#ifndef MAMORI_CRYPTO_H
#define MAMORI_CRYPTO_H

#include "mamori/ct.h"
#include "mamori/rng.h"
#include "mamori/crypto_backend.h"
#include "mamori/sha2.h"
#include "mamori/hmac.h"
#include "mamori/drbg.h"
#include "mamori/aes.h"
#include "mamori/gcm.h"
#include "mamori/chachapoly.h"
#include "mamori/x25519.h"
#include "mamori/ed25519.h"
#include "mamori/ecc.h"
#include "mamori/rsa.h"

#endif
