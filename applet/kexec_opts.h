/* hop kexec's parsed command line, exposed for the unit tests */
#ifndef HOP_KEXEC_OPTS_H
#define HOP_KEXEC_OPTS_H

#include "load.h"

struct kexec_opts {
	struct load_req req;
	const char *initrd[HOP_MAX_INITRD];
	/* --module="FILE ARGS": FILE (the first word) copied into modpool,
	 * one after the other (256 paths of 1 KiB each would be 256 KiB) */
	struct module_src modules[HOP_MAX_MODULES];
	char modpool[HOP_MAX_MODULES * 64];
	size_t modpool_used;
	const char *append;
	/* --entry: a Unified Kernel Image's profile, a FIT image's
	 * configuration (lib/load/unpack.h); NULL: the default */
	const char *entry;
	/* --pubkey, --sig, --measure (lib/trust/trust.h), NULL: none */
	const char *pubkey, *sig, *measure;
	int reuse, unload, exec, force, status, debug;
	int load;	/* -l or -p given (-p also sets req.crash) */
	int implicit;	/* a bare KERNEL: load, then shutdown -r now */
	char rundir[4096];	/* [SYSROOT]/run/hop: the recorded request */
};

/* -1: go on; otherwise the exit code to return at once (help: 0,
 * usage error: 2, having printed why) */
int kexec_parse(int argc, char **argv, struct kexec_opts *o);

#endif
