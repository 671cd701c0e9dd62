/* TPM 2.0 commands and responses (lib/trust/tpm.c), the device layer on
 * a socket (lib/trust/tpmdev.c) and the TCG event log
 * (lib/trust/eventlog.c). The responses are real: swtpm 0.7 (libtpms,
 * "swtpm socket --tpm2 --flags not-need-init,startup-clear", no
 * swtpm_setup: banks sha1, sha256, sha384, sha512) answering the bytes
 * tpm_cmd_pcrs and tpm_cmd_extend made, sent over its TCP server socket;
 * a TPM2_PCR_Read after the two extends below gave the values the
 * extend chain predicts, so the TPM read hop's PCR_Extend as meant. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "eventlog.h"
#include "sha256.h"
#include "test.h"
#include "tpm.h"

/* hex into bytes: their count */
static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	while (h[0] && h[1]) {
		if (h[0] == ' ') {
			h++;
			continue;
		}
		out[n++] = (uint8_t)strtoul((char[]){ h[0], h[1], 0 }, NULL, 16);
		h += 2;
	}
	return n;
}

static void tohex(const uint8_t *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[d[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* swtpm's answers */
#define RSP_PCRS "80010000002b 00000000 00 00000005 00000004 " \
	"000403ffffff 000b03ffffff 000c03ffffff 000d03ffffff"
#define RSP_EXTEND "800200000013 00000000 00000000 0000 01 0000"
#define RSP_LOCALITY "80010000000a00000907"	/* extend of PCR 17 */
#define RSP_HASH "80010000000a000001c3"	/* extend of an SM3 digest */
#define RSP_VALUE "80010000000a000001c4"	/* GetCapability(0x99) */

static void test_marshal(void)
{
	/* TPM2_PCR_Extend (Part 3, 22.2): TPM_ST_SESSIONS, commandSize 65,
	 * TPM_CC_PCR_Extend; pcrHandle 9; authorizationSize 9: TPM_RS_PW,
	 * nonceCaller size 0, sessionAttributes 0, hmac size 0; digests:
	 * count 1, TPM_ALG_SHA256, sha256("hop") */
	static const char want_extend[] = "8002 00000041 00000182 00000009 "
		"00000009 40000009 0000 00 0000 00000001 000b "
		"87a0acaec00fa34a3166f0b62b7352868c16752bf796a6af3baf0362c62361ed";
	/* TPM2_GetCapability (Part 3, 30.2): TPM_ST_NO_SESSIONS, size 22,
	 * TPM_CC_GetCapability, TPM_CAP_PCRS, property 0, count 1 */
	static const char want_pcrs[] = "8001 00000016 0000017a 00000005 "
		"00000000 00000001";
	static const uint16_t algs[] = { TPM_ALG_SHA1, TPM_ALG_SHA256,
		TPM_ALG_SHA384, TPM_ALG_SHA512 };
	uint8_t buf[1024], want[1024];
	struct tpm_digests d;
	uint16_t sha256 = TPM_ALG_SHA256;
	size_t n;

	n = unhex(want_pcrs, want);
	CHECK_INT("tpm_cmd_pcrs", tpm_cmd_pcrs(buf, sizeof(buf)), n);
	CHECK(!memcmp(buf, want, n), "tpm_cmd_pcrs bytes");
	CHECK_INT("tpm_cmd_pcrs small", tpm_cmd_pcrs(buf, 21), 0);

	CHECK_INT("hash hop", tpm_hash(&sha256, 1, "hop", 3, &d), 0);
	n = unhex(want_extend, want);
	CHECK_INT("tpm_cmd_extend", tpm_cmd_extend(buf, sizeof(buf), 9, &d), n);
	CHECK(!memcmp(buf, want, n), "tpm_cmd_extend bytes");
	CHECK_INT("tpm_cmd_extend small", tpm_cmd_extend(buf, n - 1, 9, &d), 0);
	CHECK_INT("tpm_cmd_extend pcr 24", tpm_cmd_extend(buf, sizeof(buf), 24,
		&d), 0);
	d.n = 0;
	CHECK_INT("tpm_cmd_extend none", tpm_cmd_extend(buf, sizeof(buf), 9,
		&d), 0);
	/* four banks: 31 + 4 * 2 + 20 + 32 + 48 + 64 (swtpm took them) */
	CHECK_INT("hash 4", tpm_hash(algs, 4, "hop", 3, &d), 0);
	n = tpm_cmd_extend(buf, sizeof(buf), 9, &d);
	CHECK_INT("tpm_cmd_extend 4 banks", n, 203);
	CHECK(buf[5] == 203 && buf[30] == 4 && buf[31] == 0 && buf[32] == 4 &&
		buf[53] == 0 && buf[54] == 0x0b && buf[87] == 0 &&
		buf[88] == 0x0c && buf[137] == 0 && buf[138] == 0x0d,
		"tpm_cmd_extend 4 banks layout");
}

static void test_responses(void)
{
	uint8_t r[256];
	uint16_t algs[TPM_MAX_BANKS];
	size_t n, nalgs, i;
	uint32_t rc;
	char why[256], t[64];
	int err;

	n = unhex(RSP_PCRS, r);
	err = tpm_parse_pcrs(r, n, 9, algs, &nalgs, &rc, why, sizeof(why));
	CHECK_INT("parse_pcrs swtpm", err, 0);
	CHECK(nalgs == 4 && algs[0] == TPM_ALG_SHA1 && algs[1] ==
		TPM_ALG_SHA256 && algs[2] == TPM_ALG_SHA384 && algs[3] ==
		TPM_ALG_SHA512, "parse_pcrs banks: %zu", nalgs);
	/* sha1 allocated for no PCR (tpm2_pcrallocate sha1:none) */
	r[22] = r[23] = r[24] = 0;
	err = tpm_parse_pcrs(r, n, 9, algs, &nalgs, &rc, why, sizeof(why));
	CHECK(!err && nalgs == 3 && algs[0] == TPM_ALG_SHA256,
		"parse_pcrs sha1 off: %zu", nalgs);
	/* PCR 23 only in sha384 */
	r[30] = 0x7f;
	r[42] = 0x7f;
	err = tpm_parse_pcrs(r, n, 23, algs, &nalgs, &rc, why, sizeof(why));
	CHECK(!err && nalgs == 1 && algs[0] == TPM_ALG_SHA384,
		"parse_pcrs pcr 23: %zu", nalgs);
	/* every shorter response: refused, never read past */
	n = unhex(RSP_PCRS, r);
	for (i = 0; i < n; i++) {
		uint8_t *c = malloc(i ? i : 1);

		memcpy(c, r, i);
		if (i >= 6) {
			c[5] = (uint8_t)i;	/* its size field agrees */
		}
		err = tpm_parse_pcrs(c, i, 9, algs, &nalgs, &rc, why,
			sizeof(why));
		CHECK(err == -EPROTO, "parse_pcrs cut at %zu = %d", i, err);
		free(c);
	}
	n = unhex(RSP_PCRS, r);
	r[5]++;
	CHECK_INT("parse_pcrs size", tpm_parse_pcrs(r, n, 9, algs, &nalgs, &rc,
		why, sizeof(why)), -EPROTO);
	CHECK_STR("parse_pcrs size why", why, "the response says it is 44 "
		"bytes; 43 arrived");
	n = unhex(RSP_PCRS, r);
	r[15] = 0x20;		/* a count of 0x20000004 selections */
	CHECK_INT("parse_pcrs count", tpm_parse_pcrs(r, n, 9, algs, &nalgs,
		&rc, why, sizeof(why)), -EPROTO);
	CHECK_STR("parse_pcrs count why", why, "TPM_CAP_PCRS: selection 5 of "
		"536870916 is cut short");
	n = unhex(RSP_PCRS, r);
	r[39] = 0xff;		/* sha512's pcrSelect of 255 bytes */
	CHECK_INT("parse_pcrs select", tpm_parse_pcrs(r, n, 9, algs, &nalgs,
		&rc, why, sizeof(why)), -EPROTO);
	n = unhex(RSP_VALUE, r);
	CHECK_INT("parse_pcrs error", tpm_parse_pcrs(r, n, 9, algs, &nalgs, &rc,
		why, sizeof(why)), -EIO);
	CHECK_INT("parse_pcrs rc", rc, 0x1c4);
	CHECK_STR("parse_pcrs error why", why, "the TPM answered TPM_RC_VALUE "
		"(parameter 1, 0x1c4)");

	n = unhex(RSP_EXTEND, r);
	CHECK_INT("parse_rc extend", tpm_parse_rc(r, n, &rc, why, sizeof(why)),
		0);
	CHECK_INT("parse_rc extend rc", rc, 0);
	n = unhex(RSP_LOCALITY, r);
	CHECK_INT("parse_rc locality", tpm_parse_rc(r, n, &rc, why,
		sizeof(why)), -EIO);
	CHECK_STR("parse_rc locality why", why, "the TPM answered "
		"TPM_RC_LOCALITY (0x907)");
	n = unhex(RSP_HASH, r);
	CHECK_INT("parse_rc hash", tpm_parse_rc(r, n, &rc, why, sizeof(why)),
		-EIO);
	CHECK_INT("parse_rc hash rc", rc, 0x1c3);
	r[0] = 0;
	CHECK_INT("parse_rc tag", tpm_parse_rc(r, n, &rc, why, sizeof(why)),
		-EPROTO);
	CHECK_INT("parse_rc short", tpm_parse_rc(r, 9, &rc, why, sizeof(why)),
		-EPROTO);

	CHECK_STR("rc 0x142", tpm_rc_text(0x142, t, sizeof(t)),
		"TPM_RC_COMMAND_SIZE (0x142)");
	CHECK_STR("rc 0x1c3", tpm_rc_text(0x1c3, t, sizeof(t)),
		"TPM_RC_HASH (parameter 1, 0x1c3)");
	CHECK_STR("rc 0x2c4", tpm_rc_text(0x2c4, t, sizeof(t)),
		"TPM_RC_VALUE (parameter 2, 0x2c4)");
	CHECK_STR("rc 0x18b", tpm_rc_text(0x18b, t, sizeof(t)),
		"TPM_RC_HANDLE (handle 1, 0x18b)");
	CHECK_STR("rc 0x98e", tpm_rc_text(0x98e, t, sizeof(t)),
		"TPM_RC_AUTH_FAIL (session 1, 0x98e)");
	CHECK_STR("rc 0x9a2", tpm_rc_text(0x9a2, t, sizeof(t)),
		"TPM_RC_BAD_AUTH (session 1, 0x9a2)");
	CHECK_STR("rc 0x922", tpm_rc_text(0x922, t, sizeof(t)),
		"TPM_RC_RETRY (0x922)");
	CHECK_STR("rc 0x101", tpm_rc_text(0x101, t, sizeof(t)),
		"TPM_RC_FAILURE (0x101)");
	CHECK_STR("rc 0x1e", tpm_rc_text(0x1e, t, sizeof(t)),
		"TPM_RC_BAD_TAG (0x1e)");
	CHECK_STR("rc 0x17f", tpm_rc_text(0x17f, t, sizeof(t)),
		"TPM_RC 0x17f");
	CHECK_STR("rc 0x5", tpm_rc_text(0x5, t, sizeof(t)),
		"TPM_RC 0x5 (TPM 1.2)");
	CHECK_STR("rc 0x500", tpm_rc_text(0x500, t, sizeof(t)),
		"TPM_RC 0x500 (vendor-defined)");
}

static void test_hash(void)
{
	/* FIPS 180-4's examples: "abc", and a million 'a' (past the 16 KiB
	 * chunk tpm_hash feeds each context) */
	static const struct {
		uint16_t alg;
		const char *abc, *million;
	} kat[] = {
		{ TPM_ALG_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d",
			"34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
		{ TPM_ALG_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a3"
			"96177a9cb410ff61f20015ad", "cdc76e5c9914fb9281a1c7e2"
			"84d73e67f1809a48a497200e046d39ccc7112cd0" },
		{ TPM_ALG_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0"
			"eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825"
			"a7", "9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
			"7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985" },
		{ TPM_ALG_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e8"
			"9a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feeb"
			"bd454d4423643ce80e2a9ac94fa54ca49f", "e718483d0ce76964"
			"4e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff"
			"244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad"
			"8cc09b" },
	};
	uint16_t algs[4], bad[2] = { TPM_ALG_SHA256, 0x0012 };
	struct tpm_digests d;
	char h[129];
	char *m = malloc(1000000);
	size_t i;

	memset(m, 'a', 1000000);
	for (i = 0; i < 4; i++) {
		algs[i] = kat[i].alg;
	}
	CHECK_INT("hash abc", tpm_hash(algs, 4, "abc", 3, &d), 0);
	CHECK_INT("hash abc n", d.n, 4);
	for (i = 0; i < 4; i++) {
		tohex(d.v[i].d, d.v[i].len, h);
		CHECK_STR(tpm_alg_name(algs[i]), h, kat[i].abc);
		CHECK_INT("hash len", d.v[i].len, tpm_alg_size(algs[i]));
	}
	CHECK_INT("hash million", tpm_hash(algs, 4, m, 1000000, &d), 0);
	for (i = 0; i < 4; i++) {
		tohex(d.v[i].d, d.v[i].len, h);
		CHECK_STR(tpm_alg_name(algs[i]), h, kat[i].million);
	}
	free(m);
	CHECK_INT("hash sm3", tpm_hash(bad, 2, "abc", 3, &d), -ENOTSUP);
	CHECK_INT("hash none", tpm_hash(algs, 0, "abc", 3, &d), 0);
	CHECK(tpm_alg_name(0x0012) == NULL && tpm_alg_size(0x0012) == 0,
		"sm3 unknown");
	CHECK_STR("alg name", tpm_alg_name(TPM_ALG_SHA384), "sha384");
}

/* a socket for a TPM: the response waits before the command is sent */
static void test_dev(void)
{
	uint16_t algs[TPM_MAX_BANKS];
	uint8_t r[256], cmd[256], rsp[TPM_RSP_MAX];
	struct tpm_digests d;
	uint16_t sha256 = TPM_ALG_SHA256;
	char why[256];
	size_t n, nalgs;
	int sv[2], err;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		CHECK(0, "socketpair");
		return;
	}
	n = unhex(RSP_PCRS, r);
	CHECK_INT("write", write(sv[1], r, n), n);
	CHECK_INT("active banks", tpm_active_banks(sv[0], 9, algs, &nalgs, why,
		sizeof(why)), 0);
	CHECK_INT("active banks n", nalgs, 4);
	n = read(sv[1], cmd, sizeof(cmd));
	CHECK(n == 22 && cmd[9] == 0x7a, "the TPM got GetCapability");

	tpm_hash(&sha256, 1, "hop", 3, &d);
	n = unhex(RSP_LOCALITY, r);
	CHECK_INT("write", write(sv[1], r, n), n);
	CHECK_INT("extend", tpm_extend(sv[0], 17, &d, why, sizeof(why)), -EIO);
	CHECK_STR("extend why", why, "TPM2_PCR_Extend: the TPM answered "
		"TPM_RC_LOCALITY (0x907)");
	n = read(sv[1], cmd, sizeof(cmd));
	CHECK(n == 65 && cmd[13] == 17, "the TPM got PCR_Extend");
	n = unhex(RSP_EXTEND, r);
	CHECK_INT("write", write(sv[1], r, n), n);
	CHECK_INT("extend ok", tpm_extend(sv[0], 9, &d, why, sizeof(why)), 0);
	n = read(sv[1], cmd, sizeof(cmd));
	/* no answer */
	CHECK_INT("transmit timeout", tpmdev_transmit(sv[0], cmd, n, rsp,
		sizeof(rsp), 20), -ETIMEDOUT);
	CHECK_INT("read", read(sv[1], cmd, sizeof(cmd)), n);
	close(sv[1]);
	signal(SIGPIPE, SIG_IGN);
	err = tpm_extend(sv[0], 9, &d, why, sizeof(why));
	CHECK_INT("extend closed", err, -EPIPE);
	CHECK_STR("extend closed why", why, "TPM2_PCR_Extend: EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(sv[0]);
}

struct count {
	unsigned n, stop;
};

static int count_event(const struct evlog_event *e, void *arg)
{
	struct count *c = arg;

	(void)e;
	return ++c->n == c->stop ? 42 : 0;
}

/* the log of three events the tests below share */
static void make_log(struct evlog *l)
{
	static const uint16_t algs[] = { TPM_ALG_SHA1, TPM_ALG_SHA256 };
	static const char *const ev[] = { "kernel /vmlinuz", "initrd /initrd",
		"cmdline root=/dev/sda1" };
	struct tpm_digests d;
	size_t i;

	CHECK_INT("evlog_start", evlog_start(l, algs, 2), 0);
	for (i = 0; i < 3; i++) {
		tpm_hash(algs, 2, ev[i], strlen(ev[i]), &d);
		CHECK_INT("evlog_add", evlog_add(l, i == 1 ? 8 : 9, EV_IPL, &d,
			ev[i], strlen(ev[i])), 0);
	}
}

static int replay_err(const uint8_t *log, size_t len, char *why)
{
	uint8_t v[64];
	unsigned nev;

	return evlog_replay(log, len, 9, TPM_ALG_SHA256, v, &nev, why, 256);
}

static void test_eventlog(void)
{
	/* the Spec ID event, PFP 10.2.1 and 10.4.5.1 */
	static const char want_spec[] = "00000000 03000000 "
		"0000000000000000000000000000000000000000 25000000 "
		"53706563204944204576656e74303300 00000000 00 02 00 %s "
		"02000000 0400 1400 0b00 2000 00";
	static const uint16_t algs[] = { TPM_ALG_SHA1, TPM_ALG_SHA256 };
	struct evlog l;
	struct tpm_digests d;
	struct sha256 s;
	struct count c = { 0, 0 };
	uint8_t want[128], v[64], pcr[32], dig[32], *b;
	uint16_t banks[TPM_MAX_BANKS], sm3[2] = { TPM_ALG_SHA256, 0x0012 };
	char spec[256], why[256];
	unsigned nev;
	size_t n, i, nb;
	int err;

	make_log(&l);
	snprintf(spec, sizeof(spec), want_spec, sizeof(long) == 8 ? "02" : "01");
	n = unhex(spec, want);
	CHECK(l.len > n && !memcmp(l.buf, want, n), "Spec ID event bytes");
	/* the first TCG_PCR_EVENT2: PCR 9, EV_IPL, 2 digests */
	CHECK(!memcmp(l.buf + n, "\x09\0\0\0\x0d\0\0\0\2\0\0\0\x04\0", 14),
		"first event's bytes");
	CHECK_INT("evlog_banks", evlog_banks(l.buf, l.len, banks, &nb, why,
		sizeof(why)), 0);
	CHECK(nb == 2 && banks[0] == TPM_ALG_SHA1 && banks[1] ==
		TPM_ALG_SHA256, "evlog_banks");

	/* PCR 9 by hand, with lib/base/sha256.c: H(H(0 || d1) || d3) */
	memset(pcr, 0, sizeof(pcr));
	for (i = 0; i < 2; i++) {
		const char *ev = i ? "cmdline root=/dev/sda1" : "kernel /vmlinuz";

		sha256_init(&s);
		sha256_update(&s, ev, strlen(ev));
		sha256_final(&s, dig);
		sha256_init(&s);
		sha256_update(&s, pcr, 32);
		sha256_update(&s, dig, 32);
		sha256_final(&s, pcr);
	}
	err = evlog_replay(l.buf, l.len, 9, TPM_ALG_SHA256, v, &nev, why,
		sizeof(why));
	CHECK(!err && nev == 2 && !memcmp(v, pcr, 32), "replay pcr 9: %d %u",
		err, nev);
	err = evlog_replay(l.buf, l.len, 0, TPM_ALG_SHA1, v, &nev, why,
		sizeof(why));
	CHECK(!err && nev == 0 && !memcmp(v, (uint8_t[20]){ 0 }, 20),
		"replay pcr 0: %d %u", err, nev);
	CHECK_INT("replay sha384", evlog_replay(l.buf, l.len, 9,
		TPM_ALG_SHA384, v, &nev, why, sizeof(why)), -EINVAL);
	CHECK_STR("replay sha384 why", why, "the log has no sha384 bank");
	CHECK_INT("walk", evlog_walk(l.buf, l.len, count_event, &c, why,
		sizeof(why)), 0);
	CHECK_INT("walk n", c.n, 3);
	c.n = 0;
	c.stop = 2;
	CHECK_INT("walk stop", evlog_walk(l.buf, l.len, count_event, &c, why,
		sizeof(why)), 42);
	CHECK_INT("walk stop n", c.n, 2);

	/* the writer's refusals */
	tpm_hash(algs, 1, "x", 1, &d);
	CHECK_INT("add one bank", evlog_add(&l, 9, EV_IPL, &d, "x", 1),
		-EINVAL);
	tpm_hash(algs, 2, "x", 1, &d);
	CHECK_INT("add pcr 24", evlog_add(&l, 24, EV_IPL, &d, "x", 1), -EINVAL);
	CHECK_INT("add huge", evlog_add(&l, 9, EV_IPL, &d, "x", EVLOG_MAX),
		-E2BIG);
	d.v[0].alg = TPM_ALG_SHA256;
	CHECK_INT("add order", evlog_add(&l, 9, EV_IPL, &d, "x", 1), -EINVAL);
	evlog_free(&l);
	CHECK_INT("start sm3", evlog_start(&l, sm3, 2), -EINVAL);
	CHECK_INT("start none", evlog_start(&l, sm3, 0), -EINVAL);
	CHECK_INT("start twice", evlog_start(&l, (uint16_t[]){ 4, 4 }, 2),
		-EINVAL);

	/* hostile logs: every truncation is refused or ends on an event */
	make_log(&l);
	for (i = 0; i < l.len; i++) {
		b = malloc(i ? i : 1);
		memcpy(b, l.buf, i);
		err = replay_err(b, i, why);
		CHECK(err == -EINVAL || (!err && (i == 69 || i == 156 ||
			i == 242)), "cut at %zu: %d", i, err);
		free(b);
	}
	b = malloc(l.len);
#define HOSTILE(name, off, val, want) do { \
	memcpy(b, l.buf, l.len); \
	b[off] = val; \
	CHECK_INT(name, replay_err(b, l.len, why), -EINVAL); \
	CHECK_STR(name " why", why, want); \
} while (0)
	HOSTILE("spec size", 31, 0x7f, "the Spec ID event's size 2130706469 "
		"goes past the end of the log");
	HOSTILE("spec sig", 40, 'X', "the first event is not a \"Spec ID "
		"Event03\" event: not a crypto-agile log");
	HOSTILE("spec type", 4, 4, "the first event is not the Spec ID event "
		"(PCR 0, EV_NO_ACTION): not a crypto-agile log");
	HOSTILE("spec uintn", 55, 3, "the Spec ID event's uintnSize 3 is not "
		"1 or 2");
	HOSTILE("spec count", 59, 0x10, "the Spec ID event names 268435458 "
		"banks (1 to 8)");
	HOSTILE("spec digest size", 66, 20, "the Spec ID event gives algorithm "
		"0x000b digests of 20 bytes");
	HOSTILE("spec vendor", 68, 1, "the Spec ID event's 2 banks and vendor "
		"data go past its 37 bytes");
	HOSTILE("event count", 80, 0xff, "event 1 (byte 69): 4278190082 "
		"digests, the Spec ID event names 2 banks");
	HOSTILE("event alg", 81, 0x12, "event 1 (byte 69): digest 1 is of "
		"algorithm 0x0012, which the Spec ID event does not name");
	HOSTILE("event alg twice", 103, 0x04, "event 1 (byte 69): two digests "
		"of algorithm 0x0004");
	HOSTILE("event size", 140, 0xff, "event 1 (byte 69): its 4278190095 "
		"bytes of data go past the end of the log");
	HOSTILE("event pcr", 69, 24, "event 1 (byte 69): PCR 24 is above 23");
	memcpy(b, l.buf, l.len);
	b[64] = 4;
	b[66] = 20;
	CHECK_INT("spec twice", replay_err(b, l.len, why), -EINVAL);
	CHECK_STR("spec twice why", why, "the Spec ID event names algorithm "
		"0x0004 twice");
	/* an event of PCR 9 without a sha256 digest */
	memcpy(b, l.buf, l.len);
	b[77] = 1;
	n = l.len - 34;
	memmove(b + 103, b + 137, l.len - 137);
	err = replay_err(b, n, why);
	CHECK_INT("event without sha256", err, -EINVAL);
	CHECK_STR("event without sha256 why", why, "event 1 (PCR 9) has no "
		"sha256 digest");
	free(b);
	CHECK_INT("too big", replay_err(l.buf, EVLOG_MAX + 1, why), -EINVAL);
	CHECK_INT("empty", replay_err(l.buf, 0, why), -EINVAL);
	CHECK_INT("pcr 24", evlog_replay(l.buf, l.len, 24, TPM_ALG_SHA256, v,
		&nev, why, sizeof(why)), -EINVAL);
	evlog_free(&l);

	/* PCR 0 starts from the locality of a StartupLocality event */
	CHECK_INT("start", evlog_start(&l, algs, 2), 0);
	memset(&d, 0, sizeof(d));
	d.n = 2;
	d.v[0].alg = TPM_ALG_SHA1;
	d.v[0].len = 20;
	d.v[1].alg = TPM_ALG_SHA256;
	d.v[1].len = 32;
	evlog_add(&l, 0, EV_NO_ACTION, &d, "StartupLocality\0\3", 17);
	err = evlog_replay(l.buf, l.len, 0, TPM_ALG_SHA256, v, &nev, why,
		sizeof(why));
	CHECK(!err && nev == 0 && v[31] == 3 && v[0] == 0, "locality 3");
	evlog_free(&l);

	CHECK_STR("type name", evlog_type_name(EV_IPL), "EV_IPL");
	CHECK_STR("type name efi", evlog_type_name(0x80000003),
		"EV_EFI_BOOT_SERVICES_APPLICATION");
	CHECK(evlog_type_name(0x13) == NULL, "type 0x13");
}

/* TPM2_PCR_Read: the command's bytes, a response for PCR 9 in sha1 and
 * sha256 (Part 3, 22.4), and its malformed forms */
static void test_pcr_read(void)
{
	static const uint16_t two[] = { TPM_ALG_SHA1, TPM_ALG_SHA256 };
	uint8_t cmd[64], rsp[128];
	struct tpm_digests d;
	char hex[200], why[200];
	uint32_t rc;
	size_t n, i, off;

	n = tpm_cmd_pcr_read(cmd, sizeof(cmd), 9, two, 2);
	tohex(cmd, n, hex);
	CHECK_STR("tpm_cmd_pcr_read(9, sha1+sha256)", hex, "8001000000"
		"1a0000017e0000000200040300020000" "0b03000200");
	CHECK_INT("tpm_cmd_pcr_read(PCR 24)", (int)tpm_cmd_pcr_read(cmd,
		sizeof(cmd), 24, two, 2), 0);
	CHECK_INT("tpm_cmd_pcr_read(small buffer)", (int)tpm_cmd_pcr_read(cmd,
		20, 9, two, 2), 0);

	/* header, pcrUpdateCounter, the selection out, the digests */
	memcpy(rsp, "\x80\x01\0\0\0\0\0\0\0\0" "\0\0\0\x2a"
		"\0\0\0\x02" "\0\x04\x03\0\x02\0" "\0\x0b\x03\0\x02\0"
		"\0\0\0\x02", 34);
	off = 34;
	rsp[off++] = 0;
	rsp[off++] = 20;
	for (i = 0; i < 20; i++) {
		rsp[off++] = (uint8_t)i;
	}
	rsp[off++] = 0;
	rsp[off++] = 32;
	for (i = 0; i < 32; i++) {
		rsp[off++] = (uint8_t)(0xa0 + i);
	}
	rsp[5] = (uint8_t)off;
	CHECK_INT("tpm_parse_pcr_read()", tpm_parse_pcr_read(rsp, off, 9, &d,
		&rc, why, sizeof(why)), 0);
	CHECK_INT("its banks", (int)d.n, 2);
	CHECK(d.v[0].alg == TPM_ALG_SHA1 && d.v[0].len == 20 &&
		d.v[0].d[19] == 19 && d.v[1].alg == TPM_ALG_SHA256 &&
		d.v[1].len == 32 && d.v[1].d[0] == 0xa0, "PCR_Read values");
	/* another PCR's bit: nothing selected, yet two digests */
	CHECK_INT("tpm_parse_pcr_read(PCR 8)", tpm_parse_pcr_read(rsp, off, 8,
		&d, &rc, why, sizeof(why)), -EPROTO);
	CHECK_INT("no values then", (int)d.n, 0);
	for (n = 10; n < off; n++) {
		rsp[5] = (uint8_t)n;
		if (tpm_parse_pcr_read(rsp, n, 9, &d, &rc, why, sizeof(why)) !=
			-EPROTO) {
			CHECK(0, "tpm_parse_pcr_read(cut at %zu) not -EPROTO", n);
			break;
		}
	}
	rsp[5] = (uint8_t)off;
	rsp[35] = 19;	/* sha1's value one byte short */
	CHECK_INT("tpm_parse_pcr_read(a value of the wrong size)",
		tpm_parse_pcr_read(rsp, off, 9, &d, &rc, why, sizeof(why)),
		-EPROTO);
	rsp[35] = 20;
	rsp[9] = 0x84;	/* TPM_RC_VALUE */
	rsp[8] = 0x01;
	CHECK_INT("tpm_parse_pcr_read(an error)", tpm_parse_pcr_read(rsp, off,
		9, &d, &rc, why, sizeof(why)), -EIO);
}

void test_tpm(void)
{
	test_pcr_read();
	test_marshal();
	test_responses();
	test_hash();
	test_dev();
	test_eventlog();
}
