/* minisign and signify signatures (lib/trust/sig.c), on real files: the
 * keys and signatures below were made once with Debian bookworm's
 * minisign 0.11 and signify-openbsd 31, and each checked with them
 * (minisign -V, signify-openbsd -V):
 *   minisign -G -W -p k1.pub -s k1.key   (and k2)
 *   printf 'hop test kernel\n' >data.txt; printf 'another file\n'
 *     >other.txt; : >empty.bin
 *   minisign -S -s k1.key -m data.txt -x data.ED.minisig -t "hop test ED"
 *   minisign -S -l -s k1.key -m data.txt -x data.Ed.minisig -t "hop test
 *     legacy"
 *   minisign -S ... other.txt, empty.bin (-t other, empty, "empty
 *     legacy"); with k2.key, data.txt (-t k2)
 *   signify-openbsd -G -n -p s1.pub -s s1.sec
 *   signify-openbsd -S -s s1.sec -m data.txt -x data.sig (and empty.bin)
 * The secret keys were thrown away. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"
#include "test.h"

static const char data_txt[] = "hop test kernel\n";
static const char other_txt[] = "another file\n";

static const char k1_pub[] =
	"untrusted comment: minisign public key 2E71AAF45BF74DFB\n"
	"RWT7Tfdb9KpxLtM6R31iJXWpYihZtjMqTZo8R/Qj3pWSaCWCfKceyXut\n";
static const char k2_pub[] =
	"untrusted comment: minisign public key 4342B9DB59093CA1\n"
	"RWShPAlZ27lCQ0zvFKzPVkr7R0ceJoX/w6gH8rd+buvas1sPK5sdnhoI\n";
static const char s1_pub[] =
	"untrusted comment: signify public key\n"
	"RWQHOdEyMnf1xPnRdSWufSAHYM6O0Spd2p7nOhtRQJcMh5kxattEgNeo\n";

static const char data_ED_minisig[] =
	"untrusted comment: signature from minisign secret key\n"
	"RUT7Tfdb9KpxLlFgomYvgKchsSjEXUbxpBTyov4EfUnSH2Bu8NhcWfeEMdV4xI7CCunkFBL9Rv7quy93dwQL7Z+kXkbYPo0Z6AQ=\n"
	"trusted comment: hop test ED\n"
	"+qRc7kKDrKBzS3JDDPtvO5rcZj6uHEE99bvFJlYwYOuOh8NLhuAOtI/tJwQM/fwknL4OjKUb8cD3zLB5lxzeDQ==\n";
static const char data_Ed_minisig[] =
	"untrusted comment: signature from minisign secret key\n"
	"RWT7Tfdb9KpxLowy2kARZlaqaYYGlC/4nS9PgnN+2ekchNAmgXXb8Aw/5cQAoOtZMl9kVzKdT2JzXTmnGkduwtRl+QyHtey/5QI=\n"
	"trusted comment: hop test legacy\n"
	"BLA1xgSTJ21/CXrWb4vCg6zFtrwhmuFZWiJwF7+9tKAfksakHUjfAuumClIX2ATV9ke5raP4H15FA+piv8hAAw==\n";
static const char data_k2_minisig[] =
	"untrusted comment: signature from minisign secret key\n"
	"RUShPAlZ27lCQ7kDS1WZmrrPL8JUOdT0ej8w10bJ/Z9g/3oKFxJY4+IJs1z26qLThJ9i1rBOZcqUeSLcYLREMUmE/Z8jp6ueVw0=\n"
	"trusted comment: k2\n"
	"AqC9NL8im9ECwnrpOe4jZE/+5OtjPcYiqRIepg3aGLwqJZSeiEsPZcz/POKIfuzMZERM1Mppm5CdEh/sy4AJDg==\n";
static const char empty_ED_minisig[] =
	"untrusted comment: signature from minisign secret key\n"
	"RUT7Tfdb9KpxLh7g3rYRy8/tQtj9jHlPUWRAG0MQFAwZR/3785H60HM59fqR5/ZHQfmRlPOYDsjltPPtavdSadVI1mv2wmidiAk=\n"
	"trusted comment: empty\n"
	"XxHuavky6yytS0whvyCrG1dvAuOfnuQua3lXFgycgCXm0kIRZi9zZU+VCNtTaQoe5hmiLIHIQ53o0RqmvuVFDQ==\n";
static const char empty_Ed_minisig[] =
	"untrusted comment: signature from minisign secret key\n"
	"RWT7Tfdb9KpxLlqOHz/PuJhFRPGaTYXrlI2rStNbO9CCyTKOAZ1bsCUrl6625WNGiiPVhgCqMNW3CpYYYVy9aYFh/Bf86+dzkw4=\n"
	"trusted comment: empty legacy\n"
	"Z8vygPzlSVlGbtYUooB/HSgQScioinT8t/3npfbNEbNK1IxdGhKOKOZaZROuiMVo/nx998b1GHgk+19+UfvSCg==\n";
static const char other_ED_minisig[] =
	"untrusted comment: signature from minisign secret key\n"
	"RUT7Tfdb9KpxLrYdQdiB0nuYhxJ78/u9B7qDBDKED5VmlfDF0x3Aix0wDSmZ7Flgkzb5rptxxbQRCM/3r1c/TDD9LzKc753XfQs=\n"
	"trusted comment: other\n"
	"xaW62YcKwH9Yq/BHNpB8sa2Ve3YROHI3ELIGDTgP4ircmBZCRS7phtnhxVg0zEITOz7CxT3E53beorz8Wt4/DA==\n";
static const char data_sig[] =
	"untrusted comment: verify with s1.pub\n"
	"RWQHOdEyMnf1xPoDWMURez9w9rQ7En0HSvvgRJieKDhuF+dia9XZLQx1KNojxYEpIf012lnoR0Bk5N7HFsHzJhrzSVmflBuO1QI=\n";
static const char empty_sig[] =
	"untrusted comment: verify with s1.pub\n"
	"RWQHOdEyMnf1xGIg1y71YRj7KqCwsaJYAXXWv2nhbguFuZpW1LvTaceI1QJE5ActcFAMAuJ0/57gvYc5b7uGkcLdTOZ2GEnDBAg=\n";

#define BAD_SIG "the signature does not match the file (a bad signature, " \
	"or another file's)"
#define BAD_COMMENT "the trusted comment's signature does not verify"

/* keys of the given key files' texts, each parsed in turn */
static struct sig_keys keys_of(const char *a, const char *b, const char *c)
{
	const char *files[] = { a, b, c };
	struct sig_keys k = { .n = 0 };
	char why[256];
	size_t i;
	int err;

	for (i = 0; i < 3; i++) {
		if (files[i]) {
			err = sig_keys_parse(files[i], strlen(files[i]), &k, why,
				sizeof(why));
			CHECK(err == 0, "sig_keys_parse(%.40s...) = %d (%s)",
				files[i], err, why);
		}
	}
	return k;
}

/* sig_verify of a string's bytes; why and keyid kept for the caller */
static char why[256], keyid[17];

static int verify(const char *data, const char *sig,
	const struct sig_keys *k)
{
	return sig_verify((const uint8_t *)data, strlen(data), sig,
		strlen(sig), k, keyid, why, sizeof(why));
}

static void check_verify(const char *name, const char *data,
	const char *sig, const struct sig_keys *k, int want,
	const char *want_why)
{
	int err = verify(data, sig, k);

	CHECK(err == want, "%s: sig_verify = %d; want %d (%s)", name, err,
		want, why);
	if (want_why) {
		CHECK(!strcmp(why, want_why), "%s: why \"%s\"; want \"%s\"", name,
			why, want_why);
	}
	CHECK(!want || why[0], "%s: a refusal without a why", name);
	/* one sentence, no trailing period */
	CHECK(!why[0] || why[strlen(why) - 1] != '.', "%s: why \"%s\" ends "
		"with a period", name, why);
}

/* s with its first from replaced by to, into a static buffer */
static const char *subst(const char *s, const char *from, const char *to)
{
	static char out[2][8192];
	static int which;
	const char *at = strstr(s, from);
	char *o = out[which ^= 1];

	CHECK(at != NULL, "subst: no \"%s\" in the text", from);
	if (!at) {
		return s;
	}
	snprintf(o, sizeof(out[0]), "%.*s%s%s", (int)(at - s), s, to,
		at + strlen(from));
	return o;
}

/* every "\n" as "\r\n" */
static const char *crlf(const char *s)
{
	static char out[8192];
	size_t o = 0;

	for (; *s && o + 3 < sizeof(out); s++) {
		if (*s == '\n') {
			out[o++] = '\r';
		}
		out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

/* base64 (RFC 4648 §4), to write the files minisign would not */
static void b64(const uint8_t *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;
	size_t i;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)in[i] << 16;
		v |= i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0;
		v |= i + 2 < n ? in[i + 2] : 0;
		*out++ = a[v >> 18];
		*out++ = a[(v >> 12) & 63];
		*out++ = i + 1 < n ? a[(v >> 6) & 63] : '=';
		*out++ = i + 2 < n ? a[v & 63] : '=';
	}
	*out = '\0';
}

static void test_good(void)
{
	struct sig_keys k1 = keys_of(k1_pub, NULL, NULL);
	struct sig_keys s1 = keys_of(s1_pub, NULL, NULL);
	char misaligned[64];

	CHECK_INT("k1 keys", k1.n, 1);
	CHECK_INT("k1 id[0]", k1.key[0].id[0], 0xfb);	/* ...4DFB, LE */
	check_verify("ED", data_txt, data_ED_minisig, &k1, 0, "");
	CHECK_STR("ED keyid", keyid, "2E71AAF45BF74DFB");
	check_verify("Ed legacy", data_txt, data_Ed_minisig, &k1, 0, "");
	CHECK_STR("Ed keyid", keyid, "2E71AAF45BF74DFB");
	check_verify("signify", data_txt, data_sig, &s1, 0, "");
	CHECK_STR("signify keyid", keyid, "C4F5773232D13907");

	/* a signature of an empty file, and no data pointer at all */
	check_verify("empty ED", "", empty_ED_minisig, &k1, 0, NULL);
	check_verify("empty Ed", "", empty_Ed_minisig, &k1, 0, NULL);
	check_verify("empty signify", "", empty_sig, &s1, 0, NULL);
	CHECK_INT("empty ED, NULL data", sig_verify(NULL, 0, empty_ED_minisig,
		strlen(empty_ED_minisig), &k1, keyid, why, sizeof(why)), 0);
	CHECK_INT("empty signify, NULL data", sig_verify(NULL, 0, empty_sig,
		strlen(empty_sig), &s1, keyid, why, sizeof(why)), 0);

	/* the file at an odd address (arm's unaligned loads) */
	memcpy(misaligned + 1, data_txt, sizeof(data_txt) - 1);
	CHECK_INT("ED, misaligned data", sig_verify((uint8_t *)misaligned + 1,
		sizeof(data_txt) - 1, data_ED_minisig, strlen(data_ED_minisig),
		&k1, keyid, why, sizeof(why)), 0);
	CHECK_INT("Ed, misaligned data", sig_verify((uint8_t *)misaligned + 1,
		sizeof(data_txt) - 1, data_Ed_minisig, strlen(data_Ed_minisig),
		&k1, keyid, why, sizeof(why)), 0);

	/* CRLF files, as minisign -V takes them */
	{
		struct sig_keys kc = keys_of(crlf(k1_pub), NULL, NULL);

		CHECK_INT("CRLF key", kc.n, 1);
		CHECK(!memcmp(&kc.key[0], &k1.key[0], sizeof(k1.key[0])),
			"CRLF key: not k1's");
		check_verify("CRLF ED", data_txt, crlf(data_ED_minisig), &k1, 0,
			NULL);
		check_verify("CRLF Ed", data_txt, crlf(data_Ed_minisig), &k1, 0,
			NULL);
		check_verify("CRLF signify", data_txt, crlf(data_sig), &s1, 0,
			NULL);
	}
	/* without the last end of line; and blank lines after */
	check_verify("no last newline", data_txt, subst(data_ED_minisig,
		"zeDQ==\n", "zeDQ=="), &k1, 0, NULL);
	check_verify("blank lines after", data_txt, subst(data_sig,
		"1QI=\n", "1QI=\n\n\r\n"), &s1, 0, NULL);
}

static void test_bad(void)
{
	struct sig_keys k1 = keys_of(k1_pub, NULL, NULL);
	struct sig_keys k2 = keys_of(k2_pub, NULL, NULL);
	struct sig_keys s1 = keys_of(s1_pub, NULL, NULL);
	struct sig_keys none = { .n = 0 };

	/* one byte of the file changed */
	check_verify("ED, file changed", "hop test kernal\n", data_ED_minisig,
		&k1, -EBADMSG, BAD_SIG);
	check_verify("Ed, file changed", "hop test kernal\n", data_Ed_minisig,
		&k1, -EBADMSG, BAD_SIG);
	check_verify("signify, file changed", "hop test kernal\n", data_sig,
		&s1, -EBADMSG, BAD_SIG);
	check_verify("ED, a byte more", "hop test kernel\n\n",
		data_ED_minisig, &k1, -EBADMSG, BAD_SIG);
	/* another file's signature, by the same key */
	check_verify("other's ED", data_txt, other_ED_minisig, &k1, -EBADMSG,
		BAD_SIG);
	check_verify("ED of other", other_txt, data_ED_minisig, &k1, -EBADMSG,
		BAD_SIG);
	check_verify("other's ED", other_txt, other_ED_minisig, &k1, 0, "");
	check_verify("empty's signify", data_txt, empty_sig, &s1, -EBADMSG,
		BAD_SIG);
	check_verify("signify, empty file", "", data_sig, &s1, -EBADMSG,
		BAD_SIG);
	/* a character of the signature's base64 changed (the 15th: the
	 * algorithm and the key id are the first 80 bits) */
	check_verify("ED, signature changed", data_txt, subst(data_ED_minisig,
		"LlFgomY", "LlGgomY"), &k1, -EBADMSG, BAD_SIG);

	/* unknown keys: the key id as minisign -V prints it ("Signature key
	 * id in data.k2.minisig is 4342B9DB59093CA1"), and as its public key
	 * file's comment names it */
	check_verify("ED, key k2", data_txt, data_ED_minisig, &k2, -ENOKEY,
		"signed by key 2E71AAF45BF74DFB, which hop.pubkey does not hold");
	CHECK_STR("ENOKEY keyid", keyid, "2E71AAF45BF74DFB");
	check_verify("k2's ED, key k1", data_txt, data_k2_minisig, &k1,
		-ENOKEY, "signed by key 4342B9DB59093CA1, which hop.pubkey "
		"does not hold");
	CHECK_STR("k2 keyid", keyid, "4342B9DB59093CA1");
	check_verify("k2's ED", data_txt, data_k2_minisig, &k2, 0, "");
	check_verify("signify, no keys", data_txt, data_sig, &none, -ENOKEY,
		NULL);
	CHECK_INT("signify, NULL keys", sig_verify((const uint8_t *)data_txt,
		strlen(data_txt), data_sig, strlen(data_sig), NULL, keyid, why,
		sizeof(why)), -ENOKEY);
	/* a key with k1's id but s1's key */
	{
		struct sig_keys forged = k1;

		memcpy(forged.key[0].pk, s1.key[0].pk, 32);
		check_verify("ED, id of k1, key of s1", data_txt,
			data_ED_minisig, &forged, -EBADMSG, BAD_SIG);
	}

	/* the trusted comment changed: the file's signature still holds */
	check_verify("ED, trusted comment changed", data_txt,
		subst(data_ED_minisig, "hop test ED", "hop test XD"), &k1,
		-EBADMSG, BAD_COMMENT);
	check_verify("Ed, trusted comment changed", data_txt,
		subst(data_Ed_minisig, "legacy\n", "legacy \n"), &k1, -EBADMSG,
		BAD_COMMENT);
	check_verify("ED, another file's trusted comment", other_txt,
		subst(other_ED_minisig, "trusted comment: other\n",
		"trusted comment: hop test ED\n"), &k1, -EBADMSG, BAD_COMMENT);
	/* the untrusted comment is free to change */
	check_verify("ED, untrusted comment changed", data_txt,
		subst(data_ED_minisig, "from minisign", "from elsewhere"), &k1, 0,
		"");
}

static void test_malformed(void)
{
	struct sig_keys k1 = keys_of(k1_pub, NULL, NULL);
	struct sig_keys s1 = keys_of(s1_pub, NULL, NULL);
	uint8_t bin[74];
	char line[200], text[512];
	size_t i, n;
	int err;

	check_verify("not base64", data_txt, subst(data_ED_minisig, "RUT7T",
		"RUT*T"), &k1, -EINVAL, "line 2: not base64");
	check_verify("base64 too short", data_txt, subst(data_ED_minisig,
		"RUT7T", "RUT7"), &k1, -EINVAL, "line 2: 99 characters of base64 "
		"where a signature has 100");
	check_verify("base64 too long", data_txt, subst(data_sig, "1QI=",
		"1QI=AAAA"), &s1, -EINVAL, "line 2: 104 characters of base64 "
		"where a signature has 100");
	check_verify("no padding", data_txt, subst(data_ED_minisig, "6AQ=",
		"6AQA"), &k1, -EINVAL, "line 2: not base64 as written (its "
		"padding or its last bits)");
	check_verify("padding inside", data_txt, subst(data_ED_minisig,
		"RUT7T", "RU=7T"), &k1, -EINVAL, "line 2: not base64 as written "
		"(its padding or its last bits)");
	/* 'Q' is 010000: its last two bits are past the 74th byte */
	check_verify("last bits set", data_txt, subst(data_ED_minisig, "6AQ=",
		"6AR="), &k1, -EINVAL, "line 2: not base64 as written (its "
		"padding or its last bits)");
	check_verify("global signature short", data_txt, subst(data_ED_minisig,
		"zeDQ==", "DeDQ="), &k1, -EINVAL, "line 4: 87 characters of "
		"base64 where a signature has 88");
	check_verify("global signature bits", data_txt, subst(data_ED_minisig,
		"zeDQ==", "zeDR=="), &k1, -EINVAL, NULL);
	check_verify("space in base64", data_txt, subst(data_sig, "RWQH",
		"RWQH "), &s1, -EINVAL, "line 2: not base64");

	/* an unknown algorithm, well encoded, with k1's key id */
	err = 0;
	memcpy(bin, "Xx", 2);
	memcpy(bin + 2, k1.key[0].id, 8);
	memset(bin + 10, 0x5a, 64);
	b64(bin, sizeof(bin), line);
	snprintf(text, sizeof(text), "untrusted comment: x\n%s\n", line);
	check_verify("algorithm Xx", data_txt, text, &k1, -EINVAL,
		"line 2: algorithm 5878, neither Ed25519 (\"Ed\") nor minisign's "
		"prehashed Ed25519 (\"ED\")");
	CHECK_STR("Xx keyid (read all the same)", keyid, "2E71AAF45BF74DFB");

	/* minisign's lines short or out of place */
	snprintf(text, sizeof(text), "%.*s\n\n", (int)(strstr(data_ED_minisig,
		"trusted comment: hop") - data_ED_minisig), data_ED_minisig);
	check_verify("ED, two lines", data_txt, text, &k1, -EINVAL, "line 3: "
		"missing (minisign's trusted comment, which its prehashed "
		"signatures have)");
	snprintf(text, sizeof(text), "%.*s", (int)(strstr(data_ED_minisig,
		"+qRc") - data_ED_minisig), data_ED_minisig);
	check_verify("ED, three lines", data_txt, text, &k1, -EINVAL,
		"line 4: missing (the trusted comment's signature)");
	check_verify("untrusted comment missing", data_txt,
		strchr(data_sig, '\n') + 1, &s1, -EINVAL,
		"line 1: not an untrusted comment");
	check_verify("trusted comment misspelt", data_txt,
		subst(data_ED_minisig, "\ntrusted comment: ", "\ntrusted comment:"),
		&k1, -EINVAL, "line 3: not a trusted comment");
	check_verify("five lines", data_txt, subst(data_ED_minisig, "zeDQ==\n",
		"zeDQ==\nmore\n"), &k1, -EINVAL, "line 5: text after the "
		"signature");
	check_verify("blank line 2", data_txt, subst(data_sig, "\n", "\n\n"),
		&s1, -EINVAL, "line 2: 0 characters of base64 where a signature "
		"has 100");
	check_verify("empty file", data_txt, "", &s1, -EINVAL,
		"line 1: not an untrusted comment");
	check_verify("one line", data_txt, "untrusted comment: x\n", &s1,
		-EINVAL, "line 2: missing (the signature)");
	check_verify("stray CR", data_txt, subst(data_sig, "RWQH", "RW\rQH"),
		&s1, -EINVAL, "line 2: a carriage return inside the line");
	{
		char nul[sizeof(data_sig)];

		memcpy(nul, data_sig, sizeof(data_sig));
		nul[5] = '\0';
		err = sig_verify((const uint8_t *)data_txt, strlen(data_txt), nul,
			sizeof(data_sig) - 1, &s1, keyid, why, sizeof(why));
		CHECK(err == -EINVAL && !strcmp(why, "line 1: a NUL byte"),
			"NUL: %d %s", err, why);
	}

	/* every file cut short: never good, always malformed (what is cut
	 * is the last end of line at most) */
	{
		const char *whole[] = { data_ED_minisig, data_sig };

		for (i = 0; i < 2; i++) {
			for (n = 0; n + 1 < strlen(whole[i]); n++) {
				err = sig_verify((const uint8_t *)data_txt,
					strlen(data_txt), whole[i], n, i ? &s1 : &k1,
					keyid, why, sizeof(why));
				if (err != -EINVAL) {
					CHECK(0, "%s cut at %zu: %d %s", i ? "signify" :
						"ED", n, err, why);
					break;
				}
			}
			CHECK(n + 1 == strlen(whole[i]), "cut short: all refused");
		}
	}
	/* a legacy minisign signature without its trusted comment lines is
	 * a signify signature: minisign says so of its own files ("Signatures
	 * written by minisign can be verified using OpenBSD's signify") */
	snprintf(text, sizeof(text), "%.*s", (int)(strstr(data_Ed_minisig,
		"trusted comment: hop") - data_Ed_minisig), data_Ed_minisig);
	check_verify("Ed, two lines", data_txt, text, &k1, 0, "");

	/* a signature file too big, the bound itself fine */
	{
		static char big[SIG_FILE_MAX + 2];

		n = strlen(data_ED_minisig);
		memcpy(big, data_ED_minisig, n);
		memset(big + n, '\n', sizeof(big) - n);
		err = sig_verify((const uint8_t *)data_txt, strlen(data_txt), big,
			SIG_FILE_MAX, &k1, keyid, why, sizeof(why));
		CHECK(err == 0, "a 4096-byte file: %d %s", err, why);
		err = sig_verify((const uint8_t *)data_txt, strlen(data_txt), big,
			SIG_FILE_MAX + 1, &k1, keyid, why, sizeof(why));
		CHECK(err == -EINVAL && !strcmp(why, "a signature file of 4097 "
			"bytes, at most 4096"), "a 4097-byte file: %d %s", err, why);
		CHECK_STR("too big: keyid", keyid, "");
	}
	/* an untrusted comment over its bound */
	{
		static char longc[SIG_FILE_MAX];

		n = (size_t)snprintf(longc, sizeof(longc), "untrusted comment: ");
		memset(longc + n, 'x', SIG_COMMENT_MAX + 1 - n);
		snprintf(longc + SIG_COMMENT_MAX + 1, sizeof(longc) -
			SIG_COMMENT_MAX - 1, "%s", strchr(data_sig, '\n'));
		check_verify("long comment", data_txt, longc, &s1, -EINVAL,
			"line 1: an untrusted comment over 1023 bytes");
		longc[SIG_COMMENT_MAX] = '\0';
		strcat(longc, strchr(data_sig, '\n'));
		check_verify("comment of 1023 bytes", data_txt, longc, &s1, 0,
			"");
	}
}

/* nothing the files say reaches why: only fixed words, numbers, hex */
static void test_hostile(void)
{
	struct sig_keys k1 = keys_of(k1_pub, NULL, NULL);
	const char *evil = "EVIL\033[2J";
	char text[1024];
	struct sig_keys k = { .n = 0 };
	int err;

	snprintf(text, sizeof(text), "untrusted comment: %s\n%s", evil,
		strchr(data_ED_minisig, '\n') + 1);
	check_verify("evil untrusted", data_txt, subst(text, "RUT7", "RUT*"),
		&k1, -EINVAL, NULL);
	CHECK(!strstr(why, "EVIL"), "why \"%s\" quotes the file", why);
	check_verify("evil trusted", data_txt, subst(data_ED_minisig,
		"hop test ED", evil), &k1, -EBADMSG, BAD_COMMENT);
	CHECK(!strstr(why, "EVIL"), "why \"%s\" quotes the file", why);
	check_verify("evil trusted line", data_txt, subst(data_ED_minisig,
		"trusted comment: hop test ED", evil), &k1, -EINVAL, NULL);
	CHECK(!strstr(why, "EVIL"), "why \"%s\" quotes the file", why);
	check_verify("evil base64 line", data_txt, subst(data_sig, "RWQH",
		evil), &k1, -EINVAL, NULL);
	CHECK(!strstr(why, "EVIL"), "why \"%s\" quotes the file", why);
	snprintf(text, sizeof(text), "untrusted comment: %s\n%s\n", evil, evil);
	err = sig_keys_parse(text, strlen(text), &k, why, sizeof(why));
	CHECK(err == -EINVAL && !strstr(why, "EVIL"), "evil key file: %d %s",
		err, why);
}

static void test_keys(void)
{
	struct sig_keys k = { .n = 0 }, all;
	char text[4096], line[64];
	static char big[SIG_KEYFILE_MAX + 3];	/* and a NUL */
	uint8_t bin[42];
	size_t i, n, n16 = 0;
	int err;

	/* several keys in one file, with a blank line between; every
	 * signature checks against the set */
	snprintf(text, sizeof(text), "%s\n%s%s", k1_pub, k2_pub, s1_pub);
	err = sig_keys_parse(text, strlen(text), &k, why, sizeof(why));
	CHECK(err == 0 && k.n == 3, "three keys: %d n=%zu %s", err, k.n, why);
	check_verify("set, ED", data_txt, data_ED_minisig, &k, 0, "");
	check_verify("set, k2", data_txt, data_k2_minisig, &k, 0, "");
	check_verify("set, signify", data_txt, data_sig, &k, 0, "");
	all = k;

	/* a key already held is not held twice; a file adds to the set */
	err = sig_keys_parse(k1_pub, strlen(k1_pub), &k, why, sizeof(why));
	CHECK(err == 0 && k.n == 3, "k1 again: %d n=%zu %s", err, k.n, why);
	k.n = 1;
	err = sig_keys_parse(s1_pub, strlen(s1_pub), &k, why, sizeof(why));
	CHECK(err == 0 && k.n == 2, "adding s1: %d n=%zu %s", err, k.n, why);

	/* bare base64 lines, as minisign -P takes them; CRLF */
	k.n = 0;
	err = sig_keys_parse("RWT7Tfdb9KpxLtM6R31iJXWpYihZtjMqTZo8R/Qj3pWSaCWCfKceyXut",
		56, &k, why, sizeof(why));
	CHECK(err == 0 && k.n == 1 && !memcmp(&k.key[0], &all.key[0],
		sizeof(k.key[0])), "bare key: %d %s", err, why);
	k.n = 0;
	snprintf(text, sizeof(text), "%s", crlf(k2_pub));
	err = sig_keys_parse(text, strlen(text), &k, why, sizeof(why));
	CHECK(err == 0 && k.n == 1 && !memcmp(&k.key[0], &all.key[1],
		sizeof(k.key[0])), "CRLF key: %d %s", err, why);

	/* malformed: keys stay as they were */
	k = all;
#define KEY_REFUSED(name, txt, err_, want) do { \
	err = sig_keys_parse((txt), strlen(txt), &k, why, sizeof(why)); \
	CHECK(err == (err_) && !strcmp(why, (want)) && k.n == 3 && \
		!memcmp(&k, &all, sizeof(k)), "%s: %d \"%s\"; want %d \"%s\"", \
		(name), err, why, (err_), (want)); \
} while (0)
	KEY_REFUSED("empty", "", -EINVAL, "no public key in the file");
	KEY_REFUSED("blank", "\n\r\n", -EINVAL, "no public key in the file");
	KEY_REFUSED("comment only", "untrusted comment: x\n", -EINVAL,
		"line 1: an untrusted comment with no key after it");
	KEY_REFUSED("comment after", subst(text, "K5sdnhoI\r\n",
		"K5sdnhoI\r\nuntrusted comment: y\r\n"), -EINVAL,
		"line 3: an untrusted comment with no key after it");
	KEY_REFUSED("not base64", subst(k1_pub, "RWT7", "RWT#"), -EINVAL,
		"line 2: not base64");
	KEY_REFUSED("short", subst(k1_pub, "RWT7", "RWT"), -EINVAL,
		"line 2: 55 characters of base64 where a public key has 56");
	KEY_REFUSED("a signature", data_sig, -EINVAL, "line 2: 100 characters "
		"of base64 where a public key has 56");
	KEY_REFUSED("comment misspelt", subst(k1_pub, "untrusted comment: ",
		"comment: "), -EINVAL, "line 1: not base64");
	KEY_REFUSED("stray CR", subst(k1_pub, "minisign", "mini\rsign"),
		-EINVAL, "line 1: a carriage return inside the line");
	/* one id, two keys */
	memcpy(bin, "Ed", 2);
	memcpy(bin + 2, all.key[0].id, 8);
	memset(bin + 10, 7, 32);
	b64(bin, sizeof(bin), line);
	KEY_REFUSED("id reused", line, -EINVAL,
		"line 1: key id 2E71AAF45BF74DFB is another key's already");
	/* a key of another algorithm */
	memcpy(bin, "ED", 2);
	b64(bin, sizeof(bin), line);
	KEY_REFUSED("algorithm ED", line, -EINVAL,
		"line 1: algorithm 4544, not Ed25519 (\"Ed\")");
	/* too big: E2BIG */
	memset(big, '\n', SIG_KEYFILE_MAX + 2);
	memcpy(big, k1_pub, strlen(k1_pub));
	err = sig_keys_parse(big, SIG_KEYFILE_MAX, &k, why, sizeof(why));
	CHECK(err == 0, "a key file of 16384 bytes: %d %s", err, why);
	KEY_REFUSED("too big", big, -E2BIG, "a public key file of 16386 "
		"bytes, at most 16384");

	/* 16 keys fit, the 17th does not, whether in one file or added */
	for (n = 0, i = 0; i < SIG_MAX_KEYS + 1; i++) {
		memcpy(bin, "Ed", 2);
		memset(bin + 2, (int)i + 1, 40);
		b64(bin, sizeof(bin), line);
		n += (size_t)snprintf(text + n, sizeof(text) - n,
			"untrusted comment: key %zu\n%s\n", i, line);
		if (i == SIG_MAX_KEYS - 1) {
			n16 = n;
			k.n = 0;
			err = sig_keys_parse(text, n, &k, why, sizeof(why));
			CHECK(err == 0 && k.n == SIG_MAX_KEYS, "16 keys: %d n=%zu %s",
				err, k.n, why);
		}
	}
	k.n = 0;
	err = sig_keys_parse(text, n, &k, why, sizeof(why));
	CHECK(err == -E2BIG && !strcmp(why, "line 34: more than 16 keys") &&
		k.n == 0, "17 keys: %d n=%zu %s", err, k.n, why);
	k = all;
	text[n16] = '\0';
	KEY_REFUSED("3 + 16 keys", text, -E2BIG, "line 28: more than 16 keys");
#undef KEY_REFUSED

	/* cut short anywhere but the last end of line: refused */
	for (n = 0; n + 1 < strlen(k1_pub); n++) {
		k.n = 0;
		err = sig_keys_parse(k1_pub, n, &k, why, sizeof(why));
		if (err != -EINVAL || k.n) {
			CHECK(0, "k1.pub cut at %zu: %d %s", n, err, why);
			break;
		}
	}
	CHECK(n + 1 == strlen(k1_pub), "k1.pub cut short: all refused");
}

void test_sig(void)
{
	test_good();
	test_bad();
	test_malformed();
	test_hostile();
	test_keys();
}
