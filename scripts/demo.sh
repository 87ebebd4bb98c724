#!/usr/bin/env bash
# The main job: installs, builds, and brings up a tutorial directory with the
# bundled server, then shows a client query against it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
root=$(pwd)
tut=${REPTUT_TUTORIAL_DIR:-$root/tutorial}
bin=$root/build/bin
rm -rf "$tut"
mkdir -p "$tut"
cd "$tut"
"$bin/serveradm" setup
"$bin/serveradm" add name=master roles=master
"$bin/serveradm" start master
./mysql --defaults-file=master.cnf -uroot -e "CREATE TABLE tbl (a CHAR(20)); INSERT INTO tbl VALUES ('Yeah! Replication!'); SELECT * FROM tbl; SHOW VARIABLES LIKE 'server_id'" test
"$bin/serveradm" status
echo "The tutorial directory is $tut; stop the server with: (cd $tut && $bin/serveradm stop all)"
