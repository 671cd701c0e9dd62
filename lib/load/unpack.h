/* A kernel that is a Unified Kernel Image or a FIT image, opened and
 * taken apart for the load (lib/load/unpack.c; the pure half is
 * lib/plan/container.c). Shared by the agent and the kexec applet:
 *
 *   unpack_open   the kernel made final (a sealed memfd) and planned:
 *                 its profile or configuration, arch and hashes checked;
 *                 the caller then builds the command line (the plan's
 *                 .cmdline) and checks and measures the request, the
 *                 whole image being its kernel (lib/trust/trust.h)
 *   unpack_apply  its parts made into sealed memfds and the request
 *                 rewritten to boot them
 *   unpack_close  every fd and copy released */
#ifndef HOP_UNPACK_H
#define HOP_UNPACK_H

#include "container.h"
#include "hop.h"
#include "load.h"

enum { UNPACK_KERNEL, UNPACK_INITRD, UNPACK_DTB, UNPACK_NPARTS };

struct unpacked {
	struct container_plan plan;
	int whole;		/* the whole image, final; -1 */
	char *whole_path;	/* /proc/self/fd/N, when a copy was made */
	int fd[UNPACK_NPARTS];
	char *path[UNPACK_NPARTS];
	/* the request's initrds after unpack_apply: the image's, then
	 * req's own (hop.initrd, the measurements' cpio) */
	const char *initrd[HOP_MAX_INITRD + 2];
};

/* what (the kernel as named, for messages) at req->kernel: 0 when it is
 * no container (u holds nothing), 1 when it is one: req->kernel now names
 * its final bytes and u->plan says what boots; want is hop.entry (or
 * the entry's profile or configuration), NULL for the default. -errno
 * with one line logged: a broken image, a hash mismatch, another arch's,
 * no such profile or configuration */
#if HOP_FEAT_UKI || HOP_FEAT_FIT
int unpack_open(struct unpacked *u, const char *what, struct load_req *req,
	const char *want);
/* req to boot the parts: kernel, initrds (the image's first), the tree
 * (unless req names one: hop.dtb wins). 0 or -errno logged */
int unpack_apply(struct unpacked *u, const char *what, struct load_req *req);
void unpack_close(struct unpacked *u);
/* u as unpack_open leaves it for a kernel that is no container, so that
 * unpack_close may run on any path */
void unpack_init(struct unpacked *u);
#else
/* neither is built in: every kernel boots as itself */
static inline void unpack_init(struct unpacked *u)
{
	u->plan.kind = CONTAINER_NONE;
}

static inline int unpack_open(struct unpacked *u, const char *what,
	struct load_req *req, const char *want)
{
	(void)what, (void)req, (void)want;
	unpack_init(u);
	return 0;
}

static inline int unpack_apply(struct unpacked *u, const char *what,
	struct load_req *req)
{
	(void)u, (void)what, (void)req;
	return 0;
}

static inline void unpack_close(struct unpacked *u)
{
	(void)u;
}
#endif

#endif
