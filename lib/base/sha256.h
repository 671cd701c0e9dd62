/* SHA-256 (FIPS 180-4) for hop.*.sha256 pins (lib/base/sha256.c) */
#ifndef HOP_SHA256_H
#define HOP_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[32]);
/* 64 lowercase hex digits and a NUL */
void sha256_hex(const uint8_t d[32], char out[65]);
/* opens path, copies it into a sealed memfd while hashing, and compares
 * with want (hex, any case): the memfd holds exactly the bytes that were
 * checked, so nothing can change between check and load. Regular files
 * only, at most their size, and -EFBIG when that is more than hop can
 * hold in RAM (file_fits_memory). The fd, or -EBADMSG on a mismatch (got
 * set), -errno otherwise. */
int sha256_pinned_copy(const char *path, const char *want, char got[65]);

#endif
