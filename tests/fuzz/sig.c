/* minisign and signify signatures (lib/trust/sig.c): a public key file,
 * a signature file and the signed data, NUL-separated in that order (a
 * part left out is empty; the data is the rest, NULs and all). Each part
 * is copied to a buffer of its exact size, so a read past its length is
 * ASan's to catch. The key file is parsed, then the signature checked
 * against its keys and against three real ones (minisign's and
 * signify's, the seeds' keys), so mutated signatures reach the crypto.
 * What sig.h promises is checked (abort() otherwise): only its errnos; a
 * refusal says why in one printable sentence, no trailing period; keys
 * untouched by a refused file, at most SIG_MAX_KEYS; keyid "" or 16
 * uppercase hex digits, there whenever the key id was the reason. */
#include <errno.h>

#include "fuzz.h"
#include "sig.h"

static const char real_keys[] =
	"untrusted comment: minisign public key 2E71AAF45BF74DFB\n"
	"RWT7Tfdb9KpxLtM6R31iJXWpYihZtjMqTZo8R/Qj3pWSaCWCfKceyXut\n"
	"untrusted comment: minisign public key 4342B9DB59093CA1\n"
	"RWShPAlZ27lCQ0zvFKzPVkr7R0ceJoX/w6gH8rd+buvas1sPK5sdnhoI\n"
	"untrusted comment: signify public key\n"
	"RWQHOdEyMnf1xPnRdSWufSAHYM6O0Spd2p7nOhtRQJcMh5kxattEgNeo\n";

/* one sentence of printable ASCII, nothing of the files' own text in
 * it but what its fixed words allow, no trailing period */
static void check_why(const char *why, int err)
{
	size_t i, n = strlen(why);

	if (err && !n) {
		abort();
	}
	for (i = 0; i < n; i++) {
		if (why[i] < 0x20 || why[i] > 0x7e) {
			abort();
		}
	}
	if (n && why[n - 1] == '.') {
		abort();
	}
}

static void check_keyid(const char *keyid)
{
	size_t i, n = strlen(keyid);

	if (n != 0 && n != 16) {
		abort();
	}
	for (i = 0; i < n; i++) {
		if (!((keyid[i] >= '0' && keyid[i] <= '9') ||
			(keyid[i] >= 'A' && keyid[i] <= 'F'))) {
			abort();
		}
	}
}

static void check_verify(const uint8_t *data, size_t len, const char *sig,
	size_t siglen, const struct sig_keys *keys)
{
	char keyid[17], why[256];
	int err;

	memset(keyid, 'x', sizeof(keyid));
	err = sig_verify(data, len, sig, siglen, keys, keyid, why,
		sizeof(why));
	if (err != 0 && err != -ENOKEY && err != -EBADMSG && err != -EINVAL) {
		abort();
	}
	check_why(why, err);
	check_keyid(keyid);
	if ((err == 0 || err == -ENOKEY || err == -EBADMSG) && !keyid[0]) {
		abort();
	}
}

/* a copy of exactly n bytes, no NUL after it */
static char *exact(const uint8_t *p, size_t n)
{
	char *c = malloc(n ? n : 1);

	memcpy(c, p, n);
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sig_keys real;
	const uint8_t *end = data + size, *part[3], *nul;
	size_t len[3], i;
	struct sig_keys keys = { .n = 0 }, before;
	char *keytext, *sig, why[256];
	uint8_t *msg;
	int err;

	if (!real.n && sig_keys_parse(real_keys, strlen(real_keys), &real, why,
		sizeof(why)) != 0) {
		abort();
	}
	for (i = 0; i < 3; i++) {
		part[i] = data;
		nul = i < 2 ? memchr(data, '\0', (size_t)(end - data)) : NULL;
		len[i] = nul ? (size_t)(nul - data) : (size_t)(end - data);
		data += len[i] + (nul != NULL);
	}
	keytext = exact(part[0], len[0]);
	sig = exact(part[1], len[1]);
	msg = (uint8_t *)exact(part[2], len[2]);

	/* the key file, added to an empty set and to the real keys */
	err = sig_keys_parse(keytext, len[0], &keys, why, sizeof(why));
	if (err != 0 && err != -EINVAL && err != -E2BIG) {
		abort();
	}
	check_why(why, err);
	if ((err == 0) != (keys.n > 0) || keys.n > SIG_MAX_KEYS) {
		abort();
	}
	before = real;
	err = sig_keys_parse(keytext, len[0], &before, why, sizeof(why));
	check_why(why, err);
	if ((err && memcmp(&before, &real, sizeof(real))) ||
		before.n > SIG_MAX_KEYS || before.n < real.n) {
		abort();
	}

	check_verify(msg, len[2], sig, len[1], &keys);
	check_verify(msg, len[2], sig, len[1], &real);
	free(keytext);
	free(sig);
	free(msg);
	return 0;
}
