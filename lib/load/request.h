/* The recorded load request (lib/load/request.c) that hop watch replays. */
#ifndef HOP_REQUEST_H
#define HOP_REQUEST_H

#include "load.h"

#define HOP_RUN_DIR "/run/hop"
/* the text form's most: HOP_MAX_MODULES modules of about 100 bytes each
 * (path and string) with room to spare; an ESXi bank of 130 takes ~10 KiB */
#define REQUEST_MAX 65536

struct stored_req {
	struct load_req req;
	const char *initrd[HOP_MAX_INITRD];
	struct module_src modules[HOP_MAX_MODULES];
};

const char *request_name(int crash);	/* "kexec.req" / "crash.req" */
/* the text form; its length, or -E2BIG */
int request_format(const struct load_req *req, char *out, size_t outsz);
/* parses text in place (s points into it); 0 or -EINVAL */
int request_parse(char *text, struct stored_req *s);
/* 1 when another process can load req's files again: none of them is
 * held by this one (/proc/self/...), else 0 */
int request_replayable(const struct load_req *req);
/* writes DIR/kexec.req or crash.req atomically */
int request_save(const char *dir, const struct load_req *req);
/* reads DIR/<name> into buf and parses it */
int request_load(const char *dir, int crash, char *buf, size_t bufsz,
	struct stored_req *s);
int request_forget(const char *dir, int crash);

#endif
