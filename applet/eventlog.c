/* hop eventlog: a TCG crypto-agile event log (the one hop.measure writes,
 * /run/hop/measurements, or the firmware's) printed, replayed and
 * compared with the TPM's PCRs (README, "hop eventlog"): what the next
 * system runs to know that the log tells what was extended. The PCRs
 * come from sysfs (/sys/class/tpm/tpm0/pcr-<alg>/<N>, Linux >= 5.12:
 * drivers/char/tpm/tpm-sysfs.c, pcr_value_show), which needs no TPM
 * command and no privilege. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "eventlog.h"
#include "hop.h"

#define EVENT_SHOWN 256		/* an event's bytes printed, at most */

const char eventlog_usage[] =
	"usage: hop eventlog [--pcr=N] [--no-tpm] [--tpm-dir=DIR] [FILE]\n\n"
	"Prints a TCG crypto-agile event log (default /run/hop/measurements)\n"
	"event by event, then replays each PCR that has events (--pcr: PCR\n"
	"N) in each bank and compares it with the TPM's, as the kernel shows\n"
	"it in DIR/pcr-<alg>/<N> (DIR: /sys/class/tpm/tpm0; Linux >= 5.12).\n"
	"  --no-tpm   print and replay, compare nothing\n"
	"Exit 0 when every compared PCR matches and one was compared at\n"
	"least (with --no-tpm: when the log is well-formed), else 1.\n";

static void hex(char *out, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[d[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	out[2 * n] = '\0';
}

struct show {
	uint32_t pcrs;		/* bit N: PCR N was extended */
};

static int show_event(const struct evlog_event *e, void *arg)
{
	char esc[4 * EVENT_SHOWN + 1], dig[129], num[11];
	struct show *s = arg;
	const char *type = evlog_type_name(e->type);
	const char *alg = "";
	size_t i, n = e->len < EVENT_SHOWN ? e->len : EVENT_SHOWN;

	if (e->type != EV_NO_ACTION) {
		s->pcrs |= 1u << e->pcr;
	}
	if (!type) {
		snprintf(num, sizeof(num), "0x%08x", (unsigned)e->type);
		type = num;
	}
	/* sha256 when there is one: the bank every TPM 2.0 has */
	dig[0] = '\0';
	for (i = 0; i < e->d.n; i++) {
		if (!i || e->d.v[i].alg == TPM_ALG_SHA256) {
			hex(dig, e->d.v[i].d, e->d.v[i].len);
			alg = tpm_alg_name(e->d.v[i].alg);
			alg = alg ? alg : "?";
		}
	}
	/* the bytes as log lines show disk bytes: controls as \xNN */
	log_escape(esc, sizeof(esc), (const char *)e->data, n);
	fprintf(stdout, "%2u %-24s %s:%s %s%s\n", e->pcr, type, alg, dig, esc,
		n < e->len ? "..." : "");
	return 0;
}

/* the log file, at most EVLOG_MAX bytes: its length or -errno */
static long read_log(const char *path, uint8_t **buf)
{
	size_t len = 0;
	ssize_t r;
	int fd = file_open(path);

	*buf = NULL;
	if (fd < 0) {
		return fd;
	}
	*buf = malloc(EVLOG_MAX + 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	/* securityfs's binary_bios_measurements has no size: to the end */
	while (len <= EVLOG_MAX) {
		r = read(fd, *buf + len, EVLOG_MAX + 1 - len);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			break;
		}
		len += r;
	}
	close(fd);
	if (r < 0) {
		return -errno;
	}
	return len > EVLOG_MAX ? -EFBIG : (long)len;
}

/* the TPM's PCR as sysfs shows it (hex, upper case) into val, lower
 * case: 0, or -errno (-ENOENT: no such bank, or Linux < 5.12) */
static int tpm_pcr(const char *dir, uint16_t alg, unsigned pcr, char *val,
	size_t sz)
{
	char path[512];
	int n, i;

	snprintf(path, sizeof(path), "%s/pcr-%s/%u", dir, tpm_alg_name(alg),
		pcr);
	n = file_read_small(path, val, sz);
	if (n < 0) {
		return n;
	}
	while (n && isspace((unsigned char)val[n - 1])) {
		val[--n] = '\0';
	}
	for (i = 0; i < n; i++) {
		val[i] = tolower((unsigned char)val[i]);
	}
	return 0;
}

int eventlog_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pcr", required_argument, NULL, 'p' },
		{ "no-tpm", no_argument, NULL, 'n' },
		{ "tpm-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = "/run/hop/measurements";
	const char *dir = "/sys/class/tpm/tpm0";
	uint16_t algs[TPM_MAX_BANKS];
	struct show s = { 0 };
	int c, notpm = 0, bad = 0, compared = 0, err;
	unsigned missing = 0;
	long pcr = -1, len;
	uint8_t *log;
	char why[256], *end;
	size_t nalgs, i;
	unsigned p;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			errno = 0;
			pcr = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || pcr < 0 ||
				pcr > TPM_MAX_PCR) {
				hop_error("--pcr", "'%s': not a PCR (0-%d)",
					optarg, TPM_MAX_PCR);
				return 2;
			}
			break;
		case 'n':
			notpm = 1;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'h':
			fputs(eventlog_usage, stdout);
			return 0;
		default:
			fputs(eventlog_usage, stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		fputs(eventlog_usage, stderr);
		return 2;
	}
	if (optind < argc) {
		path = argv[optind];
	}
	len = read_log(path, &log);
	if (len < 0) {
		hop_error(path, "%s", len == -EFBIG ? "more than the 1 MiB a "
			"log may hold" : file_strerror((int)len));
		free(log);
		return 1;
	}
	err = evlog_banks(log, len, algs, &nalgs, why, sizeof(why));
	if (!err) {
		err = evlog_walk(log, len, show_event, &s, why, sizeof(why));
	}
	if (err) {
		hop_error(path, "%s", why);
		free(log);
		return 1;
	}
	if (pcr >= 0) {
		s.pcrs = 1u << pcr;
	}
	for (p = 0; p <= TPM_MAX_PCR; p++) {
		if (!(s.pcrs & 1u << p)) {
			continue;
		}
		for (i = 0; i < nalgs; i++) {
			char ours[129], theirs[160];
			uint8_t v[64];
			unsigned nev;

			/* a bank hop cannot hash (SM3) is left out */
			if (!tpm_alg_size(algs[i])) {
				continue;
			}
			if (evlog_replay(log, len, p, algs[i], v, &nev, why,
				sizeof(why))) {
				hop_error(path, "%s", why);
				bad = 1;
				continue;
			}
			hex(ours, v, tpm_alg_size(algs[i]));
			fprintf(stdout, "pcr %u %s 0x%s (%u events)\n", p,
				tpm_alg_name(algs[i]), ours, nev);
			if (notpm) {
				continue;
			}
			/* a bank of the log the kernel shows no value of
			 * was not checked: said, and a failure, so that a
			 * log checked against one weak bank never passes */
			if (tpm_pcr(dir, algs[i], p, theirs, sizeof(theirs))) {
				missing++;
				hop_warn(path, "pcr %u %s: no %s/pcr-%s/%u to "
					"compare with", p, tpm_alg_name(algs[i]),
					dir, tpm_alg_name(algs[i]), p);
				continue;
			}
			compared++;
			if (strcmp(ours, theirs)) {
				hop_error(path, "pcr %u %s: the log replays to "
					"%s, the TPM holds %s", p,
					tpm_alg_name(algs[i]), ours, theirs);
				bad = 1;
			} else {
				hop_log("eventlog: pcr %u %s: matches the TPM",
					p, tpm_alg_name(algs[i]));
			}
		}
	}
	free(log);
	if (!notpm && compared && missing) {
		hop_error(path, "%u of the log's PCR values not compared (above): "
			"not a match", missing);
		bad = 1;
	}
	if (!notpm && !compared && !bad) {
		hop_error(path, "no PCR compared: no %s/pcr-<alg>/<N> of the "
			"log's banks (no TPM, or Linux < 5.12); --no-tpm only "
			"prints", dir);
		return 1;
	}
	return bad;
}
