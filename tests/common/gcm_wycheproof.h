/*
 * Every Wycheproof AES-GCM vector (aes_gcm_test), run through the public
 * mamori_gcm_* API, so through whatever crypto backend is installed. Shared
 * by the software test (tests/unit/test_aes_gcm.c) and the hardware backend
 * test (tests/unit/test_crypto_x86.c).
 */
#ifndef MAMORI_TEST_GCM_WYCHEPROOF_H
#define MAMORI_TEST_GCM_WYCHEPROOF_H

/* Valid vectors must open to msg and seal to ct||tag; invalid ones (modified
 * tags, and a zero-length IV which the API rejects) must fail to open and
 * leave out as it was. The file holds no "acceptable" vectors; one would be
 * counted and must at least open or fail cleanly. Prints the counts under
 * label and returns the number of vectors run. */
unsigned gcm_wycheproof_run(const char *label);

#endif
