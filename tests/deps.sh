#!/bin/sh
# deps.sh [PACKAGE...]: install the Debian packages hop's build and tests
# need (plus any named). Installs only what is missing, so a second run is
# quick and needs no network. deps.sh --update: refresh the package lists
# (tests/debian.sh calls it when a download finds them stale).
set -eu
PATH=$PATH:/usr/sbin:/sbin
want="make gcc libc6-dev binutils gzip kmod dpkg-dev $*"
missing=
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
sudo=
if [ "$(id -u)" != 0 ]; then
	sudo=sudo
fi
apt_update() {	# retried: one foreign index can fail while a mirror syncs
	for i in 1 2 3; do
		if $sudo apt-get update -q; then
			return 0
		fi
		sleep 5
	done
	echo "hop: error: apt-get update: failed three times" >&2
	exit 1
}
if [ "${1:-}" = --update ]; then
	apt_update
	exit 0
fi
if [ -n "$missing" ]; then
	echo "hop: deps: installing$missing"
	apt_update
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
else
	echo "hop: deps: all installed"
fi
