/* u-boot FIT images (lib/plan/fit.c): the input, copied to an 8-byte
 * aligned buffer of its exact size (as the caller must; a read past it
 * is ASan's to catch), probed (at an odd address too: fit_probe copies),
 * parsed, then a configuration chosen by a few compatible lists and by
 * name, and every configuration's hashes checked. What fit.h promises is
 * checked (abort() otherwise): every image's span inside the file, every
 * index in range, only the errnos it names, a why for every refusal. */
#include <errno.h>

#include "fit.h"
#include "fuzz.h"

static struct fit f;

static void check_why(const char *why, int err)
{
	if (err < 0 && !why[0]) {
		abort();
	}
}

static void check_parsed(size_t len)
{
	size_t i;
	int k;

	if (!f.nimages || f.nimages > FIT_MAX_IMAGES || !f.nconfs ||
		f.nconfs > FIT_MAX_CONFS || f.def < -1 ||
		f.def >= (int)f.nconfs) {
		abort();
	}
	for (i = 0; i < f.nimages; i++) {
		if (f.img[i].data_off > len ||
			f.img[i].data_len > len - f.img[i].data_off ||
			!f.img[i].name) {
			abort();
		}
	}
	for (i = 0; i < f.nconfs; i++) {
		const int idx[] = { f.conf[i].kernel, f.conf[i].fdt,
			f.conf[i].ramdisk };

		for (k = 0; k < 3; k++) {
			if (idx[k] < -1 || idx[k] >= (int)f.nimages ||
				(idx[k] >= 0 && f.img[idx[k]].type !=
				(enum fit_type)k)) {
				abort();
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const lists[][3] = {
		{ "linux,dummy-virt", "acme,board", NULL },
		{ "acme,board", "linux,dummy-virt", NULL },
		{ "acme,rev2", "acme,board", "acme,soc" },
	};
	char why[512];
	uint8_t *buf, *odd;
	unsigned n;
	size_t i;
	int err, c;

	fuzz_quiet();
	if (posix_memalign((void **)&buf, 8, size ? size : 8)) {
		return 0;
	}
	memcpy(buf, data, size);
	odd = malloc(size + 1);
	if (odd) {
		memcpy(odd + 1, data, size);
		if (fit_probe(odd + 1, size) != fit_probe(buf, size)) {
			abort();
		}
		free(odd);
	}
	why[0] = '\0';
	err = fit_parse(buf, size, &f, why, sizeof(why));
	check_why(why, err);
	if (err && err != -ENOEXEC && err != -EINVAL) {
		abort();
	}
	if (err) {
		free(buf);
		return 0;
	}
	check_parsed(size);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		why[0] = '\0';
		c = fit_choose(&f, NULL, lists[i], 3, why, sizeof(why));
		check_why(why, c);
		if (c < -ENOMEM || (c < 0 && c != -ENOENT && c != -ENOMEM) ||
			c >= (int)f.nconfs || (c == -ENOENT && f.def >= 0)) {
			abort();
		}
	}
	/* names are unique (fit_parse refuses two alike) */
	if (fit_choose(&f, f.conf[f.nconfs - 1].name, NULL, 0, why,
		sizeof(why)) != (int)f.nconfs - 1) {
		abort();
	}
	for (c = 0; c < (int)f.nconfs; c++) {
		why[0] = '\0';
		n = 0;
		err = fit_verify(&f, c, &n, why, sizeof(why));
		check_why(why, err);
		if (err && err != -EBADMSG && err != -ENOTSUP &&
			err != -EINVAL) {
			abort();
		}
	}
	free(buf);
	return 0;
}
