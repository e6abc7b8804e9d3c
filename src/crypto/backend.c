#include "mamori/crypto_backend.h"

static const mamori_crypto_backend_t *installed_backend;

void mamori_crypto_set_backend(const mamori_crypto_backend_t *backend) { installed_backend = backend; }

const mamori_crypto_backend_t *mamori_crypto_backend(void) { return installed_backend; }
