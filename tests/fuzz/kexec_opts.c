/* hop kexec's option parser: the input split on NUL bytes is argv (up to
 * 300 words: past the 256 --module options hop takes) */
#include <stdio.h>

#include "fuzz.h"
#include "kexec_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *argv[301];
	struct kexec_opts o;
	size_t i, argc = 1;
	FILE *keep = stdout;

	fuzz_quiet();
	argv[0] = "kexec";
	for (i = 0; i < size && argc < 300; ) {
		argv[argc++] = s + i;
		i += strlen(s + i) + 1;
	}
	argv[argc] = NULL;
	stdout = fopen("/dev/null", "w");	/* -h prints the usage */
	kexec_parse((int)argc, argv, &o);
	fclose(stdout);
	stdout = keep;
	free(s);
	return 0;
}
