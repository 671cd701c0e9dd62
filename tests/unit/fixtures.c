/* What several test files need: a plan's segment by name, and files
 * written under a fixture root with their folders made (sysfs trees, file
 * systems of boot configurations). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "plan.h"
#include "test.h"

const struct segment *plan_seg(const struct plan *p, const char *what, int n)
{
	size_t i;

	for (i = 0; i < p->nseg; i++) {
		if (!strcmp(p->seg[i].what, what) && n-- == 0) {
			return &p->seg[i];
		}
	}
	return NULL;
}

void fixture_put(const char *root, const char *rel, const void *data,
	size_t len)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	/* mkdir -p of the folders, without a shell */
	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1,
		'/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			CHECK(0, "fixture mkdir %s: %s", path, strerror(errno));
		}
		*slash = '/';
	}
	f = fopen(path, "w");
	CHECK(f != NULL, "fixture %s: %s", path, strerror(errno));
	if (f) {
		CHECK(fwrite(data, 1, len, f) == len, "fixture write %s", path);
		fclose(f);
	}
}
