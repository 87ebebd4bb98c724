# CHANGE MASTER TO for MariaDB. MASTER_USE_GTID = no: follow the binary log
# file and position, as the tutorial does (MariaDB 10.10+ would otherwise
# replicate by GTID). MASTER_CONNECT_RETRY = 1: after a master restarts, the
# slave reconnects within a second instead of a minute.
CHANGE MASTER TO
  MASTER_HOST = '{{master_host}}',
  MASTER_PORT = {{master_port}},
  MASTER_USER = {{repl_user}},
  MASTER_PASSWORD = {{repl_password}}{{position}},
  MASTER_CONNECT_RETRY = 1,
  MASTER_USE_GTID = no
