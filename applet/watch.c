/* hop watch: keeps the loaded image bootable while memory comes and goes
 * (README, "hop watch: memory hotplug"). A kexec image whose segments lie
 * in memory that is unplugged hangs the machine at exec (docs/kernel-abi.md
 * §5.6). hop watch listens for memory uevents and replays the request that
 * hop kexec -l or the agent recorded under /run/hop, which plans again
 * around the new memory map (kexec_file_load images are placed again by the
 * kernel). A burst of events (a DIMM is many blocks) becomes one reload. A
 * failed reload leaves the previous image loaded and says so. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "applet.h"
#include "hop.h"
#include "request.h"
#include "sysmem.h"
#include "uevent.h"

/* <linux/netlink.h>, which musl-gcc's include path does not have */
#define NETLINK_KOBJECT_UEVENT 15
struct sockaddr_nl {
	sa_family_t nl_family;
	unsigned short nl_pad;
	uint32_t nl_pid;
	uint32_t nl_groups;
};

const char watch_usage[] =
	"usage: hop watch [--daemon] [--settle=MS] [--run-dir=DIR]\n\n"
	"Reloads the kexec image recorded in DIR (/run/hop) by hop kexec -l\n"
	"or the agent after each burst of memory hotplug events (add, remove,\n"
	"online, offline), so that no segment stays in memory that is gone.\n"
	"  --daemon      run in the background\n"
	"  --settle=MS   wait for MS quiet milliseconds before reloading (500)\n"
	"  --run-dir=DIR where the requests are (/run/hop)\n";

static int open_uevents(void)
{
	struct sockaddr_nl sa;
	int fd, size = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		return -errno;
	}
	/* a DIMM of 1 GiB is 8 blocks of 128 MiB, each add and online */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = 1;	/* the kernel's multicast group */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int image_loaded(int crash)
{
	uint8_t *buf;
	size_t len;
	int v;

	if (sysmem_file(NULL, crash ? "/sys/kernel/kexec_crash_loaded" :
		"/sys/kernel/kexec_loaded", &buf, &len, 64) < 0) {
		return -1;
	}
	v = atoi((char *)buf);
	free(buf);
	return v;
}

static void reload(const char *rundir, const char *action)
{
	static char buf[REQUEST_MAX];
	struct stored_req s;
	int crash;

	for (crash = 0; crash <= 1; crash++) {
		if (request_load(rundir, crash, buf, sizeof(buf), &s) < 0) {
			continue;
		}
		if (image_loaded(crash) == 0) {
			hop_log("watch: no %s image is loaded: nothing to reload",
				crash ? "crash" : "kexec");
			continue;
		}
		s.req.rundir = NULL;	/* the same request: keep the file */
		if (load_image(&s.req) == 0) {
			hop_log("watch: reloaded after memory %s", action);
		} else {
			hop_error("watch", "reloading %s failed; the image "
				"loaded before stays", s.req.kernel);
		}
	}
}

int watch_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "daemon", no_argument, NULL, 'D' },
		{ "settle", required_argument, NULL, 's' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	char buf[8192], action[16] = "";
	const char *rundir = HOP_RUN_DIR;
	int settle = 500, daemonize = 0, pending = 0, fd, c;
	struct pollfd pfd;
	struct uevent ev;
	ssize_t n;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'D':
			daemonize = 1;
			break;
		case 's':
			settle = atoi(optarg);
			break;
		case 'r':
			rundir = optarg;
			break;
		default:
			fputs(watch_usage, stderr);
			return 2;
		}
	}
	fd = open_uevents();
	if (fd < 0) {
		hop_error("watch", "uevent socket: %s (%s)", errname(fd),
			strerror(-fd));
		return 1;
	}
	if (daemonize && daemon(0, 1) < 0) {
		hop_error("watch", "daemon: %s", errname(errno));
		return 1;
	}
	hop_log("watch: watching memory hotplug for %s", rundir);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		c = poll(&pfd, 1, pending ? settle : -1);
		if (c < 0 && errno != EINTR) {
			hop_error("watch", "poll: %s", errname(errno));
			return 1;
		}
		if (c == 0 && pending) {
			reload(rundir, action);
			pending = 0;
			continue;
		}
		if (c <= 0) {
			continue;
		}
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0) {
			continue;	/* ENOBUFS: events lost; next ones count */
		}
		buf[n] = '\0';
		if (uevent_parse(buf, (size_t)n, &ev) == 0 &&
			uevent_is_memory_change(&ev)) {
			hop_debug("watch: memory %s %s", ev.action,
				ev.devpath ? ev.devpath : "");
			snprintf(action, sizeof(action), "%s", ev.action);
			pending = 1;
		}
	}
}
