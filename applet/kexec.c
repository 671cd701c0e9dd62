/* hop kexec: the kexec-tools compatible front end (README, "hop kexec: a
 * drop-in for kexec-tools"), for systemd (systemctl kexec runs "kexec -e"
 * after "kexec -l"), petitboot, kexecboot and scripts, with hop linked as
 * /sbin/kexec. Options have kexec-tools' meaning; the load itself is
 * lib/load/load.c, the same path the agent uses.
 *
 * Exit codes: 0 done; 1 failed (or, for -S, no image loaded); 2 usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "hop.h"
#include "kexec_opts.h"
#include "request.h"
#include "sig.h"
#include "sysmem.h"
#include "trust.h"
#include "unpack.h"

const char kexec_usage[] =
	"usage: hop kexec [OPTIONS] [KERNEL]\n\n"
	"  -l, --load               load KERNEL for a later -e\n"
	"  -p, --load-panic         load KERNEL as the crash (panic) kernel\n"
	"  -u, --unload             unload the image (with -p: the crash one)\n"
	"  -e, --exec               jump to the loaded image now\n"
	"  -f, --force              load KERNEL if given, then jump at once\n"
	"  -x, --no-ifdown          accepted; hop never takes interfaces down\n"
	"  -S, --status             exit 0 if an image is loaded, else 1\n"
	"  -s, --kexec-file-syscall use kexec_file_load only\n"
	"  -c, --kexec-syscall      use kexec_load only\n"
	"  -a, --kexec-syscall-auto kexec_file_load, then kexec_load (default)\n"
	"  --initrd=FILE, --ramdisk=FILE   initrd (given twice: concatenated)\n"
	"  --append=STR, --command-line=STR   the next command line\n"
	"  --reuse-cmdline          start from this kernel's command line\n"
	"                           (minus BOOT_IMAGE=, and crashkernel= for -p)\n"
	"  --dtb=FILE               device tree for the next kernel (arm, arm64)\n"
	"  --entry=NAME             a Unified Kernel Image's profile (N or ID),\n"
	"                           a FIT image's configuration\n"
	"  --module=\"FILE ARGS\"     a multiboot module and its string (repeat\n"
	"                           for more; x86_64 multiboot kernels)\n"
	"  --mem-min=ADDR, --mem-max=ADDR   place segments in [min, max]\n"
	"  --pubkey=FILE[,FILE...]  check each file's minisign or signify\n"
	"                           signature (FILE.minisig, FILE.sig) against\n"
	"                           these public keys\n"
	"  --sig=required|optional  an unsigned file is refused (required, the\n"
	"                           default with --pubkey) or loaded\n"
	"  --measure=PCR            extend this TPM PCR with each file and the\n"
	"                           command line once loaded; the event log is\n"
	"                           /run/hop/measurements and the next initrd's\n"
	"  --plan                   print the kexec_load segments, load nothing\n"
	"  --sysroot=DIR            read /proc and /sys under DIR (tests)\n"
	"  -d, --debug              verbose (prints the kexec_load plan)\n"
	"  -h, --help  -v, --version\n\n"
	"KERNEL alone (no -l, -p, -e or -f) loads it and runs \"shutdown -r now\",\n"
	"as kexec-tools does.\n";

enum { OPT_INITRD = 256, OPT_APPEND, OPT_REUSE, OPT_DTB, OPT_MEM_MIN,
	OPT_MEM_MAX, OPT_PLAN, OPT_SYSROOT, OPT_MODULE, OPT_PUBKEY, OPT_SIG,
	OPT_MEASURE, OPT_ENTRY };

static const struct option longopts[] = {
	/* as in kexec-tools, -l and -p take no value: KERNEL is the one
	 * non-option argument, wherever it stands ("-l --initrd=I K") */
	{ "load", no_argument, NULL, 'l' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-ifdown", no_argument, NULL, 'x' },
	{ "status", no_argument, NULL, 'S' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "mem-min", required_argument, NULL, OPT_MEM_MIN },
	{ "mem-max", required_argument, NULL, OPT_MEM_MAX },
	{ "plan", no_argument, NULL, OPT_PLAN },
	{ "pubkey", required_argument, NULL, OPT_PUBKEY },
	{ "sig", required_argument, NULL, OPT_SIG },
	{ "measure", required_argument, NULL, OPT_MEASURE },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "debug", no_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static int address(const char *opt, const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		hop_error(opt, "'%s' is not an address", s);
		return -1;
	}
	return 0;
}

static int usage_error(const char *what, const char *why)
{
	hop_error(what, "%s (hop kexec --help)", why);
	return 2;
}

/* --module="FILE ARGS", as kexec-tools takes it: the file is the first
 * word, the whole value is the module's string */
static int add_module(struct kexec_opts *o, const char *val)
{
	size_t n = strcspn(val, " \t");
	struct module_src *m = &o->modules[o->req.nmodules];

	char *path = o->modpool + o->modpool_used;
	char why[64];

	if (o->req.nmodules == HOP_MAX_MODULES) {
		snprintf(why, sizeof(why), "more than %d modules",
			HOP_MAX_MODULES);
		return usage_error("--module", why);
	}
	if (!n || n >= 1024) {
		return usage_error("--module", n ? "file name too long" :
			"no file given (--module=\"FILE ARGS\")");
	}
	if (n >= sizeof(o->modpool) - o->modpool_used) {
		snprintf(why, sizeof(why), "the file names take more than %zu "
			"bytes together", sizeof(o->modpool));
		return usage_error("--module", why);
	}
	memcpy(path, val, n);
	path[n] = '\0';
	o->modpool_used += n + 1;
	m->path = path;
	m->cmdline = val;
	o->req.nmodules++;
	return -1;
}

int kexec_parse(int argc, char **argv, struct kexec_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->req.initrd = o->initrd;
	o->req.modules = o->modules;
	optind = 0;	/* restart getopt (glibc and musl) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":lpuefxSscadhv", longopts,
		NULL)) != -1) {
		switch (c) {
		case 'l':
			o->load = 1;
			break;
		case 'p':
			o->load = 1;
			o->req.crash = 1;
			break;
		case 'u':
			o->unload = 1;
			break;
		case 'e':
			o->exec = 1;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'x':
			break;
		case 'S':
			o->status = 1;
			break;
		case 's':
			o->req.syscall = SYSCALL_FILE;
			break;
		case 'c':
			o->req.syscall = SYSCALL_LOAD;
			break;
		case 'a':
			o->req.syscall = SYSCALL_AUTO;
			break;
		case OPT_INITRD:
			if (o->req.ninitrd == HOP_MAX_INITRD) {
				return usage_error("--initrd", "more than 16 "
					"files");
			}
			o->initrd[o->req.ninitrd++] = optarg;
			break;
		case OPT_APPEND:
			o->append = optarg;
			break;
		case OPT_REUSE:
			o->reuse = 1;
			break;
		case OPT_DTB:
			o->req.dtb = optarg;
			break;
		case OPT_ENTRY:
			o->entry = optarg;
			break;
		case OPT_MODULE:
			if (add_module(o, optarg) >= 0) {
				return 2;
			}
			break;
		case OPT_MEM_MIN:
			if (address("--mem-min", optarg, &o->req.mem_min) < 0) {
				return 2;
			}
			break;
		case OPT_MEM_MAX:
			if (address("--mem-max", optarg, &o->req.mem_max) < 0) {
				return 2;
			}
			o->req.mem_max++;	/* inclusive, as kexec-tools */
			break;
		case OPT_PLAN:
			o->req.plan_only = 1;
			break;
		case OPT_PUBKEY:
		case OPT_SIG:
		case OPT_MEASURE: {
			const char **at = c == OPT_PUBKEY ? &o->pubkey :
				c == OPT_SIG ? &o->sig : &o->measure;

			/* as hop.pubkey: a second value would replace the
			 * first's trust */
			if (*at) {
				return usage_error(argv[optind - 1], "given "
					"twice");
			}
			*at = optarg;
			break;
		}
		case OPT_SYSROOT:
			o->req.sysroot = optarg;
			break;
		case 'd':
			o->debug = 1;
			break;
		case 'h':
			fputs(kexec_usage, stdout);
			return 0;
		case 'v':
			puts("hop kexec " HOP_VERSION " (kexec-tools compatible)");
			return 0;
		case ':':
			return usage_error(argv[optind - 1], "needs a value");
		default:
			return usage_error(optopt ? (char[]){ '-', (char)optopt,
				'\0' } : argv[optind - 1], "unknown option");
		}
	}
	if (optind < argc) {
		if (optind + 1 < argc) {
			return usage_error(argv[optind + 1], "unexpected "
				"argument: one KERNEL only");
		}
		o->req.kernel = argv[optind];
		o->implicit = !o->load && !o->force && !o->exec;
	}
	if (o->load && !o->req.kernel && !o->unload && !o->status) {
		return usage_error(o->req.crash ? "-p" : "-l", "no KERNEL "
			"given");
	}
	if (o->unload && (o->req.kernel || o->exec || o->force)) {
		return usage_error("-u", "unload goes alone (or with -p)");
	}
	if (o->status && (o->req.kernel || o->exec || o->unload)) {
		return usage_error("-S", "status goes alone (or with -p)");
	}
	if (o->load && o->force) {
		return usage_error("-f", "-f loads and jumps; not with -l");
	}
	if (o->req.crash && (o->exec || o->force)) {
		return usage_error("-p", "a panic kernel runs on a crash, not "
			"with -e or -f");
	}
	/* "-p" alone selects the crash image for -u and -S */
	if (!o->req.kernel && !o->exec && !o->force && !o->unload &&
		!o->status) {
		return usage_error("kexec", "nothing to do: give -l KERNEL, -e, "
			"-u or -S");
	}
	return -1;
}

/* 1 if an image (normal or crash) is loaded, 0 if not, -errno unknown */
static int loaded(const char *root, int crash)
{
	uint8_t *buf;
	size_t len;
	int err, v;

	err = sysmem_file(root, crash ? "/sys/kernel/kexec_crash_loaded" :
		"/sys/kernel/kexec_loaded", &buf, &len, 64);
	if (err < 0) {
		return err;
	}
	v = atoi((char *)buf) == 1;
	free(buf);
	return v;
}

static int unload(const struct kexec_opts *o)
{
	int err = -ENOSYS;

	if (o->req.syscall != SYSCALL_LOAD) {
		err = sys_kexec_file_load(-1, -1, NULL, HOP_KEXEC_FILE_UNLOAD |
			(o->req.crash ? HOP_KEXEC_FILE_ON_CRASH : 0));
	}
	/* unloading with kexec_file_load needs no signature, so it also
	 * works under lockdown; kexec_load serves kernels without it */
	if (err == -ENOSYS && o->req.syscall != SYSCALL_FILE) {
		err = sys_kexec_load(0, 0, NULL, o->req.crash ? 1 : 0);
	}
	if (err < 0) {
		hop_error("unload", "%s (%s)", errname(err), strerror(-err));
		return 1;
	}
	request_forget(o->rundir, o->req.crash);	/* nothing to replay */
	return 0;
}

static int next_cmdline(const struct kexec_opts *o, char *out, size_t outsz)
{
	static const char *const normal[] = { "BOOT_IMAGE", NULL };
	static const char *const panic[] = { "BOOT_IMAGE", "crashkernel",
		NULL };
	struct cmdline cur;
	uint8_t *buf;
	size_t len;
	int err;

	out[0] = '\0';
	if (o->reuse) {
		err = sysmem_file(o->req.sysroot, "/proc/cmdline", &buf, &len,
			outsz);
		if (err < 0) {
			hop_error("/proc/cmdline", "%s (%s)", errname(err),
				strerror(-err));
			return -1;
		}
		buf[strcspn((char *)buf, "\n")] = '\0';
		err = cmdline_parse((char *)buf, &cur);
		free(buf);
		if (err == 0) {
			err = cmdline_strip_keys(&cur, out, outsz,
				o->req.crash ? panic : normal);
			cmdline_free(&cur);
		}
		if (err < 0) {
			hop_error("--reuse-cmdline", "%s", errname(err));
			return -1;
		}
	}
	if (o->append && cmdline_join(out, outsz, out, o->append) < 0) {
		hop_error("--append", "command line longer than %zu bytes",
			outsz - 1);
		return -1;
	}
	return 0;
}

static int exec_now(const struct kexec_opts *o)
{
	int err;

	if (loaded(o->req.sysroot, 0) == 0) {
		hop_error("kexec -e", "no image is loaded (load one with "
			"kexec -l KERNEL)");
		return 1;
	}
	sync();
	/* under systemd-shutdown stdio is /dev/null: the kernel log is
	 * where this line can be read */
	log_init_kmsg();
	hop_log("exec");
	err = kexec_jump();
	hop_error("reboot(LINUX_REBOOT_CMD_KEXEC)", "%s (%s)", errname(err),
		err == -EINVAL ? "no image is loaded" : strerror(-err));
	return 1;
}

/* a signature next to src, the file as named */
static int read_beside(void *arg, const char *src, const char *ext,
	char **text, size_t *len)
{
	char path[4200];
	uint8_t *buf;
	int err;

	(void)arg;
	if ((size_t)snprintf(path, sizeof(path), "%s%s", src, ext) >=
		sizeof(path)) {
		hop_error(src, "%s: name too long", ext);
		return -ENAMETOOLONG;
	}
	err = read_whole(path, &buf, len, SIG_FILE_MAX);
	if (err == -ENOENT) {
		return err;	/* none: the caller's to say */
	}
	if (err < 0) {
		hop_error(path, "%s (%s)", err == -EFBIG ? "larger than a "
			"signature" : file_strerror(err), errname(err));
		return err;
	}
	*text = (char *)buf;
	return 0;
}

/* a Unified Kernel Image's .cmdline as the next command line, --append
 * added where the kernel takes it; the running one (--reuse-cmdline) is
 * not mixed in */
static int uki_cmdline(struct kexec_opts *o, const struct unpacked *u)
{
	static char line[4096];

	if (!u->plan.has_cmdline) {
		return 0;
	}
	if (o->reuse) {
		hop_warn("--reuse-cmdline", "the image brings its .cmdline: "
			"this kernel's command line is not added");
	}
	/* as hop.append: before a "--" the .cmdline may have */
	if (cmdline_insert(line, sizeof(line), u->plan.cmdline, o->append ?
		o->append : "") < 0) {
		hop_error("--append", "with the image's .cmdline: longer than "
			"%zu bytes", sizeof(line) - 1);
		return -E2BIG;
	}
	o->req.cmdline = line;
	return 0;
}

/* load_image after --pubkey's signatures and before --measure's
 * extension (lib/trust/trust.h); a Unified Kernel Image or a FIT image
 * checked and measured whole, then loaded in parts (lib/load/unpack.h) */
static int load_checked(struct kexec_opts *o)
{
	static struct trust_hold hold;
	static struct unpacked up;
	struct trust_srcs srcs = { NULL, NULL, NULL, NULL, 0 };
	const char *name = o->req.kernel;
	struct trust tr;
	int err;

	/* a panic kernel may never run: its measurements would say it did */
	if (o->measure && o->req.crash) {
		hop_error("--measure", "not with -p (a panic kernel runs only "
			"if this one crashes)");
		return -EINVAL;
	}
	err = unpack_open(&up, name, &o->req, o->entry);
	if (err == 1) {
		/* the signature is beside the image as named */
		srcs.kernel = name;
		err = uki_cmdline(o, &up);
	} else if (err == 0 && o->entry) {
		hop_warn("--entry", "%s is neither a Unified Kernel Image nor a "
			"FIT image: ignored", name);
	}
	if (err < 0) {
		unpack_close(&up);
		return err;
	}
	err = trust_setup(&tr, o->pubkey, o->sig, o->measure, o->req.rundir,
		0);
	if (err == 0) {
		err = trust_request(&tr, &o->req, &srcs, read_beside, NULL,
			&hold);
		/* the whole image checked and measured: now its parts */
		err = err ? err : unpack_apply(&up, name, &o->req);
		err = err ? err : load_image(&o->req);
		if (!err && !o->req.plan_only && trust_commit(&tr,
			o->req.rundir) < 0) {
			load_unload(&o->req);
			err = -EIO;
		}
		trust_release(&hold);
	}
	trust_free(&tr);
	unpack_close(&up);
	return err;
}

int kexec_main(int argc, char **argv)
{
	static char cmdline[4096];
	struct kexec_opts o;
	int ret;

	ret = kexec_parse(argc, argv, &o);
	if (ret >= 0) {
		return ret;
	}
	snprintf(o.rundir, sizeof(o.rundir), "%s" HOP_RUN_DIR,
		o.req.sysroot ? o.req.sysroot : "");
	o.req.rundir = o.rundir;
	log_set_debug(o.debug);
	if (o.status) {
		ret = loaded(o.req.sysroot, o.req.crash);
		return ret == 1 ? 0 : 1;
	}
	if (o.unload) {
		return unload(&o);
	}
	if (o.req.kernel) {
		if (next_cmdline(&o, cmdline, sizeof(cmdline)) < 0) {
			return 1;
		}
		o.req.cmdline = cmdline;
		if (load_checked(&o) < 0) {
			return 1;
		}
		if (o.req.plan_only) {
			return 0;
		}
	}
	if (o.implicit) {
		/* kexec-tools: load, then a clean reboot, whose last step
		 * (systemd, sysvinit) runs kexec -e */
		if (access("/sbin/shutdown", X_OK) == 0) {
			execl("/sbin/shutdown", "shutdown", "-r", "now",
				(char *)NULL);
		}
		hop_log("no /sbin/shutdown: jumping at once");
		return exec_now(&o);
	}
	if (o.exec || o.force) {
		return exec_now(&o);
	}
	return 0;
}
