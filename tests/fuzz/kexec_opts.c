/* hop kexec's option parser: the input split on NUL bytes is argv */
#include <stdio.h>

#include "fuzz.h"
#include "kexec_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *argv[33];
	struct kexec_opts o;
	size_t i, argc = 1;
	FILE *keep = stdout;

	fuzz_quiet();
	argv[0] = "kexec";
	for (i = 0; i < size && argc < 32; ) {
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
