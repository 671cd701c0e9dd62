#!/bin/sh
# deps.sh [PACKAGE...]: install the Debian packages hop's build and tests
# need (plus any named). Installs only what is missing, so a second run is
# quick; retries apt-get update, which can fail once while a mirror syncs.
set -eu
PATH=$PATH:/usr/sbin:/sbin
want="make gcc libc6-dev binutils gzip kmod apt-utils dpkg-dev $*"
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
# the kernels and busybox are fetched with apt-get download, which needs
# fresh package lists even when nothing is missing
stamp=/var/lib/apt/periodic/hop-update-stamp
if [ -n "$missing" ] || [ -z "$(find "$stamp" -mmin -360 2>/dev/null)" ]; then
	for i in 1 2 3; do
		if $sudo apt-get update -q; then
			$sudo mkdir -p "${stamp%/*}" && $sudo touch "$stamp"
			break
		fi
		if [ "$i" = 3 ]; then
			echo "hop: error: apt-get update: failed three times" >&2
			exit 1
		fi
		sleep 5
	done
fi
if [ -n "$missing" ]; then
	echo "hop: deps: installing$missing"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
else
	echo "hop: deps: all installed"
fi
