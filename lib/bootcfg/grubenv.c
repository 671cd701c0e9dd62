/* grub's environment block (grubenv): what load_env reads and
 * grub-editenv / grub-set-default / grub-reboot write. The format, as
 * grub-core/lib/envblk.c reads it: the signature line "# GRUB Environment
 * Block", then "name=value" lines; a value escapes a backslash and a
 * newline with a backslash; lines starting with '#' are comments, and the
 * block is padded to its size (1024 bytes) with '#'. Pure: text in,
 * variables out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"

#define SIGNATURE "# GRUB Environment Block\n"

void grubenv_free(struct grubenv *env)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		free(env->name[i]);
		free(env->value[i]);
	}
	env->n = 0;
}

const char *grubenv_get(const struct grubenv *env, const char *name)
{
	size_t i;

	/* the last one written counts, as a later set would */
	for (i = env->n; i-- > 0;) {
		if (!strcmp(env->name[i], name)) {
			return env->value[i];
		}
	}
	return NULL;
}

int grubenv_parse(const char *text, size_t len, struct grubenv *env)
{
	const char *p = text, *end = text + len;

	env->n = 0;
	if (len < sizeof(SIGNATURE) - 1 ||
		memcmp(text, SIGNATURE, sizeof(SIGNATURE) - 1)) {
		return -EINVAL;
	}
	p += sizeof(SIGNATURE) - 1;
	while (p < end) {
		const char *name = p, *eq, *v;
		char *val, *o;
		size_t need;

		if (*p == '#' || *p == '\n') {
			/* a comment, or the padding: to the line's end */
			p = memchr(p, '\n', (size_t)(end - p));
			p = p ? p + 1 : end;
			continue;
		}
		eq = name;
		while (eq < end && *eq != '=' && *eq != '\n') {
			eq++;
		}
		if (eq == end || *eq != '=' || eq == name) {
			/* not name=value: grub stops reading there too */
			break;
		}
		/* the value's size first (an escaped newline continues
		 * it): room for it alone, never for the rest of the file,
		 * which 64 values would hold 64 times over */
		for (need = 0, v = eq + 1; v < end && *v != '\n'; v++,
			need++) {
			if (*v == '\\' && v + 1 < end) {
				v++;
			}
		}
		val = malloc(need + 1);
		if (!val) {
			grubenv_free(env);
			return -ENOMEM;
		}
		for (o = val, v = eq + 1; v < end && *v != '\n'; v++) {
			if (*v == '\\' && v + 1 < end) {
				v++;
			}
			*o++ = *v;
		}
		*o = '\0';
		p = v < end ? v + 1 : end;
		if (env->n == GRUBENV_MAX) {
			free(val);
			grubenv_free(env);
			return -E2BIG;
		}
		env->name[env->n] = strndup(name, (size_t)(eq - name));
		env->value[env->n] = val;
		if (!env->name[env->n]) {
			free(val);
			grubenv_free(env);
			return -ENOMEM;
		}
		env->n++;
	}
	return 0;
}
