/* lib/agent/menu.c: the keys of the boot menu (pure), and menu_run over a pipe
 * standing in for the console (not a terminal: no raw mode). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "menu.h"
#include "test.h"

/* log_test.c: tests/unit/main.c and test.h list the suites; the log's
 * rides with the menu's, which prints through it */

/* feeds keys to a fresh menu of n entries; the pick or MENU_WAIT */
static int keys(int n, int def, const char *k)
{
	struct menu m;
	int pick = MENU_WAIT;

	menu_init(&m, n, def, 5);
	while (*k && pick == MENU_WAIT) {
		pick = menu_key(&m, (unsigned char)*k++);
	}
	return pick;
}

/* menu_run with the keys written to a pipe, then the pipe closed */
static int run(int n, int def, int secs, const char *k)
{
	static const char *const items[12] = { "a", "b", "c", "d", "e", "f",
		"g", "h", "i", "j", "k", "l" };
	int in[2], out[2], pick;

	if (pipe(in) < 0 || pipe(out) < 0) {
		return -99;
	}
	if (write(in[1], k, strlen(k)) < 0) {
		return -98;
	}
	close(in[1]);
	capture_start();
	pick = menu_run(in[0], out[1], items, n, def, secs, 1);
	capture_end();
	close(in[0]);
	close(out[0]);
	close(out[1]);
	return pick;
}

/* a title from a disk reaches the console escaped */
static void test_title(void)
{
	static const char *const items[2] = { "ok", "evil\x1b[2J\n"
		"hop: loaded via kexec_load" };
	const char *log;
	int in[2], out[2], pick = -99;

	if (pipe(in) == 0 && pipe(out) == 0) {
		close(in[1]);
		capture_start();
		pick = menu_run(in[0], out[1], items, 2, 0, 1, 1);
		log = capture_end();
		CHECK(strstr(log, "hop: menu: 1  evil\\x1b[2J\\x0ahop: loaded "
			"via kexec_load\n") && !strchr(log, 0x1b),
			"menu_run(title with ESC, newline) logs \"%s\"", log);
		close(in[0]);
		close(out[0]);
		close(out[1]);
	}
	CHECK_INT("menu_run(title with ESC, newline)", pick, 0);
}

void test_menu(void)
{
	struct menu m;
	int i, pick = MENU_WAIT;

	test_title();

	CHECK_INT("menu_seconds(none)", menu_seconds(-1), 5);
	CHECK_INT("menu_seconds(0)", menu_seconds(0), 5);
	CHECK_INT("menu_seconds(50 ds)", menu_seconds(50), 5);
	CHECK_INT("menu_seconds(31 ds)", menu_seconds(31), 4);

	CHECK_INT("menu_key(digit)", keys(3, 0, "2"), 2);
	CHECK_INT("menu_key(digit past the end)", keys(3, 0, "7"), MENU_WAIT);
	CHECK_INT("menu_key(Enter)", keys(3, 1, "\r"), 1);
	CHECK_INT("menu_key(other, then digit)", keys(3, 1, "x0"), 0);
	CHECK_INT("menu_key(other, then Enter)", keys(3, 1, "x\n"), 1);
	/* more than ten: digits then Enter; backspace takes one back */
	CHECK_INT("menu_key(two digits)", keys(12, 0, "11\r"), 11);
	CHECK_INT("menu_key(backspace)", keys(12, 0, "10\x7f\r"), 1);
	CHECK_INT("menu_key(too big)", keys(12, 0, "13"), MENU_WAIT);
	CHECK_INT("menu_key(too big, then Enter)", keys(12, 4, "13\r"), 4);

	/* the countdown: the default when it runs out, not once stopped */
	menu_init(&m, 3, 2, 3);
	for (i = 0; i < 3 && pick == MENU_WAIT; i++) {
		pick = menu_tick(&m);
	}
	CHECK_INT("menu_tick x3", pick, 2);
	CHECK_INT("menu_tick ticks", i, 3);
	menu_init(&m, 3, 2, 3);
	menu_key(&m, ' ');
	for (i = 0, pick = MENU_WAIT; i < 10; i++) {
		pick = menu_tick(&m);
	}
	CHECK_INT("menu_tick after a key", pick, MENU_WAIT);
	menu_init(&m, 3, 7, 3);
	CHECK_INT("menu_init(default past the end)", m.def, 0);

	CHECK_INT("menu_run(digit)", run(3, 0, 5, "1"), 1);
	CHECK_INT("menu_run(no key: countdown)", run(3, 2, 2, ""), 2);
	CHECK_INT("menu_run(stopped, input ends)", run(3, 1, 5, "x"), 1);
	CHECK_INT("menu_run(timeout 0)", run(3, 1, 0, "2"), 1);
	CHECK_INT("menu_run(12 entries)", run(12, 0, 5, "10\n"), 10);
}
