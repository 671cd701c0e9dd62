/* every image planner (bzImage, ELF, multiboot v1 and v2, arm64 Image
 * with inflate and zboot, zImage, uImage) and its header check on the same
 * bytes, with a fixed memory map, a small tree and two multiboot modules
 * (and again with 40, ESXi's way: packed into one segment);
 * then again as a panic kernel (crash reservation, ELF core header, the
 * input as x86 boot_params too) */
#include <libfdt.h>

#include "fuzz.h"
#include "plan.h"

static const struct image_format *const formats[] = { &fmt_bzimage,
	&fmt_elf, &fmt_multiboot, &fmt_multiboot2, &fmt_arm64_image,
	&fmt_zimage, &fmt_uimage };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t tree[512], initrd[8192], mod[100];
	static const struct boot_module mods[] = {
		{ mod, sizeof(mod), "/boot/mod a=1" },
		{ initrd, sizeof(initrd), "/boot/initrd" },
	};
	static struct boot_module many[40];
	static struct memmap mm, crash;
	static uint8_t corehdr[4096];
	char why[256];
	struct boot_req req;
	struct plan p;
	size_t i;

	if (!mm.nram) {
		for (i = 0; i < 40; i++) {
			many[i] = mods[i % 2];
		}
		memmap_parse_iomem("00100000-3fffffff : System RAM\n"
			"40000000-bfffffff : System RAM\n", &mm);
		fdt_create(tree, sizeof(tree));
		fdt_finish_reservemap(tree);
		fdt_begin_node(tree, "");
		fdt_begin_node(tree, "chosen");
		fdt_end_node(tree);
		fdt_end_node(tree);
		fdt_finish(tree);
		memmap_parse_iomem("00100000-bfffffff : System RAM\n"
			"  20000000-2fffffff : Crash kernel\n", &crash);
		memmap_crash_only(&crash);
	}
	memset(&req, 0, sizeof(req));
	req.kernel = data;
	req.kernel_len = size;
	req.kernel_name = "/boot/kernel";
	req.cmdline = "console=ttyS0";
	req.dtb = tree;
	req.dtb_len = fdt_totalsize(tree);
	req.page_size = 4096;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i]->probe(data, size) != 0) {
			continue;
		}
		if (formats[i]->check) {
			formats[i]->check(data, size, why, sizeof(why));
		}
		/* multiboot takes modules and no initrd */
		req.initrd = formats[i]->takes_modules ? NULL : initrd;
		req.initrd_len = formats[i]->takes_modules ? 0 : sizeof(initrd);
		req.modules = formats[i]->takes_modules ? mods : NULL;
		req.nmodules = formats[i]->takes_modules ? 2 : 0;
		plan_init(&p);
		formats[i]->plan(&req, &mm, &p);
		plan_free(&p);
		if (formats[i]->takes_modules) {
			req.modules = many;
			req.nmodules = 40;
			plan_init(&p);
			formats[i]->plan(&req, &mm, &p);
			plan_free(&p);
		}
	}
	req.crash = 1;
	req.elfcorehdr = corehdr;
	req.elfcorehdr_len = sizeof(corehdr);
	req.boot_params = data;
	req.boot_params_len = size;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i]->probe(data, size) == 0) {
			req.initrd = formats[i]->takes_modules ? NULL : initrd;
			req.initrd_len = formats[i]->takes_modules ? 0 :
				sizeof(initrd);
			req.modules = formats[i]->takes_modules ? mods : NULL;
			req.nmodules = formats[i]->takes_modules ? 2 : 0;
			plan_init(&p);
			formats[i]->plan(&req, &crash, &p);
			plan_free(&p);
		}
	}
	return 0;
}
