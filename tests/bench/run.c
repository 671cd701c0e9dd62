/* bench-run [-m] TAG CMD [ARG...]: runs CMD (fork + exec) and prints one
 * line for tests/bench/bench.sh to collect:
 *
 *   BENCH TAG rc=N us=WALL maxrss_kb=K anon_kb=A
 *
 * us: wall time from before the fork to the return of wait4 (CMD's whole
 * life: exec, dynamic linking for kexec-tools, reading, the syscall, exit;
 * the load syscall is the last thing each loader does).
 * maxrss_kb: wait4's ru_maxrss, the child's peak resident set (anonymous,
 * file and shmem pages together: VmHWM).
 * anon_kb: with -m, the peak of RssAnon in /proc/PID/status, polled every
 * millisecond while CMD runs ("-" without -m). Polling costs CPU on a
 * one-CPU guest, so the timed runs go without -m and the memory runs are
 * separate. A peak shorter than a millisecond can be missed; a loader's
 * buffers live for the whole syscall, which lasts far longer. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* RssAnon of pid in kB, or -1 once the process is gone */
static long rss_anon(const char *status)
{
	char buf[2048], *p;
	ssize_t n;
	int fd;

	fd = open(status, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return -1;
	}
	buf[n] = 0;
	p = strstr(buf, "RssAnon:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

int main(int argc, char **argv)
{
	struct timespec ms = { 0, 1000000 };
	struct rusage ru;
	char status[64];
	long anon, peak = -1;
	long long t0, t1;
	int poll = 0, st, rc;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		poll = 1;
		argv++;
		argc--;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: bench-run [-m] TAG CMD [ARG...]\n");
		return 2;
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		perror("bench-run: fork");
		return 1;
	}
	if (pid == 0) {
		execv(argv[2], argv + 2);
		fprintf(stderr, "bench-run: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	snprintf(status, sizeof(status), "/proc/%d/status", (int)pid);
	for (;;) {
		/* WNOHANG while polling: the status file of a zombie has no
		 * RssAnon line, so the last sample before the exit counts */
		rc = wait4(pid, &st, poll ? WNOHANG : 0, &ru);
		if (rc == pid) {
			break;
		}
		if (rc < 0 && errno != EINTR) {
			perror("bench-run: wait4");
			return 1;
		}
		if (poll) {
			anon = rss_anon(status);
			if (anon > peak) {
				peak = anon;
			}
			nanosleep(&ms, NULL);
		}
	}
	t1 = now_us();
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("BENCH %s rc=%d us=%lld maxrss_kb=%ld anon_kb=", argv[1], rc,
		t1 - t0, ru.ru_maxrss);
	if (poll) {
		printf("%ld\n", peak);
	} else {
		printf("-\n");
	}
	return 0;
}
