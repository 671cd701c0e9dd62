/* gzip and EFI zboot unwrapping (lib/plan/inflate.c); the compressed fixtures
 * are made here with libdeflate's compressor */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "inflate.h"
#include "plan.h"
#include "test.h"

#define DATA_LEN 100000

/* gzip of in into a new buffer */
static uint8_t *gz(const uint8_t *in, size_t len, size_t *outlen)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	size_t cap = libdeflate_gzip_compress_bound(c, len);
	uint8_t *out = malloc(cap);

	*outlen = libdeflate_gzip_compress(c, in, len, out, cap);
	libdeflate_free_compressor(c);
	return out;
}

/* an EFI zboot image: 64-byte header, payload at 0x40 */
static uint8_t *zboot(const uint8_t *payload, size_t len, const char *type,
	size_t *outlen)
{
	uint8_t *z = calloc(1, 0x40 + len);

	memcpy(z, "MZ\0\0zimg", 8);
	put_le32(z + 8, 0x40);
	put_le32(z + 12, (uint32_t)len);
	memcpy(z + 24, type, strlen(type));
	memcpy(z + 0x40, payload, len);
	*outlen = 0x40 + len;
	return z;
}

/* fuzz/regress/planners/gzip-isize: 20 bytes whose ISIZE claims 1.7 GB
 * once made every try allocate INFLATE_MAX; the bound is what DEFLATE can
 * produce from the input, and a real 1000:1 stream still fits it */
static void test_gzip_bound(void)
{
	static const uint8_t tiny[20] = { 0x1f, 0x8b, 0x00, 0x62, 0x6c, 0x65,
		0x2d, 0x6d, 0x65, 0x00, 0x00, 0x00, 0x00, 0x2d, 0x00, 0x00,
		0x00, 0x62, 0x6c, 0x65 };
	uint8_t *zeros = calloc(1, 8 << 20), *g, *out = NULL;
	size_t glen, outlen = 0;
	char why[256] = "";
	int err;

	/* the default limit: an earlier test's load_image sets it from this
	 * host's free memory at that moment */
	inflate_limit = INFLATE_MAX;
	CHECK_INT("inflate_gzip_bound(20, 0)", inflate_gzip_bound(20, 0),
		20 * 1032);
	CHECK_INT("inflate_gzip_bound(1 MiB, 0)", inflate_gzip_bound(1 << 20,
		0), INFLATE_MAX);
	CHECK_INT("inflate_gzip_bound(100, 65536)", inflate_gzip_bound(100,
		65536), 65536);
	CHECK_INT("inflate_gzip(tiny, ISIZE 1.7 GB)", inflate_gzip(tiny,
		sizeof(tiny), 0, &out, &outlen, why, sizeof(why)), -EINVAL);
	g = gz(zeros, 8 << 20, &glen);
	err = inflate_gzip(g, glen, 0, &out, &outlen, why, sizeof(why));
	CHECK(err == 0 && outlen == (8 << 20) && !out[0] &&
		!out[outlen - 1], "inflate_gzip(8 MiB of zeros in %zu bytes) = "
		"%d (%s), %zu bytes; want 0, 8 MiB", glen, err, why, outlen);
	free(out);
	free(g);
	free(zeros);
}

static void test_gzip(const uint8_t *data)
{
	uint8_t *g, *out = NULL;
	size_t glen, outlen = 0, i;
	char why[256] = "";
	int err;

	g = gz(data, DATA_LEN, &glen);
	CHECK_INT("inflate_is_gzip(gz)", inflate_is_gzip(g, glen), 1);
	CHECK_INT("inflate_is_gzip(1 byte)", inflate_is_gzip(g, 1), 0);
	CHECK_INT("inflate_is_zboot(gz)", inflate_is_zboot(g, glen), 0);

	err = inflate_gzip(g, glen, 0, &out, &outlen, why, sizeof(why));
	CHECK(err == 0 && outlen == DATA_LEN && !memcmp(out, data, DATA_LEN),
		"inflate_gzip() = %d (%s), %zu bytes; want 0, %d same bytes",
		err, why, outlen, DATA_LEN);
	free(out);

	/* padding after the member: the last 4 bytes are no ISIZE; too
	 * small a guess grows, 0 guesses, too large is trimmed */
	g = realloc(g, glen + 8);
	memset(g + glen, 0, 8);
	for (i = 0; i < 3; i++) {
		static const uint32_t junk[3] = { 100, 0, 50u << 20 };

		put_le32(g + glen + 4, junk[i]);
		out = NULL;
		err = inflate_gzip(g, glen + 8, 0, &out, &outlen, why,
			sizeof(why));
		CHECK(err == 0 && outlen == DATA_LEN &&
			!memcmp(out, data, DATA_LEN), "inflate_gzip(padded, "
			"last word %u) = %d (%s), %zu bytes; want 0, %d bytes",
			junk[i], err, why, outlen, DATA_LEN);
		free(out);
	}
	/* ISIZE is checked: a wrong one is corrupt data */
	put_le32(g + glen - 4, 100);
	CHECK_INT("inflate_gzip(ISIZE 100)", inflate_gzip(g, glen, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	put_le32(g + glen - 4, DATA_LEN);

	CHECK_INT("inflate_gzip(max 65536)", inflate_gzip(g, glen, 65536, &out,
		&outlen, why, sizeof(why)), -EFBIG);
	CHECK_STR("inflate_gzip(max 65536) why", why,
		"gzip: inflates to more than 65536 bytes");
	CHECK_INT("inflate_gzip(12 bytes)", inflate_gzip(g, 12, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	CHECK_STR("inflate_gzip(12 bytes) why", why,
		"gzip: truncated: 12 bytes, less than a header and trailer");
	CHECK_INT("inflate_gzip(data)", inflate_gzip(data, 100, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	CHECK_STR("inflate_gzip(data) why", why,
		"gzip: bad magic 0x0001 (want 1f8b)");
	/* a wrong CRC32 in the trailer */
	g[glen - 8] ^= 0xff;
	CHECK_INT("inflate_gzip(bad crc)", inflate_gzip(g, glen, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	CHECK_STR("inflate_gzip(bad crc) why", why, "gzip: CRC or length in "
		"the trailer does not match the data (corrupt)");
	/* cut in the middle of the deflate stream */
	g[glen - 8] ^= 0xff;
	CHECK_INT("inflate_gzip(cut)", inflate_gzip(g, glen / 2, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	free(g);
}

static void test_zboot(const uint8_t *data)
{
	uint8_t *g, *z, *out = NULL;
	size_t glen, zlen, outlen = 0;
	char why[256] = "", want[256];
	int err;

	g = gz(data, DATA_LEN, &glen);
	z = zboot(g, glen, "gzip", &zlen);
	CHECK_INT("inflate_is_zboot(zboot)", inflate_is_zboot(z, zlen), 1);
	CHECK_INT("inflate_is_gzip(zboot)", inflate_is_gzip(z, zlen), 0);
	err = inflate_zboot(z, zlen, 0, &out, &outlen, why, sizeof(why));
	CHECK(err == 0 && outlen == DATA_LEN && !memcmp(out, data, DATA_LEN),
		"inflate_zboot() = %d (%s), %zu bytes", err, why, outlen);
	free(out);

	CHECK_INT("inflate_zboot(short)", inflate_zboot(z, zlen - 1, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	snprintf(want, sizeof(want), "zboot: truncated: payload 0x40+%zu "
		"beyond the file's %zu bytes", glen, zlen - 1);
	CHECK_STR("inflate_zboot(short) why", why, want);
	free(z);

	z = zboot(g, glen, "zstd", &zlen);
	CHECK_INT("inflate_zboot(zstd)", inflate_zboot(z, zlen, 0, &out,
		&outlen, why, sizeof(why)), -ENOTSUP);
	CHECK_STR("inflate_zboot(zstd) why", why, "zboot: payload compressed "
		"with \"zstd\"; only gzip is supported");
	free(z);
	z = zboot(g, glen, "\x01xz", &zlen);
	CHECK_INT("inflate_zboot(\\x01xz)", inflate_zboot(z, zlen, 0, &out,
		&outlen, why, sizeof(why)), -ENOTSUP);
	CHECK_STR("inflate_zboot(\\x01xz) why", why, "zboot: payload "
		"compressed with \"\\x01xz\"; only gzip is supported");
	free(z);

	/* a corrupt payload: the gzip message, prefixed */
	g[glen - 8] ^= 0xff;
	z = zboot(g, glen, "gzip", &zlen);
	CHECK_INT("inflate_zboot(bad crc)", inflate_zboot(z, zlen, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	CHECK_STR("inflate_zboot(bad crc) why", why,
		"zboot payload: gzip: CRC or length in the trailer does not "
		"match the data (corrupt)");
	CHECK_INT("inflate_zboot(32 bytes)", inflate_zboot(z, 32, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	CHECK_STR("inflate_zboot(32 bytes) why", why,
		"zboot: truncated: 32 bytes, the header is 64");
	CHECK_INT("inflate_zboot(gzip)", inflate_zboot(g, glen, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	free(z);
	free(g);
}

/* the CRC and the optional header fields hop reads itself (RFC 1952) */
static void test_gzip_header(const uint8_t *data)
{
	static const uint8_t extra[] = { 0x04, 0x00, 'h', 'o', 'p', '!' };
	uint8_t *g, *h, *out = NULL;
	size_t glen, hlen, outlen = 0;
	char why[256] = "";
	int err;

	CHECK_INT("inflate_crc32(123456789)", inflate_crc32((const uint8_t *)
		"123456789", 9), 0xcbf43926);
	CHECK_INT("inflate_crc32(empty)", inflate_crc32(NULL, 0), 0);
	CHECK_INT("inflate_crc32(data)", inflate_crc32(data, DATA_LEN),
		libdeflate_crc32(0, data, DATA_LEN));

	/* FEXTRA, FNAME, FCOMMENT and FHCRC between the 10 bytes and the
	 * stream, as gzip -N and other writers put them */
	g = gz(data, 1000, &glen);
	h = malloc(glen + 64);
	memcpy(h, g, 10);
	h[3] = 0x04 | 0x08 | 0x10 | 0x02;
	hlen = 10;
	memcpy(h + hlen, extra, sizeof(extra));
	hlen += sizeof(extra);
	memcpy(h + hlen, "vmlinuz", 8);
	hlen += 8;
	memcpy(h + hlen, "a comment", 10);
	hlen += 10;
	h[hlen++] = 0x12;	/* header CRC16: not checked, as gzip(1) */
	h[hlen++] = 0x34;
	memcpy(h + hlen, g + 10, glen - 10);
	hlen += glen - 10;
	err = inflate_gzip(h, hlen, 0, &out, &outlen, why, sizeof(why));
	CHECK(err == 0 && outlen == 1000 && !memcmp(out, data, 1000),
		"inflate_gzip(header fields) = %d (%s), %zu bytes", err, why,
		outlen);
	free(out);
	/* a name without its NUL runs to the end */
	h[3] = 0x08;
	memset(h + 10, 'x', hlen - 10);
	CHECK_INT("inflate_gzip(endless name)", inflate_gzip(h, hlen, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	CHECK_STR("inflate_gzip(endless name) why", why, "gzip: bad member "
		"header (method 8, flags 0x08, or fields past the end)");
	/* a method other than deflate */
	h[2] = 7;
	h[3] = 0;
	CHECK_INT("inflate_gzip(method 7)", inflate_gzip(h, hlen, 0, &out,
		&outlen, why, sizeof(why)), -EINVAL);
	free(h);
	free(g);
}

void test_inflate(void)
{
	uint8_t *data = malloc(DATA_LEN);
	uint32_t x = 1;
	size_t i;

	/* compressible but not trivially: a few symbols, pseudo-random */
	for (i = 0; i < DATA_LEN; i++) {
		x = x * 1103515245 + 12345;
		data[i] = (uint8_t)((x >> 16) & 7);
	}
	data[0] = 0;
	data[1] = 1;
	test_gzip_header(data);
	test_gzip_bound();
	test_gzip(data);
	test_zboot(data);
	free(data);
}
