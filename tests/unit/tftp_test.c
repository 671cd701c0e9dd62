/* TFTP packets (lib/net/tftp.c) */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "tftp.h"

static int parse(const void *p, size_t n, struct tftp_msg *m, char *why)
{
	why[0] = '\0';
	return tftp_parse(p, n, TFTP_BLKSIZE_WANT, m, why, 256);
}

void test_tftp(void)
{
	static const char want[] = "\0\1pxelinux.cfg/default\0octet\0"
		"blksize\0" "1468\0tsize\0" "0";
	char name[600], why[256];
	uint8_t p[1600];
	struct tftp_msg m;
	size_t n;

	n = tftp_rrq("pxelinux.cfg/default", p, sizeof(p));
	CHECK_INT("rrq length", n, sizeof(want));
	CHECK(memcmp(p, want, sizeof(want)) == 0, "rrq bytes");
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CHECK_INT("rrq too long", tftp_rrq(name, p, sizeof(p)), 0);
	name[512 - 2 - 30] = '\0';
	CHECK_INT("rrq fits 512", tftp_rrq(name, p, sizeof(p)) <= 512 &&
		tftp_rrq(name, p, sizeof(p)) > 0, 1);
	CHECK_INT("rrq empty", tftp_rrq("", p, sizeof(p)), 0);
	CHECK_INT("ack", tftp_ack(0x1234, p), 4);
	CHECK(p[0] == 0 && p[1] == 4 && p[2] == 0x12 && p[3] == 0x34, "ack");

	/* DATA */
	memcpy(p, "\0\3\0\7abc", 7);
	CHECK_INT("data", parse(p, 7, &m, why), 0);
	CHECK(m.op == TFTP_DATA && m.block == 7 && m.len == 3 &&
		m.data == p + 4, "data fields");
	CHECK_INT("last data", parse(p, 4, &m, why), 0);
	CHECK_INT("empty", m.len, 0);
	memset(p + 4, 'x', TFTP_BLKSIZE_WANT + 1);
	CHECK_INT("data too big", parse(p, 4 + TFTP_BLKSIZE_WANT + 1, &m,
		why), -EINVAL);
	CHECK(strstr(why, "block size") != NULL, "%s", why);
	CHECK_INT("default size", tftp_parse(p, 4 + 513, 512, &m, why,
		sizeof(why)), -EINVAL);

	/* ERROR: the text kept printable and bounded, its NUL optional */
	memcpy(p, "\0\5\0\1File not found\0", 19);
	CHECK_INT("error", parse(p, 19, &m, why), 0);
	CHECK(m.op == TFTP_ERROR && m.code == 1, "error code");
	CHECK_STR("error text", m.text, "File not found");
	memcpy(p, "\0\5\0\2a\033[2Jb", 10);
	CHECK_INT("error escape", parse(p, 10, &m, why), 0);
	CHECK_STR("escaped", m.text, "a?[2Jb");
	memset(p + 4, 'e', 300);
	CHECK_INT("error long", parse(p, 304, &m, why), 0);
	CHECK_INT("kept", strlen(m.text), TFTP_MSG_MAX);

	/* OACK */
	memcpy(p, "\0\6blksize\0" "1468\0TSIZE\0" "123456\0", 28);
	CHECK_INT("oack", parse(p, 28, &m, why), 0);
	CHECK(m.op == TFTP_OACK && m.blksize == 1468 && m.has_tsize &&
		m.tsize == 123456, "oack fields");
	memcpy(p, "\0\6tsize\0" "0\0", 10);
	CHECK_INT("oack tsize only", parse(p, 10, &m, why), 0);
	CHECK_INT("no blksize", m.blksize, 0);
	{
		static const struct {
			const char *pkt;
			size_t n;
			const char *why;
		} bad[] = {
			{ "\0\6blksize\0" "70000\0", 16, "asked for" },
			{ "\0\6blksize\0" "4\0", 12, "asked for" },
			{ "\0\6windowsize\0" "4\0", 15, "not asked for" },
			{ "\0\6tsize\0" "12a\0", 12, "not a number" },
			{ "\0\6tsize\0" "\0", 9, "not a number" },
			{ "\0\6tsize\0" "99999999999999999999\0", 29,
				"not a number" },
			{ "\0\6tsize", 7, "without its NUL" },
			{ "\0\6tsize\0" "12", 10, "without a value" },
			{ "\0\1abc", 5, "opcode 1" },
			{ "\0\3\0", 3, "3 bytes" },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			CHECK_INT(bad[i].why, parse(bad[i].pkt, bad[i].n, &m,
				why), -EINVAL);
			CHECK(strstr(why, bad[i].why) != NULL, "why \"%s\", "
				"want \"%s\"", why, bad[i].why);
		}
	}
}
