/* hop.onfail as PID 1 decides it (lib/agent/onfail.c): the action and reboot(2)
 * command, the notice line, when the shell is given up, and what PID 1
 * does on each signal */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>

#include "agent.h"
#include "hop.h"
#include "test.h"

static void test_decide(void)
{
	static const struct {
		enum onfail want;
		int have_shell;
		enum onfail action;
		int cmd;
		const char *notice;
	} t[] = {
		{ ONFAIL_DEFAULT, 1, ONFAIL_SHELL, 0, "onfail: starting "
			"/bin/sh on the console (exit it to get another)" },
		{ ONFAIL_DEFAULT, 0, ONFAIL_REBOOT, RB_AUTOBOOT,
			"onfail: reboot in 5 s" },
		{ ONFAIL_SHELL, 0, ONFAIL_SHELL, 0, "onfail: starting /bin/sh "
			"on the console (exit it to get another)" },
		{ ONFAIL_REBOOT, 1, ONFAIL_REBOOT, RB_AUTOBOOT,
			"onfail: reboot in 5 s" },
		{ ONFAIL_POWEROFF, 1, ONFAIL_POWEROFF, RB_POWER_OFF,
			"onfail: poweroff in 5 s" },
		{ ONFAIL_HALT, 1, ONFAIL_HALT, RB_HALT_SYSTEM,
			"onfail: halt now" },
	};
	struct onfail_step s;
	char call[96], notice[128];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(call, sizeof(call), "onfail_decide(%s, have_shell=%d)",
			onfail_name(t[i].want), t[i].have_shell);
		onfail_decide(t[i].want, t[i].have_shell, &s);
		CHECK_INT(call, s.action, t[i].action);
		CHECK_INT(call, s.reboot_cmd, t[i].cmd);
		onfail_notice(&s, notice, sizeof(notice));
		CHECK_STR(call, notice, t[i].notice);
	}
}

static void test_shell_again(void)
{
	unsigned quick = 0;

	/* a shell someone used: always another */
	CHECK_INT("onfail_shell_again(lived 60 s)",
		onfail_shell_again(&quick, 60), 1);
	CHECK_INT("onfail_shell_again(lived 0 s, 1st)",
		onfail_shell_again(&quick, 0), 1);
	CHECK_INT("onfail_shell_again(lived 1 s, 2nd)",
		onfail_shell_again(&quick, 1), 1);
	/* a long one in between starts the count again */
	CHECK_INT("onfail_shell_again(lived 2 s)",
		onfail_shell_again(&quick, ONFAIL_SHELL_QUICK_S), 1);
	CHECK_INT("quick after a long one", quick, 0);
	CHECK_INT("onfail_shell_again(quick 1)", onfail_shell_again(&quick, 0),
		1);
	CHECK_INT("onfail_shell_again(quick 2)", onfail_shell_again(&quick, 0),
		1);
	CHECK_INT("onfail_shell_again(quick 3)", onfail_shell_again(&quick, 0),
		0);
}

static void test_signals(void)
{
	static const struct {
		int sig;
		const char *msg;
		enum onfail action;
		int cmd;
	} t[] = {
		{ SIGINT, "ctrl-alt-del: reboot", ONFAIL_REBOOT, RB_AUTOBOOT },
		{ SIGTERM, "SIGTERM: reboot", ONFAIL_REBOOT, RB_AUTOBOOT },
		{ SIGUSR1, "SIGUSR1: halt", ONFAIL_HALT, RB_HALT_SYSTEM },
		{ SIGUSR2, "SIGUSR2: poweroff", ONFAIL_POWEROFF, RB_POWER_OFF },
	};
	static const int ignored[] = { SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD,
		SIGTSTP };
	struct onfail_step s;
	const char *msg;
	char call[48];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(call, sizeof(call), "onfail_signal(%d)", t[i].sig);
		msg = onfail_signal(t[i].sig, &s);
		CHECK_STR(call, msg, t[i].msg);
		CHECK_INT(call, s.action, t[i].action);
		CHECK_INT(call, s.reboot_cmd, t[i].cmd);
		CHECK_INT(call, s.delay_s, 0);
	}
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		snprintf(call, sizeof(call), "onfail_signal(%d)", ignored[i]);
		msg = onfail_signal(ignored[i], &s);
		CHECK(!msg, "%s = \"%s\"; want NULL", call, msg);
	}
}

/* the line a signal handler logs: the same "hop: " form as hop_log's */
static void test_signal_log(void)
{
	char long_msg[400];

	capture_start();
	hop_log_signal_safe("ctrl-alt-del: reboot");
	CHECK_STR("hop_log_signal_safe", capture_end(),
		"hop: ctrl-alt-del: reboot\n");
	memset(long_msg, 'x', sizeof(long_msg) - 1);
	long_msg[sizeof(long_msg) - 1] = '\0';
	capture_start();
	hop_log_signal_safe(long_msg);
	CHECK_INT("hop_log_signal_safe(399 bytes) length",
		strlen(capture_end()), 5 + 247 + 1);
}

void test_onfail(void)
{
	test_signal_log();
	test_decide();
	test_shell_again();
	test_signals();
}
