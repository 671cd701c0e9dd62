/* load_image's use of the policy, with a fake syscall layer standing in
 * for lib/kexec.c: which syscall ran, with which flags, and which lines
 * were logged for each errno. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hop.h"
#include "test.h"

static int fake_err, fake_calls, fake_initrd_fd;
static unsigned long fake_flags;
static char fake_cmdline[256];

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
	unsigned long flags)
{
	(void)kernel_fd;
	fake_calls++;
	fake_initrd_fd = initrd_fd;
	fake_flags = flags;
	snprintf(fake_cmdline, sizeof(fake_cmdline), "%s", cmdline);
	return fake_err;
}

int sys_reboot(int how)
{
	(void)how;
	return -EPERM;
}

int sys_reboot_kexec(void)
{
	return -EPERM;
}

static const struct {
	int err;
	enum syscall_mode mode;
	int ret;
	const char *log;
} cases[] = {
	{ 0, SYSCALL_AUTO, 0, "hop: loaded via kexec_file_load\n" },
	{ -ENOSYS, SYSCALL_AUTO, -ENOSYS,
		"hop: fallback: kexec_file_load: ENOSYS\n"
		"hop: kexec_file_load: ENOSYS: the running kernel has no "
		"kexec_file_load; trying kexec_load\n"
		"hop: error: kexec_load: K: no segment planner for this arch "
		"in this build (bzImage/Image/zImage planners are not built "
		"yet)\n" },
	{ -EKEYREJECTED, SYSCALL_AUTO, -EKEYREJECTED,
		"hop: error: K: kexec_file_load: EKEYREJECTED: the image's "
		"signature was rejected; not falling back to kexec_load\n" },
	{ -EPERM, SYSCALL_AUTO, -EPERM,
		"hop: error: K: kexec_file_load: EPERM: not permitted "
		"(lockdown, kexec_load_disabled or no CAP_SYS_BOOT); not "
		"falling back to kexec_load\n" },
	{ -EINVAL, SYSCALL_FILE, -EINVAL,
		"hop: error: K: kexec_file_load: EINVAL: the kernel's file "
		"loader does not take this image or request (hop.syscall=file: "
		"no fallback)\n" },
	{ -EBUSY, SYSCALL_AUTO, -EBUSY,
		"hop: error: K: kexec_file_load: EBUSY: kexec_file_load failed "
		"for a reason kexec_load cannot fix\n" },
};

/* replaces the kernel path in a log with "K" */
static const char *norm(const char *log, const char *k)
{
	static char out[2048];
	const char *p;
	size_t n = 0, kl = strlen(k);

	for (p = log; *p && n < sizeof(out) - 2; ) {
		if (!strncmp(p, k, kl)) {
			out[n++] = 'K';
			p += kl;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

void test_load(void)
{
	char k[] = "/tmp/hop-kernel-XXXXXX", i1[] = "/tmp/hop-initrd-XXXXXX";
	const char *initrds[2];
	struct load_req req;
	const char *log;
	size_t c;
	int fd, ret;

	fd = mkstemp(k);
	write(fd, "kernel", 6);
	close(fd);
	fd = mkstemp(i1);
	write(fd, "initrd", 6);
	close(fd);
	initrds[0] = i1;
	initrds[1] = i1;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		memset(&req, 0, sizeof(req));
		req.kernel = k;
		req.cmdline = "console=ttyS0";
		req.syscall = cases[c].mode;
		fake_err = cases[c].err;
		capture_start();
		ret = load_image(&req);
		log = norm(capture_end(), k);
		CHECK(ret == cases[c].ret, "load_image(errno %s) = %d; want %d",
			errname(cases[c].err), ret, cases[c].ret);
		CHECK(!strcmp(log, cases[c].log),
			"load_image(errno %s) logs\n%s; want\n%s",
			errname(cases[c].err), log, cases[c].log);
	}

	/* no initrd: NO_INITRAMFS and fd -1; two initrds: one memfd fd */
	memset(&req, 0, sizeof(req));
	req.kernel = k;
	req.cmdline = "a b";
	fake_err = 0;
	capture_start();
	load_image(&req);
	capture_end();
	CHECK_INT("flags without initrd", fake_flags,
		HOP_KEXEC_FILE_NO_INITRAMFS);
	CHECK_INT("initrd fd without initrd", fake_initrd_fd, -1);
	CHECK_STR("cmdline passed", fake_cmdline, "a b");
	req.initrd = initrds;
	req.ninitrd = 2;
	req.crash = 1;
	capture_start();
	load_image(&req);
	capture_end();
	CHECK_INT("flags with initrds, crash", fake_flags,
		HOP_KEXEC_FILE_ON_CRASH);
	CHECK(fake_initrd_fd >= 0, "initrd fd with initrds = %d; want >= 0",
		fake_initrd_fd);

	/* a missing kernel: one error line, no syscall */
	req.kernel = "/nonexistent/vmlinuz";
	fake_calls = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(missing kernel)", ret, -ENOENT);
	CHECK_INT("syscalls for a missing kernel", fake_calls, 0);
	CHECK_STR("load_image(missing kernel) log", log, "hop: error: "
		"/nonexistent/vmlinuz: open: ENOENT (No such file or "
		"directory)\n");
	unlink(k);
	unlink(i1);
}
