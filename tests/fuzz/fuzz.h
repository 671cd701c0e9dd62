/* Shared by the libFuzzer targets: a NUL-terminated copy of the input. */
#ifndef HOP_FUZZ_H
#define HOP_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* the log goes nowhere: targets exercise the parsers, not stderr */
static inline void fuzz_quiet(void)
{
	static int done;

	if (!done) {
		log_set_fd(-1);
		done = 1;
	}
}

#endif
