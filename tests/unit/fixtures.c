/* What several test files need: a plan's segment by name, files
 * written under a fixture root with their folders made (sysfs trees, file
 * systems of boot configurations), and an in-memory file system for the
 * boot-configuration parsers' io. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- an in-memory file system for the parsers' io ---- */

int memfs_reads;

int memfs_read(void *ctx, const char *path, char **text)
{
	const struct memfs_file *f;

	*text = NULL;
	memfs_reads++;
	for (f = ctx; f && f->path; f++) {
		if (!strcmp(f->path, path)) {
			if (!f->text) {
				return -ELOOP;
			}
			*text = strdup(f->text);
			return *text ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

/* the names right under dir: files, and each folder some file is in
 * (once); -ENOENT when nothing is under dir */
int memfs_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	const struct memfs_file *f;
	size_t dl = strlen(dir), i;

	*names = NULL;
	*n = 0;
	for (f = ctx; f && f->path; f++) {
		const char *rest = f->path + dl + 1, *end;
		char **p;

		if (strncmp(f->path, dir, dl) || f->path[dl] != '/') {
			continue;
		}
		end = strchr(rest, '/');
		for (i = 0; i < *n; i++) {
			if (!strncmp((*names)[i], rest, end ? (size_t)(end -
				rest) : strlen(rest)) && !(*names)[i][end ?
				(size_t)(end - rest) : strlen(rest)]) {
				break;
			}
		}
		if (i < *n) {
			continue;
		}
		p = realloc(*names, (*n + 1) * sizeof(*p));
		if (!p) {
			return -ENOMEM;
		}
		*names = p;
		p[*n] = end ? strndup(rest, (size_t)(end - rest)) :
			strdup(rest);
		if (!p[*n]) {
			return -ENOMEM;
		}
		(*n)++;
	}
	return *n ? 0 : -ENOENT;
}

/* one string field of entry i: equal to want, or NULL when want is */
void check_entry_str(const char *what, size_t i, const char *field,
	const char *got, const char *want)
{
	if (!want) {
		CHECK(!got, "%s e[%zu].%s = \"%s\"; want NULL", what, i, field,
			got);
		return;
	}
	CHECK(got && !strcmp(got, want), "%s e[%zu].%s = \"%s\"; want \"%s\"",
		what, i, field, got ? got : "(null)", want);
}

char *test_repeat(const char *head, const char *unit, size_t n,
	const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *p;

	if (!s) {
		return NULL;
	}
	memcpy(s, head, hl);
	for (i = 0, p = s + hl; i < n; i++, p += ul) {
		memcpy(p, unit, ul);
	}
	memcpy(p, tail, tl + 1);
	return s;
}
