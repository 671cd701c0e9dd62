/* Whole-buffer decompression of compressed kernels: gzip (Image.gz) and the
 * EFI zboot wrapper (CONFIG_EFI_ZBOOT; docs/kernel-abi.md §3.5). Pure:
 * bytes in, a malloc'd buffer out, or -errno with a message in why. */
#ifndef HOP_INFLATE_H
#define HOP_INFLATE_H

#include <stddef.h>
#include <stdint.h>

/* the largest output accepted when max is 0: no kernel is near this, so a
 * bigger result means a corrupt or hostile file */
#define INFLATE_MAX ((size_t)512 << 20)
/* what max 0 means: INFLATE_MAX, or less when the caller knows that RAM
 * holds less (lib/load/load.c: half of the free memory): an inflate that
 * cannot fit fails with -EFBIG, not PID 1 with the kernel's OOM */
extern size_t inflate_limit;

/* 1 if buf starts with the gzip magic 1f 8b (RFC 1952 §2.3.1), else 0 */
int inflate_is_gzip(const uint8_t *buf, size_t len);
/* 1 if buf starts with an EFI zboot header ("MZ" at 0, "zimg" at 4) */
int inflate_is_zboot(const uint8_t *buf, size_t len);

/* the CRC-32 of RFC 1952 (gzip's trailer) */
uint32_t inflate_crc32(const uint8_t *p, size_t n);

/* gunzips the first member of in[0, len) into a new malloc'd *out of
 * *outlen bytes (the caller frees it). The buffer is sized from the
 * ISIZE trailer and grown when ISIZE is wrong, never beyond max bytes
 * (0: inflate_limit). 0, or -errno with why set: -EINVAL not gzip or
 * corrupt, -EFBIG larger than max, -ENOMEM. */
int inflate_gzip(const uint8_t *in, size_t len, size_t max, uint8_t **out,
	size_t *outlen, char *why, size_t whysz);

/* the largest output inflate_gzip allows for len bytes of gzip: max (0:
 * inflate_limit), or less when DEFLATE cannot produce that much from len
 * bytes (1032 per byte at best) */
size_t inflate_gzip_bound(size_t len, size_t max);

/* unwraps an EFI zboot image: decompresses its payload (gzip only) into
 * a new malloc'd *out, as inflate_gzip(). -EINVAL not zboot or payload
 * outside the file, -ENOTSUP another compression (why names it). */
int inflate_zboot(const uint8_t *in, size_t len, size_t max, uint8_t **out,
	size_t *outlen, char *why, size_t whysz);

#endif
