/* The load request, recorded so hop watch can replay it after memory
 * hotplug (README, "hop watch: memory hotplug"). One file per image type
 * under the run directory (/run/hop): kexec.req for the normal image,
 * crash.req for the panic one. Text, one KEY=VALUE per line, values to the
 * end of the line (a value with a newline is not recorded: request_format
 * refuses):
 *
 *   hop-request=1
 *   kernel=/boot/vmlinuz
 *   kernel-name=/boot/xen.gz     (multiboot: the name the kernel is told)
 *   initrd=/boot/initrd.img      (repeated, in order)
 *   dtb=/boot/board.dtb
 *   module=/boot/mod.bin         (repeated, in order; multiboot)
 *   module-cmdline=/boot/mod.bin args   (the string of the module before)
 *   cmdline=root=/dev/sda1 ro
 *   syscall=auto|file|load
 *   crash=0|1
 *   mem-min=0x0
 *   mem-max=0x0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "hop.h"
#include "load.h"
#include "request.h"

const char *request_name(int crash)
{
	return crash ? "crash.req" : "kexec.req";
}

/* "key=value\n" at *n; a value with a newline would end its line early
 * and could forge the next one: refused (-E2BIG, like a record that does
 * not fit) */
static int put_line(char *out, size_t outsz, size_t *n, const char *key,
	const char *val)
{
	if (strchr(val, '\n')) {
		return -E2BIG;
	}
	if (*n < outsz) {
		*n += (size_t)snprintf(out + *n, outsz - *n, "%s=%s\n", key,
			val);
	}
	return 0;
}

int request_format(const struct load_req *req, char *out, size_t outsz)
{
	size_t n = 0, i;
	int err;

	err = put_line(out, outsz, &n, "hop-request", "1");
	err = err ? err : put_line(out, outsz, &n, "kernel", req->kernel);
	if (!err && req->kernel_name) {
		err = put_line(out, outsz, &n, "kernel-name", req->kernel_name);
	}
	for (i = 0; !err && i < req->ninitrd; i++) {
		err = put_line(out, outsz, &n, "initrd", req->initrd[i]);
	}
	if (!err && req->dtb) {
		err = put_line(out, outsz, &n, "dtb", req->dtb);
	}
	for (i = 0; !err && i < req->nmodules; i++) {
		err = put_line(out, outsz, &n, "module", req->modules[i].path);
		err = err ? err : put_line(out, outsz, &n, "module-cmdline",
			req->modules[i].cmdline);
	}
	err = err ? err : put_line(out, outsz, &n, "cmdline",
		req->cmdline ? req->cmdline : "");
	if (!err && n < outsz) {
		n += (size_t)snprintf(out + n, outsz - n, "syscall=%s\n"
			"crash=%d\nmem-min=0x%llx\nmem-max=0x%llx\n",
			syscall_name(req->syscall), req->crash,
			(unsigned long long)req->mem_min,
			(unsigned long long)req->mem_max);
	}
	if (err || n >= outsz) {
		return -E2BIG;
	}
	return (int)n;
}

int request_parse(char *text, struct stored_req *s)
{
	char *line, *save = NULL, *eq;
	int version = 0;

	memset(s, 0, sizeof(*s));
	s->req.initrd = s->initrd;
	s->req.modules = s->modules;
	s->req.cmdline = "";
	for (line = strtok_r(text, "\n", &save); line;
		line = strtok_r(NULL, "\n", &save)) {
		eq = strchr(line, '=');
		if (!eq) {
			return -EINVAL;
		}
		*eq++ = '\0';
		if (!strcmp(line, "hop-request")) {
			version = atoi(eq);
		} else if (!strcmp(line, "kernel")) {
			s->req.kernel = eq;
		} else if (!strcmp(line, "kernel-name")) {
			s->req.kernel_name = eq;
		} else if (!strcmp(line, "initrd")) {
			if (s->req.ninitrd == HOP_MAX_INITRD) {
				return -E2BIG;
			}
			s->initrd[s->req.ninitrd++] = eq;
		} else if (!strcmp(line, "dtb")) {
			s->req.dtb = eq;
		} else if (!strcmp(line, "module")) {
			if (s->req.nmodules == HOP_MAX_MODULES) {
				return -E2BIG;
			}
			s->modules[s->req.nmodules].path = eq;
			s->modules[s->req.nmodules++].cmdline = eq;
		} else if (!strcmp(line, "module-cmdline") &&
			s->req.nmodules) {
			s->modules[s->req.nmodules - 1].cmdline = eq;
		} else if (!strcmp(line, "cmdline")) {
			s->req.cmdline = eq;
		} else if (!strcmp(line, "syscall")) {
			s->req.syscall = !strcmp(eq, "file") ? SYSCALL_FILE :
				!strcmp(eq, "load") ? SYSCALL_LOAD : SYSCALL_AUTO;
		} else if (!strcmp(line, "crash")) {
			s->req.crash = atoi(eq) == 1;
		} else if (!strcmp(line, "mem-min")) {
			s->req.mem_min = strtoull(eq, NULL, 0);
		} else if (!strcmp(line, "mem-max")) {
			s->req.mem_max = strtoull(eq, NULL, 0);
		}
		/* unknown keys: written by a newer hop, ignored */
	}
	return version == 1 && s->req.kernel ? 0 : -EINVAL;
}

static int held(const char *path)
{
	return path && !strncmp(path, "/proc/self/", 11);
}

int request_replayable(const struct load_req *req)
{
	size_t i;

	if (held(req->kernel) || held(req->dtb)) {
		return 0;
	}
	for (i = 0; i < req->ninitrd; i++) {
		if (held(req->initrd[i])) {
			return 0;
		}
	}
	for (i = 0; i < req->nmodules; i++) {
		if (held(req->modules[i].path)) {
			return 0;
		}
	}
	return 1;
}

int request_save(const char *dir, const struct load_req *req)
{
	char buf[REQUEST_MAX], path[4096], tmp[4096 + 8];
	int fd, n, err = 0;

	n = request_format(req, buf, sizeof(buf));
	if (n < 0) {
		return n;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, request_name(req->crash));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		return -errno;
	}
	if (write(fd, buf, (size_t)n) != n) {
		err = -EIO;
	}
	if (close(fd) < 0 && !err) {
		err = -errno;
	}
	/* replace atomically: hop watch never reads half a request */
	if (!err && rename(tmp, path) < 0) {
		err = -errno;
	}
	if (err) {
		unlink(tmp);
	}
	return err;
}

int request_load(const char *dir, int crash, char *buf, size_t bufsz,
	struct stored_req *s)
{
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, request_name(crash));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	n = read(fd, buf, bufsz - 1);
	close(fd);
	if (n < 0) {
		return -errno;
	}
	buf[n] = '\0';
	return request_parse(buf, s);
}

int request_forget(const char *dir, int crash)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, request_name(crash));
	if (unlink(path) < 0 && errno != ENOENT) {
		return -errno;
	}
	return 0;
}
