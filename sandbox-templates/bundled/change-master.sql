# CHANGE MASTER TO for reptutd: file and position, as MySQL 5.1 had it.
CHANGE MASTER TO
  MASTER_HOST = '{{master_host}}',
  MASTER_PORT = {{master_port}},
  MASTER_USER = {{repl_user}},
  MASTER_PASSWORD = {{repl_password}}{{position}}
