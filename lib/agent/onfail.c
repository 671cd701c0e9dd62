/* What hop.onfail does once the boot has failed, decided without side
 * effects so it can be tested; applet/init.c carries it out as PID 1. */
#include <signal.h>
#include <stdio.h>
#include <sys/reboot.h>

#include "agent.h"
#include "hop.h"

void onfail_decide(enum onfail want, int have_shell, struct onfail_step *s)
{
	/* the contract's default: a shell if there is one; else reboot, so
	 * an unattended machine tries again rather than sitting halted */
	if (want == ONFAIL_DEFAULT) {
		want = have_shell ? ONFAIL_SHELL : ONFAIL_REBOOT;
	}
	s->action = want;
	s->delay_s = 0;
	switch (want) {
	case ONFAIL_REBOOT:
		s->reboot_cmd = RB_AUTOBOOT;
		/* the screen is reset or goes dark: leave the error line up
		 * long enough to be read (or photographed) first */
		s->delay_s = ONFAIL_DELAY_S;
		break;
	case ONFAIL_POWEROFF:
		s->reboot_cmd = RB_POWER_OFF;
		s->delay_s = ONFAIL_DELAY_S;
		break;
	case ONFAIL_HALT:
		/* the console stays as it is: nothing to wait for */
		s->reboot_cmd = RB_HALT_SYSTEM;
		break;
	default:
		s->reboot_cmd = 0;
		break;
	}
}

int onfail_notice(const struct onfail_step *s, char *buf, size_t n)
{
	if (s->action == ONFAIL_SHELL) {
		return snprintf(buf, n, "onfail: starting /bin/sh on the "
			"console (exit it to get another)");
	}
	if (s->delay_s) {
		return snprintf(buf, n, "onfail: %s in %u s",
			onfail_name(s->action), s->delay_s);
	}
	return snprintf(buf, n, "onfail: %s now", onfail_name(s->action));
}

int onfail_shell_again(unsigned *quick, long lived_s)
{
	/* a shell that ends at once has no input (no console, stdin at EOF)
	 * or cannot run: starting it again would only fill the log */
	if (lived_s < ONFAIL_SHELL_QUICK_S) {
		(*quick)++;
	} else {
		*quick = 0;
	}
	return *quick < ONFAIL_SHELL_TRIES;
}

const char *onfail_signal(int sig, struct onfail_step *s)
{
	/* busybox init's convention, which its reboot, poweroff and halt
	 * applets follow when not given -f; SIGINT is ctrl-alt-del */
	static const struct {
		int sig;
		enum onfail action;
		int cmd;
		const char *msg;
	} t[] = {
		{ SIGINT, ONFAIL_REBOOT, RB_AUTOBOOT, "ctrl-alt-del: reboot" },
		{ SIGTERM, ONFAIL_REBOOT, RB_AUTOBOOT, "SIGTERM: reboot" },
		{ SIGUSR1, ONFAIL_HALT, RB_HALT_SYSTEM, "SIGUSR1: halt" },
		{ SIGUSR2, ONFAIL_POWEROFF, RB_POWER_OFF, "SIGUSR2: poweroff" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].sig == sig) {
			s->action = t[i].action;
			s->reboot_cmd = t[i].cmd;
			/* asked for by someone at the machine: at once */
			s->delay_s = 0;
			return t[i].msg;
		}
	}
	return NULL;
}
