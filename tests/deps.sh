#!/bin/sh
# deps.sh [PACKAGE...]: install the Debian packages hop's build and tests
# need (plus any named; PKG:ARCH names a foreign arch's package, whose arch
# is then added to dpkg). Installs only what is missing, so a second run is
# quick and needs no network. deps.sh --update [DEBARCH...]: add the foreign
# arches, refresh the package lists (tests/debian.sh calls it when a
# download finds them stale or lacking an arch).
set -eu
PATH=$PATH:/usr/sbin:/sbin
sudo=
if [ "$(id -u)" != 0 ]; then
	sudo=sudo
fi

apt_update() {	# retried: one foreign index can fail while a mirror syncs
	for i in 1 2 3; do
		if $sudo apt-get update -q; then
			return 0
		fi
		if [ "$i" != 3 ]; then
			sleep 5
		fi
	done
	# apt keeps every index it did fetch; one stale index (typically the
	# security suite of a foreign arch during a mirror sync) only matters
	# if a package is found nowhere else, and then install/download fails
	# with its own message
	echo "hop: warning: apt-get update: failed three times; going on with the lists apt has" >&2
}

# add_arches DEBARCH...: enables the foreign arches dpkg does not know yet
# (dpkg --add-architecture is idempotent, but this keeps a second run
# quiet); prints "added" when it changed anything
add_arches() {
	native=$(dpkg --print-architecture)
	known=" $native $(dpkg --print-foreign-architectures | tr '\n' ' ') "
	for a in "$@"; do
		case $known in
		*" $a "*) ;;
		*)
			$sudo dpkg --add-architecture "$a"
			known="$known$a "
			echo added
			;;
		esac
	done
}

if [ "${1:-}" = --update ]; then
	shift
	add_arches "$@" >/dev/null
	apt_update
	exit 0
fi

want="make gcc libc6-dev binutils gzip kmod dpkg-dev $*"
arches=
for p in $want; do
	case $p in
	*:*) arches="$arches ${p#*:}" ;;
	esac
done
# shellcheck disable=SC2086 # word splitting wanted
added=$(add_arches $arches)
missing=
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ] || [ -n "$added" ]; then
	echo "hop: deps: installing$missing"
	apt_update
fi
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
else
	echo "hop: deps: all installed"
fi
