/* the kernel command line splitter, reuse stripping, hop.* keys */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), out[4096];
	struct cmdline c;
	struct config cfg;

	fuzz_quiet();
	if (cmdline_parse(s, &c) == 0) {
		config_from_cmdline(&c, &cfg);
		config_next_cmdline(&cfg, &c, out, sizeof(out));
		cmdline_strip(&c, out, sizeof(out));
		config_free(&cfg);
		cmdline_free(&c);
	}
	free(s);
	return 0;
}
