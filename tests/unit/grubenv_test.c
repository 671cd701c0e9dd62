/* lib/bootcfg/grubenv.c: blocks as grub-editenv, grub-set-default and
 * grub-reboot leave them (padded to 1024 bytes with '#'), Fedora's with
 * kernelopts, escapes, and what is not a block. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "test.h"

/* a 1024-byte block holding vars, as grub-editenv writes it */
static char *block(const char *vars, size_t *len)
{
	static char b[1025];
	size_t n = strlen("# GRUB Environment Block\n") + strlen(vars);

	memset(b, '#', 1024);
	b[1024] = '\0';
	memcpy(b, "# GRUB Environment Block\n", 25);
	memcpy(b + 25, vars, strlen(vars));
	*len = n > 1024 ? n : 1024;
	return b;
}

void test_grubenv(void)
{
	struct grubenv env = { 0 };
	size_t len;
	char *b, *big;
	int err;

	/* Debian with GRUB_DEFAULT=saved after grub-set-default 1 */
	b = block("saved_entry=1\n", &len);
	err = grubenv_parse(b, len, &env);
	CHECK_INT("grubenv(saved_entry)", err, 0);
	CHECK_STR("grubenv(saved_entry) saved_entry",
		grubenv_get(&env, "saved_entry"), "1");
	CHECK(grubenv_get(&env, "next_entry") == NULL, "next_entry set");
	grubenv_free(&env);

	/* Fedora 30-33 / RHEL 8: kernelopts, boot_success, a submenu path */
	b = block("saved_entry=gnulinux-advanced-1234>gnulinux-6.1-advanced-1234\n"
		"kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto "
		"resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rhgb quiet \n"
		"boot_success=0\nnext_entry=Fedora (6.5.6)\n", &len);
	err = grubenv_parse(b, len, &env);
	CHECK_INT("grubenv(fedora)", err, 0);
	CHECK_INT("grubenv(fedora) n", env.n, 4);
	CHECK_STR("grubenv(fedora) kernelopts", grubenv_get(&env, "kernelopts"),
		"root=/dev/mapper/rhel-root ro crashkernel=auto "
		"resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rhgb quiet ");
	CHECK_STR("grubenv(fedora) saved_entry", grubenv_get(&env, "saved_entry"),
		"gnulinux-advanced-1234>gnulinux-6.1-advanced-1234");
	CHECK_STR("grubenv(fedora) next_entry", grubenv_get(&env, "next_entry"),
		"Fedora (6.5.6)");
	grubenv_free(&env);

	/* escapes: a backslash and a newline, as grub-editenv writes them */
	b = block("a=x\\\\y\nb=one\\\ntwo\nc=\n", &len);
	err = grubenv_parse(b, len, &env);
	CHECK_INT("grubenv(escapes)", err, 0);
	CHECK_STR("grubenv(escapes) a", grubenv_get(&env, "a"), "x\\y");
	CHECK_STR("grubenv(escapes) b", grubenv_get(&env, "b"), "one\ntwo");
	CHECK_STR("grubenv(escapes) c", grubenv_get(&env, "c"), "");
	grubenv_free(&env);

	/* the last of two counts; a '=' in a value stays */
	b = block("k=1\nk=2=3\n", &len);
	CHECK_INT("grubenv(twice)", grubenv_parse(b, len, &env), 0);
	CHECK_STR("grubenv(twice) k", grubenv_get(&env, "k"), "2=3");
	grubenv_free(&env);

	/* not a block: no signature, an empty file, a truncated one */
	CHECK_INT("grubenv(no signature)",
		grubenv_parse("saved_entry=1\n", 14, &env), -EINVAL);
	CHECK_INT("grubenv(empty)", grubenv_parse("", 0, &env), -EINVAL);
	CHECK_INT("grubenv(short)", grubenv_parse("# GRUB Env", 10, &env),
		-EINVAL);
	/* no final newline, no padding: the value ends with the text */
	CHECK_INT("grubenv(unpadded)", grubenv_parse(
		"# GRUB Environment Block\nx=1", 28, &env), 0);
	CHECK_STR("grubenv(unpadded) x", grubenv_get(&env, "x"), "1");
	grubenv_free(&env);
	/* a line without '=' ends the block, as in grub */
	CHECK_INT("grubenv(junk)", grubenv_parse(
		"# GRUB Environment Block\na=1\njunk\nb=2\n", 37, &env), 0);
	CHECK(env.n == 1 && !grubenv_get(&env, "b"), "grubenv(junk): n %zu",
		env.n);
	grubenv_free(&env);
	/* a trailing backslash at the very end does not read past it */
	CHECK_INT("grubenv(trailing backslash)", grubenv_parse(
		"# GRUB Environment Block\na=\\", 28, &env), 0);
	CHECK_STR("grubenv(trailing backslash) a", grubenv_get(&env, "a"), "\\");
	grubenv_free(&env);

	/* hostile: more variables than any block holds */
	big = malloc(64 * 1024);
	if (big) {
		size_t o = 0, i;

		o += (size_t)sprintf(big, "# GRUB Environment Block\n");
		for (i = 0; i < 1000; i++) {
			o += (size_t)sprintf(big + o, "v%zu=%zu\n", i, i);
		}
		CHECK_INT("grubenv(1000 vars)", grubenv_parse(big, o, &env),
			-E2BIG);
		CHECK_INT("grubenv(1000 vars) emptied", env.n, 0);
		free(big);
	}
}
