/* mkevlog OUT ALG[,ALG...] [PCR TYPE TEXT]...: a TCG event log written
 * by lib/trust/eventlog.c, each event's digests those of TEXT, for
 * tests/eventlog.sh (tpm2-tools must read what hop writes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"

int main(int argc, char **argv)
{
	static const uint16_t known[] = { TPM_ALG_SHA1, TPM_ALG_SHA256,
		TPM_ALG_SHA384, TPM_ALG_SHA512 };
	uint16_t algs[TPM_MAX_BANKS];
	struct tpm_digests d;
	struct evlog l;
	size_t n = 0, i;
	char *tok;
	FILE *f;
	int a;

	if (argc < 3 || (argc - 3) % 3) {
		fprintf(stderr, "usage: mkevlog OUT ALG[,ALG...] "
			"[PCR TYPE TEXT]...\n");
		return 2;
	}
	for (tok = strtok(argv[2], ","); tok && n < TPM_MAX_BANKS;
		tok = strtok(NULL, ",")) {
		for (i = 0; i < 4 && strcmp(tpm_alg_name(known[i]), tok); i++) {
		}
		if (i == 4) {
			fprintf(stderr, "mkevlog: %s: unknown\n", tok);
			return 2;
		}
		algs[n++] = known[i];
	}
	if (evlog_start(&l, algs, n)) {
		return 1;
	}
	for (a = 3; a < argc; a += 3) {
		const char *text = argv[a + 2];

		if (tpm_hash(algs, n, text, strlen(text), &d) ||
			evlog_add(&l, strtoul(argv[a], NULL, 0),
			strtoul(argv[a + 1], NULL, 0), &d, text, strlen(text))) {
			fprintf(stderr, "mkevlog: event %d refused\n", a / 3);
			return 1;
		}
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(l.buf, 1, l.len, f) != l.len || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	evlog_free(&l);
	return 0;
}
