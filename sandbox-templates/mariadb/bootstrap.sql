-- Run by mariadb-install-db (--extra-file) when serveradm bootstraps a data
-- directory. The tutorial works in the database `test`; it is made here
-- rather than by the installer, which would add anonymous users with it.
CREATE DATABASE IF NOT EXISTS test;
