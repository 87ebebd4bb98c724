#!/usr/bin/env bash
# The main job: installs, builds, and brings up a tutorial directory with a
# master and a slave on the bundled server, replicating: a row written on the
# master is shown arriving on the slave, with the slave's SHOW SLAVE STATUS.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
root=$(pwd)
tut=${REPTUT_TUTORIAL_DIR:-$root/tutorial}
bin=$root/build/bin
if [ -f "$tut/serverconfig.toml" ]; then (cd "$tut" && "$bin/serveradm" stop all >/dev/null 2>&1) || true; fi
rm -rf "$tut"
mkdir -p "$tut"
cd "$tut"
"$bin/serveradm" setup
"$bin/serveradm" add name=master roles=master
"$bin/serveradm" add name=slave roles=slave
"$bin/serveradm" start all
# The tutorial's steps: a replication user, CHANGE MASTER TO, START SLAVE.
"$bin/serveradm" replicate slave from=master
./mysql --defaults-file=master.cnf -uroot test -e \
  "CREATE TABLE tbl (a CHAR(20)); INSERT INTO tbl VALUES ('Yeah! Replication!')"
"$bin/serveradm" sync
echo "--- on the slave:"
./mysql --defaults-file=slave.cnf -uroot test -e "SHOW TABLES; SELECT * FROM tbl"
./mysql --defaults-file=slave.cnf -uroot -e "SHOW SLAVE STATUS\G" |
  grep -E "Slave_IO_State|Master_Log_File|Read_Master_Log_Pos|Slave_IO_Running|Slave_SQL_Running|Exec_Master_Log_Pos|Seconds_Behind_Master"
"$bin/serveradm" status
echo "The tutorial directory is $tut; stop the servers with: (cd $tut && $bin/serveradm stop all)"
