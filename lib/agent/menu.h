/* hop.menu=1: the serial-console menu of the boot entries (lib/agent/menu.c).
 * The entries are listed with a countdown to the default; any key stops
 * the countdown, a digit picks an entry (with more than ten, digits then
 * Enter), Enter alone boots the default. */
#ifndef HOP_MENU_H
#define HOP_MENU_H

#define MENU_WAIT (-1)

struct menu {
	int n;		/* entries */
	int def;	/* the default */
	int left;	/* seconds left; -1 once a key stopped the countdown */
	int acc;	/* the number typed so far, -1: none */
};

/* the seconds of the countdown: the configuration's timeout in
 * deciseconds when it gives one above 0 (rounded up), else 5 */
int menu_seconds(int timeout_ds);
void menu_init(struct menu *m, int n, int def, int secs);
/* one key: the entry picked, or MENU_WAIT (pure) */
int menu_key(struct menu *m, int ch);
/* one second passed: the default when the countdown ran out, else
 * MENU_WAIT (pure) */
int menu_tick(struct menu *m);
/* lists items on out ("hop: menu:" lines), counts down in ticks of
 * tick_ms, reads keys from in (raw mode while it runs, when in is a
 * terminal); returns the entry picked. End of input: the countdown goes
 * on, or the default when it was stopped. */
int menu_run(int in, int out, const char *const *items, int n, int def,
	int secs, int tick_ms);

#endif
