/* Whole-buffer decompression of compressed kernels with libdeflate:
 * Image.gz and the EFI zboot wrapper (docs/kernel-abi.md §3.5). Pure.
 *
 * libdeflate inflates the raw DEFLATE stream; the gzip member around it
 * (RFC 1952) is read here, and its CRC-32 computed here, slicing by 8
 * with tables built in memory on first use: libdeflate's own gzip entry
 * point links its CRC tables and a PCLMUL variant, 12 KB of a binary that
 * should stay small, for a check that costs tens of milliseconds on a
 * 30 MB kernel either way. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "inflate.h"
#include "plan.h"

/* RFC 1952 §2.3: 10-byte member header, CRC32 and ISIZE trailer */
#define GZIP_HDR 10
#define GZIP_TRAILER 8
#define GZIP_FHCRC 0x02
#define GZIP_FEXTRA 0x04
#define GZIP_FNAME 0x08
#define GZIP_FCOMMENT 0x10
/* DEFLATE's best case: a 258-byte match in two 1-bit codes, so no stream
 * of n bytes inflates to more than 1032 n (RFC 1951 §3.2.5) */
#define DEFLATE_MAX_RATIO 1032

/* EFI zboot header (linux drivers/firmware/efi/libstub/zboot-header.S,
 * kexec-tools include/kexec-pe-zboot.h): the DOS header of a PE file */
#define ZBOOT_HDR 0x40
#define ZBOOT_PAYLOAD_OFFSET 8
#define ZBOOT_PAYLOAD_SIZE 12
#define ZBOOT_COMP_TYPE 24
#define ZBOOT_PE_OFFSET 0x3c	/* end of the compression type string */

int inflate_is_gzip(const uint8_t *buf, size_t len)
{
	return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

int inflate_is_zboot(const uint8_t *buf, size_t len)
{
	return len >= 8 && !memcmp(buf, "MZ", 2) && !memcmp(buf + 4, "zimg", 4);
}

/* CRC-32 of RFC 1952 §8 (reflected, polynomial 0xedb88320), eight bytes
 * a step: t[k][b] is the CRC of byte b followed by k zero bytes */
static uint32_t crc_tab[8][256];

static void crc_init(void)
{
	uint32_t c;
	int b, k, i;

	if (crc_tab[0][128]) {
		return;
	}
	for (b = 0; b < 256; b++) {
		c = (uint32_t)b;
		for (i = 0; i < 8; i++) {
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		}
		crc_tab[0][b] = c;
	}
	for (b = 0; b < 256; b++) {
		for (k = 1; k < 8; k++) {
			c = crc_tab[k - 1][b];
			crc_tab[k][b] = crc_tab[0][c & 0xff] ^ (c >> 8);
		}
	}
}

uint32_t inflate_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu, lo, hi;

	crc_init();
	for (; n >= 8; p += 8, n -= 8) {
		lo = c ^ le32(p);
		hi = le32(p + 4);
		c = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^
			crc_tab[5][(lo >> 16) & 0xff] ^ crc_tab[4][lo >> 24] ^
			crc_tab[3][hi & 0xff] ^ crc_tab[2][(hi >> 8) & 0xff] ^
			crc_tab[1][(hi >> 16) & 0xff] ^ crc_tab[0][hi >> 24];
	}
	while (n--) {
		c = crc_tab[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	}
	return ~c;
}

/* the length of the member header (RFC 1952 §2.3.1: optional extra
 * field, name, comment and header CRC after the fixed 10 bytes), or 0
 * when it runs past len or names another method than deflate (8) */
static size_t gzip_header(const uint8_t *in, size_t len)
{
	size_t h = GZIP_HDR;
	uint8_t flg = in[3];

	if (in[2] != 8 || (flg & 0xe0)) {
		return 0;
	}
	if (flg & GZIP_FEXTRA) {
		if (h + 2 > len) {
			return 0;
		}
		h += 2 + (size_t)(in[h] | in[h + 1] << 8);
	}
	if (flg & GZIP_FNAME) {
		while (h < len && in[h]) {
			h++;
		}
		h++;
	}
	if (flg & GZIP_FCOMMENT) {
		while (h < len && in[h]) {
			h++;
		}
		h++;
	}
	if (flg & GZIP_FHCRC) {
		h += 2;
	}
	return h + GZIP_TRAILER <= len ? h : 0;
}

size_t inflate_limit = INFLATE_MAX;

size_t inflate_gzip_bound(size_t len, size_t max)
{
	if (!max) {
		max = inflate_limit;
	}
	/* the trailer's ISIZE is only a hint, and any 4 bytes claim up to
	 * 4 GiB: never allocate more than the stream can inflate to (a
	 * 20-byte file once cost a 512 MiB buffer per try) */
	return len <= max / DEFLATE_MAX_RATIO ? len * DEFLATE_MAX_RATIO : max;
}

/* the first output size to try, from the ISIZE trailer (the size mod
 * 2^32, RFC 1952 §2.3.1) in the last 4 bytes. Only a hint: padding after
 * the member (a file rounded up to a block) or a second member puts other
 * bytes there; the member's own ISIZE and CRC are checked after. */
static size_t first_guess(const uint8_t *in, size_t len, size_t max)
{
	size_t n = le32(in + len - 4);

	if (n == 0) {
		n = len > max / 4 ? max : len * 4;
	}
	if (n < 4096) {
		n = 4096;
	}
	return n < max ? n : max;
}

int inflate_gzip(const uint8_t *in, size_t len, size_t max, uint8_t **out,
	size_t *outlen, char *why, size_t whysz)
{
	struct libdeflate_decompressor *d;
	enum libdeflate_result r;
	uint8_t *buf = NULL, *nbuf;
	size_t size, got = 0, used = 0, h;
	const uint8_t *trailer;

	if (len < 2 || !inflate_is_gzip(in, len)) {
		return hop_why(why, whysz, -EINVAL, "gzip: bad magic 0x%02x%02x "
			"(want 1f8b)", len > 0 ? in[0] : 0, len > 1 ? in[1] : 0);
	}
	if (len < GZIP_HDR + GZIP_TRAILER) {
		return hop_why(why, whysz, -EINVAL, "gzip: truncated: %zu bytes, "
			"less than a header and trailer", len);
	}
	h = gzip_header(in, len);
	if (!h) {
		return hop_why(why, whysz, -EINVAL, "gzip: bad member header "
			"(method %u, flags 0x%02x, or fields past the end)",
			in[2], in[3]);
	}
	max = inflate_gzip_bound(len, max);
	d = libdeflate_alloc_decompressor();
	if (!d) {
		return hop_why(why, whysz, -ENOMEM, "gzip: out of memory");
	}
	size = first_guess(in, len, max);
	for (;;) {
		nbuf = realloc(buf, size);
		if (!nbuf) {
			free(buf);
			libdeflate_free_decompressor(d);
			return hop_why(why, whysz, -ENOMEM, "gzip: out of memory "
				"for %zu bytes", size);
		}
		buf = nbuf;
		r = libdeflate_deflate_decompress_ex(d, in + h,
			len - h - GZIP_TRAILER, buf, size, &used, &got);
		if (r != LIBDEFLATE_INSUFFICIENT_SPACE || size == max) {
			break;
		}
		/* the hint was wrong: grow */
		size = size > max / 2 ? max : size * 2;
	}
	libdeflate_free_decompressor(d);
	if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
		free(buf);
		return hop_why(why, whysz, -EFBIG, "gzip: inflates to more than "
			"%zu bytes", max);
	}
	if (r != LIBDEFLATE_SUCCESS) {
		free(buf);
		return hop_why(why, whysz, -EINVAL, "gzip: corrupt data (libdeflate "
			"result %d)", (int)r);
	}
	trailer = in + h + used;
	if (le32(trailer) != inflate_crc32(buf, got) ||
		le32(trailer + 4) != (uint32_t)got) {
		free(buf);
		return hop_why(why, whysz, -EINVAL, "gzip: CRC or length in the "
			"trailer does not match the data (corrupt)");
	}
	if (got < size) {
		nbuf = realloc(buf, got ? got : 1);
		if (nbuf) {
			buf = nbuf;
		}
	}
	*out = buf;
	*outlen = got;
	return 0;
}

/* the compression type string, printable or escaped, for messages */
static void comp_type(const uint8_t *in, char *s, size_t n)
{
	size_t i, k = 0;

	for (i = ZBOOT_COMP_TYPE; i < ZBOOT_PE_OFFSET && in[i] && k + 5 < n;
		i++) {
		if (in[i] >= 0x20 && in[i] < 0x7f) {
			s[k++] = (char)in[i];
		} else {
			k += (size_t)snprintf(s + k, n - k, "\\x%02x", in[i]);
		}
	}
	s[k] = '\0';
}

int inflate_zboot(const uint8_t *in, size_t len, size_t max, uint8_t **out,
	size_t *outlen, char *why, size_t whysz)
{
	uint32_t off, size;
	char type[64], inner[192];
	int err;

	if (!inflate_is_zboot(in, len)) {
		return hop_why(why, whysz, -EINVAL, "zboot: no \"MZ\" and \"zimg\" "
			"at offsets 0 and 4 (not an EFI zboot image)");
	}
	if (len < ZBOOT_HDR) {
		return hop_why(why, whysz, -EINVAL, "zboot: truncated: %zu bytes, "
			"the header is %d", len, ZBOOT_HDR);
	}
	comp_type(in, type, sizeof(type));
	if (strcmp(type, "gzip")) {
		return hop_why(why, whysz, -ENOTSUP, "zboot: payload compressed "
			"with \"%s\"; only gzip is supported", type);
	}
	off = le32(in + ZBOOT_PAYLOAD_OFFSET);
	size = le32(in + ZBOOT_PAYLOAD_SIZE);
	if (size == 0 || off > len || size > len - off) {
		return hop_why(why, whysz, -EINVAL, "zboot: truncated: payload "
			"0x%x+%u beyond the file's %zu bytes", off, size, len);
	}
	err = inflate_gzip(in + off, size, max, out, outlen, inner,
		sizeof(inner));
	if (err < 0) {
		return hop_why(why, whysz, err, "zboot payload: %s", inner);
	}
	return 0;
}
