/* lib/plan/container.c: any file as a kernel that may be a Unified Kernel
 * Image or a FIT image, planned for each arch, with and without a
 * profile or configuration named. What container.h promises is checked
 * (abort() otherwise): every part inside the file, a .cmdline NUL ended
 * and printable, only its errnos, a why for every refusal. Seeds: the
 * uki and fit targets' corpora (tests/fuzz/corpus/container/). */
#include <errno.h>

#include "container.h"
#include "fuzz.h"

static void check_part(const struct container_part *s, size_t len)
{
	if (s->off > len || s->len > len - s->off) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct container_arch arches[] = {
		{ 0x8664, "x86_64", 0 }, { 0xaa64, "arm64", 1 },
		{ 0x01c2, "arm", 1 },
	};
	static const char *const wants[] = { NULL, "1", "conf-virt", "debug" };
	static const char *const compat[] = { "linux,dummy-virt",
		"acme,board" };
	static struct container_plan p;
	char why[512];
	uint8_t *buf;
	size_t a, w, i;
	int err;

	fuzz_quiet();
	if (posix_memalign((void **)&buf, 8, size ? size : 8)) {
		return 0;
	}
	memcpy(buf, data, size);
	for (a = 0; a < 3; a++) {
		for (w = 0; w < 4; w++) {
			why[0] = '\0';
			err = container_plan(buf, size, wants[w], compat, 2,
				&arches[a], &p, why, sizeof(why));
			if (err < 0) {
				if (!why[0] || (err != -ENOEXEC &&
					err != -EINVAL && err != -ENOENT &&
					err != -EBADMSG && err != -ENOTSUP &&
					err != -EXDEV && err != -ENOMEM)) {
					abort();
				}
				continue;
			}
			check_part(&p.kernel, size);
			check_part(&p.initrd, size);
			check_part(&p.dtb, size);
			if (!p.kernel.len || (!arches[a].uses_dtb &&
				p.dtb.len)) {
				abort();
			}
			if (p.has_cmdline) {
				for (i = 0; p.cmdline[i]; i++) {
					if ((unsigned char)p.cmdline[i] < 0x20 ||
						p.cmdline[i] == 0x7f) {
						abort();
					}
				}
			}
		}
	}
	free(buf);
	return 0;
}
