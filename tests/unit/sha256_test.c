/* SHA-256 against the FIPS 180-4 / NIST example vectors, and pins */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hop.h"
#include "sha256.h"
#include "test.h"

static const char *digest(const void *p, size_t len, size_t chunk)
{
	static char hex[65];
	struct sha256 s;
	uint8_t d[32];
	size_t off;

	sha256_init(&s);
	for (off = 0; off < len; off += chunk) {
		sha256_update(&s, (const char *)p + off,
			len - off < chunk ? len - off : chunk);
	}
	sha256_final(&s, d);
	sha256_hex(d, hex);
	return hex;
}

void test_sha256(void)
{
	static char million[1000000];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop"
		"nopq";
	char path[] = "/tmp/hop-pin-XXXXXX", got[65];
	int fd;

	CHECK_STR("sha256(\"\")", digest("", 0, 1), "e3b0c44298fc1c149afbf4c8"
		"996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR("sha256(\"abc\")", digest("abc", 3, 1), "ba7816bf8f01cfea41"
		"4140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_STR("sha256(448-bit message)", digest(two, strlen(two), 7),
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db"
		"06c1");
	memset(million, 'a', sizeof(million));
	CHECK_STR("sha256(a x 1000000)", digest(million, sizeof(million), 4099),
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112"
		"cd0");

	fd = mkstemp(path);
	CHECK_INT("write", write(fd, "abc", 3), 3);
	close(fd);
	fd = sha256_pinned_copy(path, "BA7816BF8F01CFEA414140DE5DAE2223B00361"
		"A396177A9CB410FF61F20015AD", got);
	CHECK(fd >= 0, "sha256_pinned_copy(match) = %d; want an fd", fd);
	if (fd >= 0) {
		char b[4] = "";

		CHECK_INT("pread(pinned)", pread(fd, b, 3, 0), 3);
		CHECK_INT("write(sealed)", write(fd, "x", 1), -1);
		CHECK_INT("file_is_sealed(pinned)", file_is_sealed(fd), 1);
		close(fd);
	}
	fd = open(path, O_RDONLY);
	CHECK_INT("file_is_sealed(a file)", file_is_sealed(fd), 0);
	close(fd);
	CHECK_INT("sha256_pinned_copy(mismatch)", sha256_pinned_copy(path,
		"00", got), -EBADMSG);
	CHECK_STR("got on mismatch", got, "ba7816bf8f01cfea414140de5dae2223b0"
		"0361a396177a9cb410ff61f20015ad");
	CHECK_INT("sha256_pinned_copy(missing)", sha256_pinned_copy(
		"/nonexistent", "00", got), -ENOENT);
	/* a file larger than hop can hold (sparse: it costs the test no
	 * disk) is refused before a byte is copied; a device never ends */
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK_INT("ftruncate(64 GiB)", ftruncate(fd, (off_t)64 << 30), 0);
	close(fd);
	CHECK_INT("sha256_pinned_copy(64 GiB sparse)", sha256_pinned_copy(path,
		"00", got), -EFBIG);
	CHECK_INT("sha256_pinned_copy(/dev/zero)", sha256_pinned_copy(
		"/dev/zero", "00", got), -EINVAL);
	unlink(path);
	CHECK_INT("mkfifo", mkfifo(path, 0600), 0);
	CHECK_INT("sha256_pinned_copy(FIFO)", sha256_pinned_copy(path, "00",
		got), -EINVAL);
	unlink(path);
}
