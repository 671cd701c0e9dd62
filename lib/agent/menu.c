/* The boot menu on the console (hop.menu=1). Keys are decided by a pure
 * state machine (menu_key, menu_tick) so tests feed it directly; menu_run
 * is the terminal loop around it. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "hop.h"
#include "menu.h"

int menu_seconds(int timeout_ds)
{
	return timeout_ds > 0 ? (timeout_ds + 9) / 10 : 5;
}

void menu_init(struct menu *m, int n, int def, int secs)
{
	m->n = n;
	m->def = def >= 0 && def < n ? def : 0;
	m->left = secs > 0 ? secs : 0;
	m->acc = -1;
}

int menu_key(struct menu *m, int ch)
{
	if (ch >= '0' && ch <= '9') {
		int d = ch - '0';

		m->left = -1;
		/* with ten entries or fewer one digit is a whole answer */
		if (m->n <= 10) {
			return d < m->n ? d : MENU_WAIT;
		}
		m->acc = m->acc < 0 ? d : m->acc * 10 + d;
		if (m->acc >= m->n) {
			m->acc = -1;	/* no such entry: start again */
		}
		return MENU_WAIT;
	}
	if (ch == '\r' || ch == '\n') {
		return m->acc >= 0 ? m->acc : m->def;
	}
	if (ch == 0x7f || ch == '\b') {
		m->acc = m->acc >= 10 ? m->acc / 10 : -1;
	}
	m->left = -1;	/* any other key stops the countdown */
	return MENU_WAIT;
}

int menu_tick(struct menu *m)
{
	if (m->left < 0) {
		return MENU_WAIT;
	}
	if (m->left > 0) {
		m->left--;
	}
	return m->left == 0 ? m->def : MENU_WAIT;
}

int menu_run(int in, int out, const char *const *items, int n, int def,
	int secs, int tick_ms)
{
	struct termios saved, raw;
	struct pollfd p = { .fd = in, .events = POLLIN };
	struct menu m;
	int i, pick = MENU_WAIT, tty, eof = 0, told = 0;
	char ch;

	menu_init(&m, n, def, secs);
	/* titles come from disks: hop_log escapes them; the dprintf lines
	 * below carry hop's own words and numbers only */
	for (i = 0; i < n; i++) {
		hop_log("menu: %d  %s%s", i, items[i],
			i == m.def ? "  (default)" : "");
	}
	tty = tcgetattr(in, &saved) == 0;
	if (tty) {
		/* one key at a time, not echoed: no Enter needed for a digit */
		raw = saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(in, TCSANOW, &raw);
	}
	if (m.left == 0) {
		pick = m.def;
	}
	while (pick == MENU_WAIT) {
		if (m.left > 0) {
			dprintf(out, "\rhop: menu: booting %d in %d s (any key "
				"stops, a digit picks) ", m.def, m.left);
		} else if (!told) {
			dprintf(out, "\nhop: menu: stopped: type an entry number "
				"(Enter: %d) ", m.def);
			told = 1;
		}
		if (eof) {
			/* nothing more will come: the countdown or the
			 * default, never waiting for ever */
			pick = m.left < 0 ? m.def : menu_tick(&m);
			if (pick == MENU_WAIT) {
				usleep((useconds_t)tick_ms * 1000);
			}
			continue;
		}
		i = poll(&p, 1, tick_ms);
		if (i < 0 && errno == EINTR) {
			continue;
		}
		if (i <= 0) {
			pick = i < 0 ? m.def : menu_tick(&m);
			continue;
		}
		if (read(in, &ch, 1) != 1) {
			eof = 1;
			continue;
		}
		pick = menu_key(&m, (unsigned char)ch);
	}
	if (tty) {
		tcsetattr(in, TCSANOW, &saved);
	}
	dprintf(out, "\n");
	hop_log("menu: entry %d", pick);
	return pick;
}
