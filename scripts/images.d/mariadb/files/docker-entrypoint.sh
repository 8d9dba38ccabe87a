#!/bin/bash
# brickctl/mariadb entrypoint, with the official image's environment:
#   MARIADB_ROOT_PASSWORD(_FILE) | MARIADB_ALLOW_EMPTY_ROOT_PASSWORD | MARIADB_RANDOM_ROOT_PASSWORD
#   (one is required to initialise), MARIADB_ROOT_HOST (default %), MARIADB_DATABASE(_FILE),
#   MARIADB_USER(_FILE), MARIADB_PASSWORD(_FILE); MYSQL_* names are accepted too.
#   VAR and VAR_FILE both set is an error. /docker-entrypoint-initdb.d/*.sql|*.sql.gz|*.sh run once.
# The datadir (/var/lib/mysql) counts as initialised when it has a mysql/ folder; it is then kept.
set -Eeo pipefail

note() { printf '%s [Note] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*"; }
error() { printf '%s [ERROR] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR from $VAR or from the file $VAR_FILE (not both).
file_env() {
  local var=$1 fileVar="${1}_FILE" def=${2:-} val
  if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
    error "Both $var and $fileVar are set (but are exclusive)"
  fi
  val=$def
  if [ "${!var:-}" ]; then
    val=${!var}
  elif [ "${!fileVar:-}" ]; then
    val=$(<"${!fileVar}")
  fi
  export "$var"="$val"
  unset "$fileVar"
}

# MARIADB_X from MARIADB_X(_FILE), else MYSQL_X(_FILE).
mariadb_env() {
  local m="MARIADB_$1" y="MYSQL_$1"
  file_env "$y"
  file_env "$m"
  [ -n "${!m}" ] || export "$m=${!y}"
}

sql_escape() {
  local s=${1//\\/\\\\}
  printf '%s' "${s//\'/\\\'}"
}

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

if [[ ${1:-} == -* ]]; then
  set -- mariadbd "$@"
fi

if [ "$1" = mariadbd ] || [ "$1" = mysqld ]; then
  if [ "$(id -u)" = 0 ]; then
    mkdir -p /run/mysqld "$DATADIR"
    chown mysql:mysql /run/mysqld
    find "$DATADIR" \! -user mysql -exec chown mysql:mysql '{}' +
    exec setpriv --reuid=mysql --regid=mysql --init-groups "$BASH_SOURCE" "$@"
  fi

  for v in ROOT_PASSWORD ROOT_HOST DATABASE USER PASSWORD ALLOW_EMPTY_ROOT_PASSWORD RANDOM_ROOT_PASSWORD; do
    mariadb_env "$v"
  done
  : "${MARIADB_ROOT_HOST:=%}"

  if [ ! -d "$DATADIR/mysql" ]; then
    if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
      error "Database is uninitialized and password option is not specified
	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD"
    fi
    if [ -n "$MARIADB_USER" ] && [ -z "$MARIADB_PASSWORD" ]; then
      error "MARIADB_USER is set without MARIADB_PASSWORD"
    fi
    note "Initializing database files in $DATADIR"
    mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
      --skip-test-db --default-time-zone=SYSTEM --skip-log-bin --expire-logs-days=0 \
      --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0 >/dev/null
    note "Starting temporary server"
    "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
      --expire-logs-days=0 --skip-log-bin --loose-innodb_buffer_pool_load_at_startup=0 &
    pid=$!
    for i in $(seq 60); do
      mariadb --protocol=socket --socket="$SOCKET" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || error "Unable to start the temporary server"
      sleep 0.5
    done
    mariadb --protocol=socket --socket="$SOCKET" -uroot -e 'SELECT 1' >/dev/null 2>&1 ||
      error "The temporary server did not answer within 30 s"

    if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
      MARIADB_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 -w0)
      note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
    fi
    rootpw=$(sql_escape "$MARIADB_ROOT_PASSWORD")
    roothost=$(sql_escape "$MARIADB_ROOT_HOST")
    {
      echo "SET @@SESSION.SQL_LOG_BIN=0;"
      echo "DROP USER IF EXISTS root@'127.0.0.1', root@'::1';"
      echo "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname,'\'');"
      echo "SET PASSWORD FOR 'root'@'localhost'= PASSWORD('$rootpw');"
      if [ "$MARIADB_ROOT_HOST" != localhost ]; then
        echo "CREATE USER 'root'@'$roothost' IDENTIFIED BY '$rootpw';"
        echo "GRANT ALL ON *.* TO 'root'@'$roothost' WITH GRANT OPTION;"
      fi
      if [ -n "$MARIADB_DATABASE" ]; then
        echo "CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE//\`/\`\`}\`;"
      fi
      if [ -n "$MARIADB_USER" ]; then
        echo "CREATE USER '$(sql_escape "$MARIADB_USER")'@'%' IDENTIFIED BY '$(sql_escape "$MARIADB_PASSWORD")';"
        if [ -n "$MARIADB_DATABASE" ]; then
          echo "GRANT ALL ON \`${MARIADB_DATABASE//\`/\`\`}\`.* TO '$(sql_escape "$MARIADB_USER")'@'%';"
        fi
      fi
      echo "FLUSH PRIVILEGES;"
    } | mariadb --protocol=socket --socket="$SOCKET" -uroot --binary-mode
    note "Users and database created (database '${MARIADB_DATABASE:-}', user '${MARIADB_USER:-}')"

    for f in /docker-entrypoint-initdb.d/*; do
      case $f in
        *.sh) note "$0: running $f"; . "$f" ;;
        *.sql) note "$0: running $f"; mariadb --protocol=socket --socket="$SOCKET" -uroot -p"$MARIADB_ROOT_PASSWORD" ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} <"$f" ;;
        *.sql.gz) note "$0: running $f"; gunzip -c "$f" | mariadb --protocol=socket --socket="$SOCKET" -uroot -p"$MARIADB_ROOT_PASSWORD" ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} ;;
        *) [ ! -e "$f" ] || note "$0: ignoring $f" ;;
      esac
    done

    note "Stopping temporary server"
    kill "$pid"
    wait "$pid" || true
    note "MariaDB init process done. Ready for start up."
  else
    note "Database in $DATADIR is initialised: keeping it"
  fi
  unset MARIADB_ROOT_PASSWORD MARIADB_PASSWORD MYSQL_ROOT_PASSWORD MYSQL_PASSWORD rootpw
fi

exec "$@"
