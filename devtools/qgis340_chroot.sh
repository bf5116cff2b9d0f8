#!/usr/bin/env bash
# Run the test suite against QGIS 3.40 LTR in a Debian 13 (trixie) chroot.
#
# Why: users in 2026 run QGIS 3.34/3.40 LTR (Python 3.13, numpy 2) while the
# development machine is Debian 12 with QGIS 3.22. Debian 13 ships QGIS 3.40
# from the same package registry, so a debootstrap chroot is the cheapest way
# to run the very same tests on the newer QGIS. Called by `make test-qgis340`.
#
# Built once and reused (idempotent): the chroot lives outside the repository
# in $WPZF_QGIS340_ROOT (default /var/cache/wpzf-qgis340/root); a half-built
# chroot (no .wpzf-ready stamp) is rebuilt. The repository is bind-mounted at
# its own path; every mount is undone by the EXIT trap. Needs root.
# Usage: devtools/qgis340_chroot.sh [pytest arguments]   (default: tests)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CHROOT=${WPZF_QGIS340_ROOT:-/var/cache/wpzf-qgis340/root}
MIRROR=${WPZF_DEBIAN_MIRROR:-http://deb.debian.org/debian}
VENV=/opt/wpzf-venv
REQUIREMENTS=requirements-dev.txt
# The host's APT_PACKAGES (Makefile), with Debian 13's PostgreSQL 17 + PostGIS for the shared-store tests.
# python3-shapely/-pyproj/-openpyxl: the plugin's runtime packages from Debian 13 itself, as its
# README install says (Debian's shapely 2.1 runs QGIS 3.40's GEOS 3.13; the desktop tests use them).
PACKAGES="qgis python3-qgis qgis-providers python3-gdal gdal-bin python3-pyproj python3-shapely python3-openpyxl python3-venv python3-pip
  xvfb xauth pyqt5-dev-tools qttools5-dev-tools poppler-utils fonts-noto-cjk fonts-dejavu-core git zip
  python3-pil ca-certificates postgresql-17 postgresql-17-postgis-3 python3-psycopg2 python3-matplotlib libreoffice-calc-nogui"

say() { printf '[test-qgis340] %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mount); run: sudo make test-qgis340"

mkdir -p "$(dirname "$CHROOT")"
exec 9>"$(dirname "$CHROOT")/.lock"
flock -w 3600 9 || die "another test-qgis340 run holds $(dirname "$CHROOT")/.lock"

unmount_all() {
  # Deepest first; lazy so a lingering process cannot keep the repo mounted.
  local m
  for m in $(findmnt -rn -o TARGET | grep -F "$CHROOT/" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}
trap unmount_all EXIT INT TERM

retry() {  # run "$@", once more after a pause if it fails (mirrors hiccup)
  "$@" && return 0
  say "retrying after a failure: $*"; sleep 10
  "$@"
}

in_chroot() {
  chroot "$CHROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root USER=root LOGNAME=root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

copy_network_config() {  # pip and apt inside need the host's DNS and CA bundle
  cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf"
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$CHROOT/etc/ssl/certs"
    cp -L /etc/ssl/certs/ca-certificates.crt "$CHROOT/etc/ssl/certs/wpzf-host-ca.crt"
  fi
}

mount_all() {
  mount -t proc proc "$CHROOT/proc"
  mount -t sysfs sysfs "$CHROOT/sys"
  mount --rbind /dev "$CHROOT/dev"; mount --make-rslave "$CHROOT/dev"
  mkdir -p "$CHROOT$REPO"
  mount --bind "$REPO" "$CHROOT$REPO"
}

build_chroot() {
  unmount_all
  if [ -e "$CHROOT" ]; then say "removing the half-built chroot $CHROOT"; rm -rf --one-file-system "$CHROOT"; fi
  command -v debootstrap >/dev/null || retry apt-get install -y -qq debootstrap \
    || die "debootstrap is not installed and apt-get install debootstrap failed"
  local t0=$SECONDS
  say "debootstrap trixie into $CHROOT from $MIRROR"
  retry debootstrap --variant=minbase trixie "$CHROOT" "$MIRROR" >"$CHROOT.debootstrap.log" 2>&1 \
    || die "debootstrap trixie failed (network to $MIRROR?); log: $CHROOT.debootstrap.log"
  say "debootstrap took $((SECONDS - t0)) s"
  copy_network_config
  install_packages
  touch "$CHROOT/.wpzf-ready"
}

install_packages() {  # also on a ready chroot when PACKAGES changed (the list is kept in the stamp)
  local t0=$SECONDS
  # No recommends: the chroot stays ~2.5 GB.
  printf 'APT::Install-Recommends "false";\n' >"$CHROOT/etc/apt/apt.conf.d/90wpzf"
  # no service starts inside the chroot (postgresql's package would start its cluster): the tests run their own
  printf '#!/bin/sh\nexit 101\n' >"$CHROOT/usr/sbin/policy-rc.d"; chmod +x "$CHROOT/usr/sbin/policy-rc.d"
  # shellcheck disable=SC2086
  retry in_chroot sh -c "apt-get update -qq && apt-get install -y -qq $(echo $PACKAGES)" \
    >"$CHROOT.apt.log" 2>&1 || die "apt-get install in the trixie chroot failed; log: $CHROOT.apt.log"
  say "apt-get install (QGIS 3.40 and tools) took $((SECONDS - t0)) s"
  in_chroot apt-get clean
  echo $PACKAGES >"$CHROOT/.wpzf-packages"
}

[ -f "$CHROOT/.wpzf-ready" ] || build_chroot
copy_network_config
[ "$(cat "$CHROOT/.wpzf-packages" 2>/dev/null)" = "$(echo $PACKAGES)" ] || install_packages
mount_all

stamp="$VENV/.installed-$(sha256sum "$REPO/$REQUIREMENTS" | cut -c1-12)"
if [ ! -f "$CHROOT$stamp" ]; then
  t0=$SECONDS
  say "venv $VENV (system site packages) with $REQUIREMENTS"
  rm -rf "${CHROOT:?}$VENV"  # afresh: pip never removes a package the requirements dropped
  in_chroot python3 -m venv --system-site-packages "$VENV" \
    || die "python3 -m venv failed in the chroot"
  retry in_chroot PIP_CERT=/etc/ssl/certs/wpzf-host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$VENV/bin/python" -m pip install -q -r "$REPO/$REQUIREMENTS" \
    || die "pip install -r $REQUIREMENTS failed in the chroot (network to PyPI?)"
  rm -f "$CHROOT$VENV"/.installed-*; touch "$CHROOT$stamp"
  say "venv took $((SECONDS - t0)) s"
fi

if [ ! -f "$REPO/i18n/wpzf_zh_CN.qm" ]; then  # normally built on the host by `make translations`
  in_chroot sh -c "cd '$REPO' && lrelease -silent i18n/wpzf_zh_CN.ts -qm i18n/wpzf_zh_CN.qm" \
    || die "lrelease failed in the chroot"
fi

say "$(in_chroot sh -c 'dpkg-query -W -f="qgis \${Version}\n" qgis; python3 --version' | tr '\n' ' ')"
[ $# -gt 0 ] || set -- tests
t0=$SECONDS
set +e
in_chroot QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1 WPZF_QGIS340_CHROOT=1 \
  sh -c 'cd "$0" && exec '"$VENV"'/bin/python -m pytest -q -p no:cacheprovider -rs "$@"' "$REPO" "$@"
rc=$?
set -e
say "pytest took $((SECONDS - t0)) s, exit status $rc"
[ $rc = 0 ] || die "the test suite failed on QGIS 3.40 (see above)"
