/* Loading an image per the syscall policy: kexec_file_load first, then
 * kexec_load only where policy_decide() allows (spec/interface.md §3).
 * Shared by the agent and the kexec applet. Nothing is left half loaded:
 * every fd is closed on every path, and a failed load leaves the kernel's
 * previous image (if any) as it was. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hop.h"

/* kexec_load needs a planner per image format (bzImage, Image, zImage);
 * until one exists for this arch, say so instead of pretending. */
static int load_segments(const struct load_req *req)
{
	hop_error("kexec_load", "%s: no segment planner for this arch in this "
		"build (bzImage/Image/zImage planners are not built yet)",
		req->kernel);
	return -ENOSYS;
}

/* returns 0 or -errno; *called tells whether the syscall itself answered */
static int load_file(const struct load_req *req, int *called)
{
	const char *failed;
	unsigned long flags = 0;
	int kfd, ifd = -1, err;

	kfd = open(req->kernel, O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		err = -errno;
		hop_error(req->kernel, "open: %s (%s)", errname(err),
			strerror(-err));
		return err;
	}
	if (req->ninitrd) {
		ifd = open_concat(req->initrd, req->ninitrd, &failed);
		if (ifd < 0) {
			hop_error(failed, "initrd: %s (%s)", errname(ifd),
				strerror(-ifd));
			close(kfd);
			return ifd;
		}
	} else {
		flags |= HOP_KEXEC_FILE_NO_INITRAMFS;
	}
	if (req->crash) {
		flags |= HOP_KEXEC_FILE_ON_CRASH;
	}
	hop_debug("kexec_file_load(%s, %s, \"%s\", 0x%lx)", req->kernel,
		req->ninitrd ? "initrd" : "-1", req->cmdline, flags);
	err = sys_kexec_file_load(kfd, ifd, req->cmdline, flags);
	if (ifd >= 0) {
		close(ifd);
	}
	close(kfd);
	*called = 1;
	return err;
}

int load_image(const struct load_req *req)
{
	const char *why;
	enum decision d;
	int err, called = 0;

	if (req->syscall == SYSCALL_LOAD) {
		return load_segments(req);
	}
	err = load_file(req, &called);
	if (err == 0) {
		hop_log("loaded via kexec_file_load");
		return 0;
	}
	if (!called) {
		return err;	/* a file could not be opened: reported */
	}
	d = policy_decide(-err, &why);
	if (req->syscall == SYSCALL_AUTO && d == DECIDE_FALLBACK) {
		hop_log("fallback: kexec_file_load: %s", errname(err));
		hop_log("kexec_file_load: %s: %s; trying kexec_load",
			errname(err), why);
		return load_segments(req);
	}
	hop_error(req->kernel, "kexec_file_load: %s: %s%s", errname(err), why,
		d == DECIDE_REFUSE ? "; not falling back to kexec_load" :
		d == DECIDE_FALLBACK ? " (hop.syscall=file: no fallback)" : "");
	return err;
}
