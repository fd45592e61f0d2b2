#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer at the URLs the tests use. Starts the local ones when
# they are installed but stopped; otherwise says exactly what is missing. Never falls back.
# Without a DATABASE_URL the tests start the embedded PostgreSQL themselves (tests/environment.py):
# only Redis is checked here.
set -u
database_url=${1:-}
redis_url=$2

hostport() {  # scheme://[user@]host:port/...  ->  "host port"
  local rest=${1#*://}
  rest=${rest#*@}
  rest=${rest%%/*}
  echo "${rest%%:*} ${rest##*:}"
}

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() {
  for _ in $(seq 1 30); do answers "$1" "$2" && return 0; sleep 1; done
  return 1
}

local_host() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ]; }

check_postgres() {
  local pg_host pg_port
  read -r pg_host pg_port <<<"$(hostport "$database_url")"
  [ "$pg_port" = "$pg_host" ] && pg_port=5432
  if ! answers "$pg_host" "$pg_port"; then
    if local_host "$pg_host" && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      echo "PostgreSQL is not running on $pg_host:$pg_port; starting the local cluster"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    fi
    wait_for "$pg_host" "$pg_port" || {
      echo "ERROR: PostgreSQL does not answer at $pg_host:$pg_port and could not be started here."
      echo "Start it, or unset DATABASE_URL to use the embedded PostgreSQL."
      exit 1
    }
  fi
  # The checks before pytest (makemigrations --check) connect to the database itself; pytest
  # creates its own test_<name>. Create the named one when missing so they run quietly.
  local db_name=${database_url##*/}
  db_name=${db_name%%\?*}
  local admin_url=${database_url%/*}/postgres
  if command -v psql >/dev/null && [ -n "$db_name" ]; then
    if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'" 2>/dev/null | grep -q 1; then
      psql "$admin_url" -qc "CREATE DATABASE \"$db_name\"" >/dev/null 2>&1 \
        && echo "Created the database $db_name."
    fi
  fi
  echo "PostgreSQL at $pg_host:$pg_port is up."
}

check_redis() {
  local redis_host redis_port
  read -r redis_host redis_port <<<"$(hostport "$redis_url")"
  [ "$redis_port" = "$redis_host" ] && redis_port=6379
  if ! answers "$redis_host" "$redis_port"; then
    if local_host "$redis_host" && command -v redis-server >/dev/null; then
      echo "Redis is not running on $redis_host:$redis_port; starting it"
      redis-server --daemonize yes --port "$redis_port" --save "" --appendonly no >/dev/null
    fi
    wait_for "$redis_host" "$redis_port" || {
      echo "ERROR: Redis does not answer at $redis_host:$redis_port and could not be started here."
      echo "Install it (apt-get install redis-server) or set REDIS_URL to a running server."
      exit 1
    }
  fi
  echo "Redis at $redis_host:$redis_port is up."
}

if [ -n "$database_url" ]; then
  check_postgres
else
  echo "PostgreSQL: the embedded server (data in .pgdata/) starts with the checks and the tests."
fi
check_redis
