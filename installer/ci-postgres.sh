#!/usr/bin/env bash
# A throwaway PostgreSQL server for the hub's tests, on a free loopback port.
#
#   eval "$(bash installer/ci-postgres.sh)"     start one (or reuse the running one)
#   bash installer/ci-postgres.sh --stop        stop it and delete its files
#
# Standard output is only the line to eval:
#   export WINDOWDESK_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/windowdesk_test
# Everything else goes to standard error. The server trades durability for speed
# (fsync off): it holds test data only and is deleted with --stop.
set -euo pipefail

state_dir=${WINDOWDESK_PG_STATE:-/tmp/windowdesk-ci-postgres}
database=windowdesk_test
say() { echo "ci-postgres: $*" >&2; }

find_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$state_dir/bin_dir" ] && [ -d "$state_dir/data" ]; then
    as_owner "$(cat "$state_dir/bin_dir")/pg_ctl" -D "$state_dir/data" -m immediate stop >&2 || true
  fi
  rm -rf "$state_dir"
  say "stopped"
  exit 0
fi

# Reuse the server a previous run started, if it still answers.
if [ -f "$state_dir/env" ] && [ -f "$state_dir/bin_dir" ] && [ -f "$state_dir/port" ]; then
  if "$(cat "$state_dir/bin_dir")/pg_isready" -q -h 127.0.0.1 -p "$(cat "$state_dir/port")"; then
    say "reusing the server on port $(cat "$state_dir/port")"
    cat "$state_dir/env"
    exit 0
  fi
  as_owner "$(cat "$state_dir/bin_dir")/pg_ctl" -D "$state_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$state_dir"
fi

if ! bin_dir=$(find_bin_dir); then
  say "installing PostgreSQL (apt-get)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends postgresql >&2
  bin_dir=$(find_bin_dir) || { say "PostgreSQL was installed but initdb is not in /usr/lib/postgresql/*/bin"; exit 1; }
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  say "there is no postgres user to run the server as (the postgresql package creates it)"
  exit 1
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$state_dir"
chmod 755 "$state_dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$state_dir"

as_owner "$bin_dir/initdb" -D "$state_dir/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >/dev/null
as_owner "$bin_dir/pg_ctl" -D "$state_dir/data" -l "$state_dir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$state_dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { say "the server did not start; its log:"; cat "$state_dir/server.log" >&2; exit 1; }
as_owner "$bin_dir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE $database" >&2

echo "$bin_dir" >"$state_dir/bin_dir"
echo "$port" >"$state_dir/port"
echo "export WINDOWDESK_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$port/$database" >"$state_dir/env"
say "PostgreSQL $("$bin_dir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (files in $state_dir)"
cat "$state_dir/env"
