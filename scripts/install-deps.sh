#!/usr/bin/env bash
# Installs every Debian package Reptut needs to build, test and benchmark.
# Idempotent: packages already present are skipped, so a second run is fast.
set -euo pipefail

PACKAGES=(
  build-essential cmake clang clang-format libclang-rt-14-dev
  libsqlite3-dev libmariadb-dev libssl-dev zlib1g-dev
  libboost-dev libboost-filesystem-dev libyaml-cpp-dev libtomlplusplus-dev
  libgtest-dev googletest
  mariadb-client mariadb-server python3-pymysql sysbench
  strace  # tests: kills a replica at a chosen write (replication crash tests)
  percona-toolkit mydumper libdbd-mariadb-perl python3-mysqldb  # the DBA tool chain tests
  ccache  # faster rebuilds when present (scripts/build.sh uses it)
  lld  # reptutd linked with its hot code packed (server/link/reptutd.order)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Installing mariadb-server must not start a system-wide server: the project
# runs its own on free loopback ports. policy-rc.d tells invoke-rc.d to refuse.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# A distribution server may have been started anyway; ours never use it.
if pgrep -x mariadbd >/dev/null 2>&1 && [ -f /run/mysqld/mysqld.pid ]; then
  $SUDO kill "$(cat /run/mysqld/mysqld.pid)" 2>/dev/null || true
fi
echo "install-deps: done"
