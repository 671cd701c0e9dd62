/* netlink uevent messages and recorded requests */
#include "fuzz.h"
#include "request.h"
#include "uevent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct stored_req r;
	struct uevent ev;

	if (uevent_parse((const char *)data, size, &ev) == 0) {
		uevent_is_memory_change(&ev);
	}
	request_parse(s, &r);
	free(s);
	return 0;
}
