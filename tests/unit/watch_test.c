/* hop watch's pieces: uevent parsing and the recorded request */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hop.h"
#include "request.h"
#include "test.h"
#include "uevent.h"

#define EV(s) s, sizeof(s) - 1

static const struct {
	const char *buf;
	size_t len;
	int ret, memory;
	const char *action;
} events[] = {
	{ EV("add@/devices/system/memory/memory32\0ACTION=add\0DEVPATH="
		"/devices/system/memory/memory32\0SUBSYSTEM=memory\0SEQNUM=7\0"),
		0, 1, "add" },
	{ EV("offline@/devices/system/memory/memory33\0ACTION=offline\0"
		"SUBSYSTEM=memory\0"), 0, 1, "offline" },
	{ EV("change@/devices/system/memory/memory33\0ACTION=change\0"
		"SUBSYSTEM=memory\0"), 0, 0, "change" },
	{ EV("add@/devices/virtual/block/loop0\0ACTION=add\0"
		"SUBSYSTEM=block\0"), 0, 0, "add" },
	{ EV("libudev\0\xfe\xed\xca\xfe"), -EINVAL, 0, NULL },
	{ EV("add@/x\0ACTION=add\0SUBSYSTEM=mem"), -EINVAL, 0, NULL },
	{ EV("add@/x\0SUBSYSTEM=memory\0"), -EINVAL, 0, NULL },
	{ "", 0, -EINVAL, 0, NULL },
};

static void test_uevent(void)
{
	struct uevent ev;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		ret = uevent_parse(events[i].buf, events[i].len, &ev);
		CHECK(ret == events[i].ret, "uevent_parse(#%zu) = %d; want %d",
			i, ret, events[i].ret);
		if (ret == 0) {
			CHECK_STR("uevent action", ev.action, events[i].action);
			CHECK(uevent_is_memory_change(&ev) == events[i].memory,
				"uevent_is_memory_change(#%zu) = %d; want %d", i,
				uevent_is_memory_change(&ev), events[i].memory);
		}
	}
}

static void test_request(void)
{
	static char buf[REQUEST_MAX];
	const char *initrds[] = { "/a", "/b c" };
	char dir[] = "/tmp/hop-run-XXXXXX";
	struct stored_req s;
	struct load_req req;
	int n;

	memset(&req, 0, sizeof(req));
	req.kernel = "/boot/vmlinuz";
	req.initrd = initrds;
	req.ninitrd = 2;
	req.cmdline = "root=/dev/sda1 ro quiet=\"a b\"";
	req.dtb = "/boot/x.dtb";
	req.syscall = SYSCALL_LOAD;
	req.mem_max = 0x80000000;
	n = request_format(&req, buf, sizeof(buf));
	CHECK_STR("request_format()", buf, "hop-request=1\n"
		"kernel=/boot/vmlinuz\ninitrd=/a\ninitrd=/b c\n"
		"dtb=/boot/x.dtb\ncmdline=root=/dev/sda1 ro quiet=\"a b\"\n"
		"syscall=load\ncrash=0\nmem-min=0x0\nmem-max=0x80000000\n");
	CHECK_INT("request_format() length", n, (int)strlen(buf));
	CHECK_INT("request_parse()", request_parse(buf, &s), 0);
	CHECK_STR("parsed kernel", s.req.kernel, "/boot/vmlinuz");
	CHECK_INT("parsed initrds", s.req.ninitrd, 2);
	CHECK_STR("parsed initrd[1]", s.req.initrd[1], "/b c");
	CHECK_STR("parsed cmdline", s.req.cmdline, "root=/dev/sda1 ro "
		"quiet=\"a b\"");
	CHECK_INT("parsed syscall", s.req.syscall, SYSCALL_LOAD);
	CHECK_INT("parsed mem_max", s.req.mem_max, 0x80000000);
	strcpy(buf, "kernel=/k\n");
	CHECK_INT("request_parse(no version)", request_parse(buf, &s), -EINVAL);
	strcpy(buf, "hop-request=1\ngarbage\n");
	CHECK_INT("request_parse(garbage)", request_parse(buf, &s), -EINVAL);
	req.cmdline = "a\nb";
	CHECK_INT("request_format(newline)", request_format(&req, buf,
		sizeof(buf)), -E2BIG);

	/* a file only this process holds cannot be loaded again */
	CHECK_INT("request_replayable(paths)", request_replayable(&req), 1);
	initrds[1] = "/proc/self/fd/7";
	CHECK_INT("request_replayable(held initrd)", request_replayable(&req),
		0);
	initrds[1] = "/b c";
	req.kernel = "/proc/self/fd/5";
	CHECK_INT("request_replayable(held kernel)", request_replayable(&req),
		0);
	req.kernel = "/boot/vmlinuz";

	/* save, load back, forget */
	req.cmdline = "x";
	req.crash = 1;
	mkdtemp(dir);
	CHECK_INT("request_save()", request_save(dir, &req), 0);
	CHECK_INT("request_load(crash)", request_load(dir, 1, buf, sizeof(buf),
		&s), 0);
	CHECK_INT("loaded crash flag", s.req.crash, 1);
	CHECK_INT("request_load(normal)", request_load(dir, 0, buf, sizeof(buf),
		&s), -ENOENT);
	CHECK_INT("request_forget()", request_forget(dir, 1), 0);
	CHECK_INT("request_load(forgotten)", request_load(dir, 1, buf,
		sizeof(buf), &s), -ENOENT);
	rmdir(dir);
}

void test_watch(void)
{
	test_uevent();
	test_request();
}
