#!/bin/sh
# run.sh SECONDS TARGET...: each libFuzzer target for SECONDS, from its
# seed corpus (tests/fuzz/corpus/TARGET) into a working corpus under
# build/fuzz; a crash is a FAIL line with the reproducer's path.
set -u
secs=$1
shift
for t in "$@"; do
	work=build/fuzz/corpus/$t
	mkdir -p "$work" build/fuzz/crash
	seeds=tests/fuzz/corpus/$t
	[ -d "$seeds" ] || seeds=
	# inputs that once crashed a target run first, every time
	[ -d tests/fuzz/regress/$t ] && seeds="$seeds tests/fuzz/regress/$t"
	limits=
	case $t in
	# the configuration parsers hold what their budget allows, a few
	# MiB (tests/fuzz/bootcfg.c and ipxe.c check it per parse): any
	# allocation of 64 MiB, or the process past what ASan itself
	# needs, is a failure
	bootcfg|ipxe) limits="-malloc_limit_mb=64 -rss_limit_mb=1024" ;;
	esac
	if build/host/fuzz/$t -max_total_time="$secs" -max_len=65536 \
		-artifact_prefix=build/fuzz/crash/$t- -print_final_stats=1 \
		$limits "$work" $seeds >build/fuzz/$t.log 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/$t.log)
		echo "PASS fuzz/$t (${secs}s, ${runs:-?} runs)"
	else
		echo "FAIL fuzz/$t: $(grep -m1 -E 'ERROR|runtime error' build/fuzz/$t.log)"
		ls build/fuzz/crash/$t-* 2>/dev/null | sed 's/^/  reproducer: /'
	fi
done
