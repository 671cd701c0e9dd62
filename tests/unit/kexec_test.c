/* hop kexec: the option table, conflicts, exit codes, and the actions
 * against the fake syscall layer and a sysroot fixture */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "hop.h"
#include "load.h"
#include "applet.h"
#include "kexec_opts.h"
#include "test.h"

#define MAXARGS 12

/* renders the parse: "ret k=KERNEL crash sys=MODE i=N a=APPEND flags" */
static const char *parse(const char *const *args)
{
	static char out[512];
	char *argv[MAXARGS + 1];
	struct kexec_opts o;
	int argc, ret;

	for (argc = 0; args[argc]; argc++) {
		argv[argc] = (char *)args[argc];
	}
	argv[argc] = NULL;
	capture_start();
	ret = kexec_parse(argc, argv, &o);
	capture_end();
	if (ret >= 0) {
		snprintf(out, sizeof(out), "exit %d", ret);
		return out;
	}
	snprintf(out, sizeof(out), "k=%s%s sys=%s i=%zu%s%s a=%s%s%s%s%s%s%s%s "
		"min=%llx max=%llx%s%s", o.req.kernel ? o.req.kernel : "-",
		o.req.crash ? " crash" : "", syscall_name(o.req.syscall),
		o.req.ninitrd, o.req.ninitrd ? ":" : "",
		o.req.ninitrd ? o.initrd[o.req.ninitrd - 1] : "",
		o.append ? o.append : "-", o.reuse ? " reuse" : "",
		o.exec ? " exec" : "", o.force ? " force" : "",
		o.status ? " status" : "", o.unload ? " unload" : "",
		o.implicit ? " implicit" : "", o.req.plan_only ? " plan" : "",
		(unsigned long long)o.req.mem_min,
		(unsigned long long)o.req.mem_max,
		o.req.dtb ? " dtb" : "", o.req.sysroot ? " sysroot" : "");
	return out;
}

#define A(...) ((const char *const[]){ "kexec", __VA_ARGS__, NULL })
static const struct {
	const char *const *args;
	const char *want;
} cases[] = {
	/* systemd: kexec --load K --initrd=I --append="..." */
	{ A("--load", "/k", "--initrd=/i", "--append=root=/dev/sda x=1"),
		"k=/k sys=auto i=1:/i a=root=/dev/sda x=1 min=0 max=0" },
	{ A("-l", "/k", "--initrd", "/i", "--command-line", "q"),
		"k=/k sys=auto i=1:/i a=q min=0 max=0" },
	{ A("-l", "--ramdisk=/a", "--ramdisk=/b", "-s", "/k"),
		"k=/k sys=file i=2:/b a=- min=0 max=0" },
	{ A("-c", "-l", "/k", "--reuse-cmdline", "-x", "-d"),
		"k=/k sys=load i=0 a=- reuse min=0 max=0" },
	{ A("-s", "-a", "-l", "/k"), "k=/k sys=auto i=0 a=- min=0 max=0" },
	{ A("-p", "/k", "--append=x"),
		"k=/k crash sys=auto i=0 a=x min=0 max=0" },
	{ A("--load-panic", "/k"), "k=/k crash sys=auto i=0 a=- min=0 "
		"max=0" },
	{ A("-l", "--initrd=/i", "/k"), "k=/k sys=auto i=1:/i a=- min=0 "
		"max=0" },
	{ A("-e"), "k=- sys=auto i=0 a=- exec min=0 max=0" },
	{ A("--exec", "-x"), "k=- sys=auto i=0 a=- exec min=0 max=0" },
	{ A("-f", "/k"), "k=/k sys=auto i=0 a=- force min=0 max=0" },
	{ A("-u"), "k=- sys=auto i=0 a=- unload min=0 max=0" },
	{ A("-u", "-p", "/k"), "exit 2" },
	{ A("-S"), "k=- sys=auto i=0 a=- status min=0 max=0" },
	{ A("--status", "-l", "/k"), "exit 2" },
	{ A("/k"), "k=/k sys=auto i=0 a=- implicit min=0 max=0" },
	{ A("-l", "/k", "--plan", "--sysroot=/r", "--dtb=/d",
		"--mem-min=0x1000", "--mem-max=0x7fffffff"),
		"k=/k sys=auto i=0 a=- plan min=1000 max=80000000 dtb sysroot" },
	{ A("--mem-min=zz", "-l", "/k"), "exit 2" },
	{ A("-l"), "exit 2" },
	{ A("--bogus"), "exit 2" },
	{ A("-q"), "exit 2" },
	{ A("-l", "/k", "/j"), "exit 2" },
	{ A("-l", "/k", "-p", "/j"), "exit 2" },
	{ A("-f", "-l", "/k"), "exit 2" },
	{ A("-p"), "exit 2" },
	{ A("-S", "-p"), "k=- crash sys=auto i=0 a=- status min=0 max=0" },
	{ A("-p", "/k", "-e"), "exit 2" },
	{ A("-u", "-l", "/k"), "exit 2" },
	{ A("-d"), "exit 2" },
	{ A("-h"), "exit 0" },
	{ A("--version"), "exit 0" },
};

static char root[] = "/tmp/hop-kexec-XXXXXX";

/* root + rel with data */
static void put(const char *rel, const char *data)
{
	fixture_put(root, rel, data, strlen(data));
}

static int run(const char *const *args, const char **log)
{
	char *argv[MAXARGS + 3];
	char sysroot[64];
	int argc, ret;

	snprintf(sysroot, sizeof(sysroot), "--sysroot=%s", root);
	for (argc = 0; args[argc]; argc++) {
		argv[argc] = (char *)args[argc];
	}
	argv[argc++] = sysroot;
	argv[argc] = NULL;
	capture_start();
	ret = kexec_main(argc, argv);
	*log = capture_end();
	return ret;
}

static void test_actions(void)
{
	char path[256];
	const char *log;
	int ret;

	mkdtemp(root);
	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel/security", root);
	mkdir(path, 0755);
	put("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda "
		"crashkernel=256M quiet -- single\n");
	put("/sys/kernel/kexec_loaded", "0\n");
	put("/sys/kernel/kexec_crash_loaded", "1\n");
	put("/kernel", "kernel");

	CHECK_INT("kexec -S (nothing loaded)", run(A("-S"), &log), 1);
	CHECK_INT("kexec -S -p (crash loaded)", run(A("-S", "-p"), &log), 0);
	ret = run(A("-e"), &log);
	CHECK_INT("kexec -e (nothing loaded)", ret, 1);
	CHECK_STR("kexec -e (nothing loaded) log", log, "hop: error: kexec -e: "
		"no image is loaded (load one with kexec -l KERNEL)\n");

	fake_err = 0;
	fake_calls = 0;
	snprintf(path, sizeof(path), "%s/kernel", root);
	ret = run(A("-l", path, "--reuse-cmdline", "--append=x=1"), &log);
	CHECK_INT("kexec -l --reuse-cmdline --append", ret, 0);
	CHECK_STR("cmdline from --reuse-cmdline --append", fake_cmdline,
		"root=/dev/sda crashkernel=256M quiet -- single x=1");
	CHECK_INT("flags of kexec -l without initrd", fake_flags,
		HOP_KEXEC_FILE_NO_INITRAMFS);
	ret = run(A("-p", path, "--reuse-cmdline"), &log);
	CHECK_INT("kexec -p --reuse-cmdline", ret, 0);
	CHECK_STR("cmdline of a panic kernel (no crashkernel=)", fake_cmdline,
		"root=/dev/sda quiet -- single");
	CHECK_INT("flags of kexec -p", fake_flags,
		HOP_KEXEC_FILE_NO_INITRAMFS | HOP_KEXEC_FILE_ON_CRASH);

	/* no crashkernel= reservation: said plainly, no syscall */
	put("/sys/kernel/kexec_crash_size", "0\n");
	fake_calls = 0;
	ret = run(A("-p", path), &log);
	CHECK_INT("kexec -p (no reservation)", ret, 1);
	CHECK_INT("kexec -p (no reservation) syscalls", fake_calls, 0);
	CHECK(strstr(log, "no memory reserved for a panic kernel "
		"(/sys/kernel/kexec_crash_size is 0): boot with crashkernel=SIZE")
		!= NULL, "kexec -p (no reservation) logs %s", log);
	put("/sys/kernel/kexec_crash_size", "268435456\n");

	fake_err = -EKEYREJECTED;
	ret = run(A("-l", path), &log);
	CHECK_INT("kexec -l (EKEYREJECTED)", ret, 1);
	put("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	fake_err = -EPERM;
	ret = run(A("-l", path), &log);
	CHECK_INT("kexec -l (EPERM, lockdown)", ret, 1);
	CHECK(strstr(log, "kexec_file_load: EPERM: not permitted (lockdown, "
		"kexec_load_disabled or no CAP_SYS_BOOT) (kernel lockdown: "
		"integrity; only an image signed with a trusted key loads); not "
		"falling back to kexec_load\n") != NULL,
		"kexec -l (EPERM, lockdown) logs %s", log);

	/* unload: kexec_file_load first, kexec_load when it is missing */
	fake_err = 0;
	fake_calls = load_calls = 0;
	CHECK_INT("kexec -u", run(A("-u"), &log), 0);
	CHECK_INT("kexec -u: kexec_file_load calls", fake_calls, 1);
	CHECK_INT("kexec -u: flags", fake_flags, HOP_KEXEC_FILE_UNLOAD);
	fake_err = -ENOSYS;
	CHECK_INT("kexec -u -p (ENOSYS)", run(A("-u", "-p"), &log), 0);
	CHECK_INT("kexec -u -p: kexec_load calls", load_calls, 1);
	CHECK_INT("kexec -u -p: kexec_load nr", load_nr, 0);
	CHECK_INT("kexec -u -p: kexec_load flags", load_flags, 1);
	load_err = -EPERM;
	load_calls = 0;
	CHECK_INT("kexec -u -c (EPERM)", run(A("-u", "-c"), &log), 1);
	CHECK_INT("kexec -u -c: kexec_load calls", load_calls, 1);
	CHECK_STR("kexec -u -c (EPERM) log", log, "hop: error: unload: EPERM "
		"(Operation not permitted)\n");
	load_err = 0;
	fake_err = 0;

	snprintf(path, sizeof(path), "rm -rf %s", root);
	if (system(path) != 0) {
		CHECK(0, "cleanup of %s failed", root);
	}
}

void test_kexec(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = parse(cases[i].args);
		char joined[256] = "";
		size_t k;

		for (k = 1; cases[i].args[k]; k++) {
			strcat(joined, " ");
			strcat(joined, cases[i].args[k]);
		}
		CHECK(!strcmp(got, cases[i].want), "kexec_parse(%s) = \"%s\"; "
			"want \"%s\"", joined, got, cases[i].want);
	}
	test_actions();
}
