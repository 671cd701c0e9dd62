/* hop kexec: the kexec-tools compatible front end (spec/interface.md §4).
 * This build covers loading, unloading and executing; the options it does
 * not serve yet fail with one clear line instead of being ignored. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "hop.h"

const char kexec_usage[] =
	"usage: hop kexec [OPTIONS] [KERNEL]\n\n"
	"  -l, --load KERNEL        load KERNEL for a later -e\n"
	"  -p, --load-panic KERNEL  load KERNEL as the crash kernel\n"
	"  -u, --unload             unload the loaded image (with -p: crash)\n"
	"  -e, --exec               jump to the loaded image now\n"
	"  -s, --kexec-file-syscall use kexec_file_load only\n"
	"  -c, --kexec-syscall      use kexec_load only\n"
	"  -a, --kexec-syscall-auto kexec_file_load, then kexec_load (default)\n"
	"  --initrd=FILE, --ramdisk=FILE   initrd (repeat to concatenate)\n"
	"  --append=STR, --command-line=STR   the next command line\n"
	"  --reuse-cmdline          start from this kernel's command line\n"
	"  --dtb=FILE               device tree for the next kernel (arm, arm64)\n"
	"  --mem-min=ADDR, --mem-max=ADDR   place segments in [min, max]\n"
	"  --plan                   print the kexec_load segments, load nothing\n"
	"  --sysroot=DIR            read /proc and /sys under DIR (tests)\n"
	"  -d, --debug              verbose (prints the kexec_load plan)\n"
	"  -h, --help  -v, --version\n";

enum { OPT_INITRD = 256, OPT_APPEND, OPT_REUSE, OPT_DTB, OPT_MEM_MIN,
	OPT_MEM_MAX, OPT_PLAN, OPT_SYSROOT };

static const struct option longopts[] = {
	{ "load", required_argument, NULL, 'l' },
	{ "load-panic", required_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "mem-min", required_argument, NULL, OPT_MEM_MIN },
	{ "mem-max", required_argument, NULL, OPT_MEM_MAX },
	{ "plan", no_argument, NULL, OPT_PLAN },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "debug", no_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct load_req req;
	const char *initrd[HOP_MAX_INITRD];
	const char *append;
	int reuse, unload, exec;
};

static int reused_cmdline(const char *root, char *out, size_t outsz)
{
	struct cmdline cur;
	char buf[4096], path[4096];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/proc/cmdline", root ? root : "");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		return -errno;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	err = cmdline_parse(buf, &cur);
	if (err < 0) {
		return err;
	}
	err = cmdline_strip(&cur, out, outsz);
	cmdline_free(&cur);
	return err;
}

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

static int parse(int argc, char **argv, struct opts *o)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "l:p:uescadhv", longopts,
		NULL)) != -1) {
		switch (c) {
		case 'p':
			o->req.crash = 1;
			/* fall through */
		case 'l':
			o->req.kernel = optarg;
			break;
		case 'u':
			o->unload = 1;
			break;
		case 'e':
			o->exec = 1;
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
				hop_error("--initrd", "more than %d files",
					HOP_MAX_INITRD);
				return -1;
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
		case OPT_MEM_MIN:
			if (address("--mem-min", optarg, &o->req.mem_min) < 0) {
				return -1;
			}
			break;
		case OPT_MEM_MAX:
			if (address("--mem-max", optarg, &o->req.mem_max) < 0) {
				return -1;
			}
			/* kexec-tools' --mem-max is inclusive */
			o->req.mem_max++;
			break;
		case OPT_PLAN:
			o->req.plan_only = 1;
			break;
		case OPT_SYSROOT:
			o->req.sysroot = optarg;
			break;
		case 'd':
			log_set_debug(1);
			break;
		case 'h':
			fputs(kexec_usage, stdout);
			exit(0);
		case 'v':
			puts("hop kexec " HOP_VERSION);
			exit(0);
		default:
			fputs(kexec_usage, stderr);
			return -1;
		}
	}
	if (!o->req.kernel && optind < argc) {
		o->req.kernel = argv[optind++];	/* "kexec KERNEL" loads */
	}
	if (optind < argc) {
		hop_error(argv[optind], "unexpected argument");
		return -1;
	}
	return 0;
}

int kexec_main(int argc, char **argv)
{
	static char cmdline[4096];
	struct opts o;
	int err;

	memset(&o, 0, sizeof(o));
	if (parse(argc, argv, &o) < 0) {
		return 2;
	}
	o.req.initrd = o.initrd;
	if (o.unload) {
		err = sys_kexec_file_load(-1, -1, NULL, HOP_KEXEC_FILE_UNLOAD |
			(o.req.crash ? HOP_KEXEC_FILE_ON_CRASH : 0));
		if (err < 0) {
			hop_error("unload", "%s (%s)", errname(err),
				strerror(-err));
			return 1;
		}
		return 0;
	}
	if (o.req.kernel) {
		if (o.reuse && (err = reused_cmdline(o.req.sysroot, cmdline,
			sizeof(cmdline))) < 0) {
			hop_error("/proc/cmdline", "%s", errname(err));
			return 1;
		}
		if (o.append && cmdline_join(cmdline, sizeof(cmdline), cmdline,
			o.append) < 0) {
			hop_error("--append", "command line too long");
			return 1;
		}
		o.req.cmdline = cmdline;
		if (load_image(&o.req) < 0) {
			return 1;
		}
	} else if (!o.exec) {
		fputs(kexec_usage, stderr);
		return 2;
	}
	if (o.exec && !o.req.plan_only) {
		sync();
		hop_log("exec");
		err = sys_reboot_kexec();
		hop_error("reboot(LINUX_REBOOT_CMD_KEXEC)", "%s (%s)",
			errname(err), strerror(-err));
		return 1;
	}
	return 0;
}
